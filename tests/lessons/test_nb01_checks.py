"""Notebook 01's exercise checks: right answers pass, known mistakes are named, garbage gets a
clear message, hidden cases catch every mistake over many seeds."""

import ast

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib.checks import CheckResult  # noqa: E402
from course_lib.checks.hidden import HIDDEN_CHECKS  # noqa: E402
from course_lib.lessons.nb01_risk_minimization import checks, risk_explorer  # noqa: E402
from course_lib.strategies.early_stopping import stopping_point  # noqa: E402


def assert_result(result, status, *words):
    assert isinstance(result, CheckResult)
    assert result.status == status, repr(result)
    text = repr(result)
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"
    return text


def early_stopping_point(val_losses, patience):
    v, j, best = float("inf"), 0, 0
    for i, value in enumerate(val_losses):
        if value < v:
            v, j, best = value, 0, i
        else:
            j += 1
        if j >= patience:
            return best, i
    return best, len(val_losses) - 1


# --- exercise 1: the early-stopping rule -------------------------------------------------------
def test_the_rule_passes_visible_and_hidden_cases():
    assert_result(checks.check_early_stopping_point(early_stopping_point), "passed", "7 cases")
    assert_result(checks.check_early_stopping_point(stopping_point), "passed")
    for seed in range(30):
        assert checks.check_early_stopping_point_random(early_stopping_point, seed=seed).passed


def test_the_example_in_the_prompt():
    assert early_stopping_point([0.9, 0.7, 0.75, 0.6, 0.62, 0.61, 0.65], 3) == (3, 6)


@pytest.mark.parametrize("name, fn, hint", checks.STOPPING_MISTAKES,
                         ids=[m[0] for m in checks.STOPPING_MISTAKES])
def test_each_mistake_is_named_with_its_hint(name, fn, hint):
    result = checks.check_early_stopping_point(fn)
    assert_result(result, "failed", "Likely cause", hint[:40])
    assert result.details["mistake"] == name


@pytest.mark.parametrize("name, fn, hint", checks.STOPPING_MISTAKES,
                         ids=[m[0] for m in checks.STOPPING_MISTAKES])
def test_hidden_cases_catch_each_mistake_on_every_seed(name, fn, hint):
    for seed in range(25):
        result = checks.check_early_stopping_point_random(fn, seed=seed)
        assert not result.passed, (name, seed)
        assert f"seed {seed}" in result.message


def test_hidden_cases_are_new_and_reproducible():
    a, b = checks.random_cases(3), checks.random_cases(3)
    assert a == b and a != checks.random_cases(4)
    assert {tuple(c[1]) for c in a}.isdisjoint({tuple(c[1]) for c in
                                                checks.stopping_rule.CASES})
    assert "check_early_stopping_point_random" in HIDDEN_CHECKS


def _stub(val_losses, patience):
    # YOUR CODE HERE
    raise NotImplementedError()


def _endless(val_losses, patience):
    while True:
        pass


def _mutates(val_losses, patience):
    val_losses.sort()
    return 0, len(val_losses) - 1


@pytest.mark.parametrize("fn, status, words", [
    (_stub, "not done yet", ["not done yet", "NotImplementedError"]),
    (lambda val_losses, patience: None, "not done yet", ["not done yet", "return best, stop"]),
    (lambda val_losses, patience: ..., "not done yet", ["not done yet"]),
    (lambda val_losses, patience: (1, 2, 3), "error", ["two indices", "a tuple of 3 items"]),
    (lambda val_losses, patience: (float("nan"), 2), "error", ["not an index"]),
    (lambda val_losses, patience: ("3", 6), "error", ["two indices"]),
    (lambda val_losses, patience: 1 / 0, "error", ["ZeroDivisionError"]),
    (_mutates, "failed", ["in place"]),
    (lambda val_losses: (0, 0), "error", ["(val_losses, patience)"]),
    ("early_stopping_point", "error", ["should be a function"]),
])
def test_garbage_gets_a_clear_message(fn, status, words):
    assert_result(checks.check_early_stopping_point(fn), status, *words)


def test_an_endless_loop_is_stopped():
    assert_result(checks.check_early_stopping_point(_endless, timeout=0.2), "error",
                  "longer than 0.2 s")


def test_numpy_integers_and_arrays_are_accepted():
    def numpy_version(val_losses, patience):
        best, stop = stopping_point(val_losses, patience)
        return np.array([best, stop])
    assert_result(checks.check_early_stopping_point(numpy_version), "passed")


