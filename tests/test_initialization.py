"""Initializers of section 8.4: bounds, variances, orthogonality, exact sparsity, biases."""

import numpy as np
import pytest

from course_lib import data
from course_lib.objectives import MLP
from course_lib.strategies import initialization as init


def kurtosis(W) -> float:
    w = W.ravel() - W.mean()
    return float(np.mean(w ** 4) / np.mean(w ** 2) ** 2)


@pytest.mark.parametrize("shape", [(64, 32), (10, 200), (300, 5)])
def test_glorot_uniform_bounds_variance_and_shape(shape):
    m, n = shape
    W = init.glorot_uniform(m, n, rng=1)
    limit = np.sqrt(6.0 / (m + n))
    assert W.shape == shape and init.glorot_limit(m, n) == pytest.approx(limit)
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.99 * limit
    assert W.var() == pytest.approx(2.0 / (m + n), rel=0.05)        # U(−l, l): l²/3
    assert kurtosis(W) == pytest.approx(1.8, abs=0.05)              # uniform, not Gaussian
    np.testing.assert_array_equal(W, init.glorot_uniform(m, n, rng=1))
    assert not np.array_equal(W, init.glorot_uniform(m, n, rng=2))
    np.testing.assert_allclose(init.glorot_uniform(m, n, rng=1, gain=2.0), 2 * W)


def test_gaussian_and_he_variances():
    W = init.scaled_gaussian(400, 300, rng=3, scale=1.5)
    assert W.var() == pytest.approx(1.5 ** 2 / 400, rel=0.02)
    assert kurtosis(W) == pytest.approx(3.0, abs=0.1)
    H = init.he_normal(400, 300, rng=3)
    assert H.var() == pytest.approx(2.0 / 400, rel=0.02)
    np.testing.assert_allclose(H, init.scaled_gaussian(400, 300, rng=3, scale=np.sqrt(2)))


@pytest.mark.parametrize("shape", [(20, 20), (30, 7), (7, 30)])
def test_orthogonal_has_every_singular_value_equal_to_the_gain(shape):
    W = init.orthogonal(*shape, rng=4, gain=1.7)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 1.7, rtol=1e-12)
    m, n = shape
    gram = W.T @ W if m >= n else W @ W.T
    np.testing.assert_allclose(gram, 1.7 ** 2 * np.eye(min(m, n)), atol=1e-12)
    x = np.random.default_rng(5).standard_normal(m)
    if m <= n:                      # rows orthonormal: every input keeps its norm
        assert np.linalg.norm(x @ W) == pytest.approx(1.7 * np.linalg.norm(x), rel=1e-12)


def test_orthogonal_is_not_biased_in_sign():
    # without the sign fix of QR, the diagonal of Q has a systematic sign
    diag = np.array([np.diag(init.orthogonal(5, 5, rng=s)) for s in range(400)])
    assert abs(diag.mean()) < 0.05


def test_sparse_has_exactly_k_nonzero_incoming_weights_per_unit():
    W = init.sparse(100, 40, k=15, rng=6, scale=2.0)
    assert np.all(np.count_nonzero(W, axis=0) == 15)
    assert np.std(W[W != 0]) == pytest.approx(2.0, rel=0.1)
    assert np.all(np.count_nonzero(init.sparse(8, 3, k=15, rng=6), axis=0) == 8)
    # a unit's input has the scale of k terms, whatever the fan-in
    rng = np.random.default_rng(7)
    for m in (50, 500):
        x = rng.standard_normal((2000, m))
        assert (x @ init.sparse(m, 30, k=10, rng=8)).var() == pytest.approx(10.0, rel=0.1)


def test_biases():
    np.testing.assert_array_equal(init.hidden_bias(3), [0, 0, 0])
    np.testing.assert_array_equal(init.hidden_bias(2, "relu"), [0.1, 0.1])
    y = np.array([1, 0, 0, 0, 1, 0, 0, 0])
    assert init.output_bias(y, "logistic")[0] == pytest.approx(np.log(2 / 6))
    b = init.output_bias(np.array([0, 0, 1, 2, 2, 2]), "softmax")
    np.testing.assert_allclose(np.exp(b), [2 / 6, 1 / 6, 3 / 6])
    np.testing.assert_allclose(init.output_bias(np.array([[1.0, 2.0], [3.0, 6.0]]), "mse"),
                               [2.0, 4.0])
    f = init.lstm_forget_bias(3)
    np.testing.assert_array_equal(f, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])


def test_init_mlp_layout_and_marginal_output_bias():
    split = data.digits(classes=(0, 1, 2), seed=0)
    net = MLP(split.X_train, split.y_train, hidden=(16, 8), loss="softmax")
    for scheme in init.SCHEMES:
        theta = init.init_mlp(net, scheme, rng=9, bias="relu")
        layers = net.unpack(theta)
        assert theta.shape == (net.dim,)
        np.testing.assert_array_equal(layers[0][1], 0.1)
        np.testing.assert_array_equal(layers[-1][1], 0.0)
    theta = init.init_mlp(net, "glorot", rng=9, marginal_output_bias=True)
    W3, b3 = net.unpack(theta)[-1]
    frequencies = np.bincount(split.y_train) / len(split.y_train)
    np.testing.assert_allclose(np.exp(b3), frequencies)
    zero_out = net.pack(net.unpack(theta)[:-1] + [(np.zeros_like(W3), b3)])
    entropy = -np.sum(frequencies * np.log(frequencies))
    assert net.loss(zero_out) == pytest.approx(entropy, rel=1e-12)    # best constant guess
    np.testing.assert_array_equal(init.init_mlp(net, "he", rng=9), init.init_mlp(net, "he", 9))


def test_bad_inputs_name_the_parameter():
    with pytest.raises(ValueError, match="n_in must be an integer >= 1"):
        init.glorot_uniform(0, 3)
    with pytest.raises(ValueError, match="scheme must be one of"):
        init.layer_weights("xavier", 3, 3)
    with pytest.raises(ValueError, match="kind must be one of"):
        init.hidden_bias(3, "one")
    with pytest.raises(ValueError, match="rng must be a seed"):
        init.orthogonal(3, 3, rng="a")
    with pytest.raises(ValueError, match="both labels"):
        init.output_bias(np.ones(4), "logistic")
    with pytest.raises(ValueError, match="gain must be >= 0"):
        init.orthogonal(3, 3, gain=-1.0)
