"""Gaussian smoothing J_σ(θ) = E[J(θ + σz)]: the closed forms against Monte Carlo (within its
standard error) and finite differences, their composition, and the convexity threshold."""

import numpy as np
import pytest

from course_lib.global_opt import landscapes
from course_lib.global_opt.smoothing import (
    Cosine,
    GaussianBump,
    Polynomial,
    SmoothableSum,
    convexity_threshold,
    gaussian_smoothing,
)
from course_lib.global_opt.smoothing_mc import MonteCarloSmoothed
from course_lib.gradcheck import check_grad, check_hessian
from course_lib.objectives import FunctionObjective


def mixed_2d():
    return SmoothableSum([Polynomial([0.5, -0.3, 0.2, 0.1, 0.05], 0),
                          Polynomial([0.0, 0.4, 0.3], 1),
                          GaussianBump(-1.3, [0.5, -0.2], 0.7),
                          Cosine(0.6, [2.0, -1.0], 0.4)], dim=2)


def plain(objective):
    """The same function without its closed form: only loss and grad."""
    return FunctionObjective(objective.loss, objective.grad, objective.dim, name="plain")


@pytest.mark.parametrize("sigma", [0.3, 1.0, 2.0])
@pytest.mark.parametrize("method", ["plain", "antithetic", "control"])
def test_closed_form_agrees_with_monte_carlo_within_its_standard_error(sigma, method):
    f = mixed_2d()
    exact = f.smoothed(sigma)
    mc = MonteCarloSmoothed(plain(f), sigma, n_samples=600, seed=7, method=method)
    for theta in ([0.0, 0.0], [1.2, -0.7], [-2.0, 1.5]):
        value, se = mc.estimate(theta)
        assert se > 0
        assert abs(value - exact.loss(theta)) <= 4 * se, (theta, value, exact.loss(theta), se)
    # the gradient estimate too (it averages ∇J(θ + σz) over the same samples)
    g_mc = mc.grad([1.2, -0.7])
    assert np.allclose(g_mc, exact.grad([1.2, -0.7]), atol=0.25 * (1 + sigma))


def test_standard_error_is_calibrated_over_seeds():
    f = landscapes.course_function_1d()
    exact = f.smoothed(0.8).loss([0.4])
    z = []
    for seed in range(200):
        value, se = MonteCarloSmoothed(plain(f), 0.8, n_samples=64, seed=seed).estimate([0.4])
        z.append((value - exact) / se)
    z = np.abs(np.array(z))
    assert 0.90 <= np.mean(z <= 1.96) <= 0.99          # about 95 % within 1.96 SE
    assert abs(np.mean(z <= 1.0) - 0.683) < 0.08


def test_antithetic_pairs_and_the_control_variate_cut_the_error():
    f = mixed_2d()
    ses = {m: MonteCarloSmoothed(plain(f), 0.4, n_samples=400, seed=3, method=m)
           .estimate([0.3, 0.2])[1] for m in ("plain", "antithetic", "control")}
    assert ses["antithetic"] < 0.6 * ses["plain"]
    assert ses["control"] < 0.6 * ses["plain"]


def test_monte_carlo_uses_common_random_numbers():
    mc = MonteCarloSmoothed(plain(mixed_2d()), 0.5, n_samples=32, seed=1)
    assert mc.loss([0.1, 0.2]) == mc.loss([0.1, 0.2])
    other = MonteCarloSmoothed(plain(mixed_2d()), 0.5, n_samples=32, seed=2)
    assert mc.loss([0.1, 0.2]) != other.loss([0.1, 0.2])
    assert np.allclose(mc.z[:16], -mc.z[16:])            # antithetic pairs


@pytest.mark.parametrize("sigma", [0.0, 0.5, 1.7])
def test_closed_form_gradient_and_hessian_match_finite_differences(sigma):
    f = mixed_2d().smoothed(sigma)
    for theta in ([0.3, -0.4], [1.5, 1.0], [-1.0, 2.0]):
        assert check_grad(f, theta), check_grad(f, theta)
        assert check_hessian(f, theta), check_hessian(f, theta)


