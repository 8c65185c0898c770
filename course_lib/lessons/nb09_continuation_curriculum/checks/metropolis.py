"""The check of notebook 09's Metropolis exercise: ``metropolis_accept(delta, T, u)``.

Accept a move that changes the cost by ΔJ = ``delta`` at temperature T > 0, given a uniform
draw u ∈ [0, 1): accept if ΔJ ≤ 0, else accept if u < exp(−ΔJ/T). The check asks it about a
table of cases built so that each known mistake (the sign, the temperature, level moves,
the comparison, overflow) gives at least one wrong answer, then names the mistake whose
answers match the learner's on the whole table.
"""

from __future__ import annotations

import numbers

import numpy as np

from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, never_raises, not_done, passed
from ....checks.safe_call import safe_call
from ....global_opt.annealing import metropolis_accept as reference

RULE = "accept if ΔJ ≤ 0; otherwise accept if u < exp(−ΔJ/T)"
P = float(np.exp(-0.5))

CASES = [  # (ΔJ, T, u, what the case is about)
    (-1.0, 1.0, 0.99, "a downhill move"),
    (0.0, 1.0, 0.999, "a level move (ΔJ = 0)"),
    (1.0, 2.0, P - 1e-9, "uphill, u just below exp(−ΔJ/T)"),
    (1.0, 2.0, P + 1e-9, "uphill, u just above exp(−ΔJ/T)"),
    (1.0, 0.5, 0.2, "uphill at a low temperature"),
    (2.0, 4.0, 0.5, "uphill at a high temperature"),
    (1.0, 3.0, 0.2, "uphill when warm"),
    (3.0, 1.0, 0.5, "a large step uphill"),
    (-100.0, 0.1, 0.5, "far downhill at a low temperature (exp(−ΔJ/T) = e¹⁰⁰⁰ overflows)"),
    (0.5, 10.0, 0.9, "a small step uphill when hot"),
]


def _exp(x):
    with np.errstate(over="ignore"):
        return float(np.exp(x))


MISTAKES = [
    ("the sign flipped", lambda d, T, u: d <= 0 or u < _exp(d / T),
     "every uphill move was accepted, as with exp(+ΔJ/T) ≥ 1: the exponent is −ΔJ/T, "
     "so a larger rise is less likely to be accepted."),
    ("T multiplies", lambda d, T, u: d <= 0 or u < _exp(-d * T),
     "the temperature multiplies ΔJ instead of dividing it: exp(−ΔJ/T). A hot system (large "
     "T) must accept uphill moves more often, not less."),
    ("no temperature", lambda d, T, u: d <= 0 or u < _exp(-d),
     "the temperature is missing: the probability is exp(−ΔJ/T)."),
    ("level moves rejected", lambda d, T, u: d < 0 or (d > 0 and u < _exp(-d / T)),
     "a move with ΔJ = 0 was rejected: the rule accepts every move that does not go up "
     "(ΔJ ≤ 0), so the walk can drift along flat ground."),
    ("u compared the wrong way", lambda d, T, u: d <= 0 or u > _exp(-d / T),
     "u > exp(−ΔJ/T) accepts with probability 1 − exp(−ΔJ/T): accept when u < exp(−ΔJ/T)."),
    ("greedy", lambda d, T, u: d <= 0,
     "no uphill move is ever accepted: that is greedy descent (T = 0). Accept an uphill move "
     "when u < exp(−ΔJ/T)."),
]


def random_metropolis_cases(seed: int, n: int = 24):
    """Random (ΔJ, T, u) with the answer known: a quarter level moves, a quarter downhill, a
    quarter uphill with a random u, a quarter uphill with u next to exp(−ΔJ/T); T between
    0.1 and 0.5 or 2 and 10, so that forgetting T always shows."""
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        T = float(10.0 ** (rng.choice([-1.0, 1.0]) * rng.uniform(0.3, 1.0)))   # T ≠ 1
        kind = i % 4
        if kind == 0:
            cases.append((0.0, T, float(rng.uniform(0.5, 1.0)), "a level move"))
            continue
        d = float(rng.uniform(-3.0, -0.1)) if kind == 1 else float(rng.uniform(0.05, 3.0) * T)
        u = float(rng.random())
        if kind == 3:                          # next to the edge exp(−ΔJ/T)
            u = float(np.exp(-d / T)) * (1.0 + rng.choice([-1.0, 1.0]) * 1e-6)
        cases.append((d, T, u, "a random move"))
    return cases


def _answer(value):
    """True/False from a bool (numpy's too) or 0/1; None if it is neither."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral) and value in (0, 1):
        return bool(value)
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "bi":
        return bool(value)
    return None


@never_raises
def check_metropolis_accept(fn, *, cases=None, timeout: float = 1.0):
    """Ask ``metropolis_accept`` about each case; name the mistake its answers match."""
    cases = CASES if cases is None else cases
    if not callable(fn):
        return error(f"metropolis_accept should be a function, got {describe(fn)}.")
    got = []
    for d, T, u, what in cases:
        outcome = safe_call(fn, [d, T, u], timeout)
        where = f"for ΔJ = {d:g}, T = {T:g}, u = {u:.9g} ({what})"
        if outcome.kind == "timeout":
            return error(f"metropolis_accept did not return within {timeout:g} s {where}.",
                         kind="timeout")
        if outcome.kind == "raised":
            err = outcome.error
            if isinstance(err, NotImplementedError):
                return not_done(f"metropolis_accept: not done yet, it still raises "
                                f"NotImplementedError. {RULE}.", kind="not done")
            hint = (" exp(−ΔJ/T) overflows for a move far downhill: test ΔJ ≤ 0 first, and "
                    "compute the exponential only for uphill moves."
                    if isinstance(err, OverflowError) else "")
            line = f", {outcome.where}" if outcome.where else ""
            return error(f"metropolis_accept raised {type(err).__name__}: {err} {where}{line}."
                         f"{hint}", kind="exception")
        if outcome.value is None or outcome.value is Ellipsis:
            return not_done(f"metropolis_accept: not done yet, it returned "
                            f"{describe(outcome.value)}. Return True or False.",
                            kind="not done")
        answer = _answer(outcome.value)
        if answer is None:
            return error(f"metropolis_accept should return True or False, got "
                         f"{describe(outcome.value)} {where}.", kind="type")
        got.append(answer)
    expected = [bool(reference(d, T, u)) for d, T, u, _ in cases]
    if got == expected:
        return passed(f"metropolis_accept gives the right answer in all {len(cases)} cases: "
                      f"{RULE}.", cases=len(cases))
    first = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
    d, T, u, what = cases[first]
    p = float(min(1.0, np.exp(min(-d / T, 0.0))))
    head = (f"metropolis_accept({d:g}, {T:g}, {u:.9g}) returned {got[first]} for {what}; "
            f"expected {expected[first]} (the acceptance probability is {p:.6g}).")
    for name, mistake, hint in MISTAKES:
        if [bool(mistake(d_, T_, u_)) for d_, T_, u_, _ in cases] == got:
            return failed(f"{head}\n  Likely cause: {hint}", kind="value", mistake=name)
    return failed(f"{head}\n  The rule: {RULE}.", kind="value", mistake=None)


@hidden_check
@never_raises
def check_metropolis_accept_random(fn, *, n: int = 24, seed: int | None = None):
    """``check_metropolis_accept`` on ``n`` random moves (level moves and edges included)."""
    seed = current_seed() if seed is None else int(seed)
    result = check_metropolis_accept(fn, cases=random_metropolis_cases(seed, n))
    return hidden_result(result, f"{n} new random moves", seed)
