"""Notebook ``07_second_order``, part 3: Hessian-free against first-order methods on a small
network, and coordinate descent against Newton (sections 8.6 and 8.6.3).

``compute_*`` functions return dicts of measured numbers, ``report_*`` the printed lines,
``figure_*`` the figures; ``tests/test_lesson_second_order.py`` asserts every printed number.

1. ``hessian_free``: a 1-8-1 tanh network fitting a noisy sine (25 parameters, 100
   examples). Loss against *gradient-evaluation equivalents*: a gradient on the whole
   training set counts 1, a minibatch gradient the share of examples it reads, and a
   Hessian-vector product 1 (it costs about one gradient). Each first-order method runs
   with the learning rate whose mean loss over the last 10 % of the budget was lowest on a
   grid (``LR_GRIDS``; the tests re-run the grids); Hessian-free runs with its defaults.
2. ``coordinate``: exact coordinate descent on f(x) = (x₁ − x₂)² + α(x₁² + x₂²) needs about
   ln(1/tol)/(2 ln(1 + α)) sweeps, which explodes as α → 0; Newton needs one step.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from .. import plotting
from ..data import sine_regression
from ..objectives import MLP, CoupledQuadratic
from ..optim import SGD, Adam, CoordinateDescent, HessianFree, Newton
from ..run import Oracle, minimize

PALETTE = plotting.PALETTE

# --- 1. Hessian-free against SGD and Adam ---------------------------------------------------
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


# --- 2. coordinate descent on the coupled quadratic -------------------------------------------
COUPLED_X0 = (-1.5, 1.0)


def predicted_sweeps(alpha: float, tol: float, x0=COUPLED_X0) -> int:
    """Sweeps until ‖x‖ ≤ tol·‖x₀‖ for exact cyclic coordinate descent (x₁ first).

    After sweep k ≥ 1: x₂ = x₂⁽⁰⁾(1 + α)^(−2k) and x₁ = (1 + α)x₂, so
    ‖x_k‖ = |x₂⁽⁰⁾|(1 + α)^(−2k)√(1 + (1 + α)²); solve ‖x_k‖ ≤ tol·‖x₀‖ for k.
    """
    c = 1.0 + alpha
    ratio = abs(x0[1]) * math.sqrt(1.0 + c * c) / (tol * math.hypot(*x0))
    return max(1, math.ceil(math.log(ratio) / (2.0 * math.log(c)) - 1e-12))


def _stop_within(radius: float):
    """A ``minimize`` callback that stops the run once ‖θ‖ ≤ ``radius`` (θ* = 0 here)."""
    return lambda k, theta, state: np.linalg.norm(theta) <= radius


def compute_coordinate(alphas=(1.0, 0.1, 0.01, 0.001), tol: float = 1e-6,
                       max_sweeps: int = 20_000) -> dict:
    """Exact coordinate descent and Newton on ``CoupledQuadratic(α)`` from (−1.5, 1)."""
    x0 = np.array(COUPLED_X0)
    rows = []
    for alpha in alphas:
        f = CoupledQuadratic(alpha)
        cd = minimize(f, CoordinateDescent(mode="exact"), x0, max_sweeps,
                      callback=_stop_within(tol * np.linalg.norm(x0)))
        newton = minimize(f, Newton(), x0, 1)
        rows.append({"alpha": alpha, "kappa": f.condition_number, "sweeps": cd.n_steps,
                     "reached": cd.stop_reason == "callback", "gradients": cd.ngev,
                     "predicted": predicted_sweeps(alpha, tol),
                     "newton_error": float(np.linalg.norm(newton.theta) / np.linalg.norm(x0)),
                     "thetas": cd.thetas if cd.n_steps <= 200 else cd.thetas[:200]})
    return {"tol": tol, "rows": rows, "x0": x0}


def report_coordinate(r: dict) -> str:
    lines = [f"f(x) = (x₁ − x₂)² + α(x₁² + x₂²) from x₀ = {COUPLED_X0}; steps until "
             f"‖x‖ ≤ {r['tol']:g}·‖x₀‖",
             f"{'α':>6} {'κ(H)':>7} {'coordinate descent sweeps':>26} {'theory':>7} "
             f"{'gradients':>10}  {'Newton: steps, error':>21}"]
    for row in r["rows"]:
        sweeps = str(row["sweeps"]) if row["reached"] else f"> {row['sweeps']}"
        err = "< 1e-12" if row["newton_error"] < 1e-12 else f"{row['newton_error']:.0e}"
        lines.append(f"{row['alpha']:6g} {row['kappa']:7g} {sweeps:>26} {row['predicted']:7d} "
                     f"{row['gradients']:10d}  {'1, ' + err:>21}")
    return "\n".join(lines)


def figure_coordinate(r: dict, alpha: float = 0.1, sweeps: int = 12):
    f = CoupledQuadratic(alpha)
    path = CoordinateDescent(mode="exact", keep_path=True)
    theta, state, points = np.array(r["x0"]), path.init(r["x0"]), [np.array(r["x0"])]
    for _ in range(sweeps):
        theta, state = path.step(theta, state, Oracle(f))
        points.extend(state.path[1:])
    fig = plotting.figure(figsize=(13.0, 5.2))
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.2])
        plotting.contour(f, ax=left, box=(-1.7, 1.2, -1.2, 1.2))
        plotting.trajectory(left, np.array(points), label="coordinate descent (one axis at a "
                            "time)", color=PALETTE[0], markersize=3.5)
        plotting.trajectory(left, np.array([r["x0"], [0.0, 0.0]]), label="Newton (1 step)",
                            color=PALETTE[1], marker="s", linewidth=2.4)
        left.set_title(f"α = {alpha:g}: {sweeps} sweeps against one Newton step")
        left.legend(loc="lower right", fontsize=10)
        a = np.array([row["alpha"] for row in r["rows"]])
        right.plot(a, [row["sweeps"] for row in r["rows"]], marker="o", color=PALETTE[0],
                   label="coordinate descent (measured)")
        right.plot(a, [row["predicted"] for row in r["rows"]], marker="none", linestyle="--",
                   color="black", linewidth=1.4, label="theory ln(…)/(2 ln(1 + α))")
        right.plot(a, np.ones_like(a), marker="s", color=PALETTE[1], label="Newton")
        right.set_xscale("log")
        right.set_yscale("log")
        right.yaxis.set_minor_locator(NullLocator())
        right.set_xlabel("α")
        right.set_ylabel(f"steps to ‖x‖ ≤ {r['tol']:g}·‖x₀‖")
        right.set_title("sweeps grow like 1/α")
        right.legend(loc="upper right", fontsize=11)
    return fig
