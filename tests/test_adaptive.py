"""The adaptive-rate optimizers of section 8.5, against independent re-implementations of
ALGORITHMS.md and against the numbers the theory predicts."""

import numpy as np
import pytest

from course_lib import minimize, optim
from course_lib.data import linear_regression_data
from course_lib.objectives import FunctionObjective, LinearRegression, Quadratic, Rosenbrock
from course_lib.run import Oracle
from course_lib.schedules import inverse_time

ROTATED = Quadratic((1.0, 50.0), angle=0.6)        # rotated, condition number 50
START = {"rotated": (1.0, 1.5), "rosenbrock": (-1.5, 2.0)}
OBJECTIVES = {"rotated": ROTATED, "rosenbrock": Rosenbrock()}


# --- plain re-implementations of ALGORITHMS.md, section 8.5 ----------------------------------
def ref_adagrad(grad, theta, steps, eps, delta):
    theta, r, path = np.array(theta, float), 0.0, []
    for t in range(1, steps + 1):
        g = grad(theta, t)
        r = r + g ** 2
        theta = theta - eps(t) * g / (delta + np.sqrt(r))
        path.append(theta)
    return np.array(path)


def ref_rmsprop(grad, theta, steps, eps, rho, delta):
    theta, r, path = np.array(theta, float), 0.0, []
    for t in range(1, steps + 1):
        g = grad(theta, t)
        r = rho * r + (1 - rho) * g ** 2
        theta = theta - eps(t) * g / np.sqrt(delta + r)
        path.append(theta)
    return np.array(path)


def ref_rmsprop_nesterov(grad, theta, steps, eps, rho, alpha, delta):
    theta, r, v, path = np.array(theta, float), 0.0, 0.0, []
    for t in range(1, steps + 1):
        g = grad(theta + alpha * v, t)
        r = rho * r + (1 - rho) * g ** 2
        v = alpha * v - eps(t) * g / np.sqrt(delta + r)
        theta = theta + v
        path.append(theta)
    return np.array(path)


def ref_adam(grad, theta, steps, eps, rho1, rho2, delta, correct=True):
    theta, s, r, path = np.array(theta, float), 0.0, 0.0, []
    for t in range(1, steps + 1):
        g = grad(theta, t)
        s = rho1 * s + (1 - rho1) * g
        r = rho2 * r + (1 - rho2) * g ** 2
        s_hat = s / (1 - rho1 ** t) if correct else s
        r_hat = r / (1 - rho2 ** t) if correct else r
        theta = theta - eps(t) * s_hat / (np.sqrt(r_hat) + delta)
        path.append(theta)
    return np.array(path)


def ref_adadelta(grad, theta, steps, eps, rho, delta):
    theta, r, s, path = np.array(theta, float), 0.0, 0.0, []
    for t in range(1, steps + 1):
        g = grad(theta, t)
        r = rho * r + (1 - rho) * g ** 2
        step = -eps(t) * np.sqrt(s + delta) / np.sqrt(r + delta) * g
        s = rho * s + (1 - rho) * step ** 2
        theta = theta + step
        path.append(theta)
    return np.array(path)


def ref_delta_bar_delta(grad, theta, steps, eps0, kappa, beta, phi):
    theta = np.array(theta, float)
    eps, bar, path = np.full(theta.shape, eps0), np.zeros(theta.shape), []
    for t in range(1, steps + 1):
        g = grad(theta, t)
        for i in range(len(theta)):                 # one parameter at a time, as in Jacobs
            if bar[i] * g[i] > 0:
                eps[i] = eps[i] + kappa
            elif bar[i] * g[i] < 0:
                eps[i] = (1 - beta) * eps[i]
        bar = (1 - phi) * g + phi * bar
        theta = theta - eps * g
        path.append(theta)
    return np.array(path)


