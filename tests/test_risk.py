"""course_lib.risk and course_lib.risk_sgd: empirical against true risk on known distributions.

The true risk is computed in closed form; every closed form is checked against a large
seeded Monte-Carlo sample, and every gradient against finite differences.
"""

import numpy as np
import pytest

from course_lib.gradcheck import numerical_grad
from course_lib.risk import GaussianClasses, PolynomialTask, risk_vs_size
from course_lib.risk_sgd import batch_lr, sgd_risk_curves

TASK = PolynomialTask()


def test_features_are_orthonormal_under_the_uniform_distribution():
    nodes, weights = np.polynomial.legendre.leggauss(64)
    phi = TASK.features(nodes, 12)
    np.testing.assert_allclose(phi.T @ (phi * (weights / 2)[:, None]), np.eye(13), atol=1e-12)
    x = np.random.default_rng(0).uniform(-1, 1, 400_000)
    sample = TASK.features(x, 4)
    np.testing.assert_allclose(sample.T @ sample / len(x), np.eye(5), atol=0.01)


def test_coefficients_of_sin_2pi_x():
    c = TASK.coefficients(30)
    np.testing.assert_allclose(c[::2], 0.0, atol=1e-14)          # sin is odd: no even terms
    assert c @ c == pytest.approx(0.5, abs=1e-12)                 # E[sin²(2πx)] = ½
    assert TASK.approximation_error(30) == pytest.approx(0.0, abs=1e-14)
    assert TASK.approximation_error(0) == pytest.approx(0.25)    # ½ E[f*²]
    errors = [TASK.approximation_error(d) for d in range(12)]
    assert all(a >= b for a, b in zip(errors, errors[1:], strict=False))


def test_true_risk_matches_a_large_sample_and_is_smallest_at_c():
    rng = np.random.default_rng(1)
    theta = rng.standard_normal(8) * 0.5
    x, y = TASK.sample(1_000_000, seed=2)
    mc = TASK.empirical_risk(theta, x, y)
    assert TASK.true_risk(theta) == pytest.approx(mc, rel=5e-3)
    c = TASK.coefficients(7)
    assert TASK.true_risk(c) == pytest.approx(TASK.best_risk(7))
    assert TASK.best_risk(7) == pytest.approx(TASK.bayes_risk + TASK.approximation_error(7))
    assert TASK.bayes_risk == pytest.approx(0.5 * 0.3 ** 2)
    stacked = np.stack([theta, c])
    np.testing.assert_allclose(TASK.true_risk(stacked),
                               [TASK.true_risk(theta), TASK.true_risk(c)])


def test_true_gradient_against_finite_differences_and_a_sample():
    theta = np.linspace(-1, 1, 6)
    np.testing.assert_allclose(TASK.true_grad(theta), numerical_grad(TASK.true_risk, theta),
                               atol=1e-6)
    x, y = TASK.sample(400_000, seed=3)
    mean_grad = TASK.per_example_grads(theta, x, y).mean(axis=0)
    np.testing.assert_allclose(mean_grad, TASK.true_grad(theta), atol=0.02)


def test_gradient_variance_matches_a_sample():
    theta = np.linspace(0.5, -0.5, 5)
    x, y = TASK.sample(400_000, seed=4)
    rows = TASK.per_example_grads(theta, x, y)
    mc = np.mean(np.sum((rows - TASK.true_grad(theta)) ** 2, axis=1))
    assert TASK.gradient_variance(theta) == pytest.approx(mc, rel=0.02)


def test_samples_are_seeded_and_nested():
    x1, y1 = TASK.sample(50, seed=7)
    x2, y2 = TASK.sample(200, seed=7)
    np.testing.assert_array_equal(x1, x2[:50])
    np.testing.assert_array_equal(y1, y2[:50])
    assert not np.array_equal(TASK.sample(50, seed=8)[0], x1)
    xs, ys = TASK.samples(30, draws=3, seed=5)
    assert xs.shape == ys.shape == (3, 30)
    np.testing.assert_array_equal(xs[2], TASK.sample(30, seed=5002)[0])


def test_fit_is_the_empirical_risk_minimizer_and_objective_agrees():
    x, y = TASK.sample(40, seed=0)
    theta = TASK.fit(x, y, 6)
    objective = TASK.objective(x, y, 6)
    assert np.linalg.norm(objective.grad(theta)) < 1e-10
    assert objective.loss(theta) == pytest.approx(TASK.empirical_risk(theta, x, y))
    # with fewer examples than parameters the fit interpolates: training risk 0
    x, y = TASK.sample(8, seed=0)
    assert TASK.empirical_risk(TASK.fit(x, y, 12), x, y) < 1e-20


