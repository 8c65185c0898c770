"""Notebook 03, §6: the minibatch gradient's error falls as 1/√m.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...rates import loglog_slope
from .running_example import task


def gradient_noise(batch_sizes=(1, 4, 16, 64, 256), draws: int = 2000, seed: int = 0) -> dict:
    """RMS distance between a minibatch gradient and the full gradient, at θ₀.

    Each minibatch holds distinct examples (drawn without replacement, as within an epoch),
    so the variance is σ²/m times the finite-population correction (n − m)/(n − 1), where
    σ² = tr Cov(∇L⁽ⁱ⁾) over the n training examples. ``slope``: the fitted log-log slope of
    the measured RMS error against m; ``slope_corrected``: the same after dividing out
    √((n − m)/(n − 1)).
    """
    t = task()
    theta = t.theta0
    per_example = t.X * (t.X @ theta - t.y)[:, None]          # ∇θ L⁽ⁱ⁾ at θ
    full = per_example.mean(axis=0)
    sigma2 = float(np.mean(np.sum((per_example - full) ** 2, axis=1)))
    rng = np.random.default_rng(seed)
    n = t.n
    rms, theory, fpc = [], [], []
    for m in batch_sizes:
        index = np.argsort(rng.random((draws, n)), axis=1)[:, :m]   # distinct examples
        errors = per_example[index].mean(axis=1) - full
        rms.append(float(np.sqrt(np.mean(np.sum(errors ** 2, axis=1)))))
        fpc.append(math.sqrt((n - m) / (n - 1)))
        theory.append(math.sqrt(sigma2 / m) * fpc[-1])
    rms, fpc = np.array(rms), np.array(fpc)
    sizes = np.array(batch_sizes, dtype=float)
    fits = len(sizes) >= 2 and np.all(rms > 0)
    return {"batch_sizes": sizes, "rms": rms, "theory": np.array(theory), "fpc": fpc,
            "sigma": math.sqrt(sigma2), "n": n, "draws": draws,
            "slope": loglog_slope(sizes, rms) if fits else math.nan,
            "slope_corrected": loglog_slope(sizes, rms / fpc) if fits else math.nan}


def report_gradient_noise(r: dict) -> str:
    """The measured error of the minibatch gradient beside σ/√m, with and without the
    finite-population correction, and the fitted slopes."""
    lines = [f"σ (one example) = {r['sigma']:.3f}, n = {r['n']}",
             f"{'m':>5} {'measured':>9} {'σ/√m':>7} {'with (n−m)/(n−1)':>17}"]
    for m, rms, fpc in zip(r["batch_sizes"], r["rms"], r["fpc"], strict=True):
        lines.append(f"{m:5.0f} {rms:9.3f} {r['sigma'] / np.sqrt(m):7.3f} "
                     f"{r['sigma'] / np.sqrt(m) * fpc:17.3f}")
    lines.append(f"fitted slope: {r['slope']:.3f}; after dividing out the correction: "
                 f"{r['slope_corrected']:.3f}   (theory −0.5)")
    return "\n".join(lines)


def figure_gradient_noise(result: dict):
    """The measured RMS error against m, with σ/√m and σ/√m · √((n−m)/(n−1))."""
    fig = plotting.figure(figsize=(7.5, 4.6))
    with plotting.style():
        ax = fig.subplots()
        m = result["batch_sizes"]
        ax.loglog(m, result["rms"], color=plotting.PALETTE[0], marker="o", linestyle="none",
                  markersize=9, label=f"measured (slope {result['slope']:.3f})")
        ax.loglog(m, result["sigma"] / np.sqrt(m), color=plotting.PALETTE[1], marker="none",
                  linestyle="--", label="σ/√m")
        ax.loglog(m, result["theory"], color=plotting.PALETTE[2], marker="none",
                  linestyle=":", label="σ/√m · √((n−m)/(n−1))")
        ax.set_xlabel("minibatch size m")
        ax.set_ylabel("RMS ‖ĝ − g‖")
        ax.set_title("gradient noise")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.legend(fontsize=11)
    return fig
