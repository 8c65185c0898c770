"""The hinted deep, thin network: hand-written gradient against finite differences, the two
parts of its loss, and λ = 0 as the plain network."""

import numpy as np
import pytest

from course_lib.global_opt.hints import HintedMLP
from course_lib.gradcheck import check_grad
from course_lib.objectives import MLP


def data(m=40, d=5, k=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, d))
    concepts = (X @ rng.standard_normal((d, k)) > 0).astype(float)
    return X, concepts.sum(1) % 2, 2 * concepts - 1


@pytest.mark.parametrize("layer", [1, 2, 4])
@pytest.mark.parametrize("loss, activation", [("logistic", "tanh"), ("mse", "tanh"),
                                               ("logistic", "relu")])
def test_gradient_matches_finite_differences(layer, loss, activation):
    X, y, H = data()
    f = HintedMLP(X, y, H, hidden=(4, 5, 4, 3), hint_layer=layer, weight=0.7,
                  activation=activation, loss=loss)
    theta = f.init_theta(2) + 0.1 * np.random.default_rng(3).standard_normal(f.dim)
    assert check_grad(f, theta), check_grad(f, theta)
    assert check_grad(f, theta, batch=np.array([0, 3, 7])), "minibatch"


def test_loss_is_task_plus_weighted_hint():
    X, y, H = data()
    f = HintedMLP(X, y, H, hidden=(4, 4, 4), hint_layer=2, weight=0.5)
    theta = f.init_theta(0)
    assert np.isclose(f.loss(theta), f.task_loss(theta) + 0.5 * f.hint_loss(theta))
    plain = MLP(X, y, hidden=(4, 4, 4), loss="logistic")
    net = f.net_theta(theta)
    assert np.isclose(f.task_loss(theta), plain.loss(net))
    assert np.allclose(f.predict(theta), plain.predict(net))
    assert f.dim == plain.dim + 4 * 3 + 3


def test_without_the_hint_the_head_gets_no_gradient():
    X, y, H = data()
    f = HintedMLP(X, y, H, hidden=(4, 4, 4), hint_layer=2, weight=0.0)
    theta = f.init_theta(0)
    g = f.grad(theta)
    plain = MLP(X, y, hidden=(4, 4, 4), loss="logistic")
    assert np.allclose(g[:f.net_dim], plain.grad(f.net_theta(theta)))
    assert np.all(g[f.net_dim:] == 0)


def test_bad_input_is_named():
    X, y, H = data()
    with pytest.raises(ValueError, match="hint_layer must be in"):
        HintedMLP(X, y, H, hidden=(4, 4), hint_layer=3)
    with pytest.raises(ValueError, match="one row per example"):
        HintedMLP(X, y, H[:5], hidden=(4, 4))
    with pytest.raises(ValueError, match="weight must be >= 0"):
        HintedMLP(X, y, H, hidden=(4, 4), weight=-1.0)


def test_concept_parity_task():
    from course_lib.global_opt.hints import concept_parity_task

    X, y, H = concept_parity_task(seed=1, m=300, d=6, k=3)
    assert X.shape == (300, 6) and H.shape == (300, 3)
    assert np.array_equal(y, ((H + 1) / 2).sum(1) % 2)
    assert 0.3 < y.mean() < 0.7
    assert np.array_equal(concept_parity_task(seed=1, m=300, d=6, k=3)[0], X)
