"""Momentum (Algorithm 8.2) and Nesterov momentum (Algorithm 8.3) against the theory."""

import dataclasses
import math

import numpy as np
import pytest

from course_lib import minimize, rates
from course_lib.objectives import FunctionObjective, Quadratic
from course_lib.optim import SGD, Momentum, MomentumState, Nesterov, NesterovState
from course_lib.run import Oracle
from course_lib.schedules import nesterov_alpha, ramp

BOWL = Quadratic((1.0, 10.0))           # J = ½(θ₁² + 10 θ₂²), ∇J = (θ₁, 10 θ₂)


class Probe:
    """An oracle that records every point the optimizer asks a gradient at."""

    def __init__(self, objective):
        self.objective, self.points = objective, []

    def grad(self, theta):
        self.points.append(np.array(theta, dtype=float))
        return self.objective.grad(theta)


def run_steps(optimizer, theta0, n, oracle):
    theta, state = np.array(theta0, dtype=float), optimizer.init(theta0)
    thetas, vs = [], []
    for _ in range(n):
        theta, state = optimizer.step(theta, state, oracle)
        thetas.append(theta)
        vs.append(np.array(state.v))
    return np.array(thetas), np.array(vs), state


def linear(g):
    """J(θ) = gᵀθ: the constant gradient g everywhere."""
    g = np.asarray(g, dtype=float)
    return FunctionObjective(lambda th: float(g @ th), lambda th: g.copy(), dim=g.size,
                             name="linear")


def tuned_momentum(q):
    """The heavy-ball optimum: ε = (2/(√L + √μ))², α = ((√κ − 1)/(√κ + 1))²."""
    L, mu = q.lam_max, q.lam_min
    root_kappa = math.sqrt(L / mu)
    return Momentum(lr=(2 / (math.sqrt(L) + math.sqrt(mu))) ** 2,
                    alpha=((root_kappa - 1) / (root_kappa + 1)) ** 2)


# --- the update rules, by hand --------------------------------------------------------------
def test_momentum_three_steps_by_hand():
    # v ← 0.9v − 0.1g, θ ← θ + v from θ = (1, 1), v = 0:
    #   g = (1, 10)      v = (−0.1, −1)       θ = (0.9, 0)
    #   g = (0.9, 0)     v = (−0.18, −0.9)    θ = (0.72, −0.9)
    #   g = (0.72, −9)   v = (−0.234, 0.09)   θ = (0.486, −0.81)
    thetas, vs, state = run_steps(Momentum(lr=0.1, alpha=0.9), [1.0, 1.0], 3, Oracle(BOWL))
    np.testing.assert_allclose(thetas, [[0.9, 0.0], [0.72, -0.9], [0.486, -0.81]], atol=1e-14)
    np.testing.assert_allclose(vs, [[-0.1, -1.0], [-0.18, -0.9], [-0.234, 0.09]], atol=1e-14)
    assert isinstance(state, MomentumState) and state.k == 3


def test_nesterov_three_steps_by_hand_and_where_it_asks_for_gradients():
    # θ̃ ← θ + 0.9v, g ← ∇J(θ̃), v ← 0.9v − 0.1g, θ ← θ + v from θ = (1, 1), v = 0:
    #   θ̃ = (1, 1)          g = (1, 10)        v = (−0.1, −1)        θ = (0.9, 0)
    #   θ̃ = (0.81, −0.9)    g = (0.81, −9)     v = (−0.171, 0)       θ = (0.729, 0)
    #   θ̃ = (0.5751, 0)     g = (0.5751, 0)    v = (−0.21141, 0)     θ = (0.51759, 0)
    probe = Probe(BOWL)
    thetas, vs, state = run_steps(Nesterov(lr=0.1, alpha=0.9), [1.0, 1.0], 3, probe)
    np.testing.assert_allclose(probe.points, [[1.0, 1.0], [0.81, -0.9], [0.5751, 0.0]],
                               atol=1e-14)
    np.testing.assert_allclose(thetas, [[0.9, 0.0], [0.729, 0.0], [0.51759, 0.0]], atol=1e-14)
    np.testing.assert_allclose(vs, [[-0.1, -1.0], [-0.171, 0.0], [-0.21141, 0.0]], atol=1e-14)
    assert isinstance(state, NesterovState) and state.k == 3


