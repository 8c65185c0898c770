"""The learned rule g_φ: its special cases, the Optimizer contract against the vectorized
unroll, the evolution-strategies gradient, meta-training, and the learned rule on held-out
problems."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import gradcheck
from course_lib.learned import (
    LearnedOptimizer,
    MetaObjective,
    from_readable,
    meta_loss,
    meta_train,
    random_quadratics,
    readable,
    small_regressions,
    steady_update,
    unroll,
)
from course_lib.learned.rule import RHO2, update
from course_lib.objectives import Quadratic
from course_lib.optim import SGD, Adam, Momentum
from course_lib.run import minimize

BOWL = Quadratic((0.5, 3.0), angle=0.4)
THETA0 = np.array([2.0, -1.0])
ONE = 1 - 1e-12          # a share of 1, as a logistic function can give it


def test_readable_round_trip():
    phi = from_readable(eta=0.03, a=0.2, p=0.7, c=4.0)
    assert readable(phi) == pytest.approx({"eta": 0.03, "a": 0.2, "p": 0.7, "c": 4.0})


def test_special_case_sgd():
    sgd_like = LearnedOptimizer(from_readable(0.05, 1e-12, 1e-12, 1e12))
    a = minimize(BOWL, sgd_like, THETA0, 30)
    b = minimize(BOWL, SGD(lr=0.05), THETA0, 30)
    assert np.allclose(a.thetas, b.thetas, rtol=1e-9, atol=1e-12)


def test_special_case_adam():
    adam_like = LearnedOptimizer(from_readable(0.05, ONE, ONE, 1e12))
    a = minimize(BOWL, adam_like, THETA0, 30)
    b = minimize(BOWL, Adam(lr=0.05, rho1=0.9, rho2=RHO2, delta=1e-8), THETA0, 30)
    assert np.allclose(a.thetas, b.thetas, rtol=1e-7, atol=1e-10)


def test_the_clip_bounds_every_step_by_eta_c():
    rule = from_readable(0.1, 0.5, 0.0 + 1e-9, 2.0)
    delta, _, _ = update(rule, np.array([1e6, -1e6, 1e-3]), np.zeros(3), np.zeros(3), 1)
    assert np.all(np.abs(delta) <= 0.1 * 2.0 + 1e-12)
    assert np.isclose(delta[2], -0.1 * 1e-3, rtol=1e-3)   # small u: linear, η·u


def test_the_optimizer_runs_the_same_steps_as_the_vectorized_unroll():
    batch = random_quadratics(size=3, dim=4, seed=2)
    phi = from_readable(0.2, 0.6, 0.8, 5.0)
    ratios, path = unroll(phi, batch, 15, record=True)
    for b in range(batch.size):
        q = batch.objective(b)
        trace = minimize(q, LearnedOptimizer(phi), batch.theta0[b], 15)
        assert np.allclose(trace.thetas, path[:, b], rtol=1e-10, atol=1e-12)
        expected = np.log10(trace.losses[1:] / trace.losses[0])
        assert np.allclose(ratios[:, b], np.clip(expected, -12, 3), atol=1e-9)


def test_many_rules_at_once_equal_one_at_a_time():
    batch = random_quadratics(size=4, dim=3, seed=5)
    phis = np.array([from_readable(0.1, 0.3, 0.5, 3.0), from_readable(0.01, 0.9, 0.9, 30.0)])
    together = meta_loss(phis, batch, 20)
    assert np.allclose(together, [meta_loss(phi, batch, 20) for phi in phis])


def test_steady_update_is_the_step_under_a_long_constant_gradient():
    phi = from_readable(0.3, 0.7, 0.6, 2.0)
    g = np.array([0.01, -0.5, 3.0, -40.0])
    s = r = np.zeros(4)
    for t in range(1, 3001):
        delta, s, r = update(phi, g, s, r, t)
    assert np.allclose(delta, steady_update(phi, g), rtol=1e-6)


def test_the_meta_loss_caps_divergence_and_floors_success():
    batch = random_quadratics(size=4, dim=3, seed=1)
    wild = from_readable(1e4, 1e-9, 1e-9, 1e12)                 # SGD with ε = 10⁴
    assert np.isclose(meta_loss(wild, batch, 10), 3.0)
    ratios = unroll(from_readable(0.5, 1e-9, 1e-9, 1e12), batch, 500)
    assert ratios.min() >= -12.0


def test_families():
    q = random_quadratics(size=5, dim=4, seed=0)
    eig = np.linalg.eigvalsh(q.A)
    assert q.A.shape == (5, 4, 4) and np.all(eig > 0) and np.allclose(q.A, q.A.transpose(0, 2, 1))
    assert np.allclose(np.linalg.norm(q.theta0 - q.center, axis=1), 2.0)      # √n
    assert random_quadratics(size=5, dim=4, seed=0).A.tobytes() == q.A.tobytes()
    r = small_regressions(size=3, dim=4, examples=30, seed=0)
    assert np.allclose(r.grad(r.center), 0.0, atol=1e-12)        # the least-squares fit
    assert np.all(r.min_value > 0) and np.all(r.excess(r.center) == 0)
    assert gradcheck.check_grad(r.objective(1), r.theta0[1])
    with pytest.raises(ValueError, match="scale_range"):
        random_quadratics(scale_range=(1.0, 0.1))
    with pytest.raises(ValueError, match="phi has shape"):
        LearnedOptimizer([0.0, 1.0])


def test_the_es_estimate_points_along_the_gradient_of_the_meta_loss():
    batch = random_quadratics(size=8, dim=4, seed=3)
    meta = MetaObjective(lambda seed: batch, steps=10, pairs=400, sigma=0.02, seed=1)
    phi = from_readable(0.02, 0.5, 0.5, 10.0)
    numerical = gradcheck.numerical_grad(lambda p: meta.loss(p), phi, h=1e-4)
    estimate = meta.grad(phi)
    cosine = estimate @ numerical / (np.linalg.norm(estimate) * np.linalg.norm(numerical))
    assert cosine > 0.95
    assert np.array_equal(meta.grad(phi), estimate) and meta.calls == 1   # asked again: same


@pytest.fixture(scope="module")
def trained():
    return meta_train()


def test_meta_training_is_seeded_and_lowers_the_meta_loss(trained):
    losses = trained.trace.losses
    assert losses[-1] < losses[0] - 2.0                     # two decades better on average
    again = meta_train(iterations=20)
    assert np.array_equal(again.phi, meta_train(iterations=20).phi)
    assert trained.trace.n_steps == 150


def _final_log_ratio(optimizer, batch, steps):
    """Mean over problems of log₁₀ of the excess loss after ``steps`` steps, by minimize."""
    out = []
    for b in range(batch.size):
        q = batch.objective(b)
        trace = minimize(q, optimizer, batch.theta0[b], steps, warn=False)
        out.append(np.log10(trace.loss / trace.losses[0]) if trace.stop_reason != "diverged"
                   else 3.0)
    return float(np.mean(out))


def test_the_learned_rule_beats_untuned_sgd_on_held_out_quadratics(trained):
    for seed in (1000, 1001, 1002):
        held_out = random_quadratics(size=16, seed=seed)
        learned = _final_log_ratio(LearnedOptimizer(trained.phi), held_out, 40)
        untuned = _final_log_ratio(SGD(), held_out, 40)          # ε = 0.01, the default
        momentum = _final_log_ratio(Momentum(), held_out, 40)
        assert learned < untuned - 1.0 and learned < momentum - 1.0
