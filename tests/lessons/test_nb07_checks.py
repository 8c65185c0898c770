"""The exercise checks of notebook 07 (a damped Newton step, linear CG, the L-BFGS two-loop
recursion, CG's iteration count): right answers pass, each classic mistake is named with its
hint, and nothing a learner writes (exceptions, endless loops, wrong shapes or types, None,
inputs changed in place) crashes a check."""

import math

import numpy as np
import pytest
from numpy.linalg import inv as imported_inv  # a learner's `from numpy.linalg import inv`

from course_lib.checks import CheckResult
from course_lib.checks.result import RESULTS
from course_lib.lessons.nb07_second_order import checks
from course_lib.lessons.nb07_second_order.checks import (
    NEWTON_STEP,
    check_cg_iterations,
    check_linear_cg,
    check_newton_step,
    check_two_loop,
)
from course_lib.lessons.nb07_second_order.checks import linear_cg as cg_exercise
from course_lib.lessons.nb07_second_order.checks import newton as newton_exercise
from course_lib.lessons.nb07_second_order.checks import two_loop as two_loop_exercise
from course_lib.objectives import Rosenbrock
from course_lib.optim import LBFGS, linear_cg
from course_lib.run import minimize

FAST = 0.3          # time limit for the endless loops below (the default is 2 s)


def assert_result(result, status, *words):
    assert isinstance(result, CheckResult)
    assert result.status == status, repr(result)
    text = repr(result)
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"
    assert "0x" not in text                     # no memory addresses: deterministic text
    return text


def loops_for_ever(*args):
    while True:
        pass


# --- learner answers, written from the notebook's text --------------------------------------------
def newton_ok(theta, g, H, alpha):
    return theta - np.linalg.solve(H + alpha * np.eye(len(g)), g)


def newton_lstsq(theta, g, H, alpha):           # another way to solve, not an inverse
    return theta - np.linalg.lstsq(H + alpha * np.eye(len(g)), g, rcond=None)[0]


def newton_scipy_solve(theta, g, H, alpha):
    import scipy.linalg

    return theta - scipy.linalg.solve(H + alpha * np.eye(len(g)), g)


def two_loop_ok(g, s_list, y_list):             # the notebook's solution
    q = np.array(g, dtype=float)
    if not s_list:
        return -q
    rhos = [1.0 / (y @ s) for s, y in zip(s_list, y_list, strict=True)]
    alphas = [0.0] * len(s_list)
    for i in reversed(range(len(s_list))):
        alphas[i] = rhos[i] * (s_list[i] @ q)
        q = q - alphas[i] * y_list[i]
    r = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1]) * q
    for i in range(len(s_list)):
        beta = rhos[i] * (y_list[i] @ r)
        r = r + s_list[i] * (alphas[i] - beta)
    return -r


def two_loop_by_matrix(g, s_list, y_list):
    """An independent answer: build M from M₀ = γI with the BFGS update, oldest pair first."""
    g = np.asarray(g, dtype=float)
    if not s_list:
        return -g
    s, y = s_list[-1], y_list[-1]
    M = (s @ y) / (y @ y) * np.eye(len(g))
    for s, y in zip(s_list, y_list, strict=True):
        rho = 1.0 / (y @ s)
        left = np.eye(len(g)) - rho * np.outer(s, y)
        M = left @ M @ left.T + rho * np.outer(s, s)
    return -M @ g


def cg_ok(A, b, x0, tol):                       # the notebook's solution
    x = np.array(x0, dtype=float)
    r = A @ x - b
    d = -r
    directions = []
    while np.linalg.norm(r) > tol * np.linalg.norm(b) and len(directions) < 10 * len(b):
        Ad = A @ d
        rr = r @ r
        eta = rr / (d @ Ad)
        x = x + eta * d
        r = r + eta * Ad
        directions.append(d)
        d = -r + (r @ r) / rr * d
    return x, directions


def cg_other_convention(A, b, x0, tol):         # r = b − Ax, d ← r + βd; an array of directions
    x = np.array(x0, dtype=float)
    r = b - A @ x
    d = r.copy()
    directions = []
    while np.linalg.norm(r) > tol * np.linalg.norm(b) and len(directions) < 10 * len(b):
        Ad = A @ d
        rr = r @ r
        eta = rr / (d @ Ad)
        x = x + eta * d
        r = r - eta * Ad
        directions.append(d.copy())
        d = r + (r @ r) / rr * d
    return x, np.array(directions)