def ref_vsgd(grad, curv, theta, steps, n0, tau0, fd_step=1e-4, h_min=1e-8):
    """vSGD-l; ``curv(theta, t, g, d)`` is the diagonal curvature on step t's minibatch."""
    theta = np.array(theta, float)
    n = len(theta)
    sums, path, last = np.zeros((3, n)), [], np.zeros(n)
    for t in range(1, steps + 1):
        g = grad(theta, t)
        d = np.array([last[i] if abs(last[i]) >= fd_step else fd_step for i in range(n)])
        h = np.maximum(np.abs(curv(theta, t, g, d)), h_min)
        if t <= n0:
            sums += [g, g ** 2, h]
            if t == n0:
                gb, vb, hb = sums / n0
                tau = np.full(n, float(tau0))
            path.append(theta)
            continue
        gb = (1 - 1 / tau) * gb + g / tau
        vb = (1 - 1 / tau) * vb + g ** 2 / tau
        hb = (1 - 1 / tau) * hb + h / tau
        rate = gb ** 2 / (hb * vb)
        tau = (1 - gb ** 2 / vb) * tau + 1
        last = -rate * g
        theta = theta + last
        path.append(theta)
    return np.array(path)


def full_batch(objective):
    return lambda theta, t: objective.grad(theta)


def constant(x):
    return lambda t: x


CASES = {
    "AdaGrad": (optim.AdaGrad(lr=0.3, delta=1e-7),
                lambda gr, th, n: ref_adagrad(gr, th, n, constant(0.3), 1e-7)),
    "AdaGrad, schedule": (optim.AdaGrad(lr=inverse_time(0.5, 50.0), delta=1e-7),
                          lambda gr, th, n: ref_adagrad(gr, th, n,
                                                        lambda t: 0.5 / (1 + t / 50), 1e-7)),
    "RMSProp": (optim.RMSProp(lr=0.002, rho=0.9, delta=1e-6),
                lambda gr, th, n: ref_rmsprop(gr, th, n, constant(0.002), 0.9, 1e-6)),
    "RMSPropNesterov": (optim.RMSPropNesterov(lr=0.0005, rho=0.9, alpha=0.5, delta=1e-6),
                        lambda gr, th, n: ref_rmsprop_nesterov(gr, th, n, constant(0.0005),
                                                               0.9, 0.5, 1e-6)),
    # δ = 0: Algorithm 8.6 exactly as the book writes it, v ← αv − ε/√r ⊙ g
    "RMSPropNesterov, δ = 0": (optim.RMSPropNesterov(lr=0.0005, rho=0.9, alpha=0.5, delta=0.0),
                               lambda gr, th, n: ref_rmsprop_nesterov(
                                   gr, th, n, constant(0.0005), 0.9, 0.5, 0.0)),
    "Adam": (optim.Adam(lr=0.02),
             lambda gr, th, n: ref_adam(gr, th, n, constant(0.02), 0.9, 0.999, 1e-8)),
    "Adam, no correction": (optim.Adam(lr=0.02, bias_correction=False),
                            lambda gr, th, n: ref_adam(gr, th, n, constant(0.02), 0.9, 0.999,
                                                       1e-8, correct=False)),
    "AdaDelta": (optim.AdaDelta(),
                 lambda gr, th, n: ref_adadelta(gr, th, n, constant(1.0), 0.95, 1e-6)),
    "AdaDelta, ε = 0.5": (optim.AdaDelta(lr=0.5, rho=0.99, delta=1e-6),
                          lambda gr, th, n: ref_adadelta(gr, th, n, constant(0.5), 0.99, 1e-6)),
    "DeltaBarDelta": (optim.DeltaBarDelta(lr=1e-3),
                      lambda gr, th, n: ref_delta_bar_delta(gr, th, n, 1e-3, 1e-6, 0.1, 0.7)),
}


# The rates are chosen so that no run reaches the limit cycle around the minimum that RMSProp
# and momentum fall into with a constant ε: there the path is chaotic, and two correct
# programs that round differently part ways after a few hundred steps.
def rel_diff(a, b):
    return np.max(np.linalg.norm(a - b, axis=1) / np.maximum(np.linalg.norm(b, axis=1), 1e-300))


@pytest.mark.parametrize("where", ["rotated", "rosenbrock"])
@pytest.mark.parametrize("name", list(CASES))
def test_trajectory_matches_an_independent_implementation(name, where):
    optimizer, reference = CASES[name]
    objective = OBJECTIVES[where]
    trace = minimize(objective, optimizer, START[where], 500)
    assert trace.stop_reason == "steps" and trace.n_steps == 500
    expected = reference(full_batch(objective), START[where], 500)
    assert rel_diff(trace.thetas[1:], expected) <= 1e-10
    assert trace.losses[-1] < trace.losses[0]              # and it did make progress


