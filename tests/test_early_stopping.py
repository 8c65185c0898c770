"""course_lib.strategies.early_stopping: Algorithm 7.1 around any optimizer and run.minimize."""

import numpy as np
import pytest

from course_lib.data import digits, sine_regression
from course_lib.objectives import MLP, LinearRegression, Quadratic
from course_lib.optim import SGD, Adam, Momentum
from course_lib.run import minimize
from course_lib.strategies.early_stopping import early_stopping, stopping_point


@pytest.mark.parametrize("values, patience, expected", [
    ([5, 4, 3, 2, 1], 1, (4, 4)),                 # always improving: runs to the end
    ([5, 4, 6, 3, 7, 8], 1, (1, 2)),              # patience 1: the first miss stops it
    ([5, 4, 6, 3, 7, 8], 2, (3, 5)),              # j is reset by the improvement at index 3
    ([3, 3, 3, 3], 2, (0, 2)),                    # a tie is no improvement: first of equals
    ([4, 2, 3, 2.5, 2.2, 1, 9], 3, (1, 4)),       # measured against the best, not the last
    ([4, 2, 3, 2.5, 2.2, 1, 9], 4, (5, 6)),
    ([1.0], 3, (0, 0)),
    ([np.nan, 2.0, np.nan, np.nan], 2, (1, 3)),   # NaN never counts as an improvement
])
def test_stopping_point_follows_algorithm_7_1(values, patience, expected):
    assert stopping_point(values, patience) == expected


def test_stopping_point_refuses_bad_input():
    with pytest.raises(ValueError, match="patience"):
        stopping_point([1, 2], 0)
    with pytest.raises(ValueError, match="val_losses"):
        stopping_point([], 2)


@pytest.fixture(scope="module")
def overfitting():
    """A small network on few noisy examples: the validation loss turns back up."""
    X, y = sine_regression(m=12, noise=0.3, seed=0)
    Xv, yv = sine_regression(m=200, noise=0.3, seed=1)
    net = MLP(X, y, hidden=(30,))
    return net, MLP(Xv, yv, hidden=(30,)), net.init_theta(0)


def test_returns_the_best_parameters_and_halts_after_patience(overfitting):
    net, val, theta0 = overfitting
    r = early_stopping(net, SGD(lr=0.1), theta0, val, patience=5, eval_every=25,
                       max_steps=20_000)
    assert r.stop_reason == "patience"
    i = int(np.argmin(r.val_losses))
    assert r.best_step == r.eval_steps[i] and r.best_value == r.val_losses[i]
    np.testing.assert_array_equal(r.theta, r.trace.thetas[r.best_step])   # restored
    assert val.loss(r.theta) == r.best_value
    assert r.stopped_step == r.best_step + 5 * 25
    assert np.all(r.val_losses[i + 1:] >= r.best_value) and r.evaluations == i + 6
    np.testing.assert_array_equal(r.eval_steps, 25 * np.arange(1, r.evaluations + 1))
    np.testing.assert_allclose(r.train_losses, r.trace.losses[r.eval_steps])
    # it halted while the training loss was still falling
    assert r.trace.losses[-1] < r.trace.losses[r.best_step]


def test_agrees_with_the_rule_on_the_full_curve(overfitting):
    net, val, theta0 = overfitting
    full = early_stopping(net, SGD(lr=0.1), theta0, val.loss, patience=10 ** 6, eval_every=25,
                          max_steps=3000)
    assert full.stop_reason == "steps" and full.stopped_step == 3000
    for patience in (1, 3, 8):
        best, stop = stopping_point(full.val_losses, patience)
        r = early_stopping(net, SGD(lr=0.1), theta0, val.loss, patience=patience,
                           eval_every=25, max_steps=3000)
        assert r.best_step == full.eval_steps[best]
        assert r.stopped_step == full.eval_steps[stop]


@pytest.mark.parametrize("optimizer", [Momentum(lr=0.02, alpha=0.9), Adam(lr=0.01)])
def test_the_optimizer_state_survives_the_evaluations(overfitting, optimizer):
    """Early stopping only watches: the run is the one minimize makes without it."""
    net, val, theta0 = overfitting
    r = early_stopping(net, optimizer, theta0, val, patience=10 ** 6, eval_every=7,
                       max_steps=300)
    plain = minimize(net, optimizer, theta0, 300, warn=False)
    np.testing.assert_allclose(r.trace.thetas, plain.thetas)


def test_minibatches_on_digits():
    split = digits(classes=(1, 8))
    net = MLP(split.X_train, split.y_train, hidden=(8,), loss="logistic")
    val = MLP(split.X_val, split.y_val, hidden=(8,), loss="logistic")
    kwargs = dict(patience=3, eval_every=14, max_steps=1400, batch_size=16, rng=2)
    a = early_stopping(net, SGD(lr=0.1), net.init_theta(1), val, **kwargs)
    b = early_stopping(net, SGD(lr=0.1), net.init_theta(1), val, **kwargs)
    np.testing.assert_array_equal(a.theta, b.theta)                    # seeded
    assert a.best_value == pytest.approx(val.loss(a.theta))
    assert a.best_value < val.loss(net.init_theta(1))


def test_a_run_that_never_improves_keeps_theta0():
    f = Quadratic((1.0, 1.0))
    r = early_stopping(f, SGD(lr=0.1), [1.0, 1.0], lambda theta: 1.0, patience=2,
                       max_steps=100)
    assert r.best_step == 1 and r.stopped_step == 3              # the first value beats ∞
    r = early_stopping(f, SGD(lr=0.1), [1.0, 1.0], lambda theta: float("nan"), patience=2)
    assert r.best_step == 0 and r.stopped_step == 2
    np.testing.assert_array_equal(r.theta, [1.0, 1.0])


def test_bad_arguments_are_named():
    f = LinearRegression(np.eye(3), np.ones(3))
    for kwargs, word in [({"patience": 0}, "patience"), ({"patience": 2, "eval_every": 0},
                                                          "eval_every"),
                         ({"patience": 2, "max_steps": 0}, "max_steps")]:
        with pytest.raises(ValueError, match=word):
            early_stopping(f, SGD(lr=0.1), np.zeros(3), f, **kwargs)
    with pytest.raises(ValueError, match="validation_loss"):
        early_stopping(f, SGD(lr=0.1), np.zeros(3), 3.0, patience=2)