@pytest.mark.parametrize("make", [Momentum, Nesterov])
def test_nesterov_asks_at_theta_plus_alpha_v_momentum_at_theta(make):
    probe = Probe(BOWL)
    optimizer = make(lr=0.05, alpha=0.7)
    theta, state = np.array([0.3, -0.4]), optimizer.init([0.3, -0.4])
    for _ in range(5):
        before = len(probe.points)
        new_theta, new_state = optimizer.step(theta, state, probe)
        assert len(probe.points) == before + 1                    # one gradient per step
        expected = theta + 0.7 * state.v if make is Nesterov else theta
        np.testing.assert_allclose(probe.points[-1], expected, atol=1e-15)
        theta, state = new_theta, new_state


@pytest.mark.parametrize("make", [Momentum, Nesterov])
def test_steps_are_pure_and_states_read_only(make):
    optimizer = make(lr=0.1, alpha=0.9)
    theta = np.array([1.0, 1.0])
    theta.setflags(write=False)                 # writing into θ would raise
    state = optimizer.init(theta)
    assert np.all(state.v == 0) and state.k == 0 and not state.v.flags.writeable
    new_theta, new_state = optimizer.step(theta, state, Oracle(BOWL))
    again_theta, again_state = optimizer.step(theta, state, Oracle(BOWL))
    np.testing.assert_array_equal(new_theta, again_theta)        # same inputs, same outputs
    np.testing.assert_array_equal(state.v, [0.0, 0.0])            # the old state is untouched
    np.testing.assert_array_equal(theta, [1.0, 1.0])
    assert not new_state.v.flags.writeable and new_state.k == 1
    with pytest.raises(ValueError):
        new_state.v[0] = 3.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        new_state.k = 5
    # a second step from a read-only state works too
    optimizer.step(new_theta, new_state, Oracle(BOWL))


@pytest.mark.parametrize("make", [Momentum, Nesterov])
def test_alpha_zero_is_plain_gradient_descent(make):
    a = minimize(BOWL, make(lr=0.05, alpha=0.0), [1.0, -1.0], steps=20)
    b = minimize(BOWL, SGD(lr=0.05), [1.0, -1.0], steps=20)
    np.testing.assert_allclose(a.thetas, b.thetas, atol=1e-15)
    assert a.ngev == 20


def test_schedules_for_lr_and_alpha_are_used_step_by_step():
    alpha = ramp(0.5, 0.9, 4)                    # 0.6, 0.7, 0.8, 0.9, 0.9, ...
    optimizer = Momentum(lr=lambda k: 0.1 / k, alpha=alpha)
    f = linear([1.0])
    thetas, vs, _ = run_steps(optimizer, [0.0], 5, Oracle(f))
    v, expected = 0.0, []
    for k in range(1, 6):
        v = alpha(k) * v - 0.1 / k * 1.0
        expected.append(v)
    np.testing.assert_allclose(vs[:, 0], expected, rtol=1e-14)
    trace = minimize(f, optimizer, [0.0], steps=3)
    np.testing.assert_allclose(trace.lrs, [0.1, 0.05, 0.1 / 3])


