"""Notebook 05's checks: the reference passes, each known mistake is named with its hint,
garbage gets a clear message, and the hidden cases catch each mistake over many seeds."""

import numpy as np
import pytest

from course_lib.checks import CheckResult
from course_lib.lessons.nb05_initialization import checks


def reference(n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def uniform_with(bound):
    def glorot_uniform(n_in, n_out, seed):
        rng = np.random.default_rng(seed)
        limit = bound(n_in, n_out)
        return rng.uniform(-limit, limit, size=(n_in, n_out))
    return glorot_uniform


def gaussian(n_in, n_out, seed):
    return np.random.default_rng(seed).normal(0.0, np.sqrt(2.0 / (n_in + n_out)),
                                              size=(n_in, n_out))


def one_sided(n_in, n_out, seed):
    return np.random.default_rng(seed).uniform(0.0, np.sqrt(6.0 / (n_in + n_out)),
                                               size=(n_in, n_out))


def unseeded(n_in, n_out, seed):
    limit = np.sqrt(6.0 / (n_in + n_out))
    return np.random.uniform(-limit, limit, size=(n_in, n_out))


def ignores_seed(n_in, n_out, seed):
    return reference(n_in, n_out, 0)


def transposed(n_in, n_out, seed):
    return reference(n_out, n_in, seed)


def stub(n_in, n_out, seed):
    raise NotImplementedError()


def endless(n_in, n_out, seed):
    while True:
        pass


def assert_result(result, status, *words):
    assert isinstance(result, CheckResult)
    assert result.status == status, repr(result)
    for word in words:
        assert word in repr(result), f"{word!r} not in:\n{result!r}"


def test_reference_passes_visible_and_hidden():
    assert_result(checks.check_glorot_uniform(reference), "passed", "3 shapes", "seed")
    for seed in range(25):
        assert checks.check_glorot_uniform_random(reference, seed=seed).passed, seed


@pytest.mark.parametrize("name", list(checks.RANGE_MISTAKES))
def test_each_range_mistake_is_named(name):
    bound, hint = checks.RANGE_MISTAKES[name]
    result = checks.check_glorot_uniform(uniform_with(bound))
    assert_result(result, "failed", "Likely cause", name, hint[:40])
    assert result.details["mistake"] == name
    for seed in range(25):                          # the hidden shapes catch it too
        hidden = checks.check_glorot_uniform_random(uniform_with(bound), seed=seed)
        assert not hidden.passed and "hidden test" in hidden.message, seed


@pytest.mark.parametrize("fn, words", [
    (gaussian, ["look Gaussian", "rng.uniform"]),
    (one_sided, ["mean of W", "U(0, l)"]),
    (unseeded, ["same seed gave different"]),
    (ignores_seed, ["gave the same matrix"]),
    (transposed, ["shape (32, 64)", "one row per input"]),
    (lambda n_in, n_out, seed: np.full((n_in, n_out), 0.1), ["every entry of W is 0.1"]),
    (lambda n_in, n_out, seed: np.full((n_in, n_out), np.nan), ["NaN"]),
])
def test_other_mistakes_are_diagnosed(fn, words):
    assert_result(checks.check_glorot_uniform(fn), "failed", *words)
    for seed in range(10):
        assert not checks.check_glorot_uniform_random(fn, seed=seed).passed


@pytest.mark.parametrize("fn, status, words", [
    (stub, "not done yet", ["not done yet", "NotImplementedError"]),
    (lambda n_in, n_out, seed: None, "not done yet", ["not done yet", "returned None"]),
    (endless, "error", ["longer than"]),
    (lambda n_in, n_out, seed: 1 / 0, "error", ["ZeroDivisionError"]),
    (lambda n_in, n_out: None, "error", ["three arguments"]),
    (None, "error", ["should be a function"]),
    (lambda n_in, n_out, seed: "W", "error", ["array of numbers"]),
])
def test_garbage_gets_a_clear_message(fn, status, words):
    result = checks.check_glorot_uniform(fn, timeout=0.3)
    assert_result(result, status, *words)


# --- the variance after L layers --------------------------------------------------------
def test_variance_answer_and_its_mistakes():
    assert_result(checks.check_output_variance(1.2 ** 20), "passed", "38.34")
    assert_result(checks.check_output_variance(None), "not done yet")
    assert_result(checks.check_output_variance(1.2 ** 10), "failed", "standard deviation")
    assert_result(checks.check_output_variance(1.44 * 10), "failed", "do not add")
    assert_result(checks.check_output_variance(1.44), "failed", "one layer's factor")
    assert_result(checks.check_output_variance(100.0), "failed", "too high")
    assert_result(checks.check_output_variance("38"), "error", "without quotes")
    assert_result(checks.check_output_variance(float("nan")), "failed", "not a finite")


def test_variance_hidden_test_samples_the_same_number():
    for seed in range(5):
        assert checks.check_output_variance_by_sampling(1.2 ** 20, seed=seed).passed
        assert not checks.check_output_variance_by_sampling(1.2 ** 10, seed=seed).passed


# --- the tuning challenge -------------------------------------------------------------------
SOLUTION = {"scale": 1.25892541179}


def test_challenge_solution_passes_both_checks_over_seeds():
    assert_result(checks.check_trainable_scale(SOLUTION), "passed", "target met")
    for seed in range(20):
        assert checks.check_trainable_scale_nearby(SOLUTION, seed=seed).passed, seed
    for seed in range(4):
        assert checks.check_trainable_scale_trains(SOLUTION, seed=seed).passed, seed


@pytest.mark.parametrize("scale, words", [
    (1.0, ["3.26× above the target", "shrinks on its way down", "raise s"]),
    (2.0, ["grows on its way down", "saturated", "lower it"]),
])
def test_a_miss_says_by_how_much_and_why(scale, words):
    assert_result(checks.check_trainable_scale({"scale": scale}), "failed", *words)


def test_the_training_check_fails_a_scale_that_does_not_train():
    result = checks.check_trainable_scale_trains({"scale": 0.5}, seed=1)
    assert_result(result, "failed", "does not train")


def test_challenge_garbage():
    assert_result(checks.check_trainable_scale(None), "not done yet", "paste the line")
    assert_result(checks.check_trainable_scale(1.25), "error", "should be a dict")
    assert_result(checks.check_trainable_scale({"scale": 50.0}), "failed", "outside")
    assert_result(checks.check_trainable_scale({"s": 1.2}), "error", "missing")


def test_moving_the_slider_turns_the_badge_to_met_and_prints_the_line():
    import matplotlib

    matplotlib.use("Agg")
    from course_lib.lessons.nb05_initialization.init_explorer import init_explorer

    explorer = init_explorer(challenge=checks.SCALE_CHALLENGE)
    assert explorer.badge_state == "not yet"
    explorer.set(scale=10 ** 0.1)
    assert explorer.badge_state == "met"
    assert explorer.record_text == "trainable_scale = {'scale': 1.25892541179}"
    explorer.set(activation="relu")
    assert explorer.badge_state == "off" and "activation = tanh" in explorer.badge_text
