"""Linear conjugate gradients and exact steepest descent (section 8.6.2) against the theory."""

import numpy as np
import pytest
from scipy.sparse.linalg import cg as scipy_cg

from course_lib.objectives import Quadratic
from course_lib.optim import linear_cg, steepest_descent_exact


def spd(eigenvalues, seed):
    """A = Q diag(λ) Qᵀ with a random orthogonal Q, and a random b."""
    rng = np.random.default_rng(seed)
    n = len(eigenvalues)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = Q @ np.diag(eigenvalues) @ Q.T
    return 0.5 * (A + A.T), rng.standard_normal(n)


def off_diagonal_relative(G):
    """max over i ≠ j of |G_ij| / √(G_ii G_jj)."""
    scale = np.sqrt(np.outer(np.diag(G), np.diag(G)))
    return np.max(np.abs(G - np.diag(np.diag(G))) / scale)


# --- n-step and k-step termination ------------------------------------------------------------
@pytest.mark.parametrize("n", [5, 10])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cg_terminates_in_n_steps(n, seed):
    A, b = spd(np.linspace(1.0, 10.0, n), seed)
    run = linear_cg(A, b)
    assert run.converged and run.n_iter == n                 # n distinct eigenvalues: n steps
    assert np.linalg.norm(A @ run.x - b) <= 1e-10 * np.linalg.norm(b)   # measured ~3e-16
    np.testing.assert_allclose(run.x, np.linalg.solve(A, b), rtol=1e-12, atol=1e-12)
    assert run.residual_norms[n - 1] > 1e-6 * np.linalg.norm(b)        # not done any sooner


def test_cg_terminates_in_k_steps_with_k_distinct_eigenvalues():
    A, b = spd(np.repeat([1.0, 4.0, 9.0], [7, 7, 6]), seed=3)   # n = 20, k = 3
    run = linear_cg(A, b)
    assert run.converged and run.n_iter == 3
    assert np.linalg.norm(A @ run.x - b) <= 1e-10 * np.linalg.norm(b)   # measured 1.3e-15
    assert run.residual_norms[2] > 0.1 * np.linalg.norm(b)   # 2 steps are far from enough


@pytest.mark.parametrize("n", [5, 10])
def test_directions_are_conjugate_and_residuals_orthogonal(n):
    A, b = spd(np.linspace(1.0, 10.0, n), seed=n)
    run = linear_cg(A, b)
    assert off_diagonal_relative(run.gram(A)) <= 1e-10       # d_iᵀAd_j = 0 (measured ≤ 1e-12)
    R = run.residuals[:-1]
    assert off_diagonal_relative(R @ R.T) <= 1e-10           # r_iᵀr_j = 0
    # Each step is the exact minimizer along its direction: d_kᵀ r_{k+1} = 0.
    for k, d in enumerate(run.directions):
        assert abs(d @ run.residuals[k + 1]) <= 1e-12 * np.linalg.norm(d) * np.linalg.norm(b)


def test_cg_iterates_match_scipy():
    A, b = spd(np.linspace(1.0, 10.0, 8), seed=4)
    x0 = np.linspace(-1.0, 1.0, 8)
    scipy_iterates = []
    scipy_cg(A, b, x0=x0.copy(), rtol=1e-10, maxiter=8,
             callback=lambda xk: scipy_iterates.append(xk.copy()))
    run = linear_cg(A, b, x0=x0)
    assert len(scipy_iterates) == run.n_iter == 8
    np.testing.assert_allclose(run.xs[1:], scipy_iterates, rtol=1e-12, atol=1e-12)


def test_cg_solves_a_quadratic_objective():
    q = Quadratic((1.0, 3.0, 7.0), Q=np.linalg.qr(np.arange(9.0).reshape(3, 3) ** 2 + 1)[0],
                  center=[1.0, -2.0, 0.5])
    run = linear_cg(q.A, q.A @ q.center)
    assert run.n_iter == 3
    np.testing.assert_allclose(run.x, q.center, atol=1e-12)


