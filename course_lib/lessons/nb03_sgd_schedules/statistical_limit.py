"""Notebook 03, §6: why O(1/k) is all an optimizer of the training cost can usefully give.

Linear regression on a stream of fresh examples, y = xᵀθ* + σ·noise with x ~ N(0, Σ): the
excess *true* risk of any θ is ½ (θ − θ*)ᵀ Σ (θ − θ*) (``data.true_risk_linear``). Any
unbiased estimate of θ* from k examples has covariance at least σ² (kΣ)⁻¹ (the Cramér–Rao
bound: the Fisher information of k examples is kΣ/σ²), so its expected excess risk is at
least ½σ²d/k. Exact least squares on the k examples gets ½σ²d/(k − d − 1) (Gaussian x);
one pass of SGD, touching each example once, gets the same 1/k: with the iterates averaged
(Polyak–Ruppert) it reaches the bound itself. An optimizer that drives the *training* cost
down faster, batch gradient descent on a fixed training set, only converges faster to a
least-squares fit that is no better than the bound of its examples (Bottou & Bousquet 2008).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import data, plotting
from ...rates import loglog_slope
from ..common.cache import cached
from .running_example import FIGSIZE, _covariance

WELL_CONDITIONED = (1.0, 1.0, 0.5, 0.5)     # the strongly convex problem of §5
NOISE = 1.0
FIT_FROM = 1000            # slopes fitted once the start is forgotten (averaging: ~1/k²)


@functools.lru_cache(maxsize=2)
def stream(examples: int = 10_000, runs: int = 256, first_seed: int = 1000,
           eigenvalues=WELL_CONDITIONED, noise: float = NOISE):
    """``runs`` independent streams of ``examples`` examples: X (runs, k, d), y (runs, k),
    θ* (runs, d) and Σ; each run its own θ* drawn from N(0, I) (cached: read-only)."""
    cov = _covariance(eigenvalues)
    drawn = [data.linear_regression_data(examples, len(eigenvalues), noise, first_seed + r,
                                         cov=cov) for r in range(runs)]
    X, y, theta_star = (np.stack(parts) for parts in zip(*drawn, strict=True))
    return X, y, theta_star, cov


def _excess(theta, theta_star, cov) -> np.ndarray:
    D = theta - theta_star
    return 0.5 * np.einsum("ri,ij,rj->r", D, cov, D)


@cached
def compute_statistical_limit(examples: int = 10_000, runs: int = 256, gd_n: int = 1000,
                              k0: int = 20, c: float = 2.0, avg_eps0: float = 0.5) -> dict:
    """Mean excess true risk (over ``runs`` streams) after k examples, at log-spaced k:

    - ``bound``: the Cramér–Rao bound ½σ²d/k; ``ols_theory``: ½σ²d/(k − d − 1);
    - ``ols``: exact least squares on the first k examples;
    - ``sgd_last``: one pass of SGD (minibatch 1), ε_k = c/(μ(k + k₀)), the last iterate;
    - ``sgd_avg``: one pass of SGD, ε_k = ε₀/√k, the running average of the iterates;
    - ``gd``: batch gradient descent on the first ``gd_n`` examples at its best constant
      ε = 2/(λ_min + λ_max) of that training set, ``gd_examples`` processed after each step.

    Every run starts at θ₀ = 0.
    """
    X, y, theta_star, cov = stream(examples, runs)
    d = X.shape[2]
    record = np.unique(np.geomspace(10, examples, 30).astype(int))
    wanted = {int(k): i for i, k in enumerate(record)}
    mu = float(np.linalg.eigvalsh(cov)[0])
    last, plain, avg = (np.zeros((runs, d)) for _ in range(3))
    sgd_last, sgd_avg = np.zeros(len(record)), np.zeros(len(record))
    for k in range(1, examples + 1):
        x, target = X[:, k - 1], y[:, k - 1]                # example k, seen once
        residual = np.einsum("rd,rd->r", x, last) - target
        last = last - c / (mu * (k + k0)) * residual[:, None] * x      # θ ← θ − ε_k g
        residual = np.einsum("rd,rd->r", x, plain) - target
        plain = plain - avg_eps0 / math.sqrt(k) * residual[:, None] * x
        avg = avg + (plain - avg) / k                                  # θ̄_k, the running mean
        if k in wanted:
            sgd_last[wanted[k]] = _excess(last, theta_star, cov).mean()
            sgd_avg[wanted[k]] = _excess(avg, theta_star, cov).mean()
    # the normal equations of the first k examples, accumulated between the recorded k
    gram, moment, done, fits = np.zeros((runs, d, d)), np.zeros((runs, d)), 0, {}
    for k in sorted({*record.tolist(), gd_n}):
        gram += np.einsum("rki,rkj->rij", X[:, done:k], X[:, done:k])
        moment += np.einsum("rki,rk->ri", X[:, done:k], y[:, done:k])
        done = k
        fits[k] = (gram.copy(), moment.copy())

    def least_squares(k, spread=False):
        fit = np.linalg.solve(fits[k][0], fits[k][1][..., None])[..., 0]
        excess = _excess(fit, theta_star, cov)
        return float(excess.std(ddof=1) / math.sqrt(runs)) if spread else float(excess.mean())

    ols = np.array([least_squares(int(k)) for k in record])
    # batch gradient descent on the first gd_n examples (a fixed training set)
    H, b = fits[gd_n][0] / gd_n, fits[gd_n][1] / gd_n                  # (runs, d, d), (runs, d)
    lam = np.linalg.eigvalsh(H)
    eps = 2.0 / (lam[:, 0] + lam[:, -1])
    theta, gd = np.zeros((runs, d)), [_excess(np.zeros((runs, d)), theta_star, cov).mean()]
    for _ in range(examples // gd_n):
        g = np.einsum("rij,rj->ri", H, theta) - b                       # the full gradient
        theta = theta - eps[:, None] * g
        gd.append(_excess(theta, theta_star, cov).mean())
    bound = 0.5 * NOISE ** 2 * d / record
    fit = record >= FIT_FROM
    return {"k": record, "bound": bound, "ols": ols,
            "ols_theory": 0.5 * NOISE ** 2 * d / (record - d - 1),
            "ols_se": least_squares(examples, spread=True),    # its standard error at the end
            "sgd_last": sgd_last, "sgd_avg": sgd_avg,
            "gd": np.array(gd), "gd_examples": gd_n * np.arange(len(gd)), "gd_n": gd_n,
            "gd_limit": least_squares(gd_n),
            "mu": mu, "d": d, "runs": runs, "examples": examples, "k0": k0, "c": c,
            "avg_eps0": avg_eps0,
            "slopes": {key: loglog_slope(record[fit], value[fit]) if fit.sum() >= 2 else math.nan
                       for key, value in
                       (("ols", ols), ("sgd_last", sgd_last), ("sgd_avg", sgd_avg))}}


def report_statistical_limit(r: dict) -> str:
    """The excess true risk of each estimate after all the examples, beside the bound."""
    k, bound = r["examples"], r["bound"][-1]
    steps = len(r["gd"]) - 1
    rows = [
        ("Cramér–Rao bound ½σ²d/k", bound, ""),
        ("exact least squares on the k examples", r["ols"][-1],
         f"theory ½σ²d/(k − d − 1) = {r['ols_theory'][-1]:.3e}"),
        (f"one-pass SGD, ε_k = {r['avg_eps0']:g}/√k, averaged", r["sgd_avg"][-1],
         f"{r['sgd_avg'][-1] / bound:.2f} × the bound, {r['sgd_avg'][-1] / r['ols'][-1]:.2f} × "
         "least squares"),
        (f"one-pass SGD, ε_k = {r['c']:g}/(μ(k + {r['k0']})), last iterate", r["sgd_last"][-1],
         f"{r['sgd_last'][-1] / bound:.2f} × the bound"),
        (f"batch GD, {steps} steps on n = {r['gd_n']:,} examples", r["gd"][-1],
         f"least squares on those {r['gd_n']:,}: {r['gd_limit']:.3e}"),
    ]
    width = max(len(name) for name, _, _ in rows)
    lines = [f"excess true risk after k = {k:,} examples (σ = {NOISE:g}, d = {r['d']}, "
             f"mean of {r['runs']} runs):"]
    lines += [f"  {name:<{width}}  {value:.3e}" + (f"   ({note})" if note else "")
              for name, value, note in rows]
    slopes = r["slopes"]
    lines.append(f"fitted slopes for k ≥ {FIT_FROM:,}: least squares {slopes['ols']:.2f}, "
                 f"averaged SGD {slopes['sgd_avg']:.2f}, last iterate {slopes['sgd_last']:.2f}"
                 "  (theory −1)")
    return "\n".join(lines)


def figure_statistical_limit(r: dict):
    """Excess true risk against examples seen, on log-log axes."""
    fig = plotting.figure(figsize=FIGSIZE)
    with plotting.style():
        ax = fig.subplots()
        k = r["k"]
        ax.loglog(k, r["bound"], color="#555555", linestyle=":", marker="none", linewidth=2.2,
                  label="Cramér–Rao bound ½σ²d/k")
        for i, (key, label) in enumerate((("ols", "exact least squares"),
                                          ("sgd_avg", "one-pass SGD, averaged"),
                                          ("sgd_last", "one-pass SGD, last iterate"))):
            ax.loglog(k, r[key], color=plotting.PALETTE[i], marker=plotting.MARKERS[i],
                      markevery=3, linewidth=1.8, label=label)
        x = r["gd_examples"][1:]
        ax.loglog(x, r["gd"][1:], color=plotting.PALETTE[3], marker=plotting.MARKERS[3],
                  linewidth=1.8, label=f"batch GD on n = {r['gd_n']:,}")
        ax.set_xlabel("examples processed k")
        ax.set_ylabel("excess true risk")
        ax.set_title("no estimate from k examples beats ~1/k")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.legend(loc="lower left", ncols=2)
    return fig
