"""The widget-exercise kit (course_lib.lessons.common): tuning challenges and the learner's
code in an explorer, on a small problem of their own and on notebook 04's."""

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib.checks.hidden import HIDDEN_CHECKS  # noqa: E402
from course_lib.checks.result import RESULTS  # noqa: E402
from course_lib.checks.rules import Case  # noqa: E402
from course_lib.lessons.common.challenge import Challenge, make_challenge_checks  # noqa: E402
from course_lib.lessons.common.plug_in import reference_path, run_learner  # noqa: E402
from course_lib.lessons.nb04_momentum_physics import checks as checks04  # noqa: E402
from course_lib.lessons.nb04_momentum_physics import (
    learner_explorer,  # noqa: E402
    momentum_explorer,  # noqa: E402
)
from course_lib.objectives import Quadratic  # noqa: E402


# --- a challenge on a toy compute function: J(ε) after `steps` gradient steps on λ = 1 ----
def toy_compute(lr=0.1, steps=10, lam=1.0):
    theta = 1.0
    for _ in range(int(steps)):
        theta = theta - lr * lam * theta
    return {"loss": 0.5 * lam * theta * theta}


TOY = Challenge(answer="toy_lr", goal="J ≤ 1e-6 after 10 steps", compute=toy_compute,
                measure=lambda r: r["loss"], target=1e-6, fixed={"steps": 10},
                free={"lr": (0.0, 2.0)}, quantity="J(θ₁₀)",
                explain=lambda s, r, v: "ε too small" if s["lr"] < 1 else "ε too large",
                nearby=lambda rng: {"lam": float(rng.uniform(0.8, 1.25))})
check_toy, check_toy_nearby = make_challenge_checks(TOY)


def test_the_checks_are_named_after_the_answer_and_the_hidden_one_is_registered():
    assert check_toy.__name__ == "check_toy_lr"
    assert check_toy_nearby.__name__ == "check_toy_lr_nearby"
    assert "check_toy_lr_nearby" in HIDDEN_CHECKS
    check_toy({"lr": 1.0})
    assert RESULTS["check_toy_lr"].passed        # the running score finds it by its name


def test_met_and_missed_with_how_far_and_why():
    ok = check_toy({"lr": 1.0})                   # one exact step to the minimum: J = 0
    assert ok.passed and "target met" in ok.message
    low = check_toy({"lr": 0.1})                  # J = ½ 0.9²⁰ = 0.061
    assert not low.passed and "0.0608" in low.message and "above the target" in low.message
    assert "Likely cause: ε too small" in low.message
    assert TOY.met(1e-6) and not TOY.met(1.1e-6) and not TOY.met(math.nan)


@pytest.mark.parametrize("answer, status, words", [
    (None, "not done yet", "not done yet"),
    (..., "not done yet", "not done yet"),
    (0.5, "error", "should be a dict"),
    ({}, "error", "missing ['lr']"),
    ({"lr": 1.0, "steps": 3}, "error", "unknown ['steps']"),
    ({"lr": "1"}, "error", "should be a number"),
    ({"lr": math.nan}, "error", "should be a number"),
    ({"lr": 5.0}, "failed", "outside the explorer's range [0, 2]"),
])
def test_bad_records_get_a_clear_message(answer, status, words):
    result = check_toy(answer)
    assert result.status == status and words in result.message, result.message


def test_the_hidden_test_runs_a_nearby_problem_from_its_seed():
    robust, lucky = {"lr": 1.0}, {"lr": 1.0}
    first = check_toy_nearby(robust, seed=1)
    assert "seed 1" in first.message and "nearby problem (lam = " in first.message
    # λ between 0.8 and 1.25 with ε = 1: |1 − λ| ≤ 0.25, J ≤ ½ 0.25²⁰ ≈ 4e-13 → always met
    assert all(check_toy_nearby(robust, seed=s).passed for s in range(20))
    assert repr(check_toy_nearby(lucky, seed=3)) == repr(check_toy_nearby(lucky, seed=3))


