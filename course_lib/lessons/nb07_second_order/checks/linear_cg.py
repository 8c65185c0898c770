"""The check for notebook 07's linear conjugate-gradient exercise.

The learner writes ``linear_cg(A, b, x0, tol) -> (x, directions)``: CG for Ax = b with A
symmetric positive definite, from x₀, stopping once ‖r‖ ≤ tol·‖b‖, returning the solution
and the list of search directions it used (one per step). The check tries it on random SPD
systems, a matrix with 3 distinct eigenvalues, a diagonal one, a start x₀ ≠ 0 and a start
that already solves the system, and asks of every answer what the theory promises:

1. x solves the system: ‖Ax − b‖ ≤ 100·tol·‖b‖;
2. at most n steps (at most k when A has k distinct eigenvalues), and at least one step when
   x₀ does not solve the system (an empty list of directions is not CG);
3. the first direction is steepest descent, d₀ = b − Ax₀ (and the directions are distinct
   vectors, not one array changed in place after each append);
4. the directions are A-conjugate: |dᵢᵀAdⱼ| ≤ 1e-6·√(dᵢᵀAdᵢ·dⱼᵀAdⱼ) for i ≠ j;
5. what only CG does (``cg_properties``): x is where exact line searches along the
   directions lead, each dⱼ lies in the Krylov space K_{j+1}, the residuals are mutually
   orthogonal, and stopped early by a loose tol the answer returns CG's k-th iterate, the
   minimizer over K_k (a direct solve and one CG-looking step fails there).

When one fails, the answer is compared with the known mistakes (β missing or with the wrong
sign, a fixed step, the residual not updated, no stopping test...) run on the same system.
"""

from __future__ import annotations

import inspect

import numpy as np

from ....checks import Mistake
from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, never_raises, not_done, passed
from ....checks.safe_call import safe_call
from .cg_properties import CONJUGATE, TOL, a_conjugacy, early_stop_verdict, early_stops
from .cg_properties import properties as _properties

__all__ = ["CONJUGATE", "TOL", "a_conjugacy", "check_linear_cg", "check_linear_cg_random",
           "spd_matrix", "random_cg_cases", "CG_MISTAKES"]


