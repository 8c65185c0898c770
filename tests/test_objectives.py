"""Objectives: every hand-written derivative against finite differences, every known minimum
and closed form against the numbers, regression against numpy/scipy, and the data generators."""

import numpy as np
import pytest
from scipy.optimize import minimize as scipy_minimize

from course_lib import data, minimize
from course_lib.gradcheck import check_grad, check_hessian, check_hvp
from course_lib.objectives import (
    MLP,
    TEST_FUNCTIONS,
    Cliff,
    LinearRegression,
    LogisticRegression,
    MonkeySaddle,
    Quadratic,
    Rosenbrock,
    Saddle,
    StyblinskiTang,
    add_bias,
)
from course_lib.optim import SGD

# Every 2-D function, with default and with non-default parameters.
FUNCTIONS = {name: cls() for name, cls in TEST_FUNCTIONS.items()}
FUNCTIONS["rosenbrock a=-0.5 b=10"] = Rosenbrock(a=-0.5, b=10.0)
FUNCTIONS["cliff h=5 s=30 c=0.5"] = Cliff(height=5.0, steepness=30.0, wall=0.5)


def points_in_box(f, n=8, seed=0):
    xmin, xmax, ymin, ymax = f.box
    return np.random.default_rng(seed).uniform([xmin, ymin], [xmax, ymax], size=(n, 2))


# --- 2-D test functions ------------------------------------------------------------------
@pytest.mark.parametrize("name", FUNCTIONS)
def test_2d_gradient_and_hessian_match_finite_differences(name):
    f = FUNCTIONS[name]
    for theta in points_in_box(f):
        grad_check = check_grad(f, theta)
        assert grad_check.ok, f"{name} at {theta}: {grad_check}"
        hess_check = check_hessian(f, theta)
        assert hess_check.ok, f"{name} at {theta}: {hess_check}"
        np.testing.assert_allclose(f.hvp(theta, [0.3, -1.2]), f.hessian(theta) @ [0.3, -1.2])


@pytest.mark.parametrize("name", FUNCTIONS)
def test_2d_minima_are_critical_points_with_positive_definite_hessian(name):
    f = FUNCTIONS[name]
    assert f.minima.ndim == 2 and f.minima.shape[1] == 2
    assert f.dim == 2 and f.n_examples is None
    for theta in f.minima:
        scale = 1.0 + np.abs(f.hessian(theta)).max() * (1.0 + np.abs(theta).max())
        assert np.max(np.abs(f.grad(theta))) < 1e-13 * scale, (name, theta, f.grad(theta))
        assert np.linalg.eigvalsh(f.hessian(theta)).min() > 0, (name, theta)
    values = [f.loss(theta) for theta in f.minima]
    if hasattr(f, "minima_values"):
        np.testing.assert_allclose(values, f.minima_values, rtol=1e-13, atol=1e-14)
    if f.minima.size:
        # the first listed minimum is a global one, and nothing in the box lies below it
        np.testing.assert_allclose(values[0], f.min_value, rtol=1e-13, atol=1e-14)
        assert min(values) == pytest.approx(f.min_value, abs=1e-13)
        X, Y = np.meshgrid(np.linspace(*f.box[:2], 301), np.linspace(*f.box[2:], 301))
        assert f.loss_grid(X, Y).min() >= f.min_value - 1e-12


@pytest.mark.parametrize("name", FUNCTIONS)
def test_loss_grid_agrees_with_loss_pointwise(name):
    f = FUNCTIONS[name]
    X, Y = np.meshgrid(np.linspace(*f.box[:2], 7), np.linspace(*f.box[2:], 5))
    Z = f.loss_grid(X, Y)
    assert Z.shape == X.shape
    expected = [[f.loss([x, y]) for x, y in zip(row_x, row_y, strict=True)]
                for row_x, row_y in zip(X, Y, strict=True)]
    np.testing.assert_allclose(Z, expected, rtol=1e-13, atol=1e-13)
    with pytest.raises(ValueError, match="X and Y must have the same shape"):
        f.loss_grid(X, Y[:2])


