"""Batch normalization (8.7.1): the training-mode statistics, the backward pass against finite
differences, running averages and the inference mode."""

import numpy as np
import pytest

from course_lib.gradcheck import compare, numerical_grad
from course_lib.strategies.batch_norm import (
    BatchNorm,
    RunningStats,
    batch_norm_backward,
    batch_norm_forward,
    batch_norm_inference,
)


@pytest.fixture
def H():
    rng = np.random.default_rng(0)
    return 3.0 + 2.0 * rng.standard_normal((16, 5)) * np.arange(1, 6)


def test_training_mode_gives_mean_zero_and_variance_one_per_unit(H):
    out, cache = batch_norm_forward(H, delta=0.0)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(cache["mu"], H.mean(axis=0))
    np.testing.assert_allclose(cache["sigma"], H.std(axis=0))          # the biased (1/m) std
    gamma, beta = np.array([1, 2, 3, 4, 5.0]), np.array([-1, 0, 1, 2, 3.0])
    out, _ = batch_norm_forward(H, gamma, beta, delta=0.0)
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), gamma, rtol=1e-12)
    out, cache = batch_norm_forward(H, delta=1e-5)                      # δ inside the root
    np.testing.assert_allclose(cache["sigma"], np.sqrt(H.var(axis=0) + 1e-5))


def test_output_does_not_depend_on_a_shift_or_scale_of_each_unit(H):
    out, _ = batch_norm_forward(H, delta=0.0)
    moved, _ = batch_norm_forward(7.0 * H - 4.0, delta=0.0)
    np.testing.assert_allclose(moved, out, atol=1e-12)


@pytest.mark.parametrize("delta", [0.0, 1e-3])
def test_backward_matches_finite_differences(H, delta):
    rng = np.random.default_rng(1)
    gamma, beta = rng.uniform(0.5, 2.0, 5), rng.standard_normal(5)
    weights = rng.standard_normal(H.shape)          # J = Σ weights ⊙ out: any d_out
    def J(h, g, b):
        return float(np.sum(weights * batch_norm_forward(
            h.reshape(H.shape), g, b, delta)[0]))
    _, cache = batch_norm_forward(H, gamma, beta, delta)
    d_H, d_gamma, d_beta = batch_norm_backward(weights, cache)
    assert compare("∂J/∂H", d_H.ravel(), numerical_grad(lambda h: J(h, gamma, beta),
                                                       H.ravel()), rtol=1e-6).ok
    assert compare("∂J/∂γ", d_gamma, numerical_grad(lambda g: J(H.ravel(), g, beta),
                                                  gamma), rtol=1e-6).ok
    assert compare("∂J/∂β", d_beta, numerical_grad(lambda b: J(H.ravel(), gamma, b),
                                                 beta), rtol=1e-6).ok
    # the gradient with respect to H sums to 0 over the rows of each unit (μ absorbs a shift)
    np.testing.assert_allclose(d_H.sum(axis=0), 0.0, atol=1e-10)


def test_running_averages_and_inference_mode(H):
    layer = BatchNorm(5, rho=0.9)
    np.testing.assert_array_equal(layer.running.mu, 0.0)
    np.testing.assert_array_equal(layer.running.sigma, 1.0)
    mu, sigma = H.mean(axis=0), np.sqrt(H.var(axis=0) + 1e-5)
    layer.forward(H)
    np.testing.assert_allclose(layer.running.mu, 0.1 * mu)
    np.testing.assert_allclose(layer.running.sigma, 0.9 + 0.1 * sigma)
    for _ in range(300):
        layer.forward(H)
    np.testing.assert_allclose(layer.running.mu, mu, rtol=1e-12)
    assert layer.running.updates == 301
    # inference uses the running statistics and does not update them
    before = layer.running.mu.copy()
    one = layer.forward(H[:1], training=False)
    np.testing.assert_array_equal(layer.running.mu, before)
    np.testing.assert_allclose(one, (H[:1] - mu) / sigma, rtol=1e-9)
    np.testing.assert_allclose(batch_norm_inference(H[:1], mu, sigma), one, rtol=1e-9)
    # training mode on one example normalizes it by itself: every output is β
    alone = BatchNorm(5).forward(H[:1], beta=0.5)
    np.testing.assert_allclose(alone, 0.5)
    d_H, _, _ = layer.backward(np.ones_like(H))
    assert d_H.shape == H.shape


def test_bad_inputs_name_the_parameter(H):
    with pytest.raises(ValueError, match="H must be a 2-D array"):
        batch_norm_forward(H[0])
    with pytest.raises(ValueError, match="gamma must have one entry per unit"):
        batch_norm_forward(H, gamma=np.ones(3))
    with pytest.raises(ValueError, match="rho must be in"):
        BatchNorm(5, rho=1.0)
    with pytest.raises(ValueError, match="sigma must be > 0"):
        batch_norm_inference(H, np.zeros(5), np.zeros(5))
    with pytest.raises(ValueError, match="backward needs"):
        BatchNorm(5).backward(H)
    stats = RunningStats.start(2)
    stats.update([1.0, 2.0], [3.0, 4.0], rho=0.5)
    np.testing.assert_allclose(stats.mu, [0.5, 1.0])
