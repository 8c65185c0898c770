"""The tuning challenge of notebook 01, solved with the explorer: the capacity for 100 examples.

With m = 100 examples of y = sin 2πx + 0.3ε and the explorer's budget of 1000 SGD updates,
choose the polynomial's degree and the minibatch size so that the median true risk J* of
the five training sets is at most ``TARGET`` (the Bayes risk is 0.045). Too low a degree cannot
represent sin 2πx (bias); too high a degree fits the noise of 100 points (variance), the more
so with large minibatches, which reach the training minimum within the budget. The hidden
test re-runs the recorded settings on five new training sets.
"""

from __future__ import annotations

from ...common.challenge import Challenge, make_challenge_checks

TARGET = 0.062
M = 100


def _median_true_risk(result: dict) -> float:
    return float(result["final_true"])


def _explain(settings: dict, result: dict, value: float) -> str:
    degree = settings["degree"]
    if result["best"] > TARGET:
        return (f"degree {degree} cannot represent sin 2πx: even its best θ has true risk "
                f"{result['best']:.3f} > {TARGET:g} (too little capacity, a bias no amount of "
                "data removes). Raise the degree.")
    if result["gap"] > 0.5 * (value - result["bayes"]):
        return (f"the training risk J = {result['final_train']:.4f} is far below J* = "
                f"{value:.4f}: degree {degree} fits the noise of {M} examples (too much "
                "capacity, a variance). Lower the degree, or take smaller minibatches, which "
                "stop short of the training minimum within the 1000 updates.")
    return ("neither the bias nor the gap dominates: the run has not converged within the "
            "budget. Try a larger minibatch or a nearby degree.")


CAPACITY = Challenge(
    answer="capacity_settings",
    goal=f"median true risk J* ≤ {TARGET:g} with m = {M} examples",
    compute="course_lib.lessons.nb01_risk_minimization.risk_curves:compute_risk_curves",
    measure=_median_true_risk, target=TARGET, below=True,
    fixed={"m": M},
    free={"degree": (1, 20), "batch_size": [1, 4, 16, 64, "all"]},
    quantity="median true risk J*", explain=_explain,
    nearby=lambda rng: {"seed": int(rng.integers(5, 1_000_000))})
check_capacity_settings, check_capacity_settings_nearby = make_challenge_checks(CAPACITY)