def noisy_regression(m=1000, seed=1):
    X, y, _ = linear_regression_data(m=m, n_features=3, noise=0.5, seed=seed,
                                     cov=np.diag([4.0, 1.0, 0.1]))
    return LinearRegression(X, y)


@pytest.mark.parametrize("curvature", ["auto", "fd"])
def test_vsgd_matches_an_independent_implementation_on_minibatches(curvature):
    objective = noisy_regression()
    trace = minimize(objective, optim.VSGD(curvature=curvature), np.zeros(3), 500,
                     batch_size=5, rng=3)
    batches = trace.batches

    def grad(theta, t):
        return objective.grad(theta, batches[t - 1])

    def curv(theta, t, g, d):
        if curvature == "auto":
            return np.diag(objective.hessian(theta, batches[t - 1]))
        return (objective.grad(theta + d, batches[t - 1]) - g) / d

    expected = ref_vsgd(grad, curv, np.zeros(3), 500, n0=10, tau0=10)
    assert rel_diff(trace.thetas[11:], expected[10:]) <= 1e-10
    assert np.all(trace.thetas[1:11] == 0)                 # the warm-up does not move θ
    assert trace.states[-1].exact is (curvature == "auto")
    # auto: one gradient and one Hessian per step; fd: two gradients per step
    assert (trace.ngev, trace.nhev) == ((500, 500) if curvature == "auto" else (1000, 0))


def test_vsgd_on_rosenbrock_matches_the_reference_with_its_exact_hessian():
    f = Rosenbrock()
    trace = minimize(f, optim.VSGD(warmup=3, tau0=2.0), (-1.5, 2.0), 500)
    expected = ref_vsgd(full_batch(f), lambda th, t, g, d: np.diag(f.hessian(th)),
                        (-1.5, 2.0), 500, n0=3, tau0=2.0)
    assert rel_diff(trace.thetas[1:], expected) <= 1e-10


def test_rmsprop_nesterov_without_momentum_is_rmsprop():
    a = minimize(ROTATED, optim.RMSPropNesterov(lr=0.01, alpha=0.0), START["rotated"], 300)
    b = minimize(ROTATED, optim.RMSProp(lr=0.01), START["rotated"], 300)
    np.testing.assert_array_equal(a.thetas, b.thetas)


# --- constant gradient: the numbers of the theory --------------------------------------------
G = np.array([3.0, -0.02])


def linear(scale=1.0):
    """J(θ) = gᵀθ: the same gradient g everywhere."""
    return FunctionObjective(lambda th: scale * G @ th, lambda th: scale * G, dim=2)


def test_adam_bias_corrected_moments_equal_g_under_a_constant_gradient():
    trace = minimize(linear(), optim.Adam(), np.zeros(2), 200)
    for state in trace.states:
        t = state.t
        np.testing.assert_allclose(state.s / (1 - 0.9 ** t), G, rtol=1e-12, atol=0)
        np.testing.assert_allclose(state.r / (1 - 0.999 ** t), G * G, rtol=1e-12, atol=0)
    steps = np.diff(trace.thetas, axis=0)
    # every step of every coordinate is −ε sign(g), less ε·δ/(|g| + δ) ≤ 5e-7 ε
    np.testing.assert_allclose(steps, np.tile(-0.001 * np.sign(G), (200, 1)), rtol=1e-6)
    np.testing.assert_allclose(steps[0], -0.001 * G / (np.abs(G) + 1e-8), rtol=1e-12)


def test_adam_without_bias_correction_first_step_is_316_eps():
    trace = minimize(linear(), optim.Adam(bias_correction=False), np.zeros(2), 1)
    factor = (1 - 0.9) / np.sqrt(1 - 0.999)
    assert factor == pytest.approx(3.16227766, rel=1e-8)
    # s = (1 − ρ₁)g, √r = √(1 − ρ₂)|g|: the step is ε(1 − ρ₁)g/(√(1 − ρ₂)|g| + δ)
    np.testing.assert_allclose(trace.thetas[1], -0.001 * 0.1 * G / (np.sqrt(0.001) * abs(G)
                                                                    + 1e-8), rtol=1e-12)
    # = 3.16 ε sign(g), less δ/(√(1 − ρ₂)|g|): 1e-7 for g = 3, 1.6e-5 for g = 0.02
    np.testing.assert_allclose(trace.thetas[1], -factor * 0.001 * np.sign(G), rtol=2e-5)
    assert trace.thetas[1, 0] == pytest.approx(-factor * 0.001, rel=2e-7)


