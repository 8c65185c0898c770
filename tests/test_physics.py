"""The particle of eqs. 8.18–8.20 and its drag laws (section 8.3.2)."""

import numpy as np
import pytest

from course_lib import minimize
from course_lib.objectives import FunctionObjective, Quadratic
from course_lib.optim import Momentum
from course_lib.physics import (
    ParticlePath,
    drag_force,
    momentum_hyperparameters,
    particle_parameters,
    simulate,
)

BOWL = Quadratic((1.0, 10.0), angle=0.3)
FLAT = FunctionObjective(lambda th: 0.0, lambda th: np.zeros(2), dim=2, name="flat")


# --- momentum is Euler's method with viscous drag -----------------------------------------------
@pytest.mark.parametrize("c, dt", [(2.0, 0.05), (0.5, 0.2), (10.0, 0.1)])
def test_momentum_is_the_euler_discretization_of_viscous_drag(c, dt):
    eps, alpha = momentum_hyperparameters(c, dt)
    assert (eps, alpha) == pytest.approx((dt ** 2, 1 - c * dt))
    path = simulate(BOWL, [1.0, -2.0], drag="viscous", c=c, dt=dt, steps=200)
    trace = minimize(BOWL, Momentum(lr=eps, alpha=alpha), [1.0, -2.0], steps=200)
    np.testing.assert_allclose(path.positions, trace.thetas, rtol=0, atol=1e-13)
    # momentum's v is a displacement per step: dt times the particle's velocity
    momentum_v = np.array([state.v for state in trace.states])
    np.testing.assert_allclose(dt * path.velocities[1:], momentum_v, rtol=0, atol=1e-13)


def test_particle_parameters_invert_the_mapping():
    c, dt = particle_parameters(lr=0.01, alpha=0.9)
    assert (c, dt) == pytest.approx((1.0, 0.1))                 # dt = √ε, c = (1 − α)/√ε
    assert momentum_hyperparameters(c, dt) == pytest.approx((0.01, 0.9))


def test_explicit_euler_is_not_momentum():
    eps, alpha = momentum_hyperparameters(2.0, 0.05)
    path = simulate(BOWL, [1.0, -2.0], c=2.0, dt=0.05, steps=50, scheme="explicit")
    trace = minimize(BOWL, Momentum(lr=eps, alpha=alpha), [1.0, -2.0], steps=50)
    np.testing.assert_array_equal(path.positions[1], [1.0, -2.0])   # moved with v(0) = 0
    assert np.max(np.abs(path.positions - trace.thetas)) > 1e-3


# --- the three drags of the book ---------------------------------------------------------------
def test_viscous_drag_settles_at_the_minimum():
    path = simulate(BOWL, [1.0, -2.0], v0=[3.0, 0.0], drag="viscous", c=1.0, dt=0.05,
                    steps=2000)
    assert np.linalg.norm(path.position) < 1e-12
    assert np.linalg.norm(path.velocity) < 1e-12
    assert path.energies[-1] < 1e-20 < path.energies[0]
    assert isinstance(path, ParticlePath)
    assert path.times[-1] == pytest.approx(100.0) and path.positions.shape == (2001, 2)


def test_turbulent_drag_on_a_flat_region_drifts_away_like_log_t():
    # v' = −c‖v‖v alone: ‖v(t)‖ = s₀/(1 + c s₀ t), distance = ln(1 + c s₀ t)/c, which grows
    # without bound, like (1/c) log t.
    c = 0.5
    path = simulate(FLAT, [0.0, 0.0], v0=[3.0, 4.0], drag="turbulent", c=c, dt=0.05,
                    steps=20_000)
    late = path.times >= 100.0
    x, d = np.log(path.times[late]), path.distances[late]
    slope, intercept = np.polyfit(x, d, 1)
    r2 = 1 - np.var(d - (slope * x + intercept)) / np.var(d)
    print(f"turbulent drag, c = {c}: slope of distance vs log t = {slope:.4f} "
          f"(1/c = {1 / c}), R² = {r2:.7f}")
    assert slope == pytest.approx(1 / c, rel=0.01)
    assert r2 > 0.99
    exact = np.log(1 + c * 5.0 * path.times[-1]) / c
    assert path.distances[-1] == pytest.approx(exact, rel=0.05)
    assert np.all(np.diff(path.distances) > 0)                # it never stops
    # the direction of motion never changes
    direction = path.positions[-1] / np.linalg.norm(path.positions[-1])
    np.testing.assert_allclose(direction, [0.6, 0.8], atol=1e-12)


