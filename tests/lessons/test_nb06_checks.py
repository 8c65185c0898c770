"""The AdaGrad, RMSProp and Adam exercise checks (notebook 06): right answers pass, known
mistakes are named with their hint, and nothing a learner writes crashes them."""

import numpy as np
import pytest

from course_lib import minimize, optim
from course_lib.checks import CheckResult
from course_lib.lessons.nb06_adaptive_rates.checks import (
    ADAGRAD_STEP,
    ADAM_STEP,
    RMSPROP_STEP,
    check_adagrad_step,
    check_adam_first_step,
    check_adam_step,
    check_rmsprop_step,
)
from course_lib.objectives import FunctionObjective


# --- learner implementations, written from the book ----------------------------------------
def adagrad_ok(theta, r, g, lr, delta):
    r = r + g * g
    return theta - lr * g / (delta + np.sqrt(r)), r


def rmsprop_ok(theta, r, g, lr, rho, delta):
    r = rho * r + (1 - rho) * g ** 2
    return theta - lr * g / np.sqrt(delta + r), r


def adam_ok(theta, s, r, t, g, lr, rho1, rho2, delta):
    t = t + 1
    s = rho1 * s + (1 - rho1) * g
    r = rho2 * r + (1 - rho2) * g ** 2
    s_hat = s / (1 - rho1 ** t)
    r_hat = r / (1 - rho2 ** t)
    return theta - lr * s_hat / (np.sqrt(r_hat) + delta), s, r, t


def adagrad_inplace(theta, r, g, lr, delta):
    r += g * g
    return theta - lr * g / (delta + np.sqrt(r)), r


def rmsprop_inplace(theta, r, g, lr, rho, delta):
    r = rho * r + (1 - rho) * g * g
    theta -= lr * g / np.sqrt(delta + r)
    return theta, r


def adam_inplace(theta, s, r, t, g, lr, rho1, rho2, delta):
    t = t + 1
    s *= rho1
    s += (1 - rho1) * g
    r = rho2 * r + (1 - rho2) * g * g
    return theta - lr * (s / (1 - rho1 ** t)) / (np.sqrt(r / (1 - rho2 ** t)) + delta), s, r, t


def stub(*args):
    # YOUR CODE HERE
    raise NotImplementedError()


RULES = [(ADAGRAD_STEP, check_adagrad_step, adagrad_ok, adagrad_inplace, "r"),
         (RMSPROP_STEP, check_rmsprop_step, rmsprop_ok, rmsprop_inplace, "theta"),
         (ADAM_STEP, check_adam_step, adam_ok, adam_inplace, "s")]
IDS = ["adagrad", "rmsprop", "adam"]


def assert_result(result, status, *words):
    assert isinstance(result, CheckResult)
    assert result.status == status, repr(result)
    text = repr(result)
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"
    return text


# --- the references are the course's optimizers ------------------------------------------------
def test_the_rules_agree_with_the_library_optimizers():
    g = np.array([0.7, -2.0])
    oracle_fn = FunctionObjective(lambda th: g @ th, lambda th: g, dim=2)
    theta0 = np.array([1.0, -1.0])
    for optimizer, rule, start in [
        (optim.AdaGrad(0.1, delta=0.1), ADAGRAD_STEP, {"r": np.zeros(2)}),
        (optim.RMSProp(0.1, rho=0.8, delta=0.1), RMSPROP_STEP, {"r": np.zeros(2)}),
        (optim.Adam(0.1, rho1=0.8, rho2=0.9, delta=0.1), ADAM_STEP,
         {"s": np.zeros(2), "r": np.zeros(2), "t": 0}),
    ]:
        trace = minimize(oracle_fn, optimizer, theta0, 3)
        state, theta = dict(start), theta0
        hyper = {k: getattr(optimizer, k) for k in ("delta", "rho", "rho1", "rho2")
                 if hasattr(optimizer, k)}
        for k in range(1, 4):
            args = {"theta": theta, "g": g, "lr": 0.1, **hyper, **state}
            out = rule.reference(*[args[n] for n in rule.signature])
            theta = out[0]
            state = dict(zip(rule.outputs[1:], out[1:], strict=True))
            np.testing.assert_allclose(theta, trace.thetas[k], rtol=1e-14)
            np.testing.assert_allclose(state["r"], trace.states[k - 1].r, rtol=1e-14)