def cg_variant(*, beta=True, overwrite_rr=False, in_place_x=False, stop="tol",
               append_after=False, append=True, alias=False, always_one_step=False):
    """The notebook's solution with one learner mistake switched on."""
    def linear_cg(A, b, x0, tol):
        x = x0 if in_place_x else np.array(x0, dtype=float)
        r = A @ x - b
        d = -r
        directions = []
        steps = 0

        def going():
            if stop == "exactly zero":
                return bool(np.any(r != 0))
            if stop == "n steps":
                return steps < len(b)
            return np.linalg.norm(r) > tol * np.linalg.norm(b) and steps < 10 * len(b)

        while going() or (always_one_step and steps == 0):
            Ad = A @ d
            rr = r @ r
            eta = rr / (d @ Ad)
            if in_place_x:
                x += eta * d
            else:
                x = x + eta * d
            r = r + eta * Ad
            if overwrite_rr:
                rr = r @ r
            if append and not append_after:
                directions.append(d)
            coef = (r @ r) / rr if beta else 0.0
            if alias:
                d *= coef
                d -= r
            else:
                d = -r + coef * d
            if append and append_after:
                directions.append(d)
            steps += 1
        return x, directions
    return linear_cg


# --- exercise 1: one damped Newton step -----------------------------------------------------------
@pytest.mark.parametrize("fn", [newton_ok, newton_lstsq, newton_scipy_solve])
def test_a_solve_passes(fn):
    text = assert_result(check_newton_step(fn), "passed", "5 cases (13 steps)")
    assert NEWTON_STEP.formula in text


def test_the_cases_are_those_the_notebook_names():
    # "a rotated bowl with α = 0.5, a 4-D bowl with α = 0, a saddle with enough damping"
    names = [case.name for case in NEWTON_STEP.cases]
    assert names[:3] == ["rotated bowl, α = 0.5", "4-D bowl, α = 0: one step to the minimum",
                         "saddle (λ = 2, −1), α = 3"]
    saddle = NEWTON_STEP.cases[2]
    assert np.linalg.eigvalsh(saddle.hyper["H"]).min() < 0
    assert np.linalg.eigvalsh(saddle.hyper["H"] + 3 * np.eye(2)).min() > 0   # "enough"
    # with α = 0 on a quadratic, the reference's one step is the minimum (eq. 8.27)
    bowl = NEWTON_STEP.cases[1]
    theta = bowl.state["theta"]
    after = NEWTON_STEP.reference(theta, bowl.objective.grad(theta), bowl.hyper["H"], 0.0)
    np.testing.assert_allclose(after, bowl.objective.center, atol=1e-12)


@pytest.mark.parametrize("mistake", NEWTON_STEP.mistakes, ids=lambda m: m.name)
def test_every_listed_newton_mistake_is_named_with_its_hint(mistake):
    result = check_newton_step(mistake.fn)
    assert_result(result, "failed", mistake.hint, "at step 1 of case 'rotated bowl, α = 0.5'")
    assert result.details["mistake"] == mistake.name


@pytest.mark.parametrize("name, fn, words", [
    ("sign flipped", lambda theta, g, H, alpha:
     theta + np.linalg.solve(H + alpha * np.eye(len(g)), g), ["uphill"]),
    ("damping missing", lambda theta, g, H, alpha: theta - np.linalg.solve(H, g),
     ["undamped step", "α was left out"]),
    ("element-wise inverse", lambda theta, g, H, alpha:
     theta - np.reciprocal(H + np.diag(np.full(len(g), alpha))) @ g,
     ["inverts each entry"]),
    ("α added to every entry of H", lambda theta, g, H, alpha:
     theta - np.linalg.solve(H + alpha * np.ones_like(H), g), ["*every* entry"]),
    ("returns the step", lambda theta, g, H, alpha:
     np.linalg.solve(-(H + alpha * np.eye(len(g))), g), ["instead of the new point"]),
    ("H instead of H⁻¹", lambda theta, g, H, alpha:
     theta - np.dot(H + alpha * np.eye(len(g)), g), ["divides by the curvature"]),
], ids=lambda x: x if isinstance(x, str) else None)
def test_learner_written_newton_mistakes_are_diagnosed(name, fn, words):
    result = check_newton_step(fn)
    assert_result(result, "failed", "differs at step 1", *words)
    assert result.details["mistake"] == name