def test_known_minimum_values_and_points():
    np.testing.assert_allclose(FUNCTIONS["six_hump_camel"].minima[:2],
                               [[0.0898, -0.7126], [-0.0898, 0.7126]], atol=1e-4)
    assert FUNCTIONS["six_hump_camel"].min_value == pytest.approx(-1.0316284535, abs=1e-10)
    st = StyblinskiTang()
    np.testing.assert_allclose(st.minima[0], [-2.903534, -2.903534], atol=1e-6)
    assert st.min_value == pytest.approx(-78.33233, abs=1e-5)
    # the minima come from the roots of the 1-D derivative 4t³ − 32t + 5
    roots = np.sort(np.roots([4.0, 0.0, -32.0, 5.0]).real)
    np.testing.assert_allclose([st.t_minus, st.t_plus], roots[[0, 2]], rtol=1e-14)
    assert len(FUNCTIONS["himmelblau"].minima) == 4
    with pytest.raises(ValueError, match="read-only"):   # shared by every instance
        FUNCTIONS["himmelblau"].minima[0, 0] = 0.0
    np.testing.assert_allclose(Rosenbrock(a=2.0).minima, [[2.0, 4.0]])
    # the Rosenbrock valley is badly conditioned at its minimum: κ ≈ 2508
    lam = np.linalg.eigvalsh(Rosenbrock().hessian([1.0, 1.0]))
    assert lam[1] / lam[0] == pytest.approx(2508.0, rel=1e-3)


def test_saddles_have_no_minima_and_the_expected_hessians():
    for f in (Saddle(), MonkeySaddle()):
        assert f.minima.shape == (0, 2) and f.min_value == -np.inf
        np.testing.assert_array_equal(f.grad(f.critical_points[0]), [0.0, 0.0])
    lam = np.linalg.eigvalsh(Saddle().hessian([0.0, 0.0]))
    assert lam[0] < 0 < lam[1]                           # mixed signs: a saddle
    np.testing.assert_array_equal(MonkeySaddle().hessian([0.0, 0.0]), np.zeros((2, 2)))


def test_the_cliff_has_a_steep_wall_and_a_gentle_valley():
    f = Cliff(height=10.0, steepness=10.0, wall=1.0)
    assert f.grad([1.0, 0.0])[0] == pytest.approx(10.0 * 10.0 / 4 + 0.5 * 1.0)
    assert np.linalg.norm(f.grad([-2.0, 1.0])) < 2.0
    # one gradient step taken on the wall throws θ far back: 25 units for ε = 1
    theta = np.array([1.0, 0.0]) - 1.0 * f.grad([1.0, 0.0])
    assert theta[0] < -20


