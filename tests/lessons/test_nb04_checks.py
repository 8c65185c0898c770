"""The momentum and Nesterov exercise checks: right answers pass, known mistakes are named."""

import numpy as np
import pytest

from course_lib.checks import CheckResult
from course_lib.lessons.nb04_momentum_physics.checks import (
    MOMENTUM_STEP,
    NESTEROV_STEP,
    check_momentum_step,
    check_nesterov_step,
)
from course_lib.objectives import Quadratic


# --- learner implementations, right and wrong ---------------------------------------------
def momentum_ok(theta, v, g, lr, alpha):
    v = alpha * v - lr * g
    theta = theta + v
    return theta, v


def momentum_stub(theta, v, g, lr, alpha):
    # YOUR CODE HERE
    raise NotImplementedError()


def momentum_inplace(theta, v, g, lr, alpha):
    v *= alpha
    v -= lr * g
    theta += v
    return theta, v


def momentum_endless(theta, v, g, lr, alpha):
    while True:
        pass


def assert_result(result, status, *words):
    assert isinstance(result, CheckResult)
    assert result.status == status, repr(result)
    text = repr(result)
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"
    return text


# --- passing ----------------------------------------------------------------------------------
@pytest.mark.parametrize("check", [check_momentum_step, check_nesterov_step])
def test_correct_step_passes(check):
    text = assert_result(check(momentum_ok), "passed", "✔", "8 cases (29 steps)")
    assert "θ ← θ + v" in text


def test_lists_are_accepted():
    assert_result(check_momentum_step(
        lambda theta, v, g, lr, alpha: (list(theta + alpha * v - lr * g),
                                        list(alpha * v - lr * g))), "passed")


def test_cases_cover_a_moving_start_and_the_edge_cases():
    names = " ".join(case.name for case in MOMENTUM_STEP.cases)
    for word in ("already moving", "saddle", "5-D", "g = 0", "tiny", "integer"):
        assert word in names
    assert MOMENTUM_STEP.cases[0].state["v"].any()          # v₀ ≠ 0 is tried first


def test_nesterov_gradient_is_taken_at_the_interim_point():
    # The check hands the learner g = ∇J(θ + αv): a learner's function that recomputes the
    # gradient at θ itself disagrees from the first moving step on.
    bowl = Quadratic((1.0, 10.0))
    inputs = {"theta": np.array([1.0, 1.0]), "v": np.array([0.3, -0.2]), "alpha": 0.9}
    np.testing.assert_allclose(NESTEROV_STEP.grad_at(inputs), [1.27, 0.82])
    assert MOMENTUM_STEP.grad_at is None

    def at_theta(theta, v, g, lr, alpha):
        v = alpha * v - lr * bowl.grad(theta)
        return theta + v, v

    text = assert_result(check_nesterov_step(at_theta), "failed", "differs at step 1",
                         "already moving")
    assert "g = ∇J(θ + αv)" in text
    # for plain momentum, g is ∇J(θ): on the same bowl that function is right (it fails only
    # on the other landscapes, whose gradient it does not know)
    assert check_momentum_step(at_theta).details["case"] != "already moving (v ≠ 0)"


# --- known mistakes: each is named, with its hint ---------------------------------------------
MISTAKES = [
    ("gradient sign flipped", lambda theta, v, g, lr, alpha:
     (theta + alpha * v + lr * g, alpha * v + lr * g), ["uphill", "minus sign"]),
    ("v not decayed", lambda theta, v, g, lr, alpha:
     (theta + v - lr * g, v - lr * g), ["multiply it by α"]),
    ("θ moved with the old v", lambda theta, v, g, lr, alpha:
     (theta + v, alpha * v - lr * g), ["old velocity", "update v first"]),
    ("θ ← θ − v", lambda theta, v, g, lr, alpha:
     (theta - alpha * v + lr * g, alpha * v - lr * g), ["θ ← θ + v"]),
    ("(1 − α) moving average", lambda theta, v, g, lr, alpha:
     (theta + alpha * v - (1 - alpha) * lr * g, alpha * v - (1 - alpha) * lr * g),
     ["(1 − α)", "terminal"]),
    ("PyTorch convention", lambda theta, v, g, lr, alpha:
     (theta - lr * (alpha * v + g), alpha * v + g), ["PyTorch", "v ← αv − εg"]),
    ("ε and α swapped", lambda theta, v, g, lr, alpha:
     (theta + lr * v - alpha * g, lr * v - alpha * g), ["swapped"]),
    ("returned (v, θ)", lambda theta, v, g, lr, alpha:
     (alpha * v - lr * g, theta + alpha * v - lr * g), ["wrong order", "(theta, v)"]),
]


