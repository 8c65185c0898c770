"""Does a two-loop answer cost O(mn), as L-BFGS's must? (the hidden test's second half)

An answer that forms a dense n×n matrix (the BFGS inverse built from the pairs) gives the
same numbers on small cases. ``check_linear_cost`` times it, and where it runs in this
process also measures its peak memory (``tracemalloc``, which sees numpy's arrays), at
n = 300 and n = 1200: linear growth is 4×, a dense matrix 16× in memory and 16× or 64× in
time; more than ``GROWTH``× fails. Then one case with n = 20,000, where a dense matrix
needs 3.2 GB: beyond the grader's memory limit (512 MB by default), and far beyond the
time limit. Diagonal curvature (y = λ ⊙ s) keeps the cases cheap to build here.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

from ....checks.result import failed, passed
from ....checks.safe_call import safe_call
from ....optim.second_order.quasi_newton import two_loop as _two_loop

SIZES = (300, 1200)
BIG = 20_000
PAIRS = 5
GROWTH = 10.0                   # allowed growth for 4× n (linear: 4×)
FLOOR_S, FLOOR_B = 1e-3, 1 << 16


def scale_case(n: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    lam = rng.uniform(0.5, 20.0, n)
    s_list = [rng.standard_normal(n) for _ in range(PAIRS)]
    return {"g": rng.standard_normal(n), "s_list": s_list, "y_list": [lam * s for s in s_list]}


def _cost(fn, inputs, timeout, memory: bool):
    """(outcome, best seconds of 3 calls, peak bytes or None)."""
    args = [inputs["g"], inputs["s_list"], inputs["y_list"]]
    best, outcome = float("inf"), None
    for _ in range(3):
        start = time.perf_counter()
        outcome = safe_call(fn, [a.copy() if isinstance(a, np.ndarray) else list(a)
                                 for a in args], timeout)
        best = min(best, time.perf_counter() - start)
        if outcome.kind != "returned":
            return outcome, best, None
    peak = None
    if memory:
        tracemalloc.start()
        try:
            safe_call(fn, args, timeout)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return outcome, best, peak


def _trouble(outcome, n: int) -> str | None:
    if outcome.kind == "timeout":
        return (f"two_loop took too long with n = {n:,}: does it build an n×n matrix? The "
                "recursion needs only the m pairs, about 4mn multiplications")
    if outcome.kind == "raised":
        err = outcome.error
        if isinstance(err, MemoryError) or type(err).__name__ == "MemoryError":
            return (f"two_loop ran out of memory with n = {n:,}: an n×n matrix of floats "
                    f"needs {8 * n * n / 1e9:.1f} GB, while the two-loop recursion keeps only "
                    f"the m pairs ({8 * 2 * PAIRS * n / 1e6:.1f} MB here)")
        return f"two_loop raised {type(err).__name__}: {err} with n = {n:,}"
    return None


def check_linear_cost(fn, seed: int, timeout: float = 2.0):
    """Passed, or failed with what grew too fast (see the module docstring)."""
    memory = not hasattr(fn, "watching")        # a proxy runs elsewhere: its memory limit
    costs = []
    for i, n in enumerate(SIZES):
        outcome, seconds, peak = _cost(fn, scale_case(n, seed + i), timeout, memory)
        problem = _trouble(outcome, n)
        if problem:
            return failed(f"{problem}.", kind="cost", n=n)
        costs.append((max(seconds, FLOOR_S), None if peak is None else max(peak, FLOOR_B)))
    (t1, m1), (t2, m2) = costs
    small, large = SIZES
    if t2 / t1 > GROWTH:
        return failed(f"two_loop's time grew {t2 / t1:.0f}× from n = {small:,} to {large:,} "
                      f"(linear: {large // small}×; an n×n matrix: {(large // small) ** 2}× or "
                      "more): the recursion must cost O(mn), without any n×n matrix.",
                      kind="cost", growth=t2 / t1)
    if m1 is not None and m2 / m1 > GROWTH:
        return failed(f"two_loop's peak memory grew {m2 / m1:.0f}× from n = {small:,} to "
                      f"{large:,} ({m2 / 1e6:.1f} MB; linear: {large // small}×): it builds "
                      "an n×n matrix. Keep only vectors: q, r and the pairs.",
                      kind="cost", growth=m2 / m1)
    inputs = scale_case(BIG, seed + 7)
    outcome = safe_call(fn, [inputs["g"], inputs["s_list"], inputs["y_list"]], timeout)
    problem = _trouble(outcome, BIG)
    if problem:
        return failed(f"{problem}.", kind="cost", n=BIG)
    expected = _two_loop(inputs["g"], inputs["s_list"], inputs["y_list"])
    try:
        got = np.asarray(outcome.value, dtype=float)
        right = got.shape == expected.shape and np.allclose(got, expected, rtol=1e-8,
                                                            atol=1e-10)
    except (TypeError, ValueError):
        right = False
    if not right:
        return failed(f"two_loop's d differs from the recursion's with n = {BIG:,} "
                      f"({PAIRS} pairs).", kind="value", n=BIG)
    return passed(f"two_loop's cost grows linearly in n (n = {small:,} → {large:,}) and it "
                  f"handles n = {BIG:,}, where an n×n matrix would need 3.2 GB.")
