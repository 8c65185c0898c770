"""Notebook 07, §10: Hessian-free against first-order methods on a small network.

A 1-8-1 tanh network fitting a noisy sine (25 parameters, 100 examples). Loss against
*gradient-evaluation equivalents*: a gradient on the whole training set counts 1, a minibatch
gradient the share of examples it reads, and a Hessian-vector product 1 (it costs about one
gradient). Each first-order method runs with the learning rate whose mean loss over the last
10 % of the budget was lowest on a grid (``LR_GRIDS``; the tests re-run the grids);
Hessian-free runs with its defaults.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...data import sine_regression
from ...objectives import MLP
from ...optim import SGD, Adam, HessianFree
from ...run import minimize

PALETTE = plotting.PALETTE


# --- 1. Hessian-free against SGD and Adam ----------------------------------------------------
BUDGET = 1000               # gradient-evaluation equivalents per run
TARGETS = (0.01, 0.005)
MINIBATCH = 20
TAIL = 0.1                  # a run's score: its mean loss over the last 10 % of the budget


# (label, optimizer class, minibatch size or None, the learning-rate grid, the chosen rate):
# the chosen rate has the lowest score on its grid, and is never at the grid's edge.
LR_GRIDS = {
    "SGD, minibatch 20": (SGD, MINIBATCH, (0.03, 0.1, 0.3, 0.5, 0.7, 1.0), 0.5),
    "Adam, minibatch 20": (Adam, MINIBATCH, (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0), 0.01),
    "Adam, full batch": (Adam, None, (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0), 0.1),
}


def network() -> tuple[MLP, np.ndarray]:
    """The 1-8-1 tanh network on ``sine_regression(m=100, seed=0)`` and its start θ₀."""
    X, y = sine_regression(m=100, seed=0)
    net = MLP(X, y, hidden=(8,))
    return net, net.init_theta(rng=0)


def first_cost(cost, losses, target: float):
    """The cost at which the loss first falls to ``target`` or below (None: never)."""
    reached = np.flatnonzero(np.asarray(losses) <= target)
    return float(cost[reached[0]]) if reached.size else None


def settled_cost(cost, losses, target: float):
    """The cost from which the loss stays at ``target`` or below to the end (None: it ends
    above). A noisy run can touch a target long before it stays there."""
    above = np.flatnonzero(np.asarray(losses) > target)
    if above.size == 0:
        return float(cost[0])
    return float(cost[above[-1] + 1]) if above[-1] + 1 < len(losses) else None


def tail_loss(cost, losses, tail: float = TAIL) -> float:
    """Mean loss over the last ``tail`` share of the run's cost: the score that picks ε."""
    cost, losses = np.asarray(cost), np.asarray(losses)
    with np.errstate(all="ignore"):
        score = float(np.mean(losses[cost >= (1.0 - tail) * cost[-1]]))
    return score if np.isfinite(score) else math.inf


def run_first_order(label: str, lr: float, budget: int = BUDGET) -> dict:
    """One first-order run of ``LR_GRIDS[label]`` with rate ``lr``: its cost and loss curve."""
    make, batch, _, _ = LR_GRIDS[label]
    net, theta0 = network()
    share = 1.0 if batch is None else batch / net.n_examples     # gradients per step
    steps = int(round(budget / share))
    optimizer = make(lr) if make is SGD else make(lr=lr)
    trace = minimize(net, optimizer, theta0, steps, batch_size=batch, rng=0, warn=False)
    return {"cost": np.arange(trace.n_steps + 1) * share, "losses": trace.losses,
            "stop": trace.stop_reason}


def run_hessian_free(budget: int = BUDGET) -> dict:
    """Hessian-free (defaults, full batch) until its gradients + H v products reach budget."""
    net, theta0 = network()
    trace = minimize(net, HessianFree(), theta0, budget,
                     callback=lambda k, theta, state: state.grad_equivalents >= budget)
    cost = np.array([0] + [s.grad_equivalents for s in trace.states], dtype=float)
    return {"cost": cost, "losses": trace.losses, "stop": trace.stop_reason,
            "steps": trace.n_steps, "cg_iters": int(sum(s.cg_iters for s in trace.states)),
            "accepted": int(sum(s.accepted for s in trace.states))}


def compute_hessian_free(budget: int = BUDGET, targets=TARGETS) -> dict:
    """Each method's loss curve against gradient equivalents; for each target the cost at
    which the loss first reaches it and the cost from which it stays there."""
    runs = {label: {**run_first_order(label, spec[3], budget), "lr": spec[3],
                    "grid": spec[2]} for label, spec in LR_GRIDS.items()}
    runs["Hessian-free, full batch"] = {**run_hessian_free(budget), "lr": None, "grid": ()}
    for run in runs.values():
        run["reached"] = [first_cost(run["cost"], run["losses"], t) for t in targets]
        run["settled"] = [settled_cost(run["cost"], run["losses"], t) for t in targets]
        run["tail"] = tail_loss(run["cost"], run["losses"])
    return {"budget": budget, "targets": targets, "runs": runs}


def report_hessian_free(r: dict) -> str:
    def cost(c):
        return "—" if c is None else format(c, ".0f")

    head = "".join(f"{'J ≤ ' + format(t, 'g') + ': first, for good':>29}" for t in r["targets"])
    lines = [f"1-8-1 tanh network, 100 examples; cost in gradient-evaluation equivalents "
             f"(budget {r['budget']}; — : never)",
             f"{'method':26} {'ε (grid)':>20}{head} {'mean J, last 10 %':>18}"]
    for label, run in r["runs"].items():
        grid = ("defaults, no tuning" if run["lr"] is None
                else f"{run['lr']:g} (of {len(run['grid'])})")
        cells = "".join(f"{cost(first) + ', ' + cost(good):>29}"
                        for first, good in zip(run["reached"], run["settled"], strict=True))
        lines.append(f"{label:26} {grid:>20}{cells} {run['tail']:18.5f}")
    return "\n".join(lines)


def figure_hessian_free(r: dict):
    fig = plotting.figure(figsize=(9.5, 5.0))
    with plotting.style():
        ax = fig.add_subplot()
        for i, (label, run) in enumerate(r["runs"].items()):
            ax.plot(run["cost"], run["losses"], color=PALETTE[i], marker=plotting.MARKERS[i],
                    markevery=max(1, len(run["cost"]) // 12), label=label)
        for t in r["targets"]:
            ax.axhline(t, color="#777777", linewidth=0.9, linestyle=":")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(3e-3, 0.5)
        ax.set_xlabel("gradient-evaluation equivalents")
        ax.set_ylabel("training loss J(θ)")
        ax.set_title("Hessian-free against SGD and Adam (dotted: the targets)")
        ax.legend(loc="upper right", fontsize=11)
    return fig
