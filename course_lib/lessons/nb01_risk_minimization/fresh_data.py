"""Notebook 01, §6: why one pass over fresh data follows the gradient of the true risk (8.1.3).

While an example has not yet been used, θ does not depend on it, so its loss and its gradient
are unbiased estimates of J*(θ) and ∇J*(θ) (eqs. 8.7–8.8). Once it has been used, θ has moved
towards it: its loss looks better than the true risk, and its gradient is biased.

``compute_fresh_data``: minibatch SGD on ``risk.PolynomialTask`` (degree 12, minibatches of
10, ε = 0.05) in ``runs`` independent runs at once, for ``epochs`` epochs over the same
m = 100 examples ("reused"), and on a stream of new examples ("fresh"). For every update it
records L(θ; B) − J*(θ), the minibatch's loss just before it is used minus the exact true
risk at the same θ, and ĝ − ∇J*(θ), the minibatch gradient's error.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...risk import PolynomialTask
from ..common.cache import cached

PALETTE = plotting.PALETTE
TASK = PolynomialTask()


def _sgd(x, y, m, degree, batch_size, epochs, lr, rng, fresh):
    """One batch of runs (rows of x, y); returns per update the optimism and gradient error."""
    runs = x.shape[0]
    phi = TASK.features(x, degree)
    rows = np.arange(runs)[:, None]
    theta = np.zeros((runs, degree + 1))
    true, train, optimism, grad_error = [TASK.true_risk(theta)], [], [], []
    for epoch in range(epochs):
        order = np.argsort(rng.random((runs, m)), axis=1) + (epoch * m if fresh else 0)
        for start in range(0, m, batch_size):
            batch = order[:, start:start + batch_size]
            phi_b = phi[rows, batch]
            residual = np.einsum("rbp,rp->rb", phi_b, theta) - y[rows, batch]
            g = np.einsum("rbp,rb->rp", phi_b, residual) / batch_size   # ĝ on the minibatch
            optimism.append(0.5 * np.mean(residual ** 2, axis=1) - TASK.true_risk(theta))
            grad_error.append(g - TASK.true_grad(theta))
            theta = theta - lr * g                                       # θ ← θ − ε ĝ
            true.append(TASK.true_risk(theta))
        if not fresh:                   # the training risk J: only the reused set has one
            train.append(0.5 * np.mean((np.einsum("rnp,rp->rn", phi, theta) - y) ** 2, axis=1))
    return np.array(true), np.array(train), np.array(optimism), np.array(grad_error)


@cached
def compute_fresh_data(m: int = 100, degree: int = 12, batch_size: int = 10, epochs: int = 30,
                       lr: float = 0.05, runs: int = 200, seed: int = 0) -> dict:
    per_epoch = m // batch_size
    out = {"m": m, "degree": degree, "batch_size": batch_size, "epochs": epochs, "lr": lr,
           "runs": runs, "per_epoch": per_epoch, "best": TASK.best_risk(degree)}
    for mode, n in (("reused", m), ("fresh", m * epochs)):
        x, y = TASK.samples(n, runs, seed)
        true, train, optimism, grad_error = _sgd(x, y, m, degree, batch_size, epochs, lr,
                                                 np.random.default_rng(seed), mode == "fresh")
        by_epoch = optimism.reshape(epochs, per_epoch, runs).mean(axis=1)   # (epochs, runs)
        bias = grad_error.reshape(epochs, per_epoch, runs, -1).mean(axis=1)  # (epochs, runs, p)
        # the mean gradient error over runs, in units of its own standard error
        z = (np.linalg.norm(bias.mean(axis=1), axis=1)
             / np.sqrt(np.sum(bias.var(axis=1), axis=1) / runs))
        train_end = float(np.median(train[-1])) if len(train) else None
        out[mode] = {"true": np.median(true, axis=1), "train_end": train_end,
                     "optimism": by_epoch.mean(axis=1),
                     "optimism_se": by_epoch.std(axis=1) / np.sqrt(runs),
                     "bias_z": z, "true_end": float(np.median(true[-1]))}
    return out


def report_fresh_data(r: dict) -> str:
    lines = [f"SGD, degree {r['degree']}, minibatches of {r['batch_size']}, ε = {r['lr']:g}, "
             f"{r['epochs']} epochs of {r['per_epoch']} updates; {r['runs']} runs "
             f"(reused: the same m = {r['m']} examples every epoch; fresh: new examples)",
             "L(θ; B) − J*(θ) for the minibatch about to be used, mean ± standard error:"]
    for mode in ("reused", "fresh"):
        cells = "  ".join(f"{o:+.4f} ± {s:.4f}" for o, s in
                          zip(r[mode]["optimism"][:3], r[mode]["optimism_se"][:3], strict=True))
        lines.append(f"  {mode:>6}, epochs 1-3: {cells}")
    lines.append("mean gradient error ‖mean(ĝ − ∇J*)‖ in units of its standard error, "
                 "epochs 1-3:")
    for mode in ("reused", "fresh"):
        cells = "  ".join(f"{z:4.1f}" for z in r[mode]["bias_z"][:3])
        lines.append(f"  {mode:>6}: {cells}")
    lines.append(f"after {r['epochs']} epochs (median over runs): reused J = "
                 f"{r['reused']['train_end']:.4f}, J* = {r['reused']['true_end']:.4f}; fresh "
                 f"J* = {r['fresh']['true_end']:.4f}; best degree-{r['degree']} risk "
                 f"{r['best']:.4f}")
    return "\n".join(lines)


def figure_fresh_data(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.6))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        for i, mode in enumerate(("reused", "fresh")):
            k = np.arange(len(r[mode]["true"])) / r["per_epoch"]
            left.plot(k, r[mode]["true"], color=PALETTE[i], marker=plotting.MARKERS[i],
                      markevery=0.1, label=f"{mode}: J*")
            epochs = np.arange(1, r["epochs"] + 1)
            right.errorbar(epochs + 0.15 * i, r[mode]["optimism"],
                           yerr=2 * r[mode]["optimism_se"], color=PALETTE[i],
                           marker=plotting.MARKERS[i], linestyle="none", capsize=3,
                           label=mode)
        left.axhline(r["best"], color="black", linestyle="--", linewidth=1.2,
                     label="best degree-12 risk")
        left.set_yscale("log")
        left.yaxis.set_minor_locator(NullLocator())
        left.set_ylim(0.04, 0.35)
        ticks = [0.05, 0.1, 0.2, 0.3]
        left.set_yticks(ticks, [f"{t:g}" for t in ticks])
        left.set_xlabel("epoch")
        left.set_ylabel("median true risk J*")
        left.set_title("the same examples again, or new ones")
        left.legend(loc="upper right")
        right.axhline(0.0, color="black", linewidth=1.0)
        right.set_xlabel("epoch")
        right.set_ylabel("L(θ; B) − J*(θ)")
        right.set_title("loss of the next minibatch minus the true risk (± 2 SE)")
        right.legend(loc="center right")
    return fig
