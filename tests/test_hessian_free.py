"""Hessian-free optimization (Martens 2010) against theory and against gradient descent."""

import dataclasses

import numpy as np
import pytest

from course_lib import data, minimize
from course_lib.objectives import MLP, Quadratic, Rosenbrock, Saddle
from course_lib.optim import SGD, HessianFree, HessianFreeState
from course_lib.optim.base import frozen
from course_lib.optim.second_order import truncated_cg, update_lambda
from course_lib.run import Oracle


class MiscurvedQuadratic(Quadratic):
    """A quadratic whose hvp reports s·A v instead of A v: a model that is wrong by s."""

    def __init__(self, s, **kwargs):
        super().__init__(**kwargs)
        self.s = s

    def hvp(self, theta, v, batch=None):
        return self.s * super().hvp(theta, v)


class Probe:
    """An oracle that records the vectors of every Hessian-vector product."""

    def __init__(self, objective):
        self.oracle, self.vectors = Oracle(objective), []

    def loss(self, theta):
        return self.oracle.loss(theta)

    def grad(self, theta):
        return self.oracle.grad(theta)

    def hvp(self, theta, v):
        self.vectors.append(np.array(v))
        return self.oracle.hvp(theta, v)


def spd(eigenvalues, seed):
    rng = np.random.default_rng(seed)
    n = len(eigenvalues)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return Q @ np.diag(eigenvalues) @ Q.T, rng.standard_normal(n)


# --- the λ rule and the reduction ratio -------------------------------------------------------
@pytest.mark.parametrize("rho, factor", [(-np.inf, 1.5), (np.nan, 1.5), (-3.0, 1.5), (0.0, 1.5),
                                         (0.2499, 1.5), (0.25, 1.0), (0.5, 1.0), (0.75, 1.0),
                                         (0.7501, 2 / 3), (1.0, 2 / 3), (7.0, 2 / 3)])
def test_update_lambda(rho, factor):
    assert update_lambda(2.0, rho) == pytest.approx(2.0 * factor, rel=1e-15)


@pytest.mark.parametrize("s, lam_factor, accepted", [
    (0.1, 1.5, False),          # the model is 10× too flat: J rises, ρ = −4.66
    (0.5, 1.5, True),           # ρ = 0.183: accepted, but damp more
    (0.6, 1.0, True),           # ρ = 0.463: λ kept
    (1.0, 2 / 3, True),         # the true curvature: ρ = 1.048 > 1 (damping shortens p)
])
def test_reduction_ratio_and_lambda_on_constructed_models(s, lam_factor, accepted):
    q = MiscurvedQuadratic(s, eigenvalues=(1.0, 10.0), angle=0.3)
    theta, lam = np.array([1.0, -2.0]), 0.5
    new, state = HessianFree(lam=lam).step(theta, HessianFreeState(lam=lam), Oracle(q))
    # the same numbers by hand: p = −(sA + λI)⁻¹g solves the 2-D model exactly (2 CG steps)
    g, B = q.grad(theta), s * q.A + lam * np.eye(2)
    p = -np.linalg.solve(B, g)
    rho = (q.loss(theta + p) - q.loss(theta)) / (g @ p + 0.5 * p @ B @ p)
    assert state.cg_iters == 2 and state.cg_stop == "converged"
    assert state.rho == pytest.approx(rho, rel=1e-12)
    assert state.lam == pytest.approx(lam * lam_factor, rel=1e-15)
    assert state.accepted is accepted
    np.testing.assert_allclose(new, theta + p if accepted else theta, rtol=1e-12)
    if s == 1.0:       # exact curvature: ρ = 1 + ½λ‖p‖²/|q(p)|, always > 1
        assert rho == pytest.approx(1 + 0.5 * lam * p @ p / -(g @ p + 0.5 * p @ B @ p))