def test_badge_and_record_line():
    assert TOY.badge({"lr": 1.0, "steps": 10}, toy_compute(1.0))[0] == "met"
    state, text = TOY.badge({"lr": 0.1, "steps": 10}, toy_compute(0.1))
    assert state == "not yet" and "J(θ₁₀) = 0.0608" in text
    state, text = TOY.badge({"lr": 1.0, "steps": 5}, toy_compute(1.0, 5))
    assert state == "off" and "set steps = 10" in text
    assert TOY.record({"lr": 0.12589254117941673, "steps": 10}) == "toy_lr = {'lr': 0.125892541179}"
    # the recorded line re-runs to the same verdict as the badge
    assert TOY.run({"lr": 0.125892541179})[0] == pytest.approx(toy_compute(0.12589254117941673)
                                                               ["loss"], rel=1e-10)


# --- notebook 04's challenge, with its explorer -------------------------------------------
def test_tuning_challenge_of_notebook_04():
    solution = {"lr": 0.125892541179, "alpha": 0.43}
    assert checks04.check_tuned_momentum(solution).passed
    assert all(checks04.check_tuned_momentum_nearby(solution, seed=s).passed for s in range(6))
    miss = checks04.check_tuned_momentum({"lr": 0.05, "alpha": 0.9})
    assert not miss.passed and "never reached" in miss.message
    assert "best possible is 0.635" in miss.message          # (√20 − 1)/(√20 + 1)
    blown = checks04.check_tuned_momentum({"lr": 0.3, "alpha": 0.9})
    assert "diverged" in blown.message and "0.19" in blown.message   # 2(1 + α)/λ_max
    assert checks04.check_tuned_momentum(None).status == "not done yet"


def test_the_explorer_badge_turns_green_when_the_controls_reach_the_target():
    explorer = momentum_explorer.momentum_explorer(challenge=checks04.TUNING)
    assert explorer.badge_state == "not yet"
    explorer.set(lr=10 ** -0.9, alpha=0.43)
    assert explorer.badge_state == "met" and "42 ≤ 60" in explorer.badge_text
    assert explorer.record_text == "tuned_momentum = {'lr': 0.125892541179, 'alpha': 0.43}"
    assert checks04.check_tuned_momentum(eval(explorer.record_text.split(" = ", 1)[1])).passed
    explorer.set(method="gradient descent")
    assert explorer.badge_state == "off" and explorer.controls["alpha"].disabled
    assert "has no velocity" in explorer.notes_box.value


# --- the learner's code in the explorer -----------------------------------------------------
BOWL_CASE = Case("bowl", Quadratic((1.0, 10.0)), {"theta": np.array([1.0, 1.0]),
                                                   "v": np.zeros(2)},
                 {"lr": 0.05, "alpha": 0.9}, 12)


def pytorch(theta, v, g, lr, alpha):
    return theta - lr * (alpha * v + g), alpha * v + g


def moving_average(theta, v, g, lr, alpha):
    v = alpha * v - (1 - alpha) * lr * g
    return theta + v, v


def test_the_reference_plugged_in_matches():
    run = run_learner(checks04.MOMENTUM_STEP.reference, checks04.MOMENTUM_STEP, BOWL_CASE)
    assert run.status == "matches" and run.first_difference is None
    assert np.array_equal(run.path, run.reference)
    assert run.reference.shape == (13, 2)
    assert np.allclose(run.reference, reference_path(checks04.MOMENTUM_STEP, BOWL_CASE))


def test_a_mistake_is_found_at_its_first_step_with_the_checks_diagnosis():
    run = run_learner(pytorch, checks04.MOMENTUM_STEP, BOWL_CASE)
    assert run.status == "differs" and run.first_difference == 1
    assert "PyTorch" in run.message and len(run.path) == 13      # its whole path is drawn


def test_a_mistake_hidden_at_alpha_zero_shows_when_alpha_is_raised():
    at_rest = Case("bowl", BOWL_CASE.objective, BOWL_CASE.state, {"lr": 0.05, "alpha": 0.0}, 12)
    assert run_learner(moving_average, checks04.MOMENTUM_STEP, at_rest).status == "matches"
    run = run_learner(moving_average, checks04.MOMENTUM_STEP, BOWL_CASE)
    assert run.first_difference == 1 and "(1 − α)" in run.message


