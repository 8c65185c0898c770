"""BFGS, L-BFGS and nonlinear conjugate gradients (course_lib.optim.second_order), and the
extended Rosenbrock function they are compared on."""

import numpy as np
import pytest
from scipy.optimize import rosen, rosen_der, rosen_hess

from course_lib.gradcheck import check_grad, check_hessian, check_hvp
from course_lib.objectives import ExtendedRosenbrock, FunctionObjective, Quadratic, Rosenbrock
from course_lib.optim import (
    BFGS,
    LBFGS,
    BFGSState,
    ConjugateGradient,
    ConjugateGradientState,
    LBFGSState,
)
from course_lib.optim.second_order import bfgs_update, two_loop
from course_lib.optim.second_order.conjugate_gradient import beta
from course_lib.run import Oracle, minimize

N = 6


def _quadratic(n=N, seed=0):
    """A rotated n-D bowl with distinct eigenvalues from 1 to 100 and a shifted minimum."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return Quadratic(np.geomspace(1.0, 100.0, n), Q=Q, center=rng.standard_normal(n))


# An (almost) exact line search: on a quadratic the interpolation lands on the minimizer.
EXACT = {"c1": 1e-12, "c2": 1e-10}


# --- BFGS ----------------------------------------------------------------------------------
def test_bfgs_matrix_satisfies_the_secant_equation_after_every_update():
    trace = minimize(Rosenbrock(), BFGS(), [-1.2, 1.0], steps=25)
    thetas, states = trace.thetas, trace.states
    for t in range(1, len(states)):
        s = thetas[t + 1] - thetas[t]
        y = states[t].g - states[t - 1].g
        M = states[t].M
        np.testing.assert_allclose(M @ y, s, rtol=1e-10, atol=1e-10 * np.abs(s).max())
        np.testing.assert_allclose(M, M.T, rtol=0, atol=1e-12 * np.abs(M).max())
        assert np.linalg.eigvalsh(M).min() > 0                          # positive definite


def test_bfgs_terminates_on_a_quadratic_and_recovers_the_inverse_hessian():
    # With exact line searches, BFGS on a quadratic reaches the minimum in at most n steps
    # (N&W Theorem 6.4 and section 6.1) and then M = A⁻¹.
    q = _quadratic()
    trace = minimize(q, BFGS(**EXACT), np.zeros(N), steps=50, tol=1e-9)
    assert trace.stop_reason == "converged" and trace.n_steps <= N + 1
    assert trace.grad_norms[N] <= 1e-8 * trace.grad_norms[0]
    np.testing.assert_allclose(trace.states[N - 1].M, np.linalg.inv(q.A), atol=1e-10)


def test_bfgs_update_formula():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((4, 4))
    M = A @ A.T + np.eye(4)
    s = rng.standard_normal(4)
    y = s + 0.1 * rng.standard_normal(4)                # yᵀs > 0
    new, updated = bfgs_update(M, s, y)
    rho = 1.0 / (y @ s)
    expected = ((np.eye(4) - rho * np.outer(s, y)) @ M @ (np.eye(4) - rho * np.outer(y, s))
                + rho * np.outer(s, s))                 # the product form of ALGORITHMS.md
    assert updated
    np.testing.assert_allclose(new, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(new @ y, s, rtol=1e-12)
    same, updated = bfgs_update(M, s, -y)               # yᵀs < 0: skipped
    assert not updated
    np.testing.assert_array_equal(same, M)


def _concave():
    """J(θ) = −½‖θ‖²: along d = −g = θ the slope only steepens, so no Wolfe step exists;
    the search stops at η_max with a gradient for which yᵀs = −η²‖θ‖² < 0."""
    return FunctionObjective(lambda t: -0.5 * t @ t, lambda t: -t, dim=2)


@pytest.mark.parametrize("make", [BFGS, LBFGS])
def test_update_is_skipped_when_curvature_is_negative(make):
    theta = np.array([1.0, 2.0])
    optimizer = make()
    new_theta, state = optimizer.step(theta, optimizer.init(theta), Oracle(_concave()))
    assert state.skipped == 1 and state.eta == 1e10     # it moved, to η_max
    np.testing.assert_allclose(new_theta, theta * (1 + 1e10))
    if make is BFGS:
        assert state.M is None                          # still the identity
    else:
        assert state.s == () and state.y == ()          # no pair stored


def test_bfgs_first_update_uses_the_scaled_identity_when_asked():
    # N&W eq. 6.20: before the first update M₀ = (sᵀy/yᵀy) I. On J = ½ a‖θ‖² (a = 4):
    # y = a s, so M₀ = I/a and the update keeps M = I/a = A⁻¹ exactly.
    q = Quadratic((4.0, 4.0))
    bfgs = BFGS(scaled_M0=True)
    _, state = bfgs.step(np.array([1.0, -2.0]), bfgs.init(None), Oracle(q))
    np.testing.assert_allclose(state.M, np.eye(2) / 4.0, rtol=1e-12)


def test_bfgs_starts_from_the_identity_by_default():
    # M₀ = I, as scipy's BFGS: the first update is the BFGS formula applied to I itself.
    q = Quadratic((4.0, 1.0))
    theta0 = np.array([1.0, -2.0])
    theta1, state = BFGS().step(theta0, BFGS().init(None), Oracle(q))
    expected, updated = bfgs_update(np.eye(2), theta1 - theta0, q.grad(theta1) - q.grad(theta0))
    assert updated
    np.testing.assert_allclose(state.M, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="scaled_M0 must be True or False"):
        BFGS(scaled_M0="yes")


def _ill_conditioned(n=20, kappa=1000.0, seed=0):
    """Issue 17's quadratic: eigenvalues log-spaced from 1 to κ, a random rotation."""
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return Quadratic(np.geomspace(1.0, kappa, n), Q=Q)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bfgs_needs_no_more_gradients_than_scipy_on_an_ill_conditioned_quadratic(seed):
    from scipy.optimize import minimize as scipy_minimize

    q, theta0 = _ill_conditioned(seed=seed), np.ones(20)
    ours = minimize(q, BFGS(), theta0, steps=2000, tol=1e-5)
    theirs = scipy_minimize(q.loss, theta0, jac=q.grad, method="BFGS", options={"gtol": 1e-5})
    assert ours.stop_reason == "converged" and theirs.success
    assert ours.ngev <= theirs.njev
    # the scaled start of N&W eq. 6.20 is what made BFGS slow here (the module docstring):
    # the first step is dominated by the stiff directions, so M₀ is far too small elsewhere
    scaled = minimize(q, BFGS(scaled_M0=True), theta0, steps=2000, tol=1e-5)
    assert scaled.stop_reason == "converged" and scaled.ngev > 3 * ours.ngev


