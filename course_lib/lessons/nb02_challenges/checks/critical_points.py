"""The exercise "classify a critical point from its Hessian" (section 8.2.3).

``classify_critical_point(H) -> str``: "minimum" (every eigenvalue > 0), "maximum" (every
one < 0), "saddle" (both signs) or "degenerate" (some |λ| ≤ 1e-8 and the others of one
sign). The check uses Hessians that catch the usual shortcuts: a rotated saddle whose
diagonal is all positive, a 3-D saddle whose determinant is positive, zero eigenvalues with
and without mixed signs. ``check_classify_random`` is the hidden twin on random rotated
Hessians of 3 to 7 dimensions.
"""

from __future__ import annotations

import numpy as np

from ....checks import Mistake
from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import error, failed, fmt, never_raises, not_done, passed
from ....hessian_tools import KINDS, classify
from .calls import call, not_callable

NAME = "classify_critical_point"
TOL = 1e-8
RULE = ("eigenvalues of H (np.linalg.eigvalsh): all > 0 → minimum, all < 0 → maximum, "
        "both signs → saddle, otherwise (some |λ| ≤ 1e-8) → degenerate")


def _rotated(eigenvalues, angle_seed: int = 0) -> np.ndarray:
    lam = np.asarray(eigenvalues, dtype=float)
    Q, _ = np.linalg.qr(np.random.default_rng(angle_seed).standard_normal((lam.size,) * 2))
    H = (Q * lam) @ Q.T
    return 0.5 * (H + H.T)


def _eig(H):
    return np.linalg.eigvalsh(0.5 * (np.asarray(H) + np.asarray(H).T))


def _by_signs(values) -> str:
    pos, neg = np.sum(values > TOL), np.sum(values < -TOL)
    if pos and neg:
        return "saddle"
    if pos + neg < len(values):
        return "degenerate"
    return "minimum" if pos else "maximum"


def _exact_zero(lam) -> str:
    if (lam > 0).any() and (lam < 0).any():
        return "saddle"
    if (lam == 0).any():
        return "degenerate"
    return "minimum" if (lam > 0).all() else "maximum"


MISTAKES = [
    Mistake("diagonal instead of eigenvalues", lambda H: _by_signs(np.diag(H)),
            "the answer matches the signs of H's *diagonal*, which are not its eigenvalues "
            "once the Hessian is rotated (off-diagonal entries): use np.linalg.eigvalsh(H)."),
    Mistake("determinant and trace", lambda H: ("saddle" if np.linalg.det(H) < 0 else
                                                "minimum" if np.trace(H) > 0 else "maximum"),
            "that is the 2-D rule with det H and tr H. In more dimensions a positive "
            "determinant can hide two negative eigenvalues (a saddle), and a zero determinant "
            "means degenerate: look at every eigenvalue's sign."),
    Mistake("exact zero test", lambda H: _exact_zero(_eig(H)),
            "eigenvalues computed in floating point are almost never exactly 0: treat "
            "|λ| ≤ 1e-8 as zero."),
    Mistake("zero eigenvalues ignored", lambda H: (lambda lam: "saddle" if (lam > TOL).any()
                                                   and (lam < -TOL).any() else "minimum"
                                                   if (lam >= -TOL).all() else "maximum")(_eig(H)),
            "an eigenvalue that is zero (|λ| ≤ 1e-8) was treated like a positive or negative "
            "one: then the second-order test cannot decide, the point is degenerate (think of "
            "x⁴ + y², or the monkey saddle)."),
    Mistake("mixed signs with a zero called degenerate",
            lambda H: (lambda lam: "degenerate" if (np.abs(lam) <= TOL).any() else
                       _by_signs(lam))(_eig(H)),
            "with one positive and one negative eigenvalue the point is a saddle whatever the "
            "zero eigenvalues do: there is a way down and a way up. Check mixed signs first."),
    Mistake("minimum and maximum swapped", lambda H: {"minimum": "maximum",
                                                      "maximum": "minimum"}.get(
                                                          _by_signs(_eig(H)), _by_signs(_eig(H))),
            "minimum and maximum are swapped: positive curvature in every direction (all "
            "λ > 0) is a bowl, a minimum."),
]

VISIBLE = [
    ("a bowl, H = diag(2, 3)", np.diag([2.0, 3.0])),
    ("a cap, H = diag(−1, −5)", np.diag([-1.0, -5.0])),
    ("a rotated saddle with a positive diagonal", np.array([[1.0, 2.0], [2.0, 1.0]])),
    ("a 3-D saddle with det H > 0", _rotated([2.0, -1.0, -3.0], 1)),
    ("a flat direction, H = diag(1, 0)", np.diag([1.0, 0.0])),
    ("mixed signs and a flat direction", _rotated([2.0, 0.0, -1.0], 2)),
    ("a rotated flat direction (rounding-size eigenvalue)", _rotated([4.0, 1.0, 0.0], 3)),
    ("everything flat, H = 0", np.zeros((2, 2))),
    ("a rotated 4-D bowl", _rotated([0.5, 1.0, 2.0, 7.0], 4)),
]


