"""Notebook 07's tuning exercise, solved with the explorer (``lessons.common.challenge``).

Plain Newton with a fixed damping α (eq. 8.28) on the double well from start A must reach a
*minimum* (not the saddle) with ‖∇J‖∞ ≤ 10⁻⁸ within 25 iterations. Two limits, both from
sections 3 and 4: too little damping and Newton converges to the saddle, whose curvature
along θ₂ is −1; too much and the step is a slow gradient step, θ₁ shrinking only by
α/(1 + α) per iteration (H₁₁ = 1), which bounds α from above. The hidden test re-runs the
recorded α from start B or C.
"""

from __future__ import annotations

import math

from ...common.challenge import Challenge, make_challenge_checks

FUNCTION = "double well (a saddle at 0)"
BUDGET = 25
TOL = 1e-8          # the explorer's convergence test, ‖∇J‖∞ ≤ 1e-8


def _iterations_to_a_minimum(result: dict) -> float:
    """Iterations to ‖∇J‖∞ ≤ 1e-8 at a minimum (J = 0); inf at the saddle or unconverged."""
    at_minimum = result["final_loss"] - result["min_value"] < 1e-10
    if result["stop_reason"] == "converged" and at_minimum:
        return float(result["iterations"])
    return math.inf


def _explain(settings: dict, result: dict, value: float) -> str:
    alpha = settings["alpha"]
    if result["stop_reason"] == "converged":
        if result["final_loss"] > 0.2:
            return (f"Newton converged to the saddle (J = {result['final_loss']:.2f}): with "
                    f"α = {alpha:g} the damping does not outweigh the negative curvature on "
                    "the way (−0.73 along θ₂ at the start, −1 at the saddle; section 4), so "
                    "the step still climbs along θ₂.")
    shrink = alpha / (1 + alpha)
    needed = math.ceil(math.log(TOL) / math.log(shrink)) if 0 < shrink < 1 else math.inf
    return (f"a minimum, but slowly: far from the saddle the damped step is close to −g/α, "
            f"and θ₁ (curvature 1) shrinks only by α/(1 + α) = {shrink:.3f} per iteration, "
            f"so about {needed} iterations for θ₁ alone to fall below {TOL:g}. Less damping "
            "is faster, as long as it still avoids the saddle.")


DAMPING = Challenge(
    answer="tuned_alpha",
    goal=f"plain Newton on the double well from start A reaches a minimum (‖∇J‖∞ ≤ 10⁻⁸) "
         f"within {BUDGET} iterations",
    compute="course_lib.lessons.nb07_second_order.second_order_explorer:compute_path",
    measure=_iterations_to_a_minimum, target=BUDGET,
    fixed={"method": "Newton", "function": FUNCTION, "start": "A"},
    free={"alpha": (0.0, 20.0)}, quantity="iterations to a minimum", explain=_explain,
    nearby=lambda rng: {"start": str(rng.choice(["B", "C"]))})
check_tuned_alpha, check_tuned_alpha_nearby = make_challenge_checks(DAMPING)