# --- passing -----------------------------------------------------------------------------------
@pytest.mark.parametrize("rule, check, ok, inplace, changed", RULES, ids=IDS)
def test_correct_step_passes(rule, check, ok, inplace, changed):
    text = assert_result(check(ok), "passed", "✔", "8 cases (29 steps)")
    assert rule.formula in text


def test_cases_start_mid_run_with_a_large_delta():
    for rule in (ADAGRAD_STEP, RMSPROP_STEP, ADAM_STEP):
        first = rule.cases[0]
        assert first.state["r"].all() and first.hyper["delta"] == 0.1
        names = " ".join(case.name for case in rule.cases)
        for word in ("saddle", "5-D", "g = 0", "tiny", "integer"):
            assert word in names
    assert ADAM_STEP.cases[0].state["t"] == 5 and ADAM_STEP.cases[0].state["s"].all()


def test_delta_placement_is_distinguishable_in_the_first_case():
    # δ = 0.1 with r ≈ 1: δ + √r and √(δ + r) differ by about 5 %, far above rtol = 1e-7
    r = ADAGRAD_STEP.cases[0].state["r"] + 1.0
    gap = np.abs((0.1 + np.sqrt(r)) / np.sqrt(0.1 + r) - 1)
    assert np.all(gap > 1e-2)


# --- known mistakes: each is named, with its hint ----------------------------------------------
ADAGRAD_MISTAKES = {
    "sign flipped": (lambda theta, r, g, lr, delta:
                     (theta + lr * g / (delta + np.sqrt(r + g * g)), r + g * g), ["uphill"]),
    "δ inside the root": (lambda theta, r, g, lr, delta:
                          (theta - lr * g / np.sqrt(delta + r + g * g), r + g * g),
                          ["√(δ + r)", "outside the root", "ε/(δ + √r)"]),
    "no square root": (lambda theta, r, g, lr, delta:
                       (theta - lr * g / (delta + r + g * g), r + g * g), ["square root"]),
    "squared gradient not element-wise": (lambda theta, r, g, lr, delta:
                                          (theta - lr * g / (delta + np.sqrt(r + g @ g)),
                                           r + np.dot(g, g)), ["g ⊙ g", "‖g‖²"]),
    "step with the old r": (lambda theta, r, g, lr, delta:
                            (theta - lr * g / (delta + np.sqrt(r)), r + g * g), ["*old* r"]),
    "returned (r, θ)": (lambda theta, r, g, lr, delta: adagrad_ok(theta, r, g, lr, delta)[::-1],
                        ["wrong order", "(theta, r)"]),
}

RMSPROP_MISTAKES = {
    "sign flipped": (lambda theta, r, g, lr, rho, delta:
                     (theta + lr * g / np.sqrt(delta + rho * r + (1 - rho) * g * g),
                      rho * r + (1 - rho) * g * g), ["uphill"]),
    "(1 − ρ) missing": (lambda theta, r, g, lr, rho, delta:
                        (theta - lr * g / np.sqrt(delta + rho * r + g * g), rho * r + g * g),
                        ["(1 − ρ)", "ρr + (1 − ρ) g ⊙ g"]),
    "ρ and 1 − ρ swapped": (lambda theta, r, g, lr, rho, delta:
                            (theta - lr * g / np.sqrt(delta + (1 - rho) * r + rho * g * g),
                             (1 - rho) * r + rho * g * g), ["swapped"]),
    "δ outside the root": (lambda theta, r, g, lr, rho, delta:
                           (theta - lr * g / (delta + np.sqrt(rho * r + (1 - rho) * g * g)),
                            rho * r + (1 - rho) * g * g), ["δ + √r", "inside the root"]),
    "squared gradient not element-wise": (lambda theta, r, g, lr, rho, delta:
                                          (theta - lr * g / np.sqrt(
                                              delta + rho * r + (1 - rho) * np.sum(g ** 2)),
                                           rho * r + (1 - rho) * np.sum(g ** 2)),
                                          ["dot product", "g ⊙ g"]),
}