def test_a_too_small_start_costs_gradients_a_too_large_one_only_losses():
    # The measurement behind M₀ = I (module docstring): BFGS from M₀ = cI on the κ = 1000
    # quadratic, whose H⁻¹ has eigenvalues from 1e-3 to 1.
    class Started(BFGS):
        def __init__(self, c):
            super().__init__()
            self.c = c

        def init(self, theta):
            return BFGSState(M=self.c * np.eye(np.size(theta)))

    q, theta0 = _ill_conditioned(), np.ones(20)
    runs = {c: minimize(q, Started(c), theta0, steps=2000, tol=1e-5) for c in (1e-4, 1.0, 1e4)}
    assert all(run.stop_reason == "converged" for run in runs.values())
    assert runs[1e-4].ngev > 5 * runs[1.0].ngev                # too small: many gradients
    assert runs[1e4].ngev <= runs[1.0].ngev                    # too large: no more gradients,
    assert runs[1e4].nfev > 2 * runs[1.0].nfev                 # but many more loss values


# --- L-BFGS --------------------------------------------------------------------------------
def test_two_loop_without_pairs_is_steepest_descent():
    g = np.array([1.0, -2.0, 3.0])
    np.testing.assert_array_equal(two_loop(g, (), ()), -g)


def test_two_loop_equals_bfgs_updates_of_gamma_identity():
    # N&W Algorithm 7.4 computes −H g where H is m BFGS updates of γI: check against the
    # dense updates, for the default γ (newest pair) and a given one.
    rng = np.random.default_rng(2)
    n, m = 7, 4
    S = [rng.standard_normal(n) for _ in range(m)]
    Y = [s + 0.3 * rng.standard_normal(n) for s in S]
    g = rng.standard_normal(n)
    for gamma in (None, 0.37):
        gam = (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1]) if gamma is None else gamma
        H = gam * np.eye(n)
        for s, y in zip(S, Y, strict=True):
            H, _ = bfgs_update(H, s, y)
        np.testing.assert_allclose(two_loop(g, S, Y, gamma), -H @ g, rtol=1e-11, atol=1e-12)


