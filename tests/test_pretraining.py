"""Greedy supervised layer-wise pretraining (8.7.4)."""

import numpy as np
import pytest

from course_lib import data
from course_lib.objectives import MLP
from course_lib.optim import SGD
from course_lib.strategies.initialization import init_mlp
from course_lib.strategies.pretraining import greedy_supervised_pretraining, train_steps


@pytest.fixture(scope="module")
def digits():
    split = data.digits(classes=(1, 7, 9), seed=0)
    return split.X_train, split.y_train


def test_stages_stack_into_the_deep_network(digits):
    X, y = digits
    result = greedy_supervised_pretraining(X, y, hidden=(12, 8, 6), steps_per_layer=60, seed=1)
    assert result.net.sizes == (64, 12, 8, 6, 3) and result.theta.shape == (result.net.dim,)
    assert len(result.stage_losses) == 3 and result.steps == 180
    assert result.fine_tune_losses is None
    # the deep network's loss is the last stage's: the stacked layers compute its features
    assert result.net.loss(result.theta) == pytest.approx(result.stage_losses[-1][-1],
                                                          rel=1e-12)
    for losses in result.stage_losses:          # every stage learns
        assert losses[-1] < 0.5 * losses[0]


def test_lower_layers_stay_fixed_after_their_stage(digits):
    X, y = digits
    one = greedy_supervised_pretraining(X, y, hidden=(10,), steps_per_layer=40, seed=2)
    two = greedy_supervised_pretraining(X, y, hidden=(10, 5), steps_per_layer=40, seed=2)
    W1_one = one.net.unpack(one.theta)[0][0]
    W1_two = two.net.unpack(two.theta)[0][0]
    np.testing.assert_array_equal(W1_one, W1_two)       # stage 1 is the same in both


def test_fine_tuning_trains_all_layers_jointly(digits):
    X, y = digits
    greedy = greedy_supervised_pretraining(X, y, hidden=(12, 8), steps_per_layer=50, seed=3)
    tuned = greedy_supervised_pretraining(X, y, hidden=(12, 8), steps_per_layer=50,
                                          fine_tune_steps=100, seed=3)
    assert tuned.steps == 200 and len(tuned.fine_tune_losses) == 11
    np.testing.assert_array_equal(tuned.greedy_theta, greedy.theta)
    assert tuned.fine_tune_losses[0] == pytest.approx(greedy.net.loss(greedy.theta))
    assert tuned.net.loss(tuned.theta) < greedy.net.loss(greedy.theta)
    first = [r.net.unpack(r.theta)[0][0] for r in (greedy, tuned)]
    assert not np.allclose(first[0], first[1])          # the first layer moved too


def test_train_steps_is_the_optimizer_on_minibatches(digits):
    X, y = digits
    net = MLP(X, y, hidden=(4,), loss="softmax")
    theta0 = init_mlp(net, rng=4)
    theta, losses = train_steps(net, theta0, SGD(lr=0.1), 30, 1078, np.random.default_rng(0),
                                every=10)
    expected = theta0.copy()
    for _ in range(30):                                 # batch = whole set: gradient descent
        expected = expected - 0.1 * net.grad(expected)
    np.testing.assert_allclose(theta, expected, rtol=1e-10)
    assert losses.shape == (4,) and losses[0] == pytest.approx(net.loss(theta0))


def test_bad_inputs_name_the_parameter(digits):
    X, y = digits
    with pytest.raises(ValueError, match="hidden must hold at least one"):
        greedy_supervised_pretraining(X, y, hidden=())
    with pytest.raises(ValueError, match="steps_per_layer must be an integer >= 1"):
        greedy_supervised_pretraining(X, y, hidden=(4,), steps_per_layer=0)