def adam_variant(late=False, s_one=False, r_one=False, swap=False, inside=False,
                 correct=True, sign=-1):
    def step(theta, s, r, t, g, lr, rho1, rho2, delta):
        if swap:
            rho1, rho2 = rho2, rho1
        t_new = t + 1
        s = rho1 * s + (1 if s_one else 1 - rho1) * g
        r = rho2 * r + (1 if r_one else 1 - rho2) * g ** 2
        tc = t if late else t_new
        s_hat = s / (1 - rho1 ** tc) if correct else s
        r_hat = r / (1 - rho2 ** tc) if correct else r
        denominator = np.sqrt(r_hat + delta) if inside else np.sqrt(r_hat) + delta
        return theta + sign * lr * s_hat / denominator, s, r, t_new
    return step


ADAM_MISTAKES = {
    "t increased after the bias correction": (adam_variant(late=True),
                                              ["increase t first", "1 − ρ₁ᵗ"]),
    "(1 − ρ₁) missing": (adam_variant(s_one=True), ["(1 − ρ₁)"]),
    "(1 − ρ₂) missing": (adam_variant(r_one=True), ["(1 − ρ₂)"]),
    "ρ₁ and ρ₂ swapped": (adam_variant(swap=True), ["swapped"]),
    "δ inside the root": (adam_variant(inside=True), ["√(r̂ + δ)", "√r̂ + δ"]),
    "no bias correction": (adam_variant(correct=False), ["1 − ρ₁ᵗ and 1 − ρ₂ᵗ"]),
    "sign flipped": (adam_variant(sign=1), ["uphill"]),
}


@pytest.mark.parametrize("check, name, fn, words", [
    *[(check_adagrad_step, k, f, w) for k, (f, w) in ADAGRAD_MISTAKES.items()],
    *[(check_rmsprop_step, k, f, w) for k, (f, w) in RMSPROP_MISTAKES.items()],
    *[(check_adam_step, k, f, w) for k, (f, w) in ADAM_MISTAKES.items()],
], ids=lambda x: x if isinstance(x, str) else None)
def test_learner_mistakes_are_diagnosed_at_the_first_step(check, name, fn, words):
    result = check(fn)
    assert_result(result, "failed", "differs at step 1 of case 'already running", *words)
    assert result.details["mistake"] == name


def test_every_listed_mistake_is_recognised_by_its_own_check():
    for rule, check in [(ADAGRAD_STEP, check_adagrad_step), (RMSPROP_STEP, check_rmsprop_step),
                        (ADAM_STEP, check_adam_step)]:
        assert len({m.name for m in rule.mistakes}) == len(rule.mistakes)
        for mistake in rule.mistakes:
            result = check(mistake.fn)
            assert result.details.get("mistake") == mistake.name, mistake.name
            assert mistake.hint in repr(result)


def test_late_t_from_zero_is_reported_as_a_division_by_zero_not_a_crash():
    # Run from t = 0 only (the standard cases): 1 − ρ⁰ = 0 makes the learner's θ NaN/inf.
    late = adam_variant(late=True)
    first = ADAM_STEP.cases[1]
    assert first.state["t"] == 0
    with np.errstate(all="ignore"):
        out = late(*[{**first.state, **first.hyper, "g": np.ones(2)}[n]
                     for n in ADAM_STEP.signature])
    assert not np.all(np.isfinite(out[0]))