def spd_matrix(n: int, eigenvalues, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(A, b): A = Q diag(eigenvalues) Qᵀ with a random orthogonal Q, and a random b."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * np.asarray(eigenvalues, dtype=float)) @ Q.T
    return (A + A.T) / 2, rng.standard_normal(n)


ONLY_CG = ("not CG's iterate", "krylov", "orthogonality")    # no listed mistake gets there
CG_FORMULA = ("r₀ = Ax₀ − b, d₀ = −r₀; repeat: η = rᵀr / dᵀAd, x ← x + ηd, r_new = r + ηAd, "
              "β = r_newᵀr_new / rᵀr, d ← −r_new + βd, r ← r_new; stop once ‖r‖ ≤ tol·‖b‖")


def _cg(*, beta="fr", step="exact", residual="update", d0_sign=-1.0, x_sign=1.0,
        stop="tol"):
    """Linear CG, right by default; each keyword makes one known mistake. At most 10n steps
    (exactly n with ``stop="n steps"``, which ignores the residual)."""
    def linear_cg(A, b, x0, tol):
        x = np.array(x0, dtype=float)
        r = A @ x - b
        d = d0_sign * r
        directions = []
        threshold = tol * np.linalg.norm(b)
        fixed = stop == "n steps"
        most = len(b) if fixed else 10 * len(b)
        while (fixed or np.linalg.norm(r) > threshold) and len(directions) < most:
            Ad = A @ d
            rr = r @ r
            eta = {"exact": rr / (d @ Ad), "one": 1.0, "no denominator": rr}[step]
            x = x + x_sign * eta * d
            r_new = {"update": r + eta * Ad, "minus": r - eta * Ad, "frozen": r}[residual]
            b_fr = (r_new @ r_new) / rr
            coef = {"fr": b_fr, "none": 0.0, "minus": -b_fr, "inverted": rr / (r_new @ r_new),
                    "one": 1.0}[beta]
            directions.append(d)
            d = -r_new + coef * d
            r = r_new
        return x, directions
    return linear_cg


_reference = _cg()

CG_MISTAKES = [
    Mistake("β missing", _cg(beta="none"),
            "the new direction is just −r: without the β·d term this is steepest descent, "
            "whose directions are orthogonal, not A-conjugate. d ← −r_new + βd."),
    Mistake("β with the wrong sign", _cg(beta="minus"),
            "β·d is subtracted: the new direction is d ← −r_new + βd."),
    Mistake("β upside down", _cg(beta="inverted"),
            "β is upside down: β = r_newᵀr_new / rᵀr, the new residual on top."),
    Mistake("β = 1", _cg(beta="one"),
            "β came out as 1: was rᵀr overwritten by the new residual before β was "
            "computed? Keep the old rᵀr: β = r_newᵀr_new / r_oldᵀr_old."),
    Mistake("fixed step η = 1", _cg(step="one"),
            "the step length is fixed at 1: CG takes the exact step along d, "
            "η = rᵀr / dᵀAd, the minimum of the quadratic along d."),
    Mistake("η without its denominator", _cg(step="no denominator"),
            "the step is η = rᵀr, without dividing by dᵀAd: η = rᵀr / dᵀAd."),
    Mistake("residual not updated", _cg(residual="frozen"),
            "r is never updated: after moving x, the residual changes by ηAd "
            "(r ← r + ηAd with r = Ax − b, or r ← r − ηAd with r = b − Ax)."),
    Mistake("residual updated with the wrong sign", _cg(residual="minus"),
            "the residual moved the wrong way: with r = Ax − b it is r ← r + ηAd (with the "
            "other convention, r = b − Ax, it is r ← r − ηAd and d ← r + βd)."),
    Mistake("first direction uphill", _cg(d0_sign=1.0),
            "the first direction points uphill: with r = Ax − b (the gradient), d₀ = −r₀."),
    Mistake("x moved the wrong way", _cg(x_sign=-1.0),
            "the directions are right, but x moved against them: x ← x + ηd."),
    Mistake("no stopping test", _cg(stop="n steps"),
            "the loop always runs n steps, whatever the residual: stop as soon as "
            "‖r‖ ≤ tol·‖b‖. CG can finish early (in k steps for k distinct eigenvalues), and "
            "a step after r = 0 divides 0 by 0."),
]


def _cases() -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray, int]]:
    """(name, A, b, x₀, the most steps allowed)."""
    A5, b5 = spd_matrix(5, np.linspace(1.0, 10.0, 5), seed=11)
    A12, b12 = spd_matrix(12, np.linspace(1.0, 100.0, 12), seed=12)
    A30, b30 = spd_matrix(30, np.resize([1.0, 4.0, 9.0], 30), seed=13)
    A6, b6 = spd_matrix(6, np.linspace(2.0, 20.0, 6), seed=14)
    D = np.diag([1.0, 2.0, 5.0, 10.0])
    x_star = np.linalg.solve(A5, b5)
    return [("random SPD, n = 5", A5, b5, np.zeros(5), 5),
            ("random SPD, n = 12, κ = 100", A12, b12, np.zeros(12), 12),
            ("n = 30 with 3 distinct eigenvalues", A30, b30, np.zeros(30), 3),
            ("diagonal, n = 4", D, np.array([1.0, -1.0, 2.0, 0.5]), np.zeros(4), 4),
            ("start x₀ ≠ 0, n = 6", A6, b6, np.linspace(-1.0, 1.0, 6), 6),
            ("x₀ already solves it", A5, b5, x_star, 0)]


