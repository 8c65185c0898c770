"""Predict, then check: how many iterations linear CG needs for a matrix with three distinct
eigenvalues. The hidden test counts them by running the library's CG on a new such matrix.
"""

from __future__ import annotations

import numpy as np

from ....checks import check_number
from ....checks.hidden import check_recomputed, hidden_check
from ....checks.result import never_raises


@never_raises
def check_cg_iterations(answer, n: int = 1000):
    """A = 2I + aaᵀ + ccᵀ (n × n, a ⟂ c, ‖a‖ ≠ ‖c‖): how many CG iterations from x₀ = 0 for
    a generic b, in exact arithmetic? The eigenvalues are 2 (n − 2 times), 2 + ‖a‖² and
    2 + ‖c‖²: three distinct values, so 3."""
    return check_number(
        answer, 3, name=f"CG iterations for A = 2I + aaᵀ + ccᵀ (n = {n})", rtol=0.0, atol=0.1,
        hint_low=("Count A's distinct eigenvalues: a and c are eigenvectors (eigenvalues "
                  "2 + ‖a‖² and 2 + ‖c‖²), and every vector orthogonal to both is an "
                  "eigenvector too, with eigenvalue 2."),
        hint_high=(f"n = {n} steps is only the worst case. CG needs one step per distinct "
                   "eigenvalue: what are A's eigenvalues along a, along c, and orthogonal "
                   "to both?"),
        note=("The eigenvalues are 2 (with multiplicity n − 2), 2 + ‖a‖² and 2 + ‖c‖²: three "
              "distinct values, so after 3 steps the residual is exactly 0. Check it with "
              "course_lib.optim.linear_cg."))


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


@hidden_check
@never_raises
def check_cg_iterations_by_running(answer, seed: int | None = None):
    """CG's iterations from x₀ = 0 for A = λ₀I + aaᵀ + ccᵀ (three distinct eigenvalues),
    counted by running ``course_lib.optim.second_order.linear_cg`` to ‖r‖ ≤ 1e-10·‖b‖ on a
    new random such matrix (``three_eigenvalue_system``)."""
    from ....optim.second_order import linear_cg  # the library's CG, not the visible formula

    def count(rng):
        A, b = three_eigenvalue_system(rng)
        return linear_cg(A, b, tol=1e-10).n_iter

    return check_recomputed(answer, count, name="CG iterations for 3 distinct eigenvalues",
                            rtol=0.0, atol=0.1, what="counted by running linear CG on a new "
                            "matrix with 3 distinct eigenvalues", seed=seed)
