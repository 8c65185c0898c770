"""Notebook ``06_adaptive_rates``, section 8.5.4 "Choosing the right optimization algorithm":
six optimizers on five problems, each with its learning rate tuned by a grid search.

For every (problem, optimizer) pair, every ε of the grid gets a run with the same budget of
gradient evaluations, the same start and (for minibatch problems) the same minibatches; the
score of a run is the mean of J(θ) − J* over the last tenth of the budget (which smooths
the minibatch noise), ``inf`` if it diverged; the pair's score is that of its best ε. vSGD
runs once, untuned, with the same number of gradient evaluations (two per step).

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
from ...optim import SGD, VSGD, AdaDelta, Adam, Momentum, RMSProp, RMSPropNesterov
from ...run import minimize

OPTIMIZERS = {
    "SGD": lambda lr: SGD(lr=lr),
    "momentum": lambda lr: Momentum(lr=lr, alpha=0.9),
    "RMSProp": lambda lr: RMSProp(lr=lr, rho=0.9),
    "RMSProp+Nesterov": lambda lr: RMSPropNesterov(lr=lr, rho=0.9, alpha=0.9),
    "AdaDelta": lambda lr: AdaDelta(lr=lr, rho=0.95),
    "Adam": lambda lr: Adam(lr=lr),
}


GRID = tuple(float(10.0 ** e) for e in np.arange(-3.5, 1.51, 0.5))   # 3.2e-4 … 32
BUDGET = 120            # gradient evaluations per run
TAIL = 0.1              # the score averages J − J* over this last share of the budget


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
    """Mean J − J* over the last ``TAIL`` of the budget; inf for a run that diverged."""
    if trace.stop_reason == "diverged":
        return math.inf
    tail = max(1, round(TAIL * budget / evals_per_step))
    return float(np.mean(trace.losses[-tail:]) - j_star)


# --- the comparison --------------------------------------------------------------------------
def compute_comparison(problems=tuple(PROBLEMS), optimizers=tuple(OPTIMIZERS), grid=GRID,
                       budget: int = BUDGET, seed: int = 0) -> dict:
    """Grid-tuned scores of every optimizer on every problem, and untuned vSGD beside them."""
    cells, vsgd = {}, {}
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
                                       scores[best])}
        trace = minimize(f, VSGD(curvature="fd"), theta0, budget // 2, batch_size=batch,
                         rng=seed, warn=False)
        vsgd[pname] = score(trace, j_star, budget, evals_per_step=2)
    winners = {p: min(optimizers, key=lambda o, p=p: cells[p, o]["best"]) for p in problems}
    return {"problems": tuple(problems), "optimizers": tuple(optimizers), "grid": tuple(grid),
            "budget": budget, "cells": cells, "winners": winners, "vsgd": vsgd}


def decades_behind(r: dict) -> np.ndarray:
    """log₁₀(score / the problem's best score): 0 for the winner, inf for a method whose
    every ε diverged. Rows: problems, columns: optimizers."""
    out = np.zeros((len(r["problems"]), len(r["optimizers"])))
    for i, p in enumerate(r["problems"]):
        best = r["cells"][p, r["winners"][p]]["best"]
        for j, o in enumerate(r["optimizers"]):
            value = r["cells"][p, o]["best"]
            out[i, j] = math.inf if not math.isfinite(value) else math.log10(
                max(value, 1e-300) / max(best, 1e-300))
    return out


def report_comparison(r: dict) -> str:
    opts = r["optimizers"]
    width = max(len(p) for p in r["problems"]) + 1
    lo, hi = r["grid"][0], r["grid"][-1]
    lines = [f"{r['budget']} gradient evaluations per run; ε tuned over {len(r['grid'])} "
             f"values {lo:.2g} … {hi:.2g} (half decades); score: mean J − J* over the last "
             f"{TAIL:.0%} of the budget; ◀ marks the best",
             f"{'':{width}}" + "".join(f"{o:>17}" for o in opts) + f"{'vSGD (untuned)':>16}"]
    for p in r["problems"]:
        cells = []
        for o in opts:
            cell = r["cells"][p, o]
            mark = " ◀" if r["winners"][p] == o else "  "
            cells.append(f"{cell['best']:>15.1e}{mark}")
        lines.append(f"{p:{width}}" + "".join(cells) + f"{r['vsgd'][p]:16.1e}")
    lines.append("best ε from the grid (* at the edge of the grid)")
    for p in r["problems"]:
        cells = []
        for o in opts:
            cell = r["cells"][p, o]
            cells.append(f"{cell['lr']:>16.2g}{'*' if cell['edge'] else ' '}")
        lines.append(f"{p:{width}}" + "".join(cells))
    wins = {o: sum(w == o for w in r["winners"].values()) for o in opts}
    lines.append("problems won: " + ", ".join(f"{o} {n}" for o, n in wins.items()))
    return "\n".join(lines)


def figure_comparison(r: dict):
    behind = decades_behind(r)
    shown = np.where(np.isfinite(behind), np.minimum(behind, 7.99), 8.5)
    fig = plotting.figure(figsize=(12.5, 5.2))
    with plotting.style():
        ax = fig.add_subplot()
        colors = ["#0072B2", "#56B4E9", "#9ad0ec", "#cfe7f5", "#f4e7c1", "#F0E442",
                  "#E69F00", "#D55E00", "#7f7f7f"]
        bounds = [0, 0.5, 1, 2, 3, 4, 5, 6, 8, 9]
        mesh = ax.pcolormesh(shown, cmap=ListedColormap(colors),
                             norm=BoundaryNorm(bounds, len(colors)), edgecolors="white",
                             linewidth=2)
        for i in range(behind.shape[0]):
            for j in range(behind.shape[1]):
                b = behind[i, j]
                text = "best" if b == 0 else ("diverged" if not np.isfinite(b) else f"{b:.1f}")
                ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=13,
                        color="white" if (b == 0 or b >= 5) else "black")
        ax.set_xticks(np.arange(len(r["optimizers"])) + 0.5, r["optimizers"], fontsize=12)
        ax.set_yticks(np.arange(len(r["problems"])) + 0.5, r["problems"], fontsize=12)
        ax.invert_yaxis()
        ax.set_xlabel("optimizer, each with its best ε")
        ax.set_ylabel("problem")
        ax.set_title("decades behind the best method on each problem (0: the winner)")
        bar = fig.colorbar(mesh, ax=ax, ticks=bounds[:-1])
        bar.set_label("log₁₀(score / best score)")
        ax.grid(False)
    return fig
