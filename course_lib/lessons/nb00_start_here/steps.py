"""Notebook 00: steps gradient descent needs on bowls of growing condition number κ,
measured beside the prediction from the rate (κ − 1)/(κ + 1).
"""

from __future__ import annotations

from ...optim import SGD
from ...rates import predicted_steps, steps_vs_condition


def gd_steps_table(kappas=(2, 10, 100, 1000), tol: float = 1e-6) -> list[dict]:
    """Steps gradient descent needs, at its best constant ε = 2/(L+μ), to shrink ‖θ − θ*‖ by
    ``tol`` on bowls of condition number κ, beside the theory's ⌈log tol / log r⌉ with
    r = (κ − 1)/(κ + 1)."""
    rows = steps_vs_condition(lambda q: SGD(lr=q.best_gd_lr), kappas, tol=tol)
    for row in rows:
        kappa = row["kappa"]
        row["predicted"] = predicted_steps((kappa - 1) / (kappa + 1), tol)
    return rows


def report_gd_steps(rows: list[dict]) -> str:
    """The table notebook 00 prints: measured and predicted steps, and steps per unit of κ."""
    lines = [f"{'κ':>6} {'measured steps':>15} {'predicted':>10} {'steps / κ':>10}"]
    for row in rows:
        lines.append(f"{row['kappa']:6g} {row['steps']:15d} {row['predicted']:10d} "
                     f"{row['steps'] / row['kappa']:10.2f}")
    return "\n".join(lines)
