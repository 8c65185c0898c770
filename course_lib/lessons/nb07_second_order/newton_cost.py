"""Notebook 07, §5: what a Newton step costs. ``cost_model`` (deterministic flop and memory
counts) and ``time_newton_steps`` (wall-clock times, for a cell whose output nbval ignores,
and for the benchmark).
"""

from __future__ import annotations

import time

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...objectives import ExtendedRosenbrock
from ...optim import Newton
from ...rates import loglog_slope
from ...run import Oracle

PALETTE = plotting.PALETTE


# --- 5. the cost of a Newton step ------------------------------------------------------------
def _bytes(b: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= size:
            return f"{b / size:.3g} {unit}"
    return f"{b:.3g} B"


def _duration(seconds: float) -> str:
    for unit, size in (("days", 86400.0), ("hours", 3600.0), ("min", 60.0), ("s", 1.0),
                       ("ms", 1e-3)):
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}"
    return f"{seconds * 1e6:.3g} µs"


def compute_cost_model(ns=(10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6), m: int = 10,
                       flop_rate: float = 1e12) -> dict:
    """What one Newton step needs for n parameters (counts, not timings).

    H has n² entries (8n² bytes in float64) and takes n Hessian-vector products to form
    (one per column, each costing about one gradient); a Cholesky factorization of H costs
    about n³/3 flops, here at ``flop_rate`` flop/s. L-BFGS with
    memory ``m`` stores 2mn numbers and does about 4mn flops per direction.
    """
    rows = []
    for n in ns:
        solve = n ** 3 / 3
        rows.append({"n": n, "h_bytes": 8.0 * n * n, "hvps": n, "solve_flops": float(solve),
                     "solve_seconds": solve / flop_rate, "lbfgs_bytes": 16.0 * m * n,
                     "lbfgs_flops": 4.0 * m * n})
    return {"m": m, "flop_rate": flop_rate, "rows": rows}


def report_cost_model(r: dict) -> str:
    lines = [f"one Newton step for n parameters; solving at {r['flop_rate']:.0e} flop/s "
             f"(L-BFGS with m = {r['m']} for comparison)",
             f"{'n':>9} {'H (8n² bytes)':>14} {'H v products':>13} {'solve n³/3 flops':>17} "
             f"{'solve time':>11} {'L-BFGS memory':>14} {'L-BFGS flops':>13}"]
    for row in r["rows"]:
        lines.append(f"{row['n']:9,d} {_bytes(row['h_bytes']):>14} {row['hvps']:13,d} "
                     f"{row['solve_flops']:17.1e} {_duration(row['solve_seconds']):>11} "
                     f"{_bytes(row['lbfgs_bytes']):>14} {row['lbfgs_flops']:13.1e}")
    return "\n".join(lines)


def time_newton_steps(ns=(200, 400, 800, 1600), repeats: int = 5) -> dict:
    """Median wall-clock time of one ``Newton().step`` on ``ExtendedRosenbrock(n)`` over
    ``repeats`` runs, the ratio of each median to the one before (n doubles from row to row),
    and the log-log slope of the medians against n.

    The repeats go round the sizes in turn (200, 400, 800, 1600, 200, ...), so that a burst
    of load from other programs hits every size alike, and the median ignores the bursts.
    The step forms the dense n × n Hessian (O(n²)) and solves with it (LU, 2n³/3 flops):
    with the solve dominating, each doubling of n multiplies the time by 2³ = 8. Times depend
    on the machine and its load: never assert them; they are for a notebook cell whose
    output nbval ignores, and for ``benchmarks/benchmark.py``.
    """
    problems = []
    for n in ns:
        f = ExtendedRosenbrock(n)
        theta, optimizer = f.standard_start(), Newton()
        problems.append((f, theta, optimizer, optimizer.init(theta)))
    times = [[] for _ in ns]
    for _ in range(repeats):
        for i, (f, theta, optimizer, state) in enumerate(problems):
            start = time.perf_counter()
            optimizer.step(theta, state, Oracle(f))
            times[i].append(time.perf_counter() - start)
    ns = np.array(ns, dtype=float)
    medians = np.array([np.median(t) for t in times])
    return {"ns": ns, "seconds": medians, "repeats": repeats,
            "spread": np.array([(min(t), max(t)) for t in times]),
            "ratios": medians[1:] / medians[:-1], "slope": loglog_slope(ns, medians)}


def report_newton_timing(r: dict) -> str:
    lines = [f"one Newton step on the extended Rosenbrock function: median of {r['repeats']} "
             "runs (and the fastest and slowest), and the ratio to the row above (n doubles)",
             f"{'n':>6} {'median':>10} {'fastest – slowest':>20} {'ratio':>7}"]
    for i, (n, s, (lo, hi)) in enumerate(zip(r["ns"], r["seconds"], r["spread"], strict=True)):
        ratio = "" if i == 0 else f"{r['ratios'][i - 1]:.1f}×"
        lines.append(f"{int(n):6d} {1e3 * s:7.2f} ms {1e3 * lo:9.2f} – {1e3 * hi:6.2f} ms "
                     f"{ratio:>7}")
    lines.append(f"each doubling of n multiplied the median by "
                 f"{', '.join(f'{q:.1f}' for q in r['ratios'])} (the n³ of the solve alone: "
                 f"8); fitted exponent {r['slope']:.2f}")
    return "\n".join(lines)


def figure_newton_timing(r: dict):
    fig = plotting.figure(figsize=(7.5, 4.4))
    with plotting.style():
        ax = fig.add_subplot()
        ax.plot(r["ns"], r["seconds"], marker="o", color=PALETTE[0],
                label=f"median of {r['repeats']} (slope {r['slope']:.2f})")
        guide = r["seconds"][-1] * (r["ns"] / r["ns"][-1]) ** 3
        ax.plot(r["ns"], guide, linestyle="--", marker="none", color="black", linewidth=1.4,
                label="n³ guide")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("parameters n")
        ax.set_ylabel("seconds per Newton step (median)")
        ax.set_title("the cost of a Newton step")
        ax.legend(loc="upper left")
    return fig