@pytest.mark.parametrize("fn, used", [
    (lambda theta, g, H, alpha: theta - np.linalg.inv(H + alpha * np.eye(len(g))) @ g,
     "np.linalg.inv"),
    (lambda theta, g, H, alpha: theta - np.linalg.pinv(H + alpha * np.eye(len(g))) @ g,
     "np.linalg.pinv"),
    (lambda theta, g, H, alpha: theta - imported_inv(H + alpha * np.eye(len(g))) @ g,
     "np.linalg.inv"),
    (lambda theta, g, H, alpha: theta - __import__("scipy.linalg").linalg.inv(
        H + alpha * np.eye(len(g))) @ g, "scipy.linalg.inv"),
], ids=["np.linalg.inv", "np.linalg.pinv", "from numpy.linalg import inv", "scipy.linalg.inv"])
def test_an_explicit_inverse_fails_even_with_the_right_numbers(fn, used):
    import scipy.linalg

    originals = (np.linalg.inv, np.linalg.pinv, scipy.linalg.inv)
    result = check_newton_step(fn)
    assert_result(result, "failed", "gives the right numbers", f"with {used}",
                  "np.linalg.solve(H + alpha * np.eye(len(g)), g)")
    assert result.details == {"kind": "explicit inverse", "used": used}
    # the tripwire is removed again, also from this module's globals
    assert (np.linalg.inv, np.linalg.pinv, scipy.linalg.inv) == originals
    assert imported_inv is originals[0] and globals()["imported_inv"] is originals[0]


def test_an_inverse_with_wrong_numbers_is_diagnosed_by_its_numbers_first():
    result = check_newton_step(lambda theta, g, H, alpha: theta - np.linalg.inv(H) @ g)
    assert_result(result, "failed", "α was left out")
    assert result.details["mistake"] == "damping missing"


def test_newton_not_done_yet():
    def stub(theta, g, H, alpha):
        # YOUR CODE HERE
        raise NotImplementedError()

    assert_result(check_newton_step(stub), "not done yet", "NotImplementedError")
    assert_result(check_newton_step(lambda theta, g, H, alpha: None), "not done yet",
                  "returned None", "return theta")
    assert_result(check_newton_step(lambda theta, g, H, alpha: ...), "not done yet", "`...`")


def test_newton_inputs_changed_in_place():
    def theta_in_place(theta, g, H, alpha):
        theta -= np.linalg.solve(H + alpha * np.eye(len(g)), g)
        return theta

    def h_in_place(theta, g, H, alpha):
        H += alpha * np.eye(len(g))
        return theta - np.linalg.solve(H, g)

    for fn, name in ((theta_in_place, "theta"), (h_in_place, "H")):
        result = check_newton_step(fn)
        assert_result(result, "failed", f"changed its input `{name}`", "in place")
        assert result.details["kind"] == "mutation" and result.details["input"] == name


@pytest.mark.parametrize("fn, status, words", [
    (lambda theta, g, H, alpha: 1 / 0, "error", ["ZeroDivisionError", "line 1 of <lambda>"]),
    (lambda theta, g, H, alpha: theta[:1], "failed", ["shape (1,)", "should have shape (2,)"]),
    (lambda theta, g, H, alpha: (theta, g), "error", ["one array was expected"]),
    (lambda theta, g, H, alpha: "theta", "error", ["a str"]),
    (lambda theta, g, H, alpha: {"theta": theta}, "error", ["a dict"]),
    (lambda theta, g, H, alpha: theta * np.nan, "failed", ["NaN or inf"]),
    (lambda theta, g, H: theta, "error", ["(theta, g, H, alpha)", "yours takes (theta, g, H)"]),
    (lambda theta, H, g, alpha: theta, "error", ["in the order (theta, H, g, alpha)"]),
    (np.zeros(2), "error", ["an array of shape (2,)", "Pass the function itself"]),
])
def test_newton_hostile_answers_never_crash(fn, status, words):
    assert_result(check_newton_step(fn), status, *words)


def test_newton_endless_loop_times_out():
    result = check_newton_step(loops_for_ever, timeout=FAST)
    assert_result(result, "error", "longer than 0.3 s", "loop that never ends")
    assert result.details["kind"] == "timeout"