def test_negative_curvature_stops_cg_and_raises_lambda():
    # x² − y² at (0.1, 0.5) with λ = 0.5: −g = (−0.2, 1) has (−g)ᵀ(H + λI)(−g) = −1.4 < 0.
    saddle, theta = Saddle(), np.array([0.1, 0.5])
    new, state = HessianFree(lam=0.5).step(theta, HessianFreeState(lam=0.5), Oracle(saddle))
    assert state.cg_stop == "negative curvature" and state.cg_iters == 0
    assert state.rho == -np.inf and not state.accepted and state.lam == 0.75
    np.testing.assert_array_equal(new, theta)
    # λ keeps growing until H + λI is positive definite (λ > 2); then J falls every step
    trace = minimize(saddle, HessianFree(lam=0.5), theta, 12)
    lams = [s.lam for s in trace.states]
    assert not any(s.accepted for s in trace.states[:4])              # λ = 0.5 … 1.69
    assert lams[3] == pytest.approx(0.5 * 1.5 ** 4) and trace.states[4].accepted  # λ = 2.53
    assert np.all(np.diff(trace.losses) <= 0) and trace.losses[-1] < -1.0
    assert abs(trace.theta[1]) > 5 * abs(theta[1])                     # it leaves the saddle


# --- truncated CG -----------------------------------------------------------------------------
def test_truncated_cg_solves_the_model_exactly_when_allowed():
    B, g = spd(np.linspace(1.0, 10.0, 6), seed=0)
    cg = truncated_cg(lambda v: B @ v, g, maxiter=50, tol=1e-12, progress=0.0)
    p_star = -np.linalg.solve(B, g)
    assert cg.stop == "converged" and cg.n_iter == 6 and cg.n_matvec == 6
    np.testing.assert_allclose(cg.p, p_star, rtol=1e-10)
    assert cg.q == pytest.approx(0.5 * g @ p_star, rel=1e-12)     # q* = −½gᵀB⁻¹g


def test_martens_progress_test_truncates_a_slow_cg():
    B, g = spd(np.logspace(0, 4, 200), seed=0)
    q_star = -0.5 * g @ np.linalg.solve(B, g)
    full = truncated_cg(lambda v: B @ v, g, maxiter=1000, tol=1e-12, progress=0.0)
    short = truncated_cg(lambda v: B @ v, g, maxiter=1000, tol=1e-12, progress=5e-4)
    assert full.stop == "converged" and full.n_iter == 784                 # measured
    assert short.stop == "progress" and short.n_iter == 97                 # 8× fewer products
    assert (short.q - q_star) / abs(q_star) < 0.01                         # within 0.7 % of q*
    capped = truncated_cg(lambda v: B @ v, g, maxiter=20, tol=1e-12)
    assert capped.stop == "maxiter" and capped.n_iter == 20 and capped.q < 0


def test_warm_start_uses_decayed_previous_solution_and_drops_a_bad_one():
    q = Quadratic((1.0, 4.0, 9.0, 16.0))
    theta = np.array([1.0, 1.0, 1.0, 1.0])
    previous = np.array([-0.5, -0.2, -0.1, -0.05])
    probe = Probe(q)
    opt = HessianFree(lam=1.0, decay=0.95)
    _, state = opt.step(theta, HessianFreeState(lam=1.0, p=frozen(previous)), probe)
    np.testing.assert_allclose(probe.vectors[0], 0.95 * previous, rtol=1e-15)   # r₀ = B p₀ + g
    assert state.nhev == state.cg_iters + 1
    # an uphill warm start (q(p₀) > 0) is dropped: the same step as a cold start, one H v more
    uphill = HessianFreeState(lam=1.0, p=frozen(q.grad(theta)))
    warm_theta, warm = opt.step(theta, uphill, Oracle(q))
    cold_theta, cold = opt.step(theta, HessianFreeState(lam=1.0), Oracle(q))
    np.testing.assert_array_equal(warm_theta, cold_theta)
    assert warm.nhev == cold.nhev + 1 and warm.cg_iters == cold.cg_iters


# --- convergence and cost against gradient descent -------------------------------------------
def reach(objective, optimizer, theta0, steps, done):
    return minimize(objective, optimizer, theta0, steps, warn=False,
                    callback=lambda k, theta, state: done(theta))


