"""The exercise checks: right answers pass, each kind of wrong answer gets its diagnosis."""

import subprocess
import sys
import threading

import numpy as np
import pytest

from course_lib.checks import Case, CheckResult, UpdateRule, check_number, check_update_rule
from course_lib.lessons.nb00_start_here.checks import GD_STEP, check_gd_step, check_largest_lr
from course_lib.lessons.nb03_sgd_schedules.checks import SGD_SCHEDULE_STEP, check_sgd_schedule_step
from course_lib.objectives import Quadratic


# --- learner implementations, right and wrong --------------------------------------------
def gd_ok(theta, g, lr):
    return theta - lr * g


def gd_stub(theta, g, lr):
    # YOUR CODE HERE
    raise NotImplementedError()


def gd_dots(theta, g, lr):
    ...


def gd_inplace(theta, g, lr):
    theta -= lr * g
    return theta


def gd_zero_division(theta, g, lr):
    scale = 1 / 0
    return theta - scale * g


def gd_endless(theta, g, lr):
    while True:
        pass


def sgd_ok(theta, k, g, eps0, eps_tau, tau):
    k += 1
    a = min(k / tau, 1)
    eps = (1 - a) * eps0 + a * eps_tau
    return theta - eps * g, k


def sgd_off_by_one(theta, k, g, eps0, eps_tau, tau):
    a = min(k / tau, 1)                    # ε_k with the old k
    return theta - ((1 - a) * eps0 + a * eps_tau) * g, k + 1


def sgd_never_increments(theta, k, g, eps0, eps_tau, tau):
    a = min(k / tau, 1)
    return theta - ((1 - a) * eps0 + a * eps_tau) * g, k


def sgd_unclamped(theta, k, g, eps0, eps_tau, tau):
    k += 1
    a = k / tau
    return theta - ((1 - a) * eps0 + a * eps_tau) * g, k


def sgd_inplace(theta, k, g, eps0, eps_tau, tau):
    k += 1
    a = min(k / tau, 1)
    theta -= ((1 - a) * eps0 + a * eps_tau) * g
    return theta, k


def assert_result(result, status, *words):
    assert isinstance(result, CheckResult)
    assert result.status == status, repr(result)
    assert bool(result) == (status == "passed")
    text = repr(result)
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"
    return text


# --- passing -------------------------------------------------------------------------
def test_correct_gd_step_passes():
    assert_result(check_gd_step(gd_ok), "passed", "✔", "gd_step passes", "θ ← θ − ε g")
    assert check_gd_step(gd_ok).details["steps"] > 10


def test_correct_sgd_schedule_step_passes():
    assert_result(check_sgd_schedule_step(sgd_ok), "passed", "✔ sgd_schedule_step passes")
    assert check_sgd_schedule_step(SGD_SCHEDULE_STEP.reference)


def test_list_of_numbers_is_accepted():
    assert_result(check_gd_step(lambda theta, g, lr: list(theta - lr * g)), "passed")


def test_cases_cover_the_edge_cases():
    names = " ".join(case.name for case in GD_STEP.cases)
    for word in ("saddle", "rotated", "5-D", "g = 0", "tiny", "integer"):
        assert word in names
    assert any(case.objective.dim == 5 for case in GD_STEP.cases)
    assert any(case.steps > case.hyper["tau"] for case in SGD_SCHEDULE_STEP.cases)


# --- not done yet --------------------------------------------------------------------
@pytest.mark.parametrize("fn, words", [
    (gd_stub, ["NotImplementedError", "# YOUR CODE HERE"]),
    (gd_dots, ["returned None", "return theta"]),
    (lambda theta, g, lr: None, ["returned None"]),
    (lambda theta, g, lr: ..., ["`...`"]),
])
def test_not_done_yet(fn, words):
    text = assert_result(check_gd_step(fn), "not done yet", "…", *words)
    assert text.startswith("… gd_step: not done yet")


def test_not_done_yet_for_a_tuple_of_placeholders():
    assert_result(check_sgd_schedule_step(lambda theta, k, g, eps0, eps_tau, tau: (..., ...)),
                  "not done yet")


# --- errors --------------------------------------------------------------------------
def test_exception_names_type_case_step_and_line():
    assert_result(check_gd_step(gd_zero_division), "error", "⚠", "ZeroDivisionError",
                  "division by zero", "step 1 of case", "line 2 of gd_zero_division",
                  "scale = 1 / 0")


def test_endless_loop_times_out():
    result = check_gd_step(gd_endless, timeout=0.3)
    assert_result(result, "error", "longer than 0.3 s", "never ends")
    assert result.details["kind"] == "timeout"


