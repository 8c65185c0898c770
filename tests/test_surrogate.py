"""course_lib.objectives.surrogate: margin losses, their derivatives, the linear classifier."""

import numpy as np
import pytest

from course_lib.data import digits, two_gaussians
from course_lib.gradcheck import check_grad, check_hessian, numerical_grad
from course_lib.objectives import LogisticRegression, add_bias
from course_lib.objectives.surrogate import (
    MARGIN_LOSSES,
    LinearClassifier,
    margin_loss,
    margin_loss_derivative,
    train_classifier,
)
from course_lib.optim import SGD, Adam
from course_lib.risk import GaussianClasses

Z = np.array([-3.0, -1.0, -0.2, 0.0, 0.4, 0.999, 1.5, 4.0])


def test_values_at_known_margins():
    np.testing.assert_array_equal(margin_loss("zero_one", [-1.0, 0.0, 1e-9]), [1, 1, 0])
    assert margin_loss("logistic", 0.0) == pytest.approx(np.log(2))
    np.testing.assert_allclose(margin_loss("hinge", [-1.0, 1.0, 3.0]), [2.0, 0.0, 0.0])
    np.testing.assert_allclose(margin_loss("squared", [-1.0, 1.0, 3.0]), [4.0, 0.0, 4.0])
    assert margin_loss("logistic", -1000.0) == pytest.approx(1000.0)    # no overflow
    assert margin_loss("logistic", 1000.0) == 0.0


@pytest.mark.parametrize("name", ["logistic", "hinge", "squared"])
def test_derivatives_against_finite_differences(name):
    z = Z[np.abs(Z - 1.0) > 1e-2]                        # away from the hinge's kink
    numeric = [numerical_grad(lambda t: float(margin_loss(name, t[0])), np.array([v]))[0]
               for v in z]
    np.testing.assert_allclose(margin_loss_derivative(name, z), numeric, atol=1e-6)


def test_zero_one_has_no_useful_derivative_and_the_others_bound_it():
    assert not np.any(margin_loss_derivative("zero_one", Z))
    z = np.linspace(-5, 5, 1001)
    zero_one = margin_loss("zero_one", z)
    assert np.all(margin_loss("hinge", z) >= zero_one)
    assert np.all(margin_loss("squared", z) >= zero_one)
    assert np.all(margin_loss("logistic", z) / np.log(2) >= zero_one - 1e-12)   # base 2
    # past z = 1: logistic still falls, hinge is flat, squared rises again
    far = np.array([2.0, 3.0])
    assert np.all(margin_loss_derivative("logistic", far) < 0)
    assert not np.any(margin_loss_derivative("hinge", far))
    assert np.all(margin_loss_derivative("squared", far) > 0)


def _data():
    X, y = two_gaussians(m=40, seed=1, separation=1.0)
    return add_bias(X), y


@pytest.mark.parametrize("name", sorted(MARGIN_LOSSES))
@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_classifier_gradients_are_right(name, l2):
    X, y = _data()
    f = LinearClassifier(X, y, surrogate=name, l2=l2)
    theta = np.array([0.4, -0.7, 0.2])
    if name == "hinge":                    # no example exactly at the kink z = 1
        assert np.min(np.abs(f.margins(theta) - 1.0)) > 1e-3
    assert check_grad(f, theta).ok
    assert check_grad(f, theta, batch=np.array([0, 3, 5])).ok
    if name != "hinge":
        assert check_hessian(f, theta).ok
    else:
        with pytest.raises(NotImplementedError, match="piecewise linear"):
            f.hessian(theta)
    z = f.margins(theta)
    expected = np.mean(margin_loss(name, z)) + 0.5 * l2 * theta @ theta
    assert f.loss(theta) == pytest.approx(expected)


def test_logistic_is_logistic_regression_and_reuses_its_losses():
    X, y = _data()
    theta = np.array([1.0, 0.5, -0.3])
    ours, theirs = LinearClassifier(X, y, "logistic"), LogisticRegression(X, y)
    assert ours.loss(theta) == pytest.approx(theirs.loss(theta))
    np.testing.assert_allclose(ours.grad(theta), theirs.grad(theta))
    hinge = LinearClassifier(X, y, "hinge")
    assert hinge.loss(theta) == pytest.approx(theirs.hinge_loss(theta))
    assert LinearClassifier(X, y, "zero_one").loss(theta) == pytest.approx(
        theirs.zero_one_loss(theta))
    assert ours.error_rate(theta) == theirs.zero_one_loss(theta)
    assert ours.error_rate(theta, X[:5], y[:5]) == theirs.zero_one_loss(theta, np.arange(5))


def test_gradient_descent_on_the_zero_one_loss_never_moves():
    X, y = _data()
    r = train_classifier(X, y, "zero_one", SGD(lr=10.0), 50)
    assert np.all(r["trace"].thetas == 0) and r["train_error"][-1] == 0.5


def test_hinge_stops_when_every_margin_reaches_one_and_logistic_never_does():
    X, y = two_gaussians(m=40, seed=0, separation=6.0)       # separable
    X = add_bias(X)
    hinge = train_classifier(X, y, "hinge", SGD(lr=0.5), 2000)
    k = int(np.argmax(hinge["min_margin"] >= 1.0))
    assert hinge["min_margin"][-1] >= 1.0
    assert np.all(hinge["trace"].thetas[k:] == hinge["trace"].thetas[k])   # frozen
    logistic = train_classifier(X, y, "logistic", SGD(lr=0.5), 2000)
    assert np.all(np.diff(logistic["norm"][100:]) > 0)       # ‖θ‖ grows for ever
    assert np.all(np.diff(logistic["min_margin"][100:]) > 0)


def test_the_surrogate_observation_on_separable_data():
    """The book (8.1.2): the test 0-1 error keeps falling after the training 0-1 error is 0."""
    classes = GaussianClasses()
    X, y = classes.sample(40, seed=0)
    r = train_classifier(add_bias(X), y, "logistic", SGD(lr=1.0), 1000)
    k0 = int(np.argmax(r["train_error"] == 0))
    assert np.all(r["train_error"][k0:] == 0)
    true = classes.error_rate(r["trace"].thetas)
    assert true[-1] < true[k0] / 20


def test_train_classifier_records_test_errors_and_accepts_any_optimizer():
    split = digits(classes=(3, 8), fractions=(0.3, 0.0, 0.7))
    X, Xt = add_bias(split.X_train), add_bias(split.X_test)
    r = train_classifier(X, split.y_train, "logistic", Adam(lr=0.05), 60, Xt, split.y_test,
                         batch_size=16, rng=1)
    f = r["objective"]
    assert len(r["test_error"]) == 61 and r["test_error"][0] == pytest.approx(
        np.mean(split.y_test == 1))                        # θ = 0 predicts class 0 everywhere
    assert r["test_error"][-1] == f.error_rate(r["trace"].theta, Xt, split.y_test)
    assert r["train_error"][-1] == f.zero_one_loss(r["trace"].theta)


def test_unknown_surrogate_is_refused():
    X, y = _data()
    with pytest.raises(ValueError, match="surrogate must be one of"):
        LinearClassifier(X, y, "exponential")
    with pytest.raises(ValueError, match="surrogate must be one of"):
        margin_loss("cubic", 0.0)
