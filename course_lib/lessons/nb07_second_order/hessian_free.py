"""Notebook 07, §10: Hessian-free against first-order methods on a small network.

A 1-8-1 tanh network fitting a noisy sine (25 parameters, 100 examples). Loss against
*gradient-evaluation equivalents*: a gradient on the whole training set counts 1, a minibatch
gradient the share of examples it reads, and a curvature-vector product 1 (it costs about one
gradient). Each first-order method runs with the learning rate whose mean loss over the last
10 % of the budget was lowest on a grid (``LR_GRIDS``, chosen on seed 0; the tests re-run the
grids); Hessian-free runs with its defaults, twice: with the Gauss–Newton matrix G, as
Martens (2010) does (``objectives.gauss_newton.GaussNewton``), and with the true Hessian H
(finite differences of gradients). Every run is repeated for ``SEEDS`` (the network's start
and the minibatches), because one run's ranking can be seed noise.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...data import sine_regression
from ...objectives import MLP
from ...objectives.gauss_newton import GaussNewton
from ...optim import SGD, Adam, HessianFree
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE


# --- 1. Hessian-free against SGD and Adam ----------------------------------------------------
BUDGET = 1000               # gradient-evaluation equivalents per run
TARGETS = (0.01, 0.005)
MINIBATCH = 20
TAIL = 0.1                  # a run's score: its mean loss over the last 10 % of the budget
SEEDS = (0, 1, 2)           # the network's start and the minibatch order
HF_RUNS = {"Hessian-free, G (Martens)": GaussNewton, "Hessian-free, true H": lambda net: net}


# (label, optimizer class, minibatch size or None, the learning-rate grid, the chosen rate):
# the chosen rate has the lowest score on its grid, and is never at the grid's edge.
LR_GRIDS = {
    "SGD, minibatch 20": (SGD, MINIBATCH, (0.03, 0.1, 0.3, 0.5, 0.7, 1.0), 0.5),
    "Adam, minibatch 20": (Adam, MINIBATCH, (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0), 0.01),
    "Adam, full batch": (Adam, None, (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0), 0.1),
}


def network(seed: int = 0) -> tuple[MLP, np.ndarray]:
    """The 1-8-1 tanh network on ``sine_regression(m=100, seed=0)`` and its start θ₀ (the
    Glorot start drawn with ``seed``)."""
    X, y = sine_regression(m=100, seed=0)
    net = MLP(X, y, hidden=(8,))
    return net, net.init_theta(rng=seed)


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


def run_first_order(label: str, lr: float, budget: int = BUDGET, seed: int = 0) -> dict:
    """One first-order run of ``LR_GRIDS[label]`` with rate ``lr``: its cost and loss curve."""
    make, batch, _, _ = LR_GRIDS[label]
    net, theta0 = network(seed)
    share = 1.0 if batch is None else batch / net.n_examples     # gradients per step
    steps = int(round(budget / share))
    optimizer = make(lr) if make is SGD else make(lr=lr)
    trace = minimize(net, optimizer, theta0, steps, batch_size=batch, rng=seed, warn=False)
    return {"cost": np.arange(trace.n_steps + 1) * share, "losses": trace.losses,
            "stop": trace.stop_reason}


def run_hessian_free(budget: int = BUDGET, seed: int = 0,
                     curvature: str = "Hessian-free, G (Martens)") -> dict:
    """Hessian-free (defaults, full batch) until its gradients + curvature products reach
    ``budget``; ``curvature`` names an entry of ``HF_RUNS``."""
    net, theta0 = network(seed)
    trace = minimize(HF_RUNS[curvature](net), HessianFree(), theta0, budget,
                     callback=lambda k, theta, state: state.grad_equivalents >= budget)
    cost = np.array([0] + [s.grad_equivalents for s in trace.states], dtype=float)
    return {"cost": cost, "losses": trace.losses, "stop": trace.stop_reason,
            "steps": trace.n_steps, "cg_iters": int(sum(s.cg_iters for s in trace.states)),
            "accepted": int(sum(s.accepted for s in trace.states)),
            "negative": int(sum(s.cg_stop == "negative curvature" for s in trace.states))}


def _measured(run: dict, targets) -> dict:
    run["reached"] = [first_cost(run["cost"], run["losses"], t) for t in targets]
    run["settled"] = [settled_cost(run["cost"], run["losses"], t) for t in targets]
    run["tail"] = tail_loss(run["cost"], run["losses"])
    return run


@cached
def compute_hessian_free(budget: int = BUDGET, targets=TARGETS, seeds=SEEDS) -> dict:
    """Each method's loss curve against gradient equivalents, for every seed; per target the
    cost at which the loss first reaches it and the cost from which it stays there.
    ``runs[label]``: {"lr", "grid", "seeds": [one run per seed]}."""
    runs = {}
    for label, spec in LR_GRIDS.items():
        runs[label] = {"lr": spec[3], "grid": spec[2], "seeds": [
            _measured(run_first_order(label, spec[3], budget, seed), targets) for seed in seeds]}
    for label in HF_RUNS:
        runs[label] = {"lr": None, "grid": (), "seeds": [
            _measured(run_hessian_free(budget, seed, label), targets) for seed in seeds]}
    return {"budget": budget, "targets": targets, "seeds": tuple(seeds), "runs": runs}


def report_hessian_free(r: dict) -> str:
    def costs(values):
        return " ".join(f"{'—' if c is None else format(c, '.0f'):>4}" for c in values)

    n = len(r["seeds"])
    width = 5 * n
    head = "".join(f"  {'first ≤' + format(t, 'g'):>{width - 1}}"
                   f"  {'stays ≤' + format(t, 'g'):>{width - 1}}" for t in r["targets"])
    lines = [f"1-8-1 tanh network, 100 examples; cost in gradient-evaluation equivalents "
             f"(budget {r['budget']}; — : never; 'stays': from then on J stays below the "
             f"target to the end); one number per seed "
             f"({', '.join(map(str, r['seeds']))}: the start and the minibatches)",
             f"{'method':26} {'ε (grid)':>11}{head}  {'mean J, last 10 %':>{8 * n - 1}}"]
    for label, run in r["runs"].items():
        grid = "defaults" if run["lr"] is None else f"{run['lr']:g} (of {len(run['grid'])})"
        cells = ""
        for i in range(len(r["targets"])):
            cells += f"  {costs(s['reached'][i] for s in run['seeds'])}"
            cells += f"  {costs(s['settled'][i] for s in run['seeds'])}"
        tails = " ".join(f"{s['tail']:.5f}" for s in run["seeds"])
        lines.append(f"{label:26} {grid:>11}{cells}  {tails}")
    for label in HF_RUNS:
        seeds = r["runs"][label]["seeds"]
        lines.append(f"{label}: CG stopped on negative curvature in "
                     f"{sum(s['negative'] for s in seeds)} of {sum(s['steps'] for s in seeds)} "
                     f"outer steps, {sum(s['accepted'] for s in seeds)} steps accepted")
    return "\n".join(lines)


def figure_hessian_free(r: dict):
    """The loss curves of the first seed (the others look alike; the table has them all)."""
    fig = plotting.figure(figsize=(9.5, 5.4))        # ≤ 10 in: 13-pt text stays ≥ 9 px
    with plotting.style():
        ax = fig.add_subplot()
        for i, (label, run) in enumerate(r["runs"].items()):
            first = run["seeds"][0]
            ax.plot(first["cost"], first["losses"], color=PALETTE[i],
                    marker=plotting.MARKERS[i],
                    markevery=max(1, len(first["cost"]) // 12), label=label)
        for t in r["targets"]:
            ax.axhline(t, color="#777777", linewidth=0.9, linestyle=":")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(3e-3, 0.5)
        ax.set_xlabel("gradient-evaluation equivalents")
        ax.set_ylabel("training loss J(θ)")
        ax.set_title(f"seed {r['seeds'][0]}; dotted: the targets")
        ax.legend(loc="upper right", fontsize=13)
    return fig