def test_endless_loop_times_out_outside_the_main_thread():
    """No alarm outside the main thread: the check gives up after its time limit and says
    so, while the loop goes on in the thread it was left in (safe_call's docstring). Here
    the loop ends when the test is over: left running, it took a core and the GIL from
    every later test of its pytest worker (small products 10–300× slower)."""
    over = threading.Event()

    def endless(theta, g, lr):
        while not over.is_set():
            pass

    box = {}
    thread = threading.Thread(target=lambda: box.update(r=check_gd_step(endless, timeout=0.2)))
    thread.start()
    thread.join(5)
    try:
        assert_result(box["r"], "error", "longer than 0.2 s")
    finally:
        over.set()
    left = [t for t in threading.enumerate() if t.name == "course_lib-check"]
    for t in left:
        t.join(5)
    assert not any(t.is_alive() for t in left)


def test_loop_that_swallows_every_exception_still_times_out():
    def stubborn(theta, g, lr):
        while True:
            try:
                pass
            except BaseException:   # noqa: BLE001 - the point of the test
                pass

    assert_result(check_gd_step(stubborn, timeout=0.2), "error", "never ends")


@pytest.mark.parametrize("fn, words", [
    (lambda theta, g, lr: (theta - lr * g, g), ["should return theta", "tuple of 2 items"]),
    (lambda theta, g, lr: "theta", ["should return theta", "a str"]),
    (lambda theta, g, lr: object(), ["an object"]),
])
def test_wrong_return_type(fn, words):
    assert_result(check_gd_step(fn), "error", *words)


def test_wrong_tuple_for_two_outputs():
    assert_result(check_sgd_schedule_step(lambda theta, k, g, eps0, eps_tau, tau: 0.5),
                  "error", "should return (theta, k), got a float")


def test_none_after_the_first_step_is_an_error():
    calls = []

    def flaky(theta, g, lr):
        calls.append(1)
        return theta - lr * g if len(calls) == 1 else None

    assert_result(check_gd_step(flaky), "error", "got None", "step 2")


@pytest.mark.parametrize("fn", [None, 3, "gd_step"])
def test_not_callable_never_raises(fn):
    assert_result(check_gd_step(fn), "error", "should be a function", "check_gd_step(gd_step)")


def test_wrong_signature():
    assert_result(check_gd_step(lambda theta, lr: theta), "error", "(theta, g, lr)",
                  "(theta, lr)")
    assert_result(check_gd_step(lambda g, theta, lr: theta), "error", "order")


def test_a_bug_in_the_check_itself_is_reported_not_raised():
    def broken_reference(theta, g, lr):
        raise RuntimeError("oops")

    rule = UpdateRule(name="gd_step", signature=("theta", "g", "lr"), outputs=("theta",),
                      reference=broken_reference,
                      cases=[Case("bowl", Quadratic((1.0, 2.0)), {"theta": np.ones(2)},
                                  {"lr": 0.1})])
    assert_result(check_update_rule(gd_ok, rule), "error", "itself failed", "RuntimeError")


# --- failures with a diagnosis -------------------------------------------------------
def test_wrong_sign():
    result = check_gd_step(lambda theta, g, lr: theta + lr * g)
    assert_result(result, "failed", "✘ gd_step: θ differs at step 1", "uphill", "sign",
                  "θ ← θ − ε g", "expected: θ = [0.9, 0]", "got:      θ = [1.1, 2]")
    assert result.details["mistake"] == "sign flipped"


def test_wrong_sign_sgd():
    def flipped(theta, k, g, eps0, eps_tau, tau):
        new_theta, k = sgd_ok(theta, k, g, eps0, eps_tau, tau)
        return 2 * theta - new_theta, k          # θ + ε_k g

    assert_result(check_sgd_schedule_step(flipped), "failed", "uphill", "θ ← θ − ε_k g")


def test_off_by_one_step_counter():
    result = check_sgd_schedule_step(sgd_off_by_one)
    assert_result(result, "failed", "θ differs at step 1", "old k", "k ← k + 1", "ε₁")
    assert result.details["mistake"] == "off by one"


def test_counter_never_increased():
    result = check_sgd_schedule_step(sgd_never_increments)
    assert_result(result, "failed", "k never changes")


def test_decay_not_clamped_after_tau():
    result = check_sgd_schedule_step(sgd_unclamped)
    assert_result(result, "failed", "step 4", "min(k/τ, 1)")
    assert result.details["step"] == 4


@pytest.mark.parametrize("check, fn", [(check_gd_step, gd_inplace),
                                       (check_sgd_schedule_step, sgd_inplace)])
def test_in_place_mutation_is_reported_even_when_values_are_right(check, fn):
    result = check(fn)
    text = assert_result(result, "failed", "changed its input `theta`", "in place",
                         "new array")
    assert "also differ" not in text
    assert result.details["kind"] == "mutation"


@pytest.mark.parametrize("fn, shape", [
    (lambda theta, g, lr: theta[:1], "(1,)"),
    (lambda theta, g, lr: (theta - lr * g)[None, :], "(1, 2)"),
    (lambda theta, g, lr: float(theta[0]), "()"),
])
def test_wrong_shape_names_both_shapes(fn, shape):
    assert_result(check_gd_step(fn), "failed", f"shape {shape}", "shape (2,)")