def random_cg_cases(seed: int, n: int = 4) -> list:
    """``n`` random cases for hidden tests: SPD systems of 3 to 15 unknowns, eigenvalues evenly
    spread over [1, κ ≤ 50] or taking 2 to 4 distinct values, x₀ = 0 or random. The step
    allowance is the theory's (n or k), unless rounding makes the reference need more."""
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        size = int(rng.integers(3, 16))
        if i % 2:
            k = int(rng.integers(2, 5))
            eigenvalues, most = np.resize(np.linspace(1.0, 50.0, k), size), k
        else:
            eigenvalues, most = np.linspace(1.0, float(rng.uniform(2.0, 50.0)), size), size
        A, b = spd_matrix(size, eigenvalues, seed=int(rng.integers(1 << 30)))
        x0 = rng.standard_normal(size) if rng.random() < 0.5 else np.zeros(size)
        most = max(most, len(_reference(A, b, x0, TOL)[1]))
        cases.append((f"random case {i + 1} (n = {size})", A, b, x0, most))
    return cases


def _unpack(value):
    """(x, D, None) with D of shape (k, n), or (None, None, what is wrong)."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return None, None, describe(value)
    x, directions = value
    try:
        x = np.asarray(x, dtype=float)
        D = np.asarray(list(directions), dtype=float) if len(directions) else None
    except Exception:   # noqa: BLE001 - whatever the learner returned, say what it is
        return None, None, f"{describe(value)} whose items are not arrays of numbers"
    return x, D, None


def _matches(got_x, got_D, fn, A, b, x0, scale, same_steps=False) -> bool:
    """Does the known mistake ``fn`` explain the learner's answer on this system?

    Its first (up to 3) directions must agree with the learner's. A mistake whose
    directions are the right ones (it only moves x wrongly) must also give the same x.
    ``same_steps``: the answer took the wrong number of steps, so the mistake must take as
    many as the learner's answer did.
    """
    runs = []
    for f in (fn, _reference):
        outcome = safe_call(f, [A.copy(), b.copy(), x0.copy(), TOL], 2.0)
        if outcome.kind != "returned":
            return False
        runs.append((outcome.value[0], np.asarray(outcome.value[1], dtype=float)))
    (x, D), (_, D_ref) = runs
    k = min(3, len(D), 0 if got_D is None else len(got_D))
    if k == 0 or (same_steps and len(D) != len(got_D)):
        return False

    def same(a, c):
        with np.errstate(all="ignore"):
            return bool(np.shape(a) == np.shape(c) and np.allclose(a, c, rtol=1e-6,
                                                                   atol=1e-9 * scale))
    if not same(D[:k], got_D[:k]):
        return False
    return same(x, got_x) or not same(D[:k], D_ref[:k])


@never_raises
def check_linear_cg(fn, *, cases=None, timeout: float = 2.0):
    """Check ``linear_cg(A, b, x0, tol) -> (x, directions)`` on six systems.
    ``cases``: other (name, A, b, x0, most steps) cases (e.g. ``random_cg_cases``)."""
    cases = _cases() if cases is None else cases
    if not callable(fn):
        return error(f"linear_cg should be a function taking (A, b, x0, tol), but the check "
                     f"got {describe(fn)}. Pass the function itself: "
                     "check_linear_cg(linear_cg).", kind="not callable")
    try:
        inspect.signature(fn).bind("A", "b", "x0", "tol")
    except TypeError:
        return error("linear_cg should take the four arguments (A, b, x0, tol).",
                     kind="signature")
    except ValueError:
        pass
    for name, A, b, x0, most in cases:
        n = len(b)
        args = [A.copy(), b.copy(), x0.copy(), TOL]
        outcome = safe_call(fn, args, timeout)
        where = f"in case '{name}'"
        if outcome.kind == "timeout":
            return error(f"linear_cg took longer than {timeout:g} s {where}: the loop never "
                         "ended. Is r updated inside the loop, and does the loop stop once "
                         "‖r‖ ≤ tol·‖b‖ (not when r is exactly 0)? The call was stopped.",
                         kind="timeout", case=name)
        if outcome.kind == "raised":
            err = outcome.error
            if isinstance(err, NotImplementedError):
                return not_done("linear_cg: not done yet, it still raises NotImplementedError."
                                f" Write the loop: {CG_FORMULA}.", kind="not done")
            line = f", {outcome.where}" if outcome.where else ""
            return error(f"linear_cg raised {type(err).__name__}: {err}\n  {where}{line}",
                         kind="exception", case=name)
        value = outcome.value
        if value is None or value is Ellipsis or (isinstance(value, tuple) and
                                                  any(v is Ellipsis for v in value)):
            return not_done("linear_cg: not done yet, it returned "
                            f"{describe(value)}. End it with `return x, directions`.",
                            kind="not done")
        x, D, problem = _unpack(value)
        if problem:
            return error(f"linear_cg should return the pair (x, directions), got {problem} "
                         f"{where}.", kind="type", case=name)
        wrong = []
        if x.shape != (n,):
            wrong.append(f"x has shape {x.shape} (expected ({n},), the shape of b)")
        if D is not None and (D.ndim != 2 or D.shape[1] != n):
            wrong.append(f"the directions stack to shape {D.shape} (expected (steps, {n}): "
                         f"a list of vectors of length {n}, one per step)")
        if wrong:
            return failed(f"linear_cg: {' and '.join(wrong)} {where}.", kind="shape",
                          case=name)
        if any(not np.array_equal(a, c) for a, c in zip(args[:3], (A, b, x0), strict=True)):
            return failed(f"linear_cg changed one of its inputs A, b or x0 in place {where}: "
                          "start with `x = x0.copy()` (or `x = np.array(x0, dtype=float)`).",
                          kind="mutation", case=name)
        verdict = _properties(x, D, A, b, x0, most, where)
        if verdict is None:
            continue
        text, kind = verdict
        scale = max(1.0, float(np.max(np.abs(A))), float(np.max(np.abs(b))))
        for mistake in CG_MISTAKES if kind not in ONLY_CG else ():
            if _matches(x, D, mistake.fn, A, b, x0, scale, same_steps=kind == "steps"):
                return failed(f"linear_cg: {text} {where}.\n  Likely cause: {mistake.hint}",
                              kind=kind, mistake=mistake.name, case=name)
        return failed(f"linear_cg: {text} {where}.\n  CG: {CG_FORMULA}.", kind=kind,
                      mistake=None, case=name)
    stops = early_stops(cases)
    for name, A, b, k, tol in stops:
        outcome = safe_call(fn, [A.copy(), b.copy(), np.zeros(len(b)), tol], timeout)
        x, D, problem = (_unpack(outcome.value) if outcome.kind == "returned" else
                         (None, None, f"a call that {outcome.kind}"))
        verdict = ((f"it should return (x, directions), got {problem}", "type") if problem
                   else early_stop_verdict(x, D, A, b, k, tol))
        if verdict is not None:
            return failed(f"linear_cg: {verdict[0]}, in case '{name}'.\n  CG: {CG_FORMULA}.",
                          kind=verdict[1], mistake=None, case=name)
    return passed(f"linear_cg solves all {len(cases)} systems within n steps (within k for "
                  "k distinct eigenvalues, none when x₀ already solves it), starts along "
                  "b − Ax₀, and its directions are A-conjugate and in the Krylov spaces; "
                  f"stopped early by a loose tol ({len(stops)} runs), it returns CG's k-th "
                  "iterate, the minimizer over the k-th Krylov space.", cases=len(cases))


@hidden_check
@never_raises
def check_linear_cg_random(fn, *, n: int = 4, seed: int | None = None, timeout: float = 2.0):
    """``check_linear_cg`` on ``n`` random SPD systems instead of the visible ones."""
    seed = current_seed() if seed is None else int(seed)
    result = check_linear_cg(fn, cases=random_cg_cases(seed, n), timeout=timeout)
    return hidden_result(result, f"{n} new random systems", seed)
