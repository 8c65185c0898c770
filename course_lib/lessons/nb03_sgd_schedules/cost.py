"""Notebook 03, §1: the cost of one update, SGD against batch gradient descent, as the
training set grows (examples touched; wall-clock times only for a figure).
"""

from __future__ import annotations

import math
import time

import numpy as np

from ... import plotting
from ...optim import SGD
from ...run import minimize
from .running_example import FIGSIZE, task


def cost_per_update(sizes=(10**2, 10**3, 10**4, 10**5), batch_size: int = 32,
                    steps: int = 3, lr: float = 0.05) -> list[dict]:
    """Examples touched per update by SGD (minibatch of ``batch_size``) and by batch GD.

    Both run ``steps`` updates through ``minimize`` on training sets of each size; the
    count is the trace's ``nexamples``, the examples in the gradients the optimizer asked for.
    """
    rows = []
    for n in sizes:
        objective = task(int(n)).objective
        counts = {}
        for name, size in (("sgd", batch_size), ("gd", None)):
            trace = minimize(objective, SGD(lr=lr), np.zeros(objective.dim), steps,
                             batch_size=size, rng=0)
            counts[name] = trace.nexamples / trace.n_steps
        rows.append({"n": int(n), "sgd": counts["sgd"], "gd": counts["gd"],
                     "ratio": counts["gd"] / counts["sgd"]})
    return rows


def report_cost(rows: list[dict]) -> str:
    """The table of examples touched per update, as the notebook prints it."""
    lines = [f"{'n (training set)':>17} {'SGD, m = 32':>14} {'batch GD':>10} {'GD / SGD':>9}"]
    for row in rows:
        lines.append(f"{row['n']:>17,} {row['sgd']:>14g} {row['gd']:>10g} {row['ratio']:>9g}")
    return "\n".join(lines)


def time_per_update(sizes=(10**2, 10**3, 10**4, 10**5), batch_size: int = 32,
                    repeats: int = 20) -> dict:
    """Wall-clock seconds of one minibatch gradient and one full gradient (best of repeats).

    Machine-dependent: for a figure, never for a printed or asserted number.
    """
    sgd, gd = [], []
    rng = np.random.default_rng(0)
    for n in sizes:
        objective = task(int(n)).objective
        theta = np.zeros(objective.dim)
        batch = rng.choice(int(n), size=batch_size, replace=False)
        for out, b in ((sgd, batch), (gd, None)):
            best = math.inf
            for _ in range(repeats):
                t0 = time.perf_counter()
                objective.grad(theta, b)
                best = min(best, time.perf_counter() - t0)
            out.append(best)
    return {"n": np.array(sizes, dtype=float), "sgd": np.array(sgd), "gd": np.array(gd)}


def figure_cost(rows: list[dict], times: dict | None = None):
    """Left: examples per update against n. Right (if ``times``): seconds per update."""
    fig = plotting.figure(figsize=FIGSIZE)
    with plotting.style():
        axes = fig.subplots(1, 2 if times is not None else 1, squeeze=False)[0]
        n = [r["n"] for r in rows]
        axes[0].loglog(n, [r["gd"] for r in rows], label="batch gradient descent",
                       color=plotting.PALETTE[3], marker="s")
        axes[0].loglog(n, [r["sgd"] for r in rows], label=f"SGD, minibatch m = {rows[0]['sgd']:g}",
                       color=plotting.PALETTE[0], marker="o")
        axes[0].set_xlabel("training-set size n")
        axes[0].set_ylabel("examples per update")
        axes[0].set_title("counted")
        axes[0].legend()
        if times is not None:
            axes[1].loglog(times["n"], 1e3 * times["gd"], label="full gradient",
                           color=plotting.PALETTE[3], marker="s")
            axes[1].loglog(times["n"], 1e3 * times["sgd"], label="minibatch gradient",
                           color=plotting.PALETTE[0], marker="o")
            axes[1].set_xlabel("training-set size n")
            axes[1].set_ylabel("milliseconds per gradient")
            axes[1].set_title("timed on this machine")
            axes[1].legend()
    return fig
