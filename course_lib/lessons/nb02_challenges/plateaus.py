"""Notebook 02, §4: gradient descent leaves a saddle, slowly; Newton's method is drawn to it
(section 8.2.3; notebook 07 shows the same on a double well).

J(x, y) = ½x² + ¼y⁴ − ½y² has a saddle at the origin (H = diag(1, −1), J = 0) between two
minima (0, ±1) with J = −¼. Started at (1, δ), gradient descent multiplies y by about
(1 + ε) per step while y is small, so it sits on a plateau at J ≈ 0 for about
ln(1/δ)/ln(1 + ε) steps before it falls off: the closer to the saddle's attracting
direction it starts, the longer the plateau, growing by ln 10/ln(1 + ε) steps per decade
of δ. Newton's method solves ∇J = 0, so it jumps to the nearest critical point, the saddle.
"""

from __future__ import annotations

import math

import numpy as np

from ... import plotting
from ...objectives import FunctionObjective
from ...optim import SGD, Newton
from ...run import minimize

PALETTE = plotting.PALETTE

DOUBLE_WELL = FunctionObjective(
    lambda t: 0.5 * t[0] ** 2 + 0.25 * t[1] ** 4 - 0.5 * t[1] ** 2,
    lambda t: np.array([t[0], t[1] ** 3 - t[1]]), dim=2,
    hessian=lambda t: np.array([[1.0, 0.0], [0.0, 3.0 * t[1] ** 2 - 1.0]]),
    name="½x² + ¼y⁴ − ½y²")
MIN_VALUE = -0.25
ESCAPED = -0.24     # "off the plateau": within 0.01 of the minimum's value


def compute_saddle_escape(lr: float = 0.1, deltas=(1e-2, 1e-4, 1e-8), steps: int = 400,
                          newton_steps: int = 6) -> dict:
    """Gradient descent and Newton's method from (1, δ) for each δ.

    Gradient descent: the steps until J ≤ ``ESCAPED`` (the plateau's length), beside the
    prediction ln(1/δ)/ln(1 + ε). Newton: the distance to the saddle after
    ``newton_steps`` steps, and J there.
    """
    rows = []
    for delta in deltas:
        start = np.array([1.0, delta])
        gd = minimize(DOUBLE_WELL, SGD(lr=lr), start, steps)
        below = np.flatnonzero(gd.losses <= ESCAPED)
        newton = minimize(DOUBLE_WELL, Newton(), start, newton_steps)
        rows.append({"delta": delta, "losses": gd.losses,
                     "escape": int(below[0]) if below.size else None,
                     "predicted": math.log(1 / delta) / math.log(1 + lr),
                     "newton_distance": float(np.linalg.norm(newton.theta)),
                     "newton_loss": float(newton.loss), "newton_thetas": newton.thetas,
                     "gd_thetas": gd.thetas})
    escapes = [row["escape"] for row in rows]
    per_decade = ((escapes[-1] - escapes[0]) / math.log10(deltas[0] / deltas[-1])
                  if None not in escapes else np.nan)
    return {"lr": lr, "rows": rows, "steps": steps, "newton_steps": newton_steps,
            "per_decade": float(per_decade),
            "per_decade_theory": math.log(10) / math.log(1 + lr)}


def report_saddle_escape(r: dict) -> str:
    lines = [f"J = ½x² + ¼y⁴ − ½y², start (1, δ); gradient descent with ε = {r['lr']:g}, "
             f"Newton's method for {r['newton_steps']} steps",
             f"{'δ':>7} {'GD: steps to escape':>20} {'ln(1/δ)/ln(1+ε)':>16} "
             f"{'Newton: ‖θ − saddle‖':>21} {'J':>6}"]
    for row in r["rows"]:
        escape = "never" if row["escape"] is None else str(row["escape"])
        lines.append(f"{row['delta']:7.0e} {escape:>20} {row['predicted']:16.1f} "
                     f"{row['newton_distance']:21.1e} {row['newton_loss']:6.2f}")
    lines.append(f"plateau growth per decade of δ: {r['per_decade']:.1f} steps measured, "
                 f"ln 10/ln(1 + ε) = {r['per_decade_theory']:.1f}")
    return "\n".join(lines)


def figure_saddle_escape(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.6))
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.3])
        box = (-1.2, 1.2, -1.4, 1.4)
        plotting.contour(DOUBLE_WELL, ax=left, box=box, minima=False)
        left.plot([0, 0], [-1, 1], "*", markersize=16, color="black", linestyle="none",
                  label="minima")
        left.plot([0], [0], "X", markersize=12, color=PALETTE[3], linestyle="none",
                  label="saddle")
        row = r["rows"][1]
        plotting.trajectory(left, row["gd_thetas"][:120], label="gradient descent",
                            color=PALETTE[0], markersize=3)
        plotting.trajectory(left, row["newton_thetas"], label="Newton", color=PALETTE[1],
                            marker="s")
        left.set_title(f"from (1, {row['delta']:g})")
        left.legend(loc="upper right", fontsize=10)
        for i, row in enumerate(r["rows"]):
            right.plot(row["losses"] - MIN_VALUE, color=PALETTE[i], marker="none",
                       label=f"δ = {row['delta']:g}")
        right.set_yscale("log")
        right.set_ylim(1e-12, 2.0)
        right.set_xlabel("step k")
        right.set_ylabel("J(θ_k) − J*")
        right.set_title("gradient descent: plateaus at the saddle's level")
        right.legend(loc="lower left", fontsize=12)
    return fig