def test_dry_friction_stops_the_particle_before_the_minimum():
    # J = 0.05 θ² (slope 0.1 θ), friction c = 0.2. Released at rest from θ = 5 (slope 0.5 > c)
    # it slides while friction pushes back: a half oscillation about θ = c/0.1 = 2, from 5
    # to −1. There the slope is 0.1 < c: static friction holds it, short of θ* = 0.
    gentle = Quadratic((0.1,))
    c = 0.2
    path = simulate(gentle, [5.0], drag="dry", c=c, dt=0.01, steps=5000)
    moving = np.flatnonzero(path.velocities[:, 0] != 0)
    stop = moving[-1] + 1                                      # at rest from here on, exactly
    assert 0 < stop < 2000
    assert np.all(path.velocities[stop:] == 0)                # no chattering around v = 0
    assert np.ptp(path.positions[stop:]) == 0                  # it stays put
    assert path.position[0] == pytest.approx(-1.0, abs=0.01)
    assert abs(gentle.grad(path.position)[0]) <= c             # where ‖∇J‖ ≤ c ...
    assert abs(path.position[0]) > 0.5                         # ... not at the minimum


def test_dry_friction_in_2d_stops_on_the_line_of_release():
    gentle = Quadratic((0.1, 0.1))
    path = simulate(gentle, [3.0, 4.0], drag="dry", c=0.2, dt=0.01, steps=5000)
    np.testing.assert_array_equal(path.velocity, [0.0, 0.0])
    np.testing.assert_allclose(path.position, [-0.6, -0.8], atol=0.01)   # |θ| = 1 past θ*
    assert np.linalg.norm(gentle.grad(path.position)) <= 0.2


def test_static_friction_holds_on_a_gentle_slope_and_not_on_a_steep_one():
    slope = FunctionObjective(lambda th: 0.3 * th[0], lambda th: np.array([0.3]), dim=1)
    held = simulate(slope, [0.0], drag="dry", c=0.5, dt=0.01, steps=100)
    assert np.all(held.positions == 0) and np.all(held.velocities == 0)
    slides = simulate(slope, [0.0], drag="dry", c=0.2, dt=0.01, steps=100)
    # net force 0.3 − 0.2 = 0.1 downhill: v(t) = −0.1 t
    assert slides.velocity[0] == pytest.approx(-0.1 * 1.0, rel=1e-9)


def test_without_drag_the_energy_is_nearly_conserved():
    path = simulate(BOWL, [1.0, -2.0], drag="none", dt=0.01, steps=5000)
    energies = path.energies
    assert np.ptp(energies) / energies[0] < 0.05              # symplectic Euler: bounded error
    explicit = simulate(BOWL, [1.0, -2.0], drag="none", dt=0.01, steps=5000, scheme="explicit")
    assert explicit.energies[-1] > 10 * explicit.energies[0]   # forward Euler gains energy


def test_drag_forces():
    v = np.array([3.0, 4.0])
    np.testing.assert_allclose(drag_force(v, "viscous", 2.0), [-6.0, -8.0])
    np.testing.assert_allclose(drag_force(v, "turbulent", 2.0), [-30.0, -40.0])
    np.testing.assert_allclose(drag_force(v, "dry", 2.0), [-1.2, -1.6])
    np.testing.assert_allclose(drag_force(np.zeros(2), "dry", 2.0), [0.0, 0.0])
    np.testing.assert_allclose(drag_force(v, "none", 2.0), [0.0, 0.0])


@pytest.mark.parametrize("kwargs, message", [
    (dict(drag="sticky"), "drag must be one of 'viscous', 'turbulent', 'dry', 'none'"),
    (dict(scheme="rk4"), "scheme must be one of"),
    (dict(c=-1.0), "c must be >= 0, got -1"),
    (dict(dt=0.0), "dt must be > 0, got 0"),
    (dict(steps=-3), "steps must be an integer >= 0"),
    (dict(theta0=[1.0]), r"theta0 has shape \(1,\)"),
    (dict(v0=[1.0, 2.0, 3.0]), r"v0 has shape \(3,\)"),
])
def test_simulate_rejects_bad_input(kwargs, message):
    args = dict(objective=BOWL, theta0=[1.0, 1.0])
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        simulate(**args)


@pytest.mark.parametrize("call, message", [
    (lambda: momentum_hyperparameters(20.0, 0.1), r"c\*dt must be in \(0, 1\], got 2"),
    (lambda: momentum_hyperparameters(0.0, 0.1), "c must be > 0"),
    (lambda: particle_parameters(0.01, 1.0), r"alpha must be in \[0, 1\), got 1"),
])
def test_mapping_rejects_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