def test_newton_hidden_cases_pass_the_reference_and_catch_mistakes():
    for seed in range(3):
        cases = newton_exercise.random_newton_cases(seed)
        assert {case.objective.dim for case in cases} == {3, 4, 6, 7}
        for case in cases:            # α large enough that H + αI is positive definite
            assert np.linalg.eigvalsh(case.hyper["H"]).min() + case.hyper["alpha"] > 0
        assert check_newton_step(newton_ok, cases=cases).passed
        assert not check_newton_step(NEWTON_STEP.mistakes[1].fn, cases=cases).passed


def test_the_check_records_its_result_for_the_scoreboard():
    result = check_newton_step(newton_ok)
    assert RESULTS["check_newton_step"] is result


# --- exercise 2: linear conjugate gradients -------------------------------------------------------
@pytest.mark.parametrize("fn", [cg_ok, cg_other_convention, cg_exercise._reference],
                         ids=["notebook", "r = b − Ax", "reference"])
def test_correct_cg_passes(fn):
    result = check_linear_cg(fn)
    assert_result(result, "passed", "all 6 systems", "within n steps", "A-conjugate")
    assert result.details == {"cases": 6}


def test_the_cg_cases_need_the_steps_the_theory_allows():
    for name, A, b, x0, most in cg_exercise._cases():
        run = linear_cg(A, b, x0, tol=cg_exercise.TOL)          # the library, independent
        assert run.n_iter == most, name
        x, directions = cg_exercise._reference(A, b, x0, cg_exercise.TOL)
        assert len(directions) == most, name
        assert cg_exercise.a_conjugacy(directions, A) < cg_exercise.CONJUGATE


@pytest.mark.parametrize("mistake", cg_exercise.CG_MISTAKES, ids=lambda m: m.name)
def test_every_listed_cg_mistake_is_named_with_its_hint(mistake):
    result = check_linear_cg(mistake.fn)
    assert_result(result, "failed", "Likely cause: " + mistake.hint)
    assert result.details["mistake"] == mistake.name


@pytest.mark.parametrize("fn, mistake, kind, words", [
    (cg_variant(beta=False), "β missing", "value", ["x does not solve", "steepest descent"]),
    (cg_variant(overwrite_rr=True), "β = 1", "value", ["Keep the old rᵀr"]),
    (cg_variant(stop="n steps"), "no stopping test", "steps",
     ["took 30 steps", "at most 3 steps", "always runs n steps"]),
    (cg_variant(append_after=True), None, "first direction",
     ["CG starts with steepest descent", "b − Ax₀"]),
    (cg_variant(append=False), None, "directions", ["list of directions is empty"]),
    (cg_variant(alias=True), None, "aliased directions", ["same vector", "d.copy()"]),
    (cg_variant(always_one_step=True), None, "steps",
     ["took 1 steps", "x₀ already solves the system, so no step is needed",
      "does the loop stop once ‖r‖ ≤ tol·‖b‖"]),
], ids=["no β", "rᵀr overwritten", "no stopping test", "appends the next direction",
        "never appends", "d changed in place", "a step when x₀ solves it"])
def test_learner_written_cg_mistakes_are_diagnosed(fn, mistake, kind, words):
    result = check_linear_cg(fn)
    assert_result(result, "failed", *words)
    assert result.details["kind"] == kind
    assert result.details["mistake"] == mistake


def test_solving_without_cg_does_not_pass():
    # the right x from np.linalg.solve, and no directions: not an answer to the exercise
    result = check_linear_cg(lambda A, b, x0, tol: (np.linalg.solve(A, b), []))
    assert_result(result, "failed", "list of directions is empty")


def test_cg_changing_x0_in_place():
    result = check_linear_cg(cg_variant(in_place_x=True))
    assert_result(result, "failed", "changed one of its inputs A, b or x0 in place",
                  "x = x0.copy()")
    assert result.details["kind"] == "mutation"


def test_cg_stopping_only_at_an_exact_zero_times_out():
    result = check_linear_cg(cg_variant(stop="exactly zero"), timeout=FAST)
    assert_result(result, "error", "longer than 0.3 s", "not when r is exactly 0")
    assert result.details["kind"] == "timeout"


