"""The tuning challenge of notebook 09, solved with the σ-schedule explorer: a schedule that
takes continuation from (−3, 3) to the global minimum of the 2-D ripple landscape within
200 gradient evaluations. The hidden test runs the same schedule with the well moved a
little (a nearby problem), so a robust schedule passes and a lucky one may not."""

from __future__ import annotations

import numpy as np

from ...common.challenge import Challenge, make_challenge_checks

TARGET = 1e-4
BUDGET = 200
NEARBY_SHIFT = 0.3


def _excess(result: dict) -> float:
    return float(result["excess"])


def _explain(settings: dict, result: dict, value: float) -> str:
    n, m = int(settings["n_stages"]), int(settings["steps"])
    if result["cut"]:
        return (f"the schedule needs {n} × {m} = {n * m} gradient evaluations, more than the "
                f"budget of {BUDGET}: the run was cut before its last stages (σ = 0 never "
                "got its full share). Fewer stages or fewer steps per stage.")
    if result["ripple_left"] > 0.05:
        return (f"σ₀ = {settings['sigma0']:.3g} is too small: the first blur keeps "
                f"{result['ripple_left']:.0%} of the ripples (their amplitude falls like "
                "e^{−σ²·3²/2}), so the first stage is already stuck in a ripple near the "
                "start. Start blurrier.")
    slow = np.flatnonzero(result["stage_grad"] > 1e-2)
    if slow.size:
        i = int(slow[0])
        return (f"stage {i + 1} (σ = {result['sigmas'][i]:.3g}) ended with ‖∇J_σ‖ = "
                f"{result['stage_grad'][i]:.2g}: {m} steps were not enough to reach its "
                "minimum, so the next stage started off the track. More steps per stage "
                "(and fewer stages to stay in the budget).")
    return ("every stage converged, but the tracked minimum jumped to another basin between "
            "two stages: the blur fell too fast. More stages (a smaller drop of σ each time), "
            "or a linear schedule that spends more stages at large σ.")


def _nearby(rng: np.random.Generator) -> dict:
    angle = rng.uniform(0.0, 2 * np.pi)
    radius = NEARBY_SHIFT * np.sqrt(rng.uniform(0.25, 1.0))
    return {"shift": (round(float(radius * np.cos(angle)), 3),
                      round(float(radius * np.sin(angle)), 3))}


SIGMA_SCHEDULE = Challenge(
    answer="sigma_schedule",
    goal=f"continuation from (−3, 3) ends within J − J* ≤ 10⁻⁴ of the global minimum, in "
         f"at most {BUDGET} gradient evaluations",
    compute="course_lib.lessons.nb09_continuation_curriculum.sigma_explorer:compute_schedule",
    measure=_excess, target=TARGET,
    free={"sigma0": (0.1, 5.0), "n_stages": (2, 12), "steps": (5, 100),
          "shape": ["linear", "geometric"]},
    quantity=f"J(θ) − J* after at most {BUDGET} gradient evaluations", explain=_explain,
    nearby=_nearby)
check_sigma_schedule, check_sigma_schedule_nearby = make_challenge_checks(SIGMA_SCHEDULE)
