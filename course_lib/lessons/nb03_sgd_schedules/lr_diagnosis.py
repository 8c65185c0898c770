"""Notebook 03, Exercise 4: choose ε₀ from the first 100 iterations (the book's advice).

A second regression problem (feature variances 3, 1, 0.1 and 0.02), trained with the linear
schedule for 2000 steps (ε_τ = ε₀/100, τ = 2000, minibatch 1). The learner sees only the
first ``EARLY`` iterations for six candidate ε₀ and picks one; the check runs the whole
schedule (``finals``) and compares the pick with the best candidate. The book's advice,
monitor the first iterations and take a rate *higher* than the one that looks best there,
but not so high that the run is unstable, picks a rate that ends near the best.

The checks import this module, so it imports no plotting code at module level.
"""

from __future__ import annotations

import functools

import numpy as np

from ... import schedules
from .running_example import mean_curve, sgd_runs, task

EIGENVALUES = (3.0, 1.0, 0.1, 0.02)
NOISE, DATA_SEED = 1.0, 7
CANDIDATES = (0.02, 0.05, 0.1, 0.2, 0.4, 0.8)
STEPS, EARLY = 2000, 100
TOLERANCE = 1.5          # a pick passes if it ends within 1.5× the best candidate's J − J*


def diagnosis_task():
    """The exercise's training set: n = 1000, four features with the variances above."""
    return task(n=1000, seed=DATA_SEED, eigenvalues=EIGENVALUES, noise=NOISE)


def _lrs(candidates, runs: int, steps: int) -> np.ndarray:
    k = np.arange(1, steps + 1, dtype=float)
    return np.concatenate([np.tile(schedules.LinearDecay(e, STEPS, e / 100)(k), (runs, 1))
                           for e in candidates])


def first_iterations(candidates=CANDIDATES, seeds=range(32), early: int = EARLY) -> dict:
    """Mean J(θ_k) − J* for k = 0 … ``early`` per candidate ε₀: what the learner sees."""
    seeds = list(seeds)
    excess = sgd_runs(diagnosis_task(), _lrs(candidates, len(seeds), early), 1,
                      seeds * len(candidates), early)
    curves = {e: mean_curve(excess[:, i * len(seeds):(i + 1) * len(seeds)])
              for i, e in enumerate(candidates)}
    at_early = {e: float(c[-1]) for e, c in curves.items()}
    return {"curves": curves, "at_early": at_early, "early": early, "n_seeds": len(seeds),
            "best_early": min(at_early, key=at_early.get), "start": float(curves[candidates[0]][0])}


@functools.lru_cache(maxsize=8)
def finals(seeds: tuple = tuple(range(32)), candidates=CANDIDATES) -> dict:
    """Mean J − J* after the whole schedule (``STEPS`` steps) per candidate ε₀ (cached)."""
    seeds = list(seeds)
    excess = sgd_runs(diagnosis_task(), _lrs(candidates, len(seeds), STEPS), 1,
                      seeds * len(candidates), STEPS, record=[STEPS])
    by_rate = excess.reshape(len(candidates), len(seeds))
    with np.errstate(all="ignore"):
        means = np.where(np.all(np.isfinite(by_rate), axis=1), by_rate.mean(axis=1), np.inf)
    return {e: float(m) for e, m in zip(candidates, means, strict=True)}


def report_first_iterations(r: dict) -> str:
    """The table the learner reads: J − J* after 10, 50 and 100 iterations per ε₀."""
    lines = [f"mean of {r['n_seeds']} runs; J(θ₀) − J* = {r['start']:.2f}",
             f"{'ε₀':>6} {'k = 10':>10} {'k = 50':>10} {'k = 100':>10}"]
    for e, curve in r["curves"].items():
        cells = "".join(f"{curve[k]:>11.3g}" for k in (10, 50, r["early"]))
        lines.append(f"{e:>6g}{cells}")
    return "\n".join(lines)


def figure_first_iterations(r: dict):
    """The first iterations' learning curves, one per candidate ε₀ (log scale)."""
    from matplotlib.ticker import NullLocator

    from ... import plotting

    fig = plotting.figure(figsize=(9.0, 4.6))
    with plotting.style():
        ax = fig.subplots()
        for i, (e, curve) in enumerate(r["curves"].items()):
            y = np.where(np.isfinite(curve), curve, np.nan)
            ax.plot(np.arange(len(curve)), y, color=plotting.PALETTE[i],
                    marker=plotting.MARKERS[i], markevery=10, linewidth=1.8, label=f"ε₀ = {e:g}")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(1e-1, 1e3)
        ax.set_xlabel("step k")
        ax.set_ylabel("J(θ_k) − J*  (mean of runs)")
        ax.set_title(f"the first {r['early']} iterations")
        ax.legend(loc="upper right", ncols=2)
    return fig
