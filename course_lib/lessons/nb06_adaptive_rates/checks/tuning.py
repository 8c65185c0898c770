"""Notebook 06's tuning exercise, solved with an explorer (``lessons.common.challenge``).

On the rotated bowl (curvatures 1 and 100, eigenvectors turned by 30° from the axes) from
start A, one method of the explorer must bring J − J* to 10⁻⁸ or below within 120 steps.
The learner chooses the method and its hyperparameters. What decides it is section 8's
lesson: a rate per parameter cannot undo a rotation, momentum can (and notebook 04 says
where its best settings lie). The hidden test re-runs the recorded settings from start B or
C, so a setting that only just works from A may miss.
"""

from __future__ import annotations

import math

from ....rates import heavy_ball_radius, tuned_heavy_ball
from ...common.challenge import Challenge, make_challenge_checks

PROBLEM = "bowl κ = 100, rotated 30°"
CURVATURES = (1.0, 100.0)
STEPS = 120
TARGET = 1e-8
METHODS = ("SGD", "momentum", "AdaGrad", "RMSProp", "RMSProp+Nesterov", "Adam", "AdaDelta")


def _excess(result: dict) -> float:
    """J − J* after the run; inf if it diverged (a diverged run meets no target)."""
    value = float(result["final_excess"])
    return value if result["stop_reason"] != "diverged" and math.isfinite(value) else math.inf


def _explain(settings: dict, result: dict, value: float) -> str:
    method, (lam_min, lam_max) = settings["method"], CURVATURES
    best = tuned_heavy_ball(lam_max, lam_min)
    if result["stop_reason"] == "diverged":
        if method == "momentum":
            limit = 2 * (1 + settings["alpha"]) / lam_max
            return (f"the run diverged: with α = {settings['alpha']:g}, momentum is stable on "
                    f"the steep direction (curvature {lam_max:g}) only for ε < 2(1 + α)/λ_max"
                    f" = {limit:.3g}.")
        if method == "SGD":
            return (f"the run diverged: gradient descent is stable on the steep direction "
                    f"(curvature {lam_max:g}) only for ε < 2/λ_max = {2 / lam_max:g}.")
        return ("the run diverged: the steps are too long for the steep direction "
                f"(curvature {lam_max:g}); lower ε.")
    if method in ("AdaGrad", "RMSProp", "AdaDelta"):
        return (f"{method} gives each parameter its own rate, but on this bowl the steep and "
                "the flat directions are not the axes: every parameter mixes both, so no "
                "rate per parameter can undo the rotation (section 8). Which methods won "
                "the rotated bowl there?")
    if method == "SGD":
        rate = (lam_max - lam_min) / (lam_max + lam_min)
        return (f"gradient descent at its best rate shrinks the error only by {rate:.3f} per "
                f"step here (κ = {lam_max / lam_min:g}): {STEPS} steps are far too few.")
    if method == "momentum":
        rate = float(heavy_ball_radius(settings["lr_sgd"], settings["alpha"], CURVATURES))
        return (f"these settings shrink the error by {rate:.3f} per step; the best possible "
                f"is {best['rate']:.3f}, at the ε and α of notebook 04, section 4, for "
                "curvatures 1 and 100. Too large an α keeps it spiralling; too small an ε or "
                "α makes it creep along the flat direction.")
    return (f"{method} has momentum, but its per-parameter scaling of the step works against "
            "a rotated bowl; it can come close with a large ε. Compare with plain momentum, "
            "the winner of this bowl in section 8.")


TUNING = Challenge(
    answer="tuned_run",
    goal=f"J − J* ≤ 10⁻⁸ within {STEPS} steps on the rotated bowl from start A",
    compute="course_lib.lessons.nb06_adaptive_rates.tuning:compute_one",
    measure=_excess, target=TARGET,
    fixed={"problem": PROBLEM, "start": "A"},
    free={"method": list(METHODS), "lr_adaptive": (1e-4, 3.0), "lr_sgd": (1e-5, 1.0),
          "rho": (0.0, 0.999), "alpha": (0.0, 0.99), "rho1": (0.0, 0.99),
          "rho2": (0.0, 0.999), "bias_correction": [True, False]},
    quantity=f"J − J* after {STEPS} steps", explain=_explain,
    nearby=lambda rng: {"start": str(rng.choice(["B", "C"]))})
check_tuned_run, check_tuned_run_nearby = make_challenge_checks(TUNING)
