"""Simulated annealing: the Metropolis rule exactly, cooling schedules, the Boltzmann
distribution at a fixed temperature, and slow cooling beating fast cooling."""

import numpy as np
import pytest

from course_lib.global_opt import annealing as A
from course_lib.global_opt import landscapes
from course_lib.objectives import Quadratic


def test_acceptance_probabilities_exactly():
    assert A.acceptance_probability(-1.0, 2.0) == 1.0
    assert A.acceptance_probability(0.0, 2.0) == 1.0             # level moves: always
    assert A.acceptance_probability(1.0, 2.0) == np.exp(-0.5)
    assert A.acceptance_probability(3.0, 0.5) == np.exp(-6.0)
    assert A.acceptance_probability(1.0, 0.0) == 0.0             # T = 0: greedy
    assert A.acceptance_probability(-1.0, 0.0) == 1.0
    assert A.acceptance_probability(0.0, 0.0) == 1.0
    p = A.acceptance_probability(np.array([-2.0, 0.0, 0.7]), np.array([1.0, 1.0, 0.35]))
    assert np.array_equal(p, [1.0, 1.0, np.exp(-2.0)])


def test_metropolis_accept():
    p = np.exp(-0.5)
    assert A.metropolis_accept(1.0, 2.0, p - 1e-12) is True
    assert A.metropolis_accept(1.0, 2.0, p + 1e-12) is False
    assert A.metropolis_accept(0.0, 0.1, 0.999999) is True
    assert A.metropolis_accept(-5.0, 0.1, 0.0) is True
    u = np.random.default_rng(0).random(200_000)
    assert abs(np.mean(A.metropolis_accept(1.0, 2.0, u)) - p) < 0.005
    with pytest.raises(ValueError, match="T must be finite and >= 0"):
        A.acceptance_probability(1.0, -1.0)


def test_cooling_schedules():
    assert np.allclose(A.geometric_cooling(2.0, 0.9)(np.array([0, 1, 2])), [2.0, 1.8, 1.62])
    assert A.logarithmic_cooling(1.0)(0) == pytest.approx(1.0)
    assert A.logarithmic_cooling(1.0)(6) == pytest.approx(np.log(2) / np.log(8))
    assert np.allclose(A.linear_cooling(1.0, 10)(np.array([0, 5, 10, 20])), [1, 0.5, 0, 0])
    with pytest.raises(ValueError, match="alpha must be in"):
        A.geometric_cooling(1.0, 1.0)


def test_fixed_temperature_samples_the_boltzmann_distribution():
    # exp(−J/T) for J = ½θ² is N(0, T): the chains' spread after burn-in is √T.
    run = A.anneal(Quadratic([1.0]), [0.0], 0.5, 3000, 1.0, seed=0, n_chains=200)
    tail = run.thetas[:, 1000:, 0]
    assert abs(tail.var() - 0.5) < 0.05
    assert 0.3 < run.acceptance_rate.mean() < 0.9


def test_chains_are_seeded_and_greedy_at_zero_temperature():
    f = landscapes.course_function_1d()
    a = A.anneal(f, [-4.5], A.geometric_cooling(2.0, 0.99), 200, 0.5, seed=3, n_chains=4)
    b = A.anneal(f, [-4.5], A.geometric_cooling(2.0, 0.99), 200, 0.5, seed=3, n_chains=4)
    assert np.array_equal(a.thetas, b.thetas)
    assert a.thetas.shape == (4, 201, 1) and a.nfev == 4 * 201
    assert np.allclose(a.losses, f.values(a.thetas.reshape(-1, 1)).reshape(4, 201))
    greedy = A.anneal(f, [-4.5], 0.0, 300, 0.3, seed=1, n_chains=8)
    assert np.all(np.diff(greedy.losses, axis=1) <= 0)           # never uphill
    assert np.all(greedy.best_loss == greedy.losses[:, -1])


def test_slow_cooling_succeeds_where_fast_cooling_freezes():
    f = landscapes.course_function_1d()
    rates = {}
    for K in (30, 1000):
        alpha = (0.005 / 2.0) ** (1 / K)                          # T falls from 2 to 0.005
        run = A.anneal(f, [-4.5], A.geometric_cooling(2.0, alpha), K, 0.5, seed=0,
                       n_chains=100)
        rates[K] = np.mean(np.abs(run.theta[:, 0] - f.minima[0, 0]) < 0.6)
    assert rates[30] < 0.1 and rates[1000] > 0.95