@pytest.mark.parametrize("f", [Rosenbrock(), Cliff()], ids=["rosenbrock", "cliff"])
def test_2d_bad_theta_and_parameters_raise(f):
    with pytest.raises(ValueError, match="theta"):
        f.loss([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="theta"):
        f.grad("x")


def test_2d_bad_parameters_name_themselves():
    with pytest.raises(ValueError, match="b must be > 0, got -1"):
        Rosenbrock(b=-1.0)
    with pytest.raises(ValueError, match="height must be > 0"):
        Cliff(height=0.0)
    with pytest.raises(ValueError, match="steepness must be a real number"):
        Cliff(steepness="steep")


# --- the quadratic ------------------------------------------------------------------------
def test_quadratic_eigenvalues_condition_and_loss_grid():
    q = Quadratic((2.0, 50.0), angle=0.4, center=[1.0, -1.0])
    np.testing.assert_allclose(np.linalg.eigvalsh(q.A), [2.0, 50.0])
    assert q.condition_number == pytest.approx(25.0)
    assert Quadratic.with_condition(100.0).condition_number == pytest.approx(100.0)
    assert check_grad(q, [0.3, 0.2]).ok and check_hessian(q, [0.3, 0.2]).ok
    X, Y = np.meshgrid(np.linspace(-2, 3, 6), np.linspace(-3, 2, 4))
    expected = [[q.loss([x, y]) for x, y in zip(rx, ry, strict=True)]
                for rx, ry in zip(X, Y, strict=True)]
    np.testing.assert_allclose(q.loss_grid(X, Y), expected, rtol=1e-13, atol=1e-13)
    with pytest.raises(ValueError, match="2-D quadratic"):
        Quadratic((1.0, 2.0, 3.0)).loss_grid(X, Y)


@pytest.mark.parametrize("lr", [0.01, 0.05, 0.19])
def test_quadratic_gd_rate_matches_the_measured_contraction(lr):
    q = Quadratic((1.0, 10.0), angle=0.7)
    trace = minimize(q, SGD(lr=lr), [1.0, 1.0], steps=400)
    d = np.linalg.norm(trace.thetas - q.center, axis=1)
    assert d[-1] / d[-2] == pytest.approx(q.gd_rate(lr), rel=1e-6)


def test_quadratic_best_rate_is_reached_at_the_best_learning_rate():
    q = Quadratic((1.0, 10.0), angle=0.3)
    assert q.best_gd_rate == pytest.approx(9.0 / 11.0)
    assert q.gd_rate(q.best_gd_lr) == pytest.approx(q.best_gd_rate)
    trace = minimize(q, SGD(lr=q.best_gd_lr), [1.0, -2.0], steps=30)
    d = np.linalg.norm(trace.thetas, axis=1)
    # both eigen-components shrink by |1 − ελ| = 9/11 each step, so the norm does too
    np.testing.assert_allclose(d[1:] / d[:-1], 9.0 / 11.0, rtol=1e-9)


# --- linear regression --------------------------------------------------------------------
@pytest.fixture
def linear_data():
    X, y, theta_true = data.linear_regression_data(m=50, n_features=3, noise=0.3, seed=1)
    return add_bias(X), y, theta_true


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_linear_regression_derivatives_on_all_data_and_on_a_minibatch(linear_data, l2):
    X, y, _ = linear_data
    f = LinearRegression(X, y, l2=l2)
    assert f.dim == 4 and f.n_examples == 50
    theta = np.random.default_rng(2).standard_normal(4)
    for batch in (None, np.arange(0, 50, 3), [4, 4, 7]):
        assert check_grad(f, theta, batch).ok
        assert check_hessian(f, theta, batch).ok
    batch = np.array([1, 5, 9])
    residual = X[batch] @ theta - y[batch]
    expected = 0.5 * np.mean(residual ** 2) + 0.5 * l2 * theta @ theta
    assert f.loss(theta, batch) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("model", ["linear", "logistic"])
def test_minibatch_gradients_average_to_the_full_gradient(model):
    X, y = data.two_gaussians(m=47, seed=3, separation=1.5)
    X = add_bias(X)
    f = LinearRegression(X, y, l2=0.1) if model == "linear" else LogisticRegression(X, y, 0.1)
    theta = np.array([0.4, -0.2, 0.1])
    batches = np.array_split(np.random.default_rng(4).permutation(47), 5)   # sizes 10 and 9
    # each batch gradient is a mean over its batch: weight it by its size
    average = sum(len(b) * f.grad(theta, b) for b in batches) / 47
    np.testing.assert_allclose(average, f.grad(theta), rtol=1e-12)
    equal = np.array_split(np.arange(47)[:45], 5)                          # five of size 9
    np.testing.assert_allclose(np.mean([f.grad(theta, b) for b in equal], axis=0),
                               f.grad(theta, np.arange(45)), rtol=1e-12)


def test_linear_regression_solution_matches_lstsq_and_scipy(linear_data):
    X, y, _ = linear_data
    f = LinearRegression(X, y)
    np.testing.assert_allclose(f.solution(), np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-12)
    np.testing.assert_allclose(f.grad(f.solution()), 0.0, atol=1e-13)
    ridge = LinearRegression(X, y, l2=0.3)
    result = scipy_minimize(ridge.loss, np.zeros(4), jac=ridge.grad, method="BFGS",
                            options={"gtol": 1e-12})
    np.testing.assert_allclose(ridge.solution(), result.x, atol=1e-8)
    assert ridge.min_value == pytest.approx(result.fun, rel=1e-12)
    np.testing.assert_allclose(ridge.minima, ridge.solution()[None, :])


# --- logistic regression ------------------------------------------------------------------
@pytest.fixture
def logistic_data():
    X, y = data.two_gaussians(m=60, seed=5, separation=1.0)
    return add_bias(X), y


@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_logistic_loss_and_derivatives(logistic_data, l2):
    X, y = logistic_data
    f = LogisticRegression(X, y, l2=l2)
    theta = np.array([0.8, -0.5, 0.2])
    p = 1 / (1 + np.exp(-X @ theta))
    direct = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + 0.5 * l2 * theta @ theta
    assert f.loss(theta) == pytest.approx(direct, rel=1e-13)
    np.testing.assert_allclose(f.predict_proba(theta), p, rtol=1e-13)
    for batch in (None, np.arange(10, 40)):
        assert check_grad(f, theta, batch).ok
        assert check_hessian(f, theta, batch).ok


def test_logistic_loss_is_stable_for_huge_scores(logistic_data):
    X, y = logistic_data
    f = LogisticRegression(X, y)
    theta = np.array([1e4, -1e4, 0.0])
    assert np.isfinite(f.loss(theta)) and np.all(np.isfinite(f.grad(theta)))
    assert f.loss(theta) > 100                     # confident and often wrong: a large loss


def test_logistic_minimizer_matches_scipy_bfgs(logistic_data):
    X, y = logistic_data
    f = LogisticRegression(X, y, l2=0.01)
    result = scipy_minimize(f.loss, np.zeros(3), jac=f.grad, method="BFGS",
                            options={"gtol": 1e-10})
    theta = np.zeros(3)
    for _ in range(12):                             # Newton's method with our exact Hessian
        theta = theta - np.linalg.solve(f.hessian(theta), f.grad(theta))
    np.testing.assert_allclose(theta, result.x, atol=1e-5)
    assert np.max(np.abs(f.grad(theta))) < 1e-12


def test_zero_one_and_hinge_losses_on_a_hand_made_example():
    X = np.array([[1.0], [-1.0], [2.0], [0.5]])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    f = LogisticRegression(X, y)
    # scores z = (1, −1, 2, 0.5): only example 0 is on the right side
    assert f.zero_one_loss([1.0]) == pytest.approx(0.75)
    # margins ỹz = (1, −1, −2, −0.5) → hinge terms (0, 2, 3, 1.5)
    assert f.hinge_loss([1.0]) == pytest.approx(6.5 / 4)
    assert f.zero_one_loss([1.0], batch=[0, 1]) == pytest.approx(0.5)
    # both surrogates bound the 0-1 loss from above (the log-loss in base 2)
    for theta in ([1.0], [-0.3], [4.0]):
        assert f.hinge_loss(theta) >= f.zero_one_loss(theta)
        assert f.loss(theta) / np.log(2) >= f.zero_one_loss(theta)


def test_regression_bad_inputs_name_the_parameter():
    X, y = np.ones((5, 2)), np.zeros(5)
    with pytest.raises(ValueError, match=r"X has shape \(5, 2\), y has shape \(4,\)"):
        LinearRegression(X, y[:4])
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        LinearRegression(np.ones(5), y)
    with pytest.raises(ValueError, match="l2 must be >= 0, got -1"):
        LinearRegression(X, y, l2=-1.0)
    with pytest.raises(ValueError, match="y must hold labels 0 or 1"):
        LogisticRegression(X, [0, 1, 2, 0, 1])
    f = LinearRegression(X, y)
    with pytest.raises(ValueError, match=r"batch indices must be in \[0, 4\]"):
        f.loss([0.0, 0.0], batch=[1, 5])
    with pytest.raises(ValueError, match="batch must be None or a non-empty 1-D array"):
        f.grad([0.0, 0.0], batch=[0.5, 1.5])
    with pytest.raises(ValueError, match="theta"):
        f.grad([0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"X has shape \(3, 3\)"):
        LogisticRegression(X, y).predict_proba([0.0, 0.0], np.ones((3, 3)))


# --- the MLP ------------------------------------------------------------------------------
def relu_pre_activations(net, theta):
    a, pre = net.X, []
    for W, b in net.unpack(theta)[:-1]:
        pre.append(a @ W + b)
        a = np.maximum(pre[-1], 0.0)
    return np.concatenate([z.ravel() for z in pre])


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("loss", ["mse", "logistic"])
def test_mlp_gradient_matches_finite_differences(activation, loss):
    if loss == "mse":
        X, y = data.sine_regression(m=20, noise=0.1, seed=6)
    else:
        X, y = data.two_moons(m=20, noise=0.1, seed=6)
    net = MLP(X, y, hidden=(6, 5), activation=activation, loss=loss)
    theta = net.init_theta(rng=7)
    theta = theta + 0.1 * np.random.default_rng(8).standard_normal(net.dim)  # biases ≠ 0
    if activation == "relu":        # keep every unit away from its kink at 0
        assert np.abs(relu_pre_activations(net, theta)).min() > 1e-4
    for batch in (None, np.arange(3, 15)):
        result = check_grad(net, theta, batch, rtol=1e-6)
        assert result.ok, result


def test_mlp_with_several_outputs_and_no_hidden_layer():
    rng = np.random.default_rng(9)
    X, Y = rng.standard_normal((15, 3)), rng.standard_normal((15, 2))
    net = MLP(X, Y, hidden=(4,))
    assert net.dim == 3 * 4 + 4 + 4 * 2 + 2
    assert net.predict(net.init_theta(0)).shape == (15, 2)
    assert check_grad(net, net.init_theta(0) + 0.1).ok
    # no hidden layer: the MLP is linear regression
    linear = MLP(X, Y[:, 0], hidden=())
    theta = rng.standard_normal(4)
    reference = LinearRegression(add_bias(X), Y[:, 0])
    assert linear.loss(theta) == pytest.approx(reference.loss(theta), rel=1e-13)
    np.testing.assert_allclose(linear.grad(theta), reference.grad(theta), rtol=1e-12)


def test_mlp_default_hvp_matches_finite_differences_and_hessian_is_absent():
    X, y = data.xor_blobs(m=24, noise=0.3, seed=10)
    net = MLP(X, y, hidden=(5,), loss="logistic")
    theta = net.init_theta(11)
    v = np.random.default_rng(12).standard_normal(net.dim)
    result = check_hvp(net, theta, v, rtol=1e-5, atol=1e-7)
    assert result.ok, result
    with pytest.raises(NotImplementedError):
        net.hessian(theta)


def test_mlp_layout_pack_unpack_and_predict():
    X, y = data.two_moons(m=10, noise=0.1, seed=13)
    net = MLP(X, y, hidden=(3,), loss="logistic")
    theta = np.arange(net.dim, dtype=float)
    (W1, b1), (W2, b2) = net.unpack(theta)
    np.testing.assert_array_equal(W1, [[0, 1, 2], [3, 4, 5]])     # row by row, then biases
    np.testing.assert_array_equal(b1, [6, 7, 8])
    np.testing.assert_array_equal(W2.ravel(), [9, 10, 11])
    np.testing.assert_array_equal(b2, [12])
    np.testing.assert_array_equal(net.pack(net.unpack(theta)), theta)
    p = net.predict(0.01 * theta)
    assert p.shape == (10,) and np.all((p > 0) & (p < 1))
    expected = 1 / (1 + np.exp(-(np.tanh(X @ (0.01 * W1) + 0.01 * b1) @ (0.01 * W2)
                                 + 0.01 * b2)))
    np.testing.assert_allclose(p, expected[:, 0], rtol=1e-13)
    with pytest.raises(ValueError, match=r"layer 1: W has shape \(3, 2\)"):
        net.pack([(np.zeros((3, 2)), b1), (W2, b2)])


def test_glorot_initialization_bounds_and_zero_biases():
    X, y = data.sine_regression(m=5, seed=0)
    net = MLP(X, y, hidden=(50, 30))
    theta = net.init_theta(rng=14)
    np.testing.assert_array_equal(theta, net.init_theta(rng=14))
    for (W, b), (n_in, n_out) in zip(net.unpack(theta), net.shapes, strict=True):
        limit = np.sqrt(6.0 / (n_in + n_out))
        assert np.abs(W).max() <= limit
        assert np.abs(W).max() > 0.8 * limit            # the whole range is used
        assert np.all(b == 0)
    W2 = net.unpack(theta)[1][0]                         # variance of U(−l, l) is l²/3
    assert W2.var() == pytest.approx(6.0 / 80 / 3, rel=0.1)
    assert np.all(net.init_theta(method="zeros") == 0)


def test_mlp_training_reduces_the_loss():
    X, y = data.xor_blobs(m=40, noise=0.2, seed=15)
    net = MLP(X, y, hidden=(8,), loss="logistic")
    trace = minimize(net, SGD(lr=0.5), net.init_theta(16), steps=300)
    assert trace.losses[-1] < 0.5 * trace.losses[0]


def test_mlp_bad_inputs_name_the_parameter():
    X, y = data.sine_regression(m=5, seed=0)
    with pytest.raises(ValueError, match="activation must be 'tanh' or 'relu'"):
        MLP(X, y, activation="sigmoid")
    with pytest.raises(ValueError, match="loss must be 'mse' or 'logistic'"):
        MLP(X, y, loss="hinge")
    with pytest.raises(ValueError, match="hidden must be an integer >= 1"):
        MLP(X, y, hidden=(4, 0))
    with pytest.raises(ValueError, match="y must hold labels 0 or 1"):
        MLP(X, y, loss="logistic")
    with pytest.raises(ValueError, match="method must be 'glorot' or 'zeros'"):
        MLP(X, y).init_theta(0, method="he")
    with pytest.raises(ValueError, match="theta"):
        MLP(X, y).loss(np.zeros(3))


# --- data ---------------------------------------------------------------------------------
GENERATORS = {
    "linear": lambda seed: data.linear_regression_data(30, 3, 0.5, seed),
    "two_gaussians": lambda seed: data.two_gaussians(30, seed, 2.0),
    "two_moons": lambda seed: data.two_moons(30, 0.1, seed),
    "xor_blobs": lambda seed: data.xor_blobs(30, 0.3, seed),
    "sine": lambda seed: data.sine_regression(30, 0.1, seed),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_data_is_deterministic_given_the_seed(name):
    make = GENERATORS[name]
    first, again, other = make(0), make(0), make(1)
    for a, b, c in zip(first, again, other, strict=True):
        np.testing.assert_array_equal(a, b)
        assert a.shape == c.shape and not np.array_equal(a, c)
    np.testing.assert_array_equal(make(np.random.default_rng(3))[0], make(3)[0])
    X, y = first[0], first[1]
    assert X.ndim == 2 and X.shape[0] == 30 and y.shape == (30,)
    if name not in ("linear", "sine"):
        assert set(np.unique(y)) <= {0.0, 1.0} and 0 < y.sum() < 30


def test_true_risk_matches_a_monte_carlo_estimate():
    cov = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 0.3]])
    for sigma in (None, cov):
        X, y, theta_true = data.linear_regression_data(200_000, 3, 0.5, seed=17, cov=sigma)
        theta = theta_true + np.array([0.5, -0.3, 0.8])
        monte_carlo = 0.5 * np.mean((X @ theta - y) ** 2)
        exact = data.true_risk_linear(theta, theta_true, 0.5, sigma)
        assert monte_carlo == pytest.approx(exact, rel=0.01)
    # at θ_true only the noise floor is left
    assert data.true_risk_linear(theta_true, theta_true, 0.5) == pytest.approx(0.125)


