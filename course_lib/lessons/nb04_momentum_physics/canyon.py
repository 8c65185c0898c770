"""Notebook 04, §1: gradient descent zig-zags across a narrow quadratic canyon; momentum with
the same ε runs along it (the book's figure 8.5).
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...objectives import Quadratic
from ...optim import SGD, Momentum
from ...run import minimize

PALETTE = plotting.PALETTE

# --- 1. the canyon (figure 8.5) --------------------------------------------------------------
CANYON = Quadratic((0.5, 20.0), name="canyon: eigenvalues 0.5 (along) and 20 (across)")
CANYON_THETA0 = (-8.0, 1.0)
CANYON_BOX = (-9.0, 2.0, -2.0, 2.0)


def compute_canyon(steps: int = 40, alpha: float = 0.5) -> dict:
    """Gradient descent and momentum with the same ε = 2/(λ_max + λ_min) in the canyon.

    The canyon J = ½(0.5 θ₁² + 20 θ₂²) is steep across (θ₂) and flat along (θ₁). Measured
    for each run: the loss after ``steps`` steps, how often the steep component θ₂ changes
    sign (the zig-zag), and the distance travelled across (Σ|Δθ₂|) and along (θ₁ gained).
    """
    q = CANYON
    lr = q.best_gd_lr
    runs = {"gradient descent": minimize(q, SGD(lr=lr), CANYON_THETA0, steps),
            f"momentum, α = {alpha:g}": minimize(q, Momentum(lr=lr, alpha=alpha),
                                                 CANYON_THETA0, steps)}
    out = {"lr": lr, "alpha": alpha, "steps": steps, "runs": {}}
    for name, trace in runs.items():
        across = trace.thetas[:, 1]
        out["runs"][name] = {
            "thetas": trace.thetas, "losses": trace.losses, "loss": trace.loss,
            "sign_changes": int(np.sum(np.sign(across[1:]) != np.sign(across[:-1]))),
            "across": float(np.sum(np.abs(np.diff(across)))),
            "along": float(trace.thetas[-1, 0] - trace.thetas[0, 0]),
        }
    return out


def report_canyon(r: dict) -> str:
    lines = [f"ε = 2/(λ_max + λ_min) = {r['lr']:.4f} for both runs, {r['steps']} steps "
             f"from θ₀ = {CANYON_THETA0}",
             f"{'':18} {'J(θ) after':>11} {'θ₂ sign changes':>16} {'Σ|Δθ₂| across':>14} "
             f"{'Δθ₁ along':>10}"]
    for name, run in r["runs"].items():
        lines.append(f"{name:18} {run['loss']:11.2e} {run['sign_changes']:16d} "
                     f"{run['across']:14.2f} {run['along']:10.2f}")
    return "\n".join(lines)


def figure_canyon(r: dict):
    fig = plotting.figure(figsize=(12.0, 7.4))
    with plotting.style():
        top, bottom = fig.subplots(2, 1, height_ratios=[1.5, 1])
        plotting.contour(CANYON, ax=top, box=CANYON_BOX, minima=True)
        for i, (name, run) in enumerate(r["runs"].items()):
            plotting.trajectory(top, run["thetas"], label=name, color=PALETTE[i],
                                marker=plotting.MARKERS[i])
        top.set_title(f"the canyon: {r['steps']} steps with ε = {r['lr']:.4f}")
        top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=12)
        plotting.learning_curve(bottom, [run["losses"] for run in r["runs"].values()],
                                labels=list(r["runs"]), min_value=0.0)
        bottom.set_title("J(θ_k) − J*")
    return fig
