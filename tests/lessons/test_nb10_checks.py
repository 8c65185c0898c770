"""Notebook 10's exercise checks: the reference passes, each known mistake is named, garbage
gets a clear message, and the hidden cases catch the mistakes over many seeds."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.checks import CheckResult
from course_lib.lessons.nb10_testing_optimizers import checks
from course_lib.lessons.nb10_testing_optimizers.checks import unit_test
from course_lib.lessons.nb10_testing_optimizers.checks.diagnose import STEPS


def assert_result(result, status, *words):
    assert isinstance(result, CheckResult)
    assert result.status == status, repr(result)
    for word in words:
        assert word in repr(result), f"{word!r} not in:\n{result!r}"
    return result


# --- exercise 1: the unit test of the tilted well ---------------------------------------------
def z_star():
    return min(np.roots([1.0, 0.0, -1.0, 0.1]).real)


def test_the_reference_test_passes_and_z_star_is_the_global_minimizer():
    assert np.isclose(checks.Z_STAR, -1.0466805318, atol=1e-9)
    assert np.isclose(unit_test.Z_LOCAL, 0.9456492739) and np.isclose(unit_test.Z_TOP, 0.10103126)
    f = unit_test.TILTED.f
    assert f(checks.Z_STAR) < f(unit_test.Z_LOCAL) < f(unit_test.Z_TOP)
    assert_result(checks.check_passes(checks.reference_passes), "passed", "all 10 final states")
    for seed in range(20):
        assert_result(checks.check_passes_random(checks.reference_passes, seed=seed), "passed")


TEST_MISTAKES = [
    ("any minimum", lambda th, lo: bool(min(abs(th[0] - checks.Z_STAR),
                                            abs(th[0] - unit_test.Z_LOCAL)) <= 0.05),
     "local minimum", "global minimizer"),
    ("loss level", lambda th, lo: bool(lo < -0.1), "local minimum", "loss level"),
    ("NaN passes", lambda th, lo: not abs(th[0] - z_star()) > 0.05, "diverged", "np.isfinite"),
    ("too tight", lambda th, lo: bool(abs(th[0] - z_star()) <= 0.02), "0.04", "too tight"),
    ("too loose", lambda th, lo: bool(abs(th[0] - z_star()) <= 0.1), "0.06", "too loose"),
    ("rounded z*", lambda th, lo: bool(abs(th[0] + 1.0) <= 0.05), "0.049", "tolerance"),
    ("one side", lambda th, lo: bool(0 <= th[0] - z_star() <= 0.05), "0.049", "both sides"),
]


@pytest.mark.parametrize("name, fn, where, why", TEST_MISTAKES, ids=[m[0] for m in TEST_MISTAKES])
def test_wrong_tests_are_diagnosed(name, fn, where, why):
    assert_result(checks.check_passes(fn), "failed", where, "Likely cause", why)
    caught = sum(not checks.check_passes_random(fn, seed=s).passed for s in range(30))
    assert caught >= 27, f"{name}: the hidden test caught it on {caught} of 30 seeds"


def loop(th, lo):
    while True:
        pass


@pytest.mark.parametrize("fn, status, words", [
    (lambda th, lo: None, "not done yet", ["not done yet"]),
    (None, "error", ["should be a function"]),
    (lambda th, lo: 1 / 0, "error", ["ZeroDivisionError", "diverged ones included"]),
    (lambda th, lo: abs(th[0] - z_star()), "error", ["return True or False"]),
    (lambda th: True, "error", ["TypeError"]),
    (loop, "error", ["loop"]),
])
def test_garbage_tests_get_clear_messages(fn, status, words):
    assert_result(checks.check_passes(fn), status, *words)


def test_a_test_that_changes_its_input_is_still_judged_on_its_verdicts():
    def mutating(theta, loss):
        theta[0] = 0.0
        return False
    assert_result(checks.check_passes(mutating), "failed", "global minimizer")


# --- exercise 2: AdaGrad on the drifting optimum -------------------------------------------------
def test_diagnosis_right_and_wrong():
    assert STEPS == 25
    assert_result(checks.check_adagrad_diagnosis("b", 25), "passed", "k* = (ε/v)² = 25")
    assert_result(checks.check_adagrad_diagnosis(" (B) ", 25.4), "passed")
    assert_result(checks.check_adagrad_diagnosis(None, None), "not done yet")
    assert_result(checks.check_adagrad_diagnosis("b", None), "not done yet")
    assert_result(checks.check_adagrad_diagnosis(None, 25), "not done yet")
    assert_result(checks.check_adagrad_diagnosis("f", 25), "error", "'a' … 'e'")
    assert_result(checks.check_adagrad_diagnosis(2, 25), "error", "letters")
    for letter, word in (("a", "nothing diverges"), ("c", "no noise"), ("d", "round"),
                         ("e", "no plateau")):
        assert_result(checks.check_adagrad_diagnosis(letter, 25), "failed", word)
    assert_result(checks.check_adagrad_diagnosis("b", 5), "failed", "too low", "ε/√k = v")
    assert_result(checks.check_adagrad_diagnosis("b", 250), "failed", "too high")
    assert_result(checks.check_adagrad_diagnosis("b", np.nan), "failed", "not a finite")
    assert_result(checks.check_adagrad_diagnosis("b", "25"), "error", "text")


def test_diagnosis_hidden_test_counts_adagrads_steps():
    for seed in range(15):
        assert_result(checks.check_adagrad_steps_by_running("b", 25, seed=seed), "passed")
        assert not checks.check_adagrad_steps_by_running("b", 5, seed=seed).passed
        assert not checks.check_adagrad_steps_by_running("b", 100, seed=seed).passed
        assert not checks.check_adagrad_steps_by_running("a", 25, seed=seed).passed


# --- exercise 3: hypergradient descent ----------------------------------------------------------
def hd_ok(theta, lr, g_prev, g, beta):
    lr = lr + beta * np.dot(g, g_prev)
    return theta - lr * g, lr, g


def test_the_reference_hypergradient_step_passes():
    assert_result(checks.check_hypergradient_step(hd_ok), "passed", "8 cases")
    for seed in range(10):
        assert_result(checks.check_hypergradient_random(hd_ok, seed=seed), "passed")


MISTAKES = [(m.name, m.fn) for m in checks.HYPERGRADIENT_STEP.mistakes]
HINTS = {"rate moved the wrong way": "wrong way", "step with the old rate": "old rate",
         "θ moved uphill": "uphill", "g_{t−1} not updated": "unchanged",
         "‖g‖² instead of g·g_{t−1}": "previous", "β missing": "multiply it by",
         "normalized product": "cosine"}


@pytest.mark.parametrize("name, fn", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_hypergradient_mistakes_are_named_at_step_1_and_caught_by_the_hidden_test(name, fn):
    result = assert_result(checks.check_hypergradient_step(fn), "failed", "Likely cause",
                           HINTS[name])
    assert result.details["mistake"] == name
    assert result.details["step"] == 1 and result.details["case"].startswith("mid-run")
    caught = sum(not checks.check_hypergradient_random(fn, seed=s).passed for s in range(20))
    assert caught == 20


def test_hypergradient_garbage():
    def vector_rate(theta, lr, g_prev, g, beta):
        lr = lr + beta * g * g_prev
        return theta - lr * g, lr, g

    def inplace(theta, lr, g_prev, g, beta):
        lr = lr + beta * g @ g_prev
        theta -= lr * g
        return theta, lr, g

    def stub(theta, lr, g_prev, g, beta):
        raise NotImplementedError()

    assert_result(checks.check_hypergradient_step(vector_rate), "failed", "shape",
                  "a single number")
    assert_result(checks.check_hypergradient_step(inplace), "failed", "in place")
    assert_result(checks.check_hypergradient_step(stub), "not done yet")
    assert_result(checks.check_hypergradient_step(lambda theta, lr, g_prev, g, beta: None),
                  "not done yet")
    assert_result(checks.check_hypergradient_step(lambda theta, lr, g_prev, g, beta: (
        theta * np.nan, lr, g)), "failed", "NaN")
    assert_result(checks.check_hypergradient_step(lambda theta, lr, g, g_prev, beta: (
        theta, lr, g)), "error", "order")


# --- exercise 4: predict which optimizers pass the kink at scale 1000 ----------------------------
RIGHT = ["AdaGrad", "RMSProp", "Adam"]


def test_the_prediction():
    assert_result(checks.check_passing(RIGHT), "passed", "AdaGrad   passes", "SGD       fails")
    assert_result(checks.check_passing(["adam", " rmsprop", "ADAGRAD"]), "passed")
    assert_result(checks.check_passing(None), "not done yet")
    assert_result(checks.check_passing(["Adam"]), "failed", "2 of your 5 verdicts are wrong",
                  "abs")
    assert_result(checks.check_passing(RIGHT + ["momentum"]), "failed", "1 of your 5")
    assert_result(checks.check_passing([]), "failed", "3 of your 5")
    assert_result(checks.check_passing("Adam"), "error", "list of names")
    assert_result(checks.check_passing(["Adam", "Newton"]), "error", "Newton")


def test_the_prediction_holds_with_new_seeds():
    for seed in range(4):
        assert_result(checks.check_passing_other_seeds(RIGHT, seed=seed), "passed",
                      "20 new seeds")
        assert not checks.check_passing_other_seeds(["Adam", "momentum"], seed=seed).passed
