"""Notebook 03, §4: the best ε₀ for the final cost is higher than the best ε₀ read after the
first 100 iterations.
"""

from __future__ import annotations

import numpy as np

from ... import plotting, schedules
from .running_example import FIGSIZE, sgd_runs, task


def best_initial_rate(eps0s=None, steps: int = 1000, early: int = 100, batch_size: int = 1,
                      seeds=range(32)) -> dict:
    """Sweep ε₀ of the linear schedule (ε_τ = ε₀/100, τ = ``steps``).

    For every ε₀ the mean J − J* over ``seeds`` at step ``early`` and at the last step; the
    best ε₀ by each. Runs that blow up count as +inf.
    """
    eps0s = np.geomspace(0.005, 0.5, 21) if eps0s is None else np.asarray(eps0s, float)
    seeds = list(seeds)
    k = np.arange(1, steps + 1, dtype=float)
    lrs = np.concatenate([np.tile(schedules.LinearDecay(e, steps, e / 100)(k),
                                  (len(seeds), 1)) for e in eps0s])
    excess = sgd_runs(task(), lrs, batch_size, seeds * len(eps0s), steps,
                      record=[early, steps])
    by_rate = excess.reshape(2, len(eps0s), len(seeds))
    with np.errstate(all="ignore"):
        means = np.where(np.all(np.isfinite(by_rate), axis=2), by_rate.mean(axis=2), np.inf)
    at_early, at_final = means
    return {"eps0s": eps0s, "early": at_early, "final": at_final, "early_step": early,
            "steps": steps, "best_early": float(eps0s[np.argmin(at_early)]),
            "best_final": float(eps0s[np.argmin(at_final)]),
            "n_seeds": len(seeds)}


def report_best_initial_rate(r: dict) -> str:
    """The best ε₀ judged early and at the end, and what the early choice costs."""
    i_early = int(np.argmin(r["early"]))
    return "\n".join([
        f"best ε₀ judged after {r['early_step']} steps: {r['best_early']:.3f}",
        f"best ε₀ judged at the end ({r['steps']} steps): {r['best_final']:.3f}",
        f"ratio: {r['best_final'] / r['best_early']:.1f}",
        f"with the early choice the run ends at J − J* = {r['final'][i_early]:.4f}, "
        f"with the final choice at {r['final'].min():.4f}"])


def figure_best_initial_rate(result: dict):
    """J − J* after ``early`` steps and at the end, against ε₀, each best marked."""
    fig = plotting.figure(figsize=FIGSIZE)
    with plotting.style():
        left, right = fig.subplots(1, 2)
        for ax, key, step, color, best in (
                (left, "early", result["early_step"], plotting.PALETTE[1], "best_early"),
                (right, "final", result["steps"], plotting.PALETTE[0], "best_final")):
            y = np.where(np.isfinite(result[key]), result[key], np.nan)
            ax.loglog(result["eps0s"], y, color=color, marker="o")
            ax.axvline(result[best], color="#555555", linestyle=":", marker="none",
                       linewidth=1.5)
            ax.set_xlabel("initial learning rate ε₀")
            ax.set_ylabel(f"J(θ_k) − J* at k = {step}")
            ax.set_title(f"after {step} steps: best ε₀ = {result[best]:.3g}")
    return fig