def test_lbfgs_with_full_memory_matches_bfgs_on_a_quadratic():
    # With exact line searches on a quadratic, BFGS and L-BFGS with m ≥ n build the same
    # conjugate directions (N&W section 7.2), so the iterates agree.
    q = _quadratic()
    bfgs = minimize(q, BFGS(**EXACT), np.zeros(N), steps=N)
    lbfgs = minimize(q, LBFGS(m=N, **EXACT), np.zeros(N), steps=N)
    scale = np.abs(q.center).max()
    np.testing.assert_allclose(lbfgs.thetas, bfgs.thetas, rtol=0, atol=1e-8 * scale)
    for t in range(N - 1):                              # the directions s/‖s‖ agree
        sb = bfgs.thetas[t + 1] - bfgs.thetas[t]
        sl = lbfgs.thetas[t + 1] - lbfgs.thetas[t]
        np.testing.assert_allclose(sl / np.linalg.norm(sl), sb / np.linalg.norm(sb),
                                   atol=1e-8)


def test_lbfgs_keeps_at_most_m_read_only_pairs():
    trace = minimize(ExtendedRosenbrock(20), LBFGS(m=3), ExtendedRosenbrock(20).standard_start(),
                     steps=12)
    state = trace.states[-1]
    assert len(state.s) == len(state.y) == 3
    thetas = trace.thetas
    np.testing.assert_array_equal(state.s[-1], thetas[-1] - thetas[-2])  # the newest pair
    for a in state.s + state.y + (state.g,):
        assert not a.flags.writeable


# --- convergence ---------------------------------------------------------------------------
@pytest.mark.parametrize("make", [BFGS, LBFGS, lambda: ConjugateGradient(beta="FR"),
                                  lambda: ConjugateGradient(beta="PR"), ConjugateGradient])
def test_converges_on_rosenbrock(make):
    trace = minimize(Rosenbrock(), make(), [-1.2, 1.0], steps=2000, tol=1e-8)
    assert trace.stop_reason == "converged"
    np.testing.assert_allclose(trace.theta, [1.0, 1.0], atol=1e-6)


@pytest.mark.parametrize("kind", ["FR", "PR", "PR+"])
def test_nonlinear_cg_is_linear_cg_on_a_quadratic(kind):
    # Exact line searches on a quadratic: every β formula equals the linear CG one, so the
    # method ends in n steps (N&W section 5.2).
    q = _quadratic()
    trace = minimize(q, ConjugateGradient(beta=kind, **EXACT), np.zeros(N), steps=N)
    assert trace.grad_norms[N] <= 1e-8 * trace.grad_norms[0]
    assert trace.states[-1].restarts == 1               # the periodic restart after n steps


def test_cg_restarts_every_n_steps_and_can_be_told_not_to():
    start = ExtendedRosenbrock(4).standard_start()
    every = minimize(ExtendedRosenbrock(4), ConjugateGradient(restart=2), start, steps=10)
    since = [s.since_restart for s in every.states]
    assert max(since) <= 1 and every.states[-1].restarts >= 5
    never = minimize(Rosenbrock(), ConjugateGradient(beta="FR", restart=0), [-1.2, 1.0],
                     steps=10)
    assert [s.since_restart for s in never.states] == list(range(1, 11))


def test_beta_formulas():
    g, g_new = np.array([1.0, 2.0]), np.array([2.0, -1.0])
    assert beta("FR", g_new, g) == pytest.approx(5.0 / 5.0)
    assert beta("PR", g_new, g) == pytest.approx(((1.0 * 2.0) + (-3.0 * -1.0)) / 5.0)
    g_new = np.array([0.5, 1.0])                        # (g_new − g)ᵀg_new < 0
    assert beta("PR", g_new, g) == pytest.approx(-1.25 / 5.0)
    assert beta("PR+", g_new, g) == 0.0


def test_cg_first_direction_is_steepest_descent_and_directions_descend():
    trace = minimize(Rosenbrock(), ConjugateGradient(), [-1.2, 1.0], steps=30)
    np.testing.assert_allclose(trace.thetas[1] - trace.thetas[0],
                               -trace.states[0].eta * Rosenbrock().grad([-1.2, 1.0]))
    for state in trace.states:
        assert state.g @ state.d < 0                    # every next direction descends


