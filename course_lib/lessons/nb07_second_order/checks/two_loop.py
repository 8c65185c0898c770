"""The L-BFGS two-loop recursion exercise.

``check_two_loop(fn)`` for ``two_loop(g, s_list, y_list) -> d``, the direction d = −M g,
where M approximates the inverse Hessian (the convention of
``course_lib.optim.second_order.two_loop``). ``check_two_loop_random``: the same on random
curvature pairs, 2 to 6 pairs in 3 to 8 dimensions, then the cost: linear in n, and
n = 20,000 where a dense matrix needs 3.2 GB (``two_loop_scale``; the hidden test).
"""

from __future__ import annotations

import copy
import functools
import inspect

import numpy as np

from ....checks import Mistake
from ....checks.diagnose import close
from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, fmt, never_raises, not_done, passed
from ....checks.safe_call import safe_call
from ....optim.second_order.quasi_newton import two_loop as _two_loop
from .two_loop_scale import check_linear_cost

# --- the L-BFGS two-loop recursion -----------------------------------------------------------
TWO_LOOP_FORMULA = ("q ← g; for i = newest … oldest: αᵢ ← ρᵢ sᵢᵀq, q ← q − αᵢyᵢ; "
                    "r ← γq with γ = sᵀy/yᵀy of the newest pair; for i = oldest … newest: "
                    "β ← ρᵢ yᵢᵀr, r ← r + sᵢ(αᵢ − β); return d = −r (ρᵢ = 1/yᵢᵀsᵢ)")


def _two_loop_variant(*, order_swapped=False, gamma="newest", sign=-1.0, swap_sy=False,
                      alphas_unreversed=False, rho=True, second_loop=True):
    """The two-loop recursion, right by default; each keyword makes one known mistake."""
    def two_loop(g, s_list, y_list):
        s_list, y_list = list(s_list), list(y_list)
        if swap_sy:
            s_list, y_list = y_list, s_list
        q = np.array(g, dtype=float)
        if not s_list:
            return sign * q
        rhos = [1.0 / (y @ s) if rho else 1.0 for s, y in zip(s_list, y_list, strict=True)]
        first = range(len(s_list)) if order_swapped else range(len(s_list) - 1, -1, -1)
        alphas = {}
        for i in first:
            alphas[i] = rhos[i] * (s_list[i] @ q)
            q = q - alphas[i] * y_list[i]
        pick = {"newest": -1, "oldest": 0}
        if gamma in pick:
            s, y = s_list[pick[gamma]], y_list[pick[gamma]]
            scale = (s @ y) / (y @ y)
        elif gamma == "inverted":
            s, y = s_list[-1], y_list[-1]
            scale = (y @ y) / (s @ y)
        else:
            scale = 1.0
        r = scale * q
        if second_loop:
            second = range(len(s_list) - 1, -1, -1) if order_swapped else range(len(s_list))
            order = list(alphas)
            for j, i in enumerate(second):
                a = alphas[order[j]] if alphas_unreversed else alphas[i]
                beta = rhos[i] * (y_list[i] @ r)
                r = r + s_list[i] * (a - beta)
        return sign * r
    return two_loop