def test_hessian_free_beats_gradient_descent_on_rosenbrock():
    rosen, start = Rosenbrock(), [-1.2, 1.0]
    close = lambda theta: np.linalg.norm(theta - 1.0) <= 1e-6     # noqa: E731
    hf = reach(rosen, HessianFree(), start, 200, close)
    cost = hf.states[-1].grad_equivalents
    assert hf.stop_reason == "callback" and cost == 173 and hf.n_steps == 29   # measured
    assert (hf.ngev, hf.nhev, hf.nfev) == (hf.states[-1].ngev, hf.states[-1].nhev,
                                           hf.states[-1].nfev)
    # gradient descent, at any rate up to the stable limit, needs > 100× as many gradients
    # (measured: 19074 at ε = 1.8e-3, its best; 2e-3 no longer converges)
    for lr in (5e-4, 1e-3, 1.5e-3, 1.8e-3, 2e-3):
        gd = reach(rosen, SGD(lr), start, 100 * cost, close)
        assert gd.stop_reason != "callback"


def test_hessian_free_beats_gradient_descent_on_a_small_mlp():
    X, y = data.sine_regression(m=100, seed=0)
    net = MLP(X, y, hidden=(8,))                                   # 25 parameters
    theta0 = net.init_theta(rng=0)
    low = lambda theta: net.loss(theta) <= 0.006                   # noqa: E731
    hf = reach(net, HessianFree(), theta0, 200, low)
    last = hf.states[-1]
    assert hf.stop_reason == "callback" and last.grad_equivalents == 414       # measured
    # Counting a finite-difference H v as two gradients and a loss as one is harsher: 750.
    harsh = last.nfev + last.ngev + 2 * last.nhev
    assert harsh == 750
    # gradient descent at its best rate (ε = 0.5: 2815 steps; 0.7 diverges) needs > 5× more
    for lr in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        gd = reach(net, SGD(lr), theta0, max(5 * last.grad_equivalents, 2 * harsh), low)
        assert gd.stop_reason != "callback"


def test_minibatches_bind_every_product_of_a_step_to_its_batch():
    X, y = data.sine_regression(m=100, seed=1)
    net = MLP(X, y, hidden=(6,))
    theta0 = net.init_theta(rng=1)
    trace = minimize(net, HessianFree(), theta0, 15, batch_size=50, rng=0)
    assert trace.nexamples == 50 * (trace.nfev + trace.ngev + trace.nhev)
    assert trace.loss < 0.5 * trace.losses[0]


# --- contract ---------------------------------------------------------------------------------
def test_step_is_pure_and_state_frozen():
    rosen = Rosenbrock()
    theta = np.array([-1.2, 1.0])
    theta.setflags(write=False)
    opt = HessianFree()
    state = opt.init(theta)
    a, s1 = opt.step(theta, state, Oracle(rosen))
    b, s2 = opt.step(theta, state, Oracle(rosen))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(s1.p, s2.p)
    assert state.k == 0 and state.p is None and s1.k == 1 and not s1.p.flags.writeable
    with pytest.raises(dataclasses.FrozenInstanceError):
        s1.lam = 3.0
    zero, s0 = opt.step(np.array([1.0, 1.0]), state, Oracle(rosen))   # at the minimum: stay
    assert s0.cg_stop == "zero gradient" and np.all(zero == 1.0)


def test_bad_hyperparameters_raise_clear_errors():
    with pytest.raises(ValueError, match="lam must be > 0, got 0"):
        HessianFree(lam=0.0)
    with pytest.raises(ValueError, match="cg_iters must be an integer >= 1, got 0"):
        HessianFree(cg_iters=0)
    with pytest.raises(ValueError, match="cg_tol must be > 0"):
        HessianFree(cg_tol=-1e-3)
    with pytest.raises(ValueError, match=r"decay must be in \[0, 1\], got 1.5"):
        HessianFree(decay=1.5)
    with pytest.raises(ValueError, match="progress must be >= 0"):
        HessianFree(progress=-1.0)


# --- the Gauss–Newton curvature (course_lib.objectives.gauss_newton) ---------------------
def _outputs(net, theta):
    return net.forward_pass(theta)[1][-1]                      # z⁽ᴸ⁾, (m, k)