def _judge(fn, cases, timeout: float):
    problem = not_callable(fn, NAME, ("H",))
    if problem is not None:
        return problem
    for i, (label, H) in enumerate(cases):
        lam = _eig(H)
        where = f"for '{label}' (eigenvalues {fmt(np.round(lam, 10) + 0.0)})"
        problem, value = call(fn, NAME, [H], where, timeout)
        if problem is not None:
            return problem
        if value is None:
            if i == 0:
                return not_done(f"{NAME}: not done yet, it returns None. Return one of "
                                f"{list(KINDS)}.", kind="not done")
            return error(f"{NAME} returned None {where}: return one of {list(KINDS)}.",
                         kind="none")
        if not isinstance(value, str) or value.strip().lower() not in KINDS:
            return error(f"{NAME} should return one of the strings {list(KINDS)}, got "
                         f"{value!r} {where}.", kind="type")
        expected = classify(lam, TOL)
        if value.strip().lower() == expected:
            continue
        mistake = _which_mistake(fn, cases, i, value.strip().lower(), timeout)
        cause = mistake.hint if mistake is not None else f"the rule is: {RULE}."
        return failed(f"{NAME} says '{value}' {where}; it is a {expected}.\n  Likely cause: "
                      f"{cause}", kind="value", case=label,
                      mistake=None if mistake is None else mistake.name)
    return passed(f"{NAME} classifies {len(cases)} Hessians right, rotated ones and flat "
                  f"directions included.\n  The rule: {RULE}", cases=len(cases))


def _which_mistake(fn, cases, i, answer, timeout):
    """The known mistake that gives the learner's answers on *every* case (each answer is one
    of four words, so one case alone cannot tell the mistakes apart), else the first that
    gives the answer on the failing case."""
    here = [m for m in MISTAKES if _safe(m.fn, cases[i][1]) == answer]
    if len(here) <= 1:
        return here[0] if here else None
    answers = []
    for _, H in cases:
        problem, value = call(fn, NAME, [H], "", timeout)
        answers.append(value.strip().lower() if problem is None and isinstance(value, str)
                       else None)
    for mistake in here:
        if all(_safe(mistake.fn, H) == a for (_, H), a in zip(cases, answers, strict=True)):
            return mistake
    return here[0]


def _safe(fn, H):
    try:
        with np.errstate(all="ignore"):
            return fn(np.array(H, dtype=float))
    except Exception:   # noqa: BLE001 - a mistake that cannot run here does not match
        return None


@never_raises
def check_classify(fn, *, cases=None, timeout: float = 2.0):
    """Check ``classify_critical_point(H)`` on the visible Hessians (or ``cases``)."""
    return _judge(fn, VISIBLE if cases is None else cases, timeout)


def random_hessians(seed: int, n: int = 8) -> list:
    """``n`` random rotated Hessians of 3 to 7 dimensions, two of each kind, with
    eigenvalues of size 0.1 to 10 and, for the degenerate ones, a rounding-size zero."""
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        dim = int(rng.integers(3, 8))
        size = 10.0 ** rng.uniform(-1.0, 1.0, dim)
        kind = KINDS[i % 4]
        if kind == "minimum":
            lam = size
        elif kind == "maximum":
            lam = -size
        elif kind == "saddle":
            lam = size * np.where(rng.random(dim) < 0.5, -1.0, 1.0)
            lam[0], lam[1] = abs(lam[0]), -abs(lam[1])
            if i % 8 == 2:                  # one saddle in every eight cases has a flat direction
                lam[2] = 0.0
        else:
            lam = size * (1.0 if rng.random() < 0.5 else -1.0)
            lam[rng.integers(dim)] = 0.0
        cases.append((f"random {dim}-D Hessian {i + 1}", _rotated(lam, int(rng.integers(1 << 30)))))
    return cases


@hidden_check
@never_raises
def check_classify_random(fn, *, n: int = 8, seed: int | None = None, timeout: float = 2.0):
    """``check_classify`` on ``n`` new random Hessians (the hidden test)."""
    seed = current_seed() if seed is None else int(seed)
    return hidden_result(check_classify(fn, cases=random_hessians(seed, n), timeout=timeout),
                         f"{n} new random Hessians", seed)
