"""Products of Jacobians (section 8.2.5): w^T, a repeated W = V diag(λ) V⁻¹ whose powers
follow its eigenvalues, random products whose log-norm is a random walk with the theory's
slope, and the tanh RNN's ∂h_T/∂h_t."""

import numpy as np
import pytest
from scipy.special import digamma

from course_lib.jacobians import (
    fitted_slope,
    gaussian_lyapunov,
    matrix_powers,
    random_products,
    rnn_state_jacobians,
    scalar_chain,
    spectral_radius,
    with_spectral_radius,
)


def test_scalar_chain_is_w_to_the_t():
    np.testing.assert_allclose(scalar_chain(0.9, 50), 0.9 ** np.arange(51))
    assert scalar_chain(0.5, 40)[-1] == pytest.approx(2.0 ** -40)
    assert scalar_chain(1.1, 100)[-1] == pytest.approx(1.1 ** 100)


def test_repeated_matrix_powers_follow_the_eigenvalues():
    V = np.array([[1.0, 1.0], [0.0, 1.0]])
    W = V @ np.diag([1.2, 0.5]) @ np.linalg.inv(V)
    r = matrix_powers(W, 40)
    np.testing.assert_allclose(r["norms"], r["norms_eig"], rtol=1e-10)
    assert r["radius"] == pytest.approx(1.2)
    # ‖W^t‖^(1/t) → |λ_max|
    assert r["norms"][-1] ** (1 / 40) == pytest.approx(1.2, rel=0.02)
    # direct check of W^t = V diag(λ)^t V⁻¹
    np.testing.assert_allclose(np.linalg.matrix_power(W, 7),
                               V @ np.diag([1.2 ** 7, 0.5 ** 7]) @ np.linalg.inv(V))
    shrink = matrix_powers(W / 1.5, 60)        # eigenvalues 0.8 and 1/3
    assert shrink["norms"][-1] == pytest.approx(0.8 ** 60, rel=0.5)


def test_symmetric_power_norm_is_radius_to_the_t():
    Q, _ = np.linalg.qr(np.arange(16.0).reshape(4, 4) + np.eye(4))
    W = Q @ np.diag([0.9, -0.7, 0.3, 0.1]) @ Q.T
    np.testing.assert_allclose(matrix_powers(W, 30)["norms"], 0.9 ** np.arange(31),
                               rtol=1e-9)


def test_gaussian_lyapunov_exponent():
    theory = gaussian_lyapunov(10, 1.0)
    assert theory["mean"] == pytest.approx(0.5 * (digamma(5.0) + np.log(0.2)))
    assert gaussian_lyapunov(10, 2.0)["mean"] == pytest.approx(theory["mean"] + np.log(2.0))
    with pytest.raises(ValueError, match="sigma"):
        gaussian_lyapunov(3, 0.0)


def test_random_products_log_norm_is_linear_in_depth_with_the_theory_slope():
    r = random_products(8, 60, sigma=1.5, runs=2000, rng=0)
    theory = gaussian_lyapunov(8, 1.5)
    mean = r["log_norms"].mean(axis=0)
    slope = fitted_slope(r["t"], mean)
    # within 4 standard errors of the mean slope over 2000 chains, √(var/60/2000)
    assert slope == pytest.approx(theory["mean"], abs=4 * np.sqrt(theory["var"] / 60 / 2000))
    # the spread grows like √t: after 60 stages the variance is 60 × the per-stage one
    # (the sample variance of 2000 chains has a relative standard error of √(2/1999) ≈ 3 %)
    assert r["log_norms"][:, -1].var() == pytest.approx(60 * theory["var"], rel=0.12)


def test_rnn_state_jacobians_against_finite_differences():
    rng = np.random.default_rng(0)
    n, T = 4, 6
    W = rng.standard_normal((n, n)) / 2
    U = rng.standard_normal((n, 1))
    xs = rng.standard_normal((T, 1))

    def run(h):
        states, pre = [h], []
        for t in range(T):
            a = W @ states[-1] + U @ xs[t]
            pre.append(a)
            states.append(np.tanh(a))
        return states, np.array(pre)

    states, pre = run(np.zeros(n))
    r = rnn_state_jacobians(W, pre)
    for t in (0, 2, 5):
        # ∂h_T/∂h_t by finite differences of the map h_t ↦ h_T
        def tail(h, t=t):
            for s in range(t, T):
                h = np.tanh(W @ h + U @ xs[s])
            return h
        J = np.column_stack([(tail(states[t] + 1e-6 * e) - tail(states[t] - 1e-6 * e)) / 2e-6
                             for e in np.eye(n)])
        assert r["norms"][t] == pytest.approx(np.linalg.norm(J, 2), rel=1e-6)
    assert r["norms"][T] == 1.0
    np.testing.assert_allclose(r["linear"], [np.linalg.norm(np.linalg.matrix_power(W, T - t), 2)
                                             for t in range(T + 1)])


def test_spectral_radius_rescaling_and_validation():
    W = with_spectral_radius(np.arange(9.0).reshape(3, 3), 0.8)
    assert spectral_radius(W) == pytest.approx(0.8)
    with pytest.raises(ValueError, match="square"):
        matrix_powers(np.ones((2, 3)), 3)
    with pytest.raises(ValueError, match="pre_activations"):
        rnn_state_jacobians(np.eye(2), np.ones((3, 3)))