def test_adam_is_invariant_to_rescaling_the_gradient():
    small, big = Quadratic((1.0, 10.0), angle=0.4), Quadratic((1e3, 1e4), angle=0.4)
    exact = optim.Adam(lr=0.01, delta=0.0)
    a, b = (minimize(f, exact, (1.0, 1.0), 500) for f in (small, big))
    np.testing.assert_allclose(b.thetas, a.thetas, rtol=1e-12, atol=1e-14)  # δ = 0: rounding
    # With δ > 0, J ×c turns the divisor √r̂ + δ into c(√r̂ + δ/c): one step differs by at most
    # ε|ŝ|·δ(1 − 1/c)/r̂. Summed over the run that bounds the gap; the factor 2 leaves room
    # for the (contracting) dynamics to carry earlier differences along.
    optimizer = optim.Adam(lr=0.01, delta=1e-8)
    a, b = (minimize(f, optimizer, (1.0, 1.0), 500) for f in (small, big))
    s_hat = np.array([st.s / (1 - 0.9 ** st.t) for st in a.states])
    r_hat = np.array([st.r / (1 - 0.999 ** st.t) for st in a.states])
    bound = np.sum(0.01 * np.abs(s_hat) * 1e-8 * (1 - 1e-3) / r_hat, axis=0)
    gap = np.max(np.abs(a.thetas - b.thetas), axis=0)
    assert np.all(gap > 0) and np.all(gap <= 2 * bound)
    assert np.all(bound < 1e-7)            # far below the 1e-2 steps the path is made of


def test_adagrad_steps_shrink_as_eps_over_sqrt_t():
    trace = minimize(linear(), optim.AdaGrad(lr=0.1, delta=0.0), np.zeros(2), 100)
    t = np.arange(1, 101)[:, None]
    np.testing.assert_allclose(np.diff(trace.thetas, axis=0), -0.1 * np.sign(G) / np.sqrt(t),
                               rtol=1e-12)


def test_rmsprop_effective_rate_tends_to_eps_over_abs_g():
    optimizer = optim.RMSProp(lr=0.01, rho=0.9, delta=1e-6)
    trace = minimize(linear(), optimizer, np.zeros(2), 300)
    rates = optim.effective_lrs(optimizer, trace)
    t = np.arange(1, 301)[:, None]
    np.testing.assert_allclose(rates, 0.01 / np.sqrt(1e-6 + (1 - 0.9 ** t) * G ** 2),
                               rtol=1e-12)
    # the limit ε/|g|, up to δ: relative gap δ/(2g²) = 1.25e-3 for g = 0.02
    np.testing.assert_allclose(rates[-1], 0.01 / np.abs(G), rtol=1.3e-3)
    assert rates[0, 0] == pytest.approx(0.01 / np.sqrt(1e-6 + 0.1 * 9.0), rel=1e-12)


# --- vSGD on a noisy problem, with no tuning ----------------------------------------------
def test_vsgd_matches_the_best_constant_sgd_rate_without_tuning():
    objective = noisy_regression(m=2000, seed=4)
    best_value = objective.min_value
    steps, batch = 3000, 5

    def excess(optimizer, seed):
        trace = minimize(objective, optimizer, np.zeros(3), steps, batch_size=batch,
                         rng=seed, warn=False)
        return trace.loss - best_value if trace.stop_reason == "steps" else np.inf

    rates = [0.003, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7]     # 2/λ_max = 0.503
    for seed in (0, 1):
        sgd = [excess(optim.SGD(lr), seed) for lr in rates]
        vsgd = excess(optim.VSGD(), seed)
        assert np.isfinite(min(sgd)) and np.isinf(sgd[-1])  # the grid spans too large
        assert vsgd <= 2 * min(sgd)              # within 2× of the best grid point's excess
        assert vsgd <= min(sgd) / 100            # measured: 370× and 620× smaller: it anneals