@pytest.mark.parametrize("check", [check_momentum_step, check_nesterov_step])
@pytest.mark.parametrize("name, fn, words", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_known_mistakes_are_diagnosed_at_the_first_step(check, name, fn, words):
    result = check(fn)
    assert_result(result, "failed", "differs at step 1 of case 'already moving (v ≠ 0)'",
                  "Likely cause", *words)
    assert result.details["mistake"] == name


@pytest.mark.parametrize("name, fn, words", [
    ("moved from θ̃", lambda theta, v, g, lr, alpha:
     (theta + 2 * alpha * v - lr * g, alpha * v - lr * g), ["interim point", "θ ← θ + v"]),
    ("look-ahead form", lambda theta, v, g, lr, alpha:
     (theta + alpha * (alpha * v - lr * g) - lr * g, alpha * v - lr * g), ["look-ahead"]),
])
def test_nesterov_specific_mistakes(name, fn, words):
    result = check_nesterov_step(fn)
    assert_result(result, "failed", *words)
    assert result.details["mistake"] == name


def test_every_listed_mistake_is_recognised_by_its_own_check():
    for rule, check in [(MOMENTUM_STEP, check_momentum_step),
                        (NESTEROV_STEP, check_nesterov_step)]:
        for mistake in rule.mistakes:
            assert check(mistake.fn).details.get("mistake") == mistake.name, mistake.name


def test_v_not_decayed_is_caught_even_from_rest():
    # from v = 0 the first step cannot tell; the second one does
    rule_cases = [c for c in MOMENTUM_STEP.cases if not np.any(c.state["v"])]
    assert rule_cases and all(c.steps >= 2 for c in rule_cases)


# --- not done, errors, shapes ----------------------------------------------------------------
@pytest.mark.parametrize("fn, words", [
    (momentum_stub, ["NotImplementedError"]),
    (lambda theta, v, g, lr, alpha: None, ["returned None", "return (theta, v)"]),
    (lambda theta, v, g, lr, alpha: (..., ...), ["`...`"]),
])
def test_not_done_yet(fn, words):
    assert_result(check_momentum_step(fn), "not done yet", *words)


def test_returning_only_theta_says_what_to_return():
    assert_result(check_momentum_step(lambda theta, v, g, lr, alpha: theta + alpha * v - lr * g),
                  "error", "should return (theta, v)", "an array of shape (2,)")


def test_in_place_change_is_reported():
    text = assert_result(check_momentum_step(momentum_inplace), "failed", "in place")
    assert "`v`" in text or "`theta`" in text


def test_endless_loop_and_exception_never_crash():
    assert_result(check_momentum_step(momentum_endless, timeout=0.2), "error", "never ends")
    assert_result(check_nesterov_step(lambda theta, v, g, lr, alpha: 1 / 0), "error",
                  "ZeroDivisionError")
    assert_result(check_momentum_step(lambda theta, g, lr: theta), "error",
                  "(theta, v, g, lr, alpha)")
    assert_result(check_momentum_step("momentum_step"), "error", "should be a function")


def test_messages_are_deterministic():
    for fn in (momentum_ok, MISTAKES[2][1], momentum_stub):
        assert repr(check_momentum_step(fn)) == repr(check_momentum_step(fn))
        assert "0x" not in repr(check_nesterov_step(fn))