def test_gap_shrinks_like_sigma2_p_over_m():
    # the gap is a small difference of two noisy numbers: 200 training sets for each m
    r = risk_vs_size(TASK, [200, 1000], degree=9, draws=200, seed=0)
    gap = r["mean_true"] - r["mean_train"]
    expected = TASK.noise ** 2 * 10 / r["sizes"]          # σ² p / m, p = d + 1 = 10
    np.testing.assert_allclose(gap / expected, 1.0, atol=0.15)
    assert np.all(r["true"] >= TASK.best_risk(9))


def test_bad_inputs_are_named():
    for call, word in [(lambda: PolynomialTask(noise=-1), "noise"),
                       (lambda: TASK.features([2.0], 3), "x must lie"),
                       (lambda: TASK.features([0.0], -1), "degree"),
                       (lambda: TASK.sample(0), "m must"),
                       (lambda: TASK.sample(5, seed=None), "seed"),
                       (lambda: TASK.true_risk(np.array(1.0)), "theta"),
                       (lambda: GaussianClasses(cov=np.eye(3)), "cov"),
                       (lambda: GaussianClasses().error_rate(np.zeros(2)), "theta")]:
        with pytest.raises(ValueError, match=word):
            call()


# --- two Gaussian classes ----------------------------------------------------------------
def test_gaussian_classes_error_rate_is_exact():
    classes = GaussianClasses()
    X, y = classes.sample(400_000, seed=0)
    assert y.mean() == pytest.approx(0.5)
    for theta in ([1.0, 0.3, 0.1], [-0.5, 2.0, -0.4], list(classes.bayes_direction) + [0.0]):
        theta = np.array(theta)
        mc = np.mean((X @ theta[:2] + theta[2] > 0) != (y == 1))
        assert classes.error_rate(theta) == pytest.approx(mc, abs=3e-3)
    assert classes.error_rate(np.zeros(3)) == 0.5
    best = classes.error_rate(np.append(classes.bayes_direction, 0.0))
    assert best == pytest.approx(classes.bayes_error)
    angles = np.linspace(0, 2 * np.pi, 721)
    others = classes.error_rate(np.column_stack([np.cos(angles), np.sin(angles),
                                                 np.zeros_like(angles)]))
    assert others.min() >= best - 1e-12
    # the direction between the class means is a poor separator on these long thin clouds
    assert classes.error_rate(np.append(classes.mean, 0.0)) > 100 * best


# --- minibatch SGD on many training sets ----------------------------------------------------
def test_batch_lr_limits():
    x, _ = TASK.sample(50, seed=0)
    phi = TASK.features(x, 5)
    beta = np.max(np.sum(phi ** 2, axis=1))
    lam1 = np.linalg.eigvalsh(phi.T @ phi / 50)[-1]
    assert batch_lr(phi, 1) == pytest.approx(1 / beta)
    assert batch_lr(phi, 50) <= 1 / lam1 + 1e-12
    assert batch_lr(phi, 1) < batch_lr(phi, 8) < batch_lr(phi, 50)


def test_sgd_curves_full_batch_reach_the_erm_and_record_exact_risks():
    r = sgd_risk_curves(TASK, 60, 5, None, updates=3000, draws=3, seed=1, record_every=100)
    assert r["batch_size"] == 60 and r["epochs"] == 3000
    assert r["steps"][0] == 0 and r["steps"][-1] == 3000
    for d in range(3):
        x, y = r["x"][d], r["y"][d]
        np.testing.assert_allclose(r["theta"][d], TASK.fit(x, y, 5), atol=1e-6)
        assert r["train"][d, -1] == pytest.approx(TASK.empirical_risk(r["theta"][d], x, y))
        assert r["true"][d, -1] == pytest.approx(TASK.true_risk(r["theta"][d]))
    assert np.allclose(r["train"][:, 0], 0.5 * np.mean(r["y"] ** 2, axis=1))


def test_sgd_curves_are_seeded_and_minibatches_stay_stable():
    a = sgd_risk_curves(TASK, 40, 12, 4, updates=300, draws=2, seed=3)
    b = sgd_risk_curves(TASK, 40, 12, 4, updates=300, draws=2, seed=3)
    np.testing.assert_array_equal(a["true"], b["true"])
    for batch in (1, 4, 16):
        r = sgd_risk_curves(TASK, 100, 15, batch, updates=600, draws=2, seed=0)
        assert np.all(np.isfinite(r["true"])) and np.all(r["train"][:, -1] < r["train"][:, 0])