def test_vsgd_finite_difference_curvature_is_exact_on_a_diagonal_quadratic():
    bowl = Quadratic((2.0, 30.0, 0.5))
    trace = minimize(bowl, optim.VSGD(curvature="fd", warmup=2), (1.0, -1.0, 2.0), 20)
    for state in trace.states[1:]:
        np.testing.assert_allclose(state.h_bar, [2.0, 30.0, 0.5], rtol=1e-6)
    assert trace.states[-1].exact is False


def test_vsgd_falls_back_to_finite_differences_without_a_hessian():
    f = Rosenbrock()
    plain = FunctionObjective(f.loss, f.grad, dim=2)       # no hessian given
    trace = minimize(plain, optim.VSGD(), (-1.0, 1.5), 30)
    assert trace.states[-1].exact is False and trace.ngev == 60
    assert np.all(np.isfinite(trace.thetas))


# --- delta-bar-delta: per-parameter rates, and why it needs the full batch ---------------
def test_delta_bar_delta_grows_one_rate_and_shrinks_the_other():
    bowl = Quadratic((1.0, 100.0))                 # ε₀λ₂ = 1.5: the steep coordinate overshoots
    optimizer = optim.DeltaBarDelta(lr=0.015)
    trace = minimize(bowl, optimizer, (1.0, 1.0), 500)
    eps = np.array([state.eps for state in trace.states])
    # the shallow coordinate's gradient never changes sign: +κ on every step after the first
    assert eps[-1, 0] == pytest.approx(0.015 + 499 * 1.5e-5, rel=1e-12)
    # the steep one flips sign, so its rate is cut by 0.9 until ελ₂ < 1, and it stays below
    assert eps[:, 1].min() * 100 < 0.01 and eps[-1, 1] * 100 < 1.0
    assert trace.loss < 1e-8


def test_delta_bar_delta_rates_collapse_when_the_gradient_is_noisy():
    X, y, _ = linear_regression_data(m=1000, n_features=2, noise=0.5, seed=1,
                                     cov=np.diag([1.0, 0.05]))
    objective = LinearRegression(X, y)
    optimizer = optim.DeltaBarDelta(lr=0.5)
    full = minimize(objective, optimizer, np.zeros(2), 2000)
    noisy = minimize(objective, optimizer, np.zeros(2), 2000, batch_size=5, rng=0)
    assert np.all(full.states[-1].eps >= 0.5)       # full batch: rates only grew
    # minibatch noise flips the signs about half the time: each flip costs 10 %, each
    # agreement gains only ξ = 1e-3 ε₀ (Jacobs' κ), so the rates fall to about ξ/β = 1 % of ε₀
    assert np.all(noisy.states[-1].eps <= 0.02 * 0.5)
    assert full.loss - objective.min_value < 1e-12
    assert noisy.loss - objective.min_value > 1e-4


# --- effective_lr -----------------------------------------------------------------------------
def one_step(optimizer, theta=(1.0, 1.5), objective=ROTATED):
    theta = np.array(theta)
    state = optimizer.init(theta)
    new_theta, new_state = optimizer.step(theta, state, Oracle(objective))
    return theta, new_theta, new_state


def test_effective_lr_matches_the_hand_formulas():
    g = ROTATED.grad(np.array([1.0, 1.5]))
    eps = 0.01
    hand = {
        optim.SGD(eps): np.full(2, eps),
        optim.Momentum(eps): np.full(2, eps),
        optim.Nesterov(eps): np.full(2, eps),
        optim.AdaGrad(eps, delta=0.1): eps / (0.1 + np.abs(g)),
        optim.RMSProp(eps, rho=0.9, delta=0.1): eps / np.sqrt(0.1 + 0.1 * g * g),
        optim.Adam(eps, delta=0.1): eps / (np.abs(g) + 0.1),
        optim.Adam(eps, delta=0.1, bias_correction=False):
            eps / (np.sqrt(0.001) * np.abs(g) + 0.1),
        optim.AdaDelta(eps, rho=0.9, delta=0.1): eps * np.sqrt(0.1) / np.sqrt(0.1 * g * g + 0.1),
        optim.DeltaBarDelta(eps): np.full(2, eps),
    }
    for optimizer, expected in hand.items():
        theta, new_theta, state = one_step(optimizer)
        rate = optim.effective_lr(optimizer, state, theta)
        np.testing.assert_allclose(rate, expected, rtol=1e-12, err_msg=repr(optimizer))
        if not isinstance(optimizer, optim.Adam):          # the rate the step applied to g
            np.testing.assert_allclose(new_theta - theta, -rate * g, rtol=1e-12)


