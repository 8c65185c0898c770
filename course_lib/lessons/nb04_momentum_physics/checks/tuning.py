"""Exercise 4 of notebook 04, solved with the explorer: ε and α that make momentum converge
within a budget of steps (a ``lessons.common.challenge.Challenge``)."""

from __future__ import annotations

import math

from ...common.challenge import Challenge, make_challenge_checks

# --- a tuning challenge, solved with the explorer ------------------------------------------
CHALLENGE_STEPS = 60


def _steps_to_converge(result: dict) -> float:
    return float(result["steps_run"]) if result["stop_reason"] == "converged" else math.inf


def _explain_tuning(settings: dict, result: dict, value: float) -> str:
    from ....rates import heavy_ball_radius, tuned_heavy_ball

    lam = (1.0, 20.0)                   # the κ = 20 quadratic's curvatures
    best = tuned_heavy_ball(lam[1], lam[0])
    rate = float(heavy_ball_radius(settings["lr"], settings["alpha"], lam))
    if result["stop_reason"] == "diverged":
        return (f"the run diverged: at α = {settings['alpha']:g} the steep direction "
                f"(λ = {lam[1]:g}) is stable only for ε < 2(1 + α)/λ_max = "
                f"{2 * (1 + settings['alpha']) / lam[1]:.3g}.")
    return (f"these settings shrink the error by {rate:.3f} per step; the best possible is "
            f"{best['rate']:.3f}, at ε ≈ {best['lr']:.3f} and α ≈ {best['alpha']:.2f} "
            "(section 4). With α too large the path spirals for a long time; with α or ε too "
            "small it creeps along the valley.")


TUNING = Challenge(
    answer="tuned_momentum",
    goal=f"momentum from start A converges (‖∇J‖∞ ≤ 10⁻⁶) in at most {CHALLENGE_STEPS} steps",
    compute="course_lib.lessons.nb04_momentum_physics.momentum_explorer:compute_path",
    measure=_steps_to_converge, target=CHALLENGE_STEPS,
    fixed={"method": "momentum", "function": "ill-conditioned quadratic (κ = 20)",
           "start": "A"},
    free={"lr": (1e-4, 1.0), "alpha": (0.0, 0.99)},
    quantity="steps to converge", explain=_explain_tuning,
    nearby=lambda rng: {"start": str(rng.choice(["B", "C"]))})
check_tuned_momentum, check_tuned_momentum_nearby = make_challenge_checks(TUNING)
