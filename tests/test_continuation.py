"""The continuation driver: it tracks the blurred minimum to the global one where plain descent
from the same start does not, it fails where the blurred minimum drifts, and it counts."""

import numpy as np
import pytest

from course_lib.global_opt import landscapes
from course_lib.global_opt.continuation import (
    continuation,
    geometric_sigmas,
    linear_sigmas,
)
from course_lib.objectives import FunctionObjective
from course_lib.optim import SGD, Momentum
from course_lib.run import minimize

SCHEDULE = [3.0, 2.0, 1.5, 1.0, 0.7, 0.5, 0.3, 0.15, 0.0]


def test_continuation_reaches_the_global_minimum_where_descent_does_not():
    f = landscapes.course_function_1d()
    run = continuation(f, SCHEDULE, [-4.5], SGD(lr=0.05), 400)
    assert np.isclose(run.theta[0], f.minima[0, 0], atol=1e-4)
    assert np.isclose(run.loss, f.min_value, atol=1e-8)
    plain = minimize(f, SGD(lr=0.05), [-4.5], run.ngev)       # the same budget
    assert plain.theta[0] == pytest.approx(-3.84, abs=0.01)     # the first dip it meets
    assert plain.loss > f.min_value + 2.0


def test_continuation_fails_when_the_blurred_minimum_drifts():
    g = landscapes.drifting_function_1d()
    assert g.minima[0, 0] == pytest.approx(2.50, abs=0.01)
    for start in (-4.5, 0.0, 4.5):
        run = continuation(g, SCHEDULE, [start], SGD(lr=0.05), 400)
        assert run.theta[0] == pytest.approx(-1.58, abs=0.01)   # the broad well
        assert run.loss > g.min_value + 1.0


def test_two_d_schedule_within_the_budget():
    f = landscapes.ripple_well_2d()
    run = continuation(f, linear_sigmas(2.0, 5), landscapes.RIPPLE_START, SGD(lr=0.2), 40)
    assert run.ngev == 200 and run.ngev_target == 200
    assert np.linalg.norm(run.theta - f.minima[0]) < 1e-3
    too_fast = continuation(f, [0.5, 0.0], landscapes.RIPPLE_START, SGD(lr=0.2), 100)
    assert np.linalg.norm(too_fast.theta - f.minima[0]) > 1.0


def test_the_path_and_the_stages_are_recorded():
    f = landscapes.course_function_1d()
    run = continuation(f, [2.0, 1.0, 0.0], [-4.0], Momentum(lr=0.02, alpha=0.5), [10, 20, 30])
    assert run.path.shape == (61, 1) and run.stage_of_step.shape == (61,)
    assert np.array_equal(np.bincount(run.stage_of_step), [11, 20, 30])
    for i, trace in enumerate(run.traces):
        assert np.array_equal(run.stage_thetas[i + 1], trace.theta)
        assert np.array_equal(trace.thetas[0], run.stage_thetas[i])   # started at the last end
    assert run.ngev == 60 and run.nfev == 0
    assert np.array_equal(run.path[-1], run.theta)


def test_monte_carlo_smoothing_for_an_objective_without_a_closed_form():
    f = landscapes.course_function_1d()
    plain = FunctionObjective(f.loss, f.grad, 1)
    run = continuation(plain, SCHEDULE, [-4.5], SGD(lr=0.05), 150, n_samples=32, seed=0)
    assert np.isclose(run.theta[0], f.minima[0, 0], atol=1e-3)
    assert run.ngev == 9 * 150
    assert run.ngev_target == 8 * 150 * 32 + 150          # σ = 0 costs one gradient


def test_schedules():
    assert np.allclose(linear_sigmas(2.0, 5), [2.0, 1.5, 1.0, 0.5, 0.0])
    assert np.allclose(geometric_sigmas(1.0, 4), [1.0, 10 ** -0.5, 0.1, 0.0])
    assert np.allclose(geometric_sigmas(3.0, 2), [3.0, 0.0])
    with pytest.raises(ValueError, match="decrease strictly"):
        continuation(landscapes.course_function_1d(), [1.0, 1.0, 0.0], [0.0], SGD(lr=0.1), 5)
    with pytest.raises(ValueError, match=">= 0"):
        continuation(landscapes.course_function_1d(), [1.0, -1.0], [0.0], SGD(lr=0.1), 5)
    with pytest.raises(ValueError, match="sigma_min must be < sigma0"):
        geometric_sigmas(1.0, 3, sigma_min=2.0)
    with pytest.raises(ValueError, match="n_stages"):
        linear_sigmas(1.0, 1)


def test_local_minima_of_the_course_function():
    f = landscapes.course_function_1d()
    x, v = landscapes.local_minima_1d(f, f.box)
    assert len(x) == 8
    assert np.allclose(f.grads(x)[:, 0], 0.0, atol=1e-10)
    assert np.all(f.second(x) > 0)
    assert x[np.argmin(v)] == pytest.approx(2.23, abs=0.01)