def test_effective_lr_of_rmsprop_nesterov_and_vsgd_is_what_the_step_used():
    optimizer = optim.RMSPropNesterov(0.01, alpha=0.5, delta=0.1)
    theta, new_theta, state = one_step(optimizer)
    g = ROTATED.grad(theta)                                 # v₀ = 0: θ̃ = θ
    np.testing.assert_allclose(optim.effective_lr(optimizer, state),
                               0.01 / np.sqrt(0.1 + 0.1 * g * g), rtol=1e-12)
    vsgd = optim.VSGD(warmup=1)
    trace = minimize(ROTATED, vsgd, (1.0, 1.5), 3)
    rates = optim.effective_lrs(vsgd, trace)
    np.testing.assert_array_equal(rates[0], 0.0)            # warm-up step: no move
    g = ROTATED.grad(trace.thetas[1])
    np.testing.assert_allclose(trace.thetas[2] - trace.thetas[1], -rates[1] * g, rtol=1e-12)
    s = trace.states[1]
    np.testing.assert_allclose(rates[1], s.g_bar ** 2 / (s.h_bar * s.v_bar), rtol=1e-12)


def test_adadelta_rate_is_the_one_the_step_used_not_the_next_one():
    optimizer = optim.AdaDelta(rho=0.9, delta=1e-4)
    trace = minimize(ROTATED, optimizer, (1.0, 1.5), 5)
    for k in range(1, 5):
        before, after = trace.states[k - 1], trace.states[k]
        g = ROTATED.grad(trace.thetas[k])
        expected = np.sqrt(before.s + 1e-4) / np.sqrt(after.r + 1e-4)
        np.testing.assert_allclose(optim.effective_lr(optimizer, after), expected, rtol=1e-12)
        np.testing.assert_allclose(trace.thetas[k + 1] - trace.thetas[k], -expected * g,
                                   rtol=1e-12)


def test_effective_lr_refuses_what_it_cannot_answer():
    class Other(optim.Optimizer):
        pass

    with pytest.raises(ValueError, match="does not know Other"):
        optim.effective_lr(Other(), optim.SGDState(k=1))
    with pytest.raises(ValueError, match="no step taken yet"):
        optim.effective_lr(optim.Adam(), optim.Adam().init(np.zeros(2)))
    with pytest.raises(ValueError, match="theta must be given for SGD"):
        optim.effective_lr(optim.SGD(0.1), optim.SGDState(k=1))
    with pytest.raises(ValueError, match="state must be a state of Adam"):
        optim.effective_lr(optim.Adam(), "not a state")


