"""Newton's method (Algorithm 8.8), damped (eq. 8.28) and with a line search, against theory."""

import dataclasses

import numpy as np
import pytest

from course_lib import minimize
from course_lib.objectives import FunctionObjective, Quadratic, Rosenbrock, Saddle
from course_lib.optim import SGD, Newton, NewtonState
from course_lib.optim.second_order import newton_direction
from course_lib.run import Oracle


def random_spd_quadratic(n, seed):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return Quadratic(np.logspace(0, 3, n), Q=Q, center=rng.standard_normal(n))


# --- one step on a quadratic; quadratic convergence ------------------------------------------
@pytest.mark.parametrize("n, seed", [(2, 0), (5, 1), (10, 2)])
def test_one_step_lands_on_the_minimum_of_a_quadratic(n, seed):
    q = random_spd_quadratic(n, seed)                         # condition number 1000
    trace = minimize(q, Newton(), np.ones(n), 1)
    assert np.max(np.abs(trace.theta - q.center)) <= 1e-10
    assert trace.ngev == 1 and trace.nhev == 1 and trace.nfev == 0


def test_quadratic_convergence_on_rosenbrock():
    # From (1.2, 1.2) the error e_k = ‖θ_k − (1, 1)‖ is measured as
    # 0.28, 0.47, 3.7e-2, 1.3e-3, 3.3e-7, 9.7e-14, 0: e_{k+1}/e_k² stays below 1 while
    # e_{k+1}/e_k falls to 3e-7, and the correct digits roughly double: 1.4, 2.9, 6.5, 13.0.
    trace = minimize(Rosenbrock(), Newton(), [1.2, 1.2], 6)
    e = np.linalg.norm(trace.thetas - [1.0, 1.0], axis=1)
    assert e[-1] <= 1e-15
    e = e[e > 0]
    squared_ratio = e[2:] / e[1:-1] ** 2
    assert np.all(squared_ratio <= 1.0) and np.max(squared_ratio) > 0.5   # bounded, not 0
    linear_ratio = e[2:] / e[1:-1]
    assert np.all(np.diff(linear_ratio) < 0) and linear_ratio[-1] < 1e-6
    digits = -np.log10(e[2:])
    np.testing.assert_array_less(1.9, digits[1:] / digits[:-1])            # ≈ 2.0, 2.2, 2.0
    # gradient descent at its best rate is only linear there: a constant error ratio
    gd = minimize(Rosenbrock(), SGD(1e-3), [1.2, 1.2], 2000)
    gd_e = np.linalg.norm(gd.thetas - [1.0, 1.0], axis=1)
    assert gd_e[2000] / gd_e[1999] == pytest.approx(gd_e[1500] / gd_e[1499], rel=1e-3)
    assert gd_e[2000] / gd_e[1999] > 0.999


def test_newton_solves_rosenbrock_from_the_classic_start():
    trace = minimize(Rosenbrock(), Newton(), [-1.2, 1.0], 10, tol=1e-12)
    assert trace.stop_reason == "converged" and trace.n_steps == 7
    assert np.max(trace.losses[1:4] - trace.losses[:3]) > 0   # the plain step can go uphill


# --- saddles --------------------------------------------------------------------------------
@pytest.mark.parametrize("objective", [Saddle(), Quadratic((1.0, -1.0))])
def test_newton_jumps_to_a_saddle_while_gradient_descent_leaves_it(objective):
    theta0 = np.array([0.3, 0.2])
    newton = minimize(objective, Newton(), theta0, 1)
    assert np.linalg.norm(newton.theta) <= 1e-15              # onto the critical point
    gd = minimize(objective, SGD(0.1), theta0, 20, warn=False)
    distances = np.linalg.norm(gd.thetas, axis=1)
    assert distances[-1] > 3 * distances[0]                   # moves away
    # along the negative-curvature axis y grows by |1 + ε|λ_min|| per step
    curvature = 2.0 if isinstance(objective, Saddle) else 1.0
    np.testing.assert_allclose(gd.thetas[1:, 1] / gd.thetas[:-1, 1], 1 + 0.1 * curvature)


def test_armijo_newton_falls_back_to_minus_g_when_the_newton_step_climbs():
    # At (0.1, 0.5) on x² − y², Δθ = −H⁻¹g = −θ and gᵀΔθ = −2x² + 2y² = 0.48 > 0.
    saddle, theta = Saddle(), np.array([0.1, 0.5])
    g = saddle.grad(theta)
    assert g @ newton_direction(g, saddle.hessian(theta)) == pytest.approx(0.48)
    new, state = Newton(line_search="armijo").step(theta, NewtonState(), Oracle(saddle))
    assert state.fallbacks == 1 and state.eta > 0
    np.testing.assert_allclose(new, theta - state.eta * g, rtol=1e-15)   # along −g
    assert saddle.loss(new) < saddle.loss(theta)
    # from (0.5, 0.1) the Newton step descends, so it is taken, and lands on the saddle
    new, state = Newton(line_search="armijo").step([0.5, 0.1], NewtonState(), Oracle(saddle))
    assert state.fallbacks == 0 and state.eta == 1.0 and np.all(new == 0.0)