def test_stopping_rule_and_budget():
    A, b = spd(np.linspace(1.0, 10.0, 10), seed=5)
    short = linear_cg(A, b, maxiter=2)
    assert short.n_iter == 2 and not short.converged and "maxiter" in short.message
    loose = linear_cg(A, b, tol=1e-1)                        # stops at the first ‖r‖ ≤ 0.1‖b‖
    norms = loose.residual_norms / np.linalg.norm(b)
    assert loose.converged and norms[-1] <= 0.1 and np.all(norms[:-1] > 0.1)
    start = linear_cg(A, b, x0=np.linalg.solve(A, b))        # already there: no step
    assert start.n_iter == 0 and start.converged and start.directions.shape == (0, 10)
    zero_b = linear_cg(A, np.zeros(10), x0=np.ones(10), tol=1e-12)   # b = 0: tol is absolute
    assert zero_b.converged and np.linalg.norm(zero_b.x) <= 1e-11


# --- steepest descent with exact line searches: the zig-zag -----------------------------------
def test_exact_steepest_descent_directions_are_orthogonal():
    # b = 0 (minimum at 0), so A x − b loses no digits to cancellation as x → x*.
    q = Quadratic.with_condition(10.0, angle=0.5)
    run = steepest_descent_exact(q.A, np.zeros(2), [-2.0, 2.0], 20)
    D = run.directions
    assert run.n_iter == 20 and q.loss(run.x) < 1e-30       # it does converge, in 20 steps
    for k in range(len(D) - 1):
        cosine = D[k] @ D[k + 1] / (np.linalg.norm(D[k]) * np.linalg.norm(D[k + 1]))
        assert abs(cosine) <= 1e-12                          # measured ≤ 7e-15
    # every other direction is parallel: the path zig-zags between two directions
    cosine2 = D[0] @ D[2] / (np.linalg.norm(D[0]) * np.linalg.norm(D[2]))
    assert cosine2 == pytest.approx(1.0, abs=1e-12)


def test_exact_steepest_descent_worst_case_rate():
    # From x₀ − x* ∝ (1/λ₁, 1/λ₂) in the eigenbasis, each step multiplies f − f* by exactly
    # ((κ − 1)/(κ + 1))² (Luenberger's bound, attained): 0.6694 for κ = 10.
    q = Quadratic.with_condition(10.0, angle=0.5, center=[1.0, -0.5])
    x0 = q.center + q.Q @ (1.0 / q.eigenvalues)
    run = steepest_descent_exact(q.A, q.A @ q.center, x0, 15)
    f = np.array([q.loss(x) for x in run.xs])
    np.testing.assert_allclose(f[1:] / f[:-1], (9.0 / 11.0) ** 2, rtol=1e-9)
    cg_run = linear_cg(q.A, q.A @ q.center, x0=x0)           # against 2 steps of CG
    assert cg_run.n_iter == 2 and q.loss(cg_run.x) <= 1e-25


def test_exact_steepest_descent_stops_at_zero_gradient():
    A = np.diag([1.0, 4.0])
    run = steepest_descent_exact(A, np.zeros(2), [3.0, 0.0], 10)   # along an eigenvector
    assert run.n_iter == 1 and np.all(run.x == 0.0) and not run.converged


# --- validation -------------------------------------------------------------------------------
def test_bad_inputs_raise_clear_errors():
    A = np.diag([1.0, 2.0])
    with pytest.raises(ValueError, match=r"A has shape \(2, 2\), but b has shape \(3,\)"):
        linear_cg(A, np.ones(3))
    with pytest.raises(ValueError, match="symmetric"):
        linear_cg(np.array([[1.0, 1.0], [0.0, 1.0]]), np.ones(2))
    with pytest.raises(ValueError, match="positive definite"):
        linear_cg(np.diag([1.0, -1.0]), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"x0 has shape \(3,\), but b has shape \(2,\)"):
        linear_cg(A, np.ones(2), x0=np.ones(3))
    with pytest.raises(ValueError, match="tol must be > 0"):
        linear_cg(A, np.ones(2), tol=0.0)
    with pytest.raises(ValueError, match="maxiter must be an integer >= 0"):
        linear_cg(A, np.ones(2), maxiter=-1)
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        steepest_descent_exact(A, np.ones(2), [0.0, 0.0], 1.5)
    with pytest.raises(ValueError, match="positive definite"):
        steepest_descent_exact(np.diag([1.0, -1.0]), np.zeros(2), [0.0, 1.0], 3)


def test_inputs_are_not_mutated():
    A, b = spd(np.linspace(1.0, 10.0, 4), seed=6)
    x0 = np.ones(4)
    copies = A.copy(), b.copy(), x0.copy()
    linear_cg(A, b, x0=x0)
    steepest_descent_exact(A, b, x0, 3)
    for before, after in zip(copies, (A, b, x0), strict=True):
        np.testing.assert_array_equal(before, after)
