"""Notebook 09, §4: continuation in 2-D. Plain gradient descent, a schedule that starts too
sharp, and one that works, each with the budget of 200 gradient evaluations."""

from __future__ import annotations

import numpy as np

from ...global_opt.landscapes import RIPPLE_START
from ...optim import SGD
from ...run import minimize
from .sigma_explorer import BUDGET, LR, compute_schedule, landscape

SETTINGS = {"σ₀ = 0.5, 2 stages × 100 steps": dict(sigma0=0.5, n_stages=2, steps=100),
            "σ₀ = 2, 5 stages × 40 steps": dict(sigma0=2.0, n_stages=5, steps=40)}


def compute_comparison() -> dict:
    f = landscape((0.0, 0.0))
    plain = minimize(f, SGD(lr=LR), RIPPLE_START, BUDGET)
    rows = {"plain gradient descent": {"theta": plain.theta, "excess": plain.loss - f.min_value,
                                       "ngev": plain.ngev}}
    for label, settings in SETTINGS.items():
        r = compute_schedule(**settings)
        rows[label] = {"theta": r["theta"], "excess": r["excess"], "ngev": r["ngev"]}
    return {"rows": rows, "global_theta": f.minima[0], "min_value": float(f.min_value),
            "n_minima": _count_minima(f)}


def _count_minima(f) -> int:
    """Local minima of J on a 201 × 201 grid of [−4, 4]² (lower than all 8 neighbours)."""
    X, Y = np.meshgrid(np.linspace(-4, 4, 201), np.linspace(-4, 4, 201))
    Z = f.loss_grid(X, Y)
    core = Z[1:-1, 1:-1]
    lower = np.ones_like(core, dtype=bool)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            if dx or dy:
                lower &= core < Z[1 + dy:Z.shape[0] - 1 + dy, 1 + dx:Z.shape[1] - 1 + dx]
    return int(lower.sum())


def report_comparison(r: dict) -> str:
    x, y = r["global_theta"]
    lines = [f"J has {r['n_minima']} local minima on [−4, 4]²; the global one is at "
             f"({x:.3f}, {y:.3f}), J* = {r['min_value']:.3f}. From (−3, 3), ε = {LR:g}, "
             f"budget {BUDGET} gradient evaluations:",
             f"{'':>34} {'ends at':>18} {'J − J*':>9} {'evaluations':>12}"]
    for label, row in r["rows"].items():
        a, b = row["theta"]
        lines.append(f"{label:>34} ({a:7.3f}, {b:7.3f}) {row['excess']:9.3g} "
                     f"{row['ngev']:12d}")
    return "\n".join(lines)
