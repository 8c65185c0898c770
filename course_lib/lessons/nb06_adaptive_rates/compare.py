"""Notebook ``06_adaptive_rates``, section 8.5.4 "Choosing the right optimization algorithm":
seven optimizers on five problems, each with its learning rate tuned by a grid search.

For every (problem, optimizer) pair, every ε of the grid gets a run with the same budget of
gradient evaluations, the same start and (for minibatch problems) the same minibatches; the
score of a run is the mean of max(J(θ) − J*, 10⁻¹²) over the last tenth of the budget
(which smooths the minibatch noise; below 10⁻¹² the differences are rounding, not progress,
so every such value counts as the floor), ``inf`` if it diverged; the pair's score is that of
its best ε. Methods that reach the floor on a problem share the win.

AdaDelta has no learning rate in Zeiler's paper (a global factor ε = 1); here its ε is tuned
on the same grid like every other method's, and the untuned AdaDelta (ε = 1) runs beside
vSGD, once each, with the same number of gradient evaluations (vSGD: two per step).

The problems are chosen to differ in the two things the methods differ in: whether the
badly scaled directions are the coordinate axes (what a per-parameter rate can fix) and
whether the gradient is noisy.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap

from ... import data, plotting
from ...objectives import MLP, LogisticRegression, Quadratic, Rosenbrock, add_bias
from ...optim import (
    SGD,
    VSGD,
    AdaDelta,
    AdaGrad,
    Adam,
    Momentum,
    RMSProp,
    RMSPropNesterov,
)
from ...run import minimize
from ..common.cache import cached

OPTIMIZERS = {
    "SGD": lambda lr: SGD(lr=lr),
    "momentum": lambda lr: Momentum(lr=lr, alpha=0.9),
    "AdaGrad": lambda lr: AdaGrad(lr=lr),
    "RMSProp": lambda lr: RMSProp(lr=lr, rho=0.9),
    "RMSProp+Nesterov": lambda lr: RMSPropNesterov(lr=lr, rho=0.9, alpha=0.9),
    "AdaDelta": lambda lr: AdaDelta(lr=lr, rho=0.95),
    "Adam": lambda lr: Adam(lr=lr),
}
# run once each, untuned: (optimizer, gradient evaluations per step)
UNTUNED = {
    "AdaDelta, ε = 1": (lambda: AdaDelta(rho=0.95), 1),
    "vSGD": (lambda: VSGD(curvature="fd"), 2),
}


GRID = tuple(float(10.0 ** e) for e in np.arange(-3.5, 1.51, 0.5))   # 3.2e-4 … 32
BUDGET = 120            # gradient evaluations per run
TAIL = 0.1              # the score averages J − J* over this last share of the budget
FLOOR = 1e-12           # J − J* below this is rounding, not progress: it counts as FLOOR


# --- the problems ----------------------------------------------------------------------------
def _logistic():
    """Two Gaussian classes plus four uninformative inputs, the six inputs on scales from
    0.1 to 10 (so the badly scaled directions are the axes), and a bias; l2 = 1e-3."""
    X, y = data.two_gaussians(300, seed=0, separation=2.0)
    rng = np.random.default_rng(1)
    X = np.column_stack([X, rng.standard_normal((300, 4))]) * np.array(
        [1.0, 10.0, 0.1, 3.0, 0.3, 1.0])
    f = LogisticRegression(add_bias(X), y, l2=1e-3)
    return f, np.zeros(f.dim)


def _mlp():
    """A 2-6-1 tanh network on 60 two-moons points (logistic loss), Glorot start, seed 0."""
    X, y = data.two_moons(60, noise=0.1, seed=0)
    f = MLP(X, y, hidden=(6,), loss="logistic")
    return f, f.init_theta(0)


# name -> (factory returning (objective, θ₀), minibatch size or None, J* or None to compute)
PROBLEMS = {
    "bowl κ = 100, axis-aligned": (
        lambda: (Quadratic((1.0, 100.0)), np.array([2.0, 1.0])), None, 0.0),
    "bowl κ = 100, rotated 30°": (
        lambda: (Quadratic((1.0, 100.0), angle=math.pi / 6), np.array([2.0, 1.0])), None, 0.0),
    "Rosenbrock": (lambda: (Rosenbrock(), np.array([-1.5, 2.0])), None, 0.0),
    "logistic regression, m = 20": (_logistic, 20, None),
    "MLP 2-6-1, two moons, m = 10": (_mlp, 10, 0.0),
}


SHORT = {"bowl κ = 100, axis-aligned": "bowl, axes", "bowl κ = 100, rotated 30°": "bowl, rotated",
         "Rosenbrock": "Rosenbrock", "logistic regression, m = 20": "logistic",
         "MLP 2-6-1, two moons, m = 10": "MLP"}


@functools.cache
def logistic_j_star() -> float:
    """J* of the logistic problem: full-batch Adam with a decaying rate run to ‖∇J‖∞ ≤ 1e-8
    (the loss is strictly convex thanks to l2, so this is the minimum)."""
    f, theta0 = _logistic()
    trace = minimize(f, Adam(lr=lambda t: 0.05 / math.sqrt(t)), theta0, 20_000, tol=1e-8)
    return float(trace.loss)


def problem(name: str):
    """(objective, θ₀, batch size, J*) of the problem called ``name``."""
    if name not in PROBLEMS:
        raise ValueError(f"problem must be one of {list(PROBLEMS)}, got {name!r}")
    factory, batch, j_star = PROBLEMS[name]
    f, theta0 = factory()
    return f, theta0, batch, (logistic_j_star() if j_star is None else j_star)


def score(trace, j_star: float, budget: int, evals_per_step: int = 1) -> float:
    """Mean of max(J − J*, ``FLOOR``) over the last ``TAIL`` of the budget; inf if it diverged."""
    if trace.stop_reason == "diverged":
        return math.inf
    tail = max(1, round(TAIL * budget / evals_per_step))
    return float(np.mean(np.maximum(trace.losses[-tail:] - j_star, FLOOR)))


# --- the comparison --------------------------------------------------------------------------
@cached
def compute_comparison(problems=tuple(PROBLEMS), optimizers=tuple(OPTIMIZERS), grid=GRID,
                       budget: int = BUDGET, seed: int = 0) -> dict:
    """Grid-tuned scores of every optimizer on every problem, and the untuned runs beside.

    ``winners[p]``: the optimizers with the lowest score on ``p`` (several when they share
    the floor). ``untuned[name][p]``: the score of each ``UNTUNED`` method.
    """
    cells, untuned = {}, {name: {} for name in UNTUNED}
    for pname in problems:
        f, theta0, batch, j_star = problem(pname)
        for oname in optimizers:
            scores = []
            for lr in grid:
                trace = minimize(f, OPTIMIZERS[oname](lr), theta0, budget, batch_size=batch,
                                 rng=seed, warn=False)
                scores.append(score(trace, j_star, budget))
            best = int(np.argmin(scores))
            cells[pname, oname] = {"scores": scores, "best": scores[best],
                                   "lr": grid[best],
                                   "edge": best in (0, len(grid) - 1) and math.isfinite(
                                       scores[best]) and scores[best] > FLOOR}
        for name, (make, per_step) in UNTUNED.items():
            trace = minimize(f, make(), theta0, budget // per_step, batch_size=batch,
                             rng=seed, warn=False)
            untuned[name][pname] = score(trace, j_star, budget, evals_per_step=per_step)
    winners = {}
    for p in problems:
        best = min(cells[p, o]["best"] for o in optimizers)
        winners[p] = tuple(o for o in optimizers if cells[p, o]["best"] == best)
    return {"problems": tuple(problems), "optimizers": tuple(optimizers), "grid": tuple(grid),
            "budget": budget, "cells": cells, "winners": winners, "untuned": untuned}


def decades_behind(r: dict) -> np.ndarray:
    """log₁₀(score / the problem's best score): 0 for the winners, inf for a method whose
    every ε diverged. Rows: optimizers, columns: problems."""
    out = np.zeros((len(r["optimizers"]), len(r["problems"])))
    for j, p in enumerate(r["problems"]):
        best = r["cells"][p, r["winners"][p][0]]["best"]
        for i, o in enumerate(r["optimizers"]):
            value = r["cells"][p, o]["best"]
            out[i, j] = math.inf if not math.isfinite(value) else math.log10(value / best)
    return out


def wins(r: dict) -> dict:
    """optimizer → the problems it wins (alone or sharing the floor)."""
    return {o: [p for p in r["problems"] if o in r["winners"][p]] for o in r["optimizers"]}


def report_comparison(r: dict) -> str:
    lo, hi = r["grid"][0], r["grid"][-1]
    tail = max(1, round(TAIL * r["budget"]))
    columns = [SHORT.get(p, p) for p in r["problems"]]
    lines = [f"{r['budget']} gradient evaluations per run; score: mean of max(J − J*, "
             f"{FLOOR:.0e}) over the last {tail}; ε tuned over {len(r['grid'])} values "
             f"{lo:.2g} … {hi:.2g} (half decades), the best ε in brackets (* at the grid's "
             "edge); ◀ the best on the problem",
             f"{'':17}" + "".join(f"{c:>19}" for c in columns)]
    for o in r["optimizers"]:
        cells = []
        for p in r["problems"]:
            cell = r["cells"][p, o]
            lr = f"({cell['lr']:.2g}{'*' if cell['edge'] else ''})"
            mark = " ◀" if o in r["winners"][p] else "  "
            cells.append(f"{cell['best']:.1e} {lr:>8}{mark}")
        lines.append(f"{o:17}" + "".join(f"{c:>19}" for c in cells))
    lines.append("untuned, the same number of gradient evaluations:")
    for name, row in r["untuned"].items():
        lines.append(f"{name:17}" + "".join(f" {row[p]:.1e}{'':11}" for p in r["problems"]))
    won = wins(r)
    lines.append("problems won (a shared win counts for each): "
                 + ", ".join(f"{o} {len(ps)}" for o, ps in won.items()))
    return "\n".join(lines)


def figure_comparison(r: dict):
    """Decades behind the best method, per (optimizer, problem); the colour bar covers every
    cell: the finite ones up to the largest, and a last grey bin for "every ε diverged"."""
    behind = decades_behind(r)
    finite = behind[np.isfinite(behind)]
    top = max(1.0, float(np.ceil(finite.max()))) if finite.size else 1.0
    steps = [0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0]
    bounds = [b for b in steps if b < top] + [top]
    blues = ["#0072B2", "#56B4E9", "#9ad0ec", "#cfe7f5", "#f4e7c1", "#F0E442", "#E69F00",
             "#D55E00", "#b2470b", "#8c3a09", "#6b2c06"]
    colours = blues[:len(bounds) - 1] + ["#7f7f7f"]
    bounds = bounds + [top + 1.0]                                   # the "diverged" bin
    shown = np.where(np.isfinite(behind), np.minimum(behind, top - 1e-9), top + 0.5)
    fig = plotting.figure(figsize=(9.6, 6.4))
    with plotting.style():
        ax = fig.add_subplot()
        mesh = ax.pcolormesh(shown, cmap=ListedColormap(colours),
                             norm=BoundaryNorm(bounds, len(colours)), edgecolors="white",
                             linewidth=2)
        for i in range(behind.shape[0]):
            for j in range(behind.shape[1]):
                b = behind[i, j]
                text = "best" if b == 0 else ("diverged" if not np.isfinite(b) else f"{b:.1f}")
                dark = b == 0 or not np.isfinite(b) or b >= 4
                ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=14,
                        color="white" if dark else "black")
        ax.set_xticks(np.arange(len(r["problems"])) + 0.5,
                      [SHORT.get(p, p) for p in r["problems"]], rotation=20, ha="right")
        ax.set_yticks(np.arange(len(r["optimizers"])) + 0.5, r["optimizers"])
        ax.invert_yaxis()
        ax.set_xlabel("problem")
        ax.set_ylabel("optimizer, each with its best ε")
        ax.set_title("decades behind the best method on each problem")
        ticks = [(a + b) / 2 for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        bar = fig.colorbar(mesh, ax=ax, ticks=ticks)
        bar.ax.set_yticklabels([f"{a:g}–{b:g}" for a, b in zip(bounds[:-2], bounds[1:-1],
                                                                strict=True)] + ["diverged"])
        bar.set_label("log₁₀(score / best score)")
        ax.grid(False)
    return fig
