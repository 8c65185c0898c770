"""The checks of notebook 00's Exercises 2 and 3 (the largest ε on the κ = 25 bowl, predicted
then revealed; the other ε with the rate of ε = 0.1): the right answer passes, each typical
mistake is named, garbage gets a clear message, and the hidden tests catch the mistakes on
many seeds. (gd_step's check is tested in tests/test_checks.py.)"""

import math

import numpy as np
import pytest

from course_lib.lessons.nb00_start_here import checks


def same_rate(answer):
    return checks.check_same_rate_lr(answer, given=0.1, eigenvalues=(1.0, 10.0))


def test_the_other_rate_is_the_steep_branch_of_max_abs_one_minus_eps_lambda():
    # r(0.1) = max(|1 − 0.1|, |1 − 1|) = 0.9; above the best ε, r = 10ε − 1 = 0.9 → ε = 0.19
    assert checks.gd_rate(0.1, (1.0, 10.0)) == pytest.approx(0.9)
    assert checks.other_lr_with_the_same_rate(0.1, (1.0, 10.0)) == pytest.approx(0.19)
    assert checks.gd_rate(0.19, (1.0, 10.0)) == pytest.approx(0.9)
    result = same_rate(0.19)
    assert result.passed and "gives ε = 0.19" in result.message


@pytest.mark.parametrize("answer, words", [
    (0.2, "2/λ_max, the stability limit"),
    (2 / 11, "the best ε = 2/(λ_min+λ_max)"),
    (0.1, "the ε you were given"),
    (1.9, "solves |1 − ελ_min| = r for the flat direction"),
    (0.15, "Yours converges faster"),
    (0.195, "Yours converges more slowly"),
    (-0.1, "A learning rate is positive"),
])
def test_each_typical_mistake_is_named(answer, words):
    result = same_rate(answer)
    assert result.status == "failed" and words in result.message, result.message
    if answer > 0:
        assert f"= {checks.gd_rate(answer, (1.0, 10.0)):.3f} per step" in result.message


@pytest.mark.parametrize("answer, status, words", [
    (None, "not done yet", "not done yet"),
    (..., "not done yet", "not done yet"),
    ("0.19", "error", "text"),
    ([0.19, 0.2], "error", "give a single value"),
    (math.nan, "failed", "not a finite number"),
    (True, "error", "True/False"),
])
def test_garbage_gets_a_clear_message(answer, status, words):
    result = same_rate(answer)
    assert result.status == status and words in result.message, result.message


def test_hidden_test_measures_the_rates_by_running():
    assert all(checks.check_same_rate_by_running(0.19, seed=s).passed for s in range(25))
    # 1 % off in ε, as the visible check allows, passes here too
    assert all(checks.check_same_rate_by_running(x, seed=s).passed
               for s in range(10) for x in (0.1882, 0.1918))
    for wrong in (0.2, 2 / 11, 0.1, 1.9, 0.15, 0.195):
        assert not any(checks.check_same_rate_by_running(wrong, seed=s).passed
                       for s in range(25)), wrong
    result = checks.check_same_rate_by_running(0.1, seed=4)
    assert "seed 4" in result.message and "not above the best ε" in result.message
    assert checks.check_same_rate_by_running(None, seed=1).status == "not done yet"
    assert checks.check_same_rate_by_running("x", seed=1).status == "error"


def test_the_measured_rate_is_the_theory_once_the_slow_component_dominates():
    from course_lib.objectives import Quadratic

    bowl = Quadratic((1.0, 10.0), angle=0.3)
    theta0 = bowl.Q @ np.array([1.0, -1.5])
    for lr in (0.05, 0.1, 0.15, 0.19):
        assert checks._measured_rate(bowl, theta0, lr, 200) == pytest.approx(
            checks.gd_rate(lr, (1.0, 10.0)), rel=1e-3)
    assert checks._measured_rate(bowl, theta0, 0.5, 200) == pytest.approx(4.0)   # |1 − 5|
    assert checks._measured_rate(bowl, theta0, 5.0, 400) == np.inf     # overflowed


# --- Exercise 2 on the bowl with λ_max = 25 ----------------------------------------------------
def largest(answer):
    return checks.check_largest_lr(answer, lam_max=25.0)


def test_largest_lr_on_the_exercise_bowl():
    assert largest(0.0794328234724).passed                 # the slider's last converging stop
    assert largest(0.08 * 0.95).passed
    high = largest(0.0841395141645)                         # the next stop: diverges
    assert high.status == "failed" and "too high" in high.message and "λ_max = 25" in high.message
    low = largest(0.2 / 10 * 3)                             # 0.06
    assert "too low" in low.message and "keep pushing the slider up" in low.message
    assert largest(0.2).status == "failed"                  # κ = 10's answer, on the wrong bowl
    assert largest(None).status == "not done yet"


def test_hidden_largest_lr_runs_a_new_rotated_bowl():
    run = lambda answer, seed: checks.check_lr_limit_by_running(  # noqa: E731
        answer, eigenvalues=(1.0, 25.0), seed=seed)
    assert all(run(0.0794328234724, s).passed for s in range(25))
    assert not any(run(0.0841395141645, s).passed for s in range(25))   # diverges
    assert not any(run(0.06, s).passed for s in range(25))              # 1.07 ε converges
    assert not any(run(0.2, s).passed for s in range(10))
    assert "seed 7" in run(0.06, 7).message