# --- not done, in-place, errors -----------------------------------------------------------------
@pytest.mark.parametrize("rule, check, ok, inplace, changed", RULES, ids=IDS)
def test_stub_is_not_done_yet(rule, check, ok, inplace, changed):
    assert_result(check(stub), "not done yet", "not done yet", "NotImplementedError")
    assert_result(check(lambda *args: None), "not done yet", f"return {rule.returns()}")


@pytest.mark.parametrize("rule, check, ok, inplace, changed", RULES, ids=IDS)
def test_in_place_change_is_caught(rule, check, ok, inplace, changed):
    result = check(inplace)
    assert_result(result, "failed", "in place", f"`{changed}`")
    assert result.details["kind"] == "mutation" and result.details["input"] == changed


def test_errors_never_crash():
    assert_result(check_adam_step(lambda *a: 1 / 0), "error", "ZeroDivisionError")
    assert_result(check_rmsprop_step(lambda theta, r, g, lr, delta: theta), "error",
                  "(theta, r, g, lr, rho, delta)")
    assert_result(check_adagrad_step(lambda theta, r, g, lr, delta: theta), "error",
                  "should return (theta, r)")
    assert_result(check_adam_step(lambda theta, s, r, t, g, lr, rho1, rho2, delta:
                                  (theta, s, r)), "error", "(theta, s, r, t)")


def test_messages_are_deterministic():
    fn = ADAM_MISTAKES["no bias correction"][0]
    assert repr(check_adam_step(fn)) == repr(check_adam_step(fn))
    assert "0x" not in repr(check_adam_step(fn))


# --- predict-then-check: Adam's first step --------------------------------------------------
def test_adam_first_step_right_answers():
    text = assert_result(check_adam_first_step(0.001), "passed", "ε")
    assert "0.001" in text
    assert_result(check_adam_first_step(np.float64(0.000995)), "passed")     # within 1 %
    assert_result(check_adam_first_step(0.01, lr=0.01), "passed")


def test_adam_first_step_expected_value_is_the_library_step():
    g = np.array([3.0, -0.01])
    f = FunctionObjective(lambda th: g @ th, lambda th: g, dim=2)
    step = minimize(f, optim.Adam(lr=0.001), np.zeros(2), 1).thetas[1]
    assert abs(step[0]) == pytest.approx(0.001, rel=1e-8)
    assert abs(step[1]) == pytest.approx(0.001, rel=2e-6)     # δ/|g₂| = 1e-6
    assert check_adam_first_step(abs(step[0])).passed


@pytest.mark.parametrize("answer, words", [
    (0.1 / np.sqrt(0.001) * 0.001, ["without the bias correction", "3.16ε"]),
    (0.00316, ["without the bias correction"]),
    (np.sqrt(0.001) / 0.1 * 0.001, ["upside down"]),
    (0.0001, ["only r were bias-corrected"]),
    (0.001 / np.sqrt(0.001), ["only s were"]),
    (0.003, ["plain gradient step"]),
    (1, ["not as a multiple of ε"]),
])
def test_adam_first_step_known_wrong_answers(answer, words):
    result = check_adam_first_step(answer)
    assert_result(result, "failed", *words)
    assert result.details["kind"] == "known mistake"


@pytest.mark.parametrize("answer, status, words", [
    (0.002, "failed", ["too high", "ŝ₁/√r̂₁"]),
    (0.0005, "failed", ["too low"]),
    (None, "not done yet", ["not done yet"]),
    (..., "not done yet", ["not done yet"]),
    ("0.001", "error", ["text"]),
    (True, "error", ["True/False"]),
    ([0.001, 0.001], "error", ["single value"]),
    (float("nan"), "failed", ["not a finite number"]),
])
def test_adam_first_step_other_answers(answer, status, words):
    assert_result(check_adam_first_step(answer), status, *words)