def test_armijo_newton_decreases_monotonically_on_rosenbrock():
    trace = minimize(Rosenbrock(), Newton(line_search="armijo"), [-1.2, 1.0], 40, tol=1e-12)
    assert trace.stop_reason == "converged" and trace.n_steps == 22   # measured
    assert np.all(np.diff(trace.losses) <= 0)
    etas = [s.eta for s in trace.states]
    assert min(etas) == 0.125 and etas[-5:] == [1.0] * 5      # full steps near the minimum


def test_singular_hessian():
    flat = Quadratic((1.0, 0.0))                               # H = diag(1, 0)
    with pytest.raises(np.linalg.LinAlgError, match="singular.*alpha > 0"):
        minimize(flat, Newton(), [1.0, 1.0], 1)
    damped = minimize(flat, Newton(alpha=0.5), [1.0, 1.0], 1)  # (H + αI)⁻¹g = (1/1.5, 0)
    np.testing.assert_allclose(damped.theta, [1.0 - 1.0 / 1.5, 1.0], rtol=1e-15)
    searched = minimize(flat, Newton(line_search="armijo"), [1.0, 1.0], 1)
    assert searched.states[0].fallbacks == 1 and searched.loss < 0.5


# --- damping (eq. 8.28) ---------------------------------------------------------------------
def test_damped_step_in_the_eigenbasis():
    q = Quadratic((1.0, 10.0), angle=0.3)
    theta = np.array([1.0, -2.0])
    g = q.grad(theta)
    for alpha in (0.0, 1.0, 100.0):
        step = newton_direction(g, q.hessian(theta), alpha)
        # each eigen-component of −g is divided by λᵢ + α
        np.testing.assert_allclose(q.Q.T @ step, -(q.Q.T @ g) / (q.eigenvalues + alpha),
                                   rtol=1e-13)


def test_large_damping_turns_newton_into_a_gradient_step():
    # α Δθ = −(I + H/α)⁻¹ g → −g, and α(αΔθ + g) → H g: the gap shrinks like 1/α.
    rosen, theta = Rosenbrock(), np.array([-1.2, 1.0])
    g, H = rosen.grad(theta), rosen.hessian(theta)
    gaps = []
    for alpha in (1e5, 1e6, 1e7, 1e8):
        scaled = alpha * newton_direction(g, H, alpha)
        gaps.append(np.linalg.norm(scaled + g) / np.linalg.norm(g))
        bound = 2 * np.linalg.norm(H, 2) / alpha
        np.testing.assert_allclose(alpha * (scaled + g), H @ g, rtol=bound)
    np.testing.assert_allclose(np.array(gaps[:-1]) / np.array(gaps[1:]), 10.0, rtol=0.02)
    assert gaps[-1] < 2e-5                                    # measured 1.5e-5 at α = 1e8


# --- contract -------------------------------------------------------------------------------
def test_step_is_pure_and_state_frozen():
    rosen = Rosenbrock()
    theta = np.array([-1.2, 1.0])
    theta.setflags(write=False)                                # mutation would raise
    state = NewtonState()
    for opt in (Newton(), Newton(alpha=1.0, line_search="armijo")):
        a, s1 = opt.step(theta, state, Oracle(rosen))
        b, s2 = opt.step(theta, state, Oracle(rosen))
        np.testing.assert_array_equal(a, b)
        assert s1 == s2 and s1.k == 1 and state.k == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.k = 3


def test_works_with_a_function_objective():
    f = FunctionObjective(lambda t: float(np.sum(np.cosh(t))), np.sinh,
                          dim=3, hessian=lambda t: np.diag(np.cosh(t)))
    trace = minimize(f, Newton(), [1.0, -0.5, 0.3], 8, tol=1e-14)
    assert trace.stop_reason == "converged" and np.max(np.abs(trace.theta)) <= 1e-14


def test_bad_hyperparameters_raise_clear_errors():
    with pytest.raises(ValueError, match="alpha must be >= 0, got -1"):
        Newton(alpha=-1.0)
    with pytest.raises(ValueError, match="line_search must be None or 'armijo', got 'wolfe'"):
        Newton(line_search="wolfe")
    with pytest.raises(ValueError, match=r"c must be in \(0, 1\), got 0"):
        Newton(line_search="armijo", c=0.0)
    with pytest.raises(ValueError, match=r"H has shape \(3, 3\), but g has shape \(2,\)"):
        newton_direction(np.ones(2), np.eye(3))
    with pytest.raises(ValueError, match="alpha must be >= 0"):
        newton_direction(np.ones(2), np.eye(2), alpha=-0.1)