TWO_LOOP_MISTAKES = [
    Mistake("loops in the wrong order", _two_loop_variant(order_swapped=True),
            "the loops run in the wrong order: the first loop goes from the newest pair back "
            "to the oldest, the second from the oldest to the newest."),
    Mistake("γ missing", _two_loop_variant(gamma=None),
            "the middle step uses H₀ = I: scale q by γ = sᵀy/yᵀy of the newest pair, "
            "r ← γq, so that the step has the right length."),
    Mistake("γ upside down", _two_loop_variant(gamma="inverted"),
            "γ is upside down: γ = sᵀy/yᵀy (it estimates 1/curvature, so it has s on top)."),
    Mistake("γ from the oldest pair", _two_loop_variant(gamma="oldest"),
            "γ was taken from the oldest pair: use the newest, s_list[-1] and y_list[-1], "
            "the most recent curvature information."),
    Mistake("sign flipped", _two_loop_variant(sign=1.0),
            "the result is +Hg: the function returns the search direction d = −Hg."),
    Mistake("s and y swapped", _two_loop_variant(swap_sy=True),
            "s and y are swapped: that approximates the Hessian itself, not its inverse. "
            "αᵢ uses sᵢᵀq and q moves along yᵢ; β uses yᵢᵀr and r moves along sᵢ."),
    Mistake("αᵢ paired with the wrong pair", _two_loop_variant(alphas_unreversed=True),
            "the second loop used the αᵢ in the order they were computed: the first loop "
            "stores them newest first, so look each αᵢ up by its pair's index i."),
    Mistake("ρ missing", _two_loop_variant(rho=False),
            "ρᵢ = 1/(yᵢᵀsᵢ) is missing from αᵢ and β."),
    Mistake("second loop missing", _two_loop_variant(second_loop=False),
            "the second loop is missing: after r ← γq, go from the oldest pair to the newest "
            "with β ← ρᵢ yᵢᵀr and r ← r + sᵢ(αᵢ − β)."),
]