@pytest.mark.parametrize("fn, status, words", [
    (None, "not plugged in", "Plug your momentum_step"),
    (lambda theta, v, g, lr, alpha: None, "not done yet", "returned None"),
    (lambda theta, v, g, lr, alpha: 1 / 0, "error", "ZeroDivisionError"),
    (lambda theta, v: theta, "error", "should take the arguments"),
    (lambda theta, v, g, lr, alpha: "θ", "error", "should return"),
    (lambda theta, v, g, lr, alpha: (theta * np.nan, v), "differs", "NaN"),
])
def test_garbage_gives_a_message_never_a_traceback(fn, status, words):
    run = run_learner(fn, checks04.MOMENTUM_STEP, BOWL_CASE)
    assert run.status == status and words in run.message, run.message


def test_an_endless_loop_is_stopped():
    def loops(theta, v, g, lr, alpha):
        while True:
            pass

    run = run_learner(loops, checks04.MOMENTUM_STEP, BOWL_CASE, timeout=0.1)
    assert run.status == "error" and "loop" in run.message


def test_the_learner_explorer_shows_the_diagnosis_and_follows_its_controls():
    explorer = learner_explorer.learner_explorer(momentum_step=moving_average, alpha=0.0)
    assert explorer.result["run"].status == "matches"
    explorer.set(alpha=0.5)
    assert explorer.result["run"].first_difference == 1 and "(1 − α)" in explorer.summary_text
    explorer.set(method="Nesterov")                 # no nesterov_step plugged in
    assert explorer.result["run"].status == "not plugged in"
    reference = learner_explorer.reference_plugged_in()
    assert "matches the reference at all 40 steps" in reference.summary_text


def test_a_learner_run_measures_its_gap_and_gives_a_short_verdict():
    from course_lib.lessons.common.plug_in import LearnerRun

    reference = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    parted = LearnerRun("differs", np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 3.0], [9, 9]]),
                        reference, 2, "y differs")
    np.testing.assert_allclose(parted.gap, [0.0, 0.0, 3.0])      # the shorter run's steps
    assert parted.verdict == "yours parts at step 2"
    same = LearnerRun("matches", reference, reference, None, "")
    assert same.verdict == "same as the reference, 2 steps" and not same.gap.any()
    assert LearnerRun("error", reference[:1], reference, None, "").verdict == "yours: error"


def test_the_learner_panels_rebuild_only_for_a_new_landscape():
    import matplotlib.pyplot as plt

    from course_lib.lessons.common.learner_panels import _PANELS, draw_paths_and_gap
    from course_lib.lessons.common.plug_in import LearnerRun

    fig = plt.figure()
    path = np.array([[1.0, 1.0], [0.5, 0.2], [0.1, 0.0]])
    r = {"run": LearnerRun("differs", path + [0, 0.1], path, 1, ""), "function": "bowl",
         "steps": 2, "box": (-2, 2, -2, 2)}
    bowl = Quadratic([1.0, 4.0])
    draw_paths_and_gap(fig, r, bowl, "first")
    axes = _PANELS[fig]["axes"]
    draw_paths_and_gap(fig, r, bowl, "second")
    assert _PANELS[fig]["axes"] is axes and axes[0].get_title() == "second"
    assert axes[1].get_title() == "yours parts at step 1"
    np.testing.assert_allclose(_PANELS[fig]["artists"]["gap"].get_ydata(), [0.1, 0.1, 0.1])
    draw_paths_and_gap(fig, {**r, "steps": 5}, bowl, "third")       # a new length: moved
    assert _PANELS[fig]["axes"] is axes and axes[1].get_xlim() == (0, 5)
    draw_paths_and_gap(fig, {**r, "steps": 5, "function": "other"}, bowl, "fourth")
    assert _PANELS[fig]["axes"] is not axes and _PANELS[fig]["axes"][1].get_xlim() == (0, 5)
    plt.close(fig)


def test_a_matching_run_that_blows_up_says_both_diverge_and_when():
    from course_lib.lessons.common.plug_in import LearnerRun

    calm = np.array([[1.0, 1.0], [0.5, 0.5], [0.2, 0.2]])
    wild = np.array([[1.0, 1.0], [-30.0, 40.0], [3e6, -4e6], [np.inf, np.nan]])
    for path, diverges in ((calm, None), (wild, 2)):
        run = LearnerRun("matches", path, path, None, "")
        assert run.diverges_at == diverges
        assert ("both diverge" in run.headline) == (diverges is not None)
        assert run.verdict.endswith("(both diverge)") == (diverges is not None)
    assert "passes a million times 1 + ‖θ₀‖ at step 2" in LearnerRun(
        "matches", wild, wild, None, "").headline