def test_cg_not_done_yet():
    def stub(A, b, x0, tol):
        # YOUR CODE HERE
        raise NotImplementedError()

    assert_result(check_linear_cg(stub), "not done yet", "NotImplementedError")
    for value in (None, ..., (..., ...)):
        assert_result(check_linear_cg(lambda A, b, x0, tol, v=value: v), "not done yet",
                      "return x, directions")


class Hostile:
    """A return value that refuses every conversion."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array for you")

    def __len__(self):
        raise RuntimeError("no length either")


@pytest.mark.parametrize("fn, status, words", [
    (lambda A, b, x0, tol: 1 / 0, "error", ["ZeroDivisionError", "line 1 of <lambda>"]),
    (lambda A, b, x0, tol: np.linalg.solve(A, b), "error",
     ["the pair (x, directions)", "an array of shape (5,)"]),
    (lambda A, b, x0, tol: (b[:2], [b]), "failed", ["x has shape (2,) (expected (5,)"]),
    (lambda A, b, x0, tol: (np.linalg.solve(A, b), [1.0, 2.0]), "failed",
     ["the directions stack to shape (2,)"]),
    (lambda A, b, x0, tol: (np.linalg.solve(A, b), "abc"), "error",
     ["not arrays of numbers"]),
    (lambda A, b, x0, tol: (np.linalg.solve(A, b), Hostile()), "error",
     ["not arrays of numbers"]),
    (lambda A, b, x0, tol: (b * np.nan, [b]), "failed", ["NaN or inf"]),
    (lambda A, b, x0: None, "error", ["the four arguments (A, b, x0, tol)"]),
    ("linear_cg", "error", ["a str", "check_linear_cg(linear_cg)"]),
])
def test_cg_hostile_answers_never_crash(fn, status, words):
    assert_result(check_linear_cg(fn), status, *words)


def test_cg_endless_loop_times_out():
    assert_result(check_linear_cg(loops_for_ever, timeout=FAST), "error", "longer than 0.3 s")


def test_cg_hidden_cases_pass_the_reference_and_catch_mistakes():
    for seed in range(3):
        cases = cg_exercise.random_cg_cases(seed)
        assert all(3 <= len(b) <= 15 for _, _, b, _, _ in cases)
        assert check_linear_cg(cg_ok, cases=cases).passed
        assert not check_linear_cg(cg_variant(beta=False), cases=cases).passed


def test_a_conjugacy():
    A = np.diag([1.0, 4.0])
    assert cg_exercise.a_conjugacy([[1.0, 0.0], [0.0, 1.0]], A) == 0.0
    # (1, 1) and (1, −1): dᵢᵀAdⱼ = 1 − 4 = −3, √(5·5) = 5
    assert cg_exercise.a_conjugacy([[1.0, 1.0], [1.0, -1.0]], A) == pytest.approx(0.6)
    assert cg_exercise.a_conjugacy([[1.0, 1.0]], A) == 0.0


# --- exercise 3: the L-BFGS two-loop recursion ----------------------------------------------------
@pytest.mark.parametrize("fn", [two_loop_ok, two_loop_by_matrix], ids=["loops", "matrix"])
def test_correct_two_loop_passes(fn):
    result = check_two_loop(fn)
    assert_result(result, "passed", "5 cases", "inputs unchanged", "4mn")


def test_the_reference_is_the_bfgs_matrix_applied_to_g():
    for _, make in two_loop_exercise.TWO_LOOP_CASES:
        inputs = make()
        np.testing.assert_allclose(two_loop_ok(**inputs), two_loop_by_matrix(**inputs),
                                   rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(two_loop_exercise._two_loop(**inputs), two_loop_ok(**inputs),
                                   rtol=1e-12, atol=1e-14)


def test_the_rosenbrock_case_holds_the_lbfgs_state():
    inputs = two_loop_exercise._rosenbrock_pairs()
    state = minimize(Rosenbrock(), LBFGS(m=3), [-1.2, 1.0], 6).states[-1]
    assert len(inputs["s_list"]) == 3
    np.testing.assert_array_equal(inputs["g"], state.g)
    for s, y in zip(inputs["s_list"], inputs["y_list"], strict=True):
        assert y @ s > 0                                     # curvature pairs


@pytest.mark.parametrize("mistake", two_loop_exercise.TWO_LOOP_MISTAKES, ids=lambda m: m.name)
def test_every_listed_two_loop_mistake_is_named_with_its_hint(mistake):
    result = check_two_loop(mistake.fn)
    assert_result(result, "failed", "in case 'three pairs, n = 4'", mistake.hint)
    assert result.details["mistake"] == mistake.name


def _two_loop_written(order="right", gamma="newest", sign=-1.0, empty_case=True):
    """A learner's two-loop recursion, written out, with one mistake switched on."""
    def two_loop(g, s_list, y_list):
        q = np.array(g, dtype=float)
        if empty_case and not s_list:
            return sign * q
        m = len(s_list)
        a = [0.0] * m
        first = range(m) if order == "swapped" else reversed(range(m))
        for i in first:
            a[i] = (s_list[i] @ q) / (y_list[i] @ s_list[i])
            q = q - a[i] * y_list[i]
        s, y = (s_list[0], y_list[0]) if gamma == "oldest" else (s_list[-1], y_list[-1])
        scale = {"newest": (s @ y) / (y @ y), "oldest": (s @ y) / (y @ y),
                 "one": 1.0, "y·y / s·y": (y @ y) / (s @ y)}[gamma]
        r = scale * q
        second = reversed(range(m)) if order == "swapped" else range(m)
        for i in second:
            b = (y_list[i] @ r) / (y_list[i] @ s_list[i])
            r = r + s_list[i] * (a[i] - b)
        return sign * r
    return two_loop


