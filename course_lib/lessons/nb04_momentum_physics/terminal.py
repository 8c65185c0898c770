"""Notebook 04, §2: under a constant gradient the step size of momentum tends to
ε‖g‖/(1 − α) (eq. 8.17).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...objectives import ConstantSlope
from ...optim import Momentum
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE


# --- helpers ---------------------------------------------------------------------------------
# --- 2. terminal velocity (eq. 8.17) ---------------------------------------------------------
TERMINAL_G = (3.0, 4.0)     # ‖g‖ = 5
TERMINAL_LR = 0.01


@cached
def compute_terminal_velocity(alphas=(0.5, 0.9, 0.99), lr: float = TERMINAL_LR,
                              g=TERMINAL_G) -> dict:
    """Momentum on J = gᵀθ (a constant gradient) until α^k ≤ 10⁻⁷ for the largest α.

    For each α: the step sizes ‖θ_k − θ_{k−1}‖, the last one in units of a gradient step
    ε‖g‖ (the measured factor), the theory's 1/(1 − α), and ``rise``: the first step whose
    size reaches 1 − 1/e ≈ 63 % of the terminal one. The k-th step is (1 − αᵏ) times the
    terminal step, so ``rise`` is ⌈1/ln(1/α)⌉ ≈ 1/(1 − α): the velocity remembers about that
    many past gradients.
    """
    f = ConstantSlope(g)
    gnorm = float(np.linalg.norm(g))
    steps = math.ceil(math.log(1e-7) / math.log(max(alphas)))
    rows = []
    for alpha in alphas:
        trace = minimize(f, Momentum(lr=lr, alpha=alpha), np.zeros(len(g)), steps,
                         blowup=None)
        sizes = np.linalg.norm(np.diff(trace.thetas, axis=0), axis=1)
        rows.append({"alpha": float(alpha), "sizes": sizes,
                     "measured": float(sizes[-1] / (lr * gnorm)),
                     "theory": 1.0 / (1.0 - alpha),
                     "terminal": float(sizes[-1]),
                     "rise": int(np.argmax(sizes >= (1 - 1 / math.e) * sizes[-1])) + 1})
    return {"lr": lr, "gnorm": gnorm, "steps": steps, "rows": rows}


def report_terminal_velocity(r: dict) -> str:
    lines = [f"constant gradient, ‖g‖ = {r['gnorm']:g}, ε = {r['lr']:g}: a gradient step is "
             f"ε‖g‖ = {r['lr'] * r['gnorm']:g}; {r['steps']} steps",
             f"{'α':>5} {'last step':>10} {'÷ ε‖g‖ (measured)':>18} {'1/(1 − α)':>10} "
             f"{'steps to 63 %':>14}"]
    for row in r["rows"]:
        lines.append(f"{row['alpha']:5g} {row['terminal']:10.4f} {row['measured']:18.3f} "
                     f"{row['theory']:10.3f} {row['rise']:14d}")
    return "\n".join(lines)


def figure_terminal_velocity(r: dict):
    fig = plotting.figure(figsize=(9.0, 4.4))
    with plotting.style():
        ax = fig.add_subplot()
        unit = r["lr"] * r["gnorm"]
        for i, row in enumerate(r["rows"]):
            k = np.arange(1, len(row["sizes"]) + 1)
            ax.plot(k, row["sizes"] / unit, color=PALETTE[i], marker=plotting.MARKERS[i],
                    markevery=0.1, label=f"α = {row['alpha']:g}")
            ax.axhline(row["theory"], color=PALETTE[i], linestyle="--", linewidth=1.4)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step k")
        ax.set_ylabel("step size ÷ ε‖g‖")
        ax.set_title("momentum under a constant gradient (dashed: 1/(1 − α))")
        ax.legend(loc="upper left")
    return fig
