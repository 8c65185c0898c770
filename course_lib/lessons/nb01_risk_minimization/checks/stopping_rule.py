"""Implement the early-stopping rule of Algorithm 7.1 on validation losses already measured.

``early_stopping_point(val_losses, patience)`` returns ``(best, stop)``: the index of the
evaluation whose parameters are kept (only a strict improvement counts, so the first of equal
minima) and the index of the evaluation after which training halts (``patience`` evaluations
in a row without improvement; the last index if the list ends first). The reference is
``strategies.early_stopping.stopping_point``. The check runs the learner's function on cases
chosen to tell the usual mistakes apart and names the one it recognises; the hidden test
draws noisy U-shaped curves with ties and plateaus.
"""

from __future__ import annotations

import inspect
import numbers

import numpy as np

from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, fmt, never_raises, not_done, passed
from ....checks.safe_call import safe_call
from ....strategies.early_stopping import stopping_point

NAME = "early_stopping_point"
RULE = ("v′ < v: j ← 0, keep θ and its index; else j ← j + 1; halt once j = p "
        "(Algorithm 7.1)")

CASES = [
    ("noisy U-shaped curve", [0.9, 0.7, 0.75, 0.6, 0.62, 0.61, 0.65, 0.7, 0.72], 3),
    ("a tie with the best", [1.0, 0.8, 0.8, 0.8, 0.9, 0.95], 2),
    ("an improvement after a miss", [1.0, 0.9, 1.1, 0.85, 1.2, 1.3, 0.8, 0.7], 2),
    ("still improving at the end", [5.0, 4.0, 3.0, 2.0, 1.0], 2),
    ("patience 1", [3.0, 2.0, 2.5, 1.0], 1),
    ("one evaluation", [0.5], 3),
    ("better than the last, worse than the best", [4.0, 2.0, 3.0, 2.5, 2.2, 2.1, 1.0, 9.0], 4),
]


# --- the mistakes learners make ----------------------------------------------------------------
def _ties_improve(values, patience):
    v, j, best = np.inf, 0, 0
    for i, value in enumerate(values):
        if value <= v:
            v, j, best = value, 0, i
        else:
            j += 1
        if j >= patience:
            return best, i
    return best, len(values) - 1


def _never_reset(values, patience):
    v, j, best = np.inf, 0, 0
    for i, value in enumerate(values):
        if value < v:
            v, best = value, i
        else:
            j += 1
        if j >= patience:
            return best, i
    return best, len(values) - 1


def _against_previous(values, patience):
    previous, j, best = np.inf, 0, 0
    for i, value in enumerate(values):
        if value < previous:
            j = 0
        else:
            j += 1
        if value < values[best]:
            best = i
        previous = value
        if j >= patience:
            return best, i
    return best, len(values) - 1


def _one_late(values, patience):
    return _with_limit(values, patience + 1)


def _one_early(values, patience):
    return _with_limit(values, max(patience - 1, 1)) if patience > 1 else (0, 0)


def _with_limit(values, limit):
    best, stop = stopping_point(values, limit)
    return best, stop


def _stop_as_best(values, patience):
    _, stop = stopping_point(values, patience)
    return stop, stop


def _swapped(values, patience):
    best, stop = stopping_point(values, patience)
    return stop, best


def _one_based(values, patience):
    best, stop = stopping_point(values, patience)
    return best + 1, stop + 1


def _value_not_index(values, patience):
    best, stop = stopping_point(values, patience)
    return values[best], stop


STOPPING_MISTAKES = [
    ("a tie counts as an improvement", _ties_improve,
     "a tie reset the patience and moved the best to the later evaluation: only a strict "
     "improvement counts (v′ < v, not v′ ≤ v), so of equal minima the first is kept and a tie "
     "is one more evaluation without improvement."),
    ("j never reset", _never_reset,
     "the count j kept growing across improvements: after every strict improvement set it "
     "back to 0. Patience counts evaluations *in a row* without improvement."),
    ("compared with the previous evaluation", _against_previous,
     "the count was reset whenever a loss beat the previous one, even if it was still worse "
     "than the best so far. Compare each new loss with the best v seen, not with the last."),
    ("halts one evaluation late", _one_late,
     "it halts one evaluation late: stop as soon as j reaches p (while j < p), not when "
     "j exceeds it."),
    ("halts one evaluation early", _one_early,
     "it halts one evaluation early: with patience p, training stops after p evaluations in a "
     "row without improvement, not p − 1."),
    ("returned the stop as the best", _stop_as_best,
     "it returned the last evaluation as the best one: early stopping restores the parameters "
     "of the best evaluation, which is usually p evaluations before the halt."),
    ("returned (stop, best)", _swapped,
     "the two results are in the wrong order: return (best, stop)."),
    ("1-based indices", _one_based,
     "both indices are one too large: count evaluations from 0, as Python indexes the list."),
    ("returned the best value", _value_not_index,
     "the first result is the best validation loss itself; return its index in the list."),
]


# --- the check ---------------------------------------------------------------------------------
def _as_pair(value):
    """(best, stop) as two ints, or (None, a description of what came back)."""
    if isinstance(value, np.ndarray) and value.shape == (2,):
        value = tuple(value.tolist())
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return None, describe(value)
    pair = []
    for item in value:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real):
            return None, f"{describe(value)} holding {describe(item)}"
        if not np.isfinite(float(item)) or float(item) != int(item):
            return None, f"{describe(value)} holding {fmt(item)}, not an index"
        pair.append(int(item))
    return tuple(pair), None


