"""Notebook 07, §4: damping (eq. 8.28) on the double well of §3.

Adding αI to H repairs the direction once α exceeds the largest negative curvature, and for
large α turns the step into −g/α. Each row of the table says, from the numbers, what the
step does along the negative-curvature direction θ₂ (``where_it_goes``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from .newton import WELL, WELL_THETA0

PALETTE = plotting.PALETTE


# --- 4. damping (eq. 8.28) -------------------------------------------------------------------
def where_it_goes(theta2: float, g2: float, d2: float) -> str:
    """What the damped step does along θ₂ on the double well (minima at θ₂ = ±1, the saddle's
    ridge at θ₂ = 0), read from the numbers: first the direction against the slope −g₂, then
    where the new θ₂ lands."""
    way = "uphill" if d2 * g2 > 0 else "downhill"
    new = theta2 + d2
    if abs(new) < 0.1:
        return f"{way}, to the saddle"
    if new * theta2 < 0:
        return f"{way}, into the other well"
    if abs(new) > 1.0:
        return f"{way}, past the minimum"
    return f"{way}, toward the minimum"


def compute_damping(alphas=(0.0, 0.5, 1.0, 2.0, 10.0, 100.0, 1000.0), theta=WELL_THETA0) -> dict:
    """The damped step Δθ = −(H + αI)⁻¹g at ``theta`` of the double well, for each α.

    Per α: the smallest eigenvalue of H + αI, the move Δθ₂ along the negative-curvature
    direction, where θ₂ lands and J there, what the step does along θ₂ (``where_it_goes``:
    uphill or downhill first, then to the saddle, into the other well, toward or past the
    minimum), cos(Δθ, −g), and ‖αΔθ + g‖/‖g‖, which tends to 0 like 1/α (the step becomes
    −g/α).
    """
    theta = np.asarray(theta, dtype=float)
    g, H = WELL.grad(theta), WELL.hessian(theta)
    rows = []
    for alpha in alphas:
        delta = np.linalg.solve(H + alpha * np.eye(2), -g)            # Δθ = −(H + αI)⁻¹g
        rows.append({
            "alpha": float(alpha), "min_eig": float(np.linalg.eigvalsh(H + alpha * np.eye(2))[0]),
            "d2": float(delta[1]), "uphill": bool(delta[1] * g[1] > 0),
            "theta2": float(theta[1] + delta[1]), "loss": float(WELL.loss(theta + delta)),
            "where": where_it_goes(float(theta[1]), float(g[1]), float(delta[1])),
            "cos": float(-g @ delta / (np.linalg.norm(g) * np.linalg.norm(delta))),
            "gap": float(np.linalg.norm(alpha * delta + g) / np.linalg.norm(g)),
        })
    return {"theta": theta, "g": g, "H": H, "rows": rows, "loss": float(WELL.loss(theta)),
            "lam_min": float(np.linalg.eigvalsh(H)[0])}


def report_damping(r: dict) -> str:
    t = r["theta"]
    lines = [f"at θ = ({t[0]:g}, {t[1]:g}), J = {r['loss']:.3f}: g = ({r['g'][0]:.3f}, "
             f"{r['g'][1]:.3f}), H = diag({r['H'][0, 0]:.2f}, {r['H'][1, 1]:.2f}); negative "
             f"curvature {r['lam_min']:.2f} along θ₂; the minima are at θ₂ = ±1",
             f"{'α':>6} {'λ_min(H+αI)':>12} {'Δθ₂':>7} {'θ₂ after':>9} {'J after':>8}  "
             f"{'the step along θ₂':<28}{'cos(Δθ, −g)':>11} {'‖αΔθ + g‖/‖g‖':>15}"]
    for row in r["rows"]:
        lines.append(f"{row['alpha']:6g} {row['min_eig']:12.2f} {row['d2']:7.3f} "
                     f"{row['theta2']:9.3f} {row['loss']:8.4f}  {row['where']:<28}"
                     f"{row['cos']:11.4f} {row['gap']:15.4f}")
    return "\n".join(lines)


def figure_damping(r: dict):
    fig = plotting.figure(figsize=(8.5, 4.4))
    with plotting.style():
        ax = fig.add_subplot()
        alphas = np.geomspace(1e-2, 1e4, 400)
        g, H = r["g"], r["H"]
        gaps = [np.linalg.norm(a * np.linalg.solve(H + a * np.eye(2), -g) + g) / np.linalg.norm(g)
                for a in alphas]
        ax.plot(alphas, gaps, color=PALETTE[0], marker="none", label="‖αΔθ + g‖ / ‖g‖")
        ax.axvline(-r["lam_min"], color=PALETTE[3], linestyle="--", linewidth=1.5,
                   label=f"α = {-r['lam_min']:.2f}: H + αI singular")
        shown = [row for row in r["rows"] if row["alpha"] > 0]
        ax.plot([row["alpha"] for row in shown], [row["gap"] for row in shown],
                linestyle="none", marker="o", color=PALETTE[1], label="table rows")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("damping α")
        ax.set_ylabel("distance from −g/α (relative)")
        ax.set_title("large α: the damped step becomes the gradient step −g/α")
        ax.legend(loc="lower left", fontsize=12)
    return fig