# --- contract: purity, stationary points, validation ---------------------------------------
@pytest.mark.parametrize("make", [BFGS, LBFGS, ConjugateGradient])
def test_step_is_pure(make):
    optimizer = make()
    theta = np.array([-1.2, 1.0])
    theta.setflags(write=False)
    state = optimizer.init(theta)
    oracle = Oracle(Rosenbrock())
    t1, s1 = optimizer.step(theta, state, oracle)
    t2, s2 = optimizer.step(t1, s1, oracle)
    again, s2b = optimizer.step(t1, s1, Oracle(Rosenbrock()))       # s1 unchanged by step 2
    np.testing.assert_array_equal(again, t2)
    np.testing.assert_array_equal(theta, [-1.2, 1.0])
    assert not s2.g.flags.writeable and s2b.k == s2.k == 2


@pytest.mark.parametrize("make", [BFGS, LBFGS, ConjugateGradient])
def test_a_stationary_point_stays_put_without_a_line_search(make):
    q = Quadratic((1.0, 3.0))
    oracle = Oracle(q)
    theta, state = make().step(np.zeros(2), make().init(np.zeros(2)), oracle)
    np.testing.assert_array_equal(theta, np.zeros(2))
    assert (oracle.counts.nfev, oracle.counts.ngev) == (1, 1)


def test_states_are_frozen_dataclasses():
    for state in (BFGSState(), LBFGSState(), ConjugateGradientState()):
        with pytest.raises(AttributeError):
            state.k = 3


@pytest.mark.parametrize("make, match", [
    (lambda: BFGS(c1=0.0), "c1 must be in"), (lambda: BFGS(c2=1e-5), "c2 must be in"),
    (lambda: LBFGS(m=0), "m must be an integer >= 1"), (lambda: LBFGS(m=2.5), "m must be"),
    (lambda: LBFGS(c2=1.0), "c2 must be in"),
    (lambda: ConjugateGradient(beta="HS"), "beta must be one of"),
    (lambda: ConjugateGradient(restart=-1), "restart must be an integer >= 0"),
    (lambda: ConjugateGradient(c2=0.0), "c2 must be in")])
def test_validation(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_two_loop_validation():
    with pytest.raises(ValueError, match="same length"):
        two_loop(np.ones(2), (np.ones(2),), ())


# --- the extended Rosenbrock function ------------------------------------------------------
@pytest.mark.parametrize("n", [2, 3, 7])
def test_extended_rosenbrock_derivatives_against_finite_differences(n):
    f = ExtendedRosenbrock(n)
    rng = np.random.default_rng(n)
    for theta in (f.standard_start(), rng.uniform(-1.5, 1.5, n)):
        assert check_grad(f, theta)
        assert check_hessian(f, theta)
        assert check_hvp(f, theta, rng.standard_normal(n))


def test_extended_rosenbrock_matches_scipy_and_the_2d_function():
    rng = np.random.default_rng(0)
    f = ExtendedRosenbrock(50)
    x = rng.uniform(-2.0, 2.0, 50)
    assert f.loss(x) == pytest.approx(rosen(x), rel=1e-14)
    np.testing.assert_allclose(f.grad(x), rosen_der(x), rtol=1e-13)
    np.testing.assert_allclose(f.hessian(x), rosen_hess(x), rtol=1e-13)
    v = rng.standard_normal(50)
    np.testing.assert_allclose(f.hvp(x, v), rosen_hess(x) @ v, rtol=1e-12, atol=1e-12)
    two = ExtendedRosenbrock(2)
    assert two.loss([0.3, -0.7]) == Rosenbrock().loss([0.3, -0.7])


def test_extended_rosenbrock_minimum_and_start():
    f = ExtendedRosenbrock(5)
    np.testing.assert_array_equal(f.standard_start(), [-1.2, 1.0, -1.2, 1.0, -1.2])
    assert f.min_value == f.loss(f.minima[0]) == 0.0
    np.testing.assert_array_equal(f.grad(f.minima[0]), np.zeros(5))
    assert np.linalg.eigvalsh(f.hessian(f.minima[0])).min() > 0
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        ExtendedRosenbrock(1)
    with pytest.raises(ValueError, match=r"theta has shape \(4,\)"):
        f.loss(np.ones(4))
