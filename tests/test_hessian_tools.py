"""Hessian tools (section 8.2): spectra, the kind of a critical point on functions whose
answer is known, locating critical points by minimizing ½‖∇J‖², and the second-order
change ½ε²gᵀHg − εgᵀg, which equals the actual change on a quadratic."""

import numpy as np
import pytest

from course_lib import gradcheck
from course_lib.data import sine_regression
from course_lib.hessian_tools import (
    GradientNormSquared,
    classify,
    classify_hessian,
    find_critical_point,
    hessian_matrix,
    largest_decreasing_lr,
    negative_fraction,
    predicted_change,
    second_order_terms,
    spectrum,
)
from course_lib.objectives import MLP, FunctionObjective, MonkeySaddle, Quadratic, Saddle
from course_lib.optim import LBFGS, SGD, Momentum
from course_lib.run import minimize


@pytest.mark.parametrize("lam, kind", [
    ((1.0, 2.0), "minimum"), ((-1.0, -3.0), "maximum"), ((2.0, -2.0), "saddle"),
    ((0.0, 0.0), "degenerate"), ((1.0, 0.0), "degenerate"), ((-1.0, 0.0), "degenerate"),
    ((1.0, 0.0, -1.0), "saddle"), ((1e-12, 1.0), "degenerate"), ((1e-6, 1.0), "minimum"),
])
def test_classify_eigenvalues(lam, kind):
    assert classify(lam) == kind


def test_classify_known_functions():
    assert classify(spectrum(Saddle(), [0.0, 0.0])) == "saddle"
    assert classify(spectrum(MonkeySaddle(), [0.0, 0.0])) == "degenerate"
    assert classify(spectrum(Quadratic((1.0, 3.0), angle=0.4), [0.0, 0.0])) == "minimum"
    maximum = FunctionObjective(lambda t: -t @ t, lambda t: -2 * t, 3,
                                hessian=lambda t: -2 * np.eye(3))
    assert classify(spectrum(maximum, np.zeros(3))) == "maximum"
    # x⁴ + y²: the Hessian diag(0, 2) is degenerate although the point is a minimum
    quartic = FunctionObjective(lambda t: t[0] ** 4 + t[1] ** 2,
                                lambda t: np.array([4 * t[0] ** 3, 2 * t[1]]), 2,
                                hessian=lambda t: np.diag([12 * t[0] ** 2, 2.0]))
    assert classify(spectrum(quartic, np.zeros(2))) == "degenerate"


def test_classify_rotated_hessian_not_by_its_diagonal():
    q = Quadratic((3.0, -1.0), angle=np.pi / 5)
    assert np.all(np.diag(q.A) > 0)            # the diagonal alone would say "minimum"
    assert classify_hessian(q.A) == "saddle"
    with pytest.raises(ValueError, match="square"):
        classify_hessian(np.ones((2, 3)))
    with pytest.raises(ValueError):
        classify([])


def test_negative_fraction():
    assert negative_fraction([-1.0, 2.0, 3.0, -4.0]) == 0.5
    assert negative_fraction([1.0, 2.0]) == 0.0


def test_hessian_from_hvp_matches_finite_differences():
    X, y = sine_regression(m=20, seed=0)
    net = MLP(X, y, hidden=(3,))
    theta = net.init_theta(rng=0)
    H = hessian_matrix(net, theta)
    np.testing.assert_allclose(H, H.T)
    numerical = gradcheck.numerical_hessian(net.grad, theta)
    np.testing.assert_allclose(H, numerical, atol=1e-6)


def test_gradient_norm_squared_gradient_is_H_g():
    q = Quadratic((2.0, -1.0, 0.5), center=[1.0, 0.0, -1.0])
    f = GradientNormSquared(q)
    theta = np.array([0.3, -0.7, 2.0])
    assert gradcheck.check_grad(f, theta)
    np.testing.assert_allclose(f.grad(theta), q.A @ (q.A @ (theta - q.center)))
    np.testing.assert_allclose(f.hvp(theta, [1.0, 0.0, 0.0]), q.A @ q.A @ [1.0, 0.0, 0.0])


def test_find_critical_point_finds_the_saddle_newton_style():
    cp = find_critical_point(Saddle(), [0.7, -0.4])
    assert cp.converged and cp.kind == "saddle" and cp.steps <= 3
    np.testing.assert_allclose(cp.theta, [0.0, 0.0], atol=1e-8)
    assert cp.index == 0.5


def test_find_critical_point_on_a_network_and_with_an_optimizer():
    X, y = sine_regression(m=30, noise=0.05, seed=0)
    net = MLP(X, y, hidden=(3,))
    cp = find_critical_point(net, net.init_theta(rng=3) * 2, steps=80, tol=1e-7)
    assert cp.converged and cp.grad_norm <= 1e-7
    assert np.linalg.norm(net.grad(cp.theta)) == pytest.approx(cp.grad_norm)
    q = Quadratic((1.0, -2.0), center=[0.5, 0.5])
    found = find_critical_point(q, [2.0, 1.0], optimizer=LBFGS(), steps=50, tol=1e-8)
    assert found.converged and found.kind == "saddle"
    np.testing.assert_allclose(found.theta, [0.5, 0.5], atol=1e-7)


def test_predicted_change_and_largest_lr():
    A = np.diag([1.0, 9.0])
    theta = np.array([3.0, 1.0])
    g = A @ theta
    # ε* = 2gᵀg/gᵀAg = 180/738
    assert largest_decreasing_lr(g, A @ g) == pytest.approx(180 / 738)
    q = Quadratic((1.0, 9.0))
    for lr in (0.05, 0.2, 180 / 738, 0.3):
        actual = q.loss(theta - lr * g) - q.loss(theta)
        assert predicted_change(g, A @ g, lr) == pytest.approx(actual, abs=1e-12)
    assert predicted_change(g, A @ g, 180 / 738) == pytest.approx(0.0, abs=1e-12)
    assert largest_decreasing_lr([1.0, 1.0], [-1.0, 0.0]) == np.inf


@pytest.mark.parametrize("optimizer", [SGD(lr=0.15), Momentum(lr=0.05, alpha=0.8)])
def test_second_order_terms_equal_actual_change_on_quadratics(optimizer):
    q = Quadratic((0.5, 3.0, 6.0), Q=np.linalg.qr(np.arange(9.0).reshape(3, 3) + np.eye(3))[0])
    trace = minimize(q, optimizer, [1.0, -2.0, 0.5], 25)
    terms = second_order_terms(q, trace)
    np.testing.assert_allclose(terms["predicted"], terms["actual"], rtol=1e-9, atol=1e-14)
    if isinstance(optimizer, SGD):
        g = np.array([q.grad(t) for t in trace.thetas[:-1]])
        np.testing.assert_allclose(terms["eps_gg"], 0.15 * np.sum(g * g, axis=1))
        gHg = np.einsum("ki,ij,kj->k", g, q.A, g)
        np.testing.assert_allclose(terms["second"], 0.5 * 0.15 ** 2 * gHg)


def test_second_order_terms_on_a_network_are_close_for_small_steps():
    X, y = sine_regression(m=30, seed=1)
    net = MLP(X, y, hidden=(4,))
    trace = minimize(net, SGD(lr=0.01), net.init_theta(rng=0), 10)
    terms = second_order_terms(net, trace)
    np.testing.assert_allclose(terms["predicted"], terms["actual"], rtol=1e-3)
