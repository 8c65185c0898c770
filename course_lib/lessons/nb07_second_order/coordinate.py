"""Notebook 07, §11: exact coordinate descent on f(x) = (x₁ − x₂)² + α(x₁² + x₂²) needs about
ln(1/tol)/(2 ln(1 + α)) sweeps, which explodes as α → 0; Newton needs one step.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...objectives import CoupledQuadratic
from ...optim import CoordinateDescent, Newton
from ...run import Oracle, minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE

# --- 2. coordinate descent on the coupled quadratic ------------------------------------------
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


@cached
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
    fig = plotting.figure(figsize=(10.8, 5.4))      # ≤ 10.8 in: 13-pt text stays ≥ 9 px
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.2])
        plotting.contour(f, ax=left, box=(-1.7, 1.2, -1.2, 1.2))
        plotting.trajectory(left, np.array(points), label="coordinate descent",
                            color=PALETTE[0], markersize=3.5)
        plotting.trajectory(left, np.array([r["x0"], [0.0, 0.0]]), label="Newton (1 step)",
                            color=PALETTE[1], marker="s", linewidth=2.4)
        left.set_title(f"α = {alpha:g}: {sweeps} sweeps, or one Newton step", fontsize=13)
        left.legend(loc="lower right", fontsize=13)
        a = np.array([row["alpha"] for row in r["rows"]])
        right.plot(a, [row["sweeps"] for row in r["rows"]], marker="o", color=PALETTE[0],
                   label="coordinate descent")
        right.plot(a, [row["predicted"] for row in r["rows"]], marker="none", linestyle="--",
                   color="black", linewidth=1.4, label="theory")
        right.plot(a, np.ones_like(a), marker="s", color=PALETTE[1], label="Newton")
        right.set_xscale("log")
        right.set_yscale("log")
        right.yaxis.set_minor_locator(NullLocator())
        right.set_xlabel("α")
        right.set_ylabel(f"steps to ‖x‖ ≤ {r['tol']:g}·‖x₀‖")
        right.set_title("sweeps grow like 1/α", fontsize=13)
        right.legend(loc="upper right", fontsize=13)
    return fig
