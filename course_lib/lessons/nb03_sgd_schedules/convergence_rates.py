"""Notebook 03, §5: SGD's excess error falls as O(1/√k) on a convex problem (ε_k ∝ 1/√k) and
as O(1/k) on a strongly convex one (ε_k ∝ 1/k), fitted on log-log axes.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import data, plotting, schedules
from ...rates import loglog_slope
from .running_example import FIGSIZE, mean_curve, sgd_runs, task


@functools.lru_cache(maxsize=4)
def absolute_error_task(n: int = 2000, dim: int = 4, seed: int = 1):
    """Noiseless data for least absolute deviations: J(θ) = mean |xᵀθ − y|, J* = 0.

    J is convex but not strongly convex: it grows like a cone (linearly) away from θ*, and
    its per-example gradients sign(xᵀθ − y) x do not shrink near θ*.
    """
    X, y, theta_true = data.linear_regression_data(n, dim, 0.0, seed)
    return X, y, theta_true


WELL_CONDITIONED = (1.0, 1.0, 0.5, 0.5)


def rate_slopes(steps: int = 10_000, runs: int = 64, fit_from: int = 100, k0: int = 20,
                c: float = 2.0, convex_eps0: float = 0.2) -> dict:
    """Mean excess error of SGD (minibatch 1, sampled with replacement) at log-spaced k.

    - strongly convex: linear regression with feature variances ``WELL_CONDITIONED``
      (μ = λ_min(H) ≈ 0.46), ε_k = c/(μ (k + k₀)), i.e. ``InverseTime(c/(μ k₀), k₀)``;
    - convex, not strongly convex: least absolute deviations on noiseless data, with
      ε_k = ε₀/√k, excess measured at the last iterate.

    Slopes are least-squares fits of log(excess) on log(k) for k ≥ ``fit_from``.
    """
    record = np.unique(np.geomspace(1, steps, 40).astype(int))
    seeds = range(runs)
    # strongly convex
    t = task(eigenvalues=WELL_CONDITIONED)
    mu = float(np.linalg.eigvalsh(t.H)[0])
    strong_schedule = schedules.InverseTime(c / (mu * k0), k0)
    strong = mean_curve(sgd_runs(t, strong_schedule, 1, seeds, steps, record=record))
    # convex: least absolute deviations, last iterate
    X, y, theta_true = absolute_error_task()
    eps0 = convex_eps0
    rng = np.random.default_rng(0)
    index = rng.integers(0, X.shape[0], size=(steps, runs))
    theta = np.zeros((runs, X.shape[1]))
    convex, wanted = [], set(record.tolist())
    for k in range(1, steps + 1):
        Xb = X[index[k - 1]]                                  # (runs, d)
        g = np.sign(np.einsum("rd,rd->r", Xb, theta) - y[index[k - 1]])[:, None] * Xb
        theta = theta - eps0 / math.sqrt(k) * g               # θ ← θ − ε_k g
        if k in wanted:
            convex.append(np.mean(np.abs(theta @ X.T - y)))   # J(θ_k) − J*, J* = 0
    convex = np.array(convex)
    fit = record >= fit_from
    return {"k": record, "strong": strong, "convex": convex, "mu": mu,
            "strong_slope": loglog_slope(record[fit], strong[fit]),
            "convex_slope": loglog_slope(record[fit], convex[fit]),
            "fit_from": fit_from, "runs": runs, "strong_schedule": strong_schedule,
            "convex_eps0": eps0}


def report_rate_slopes(r: dict) -> str:
    """The fitted log-log slopes beside the theory's −1 and −1/2."""
    return "\n".join([
        f"strongly convex, ε_k = 2/(μ(k + 20)), μ = {r['mu']:.3f}: "
        f"fitted slope {r['strong_slope']:.3f}   (theory −1)",
        f"convex, ε_k = {r['convex_eps0']:g}/√k, last iterate:          "
        f"fitted slope {r['convex_slope']:.3f}   (theory −0.5)"])


def figure_rate_slopes(result: dict):
    """Both excess errors on log-log axes, with reference lines of slope −1/2 and −1."""
    fig = plotting.figure(figsize=FIGSIZE)
    with plotting.style():
        ax = fig.subplots()
        k = result["k"]
        for key, color, marker, label, slope in (
                ("convex", plotting.PALETTE[3], "s", "convex (absolute error), ε_k ∝ 1/√k",
                 result["convex_slope"]),
                ("strong", plotting.PALETTE[0], "o",
                 "strongly convex (least squares), ε_k ∝ 1/k", result["strong_slope"])):
            ax.loglog(k, result[key], color=color, marker=marker, linestyle="-",
                      label=f"{label}: slope {slope:.2f}")
            anchor = result[key][-1]
            ref = -0.5 if key == "convex" else -1.0
            ax.loglog(k, anchor * (k / k[-1]) ** ref, color=color, linestyle=":",
                      marker="none", linewidth=1.5)
        ax.axvline(result["fit_from"], color="#999999", linestyle="--", marker="none",
                   linewidth=1)
        ax.set_xlabel("step k")
        ax.set_ylabel("J(θ_k) − J*  (mean of runs)")
        ax.set_title("excess error; dotted: slopes −1/2 and −1")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.legend()
    return fig
