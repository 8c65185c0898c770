"""DeepNet: the MLP with batch normalization and skip connections; gradients against finite
differences, the layout, the plain MLP as a special case, inference with fixed statistics."""

import numpy as np
import pytest

from course_lib import data
from course_lib.gradcheck import check_grad
from course_lib.objectives import MLP
from course_lib.objectives.mlp_variants import DeepNet


@pytest.fixture(scope="module")
def task():
    rng = np.random.default_rng(0)
    return rng.standard_normal((20, 4)), rng.integers(0, 3, size=20)


@pytest.mark.parametrize("batch_norm", [False, True])
@pytest.mark.parametrize("skip", [False, True])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_gradient_matches_finite_differences(task, batch_norm, skip, activation):
    X, y = task
    net = DeepNet(X, y, hidden=(5, 5, 5), activation=activation, loss="softmax",
                  batch_norm=batch_norm, skip=skip)
    theta = net.init_theta(1) + 0.05 * np.random.default_rng(2).standard_normal(net.dim)
    for batch in (None, np.arange(3, 14)):
        result = check_grad(net, theta, batch, rtol=2e-5, atol=1e-8)
        assert result.ok, result


def test_without_options_it_is_the_mlp(task):
    X, y = task
    net, plain = DeepNet(X, y, hidden=(5, 4), loss="softmax"), MLP(X, y, hidden=(5, 4),
                                                                   loss="softmax")
    assert net.dim == plain.dim
    theta = plain.init_theta(3)
    np.testing.assert_allclose(net.init_theta(3), theta)
    assert net.loss(theta) == pytest.approx(plain.loss(theta), rel=1e-14)
    np.testing.assert_allclose(net.grad(theta), plain.grad(theta), rtol=1e-12)


def test_layout_and_the_skip_rule(task):
    X, y = task
    net = DeepNet(X, y, hidden=(5, 5, 3), loss="softmax", batch_norm=True, skip=True)
    assert net.skips == [False, True, False]            # first layer and 5 → 3: no skip
    assert net.dim == (4 * 5 + 10) + (5 * 5 + 10) + (5 * 3 + 6) + (3 * 3 + 3)
    layers = net.unpack(net.init_theta(4))
    assert set(layers[0]) == {"W", "gamma", "beta"} and set(layers[-1]) == {"W", "b"}
    np.testing.assert_array_equal(layers[1]["gamma"], 1.0)
    np.testing.assert_array_equal(net.pack(layers), net.init_theta(4))
    pre, act = net.forward_pass(net.init_theta(4))
    np.testing.assert_allclose(act[2], act[1] + np.tanh(pre[1]))          # a ← a + g(u)
    np.testing.assert_allclose(pre[0].mean(axis=0), 0.0, atol=1e-12)     # batch-normed
    with pytest.raises(ValueError, match="skip must be True or False"):
        DeepNet(X, y, skip=1)


def test_inference_uses_fixed_statistics(task):
    X, y = task
    net = DeepNet(X, y, hidden=(6, 6), loss="softmax", batch_norm=True)
    theta = net.init_theta(5) + 0.1
    stats = net.batch_statistics(theta)
    assert len(stats) == 2 and stats[0][0].shape == (6,)
    # with the whole set's statistics, inference on the whole set equals training mode
    np.testing.assert_allclose(net.predict(theta, X, stats=stats), net.predict(theta, X),
                               rtol=1e-12)
    # one example at a time: inference mode gives the same answer, training mode does not
    one_by_one = np.vstack([net.predict(theta, X[i:i + 1], stats=stats) for i in range(5)])
    np.testing.assert_allclose(one_by_one, net.predict(theta, X, stats=stats)[:5], rtol=1e-12)
    alone = np.vstack([net.predict(theta, X[i:i + 1]) for i in range(5)])
    np.testing.assert_allclose(alone, np.tile(alone[0], (5, 1)))   # alone, all look alike


def test_skip_connections_carry_the_gradient_down():
    split = data.digits(classes=(0, 1), seed=0)
    X = (split.X_train - split.X_train.mean(0)) / (split.X_train.std(0) + 1e-3)
    kwargs = dict(hidden=(16,) * 12, activation="tanh", loss="softmax")
    plain = DeepNet(X[:64], split.y_train[:64], **kwargs)
    skip = DeepNet(X[:64], split.y_train[:64], skip=True, **kwargs)
    theta = plain.init_theta(6)
    first = [np.linalg.norm(net.backward_pass(theta)["grads"][0]["W"]) for net in (plain, skip)]
    assert first[1] > 5 * first[0]


# --- the deep linear chain ŷ = x w₁ … w_l (8.7.1) -------------------------------------------
def test_chain_derivatives_match_finite_differences():
    from course_lib.gradcheck import check_hessian
    from course_lib.objectives import DeepLinearChain

    chain = DeepLinearChain(depth=6, x=1.3, y=0.4)
    w = np.random.default_rng(7).uniform(0.5, 1.5, 6)
    assert check_grad(chain, w, rtol=1e-7).ok
    assert check_hessian(chain, w, rtol=1e-6).ok
    np.testing.assert_allclose(chain.output_gradient(w), 1.3 * np.prod(w) / w, rtol=1e-12)
    w[2] = 0.0                                              # no division by wᵢ
    assert chain.output_gradient(w)[2] == pytest.approx(1.3 * np.prod(np.delete(w, 2)))


@pytest.mark.parametrize("depth", [1, 2, 5, 10, 20])
def test_chain_step_matches_its_closed_form(depth):
    from math import comb

    from course_lib.objectives import DeepLinearChain

    chain, w, delta = DeepLinearChain(depth=depth), np.ones(depth), 1.0
    eps = delta / depth                         # first order: ŷ falls by ε gᵀg = 1
    effect = chain.step_effect(w, eps)
    assert effect["first_order"] == pytest.approx(0.0, abs=1e-12)
    assert effect["actual"] == pytest.approx((1 - delta / depth) ** depth, rel=1e-12)
    # the terms of the expansion are the binomial ones, and they add up to the actual ŷ
    expected = [comb(depth, k) * (-delta / depth) ** k for k in range(depth + 1)]
    np.testing.assert_allclose(effect["terms"], expected, rtol=1e-12, atol=1e-15)
    assert effect["terms"].sum() == pytest.approx(effect["actual"], rel=1e-12)
    assert effect["terms"][1] == pytest.approx(-eps * effect["g"] @ effect["g"])


def test_chain_polynomial_with_unequal_weights():
    from course_lib.objectives import DeepLinearChain

    chain = DeepLinearChain(depth=4, x=2.0)
    w, d = np.array([0.5, 1.0, 2.0, -1.5]), np.array([0.3, -0.2, 0.1, 0.4])
    c = chain.step_polynomial(w, d)
    for eta in (0.0, 0.3, -1.7):
        assert np.polyval(c[::-1], eta) == pytest.approx(chain.output(w + eta * d), rel=1e-12)
    assert c[1] == pytest.approx(chain.output_gradient(w) @ d)
    assert c[2] == pytest.approx(0.5 * d @ chain.output_hessian(w) @ d)
