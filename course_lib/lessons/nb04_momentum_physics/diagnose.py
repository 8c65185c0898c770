"""Notebook 04, exercise 5: four broken runs of momentum, to diagnose from their loss curves.

Every run is momentum (Algorithm 8.2) on the explorer's ill-conditioned quadratic (κ = 20)
from start A, for ``STEPS`` steps, and each has one thing wrong with it: a learning rate past
the stability limit, one far too small, a momentum α so close to 1 that the ball keeps
swinging, or noisy gradients (g̃ = ∇J + σξ) that leave the loss on a noise floor.

``run_broken`` re-runs a run's settings, optionally from another start or with another noise
seed (the hidden test's nearby runs); ``repaired`` is the run with the one change that
should cure a given cause.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...objectives import FunctionObjective
from ...optim import Momentum
from ...run import minimize
from .checks.diagnosis import CAUSES, LETTERS
from .momentum_explorer import landscape, start_point

STEPS = 200
FUNCTION = "ill-conditioned quadratic (κ = 20)"
START = "A"
__all__ = ["CAUSES", "LETTERS", "RUNS", "REPAIRS", "run_broken", "cured", "nearby_start",
           "compute_broken_runs", "report_broken_runs", "figure_broken_runs"]
# the runs as the learner sees them, letter → settings (the checks know the causes)
RUNS = {
    "A": {"lr": 0.03, "alpha": 0.99, "sigma": 0.0},
    "B": {"lr": 0.05, "alpha": 0.5, "sigma": 2.0},
    "C": {"lr": 0.191, "alpha": 0.9, "sigma": 0.0},
    "D": {"lr": 0.0025, "alpha": 0.5, "sigma": 0.0},
}
# the single change that cures each cause (the hidden test applies them to every run)
REPAIRS = {
    "lr too large": ("ε ÷ 4", lambda s: {**s, "lr": s["lr"] / 4.0}),
    "lr too small": ("ε × 20", lambda s: {**s, "lr": s["lr"] * 20.0}),
    "alpha too large": ("α = 0.5", lambda s: {**s, "alpha": min(s["alpha"], 0.5)}),
    "noisy gradients": ("exact gradients", lambda s: {**s, "sigma": 0.0}),
}
CURED = 1e-6                    # a repaired run ends with J ≤ CURED · J(θ₀)


def _objective(sigma: float, seed: int):
    f = landscape(FUNCTION)
    if sigma == 0.0:
        return f
    rng = np.random.default_rng(seed)
    return FunctionObjective(f.loss, lambda th: f.grad(th) + sigma * rng.standard_normal(2),
                             dim=2, name=f"{f.name}, noisy gradients")


def run_broken(settings: dict, theta0=None, seed: int = 0, steps: int = STEPS) -> dict:
    """Momentum with ``settings`` (lr, alpha, sigma) from ``theta0`` (default: start A); the
    noise-free loss J(θ_k) at every step (a diverged run stops early)."""
    f = landscape(FUNCTION)
    theta0 = start_point(FUNCTION, START) if theta0 is None else np.asarray(theta0, float)
    trace = minimize(_objective(settings["sigma"], seed),
                     Momentum(lr=settings["lr"], alpha=settings["alpha"]), theta0, steps,
                     warn=False)
    losses = np.array([f.loss(theta) for theta in trace.thetas])
    return {"losses": losses, "stop_reason": trace.stop_reason, "J0": float(losses[0]),
            "final": float(losses[-1]), "late": float(losses[-20:].mean()),
            "settings": dict(settings)}


def cured(run: dict) -> bool:
    """Converged: not diverged, and J averaged over the last 20 steps (a noisy run's single
    last value can be anywhere on its floor) is at most ``CURED`` × J(θ₀)."""
    return run["stop_reason"] != "diverged" and run["late"] <= CURED * run["J0"]


def nearby_start(rng: np.random.Generator) -> np.ndarray:
    """Start A turned by up to ±0.2 rad and scaled by 0.7–1.3: a nearby run (A lies 0.37 rad
    from the steep axis, so the flat direction always keeps a share of the error)."""
    angle, scale = rng.uniform(-0.2, 0.2), rng.uniform(0.7, 1.3)
    c, s = np.cos(angle), np.sin(angle)
    return scale * np.array([[c, -s], [s, c]]) @ start_point(FUNCTION, START)


def compute_broken_runs(seed: int = 0) -> dict:
    return {"runs": {letter: run_broken(settings, seed=seed)
                     for letter, settings in RUNS.items()}, "steps": STEPS}


def report_broken_runs(r: dict) -> str:
    marks = (0, 50, 100, r["steps"])
    lines = [f"four runs of momentum on the {FUNCTION} from start {START}, J(θ₀) = "
             f"{r['runs']['A']['J0']:.3g}",
             "run " + "".join(f"{'J after ' + str(k):>21}" for k in marks[1:])]
    for letter, run in r["runs"].items():
        cells = [f"{run['losses'][k]:21.3g}" if k < len(run["losses"]) else
                 f"{'stopped: J > 1e12':>21}" for k in marks[1:]]
        lines.append(f"{letter:3} " + "".join(cells))
    return "\n".join(lines)


def figure_broken_runs(r: dict):
    fig = plotting.figure(figsize=(11.0, 7.0))
    with plotting.style():
        axes = fig.subplots(2, 2, sharex=True).ravel()
        for i, (ax, (letter, run)) in enumerate(zip(axes, r["runs"].items(), strict=True)):
            ax.plot(np.arange(len(run["losses"])), run["losses"], color=plotting.PALETTE[i],
                    marker="none", linewidth=1.8)
            if run["stop_reason"] == "diverged":
                ax.annotate("stopped: J > 10¹²", (len(run["losses"]) - 1, run["losses"][-1]),
                            xytext=(-8, 0), textcoords="offset points", ha="right",
                            va="center", fontsize=12)
            ax.set_yscale("log")
            ax.set_title(f"run {letter}")
            ax.set_ylabel("J(θₖ)")
            if i >= 2:
                ax.set_xlabel("step k")
    return fig
