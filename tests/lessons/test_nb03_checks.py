"""The checks of notebook 03's Exercises 3 (a schedule tuned with the explorer) and 4 (ε₀
chosen from the first 100 iterations): the solutions pass, each typical miss is explained,
garbage gets a clear message, the hidden tests pass robust answers and fail the typical
mistakes on many seeds, and the explorer's badge turns green and prints a line that passes.
(Exercises 1 and 2 are tested in test_nb03_sgd_schedules.py.)"""

import math

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from course_lib.lessons.nb03_sgd_schedules import checks, schedule_explorer  # noqa: E402

SOLUTION = {"eps0": 0.316227766017, "eps_tau": 0.00316227766017, "tau": 600}


# --- Exercise 3: the tuning challenge ------------------------------------------------------------
def test_the_solution_passes_both_checks():
    result = checks.check_tuned_schedule(SOLUTION)
    assert result.passed and "target met" in result.message
    assert all(checks.check_tuned_schedule_nearby(SOLUTION, seed=s).passed for s in range(8))


@pytest.mark.parametrize("settings, words", [
    ({"eps0": 0.1, "eps_tau": 0.001, "tau": 800},              # the default: ε₀ too small
     "the weak direction of the valley (variance 0.03) is left unfinished"),
    ({"eps0": 1.0, "eps_tau": 0.001, "tau": 800}, "the run blew up"),
    ({"eps0": 0.1, "eps_tau": 0.1, "tau": 800}, "whose noise floor (LMS theory) is 0.0943"),
    ({"eps0": 0.01, "eps_tau": 0.1, "tau": 800}, "this schedule grows"),
])
def test_a_miss_says_by_how_much_and_why(settings, words):
    result = checks.check_tuned_schedule(settings)
    assert result.status == "failed", result.message
    assert "the target (final J − J* ≤ 0.015" in result.message
    assert words in result.message, result.message


def test_the_default_misses_by_the_explorers_own_number():
    result = checks.check_tuned_schedule({"eps0": 0.1, "eps_tau": 0.001, "tau": 800})
    assert "final J − J* = 0.0248, 1.65× above the target ≤ 0.015" in result.message


def test_flat_direction_left_is_the_product_of_the_factors():
    import numpy as np

    from course_lib import schedules
    from course_lib.lessons.nb03_sgd_schedules.running_example import task

    t = task()
    lam, V = np.linalg.eigh(t.H)
    rates = schedules.LinearDecay(0.1, 800, 0.001)(np.arange(1.0, 1001.0))
    theta = t.theta0.copy()
    for eps in rates:                              # exact GD along the flat eigenvector only
        theta = theta - eps * lam[0] * np.outer(V[:, 0], V[:, 0]) @ (theta - t.theta_star)
    e = V[:, 0] @ (theta - t.theta_star)
    assert checks.flat_direction_left(0.1, 0.001, 800) == pytest.approx(0.5 * lam[0] * e ** 2)
    assert checks.flat_direction_left(0.1, 0.001, 800) > checks.TUNING_TARGET   # the cause


@pytest.mark.parametrize("answer, status, words", [
    (None, "not done yet", "not done yet"),
    (0.3, "error", "should be a dict"),
    ({"eps0": 0.3}, "error", "missing ['eps_tau', 'tau']"),
    ({**SOLUTION, "batch_size": 4}, "error", "unknown ['batch_size']"),
    ({**SOLUTION, "eps0": "0.3"}, "error", "should be a number"),
    ({**SOLUTION, "eps0": math.nan}, "error", "should be a number"),
    ({**SOLUTION, "eps0": 3.0}, "failed", "outside the explorer's range"),
])
def test_bad_records_get_a_clear_message(answer, status, words):
    result = checks.check_tuned_schedule(answer)
    assert result.status == status and words in result.message, result.message


def test_a_lucky_setting_can_fail_on_other_streams_and_says_so():
    edge = {"eps0": 0.199526231497, "eps_tau": 0.001, "tau": 1000}    # 0.0077 on seeds 0–3
    assert checks.check_tuned_schedule(edge).passed
    verdicts = [checks.check_tuned_schedule_nearby(edge, seed=s) for s in range(20)]
    assert not all(v.passed for v in verdicts)
    miss = next(v for v in verdicts if not v.passed)
    assert "on a nearby problem (first_seed = " in miss.message and "seed " in miss.message


def test_the_badge_turns_green_and_prints_a_line_that_passes():
    explorer = schedule_explorer.tuning_explorer()
    assert explorer.badge_state == "not yet" and "0.0248" in explorer.badge_text
    explorer.set(eps0=10 ** -0.5, eps_tau=10 ** -2.5, tau=600)
    assert explorer.badge_state == "met", explorer.badge_text
    assert explorer.record_text == ("tuned_schedule = {'eps0': 0.316227766017, "
                                    "'eps_tau': 0.00316227766017, 'tau': 600}")
    recorded = eval(explorer.record_text.split(" = ", 1)[1])
    assert recorded == SOLUTION and checks.check_tuned_schedule(recorded).passed
    explorer.set(batch_size=4)
    assert explorer.badge_state == "off" and "set batch_size = 1" in explorer.badge_text


# --- Exercise 4: ε₀ from the first 100 iterations ------------------------------------------------
@pytest.mark.parametrize("answer", [0.1, 0.2])
def test_a_stable_rate_above_the_early_best_passes_on_every_seed(answer):
    result = checks.check_chosen_eps0(answer)
    assert result.passed and "the book's advice" in result.message
    assert all(checks.check_chosen_eps0_other_seeds(answer, seed=s).passed for s in range(10))


@pytest.mark.parametrize("answer, words", [
    (0.05, "it is the rate that looks best after 100 iterations"),
    (0.02, "it is the rate that looks best after 100 iterations, or lower"),
    (0.4, "that is the severe instability to stay clear of"),
    (0.8, "that is the severe instability to stay clear of"),
])
def test_each_mistake_is_named_and_fails_on_other_seeds_too(answer, words):
    result = checks.check_chosen_eps0(answer)
    assert result.status == "failed" and words in result.message, result.message
    assert "the best candidate's (ε₀ = 0.2: 0.00628)" in result.message
    assert not any(checks.check_chosen_eps0_other_seeds(answer, seed=s).passed
                   for s in range(10))


def test_the_early_best_misses_by_the_measured_factor():
    assert "J − J* = 0.0227, 3.61× the best" in checks.check_chosen_eps0(0.05).message


@pytest.mark.parametrize("answer, status, words", [
    (None, "not done yet", "not done yet"),
    (0.3, "failed", "is not one of the candidates"),
    ("0.1", "error", "text"),
    ([0.1], "passed", "within 1.5×"),                 # a one-element list is one number
    (math.inf, "failed", "not a finite number"),
])
def test_garbage_gets_a_clear_message(answer, status, words):
    result = checks.check_chosen_eps0(answer)
    assert result.status == status and words in result.message, result.message


def test_hidden_test_names_its_seed_and_uses_other_streams():
    result = checks.check_chosen_eps0_other_seeds(0.1, seed=12)
    assert result.message.startswith("✔ hidden test (other runs, seed 12)")
    assert "on other minibatch streams" in result.message
    assert checks.check_chosen_eps0_other_seeds(None, seed=1).status == "not done yet"
