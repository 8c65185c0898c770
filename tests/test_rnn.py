"""The vanilla RNN objective: backpropagation through time against finite differences,
the state-Jacobian norms, and the gradient through time for spectral radius below and
above 1."""

import numpy as np
import pytest

from course_lib import gradcheck
from course_lib.objectives.rnn import RNN, first_input_task
from course_lib.optim import SGD
from course_lib.run import minimize


@pytest.fixture(scope="module")
def rnn():
    X, y = first_input_task(m=12, T=7, d=2, seed=1)
    return RNN(X, y, hidden=4)


def test_shapes_and_task():
    X, y = first_input_task(m=5, T=3, d=2, seed=0)
    assert X.shape == (5, 3, 2)
    np.testing.assert_array_equal(y, X[:, 0, 0])
    net = RNN(X, y, hidden=3)
    assert net.dim == 9 + 6 + 3 + 3 + 1 and net.n_examples == 5


@pytest.mark.parametrize("rho", [0.5, 1.0, 1.5])
def test_bptt_matches_finite_differences(rnn, rho):
    theta = rnn.init_theta(rng=2, spectral_radius=rho)
    theta[-1] = 0.3                       # c ≠ 0
    assert gradcheck.check_grad(rnn, theta, rtol=1e-6)
    assert gradcheck.check_grad(rnn, theta, batch=np.array([0, 3, 5]), rtol=1e-6)


def test_pack_unpack_round_trip(rnn):
    theta = rnn.init_theta(rng=0)
    np.testing.assert_array_equal(rnn.pack(**rnn.unpack(theta)), theta)
    with pytest.raises(ValueError, match="shape"):
        rnn.pack(np.eye(3), np.zeros((4, 2)), np.zeros(4), np.zeros(4), 0.0)


def test_init_spectral_radius(rnn):
    W = rnn.unpack(rnn.init_theta(rng=0, spectral_radius=1.3))["W"]
    assert np.max(np.abs(np.linalg.eigvals(W))) == pytest.approx(1.3)


def test_gradient_through_time_matches_state_jacobians(rnn):
    theta = rnn.init_theta(rng=4, spectral_radius=0.9)
    norms = rnn.state_jacobian_norms(theta, example=2)
    assert norms["norms"][-1] == 1.0 and len(norms["norms"]) == rnn.T + 1
    one = rnn.gradient_through_time(theta, batch=np.array([2]))
    # ‖∂J/∂h_t‖ ≤ ‖∂J/∂h_T‖ ‖∂h_T/∂h_t‖ for one example
    assert np.all(one <= one[-1] * norms["norms"] * (1 + 1e-12))


def test_vanishing_and_exploding_with_the_spectral_radius():
    X, y = first_input_task(m=32, T=30, seed=0)
    net = RNN(X, y, hidden=8)
    small = net.state_jacobian_norms(net.init_theta(rng=0, spectral_radius=0.5), 0)
    assert small["norms"][0] < 1e-6 and small["linear"][0] < 1e-6
    big = net.state_jacobian_norms(net.init_theta(rng=0, spectral_radius=1.5, input_scale=0.1),
                                   0)
    assert big["linear"][0] > 1e4            # the linear RNN explodes like 1.5^30
    assert big["norms"][0] < big["linear"][0]  # tanh's slopes ≤ 1 damp the product


def test_training_lowers_the_loss():
    X, y = first_input_task(m=32, T=3, seed=0)
    net = RNN(X, y, hidden=6)
    trace = minimize(net, SGD(lr=0.2), net.init_theta(rng=0), 200)
    assert trace.loss < 0.5 * trace.losses[0]


def test_bad_input():
    with pytest.raises(ValueError, match="X"):
        RNN(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="y"):
        RNN(np.zeros((3, 2, 1)), np.zeros(4))
    net = RNN(np.zeros((3, 2, 1)), np.zeros(3))
    with pytest.raises(ValueError, match="example"):
        net.state_jacobian_norms(net.init_theta(rng=0), example=3)