def _pairs(n: int, m: int, seed: int) -> dict:
    """g and m curvature pairs (s, y = A s) of a random SPD A, oldest first."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * np.geomspace(0.5, 20.0, n)) @ Q.T
    s_list = [rng.standard_normal(n) for _ in range(m)]
    return {"g": rng.standard_normal(n), "s_list": s_list, "y_list": [A @ s for s in s_list]}


def _rosenbrock_pairs() -> dict:
    """The pairs L-BFGS (m = 3) holds after 6 steps on Rosenbrock from (−1.2, 1)."""
    from ....objectives import Rosenbrock
    from ....optim import LBFGS
    from ....run import minimize
    trace = minimize(Rosenbrock(), LBFGS(m=3), [-1.2, 1.0], 6)
    state = trace.states[-1]
    return {"g": np.array(state.g), "s_list": [np.array(s) for s in state.s],
            "y_list": [np.array(y) for y in state.y]}


TWO_LOOP_CASES = [("three pairs, n = 4", lambda: _pairs(4, 3, 1)),
                  ("one pair, n = 3", lambda: _pairs(3, 1, 2)),
                  ("five pairs, n = 6", lambda: _pairs(6, 5, 3)),
                  ("pairs from an L-BFGS run on Rosenbrock", _rosenbrock_pairs),
                  ("no pairs yet: d = −g", lambda: {"g": np.array([1.5, -2.0, 0.5]),
                                                    "s_list": [], "y_list": []})]


def _same_inputs(before: dict, after: dict) -> str | None:
    """The name of an input changed in place, or None."""
    if not np.array_equal(before["g"], after["g"]):
        return "g"
    for name in ("s_list", "y_list"):
        if len(before[name]) != len(after[name]) or not all(
                np.array_equal(a, b) for a, b in zip(before[name], after[name], strict=True)):
            return name
    return None


def random_two_loop_cases(seed: int, n: int = 4) -> list:
    """``n`` random cases for hidden tests: (name, make) with 2 to 6 pairs in 3 to 8 dims."""
    rng = np.random.default_rng(seed)
    return [(f"random case {i + 1}", functools.partial(
        _pairs, int(rng.integers(3, 9)), int(rng.integers(2, 7)), int(rng.integers(1 << 30))))
        for i in range(n)]


@never_raises
def check_two_loop(fn, *, cases=None, timeout: float = 2.0):
    """Check ``two_loop(g, s_list, y_list)``, which returns d = −Hg, on five cases.
    ``cases``: other (name, make) cases instead (e.g. ``random_two_loop_cases``)."""
    cases = TWO_LOOP_CASES if cases is None else cases
    if not callable(fn):
        return error(f"two_loop should be a function taking (g, s_list, y_list), but the "
                     f"check got {describe(fn)}. Pass the function itself: "
                     "check_two_loop(two_loop).", kind="not callable")
    try:
        inspect.signature(fn).bind("g", "s_list", "y_list")
    except TypeError:
        return error("two_loop should take the three arguments (g, s_list, y_list).",
                     kind="signature")
    except ValueError:
        pass
    for name, make in cases:
        inputs = make()
        given = copy.deepcopy(inputs)
        expected = _two_loop(inputs["g"], inputs["s_list"], inputs["y_list"])
        outcome = safe_call(fn, [given["g"], given["s_list"], given["y_list"]], timeout)
        where = f"in case '{name}'"
        if outcome.kind == "timeout":
            return error(f"two_loop took longer than {timeout:g} s {where}: is there a loop "
                         "that never ends? Each loop runs once over the stored pairs.",
                         kind="timeout", case=name)
        if outcome.kind == "raised":
            err = outcome.error
            if isinstance(err, NotImplementedError):
                return not_done("two_loop: not done yet, it still raises NotImplementedError. "
                                f"Write the recursion: {TWO_LOOP_FORMULA}.", kind="not done")
            line = f", {outcome.where}" if outcome.where else ""
            return error(f"two_loop raised {type(err).__name__}: {err}\n  {where}{line}",
                         kind="exception", case=name)
        value = outcome.value
        if value is None or value is Ellipsis:
            return not_done("two_loop: not done yet, it returned "
                            f"{describe(value)}. End it with `return d`, d = −Hg.",
                            kind="not done")
        try:
            got = np.asarray(value, dtype=float)
        except Exception:   # noqa: BLE001 - whatever the learner returned, say what it is
            return error(f"two_loop should return one array d, got {describe(value)} {where}.",
                         kind="type", case=name)
        if got.shape != expected.shape:
            return failed(f"two_loop returned shape {got.shape}, but d has the shape of g, "
                          f"{expected.shape}, {where}.", kind="shape", case=name)
        if not np.all(np.isfinite(got)):
            return failed(f"two_loop returned NaN or inf {where}: look for a division by "
                          "zero (ρᵢ = 1/yᵢᵀsᵢ, γ = sᵀy/yᵀy).", kind="nan", case=name)
        changed = _same_inputs(inputs, given)
        if changed:
            hint = (" `q = g` does not copy the array: start with `q = g.copy()` (or "
                    "`q = np.array(g)`)." if changed == "g" else
                    " Iterate over the pairs (e.g. with reversed(...)) instead of reordering "
                    "or changing the lists.")
            return failed(f"two_loop changed its input `{changed}` in place {where}.{hint}",
                          kind="mutation", input=changed, case=name)
        scale = max(1.0, float(np.max(np.abs(inputs["g"]))))
        if close(got, expected, scale):
            continue
        shown = (f"\n  g = {fmt(inputs['g'])}, {len(inputs['s_list'])} pair(s)\n"
                 f"  expected: d = {fmt(expected)}\n  got:      d = {fmt(got)}")
        for mistake in TWO_LOOP_MISTAKES:
            wrong = mistake.fn(inputs["g"], inputs["s_list"], inputs["y_list"])
            if not close(wrong, expected, scale) and close(got, wrong, scale):
                return failed(f"two_loop: d differs {where}.{shown}\n  Likely cause: "
                              f"{mistake.hint}", kind="value", mistake=mistake.name, case=name)
        return failed(f"two_loop: d differs {where}.{shown}\n  The recursion: "
                      f"{TWO_LOOP_FORMULA}.", kind="value", mistake=None, case=name)
    return passed(f"two_loop matches the reference on {len(cases)} cases, leaving its inputs "
                  "unchanged. It costs about 4mn multiplications for m pairs of n-vectors, "
                  "against n² for BFGS's matrix.", cases=len(cases))


@hidden_check
@never_raises
def check_two_loop_random(fn, *, n: int = 4, seed: int | None = None, timeout: float = 2.0):
    """``check_two_loop`` on ``n`` random sets of curvature pairs instead of the visible ones."""
    seed = current_seed() if seed is None else int(seed)
    result = check_two_loop(fn, cases=random_two_loop_cases(seed, n), timeout=timeout)
    if result.passed:          # then its cost: O(mn), also with n = 20,000 (two_loop_scale)
        cost = check_linear_cost(fn, seed, timeout)
        result = result if cost.passed else cost
    return hidden_result(result, f"{n} new random sets of pairs and n up to 20,000", seed)