def _signature_problem(fn):
    if not callable(fn):
        return error(f"{NAME} should be a function of (val_losses, patience), but the check "
                     f"got {describe(fn)}. Pass the function itself: "
                     f"check_{NAME}({NAME}).", kind="not callable")
    try:
        inspect.signature(fn).bind([1.0], 1)
    except TypeError:
        params = ", ".join(inspect.signature(fn).parameters)
        return error(f"{NAME} should take (val_losses, patience), but yours takes "
                     f"({params}).", kind="signature")
    except ValueError:
        pass
    return None


def _mistake_for(seen: list):
    """The known mistake that reproduces every (values, patience, got) seen so far, else the
    first that reproduces the last one, else (None, None)."""
    def matches(fn, values, patience, got):
        try:
            wrong = fn(list(values), patience)
        except Exception:   # noqa: BLE001 - a mistake that cannot run on this case
            return False
        return tuple(float(w) for w in wrong) == tuple(float(g) for g in got)

    for candidates in (seen, seen[-1:]):
        for name, fn, hint in STOPPING_MISTAKES:
            if all(matches(fn, *item) for item in candidates):
                return name, hint
    return None, None


def _learner_pairs(fn, cases, timeout):
    """The learner's (values, patience, pair) on every case it answers with two indices."""
    seen = []
    for _, values, patience in cases:
        outcome = safe_call(fn, [list(values), patience], timeout)
        pair = _as_pair(outcome.value)[0] if outcome.kind == "returned" else None
        if pair is not None:
            seen.append((values, patience, pair))
    return seen


@never_raises
def check_early_stopping_point(fn, cases=None, timeout: float = 2.0):
    """Run ``fn`` on every case against the reference; name the first difference's cause."""
    problem = _signature_problem(fn)
    if problem is not None:
        return problem
    visible = cases is None
    cases = CASES if cases is None else cases
    for number, (label, values, patience) in enumerate(cases):
        given = list(values)
        outcome = safe_call(fn, [given, patience], timeout)
        shown = f"val_losses = {fmt(np.array(values))}, patience = {patience}"
        where = f"in case '{label}' ({shown})"
        if outcome.kind == "timeout":
            return error(f"{NAME} took longer than {timeout:g} s {where}: is there a loop "
                         "that never ends (a while loop whose index never moves)?",
                         kind="timeout", case=label)
        if outcome.kind == "raised":
            err = outcome.error
            if isinstance(err, NotImplementedError):
                return not_done(f"{NAME}: not done yet, it still raises NotImplementedError. "
                                f"Write the rule: {RULE}.", kind="not done")
            line = f", {outcome.where}" if outcome.where else ""
            return error(f"{NAME} raised {type(err).__name__}: {err} {where}{line}",
                         kind="exception", case=label)
        value = outcome.value
        if number == 0 and (value is None or value is Ellipsis):
            return not_done(f"{NAME}: not done yet, it returned {describe(value)}. End the "
                            "function with `return best, stop`.", kind="not done")
        got, what = _as_pair(value)
        expected = stopping_point(values, patience)
        if got is None:
            if _returns_best_value(value, values, expected):
                name, _, hint = STOPPING_MISTAKES[-1]
                return failed(f"{NAME} returned {fmt(np.array(value, dtype=float))} {where}, "
                              f"where (best, stop) = {expected}.\n  Likely cause: {hint}",
                              kind="value", case=label, mistake=name)
            return error(f"{NAME} should return two indices (best, stop), got {what} "
                         f"{where}.", kind="type", case=label)
        if given != list(values):
            return failed(f"{NAME} changed its input val_losses in place {where}; read it "
                          "without changing it.", kind="mutation", case=label)
        if got != expected:
            seen = _learner_pairs(fn, cases, timeout)
            mistake, hint = _mistake_for(seen or [(values, patience, got)])
            why = f"Likely cause: {hint}" if hint else f"The rule: {RULE}."
            return failed(f"{NAME} differs {where}:\n  expected (best, stop) = {expected}\n"
                          f"  got      (best, stop) = {got}\n  {why}", kind="value",
                          case=label, mistake=mistake, expected=expected, got=got)
    what = ("ties, a miss followed by an improvement, a list that ends first, patience 1"
            if visible else "noisy curves with ties and plateaus")
    return passed(f"{NAME} passes {len(cases)} cases ({what}): {RULE}.", cases=len(cases))


def _returns_best_value(value, values, expected) -> bool:
    """Is ``value`` the pair (best validation loss, stop)?"""
    if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 2:
        return False
    try:
        first = float(value[0])
    except (TypeError, ValueError):
        return False
    return first == float(values[expected[0]]) and float(value[1]) == expected[1]


# --- hidden cases ------------------------------------------------------------------------------
def random_cases(seed: int, n: int = 12) -> list:
    """Noisy U-shaped validation curves, rounded so that ties and plateaus occur (every third
    one has a tie just after its best), with a patience from 1 to 6; the same for the same
    seed."""
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        length = int(rng.integers(8, 40))
        t = np.arange(length)
        turn = rng.uniform(0.2, 0.9) * length
        curve = 0.2 + 0.5 * ((t - turn) / length) ** 2 + rng.normal(0.0, 0.03, length)
        values = [float(v) for v in np.round(curve, 2)]
        if i % 3 == 0 and int(np.argmin(values)) + 1 < length:   # a tie just after the best
            values[int(np.argmin(values)) + 1] = min(values)
        cases.append((f"random curve {i + 1}", values, int(rng.integers(1, 7))))
    return cases


@hidden_check
@never_raises
def check_early_stopping_point_random(fn, seed: int | None = None, n: int = 12):
    """``check_early_stopping_point`` on ``n`` new random curves drawn from ``seed``."""
    seed = current_seed() if seed is None else int(seed)
    result = check_early_stopping_point(fn, cases=random_cases(seed, n))
    return hidden_result(result, f"{n} new random validation curves", seed)