def test_polynomial_moments():
    # E[(t + σz)⁴] = t⁴ + 6t²σ² + 3σ⁴ and E[(t + σz)³] = t³ + 3tσ²
    f = SmoothableSum([Polynomial([0, 0, 0, 1, 1])], dim=1)
    t, s = 0.7, 1.3
    assert np.isclose(f.smoothed(s).loss([t]), t**4 + 6 * t**2 * s**2 + 3 * s**4 + t**3
                      + 3 * t * s**2)


def test_bump_and_cosine_closed_forms():
    bump = SmoothableSum([GaussianBump(2.0, [1.0, 0.0], 0.5)], dim=2)
    s2 = 0.25 + 0.36
    assert np.isclose(bump.smoothed(0.6).loss([0.0, 0.5]),
                      2.0 * (0.25 / s2) * np.exp(-(1.0 + 0.25) / (2 * s2)))
    wave = SmoothableSum([Cosine(1.5, [3.0], 0.2)], dim=1)
    assert np.isclose(wave.smoothed(0.5).loss([0.4]),
                      1.5 * np.exp(-0.5 * 0.25 * 9.0) * np.cos(1.2 + 0.2))


def test_blurs_compose_in_quadrature():
    f = mixed_2d()
    twice = f.smoothed(0.3).smoothed(0.4)
    assert np.isclose(twice.sigma, 0.5)
    assert np.isclose(twice.loss([0.2, 0.9]), f.smoothed(0.5).loss([0.2, 0.9]))
    assert f.smoothed(0.0).loss([0.2, 0.9]) == f.loss([0.2, 0.9])


def test_gaussian_smoothing_picks_the_exact_form_or_monte_carlo():
    f = mixed_2d()
    assert isinstance(gaussian_smoothing(f, 0.5), SmoothableSum)
    mc = gaussian_smoothing(plain(f), 0.5, n_samples=10, seed=0)
    assert isinstance(mc, MonteCarloSmoothed) and mc.n_samples == 10
    g = plain(f)
    assert gaussian_smoothing(g, 0.0) is g


def test_vectorised_values_match_the_contract():
    f = landscapes.course_function_1d().smoothed(0.4)
    t = np.linspace(-3, 3, 7)
    assert np.allclose(f.values(t), [f.loss([x]) for x in t])
    assert np.allclose(f.second(t), [f.hessian([x])[0, 0] for x in t])
    g = mixed_2d()
    X, Y = np.meshgrid(np.linspace(-1, 1, 3), np.linspace(0, 2, 4))
    assert np.allclose(g.loss_grid(X, Y)[2, 1], g.loss([X[2, 1], Y[2, 1]]))


def test_convexity_threshold_matches_the_closed_form():
    # J = cθ² + a cos ωθ: J_σ″ = 2c − aω² e^{−σ²ω²/2} cos ωθ, positive everywhere on a full
    # period exactly when aω² e^{−σ²ω²/2} < 2c, i.e. σ > √(2 ln(aω²/2c))/ω.
    c, a, w = 0.1, 0.5, 3.0
    f = SmoothableSum([Polynomial([0, 0, c]), Cosine(a, [w])], dim=1)
    expected = np.sqrt(2 * np.log(a * w**2 / (2 * c))) / w
    assert np.isclose(convexity_threshold(f, (-3, 3)), expected, atol=1e-5)


def test_convexity_threshold_of_the_course_function():
    f = landscapes.course_function_1d()
    s = convexity_threshold(f, f.box)
    grid = np.linspace(*f.box, 4001)
    assert np.min(f.smoothed(s + 1e-3).second(grid)) > 0
    assert np.min(f.smoothed(s - 1e-3).second(grid)) <= 0
    assert 1.0 < s < 1.5


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="sigma must be >= 0"):
        mixed_2d().smoothed(-1.0)
    with pytest.raises(ValueError, match="s must be > 0"):
        GaussianBump(1.0, [0.0], 0.0)
    with pytest.raises(ValueError, match="method must be one of"):
        MonteCarloSmoothed(plain(mixed_2d()), 0.5, method="quasi")
    with pytest.raises(ValueError, match="n_samples must be even"):
        MonteCarloSmoothed(plain(mixed_2d()), 0.5, n_samples=5)
    with pytest.raises(ValueError, match="not convex"):
        convexity_threshold(SmoothableSum([Polynomial([0, 0, -1])], dim=1), (-1, 1))
