"""Polyak averaging and the exponential moving average around any optimizer (8.7.3)."""

import numpy as np
import pytest

from course_lib.objectives import LinearRegression, Quadratic
from course_lib.optim import SGD, Momentum
from course_lib.run import minimize
from course_lib.strategies.averaging import ExponentialAveraging, PolyakAveraging, averaged


def noisy_regression(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((400, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.5 * rng.standard_normal(400)
    f = LinearRegression(X, y)
    return f, f.solution()


def test_wrapped_optimizer_runs_as_it_would_alone():
    f, _ = noisy_regression()
    plain = minimize(f, Momentum(lr=0.01, alpha=0.9), np.zeros(3), 50, batch_size=8, rng=1)
    wrapped = minimize(f, PolyakAveraging(Momentum(lr=0.01, alpha=0.9)), np.zeros(3), 50,
                       batch_size=8, rng=1)
    np.testing.assert_array_equal(plain.thetas, wrapped.thetas)
    np.testing.assert_array_equal(plain.lrs, wrapped.lrs)


def test_polyak_average_is_the_mean_of_the_iterates():
    f, _ = noisy_regression()
    trace = minimize(f, PolyakAveraging(SGD(lr=0.05)), np.zeros(3), 40, batch_size=4, rng=2)
    hats = averaged(trace)
    assert hats.shape == trace.thetas.shape
    for t in (1, 7, 40):
        np.testing.assert_allclose(hats[t], trace.thetas[1:t + 1].mean(axis=0), rtol=1e-12)
    late = minimize(f, PolyakAveraging(SGD(lr=0.05), start=10), np.zeros(3), 40, batch_size=4,
                    rng=2)
    hats = averaged(late)
    np.testing.assert_allclose(hats[5], late.thetas[5])                  # before start: θ
    np.testing.assert_allclose(hats[40], late.thetas[11:41].mean(axis=0), rtol=1e-12)


def test_exponential_average_recursion():
    bowl = Quadratic((1.0, 3.0))
    trace = minimize(bowl, ExponentialAveraging(SGD(lr=0.1), alpha=0.8), [1.0, 1.0], 10)
    hats = averaged(trace)
    expected = trace.thetas[0].copy()
    for t in range(1, 11):
        expected = 0.8 * expected + 0.2 * trace.thetas[t]
        np.testing.assert_allclose(hats[t], expected, rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_polyak_average_is_closer_to_the_optimum_than_the_last_iterate(seed):
    # constant-rate SGD on a noisy quadratic stalls at its noise floor; the average of the
    # iterates after the transient is several times closer to the minimizer
    f, theta_star = noisy_regression(seed)
    trace = minimize(f, PolyakAveraging(SGD(lr=0.05), start=100), np.full(3, 4.0), 2000,
                     batch_size=1, rng=seed)
    last = np.linalg.norm(trace.theta - theta_star)
    mean = np.linalg.norm(averaged(trace)[-1] - theta_star)
    assert mean < 0.5 * last


def test_bad_inputs_name_the_parameter():
    with pytest.raises(ValueError, match="optimizer must have init and step"):
        PolyakAveraging(0.1)
    with pytest.raises(ValueError, match="alpha must be in"):
        ExponentialAveraging(SGD(lr=0.1), alpha=1.0)
    with pytest.raises(ValueError, match="start must be an integer"):
        PolyakAveraging(SGD(lr=0.1), start=-1)
    trace = minimize(Quadratic((1.0, 2.0)), SGD(lr=0.1), [1.0, 1.0], 3)
    with pytest.raises(ValueError, match="not AveragingStates"):
        averaged(trace)
