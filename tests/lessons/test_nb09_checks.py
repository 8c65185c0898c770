"""Notebook 09's exercise checks: right answers pass, each known mistake is named with its
hint, garbage gets a clear message, and the hidden cases catch every mistake over many seeds."""

import numpy as np
import pytest

from course_lib.checks import CheckResult
from course_lib.lessons.nb09_continuation_curriculum import checks
from course_lib.lessons.nb09_continuation_curriculum.checks import metropolis, stage


def assert_result(result, status, *words):
    assert isinstance(result, CheckResult)
    assert result.status == status, repr(result)
    for word in words:
        assert word in repr(result), f"{word!r} not in:\n{result!r}"


# --- exercise 1: one continuation stage --------------------------------------------------
def stage_ok(grad, theta, sigma, z, lr, steps):
    theta = np.array(theta, dtype=float)
    for _ in range(steps):
        theta = theta - lr * grad(theta + sigma * z).mean(axis=0)
    return theta


def test_stage_reference_passes():
    assert_result(checks.check_continuation_stage(stage_ok), "passed", "5 cases")
    assert_result(checks.check_continuation_stage_random(stage_ok, seed=3), "passed",
                  "hidden test", "seed 3")


@pytest.mark.parametrize("mistake", stage.MISTAKES, ids=lambda m: m.name)
def test_stage_mistakes_are_named(mistake):
    result = checks.check_continuation_stage(mistake.fn)
    assert_result(result, "failed", "Likely cause", mistake.hint[:30])
    assert result.details["mistake"] == mistake.name


@pytest.mark.parametrize("mistake", stage.MISTAKES, ids=lambda m: m.name)
def test_stage_hidden_cases_catch_every_mistake(mistake):
    for seed in range(25):
        assert not checks.check_continuation_stage_random(mistake.fn, seed=seed).passed


def test_stage_garbage():
    def stub(grad, theta, sigma, z, lr, steps):
        raise NotImplementedError()

    def endless(grad, theta, sigma, z, lr, steps):
        while True:
            pass

    def in_place(grad, theta, sigma, z, lr, steps):
        for _ in range(steps):
            theta -= lr * grad(theta + sigma * z).mean(axis=0)
        return theta

    def crash(grad, theta, sigma, z, lr, steps):
        return theta / undefined_name  # noqa: F821

    assert_result(checks.check_continuation_stage(stub), "not done yet", "not done yet")
    assert_result(checks.check_continuation_stage(lambda *a: None), "not done yet")
    assert_result(checks.check_continuation_stage(endless, timeout=0.3), "error", "longer")
    assert_result(checks.check_continuation_stage(in_place), "failed", "in place")
    assert_result(checks.check_continuation_stage(crash), "error", "NameError")
    assert_result(checks.check_continuation_stage(
        lambda g, t, s, z, lr, k: np.full_like(t, np.nan)), "failed", "not finite")
    assert_result(checks.check_continuation_stage(
        lambda g, t, s, z, lr, k: g(t + s * z)), "failed", "shape")
    assert_result(checks.check_continuation_stage(None), "error", "should be a function")
    assert_result(checks.check_continuation_stage(
        lambda g, t, s, z, lr, k: "theta"), "error", "array")


# --- exercise 2: the Metropolis rule -----------------------------------------------------
def metropolis_ok(delta, T, u):
    return delta <= 0 or u < np.exp(-delta / T)


def test_metropolis_reference_passes():
    assert_result(checks.check_metropolis_accept(metropolis_ok), "passed", "10 cases")
    assert_result(checks.check_metropolis_accept(
        lambda d, T, u: np.bool_(u < np.exp(min(0.0, -d / T)))), "passed")


@pytest.mark.parametrize("name, fn, hint", metropolis.MISTAKES, ids=lambda x: x
                         if isinstance(x, str) else "")
def test_metropolis_mistakes_are_named(name, fn, hint):
    result = checks.check_metropolis_accept(fn)
    assert_result(result, "failed", "Likely cause", hint[:30])
    assert result.details["mistake"] == name


@pytest.mark.parametrize("name, fn, hint", metropolis.MISTAKES, ids=lambda x: x
                         if isinstance(x, str) else "")
def test_metropolis_hidden_cases_catch_every_mistake(name, fn, hint):
    for seed in range(100):
        assert not checks.check_metropolis_accept_random(fn, seed=seed).passed, seed


def test_metropolis_garbage_and_overflow():
    import math

    def stub(delta, T, u):
        raise NotImplementedError()

    def endless(delta, T, u):
        while True:
            pass

    assert_result(checks.check_metropolis_accept(stub), "not done yet")
    assert_result(checks.check_metropolis_accept(lambda d, T, u: None), "not done yet")
    assert_result(checks.check_metropolis_accept(endless, timeout=0.2), "error", "within")
    assert_result(checks.check_metropolis_accept(lambda d, T, u: 0.5), "error",
                  "True or False")
    assert_result(checks.check_metropolis_accept(
        lambda d, T, u: u < min(1.0, math.exp(-d / T))), "error", "OverflowError",
        "test ΔJ ≤ 0 first")


def test_metropolis_acceptance_probabilities_quoted_exactly():
    result = checks.check_metropolis_accept(metropolis.MISTAKES[3][1])   # level moves
    assert_result(result, "failed", "ΔJ = 0", "acceptance probability is 1")


# --- exercise 3: predict the basin ---------------------------------------------------------
def test_basin():
    assert_result(checks.check_basin(None), "not done yet")
    assert_result(checks.check_basin(-2.3), "passed")
    assert_result(checks.check_basin(-3.84), "failed", "nearest")
    assert_result(checks.check_basin(2.23), "failed", "never climbs")
    assert_result(checks.check_basin("-2.3"), "error")
    assert_result(checks.check_basin(float("nan")), "failed", "finite")
    for seed in range(3):
        assert checks.check_basin_by_running(-2.305, seed=seed).passed
        assert not checks.check_basin_by_running(-3.84, seed=seed).passed


# --- exercise 4: the σ schedule ------------------------------------------------------------
GOOD = {"sigma0": 2.0, "n_stages": 5, "steps": 40, "shape": "linear"}


def test_schedule_passes_and_is_robust():
    assert_result(checks.check_sigma_schedule(GOOD), "passed", "target met")
    for seed in range(6):
        assert checks.check_sigma_schedule_nearby(GOOD, seed=seed).passed


@pytest.mark.parametrize("answer, words", [
    ({**GOOD, "steps": 60}, ["300", "more than the budget"]),
    ({**GOOD, "sigma0": 0.5, "n_stages": 2, "steps": 100}, ["too small", "ripples"]),
    ({**GOOD, "steps": 10}, ["not enough to reach its minimum"]),
])
def test_schedule_misses_are_explained(answer, words):
    assert_result(checks.check_sigma_schedule(answer), "failed", "not met", *words)


def test_schedule_garbage():
    assert_result(checks.check_sigma_schedule(None), "not done yet")
    assert_result(checks.check_sigma_schedule([2.0, 5, 40]), "error", "dict")
    assert_result(checks.check_sigma_schedule({"sigma0": 2.0}), "error", "missing")
    assert_result(checks.check_sigma_schedule({**GOOD, "shape": "cosine"}), "failed",
                  "choices")
    assert_result(checks.check_sigma_schedule({**GOOD, "sigma0": 50.0}), "failed",
                  "outside")
    assert_result(checks.check_sigma_schedule({**GOOD, "n_stages": 4.5}), "failed",
                  "refuses to run")