@pytest.mark.parametrize("fn, mistake, words", [
    (_two_loop_written(order="swapped"), "loops in the wrong order",
     ["first loop goes from the newest pair back to the oldest"]),
    (_two_loop_written(gamma="one"), "γ missing", ["H₀ = I", "γ = sᵀy/yᵀy"]),
    (_two_loop_written(gamma="oldest"), "γ from the oldest pair", ["use the newest"]),
    (_two_loop_written(gamma="y·y / s·y"), "γ upside down", ["upside down"]),
    (_two_loop_written(sign=1.0), "sign flipped", ["+Hg", "d = −Hg"]),
], ids=["loop order swapped", "no initial scaling", "γ of the oldest pair", "γ inverted",
        "returns +Hg"])
def test_learner_written_two_loop_mistakes_are_diagnosed(fn, mistake, words):
    result = check_two_loop(fn)
    assert_result(result, "failed", "d differs", "expected: d =", "got:      d =", *words)
    assert result.details["mistake"] == mistake


def test_two_loop_without_the_empty_case_names_the_case():
    result = check_two_loop(_two_loop_written(empty_case=False))   # γ reads s_list[-1]
    assert_result(result, "error", "IndexError", "no pairs yet: d = −g")


def test_two_loop_inputs_changed_in_place():
    def q_is_g(g, s_list, y_list):
        q = g                                   # not a copy
        for s, y in zip(reversed(s_list), reversed(y_list), strict=True):
            q -= (s @ q) / (y @ s) * y
        return -q

    def reverses_the_lists(g, s_list, y_list):
        s_list.reverse()
        y_list.reverse()
        return two_loop_ok(g, s_list[::-1], y_list[::-1])

    result = check_two_loop(q_is_g)
    assert_result(result, "failed", "changed its input `g` in place", "q = g.copy()")
    assert result.details["input"] == "g"
    result = check_two_loop(reverses_the_lists)
    assert_result(result, "failed", "changed its input `s_list` in place", "reversed(...)")


def test_two_loop_not_done_yet():
    def stub(g, s_list, y_list):
        # YOUR CODE HERE
        raise NotImplementedError()

    assert_result(check_two_loop(stub), "not done yet", "NotImplementedError",
                  two_loop_exercise.TWO_LOOP_FORMULA)
    assert_result(check_two_loop(lambda g, s_list, y_list: None), "not done yet", "return d")
    assert_result(check_two_loop(lambda g, s_list, y_list: ...), "not done yet")