def test_nan():
    assert_result(check_gd_step(lambda theta, g, lr: theta - lr * g / 0.0), "failed", "NaN")
    assert_result(check_gd_step(lambda theta, g, lr: theta * np.nan), "failed", "NaN",
                  "expected: θ = [0.9, 0]")


@pytest.mark.parametrize("fn, words", [
    (lambda theta, g, lr: theta - g, ["without the learning rate"]),
    (lambda theta, g, lr: -lr * g, ["returned the step"]),
    (lambda theta, g, lr: g, ["returned the gradient"]),
    (lambda theta, g, lr: theta - lr * lr * g, ["ε²"]),
    (lambda theta, g, lr: theta, ["did not move"]),
    (lambda theta, g, lr: theta - 0.5 * lr * g, ["0.5 ×", "learning rate"]),
    (lambda theta, g, lr: theta - lr * g * np.r_[1.0, np.zeros(len(theta) - 1)],
     ["The rule is θ ← θ − ε g"]),
])
def test_value_mismatch_diagnoses(fn, words):
    assert_result(check_gd_step(fn), "failed", "θ differs", *words)


# --- check_number --------------------------------------------------------------------
@pytest.mark.parametrize("answer", [None, ...])
def test_number_not_done(answer):
    assert_result(check_number(answer, 1.0, name="x"), "not done yet")


@pytest.mark.parametrize("answer", ["0.2", True, [0.1, 0.2], np.zeros(3), {"a": 1}])
def test_number_not_one_number(answer):
    assert_result(check_number(answer, 0.2, name="x"), "error", "expected one number")


@pytest.mark.parametrize("answer", [float("nan"), float("inf")])
def test_number_not_finite(answer):
    assert_result(check_number(answer, 0.2, name="x"), "failed", "not a finite number")


def test_number_directions_and_hints_without_the_answer():
    low = assert_result(check_number(0.5, 1.2345, name="x", hint_low="go up"), "failed",
                        "too low", "go up")
    high = assert_result(check_number(2, 1.2345, name="x", hint_high="go down"), "failed",
                         "too high", "go down")
    assert "1.2345" not in low + high
    ok = check_number(np.array([1.24]), 1.2345, name="x", unit="s")
    assert_result(ok, "passed", "1.24 s", "1.2345 s")
    assert ok.details["expected"] == 1.2345
    assert check_number(1, 1.0, name="x", rtol=0.0)
    assert check_number(np.float32(1.04), 1.0, name="x")


def test_largest_lr():
    assert_result(check_largest_lr(0.2), "passed")
    assert_result(check_largest_lr(0.195), "passed")
    assert_result(check_largest_lr(0.25), "failed", "too high", "grows")
    assert_result(check_largest_lr(0.205), "failed", "too high")   # past 2/λ_max diverges
    assert_result(check_largest_lr(0.188), "passed")
    assert_result(check_largest_lr(0.187), "failed", "too low")
    assert_result(check_largest_lr(0.1), "failed", "too low", "larger")
    assert_result(check_largest_lr(1.0, lam_max=1.0), "failed", "too low")


# --- messages ------------------------------------------------------------------------
def test_messages_are_deterministic_and_address_free():
    def raises_with_address(theta, g, lr):
        raise ValueError(repr(gd_ok))

    results = [
        lambda: check_gd_step(gd_ok), lambda: check_gd_step(gd_stub),
        lambda: check_gd_step(gd_inplace), lambda: check_gd_step(raises_with_address),
        lambda: check_gd_step(lambda theta, g, lr: object()),
        lambda: check_gd_step(gd_endless, timeout=0.1),
        lambda: check_sgd_schedule_step(sgd_off_by_one), lambda: check_largest_lr("x"),
    ]
    for make in results:
        first, second = repr(make()), repr(make())
        assert first == second
        assert "0x" not in first
        assert first[0] in "✔✘…⚠"


def test_check_result_is_consistent():
    with pytest.raises(ValueError):
        CheckResult(True, "failed", "✘ no")
    with pytest.raises(ValueError):
        CheckResult(False, "wrong", "?")


def test_importing_checks_loads_no_plotting():
    code = ("import sys, course_lib.checks; "
            "print(any(m in sys.modules for m in ('matplotlib', 'ipywidgets')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_close_after_an_overflow_compares_by_rtol_alone_without_a_warning():
    import warnings

    from course_lib.checks.diagnose import close

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert close([np.inf, 1e300], [np.inf, 1e300 * (1 + 1e-9)], scale=np.inf)
        assert not close([1.0, 1e300], [1.001, 1e300], scale=np.inf)
        assert not close([np.inf], [-np.inf], scale=np.inf)
    assert close([1e-11], [0.0], scale=1.0)     # the floor still holds for a finite scale
