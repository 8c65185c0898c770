"""Notebook 01, §4: batch against minibatch (8.1.3): the σ/√m law, and redundant data.

``compute_standard_errors``: minibatches of m fresh examples of ``risk.PolynomialTask`` at
θ = 0 (degree 9); each minibatch gradient is compared with the exact true-risk gradient
∇J*(θ) = θ − c, the theory σ/√m uses the exact σ. ``compute_redundancy``: the digits 3 and 8
with the training set copied k = 1, 10, 100 times: the same gradients, the same minibatch
noise, and the examples gradient descent and SGD read to reach a training loss of 0.05.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...data import digits
from ...minibatch_stats import (
    duplicate,
    per_example_gradients,
    run_on_batches,
    standard_error,
    standard_error_vs_batch_size,
    stream_batches,
)
from ...objectives import LogisticRegression, add_bias
from ...optim import SGD
from ...risk import PolynomialTask
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE
TASK = PolynomialTask()
SE_SIZES = (1, 10, 100, 1000)


def compute_standard_errors(sizes=SE_SIZES, degree: int = 9, n_batches: int = 400,
                            seed: int = 0) -> dict:
    """RMS error ‖ĝ − ∇J*(θ)‖ of ``n_batches`` minibatch gradients of m fresh examples each."""
    theta = np.zeros(degree + 1)
    truth = TASK.true_grad(theta)
    sigma = float(np.sqrt(TASK.gradient_variance(theta)))
    measured = []
    for m in sizes:
        x, y = TASK.sample(n_batches * m, seed=seed * 10_000 + m)
        rows = TASK.per_example_grads(theta, x, y).reshape(n_batches, m, -1)
        measured.append(standard_error(rows.mean(axis=1), truth))   # ĝ = (1/m) Σ ∇L⁽ⁱ⁾
    sizes = np.array(sizes)
    return {"sizes": sizes, "measured": np.array(measured), "theory": sigma / np.sqrt(sizes),
            "sigma": sigma, "n_batches": n_batches, "degree": degree,
            "grad_norm": float(np.linalg.norm(truth))}


def report_standard_errors(r: dict) -> str:
    lines = [f"minibatches of m fresh examples, degree {r['degree']}, θ = 0: ‖∇J*(θ)‖ = "
             f"{r['grad_norm']:.3f}, σ = {r['sigma']:.3f} (exact); {r['n_batches']} "
             f"minibatches per m",
             f"{'m':>6} {'measured RMS error':>19} {'σ/√m':>8} {'ratio':>6}"]
    for m, se, th in zip(r["sizes"], r["measured"], r["theory"], strict=True):
        lines.append(f"{m:6d} {se:19.4f} {th:8.4f} {se / th:6.3f}")
    i, j = list(r["sizes"]).index(10), list(r["sizes"]).index(1000)
    ratio = r["measured"][i] / r["measured"][j]
    lines.append(f"100 times more examples (m = 10 → 1000): error {ratio:.2f} times smaller")
    return "\n".join(lines)


def figure_standard_errors(r: dict):
    fig = plotting.figure(figsize=(7.5, 4.6))
    with plotting.style():
        ax = fig.add_subplot()
        ax.plot(r["sizes"], r["measured"], color=PALETTE[0], marker="o", linestyle="none",
                markersize=10, label="measured")
        ax.plot(r["sizes"], r["theory"], color=PALETTE[1], marker="none", label="σ/√m")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("minibatch size m")
        ax.set_ylabel("RMS error of ĝ")
        ax.set_title("standard error of the minibatch gradient")
        ax.legend()
    return fig


# --- redundant data ------------------------------------------------------------------------------
COPIES = (1, 10, 100)
TARGET_LOSS = 0.05
REDUNDANCY_LR, REDUNDANCY_BATCH = 2.0, 32


def _steps_to(losses, target) -> int | None:
    below = np.flatnonzero(np.asarray(losses) <= target)
    return int(below[0]) if below.size else None


@cached
def compute_redundancy(copies=COPIES, batch_size: int = REDUNDANCY_BATCH,
                       lr: float = REDUNDANCY_LR, target: float = TARGET_LOSS,
                       max_steps: int = 300, seed: int = 0) -> dict:
    """For each k: the largest difference between the full gradients of the copied and the
    original set, the minibatch standard error (b examples without replacement), and the
    steps and examples that gradient descent and SGD need to reach the training loss
    ``target`` (the copied set's loss equals the original's, so it is measured on the
    original)."""
    split = digits(classes=(3, 8))
    X, y = add_bias(split.X_train), split.y_train
    base = LogisticRegression(X, y)
    theta = np.zeros(base.dim)
    rows = per_example_gradients(base, theta)
    rows_table = []
    for k in copies:
        f = LogisticRegression(*duplicate(X, y, k))
        grad_gap = float(np.max(np.abs(f.grad(theta) - base.grad(theta))))
        noise = standard_error_vs_batch_size(np.tile(rows, (k, 1)), [batch_size], seed=seed,
                                             replace=False)
        gd = minimize(f, SGD(lr=lr), theta, max_steps, warn=False,
                      callback=lambda step, th, state: base.loss(th) <= target)
        gd_steps = _steps_to(gd.losses, target)
        epochs = int(np.ceil(max_steps * batch_size / f.n_examples))
        batches = stream_batches(f.n_examples, batch_size, "shuffled", epochs=epochs,
                                 rng=seed)[:max_steps]
        sgd = run_on_batches(f, SGD(lr=lr), theta, batches, monitor=base.loss)
        sgd_steps = _steps_to(sgd["losses"], target)
        rows_table.append({"k": k, "n": f.n_examples, "grad_gap": grad_gap,
                           "se": float(noise["measured"][0]),
                           "se_theory": float(noise["theory"][0]),
                           "gd_steps": gd_steps, "gd_examples": gd_steps * f.n_examples,
                           "sgd_steps": sgd_steps, "sgd_examples": sgd_steps * batch_size})
    return {"rows": rows_table, "batch_size": batch_size, "lr": lr, "target": target,
            "distinct": base.n_examples}


def report_redundancy(r: dict) -> str:
    b = r["batch_size"]
    lines = [f"digits 3 against 8, logistic regression, {r['distinct']} distinct training "
             f"images copied k times; ε = {r['lr']:g}; target: training loss ≤ {r['target']:g}",
             f"{'k':>4} {'examples':>9} {'max |Δ full grad|':>18} {'SE, b = ' + str(b):>9} "
             f"{'theory':>7} "
             f"{'GD steps':>9} {'GD examples':>12} {'SGD steps':>10} {'SGD examples':>13}"]
    for row in r["rows"]:
        lines.append(f"{row['k']:4d} {row['n']:9d} {row['grad_gap']:18.1e} {row['se']:9.3f} "
                     f"{row['se_theory']:7.3f} "
                     f"{row['gd_steps']:9d} {row['gd_examples']:12,d} {row['sgd_steps']:10d} "
                     f"{row['sgd_examples']:13,d}")
    return "\n".join(lines)