# --- validation, purity, δ = 0 --------------------------------------------------------------
@pytest.mark.parametrize("make, message", [
    (lambda: optim.AdaGrad(lr=-0.1), "lr must be > 0"),
    (lambda: optim.AdaGrad(delta=-1e-7), "delta must be >= 0"),
    (lambda: optim.RMSProp(rho=1.0), r"rho must be in \[0, 1\), got 1"),
    (lambda: optim.RMSProp(rho=-0.1), r"rho must be in \[0, 1\)"),
    (lambda: optim.RMSPropNesterov(alpha=1.0), r"alpha must be in \[0, 1\)"),
    (lambda: optim.Adam(rho1=1.0), r"rho1 must be in \[0, 1\)"),
    (lambda: optim.Adam(rho2=1.5), r"rho2 must be in \[0, 1\)"),
    (lambda: optim.Adam(delta="small"), "delta must be a real number"),
    (lambda: optim.Adam(bias_correction=1), "bias_correction must be True or False"),
    (lambda: optim.AdaDelta(delta=0.0), "delta must be > 0"),
    (lambda: optim.AdaDelta(lr=0), "lr must be > 0"),
    (lambda: optim.DeltaBarDelta(lr=lambda k: 0.1), "lr must be a real number"),
    (lambda: optim.DeltaBarDelta(increment=-1), "increment must be >= 0"),
    # the old keyword: κ now means only the condition number, and the message says so
    (lambda: optim.DeltaBarDelta(kappa=0.01),
     r"kappa is now called increment .*DeltaBarDelta\(increment=0.01\)"),
    (lambda: optim.DeltaBarDelta(beta=1.0), r"beta must be in \[0, 1\)"),
    (lambda: optim.DeltaBarDelta(phi=1.0), r"phi must be in \[0, 1\)"),
    (lambda: optim.VSGD(warmup=0), "warmup must be an integer >= 1"),
    (lambda: optim.VSGD(tau0=0.5), "tau0 must be >= 1"),
    (lambda: optim.VSGD(curvature="bbprop"), "curvature must be 'auto' or 'fd'"),
    (lambda: optim.VSGD(h_min=0), "h_min must be > 0"),
])
def test_bad_hyperparameters_are_refused_by_name(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_defaults_are_those_of_the_algorithms_sheet():
    assert (optim.AdaGrad().lr(1), optim.AdaGrad().delta) == (0.01, 1e-7)
    assert (optim.RMSProp().lr(1), optim.RMSProp().rho, optim.RMSProp().delta) == \
        (0.001, 0.9, 1e-6)
    adam = optim.Adam()
    assert (adam.lr(1), adam.rho1, adam.rho2, adam.delta, adam.bias_correction) == \
        (0.001, 0.9, 0.999, 1e-8, True)
    assert (optim.AdaDelta().lr(1), optim.AdaDelta().rho, optim.AdaDelta().delta) == \
        (1.0, 0.95, 1e-6)
    assert optim.RMSPropNesterov().alpha(1) == 0.9
    dbd = optim.DeltaBarDelta(lr=0.02)
    assert (dbd.increment, dbd.beta, dbd.phi) == (pytest.approx(2e-5), 0.1, 0.7)
    assert np.isnan(dbd.lr_at(1)) and np.isnan(optim.VSGD().lr_at(1))


ALL = [optim.AdaGrad(0.1), optim.RMSProp(0.01), optim.RMSPropNesterov(0.01), optim.Adam(0.01),
       optim.AdaDelta(), optim.DeltaBarDelta(0.01), optim.VSGD(warmup=1)]


@pytest.mark.parametrize("optimizer", ALL, ids=lambda o: type(o).__name__)
def test_steps_are_pure_and_states_read_only(optimizer):
    theta = np.array([1.0, 1.5])
    state = optimizer.init(theta)
    for _ in range(3):                              # past VSGD's warm-up
        theta_copy = theta.copy()
        copies = {k: np.copy(v) for k, v in vars(state).items() if isinstance(v, np.ndarray)}
        new_theta, new_state = optimizer.step(theta, state, Oracle(ROTATED))
        np.testing.assert_array_equal(theta, theta_copy)
        for name, value in copies.items():
            np.testing.assert_array_equal(getattr(state, name), value)
        arrays = [v for v in vars(new_state).values() if isinstance(v, np.ndarray)]
        assert arrays and all(not a.flags.writeable for a in arrays)
        with pytest.raises(AttributeError):
            new_state.t = 0                         # frozen dataclass
        theta, state = new_theta, new_state
    assert not np.array_equal(theta, [1.0, 1.5])


@pytest.mark.parametrize("optimizer", [optim.AdaGrad(0.1, delta=0.0),
                                       optim.RMSProp(0.01, delta=0.0),
                                       optim.RMSPropNesterov(0.01, delta=0.0),
                                       optim.Adam(0.01, delta=0.0)],
                         ids=lambda o: type(o).__name__)
def test_delta_zero_leaves_a_coordinate_with_zero_gradient_alone(optimizer):
    bowl = Quadratic((1.0, 10.0))                   # axis-aligned: θ₂ = 0 means g₂ = 0 forever
    trace = minimize(bowl, optimizer, (1.0, 0.0), 20)
    assert np.all(np.isfinite(trace.thetas)) and np.all(trace.thetas[:, 1] == 0)
    assert trace.thetas[-1, 0] < 1.0