@pytest.mark.parametrize("fn, status, words", [
    (lambda g, s_list, y_list: 1 / 0, "error", ["ZeroDivisionError", "three pairs, n = 4"]),
    (lambda g, s_list, y_list: g[:1], "failed", ["shape (1,)", "the shape of g, (4,)"]),
    (lambda g, s_list, y_list: (g, g), "failed", ["shape (2, 4)"]),
    (lambda g, s_list, y_list: "d", "error", ["one array d", "a str"]),
    (lambda g, s_list, y_list: Hostile(), "error", ["one array d", "a Hostile"]),
    (lambda g, s_list, y_list: g * np.nan, "failed", ["NaN or inf", "ρᵢ = 1/yᵢᵀsᵢ"]),
    (lambda g, s_list, y_list: -np.array(g), "failed", ["d differs", "The recursion"]),
    (lambda g, s: g, "error", ["the three arguments (g, s_list, y_list)"]),
    (None, "error", ["got None", "check_two_loop(two_loop)"]),
], ids=["raises", "short", "tuple", "text", "unconvertible", "NaN", "−g", "signature",
        "not callable"])
def test_two_loop_hostile_answers_never_crash(fn, status, words):
    assert_result(check_two_loop(fn), status, *words)


def test_two_loop_endless_loop_times_out():
    result = check_two_loop(loops_for_ever, timeout=FAST)
    assert_result(result, "error", "longer than 0.3 s")
    assert result.details["kind"] == "timeout"


def test_two_loop_hidden_cases_pass_the_reference_and_catch_mistakes():
    for seed in range(3):
        cases = two_loop_exercise.random_two_loop_cases(seed)
        assert check_two_loop(two_loop_ok, cases=cases).passed
        assert check_two_loop(two_loop_by_matrix, cases=cases).passed
        assert not check_two_loop(_two_loop_written(order="swapped"), cases=cases).passed


# --- exercise 4: CG's iterations for 2I + aaᵀ + ccᵀ -----------------------------------------------
def test_three_iterations_by_running_cg():
    # the answer the check expects, measured: n = 1000, a ⟂ c of different lengths
    rng = np.random.default_rng(0)
    a = rng.standard_normal(1000)
    c = rng.standard_normal(1000)
    c -= (c @ a) / (a @ a) * a
    c *= 0.5
    A = 2 * np.eye(1000) + np.outer(a, a) + np.outer(c, c)
    # eigenvectors: a (2 + ‖a‖²), c (2 + ‖c‖²), and any v ⟂ a, c (2): three distinct values
    v = rng.standard_normal(1000)
    v -= (v @ a) / (a @ a) * a + (v @ c) / (c @ c) * c
    np.testing.assert_allclose(A @ a, (2 + a @ a) * a, rtol=1e-12)
    np.testing.assert_allclose(A @ c, (2 + c @ c) * c, rtol=1e-12)
    np.testing.assert_allclose(A @ v, 2 * v, rtol=1e-10, atol=1e-12)
    assert len({2.0, round(2 + a @ a, 6), round(2 + c @ c, 6)}) == 3
    run = linear_cg(A, rng.standard_normal(1000), tol=1e-10)
    assert run.n_iter == 3
    assert check_cg_iterations(run.n_iter).passed


@pytest.mark.parametrize("answer", [3, 3.0, np.int64(3), np.array([3]), np.float32(3.0)])
def test_cg_iterations_right_answers(answer):
    assert_result(check_cg_iterations(answer), "passed", "3 is right",
                  "three distinct values")


@pytest.mark.parametrize("answer, kind, words", [
    (2, "too low", ["too low", "Count A's distinct eigenvalues"]),
    (1, "too low", ["too low"]),
    (1000, "too high", ["too high", "only the worst case"]),
    (998, "too high", ["too high", "one step per distinct eigenvalue"]),
    (4, "too high", ["too high"]),
    (math.nan, "nan", ["not a finite number"]),
    (math.inf, "nan", ["not a finite number"]),
])
def test_cg_iterations_wrong_numbers(answer, kind, words):
    result = check_cg_iterations(answer)
    assert_result(result, "failed", *words)
    assert result.details["kind"] == kind


@pytest.mark.parametrize("answer, status, words", [
    (None, "not done yet", ["not done yet", "`None` or `...`"]),
    (..., "not done yet", ["not done yet"]),
    ("3", "error", ["text", "without quotes"]),
    (True, "error", ["True/False"]),
    ([3, 3], "error", ["single value"]),
    (Hostile(), "error", ["expected one number"]),
])
def test_cg_iterations_other_answers(answer, status, words):
    assert_result(check_cg_iterations(answer), status, *words)