def test_data_bad_inputs_name_the_parameter():
    with pytest.raises(ValueError, match="m must be an integer >= 1"):
        data.linear_regression_data(0)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        data.sine_regression(10, noise=-0.1)
    with pytest.raises(ValueError, match="seed must be an int or a numpy Generator"):
        data.two_moons(10, 0.1, seed="abc")
    with pytest.raises(ValueError, match="separation must be >= 0"):
        data.two_gaussians(10, 0, separation=-1.0)
    with pytest.raises(ValueError, match=r"cov has shape \(2, 2\)"):
        data.linear_regression_data(10, 3, cov=np.eye(2))
    with pytest.raises(ValueError, match="theta"):
        data.true_risk_linear([1.0, 2.0], [1.0, 2.0, 3.0], 0.5)


# --- the MLP's softmax loss, linear units and per-layer access (notebooks 05 and 08) ------
@pytest.mark.parametrize("activation", ["tanh", "relu", "linear"])
def test_mlp_softmax_gradient_matches_finite_differences(activation):
    rng = np.random.default_rng(21)
    X, y = rng.standard_normal((18, 4)), rng.integers(0, 3, size=18)
    net = MLP(X, y, hidden=(5, 4), activation=activation, loss="softmax")
    assert net.sizes == (4, 5, 4, 3) and net.n_classes == 3
    theta = net.init_theta(rng=22) + 0.1 * rng.standard_normal(net.dim)
    for batch in (None, np.arange(2, 11)):
        result = check_grad(net, theta, batch, rtol=1e-6)
        assert result.ok, result