# --- exercise 2: the patience --------------------------------------------------------------
def test_a_robust_patience_passes_visible_and_nearby_runs():
    text = assert_result(checks.check_patience(10), "passed", "run 0: best epoch 22, halted "
                         "after epoch 32", "run 1")
    assert "+0.0%" in text
    for seed in (1, 2):
        assert checks.check_patience_nearby(10, seed=seed).passed


def test_too_little_and_too_much_patience_are_explained():
    assert_result(checks.check_patience(2), "failed", "noise bump", "+74.0%")
    assert_result(checks.check_patience(40), "failed", "after the budget of 60 epochs",
                  "halted after epoch 62")


def test_a_patience_lucky_on_the_visible_runs_fails_on_some_nearby_run():
    """3 passes on run 1 but not on run 0; 4 passes on both visible runs, and the hidden test
    finds a run where it stops on a bump."""
    assert not checks.check_patience(3).passed
    assert checks.check_patience(4).passed
    assert not all(checks.check_patience_nearby(4, seed=s).passed for s in range(4))


@pytest.mark.parametrize("answer, status, words", [
    (None, "not done yet", ["not done yet"]), (..., "not done yet", ["not done yet"]),
    ("ten", "error", ["whole number"]), (0, "error", ["≥ 1"]), (7.5, "error", ["≥ 1"]),
    (True, "error", ["whole number"]),
])
def test_patience_garbage(answer, status, words):
    assert_result(checks.check_patience(answer), status, *words)
    hidden = checks.check_patience_nearby(answer, seed=1)
    assert not hidden.passed and "seed 1" in hidden.message


# --- exercise 3: the tuning challenge ------------------------------------------------------------
SOLUTION = {"degree": 8, "batch_size": 16}


def test_the_solution_passes_and_is_robust():
    assert_result(checks.check_capacity_settings(SOLUTION), "passed", "target met")
    for seed in range(6):
        assert checks.check_capacity_settings_nearby(SOLUTION, seed=seed).passed
    for degree in (7, 8, 9, 10):                  # the robust band of the prompt
        for batch in (1, 16, "all"):
            assert checks.check_capacity_settings({"degree": degree, "batch_size": batch})


@pytest.mark.parametrize("answer, words", [
    ({"degree": 4, "batch_size": 16}, ["above the target", "too little capacity"]),
    ({"degree": 20, "batch_size": "all"}, ["above the target", "too much capacity"]),
    ({"degree": 8, "batch_size": None}, ["not one of the explorer's choices"]),
    ({"degree": 8, "batch_size": 32}, ["not one of the explorer's choices"]),
    ({"degree": 25, "batch_size": 16}, ["outside the explorer's range"]),
])
def test_misses_are_explained(answer, words):
    assert_result(checks.check_capacity_settings(answer), "failed", *words)


def test_a_choice_that_misses_on_some_training_sets_fails_nearby():
    lucky = {"degree": 15, "batch_size": 64}
    assert checks.check_capacity_settings(lucky).passed
    assert not all(checks.check_capacity_settings_nearby(lucky, seed=s).passed
                   for s in range(12))


def test_capacity_not_done_and_garbage():
    assert_result(checks.check_capacity_settings(None), "not done yet", "paste the line")
    assert_result(checks.check_capacity_settings({"degree": 8}), "error", "missing")
    assert_result(checks.check_capacity_settings([8, 16]), "error", "should be a dict")


def test_moving_the_controls_turns_the_badge_and_prints_a_line_that_passes():
    explorer = risk_explorer.risk_explorer(challenge=checks.CAPACITY)
    assert explorer.badge_state == "off" and "set m = 100" in explorer.badge_text   # m = 40
    explorer.set(m=100)
    assert explorer.badge_state == "not yet"                   # degree 20, the whole set
    explorer.set(degree=8, batch_size=16)
    assert explorer.badge_state == "met", explorer.badge_text
    line = explorer.record_text
    assert line == "capacity_settings = {'degree': 8, 'batch_size': 16}"
    answer = ast.literal_eval(line.split(" = ", 1)[1])
    assert checks.check_capacity_settings(answer).passed
    explorer.set(batch_size="all")
    assert explorer.record_text == "capacity_settings = {'degree': 8, 'batch_size': 'all'}"
    assert checks.check_capacity_settings({"degree": 8, "batch_size": "all"}).passed
