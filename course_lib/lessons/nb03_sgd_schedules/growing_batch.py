"""Notebook 03, §7: growing the minibatch instead of shrinking ε.

The noise floor of constant-rate SGD is proportional to ε/m (``noise_floor``), so it falls
whether ε shrinks or the minibatch m grows. With the same budget of examples, a constant ε
and a minibatch that grows geometrically, m_k = ⌈g^k⌉, end about as low as the linear
schedule with m = 1, in a few hundred updates instead of twenty thousand: the late updates
average many examples, which a machine computes in parallel. Batch gradient descent
(m = n from the start) spends the budget in a handful of exact but expensive steps.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting, schedules
from ..common.cache import cached
from .running_example import FIGSIZE, RegressionTask, mean_curve, sgd_runs, task

BUDGET = 20_000           # examples, 20 passes over the n = 1000 training examples


def growing_sizes(budget: int, growth: float, first: int = 1) -> np.ndarray:
    """m_k = ⌈first·growth^(k−1)⌉ for k = 1, 2, …, the last one cut so that Σ m_k = budget."""
    sizes, used, k = [], 0, 0
    while used < budget:
        m = min(int(math.ceil(first * growth ** k - 1e-9)), budget - used)
        sizes.append(m)
        used, k = used + m, k + 1
    return np.array(sizes, dtype=int)


def sgd_growing_runs(t: RegressionTask, lr: float, sizes, seeds) -> np.ndarray:
    """Algorithm 8.1 with a constant ε and the minibatch sizes ``sizes`` (drawn with
    replacement, a fresh generator per seed), for many runs at once: J(θ_k) − J*, shape
    (len(sizes) + 1, runs)."""
    rngs = [np.random.default_rng(s) for s in seeds]
    theta = np.tile(t.theta0, (len(rngs), 1))
    out = [t.excess(theta)]
    for m in sizes:
        index = np.stack([rng.integers(0, t.n, size=int(m)) for rng in rngs])   # (runs, m)
        Xb = t.X[index]
        residual = np.einsum("rbd,rd->rb", Xb, theta) - t.y[index]
        g = np.einsum("rbd,rb->rd", Xb, residual) / int(m)          # minibatch gradient
        theta = theta - lr * g                                        # θ ← θ − ε g
        out.append(t.excess(theta))
    return np.array(out)


@cached
def compute_growing_batch(budget: int = BUDGET, lr: float = 0.1, grow_lr: float = 0.3,
                          growth: float = 1.01, seeds=range(32)) -> dict:
    """Four ways to spend ``budget`` examples on the running example, mean J − J* over seeds.

    - constant ε = ``lr``, m = 1 (stalls at its noise floor);
    - the linear schedule (8.14), ε from ``lr`` to ``lr``/100 over the budget, m = 1;
    - constant ε = ``grow_lr``, m_k = ⌈growth^(k−1)⌉ (``growing_sizes``);
    - batch gradient descent, m = n, at its best constant ε = 2/(λ_min + λ_max).

    Each entry: ``examples`` (cumulative examples after each update, 0 first), ``excess``
    (mean over runs), ``rates`` (ε_k/m_k per update, the noise-floor's knob), ``updates``,
    ``final``.
    """
    t = task()
    seeds = list(seeds)
    out = {}
    k = np.arange(1, budget + 1, dtype=float)
    every = np.unique(np.concatenate([[0], np.geomspace(1, budget, 150).astype(int)]))
    for label, short, schedule in (
            (f"constant ε = {lr:g}, m = 1", "constant ε, m = 1", schedules.Constant(lr)),
            (f"linear decay, ε = {lr:g} → {lr / 100:g}, m = 1", "decaying ε, m = 1",
             schedules.LinearDecay(lr, budget, lr / 100))):
        excess = mean_curve(sgd_runs(t, schedule, 1, seeds, budget, record=every))
        out[label] = {"examples": every, "excess": excess, "rates": schedule(k)[every[1:] - 1],
                      "updates": budget, "short": short}
    sizes = growing_sizes(budget, growth)
    grown = mean_curve(sgd_growing_runs(t, grow_lr, sizes, seeds))
    out[f"constant ε = {grow_lr:g}, m grows {100 * (growth - 1):.0f}% per update"] = {
        "examples": np.concatenate([[0], np.cumsum(sizes)]), "excess": grown,
        "rates": grow_lr / sizes, "updates": len(sizes), "sizes": sizes,
        "short": "constant ε, growing m"}
    lam = np.linalg.eigvalsh(t.H)
    best = 2.0 / (lam[0] + lam[-1])
    steps = budget // t.n
    theta, gd = t.theta0.copy(), [t.excess(t.theta0)]
    for _ in range(steps):
        theta = theta - best * (t.H @ (theta - t.theta_star))   # the full gradient, exactly
        gd.append(t.excess(theta))
    out[f"batch gradient descent, m = n, ε = {best:.2f}"] = {
        "examples": t.n * np.arange(steps + 1), "excess": np.array(gd),
        "rates": np.full(steps, best / t.n), "updates": steps,
        "short": "batch GD, m = n"}
    for entry in out.values():
        entry["final"] = float(entry["excess"][-1])
    return {"runs": out, "budget": budget, "n": t.n, "growth": growth, "lr": lr,
            "grow_lr": grow_lr, "n_seeds": len(seeds)}


def report_growing_batch(r: dict) -> str:
    """Each way's updates and final J − J* at the same budget of examples."""
    width = max(len(label) for label in r["runs"])
    lines = [f"budget: {r['budget']:,} examples ({r['budget'] // r['n']} passes over n = "
             f"{r['n']}), mean of {r['n_seeds']} runs"]
    for label, entry in r["runs"].items():
        lines.append(f"{label:<{width}}  {entry['updates']:>6,} updates  final J − J* = "
                     f"{entry['final']:.4f}")
    sizes = next(e["sizes"] for e in r["runs"].values() if "sizes" in e)
    lines.append(f"the growing minibatch goes from {sizes[0]} to {sizes[-2]} examples")
    return "\n".join(lines)


def figure_growing_batch(result: dict):
    """Left: J − J* against examples processed. Right: ε_k/m_k, the knob of the floor."""
    fig = plotting.figure(figsize=FIGSIZE)
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[1.35, 1])
        for i, entry in enumerate(result["runs"].values()):
            style = dict(color=plotting.PALETTE[i], marker=plotting.MARKERS[i], linewidth=1.8)
            x = entry["examples"]
            every = max(1, len(x) // 8)
            left.plot(x, entry["excess"], markevery=every, label=entry["short"], **style)
            right.plot(x[1:], entry["rates"], markevery=every, **style)
        for ax in (left, right):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_xlabel("examples processed")
        left.set_ylabel("J(θ) − J*  (mean of runs)")
        left.set_title("the same budget, four ways")
        left.legend(loc="lower left")
        right.set_ylabel("ε_k / m_k")
        right.set_title("what sets the noise floor")
    return fig