def test_mlp_softmax_loss_probabilities_and_classes():
    rng = np.random.default_rng(23)
    X, y = rng.standard_normal((12, 3)), np.array([0, 1, 2, 3] * 3)
    net = MLP(X, y, hidden=(4,), loss="softmax", n_classes=5)
    assert net.sizes[-1] == 5
    theta = net.pack([(np.zeros((3, 4)), np.zeros(4)), (np.zeros((4, 5)), np.zeros(5))])
    assert net.loss(theta) == pytest.approx(np.log(5.0), rel=1e-14)   # uniform guess
    theta = net.init_theta(24)
    p = net.predict(theta)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    picked = p[np.arange(12), y]
    assert net.loss(theta) == pytest.approx(-np.mean(np.log(picked)), rel=1e-12)
    huge = net.loss(1e4 * theta)                       # log-sum-exp never overflows
    assert np.isfinite(huge)
    with pytest.raises(ValueError, match="integer class labels"):
        MLP(X, y + 0.5, loss="softmax")
    with pytest.raises(ValueError, match="n_classes = 3, but y holds the label 3"):
        MLP(X, y, loss="softmax", n_classes=3)


def test_mlp_linear_units_make_a_product_of_matrices():
    rng = np.random.default_rng(25)
    X, Y = rng.standard_normal((7, 3)), rng.standard_normal((7, 2))
    net = MLP(X, Y, hidden=(4, 4), activation="linear")
    theta = net.init_theta(26)
    (W1, _), (W2, _), (W3, _) = net.unpack(theta)                      # biases are zero
    np.testing.assert_allclose(net.predict(theta), X @ W1 @ W2 @ W3, rtol=1e-12)