# --- all four -------------------------------------------------------------------------------------
def test_checks_are_exported_and_messages_are_deterministic():
    for name in ("check_newton_step", "check_linear_cg", "check_two_loop",
                 "check_cg_iterations"):
        assert getattr(checks, name).__name__ == name
    for check, fn in ((check_newton_step, NEWTON_STEP.mistakes[0].fn),
                      (check_linear_cg, cg_variant(beta=False)),
                      (check_two_loop, _two_loop_written(order="swapped"))):
        assert repr(check(fn)) == repr(check(fn))


# --- what only CG does (issue 18, item 2) ------------------------------------------------
def cg_solve_then_one_step(A, b, x0, tol):
    """A direct solve, and one CG-looking step reported as the directions."""
    return np.linalg.solve(A, b), [b - A @ x0]


def conjugate_random_directions(A, b, x0, tol):
    """A conjugate-direction method: A-conjugate directions from random vectors, d₀ = r₀."""
    rng = np.random.default_rng(0)
    directions = [b - A @ x0]
    for _ in range(len(b) - 1):
        v = rng.standard_normal(len(b))
        for d in directions:
            v = v - (d @ A @ v) / (d @ A @ d) * d
        directions.append(v)
    x = np.array(x0, dtype=float)
    for d in directions:
        x = x + (d @ (b - A @ x)) / (d @ A @ d) * d
    return x, directions


def cg_then_solve(A, b, x0, tol):
    """Honest CG directions, but x from a direct solve whatever tol says."""
    x, directions = cg_ok(A, b, x0, tol)
    return np.linalg.solve(A, b), directions


@pytest.mark.parametrize("fn, kind, words", [
    (cg_solve_then_one_step, "not CG's iterate", ["not where your 1 direction(s) lead",
                                                  "a direct solve?"]),
    (conjugate_random_directions, "krylov", ["not in the Krylov space"]),
    (cg_then_solve, "krylov minimizer", ["stopped early", "minimizer", "a direct solve"]),
], ids=["solve + one step", "conjugate directions", "CG's directions, solved x"])
def test_answers_that_are_not_cg_fail_with_a_diagnosis(fn, kind, words):
    for result in (check_linear_cg(fn), checks.check_linear_cg_random(fn, seed=4)):
        assert_result(result, "failed", *words)
        assert result.details["kind"] == kind and result.details["mistake"] is None


def test_early_stops_stop_cg_after_k_steps_at_the_krylov_minimizer():
    from course_lib.lessons.nb07_second_order.checks import cg_properties as props
    for seed in range(4):
        stops = props.early_stops(cg_exercise.random_cg_cases(seed))
        assert stops
        for _, A, b, k, tol in stops:
            x, directions = cg_ok(A, b, np.zeros(len(b)), tol)
            assert len(directions) == k
            assert props.early_stop_verdict(x, directions, A, b, k, tol) is None
            assert props.a_distance(x, np.linalg.solve(A, b), A, np.linalg.solve(A, b),
                                    np.zeros(len(b))) > 1e-3
    A = np.diag([1.0, 2.0, 3.0])
    assert props.krylov_basis(A, np.ones(3), 5).shape == (3, 3)      # stops growing at 3


# --- the two-loop recursion's cost (issue 18, item 3) ---------------------------------------------
def two_loop_dense_quadratic(g, s_list, y_list):
    """The same numbers through a dense M kept by rank-one updates only (O(mn²), no matmul)."""
    g = np.asarray(g, dtype=float)
    if not s_list:
        return -g
    n = len(g)
    M = np.zeros((n, n))
    M[np.diag_indices(n)] = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1])
    for s, y in zip(s_list, y_list, strict=True):
        rho = 1.0 / (y @ s)
        My, yM = M @ y, y @ M
        M = (M - rho * np.outer(s, yM) - rho * np.outer(My, s)
             + (rho * rho * (y @ My) + rho) * np.outer(s, s))
    return -M @ g


def test_the_hidden_two_loop_test_measures_the_cost():
    ok = checks.check_two_loop_random(two_loop_ok, seed=2)
    assert_result(ok, "passed", "n up to 20,000")
    for dense in (two_loop_by_matrix, two_loop_dense_quadratic):
        assert check_two_loop(dense).passed                  # same numbers on small cases
        result = checks.check_two_loop_random(dense, seed=2)
        assert_result(result, "failed", "n×n matrix")
        assert result.details["kind"] == "cost"
