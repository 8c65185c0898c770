"""Notebook 08's tuning challenge, solved with the explorer: Polyak averaging within 0.04 of
the minimizer after 500 steps of constant-rate SGD on single examples.

The learner chooses ε and the step after which the average starts. Too small an ε and the
iterates have not arrived yet when the average is taken; too large and they scatter widely;
starting the average too early mixes in the approach from θ₀, too late leaves few iterates
to average. The hidden test re-runs the settings with other minibatches.
"""

from __future__ import annotations

from ...common.challenge import Challenge, make_challenge_checks

TARGET = 0.04


def _explain(settings: dict, result: dict, value: float) -> str:
    if result["stop_reason"] == "diverged":
        return "SGD diverged: lower ε."
    path = result["dist"]["iterate"]
    start = int(settings["start"])
    if path[start] > 0.5:
        return (f"at step {start}, where the average starts, the iterate is still "
                f"{path[start]:.2g} from θ*: the average includes the approach. Start it later, "
                "or raise ε so that SGD arrives sooner.")
    return (f"the iterates scatter {result['cloud']:.2g} around θ* (rms, second half); the "
            "average of too few of them is still noisy. Average more iterates (start earlier) "
            "or lower ε (a smaller cloud).")


AVERAGING_CHALLENGE = Challenge(
    answer="averaging_settings",
    goal=f"the Polyak average within {TARGET:g} of θ* after 500 steps, one example per step",
    compute="course_lib.lessons.nb08_meta_algorithms.averaging_explorer:compute_averaging",
    measure=lambda result: result["final"]["polyak"], target=TARGET,
    fixed={"batch_size": 1},
    free={"lr": (1e-3, 0.3), "start": (0, 450)},
    quantity="‖θ̂ − θ*‖ after 500 steps",
    explain=_explain,
    nearby=lambda rng: {"seed": int(rng.integers(1, 1000))})
check_averaging_settings, check_averaging_settings_nearby = make_challenge_checks(
    AVERAGING_CHALLENGE)
