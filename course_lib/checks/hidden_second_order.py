"""Hidden tests for notebook 07 (section 8.6): the visible checks on cases drawn when grading.

Like ``hidden.check_random_cases``, each takes its seed from ``hidden.current_seed()`` (the
grader's, or a fresh one) and names it in its message:

- ``check_newton_step_random``: ``check_newton_step`` (values, then the tripwire on an
  explicit inverse) on random rotated quadratics of dimension 3, 4, 6 or 7;
- ``check_linear_cg_random``: ``check_linear_cg`` on random SPD systems (3 to 15 unknowns,
  spread or repeated eigenvalues, x₀ = 0 or random);
- ``check_two_loop_random``: ``check_two_loop`` on random curvature pairs (2 to 6 pairs in
  3 to 8 dimensions);
- ``check_cg_iterations_by_running``: the number of CG iterations for a matrix with three
  distinct eigenvalues, counted by running the library's linear CG on a new one.
"""

from __future__ import annotations

import numpy as np

from .hidden import _hidden, check_recomputed, current_seed
from .linear_cg_exercise import check_linear_cg, random_cg_cases
from .result import never_raises
from .second_order_exercises import (
    check_newton_step,
    check_two_loop,
    random_newton_cases,
    random_two_loop_cases,
)


@never_raises
def check_newton_step_random(fn, *, n: int = 4, seed: int | None = None,
                             timeout: float = 2.0):
    """``check_newton_step`` on ``n`` random quadratics instead of the visible ones."""
    seed = current_seed() if seed is None else int(seed)
    result = check_newton_step(fn, cases=random_newton_cases(seed, n), timeout=timeout)
    return _hidden(result, f"{n} new random quadratics", seed)


@never_raises
def check_linear_cg_random(fn, *, n: int = 4, seed: int | None = None, timeout: float = 2.0):
    """``check_linear_cg`` on ``n`` random SPD systems instead of the visible ones."""
    seed = current_seed() if seed is None else int(seed)
    result = check_linear_cg(fn, cases=random_cg_cases(seed, n), timeout=timeout)
    return _hidden(result, f"{n} new random systems", seed)


@never_raises
def check_two_loop_random(fn, *, n: int = 4, seed: int | None = None, timeout: float = 2.0):
    """``check_two_loop`` on ``n`` random sets of curvature pairs instead of the visible ones."""
    seed = current_seed() if seed is None else int(seed)
    result = check_two_loop(fn, cases=random_two_loop_cases(seed, n), timeout=timeout)
    return _hidden(result, f"{n} new random sets of pairs", seed)


def three_eigenvalue_system(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(A, b): A = λ₀I + aaᵀ + ccᵀ in a random dimension 20…200, with a ⟂ c in random
    directions and λ₀, λ₀ + ‖a‖², λ₀ + ‖c‖² at least 30 % apart; b random."""
    n = int(rng.integers(20, 201))
    Q, _ = np.linalg.qr(rng.standard_normal((n, 2)))          # two orthonormal directions
    lam0 = float(rng.uniform(0.5, 5.0))
    gap_a = lam0 * float(rng.uniform(0.3, 5.0))
    gap_c = gap_a * float(rng.uniform(1.3, 4.0))
    a, c = np.sqrt(gap_a) * Q[:, 0], np.sqrt(gap_c) * Q[:, 1]
    A = lam0 * np.eye(n) + np.outer(a, a) + np.outer(c, c)
    return A, rng.standard_normal(n)


@never_raises
def check_cg_iterations_by_running(answer, seed: int | None = None):
    """CG's iterations from x₀ = 0 for A = λ₀I + aaᵀ + ccᵀ (three distinct eigenvalues),
    counted by running ``course_lib.optim.second_order.linear_cg`` to ‖r‖ ≤ 1e-10·‖b‖ on a
    new random such matrix (``three_eigenvalue_system``)."""
    from ..optim.second_order import linear_cg  # the library's CG, not the visible formula

    def count(rng):
        A, b = three_eigenvalue_system(rng)
        return linear_cg(A, b, tol=1e-10).n_iter

    return check_recomputed(answer, count, name="CG iterations for 3 distinct eigenvalues",
                            rtol=0.0, atol=0.1, what="counted by running linear CG on a new "
                            "matrix with 3 distinct eigenvalues", seed=seed)