def test_mlp_forward_and_backward_passes_expose_every_layer():
    X, y = data.two_moons(m=16, noise=0.1, seed=27)
    net = MLP(X, y, hidden=(5, 4), loss="logistic")
    theta = net.init_theta(28) + 0.05
    pre, act = net.forward_pass(theta)
    assert [a.shape for a in act] == [(16, 2), (16, 5), (16, 4), (16, 1)]
    np.testing.assert_allclose(act[1], np.tanh(pre[0]))
    np.testing.assert_array_equal(act[-1], pre[-1])                      # linear output
    back = net.backward_pass(theta)
    assert [d.shape for d in back["delta"]] == [(16, 5), (16, 4), (16, 1)]
    np.testing.assert_allclose(net.pack(back["grads"]), net.grad(theta))
    # δ⁽ˡ⁾ = ∂J/∂z⁽ˡ⁾: the bias gradient sums it over the examples, the weight gradient
    # weighs it by the layer's input
    for l, delta in enumerate(back["delta"]):
        np.testing.assert_allclose(back["grads"][l][1], delta.sum(axis=0), rtol=1e-12)
        np.testing.assert_allclose(back["grads"][l][0], act[l].T @ delta, rtol=1e-12)
    batch = np.arange(4, 9)
    assert net.forward_pass(theta, batch=batch)[1][0].shape == (5, 2)
    with pytest.raises(ValueError, match="expects 2 input features"):
        net.forward_pass(theta, X=np.zeros((3, 4)))
