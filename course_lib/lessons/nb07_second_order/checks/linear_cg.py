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
4. the directions are A-conjugate: |dᵢᵀAdⱼ| ≤ 1e-6·√(dᵢᵀAdᵢ·dⱼᵀAdⱼ) for i ≠ j.

When one fails, the answer is compared with the known mistakes (β missing or with the wrong
sign, a fixed step, the residual not updated, no stopping test...) run on the same system.
"""

from __future__ import annotations

import inspect

import numpy as np

from ....checks import Mistake
from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, fmt, never_raises, not_done, passed
from ....checks.safe_call import safe_call


def spd_matrix(n: int, eigenvalues, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(A, b): A = Q diag(eigenvalues) Qᵀ with a random orthogonal Q, and a random b."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * np.asarray(eigenvalues, dtype=float)) @ Q.T
    return (A + A.T) / 2, rng.standard_normal(n)


def a_conjugacy(directions, A) -> float:
    """max over i ≠ j of |d_iᵀAd_j| / √(d_iᵀAd_i · d_jᵀAd_j): 0 for A-conjugate directions."""
    D = np.asarray(directions, dtype=float)
    if len(D) < 2:
        return 0.0
    G = D @ A @ D.T
    scale = np.sqrt(np.diag(G))
    C = np.abs(G / np.outer(scale, scale))
    np.fill_diagonal(C, 0.0)
    return float(C.max())


CG_FORMULA = ("r₀ = Ax₀ − b, d₀ = −r₀; repeat: η = rᵀr / dᵀAd, x ← x + ηd, r_new = r + ηAd, "
              "β = r_newᵀr_new / rᵀr, d ← −r_new + βd, r ← r_new; stop once ‖r‖ ≤ tol·‖b‖")
TOL = 1e-10
CONJUGATE = 1e-6


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
        for mistake in CG_MISTAKES:
            if _matches(x, D, mistake.fn, A, b, x0, scale, same_steps=kind == "steps"):
                return failed(f"linear_cg: {text} {where}.\n  Likely cause: {mistake.hint}",
                              kind=kind, mistake=mistake.name, case=name)
        return failed(f"linear_cg: {text} {where}.\n  CG: {CG_FORMULA}.", kind=kind,
                      mistake=None, case=name)
    return passed(f"linear_cg solves all {len(cases)} systems within n steps (within k for "
                  "k distinct eigenvalues, none when x₀ already solves it), starts along "
                  "b − Ax₀, and its directions are A-conjugate.", cases=len(cases))


def _properties(x, D, A, b, x0, most, where):
    """(what is wrong, kind) for the first property that fails, or None."""
    k = 0 if D is None else len(D)
    if not np.all(np.isfinite(x)) or (D is not None and not np.all(np.isfinite(D))):
        if most == 0:
            return ("x or a direction is NaN or inf although x₀ already solves the system: "
                    "when ‖r₀‖ ≤ tol·‖b‖ no step should be taken (rᵀr = 0 makes η = 0/0)",
                    "nan")
        return "x or a direction contains NaN or inf: look for a division by zero", "nan"
    residual = float(np.linalg.norm(A @ x - b) / np.linalg.norm(b))
    if residual > 100 * TOL:
        return (f"x does not solve Ax = b: ‖Ax − b‖/‖b‖ = {residual:.2e} after {k} steps "
                f"(x = {fmt(x)})", "value")
    if k > max(most, 0):
        why = ("x₀ already solves the system, so no step is needed" if most == 0 else
               f"CG needs at most {most} steps here")
        return (f"x is right, but it took {k} steps: {why}. Are the directions "
                "conjugate (β), and does the loop stop once ‖r‖ ≤ tol·‖b‖?", "steps")
    if k == 0:
        if np.linalg.norm(A @ x0 - b) > TOL * np.linalg.norm(b):
            return ("x solves the system, but the list of directions is empty: append each "
                    "direction d to `directions` when the loop steps along it (x₀ does not "
                    "solve this system, so CG takes at least one step)", "directions")
        return None
    if k >= 2 and np.all(D == D[0]):
        return ("every direction in the list is the same vector: the loop changed d in place "
                "after appending it (`d *= beta`, `d -= r`...), so each entry shows d's last "
                "value. Build a new array, `d = -r + beta * d`, or append `d.copy()`",
                "aliased directions")
    d0 = b - A @ x0
    if not np.allclose(D[0], d0, rtol=1e-8, atol=1e-12 * np.max(np.abs(d0))):
        return (f"the first direction is {fmt(D[0])}, but CG starts with steepest descent, "
                f"d₀ = −r₀ = b − Ax₀ = {fmt(d0)}", "first direction")
    worst = a_conjugacy(D, A)
    if worst > CONJUGATE:
        return (f"the directions are not A-conjugate: max |dᵢᵀAdⱼ| / √(dᵢᵀAdᵢ dⱼᵀAdⱼ) = "
                f"{worst:.2e} for i ≠ j", "conjugacy")
    return None


@hidden_check
@never_raises
def check_linear_cg_random(fn, *, n: int = 4, seed: int | None = None, timeout: float = 2.0):
    """``check_linear_cg`` on ``n`` random SPD systems instead of the visible ones."""
    seed = current_seed() if seed is None else int(seed)
    result = check_linear_cg(fn, cases=random_cg_cases(seed, n), timeout=timeout)
    return hidden_result(result, f"{n} new random systems", seed)