# --- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [Momentum, Nesterov])
@pytest.mark.parametrize("kwargs, message", [
    (dict(alpha=1.0), r"alpha must be in \[0, 1\), got 1"),
    (dict(alpha=-0.1), r"alpha must be in \[0, 1\), got -0.1"),
    (dict(alpha=float("nan")), "alpha must be finite"),
    (dict(alpha="high"), r"alpha must be in \[0, 1\) or a schedule"),
    (dict(lr=0.0), "lr must be > 0, got 0"),
    (dict(lr=-1), "lr must be > 0, got -1"),
])
def test_bad_hyperparameters_name_the_parameter(make, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make(**kwargs)


@pytest.mark.parametrize("make", [Momentum, Nesterov])
def test_an_alpha_schedule_is_checked_when_it_is_called(make):
    optimizer = make(lr=0.1, alpha=lambda k: 0.5 if k < 3 else 1.0)   # fine until step 3
    theta, state = np.array([1.0, 1.0]), optimizer.init([1.0, 1.0])
    for _ in range(2):
        theta, state = optimizer.step(theta, state, Oracle(BOWL))
    with pytest.raises(ValueError, match=r"alpha schedule must give values in \[0, 1\)"):
        optimizer.step(theta, state, Oracle(BOWL))


# --- eq. 8.17: terminal velocity ------------------------------------------------------------
@pytest.mark.parametrize("make", [Momentum, Nesterov])
@pytest.mark.parametrize("alpha, factor", [(0.9, 10.0), (0.99, 100.0)])
def test_terminal_velocity_under_a_constant_gradient(make, alpha, factor):
    g = np.array([3.0, 4.0])                     # ‖g‖ = 5
    eps = 0.01
    steps = math.ceil(math.log(1e-7) / math.log(alpha))   # α^k ≤ 1e-7: the transient is gone
    trace = minimize(linear(g), make(lr=eps, alpha=alpha), [0.0, 0.0], steps=steps,
                     blowup=None)
    step_sizes = np.linalg.norm(np.diff(trace.thetas, axis=0), axis=1)
    terminal = eps * np.linalg.norm(g) / (1 - alpha)      # ε‖g‖/(1 − α)
    assert terminal == pytest.approx(factor * eps * 5.0)   # 10× (α = 0.9), 100× (α = 0.99)
    assert step_sizes[-1] == pytest.approx(terminal, rel=1e-6)
    assert step_sizes[0] == pytest.approx(eps * 5.0)       # the first step is a gradient step
    assert np.all(np.diff(step_sizes) > 0)                 # it accelerates all the way
    # the exact transient: ‖v_k‖ = ε‖g‖ (1 − α^k)/(1 − α)
    k = np.arange(1, steps + 1)
    np.testing.assert_allclose(step_sizes, terminal * (1 - alpha ** k), rtol=1e-9)


# --- the tuned heavy ball: rate (√κ − 1)/(√κ + 1) ---------------------------------------------
def test_tuned_momentum_contracts_at_the_accelerated_rate():
    q = Quadratic.with_condition(100.0, angle=0.4)
    optimizer = tuned_momentum(q)
    theory = (10 - 1) / (10 + 1)                           # (√κ − 1)/(√κ + 1) = 9/11
    # One step is linear in (θ − θ*, v): v' = αv − εA(θ − θ*), θ' − θ* = (I − εA)(θ − θ*) + αv.
    # The spectral radius of that 4 × 4 matrix is the rate. At the tuned (ε, α) both
    # eigen-directions have a double eigenvalue of modulus √α, so the matrix is defective
    # and eigvals is only accurate to about √(machine ε).
    eps, alpha = optimizer.lr(1), optimizer.alpha(1)
    eye = np.eye(2)
    M = np.block([[eye - eps * q.A, alpha * eye], [-eps * q.A, alpha * eye]])
    radius = np.max(np.abs(np.linalg.eigvals(M)))
    assert math.sqrt(alpha) == pytest.approx(theory, rel=1e-14)
    assert radius == pytest.approx(theory, abs=1e-7)
    # Measured over many steps: ‖θ_k − θ*‖ ~ k r^k (the double eigenvalue adds the factor k),
    # so (‖θ_K‖/‖θ₀‖)^(1/K) approaches r from above, slowly.
    trace = minimize(q, optimizer, [1.0, -2.0], steps=1500)
    measured = rates.measured_rate(trace.thetas, q.center)
    print(f"tuned momentum, κ = 100: measured rate {measured:.4f}, theory {theory:.4f}")
    assert measured == pytest.approx(theory, rel=0.02)
    assert measured > theory
    # and it beats the best gradient descent, whose rate is (κ − 1)/(κ + 1) = 0.980
    assert measured < q.best_gd_rate


def test_steps_grow_like_root_kappa_for_tuned_momentum_and_like_kappa_for_gd():
    kappas = [10, 100, 1000]
    momentum = rates.steps_vs_condition(tuned_momentum, kappas, tol=1e-6)
    gd = rates.steps_vs_condition(lambda q: SGD(lr=q.best_gd_lr), kappas, tol=1e-6)
    table = "\n".join(f"κ = {m['kappa']:>6g}: momentum {m['steps']:>5}, GD {g['steps']:>5}"
                      for m, g in zip(momentum, gd, strict=True))
    print(table)
    m_ratio = momentum[2]["steps"] / momentum[0]["steps"]
    gd_ratio = gd[2]["steps"] / gd[0]["steps"]
    assert m_ratio == pytest.approx(10.0, abs=2.0)         # √(1000/10) = 10
    assert gd_ratio == pytest.approx(100.0, rel=0.02)      # 1000/10 = 100
    for row in momentum:                                    # close to the predicted count
        root = math.sqrt(row["kappa"])
        predicted = rates.predicted_steps((root - 1) / (root + 1), 1e-6)
        assert predicted <= row["steps"] <= 1.5 * predicted


# --- Nesterov: O(1/k²) against gradient descent's O(1/k) on a convex problem -----------------
def test_nesterov_excess_error_falls_like_one_over_k_squared():
    # J(θ) = log(1 + e^(−θ)): the logistic loss of one separable example. Convex, smooth
    # (L = 1/4), J* = 0 but no minimizer (θ → ∞): not strongly convex. Gradient descent
    # with ε = 1/L drives e^θ up like εk, so J ≈ 1/(εk); Nesterov's α_k = (k − 1)/(k + 2)
    # drives it like k², so J ~ 1/k².
    f = FunctionObjective(lambda th: float(np.logaddexp(0.0, -th[0])),
                          lambda th: np.array([-1.0 / (1.0 + np.exp(th[0]))]), dim=1,
                          name="logistic")
    eps, steps = 4.0, 10_000
    k = np.arange(1, steps + 1)
    fit = (k >= 100)
    slopes = {}
    for name, optimizer in [("GD", SGD(lr=eps)), ("Nesterov", Nesterov(lr=eps,
                                                                        alpha=nesterov_alpha()))]:
        trace = minimize(f, optimizer, [0.0], steps=steps)
        excess = trace.losses[1:]                             # J − J*, J* = 0
        slopes[name] = np.polyfit(np.log(k[fit]), np.log(excess[fit]), 1)[0]
    print(f"slopes of log(J − J*) vs log k, k = 100..10⁴: GD {slopes['GD']:.3f}, "
          f"Nesterov {slopes['Nesterov']:.3f}")
    assert slopes["GD"] == pytest.approx(-1.0, abs=0.05)
    assert slopes["Nesterov"] == pytest.approx(-2.0, abs=0.05)


def test_nesterov_alpha_schedule_values():
    schedule = nesterov_alpha()
    np.testing.assert_allclose(schedule(np.arange(1, 5)), [0.0, 1 / 4, 2 / 5, 3 / 6])
    assert schedule(10**6) < 1


def test_reprs():
    assert repr(Momentum()) == "Momentum(lr=Constant(eps=0.01), alpha=Constant(alpha=0.9))"
    assert repr(Nesterov(lr=0.1, alpha=nesterov_alpha())) == (
        "Nesterov(lr=Constant(eps=0.1), alpha=NesterovAlpha())")