def _jacobian(net, theta, h=1e-6):
    """∂z/∂θ by central differences, (m, k, n)."""
    cols = []
    for e in np.eye(net.dim):
        cols.append((_outputs(net, theta + h * e) - _outputs(net, theta - h * e)) / (2 * h))
    return np.stack(cols, axis=-1)


def _net(loss, seed=0, m=30):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, 2))
    y = {"mse": np.sin(X[:, 0]) + 0.1 * rng.standard_normal(m),
         "logistic": (X[:, 0] * X[:, 1] > 0).astype(float),
         "softmax": (X[:, 0] > 0).astype(int) + (X[:, 1] > 0).astype(int)}[loss]
    net = MLP(X, y, hidden=(4,), loss=loss)
    return net, net.init_theta(rng=seed) + 0.3 * rng.standard_normal(net.dim)


@pytest.mark.parametrize("loss", ["mse", "logistic", "softmax"])
def test_gauss_newton_product_is_jt_hl_j_over_m(loss):
    from course_lib.objectives.gauss_newton import GaussNewton

    net, theta = _net(loss)
    gn = GaussNewton(net)
    J, z = _jacobian(net, theta), _outputs(net, theta)
    m, k = z.shape
    if loss == "mse":
        HL = np.broadcast_to(np.eye(k), (m, k, k))
    elif loss == "logistic":
        p = 1 / (1 + np.exp(-z))
        HL = (p * (1 - p))[:, :, None]
    else:
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        HL = np.stack([np.diag(pi) - np.outer(pi, pi) for pi in p])
    G = np.einsum("ikn,ikl,ilp->np", J, HL, J) / m
    v = np.random.default_rng(1).standard_normal(net.dim)
    np.testing.assert_allclose(gn.hvp(theta, v), G @ v, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(gn.jvp(theta, v), J @ v, rtol=1e-5, atol=1e-8)
    # the rest is the model's: the same loss and gradient
    assert gn.loss(theta) == net.loss(theta) and gn.dim == net.dim
    np.testing.assert_array_equal(gn.grad(theta), net.grad(theta))


def test_gauss_newton_is_positive_semidefinite_where_the_hessian_is_not():
    from course_lib.objectives.gauss_newton import GaussNewton

    net, theta = _net("mse", seed=3)
    G = GaussNewton(net).hessian(theta)
    H = np.column_stack([net.hvp(theta, e) for e in np.eye(net.dim)])
    H = (H + H.T) / 2
    assert np.allclose(G, G.T, atol=1e-12)
    assert np.linalg.eigvalsh(G).min() > -1e-12
    assert np.linalg.eigvalsh(H).min() < -1e-3           # the residual term's negative part


def test_gauss_newton_equals_the_hessian_at_a_perfect_fit():
    # with zero residuals the dropped term (weighted by ∂L/∂z = z − y) vanishes: G = H
    from course_lib.objectives.gauss_newton import GaussNewton

    net, theta = _net("mse", seed=2)
    fitted = MLP(net.X, _outputs(net, theta)[:, 0], hidden=(4,))
    v = np.random.default_rng(4).standard_normal(net.dim)
    np.testing.assert_allclose(GaussNewton(fitted).hvp(theta, v), fitted.hvp(theta, v),
                               rtol=1e-4, atol=1e-6)


def test_hessian_free_with_gauss_newton_never_meets_negative_curvature():
    from course_lib.objectives.gauss_newton import GaussNewton

    X, y = data.sine_regression(m=100, seed=0)
    net = MLP(X, y, hidden=(8,))
    theta0 = net.init_theta(rng=0)
    trace = minimize(GaussNewton(net), HessianFree(), theta0, 40)
    assert all(s.cg_stop != "negative curvature" for s in trace.states)
    assert np.all(np.diff(trace.losses) <= 0)              # accepted steps only lower J
    assert trace.loss < 0.5 * trace.losses[0]
    with pytest.raises(ValueError, match="model must be an MLP"):
        GaussNewton(Quadratic((1.0, 2.0)))
