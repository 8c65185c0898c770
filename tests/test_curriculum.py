"""Curriculum samplers: their composition over time (the share of each difficulty level per
stage), the same budget for all, the self-paced pool, and the noisy-digits task."""

import numpy as np
import pytest

from course_lib.global_opt import curriculum as C
from course_lib.global_opt.curriculum_task import noisy_digits
from course_lib.objectives import MLP
from course_lib.optim import Momentum

LEVEL = np.repeat(np.arange(4), [10, 20, 30, 40])       # 100 examples, 4 levels
COUNTS = np.array([10, 20, 30, 40])
K = 80                                                 # pace 0.5: stages of 10 steps


def shares(name, **extra):
    sampler = C.make_sampler(name, LEVEL, K, 8, pace=0.5, **extra)
    return np.array([sampler.level_shares(k) for k in range(K)])


def test_uniform_is_the_data_distribution_throughout():
    assert np.allclose(shares("uniform"), COUNTS / 100)


def test_deterministic_and_anti_curriculum_take_one_level_per_stage():
    det, anti = shares("deterministic"), shares("anti-curriculum")
    for s in range(4):
        stage = slice(10 * s, 10 * s + 10)
        assert np.allclose(det[stage], np.eye(4)[s])
        assert np.allclose(anti[stage], np.eye(4)[3 - s])
    assert np.allclose(det[40:], COUNTS / 100) and np.allclose(anti[40:], COUNTS / 100)


def test_stochastic_curriculum_mixes_every_level_and_the_hard_share_rises():
    mix = 0.25
    st = shares("stochastic", mix=mix)
    for s in range(4):
        unlocked = np.arange(4) <= s
        expected = (1 - mix) * unlocked * COUNTS / COUNTS[unlocked].sum() + mix * COUNTS / 100
        assert np.allclose(st[10 * s:10 * s + 10], expected)
    assert np.all(st[:40] > 0)                          # every level in every minibatch's law
    hard = st[:, 3]
    assert np.all(np.diff(hard) >= 0) and hard[0] == pytest.approx(0.1)
    assert np.allclose(st[40:], COUNTS / 100)


def test_drawn_minibatches_follow_the_expected_shares():
    sampler = C.Stochastic(LEVEL, K, 50, pace=0.5, mix=0.25)
    rng = np.random.default_rng(0)
    drawn = np.zeros(4)
    for _ in range(400):
        drawn += np.bincount(LEVEL[sampler.batch(12, rng)], minlength=4)   # stage 1
    assert np.allclose(drawn / drawn.sum(), sampler.level_shares(12), atol=0.01)


def test_probabilities_are_the_curriculum_weights():
    for name in ("uniform", "deterministic", "stochastic", "anti-curriculum"):
        sampler = C.make_sampler(name, LEVEL, K, 8)
        for k in (0, 15, 39, 40, 79):
            w = sampler.probabilities(k)
            assert w.shape == (100,) and np.isclose(w.sum(), 1.0) and np.all(w >= 0)


def test_self_paced_pool_is_the_lowest_losses():
    sampler = C.SelfPaced(LEVEL, K, 8, pace=0.5, start=0.3)
    losses = np.linspace(1.0, 0.0, 100)             # the last examples are the easiest
    w = sampler.probabilities(0, losses)
    assert np.count_nonzero(w) == 30 and np.all(w[70:] > 0)
    assert sampler.share(20) == pytest.approx(0.65)
    assert np.count_nonzero(sampler.probabilities(40, losses)) == 100
    with pytest.raises(ValueError, match="needs the current per-example losses"):
        sampler.probabilities(0)


@pytest.fixture(scope="module")
def task():
    return noisy_digits(seed=0)


def test_noisy_digits_task(task):
    assert task.n_levels == 5 and task.X.shape == (253, 64)
    assert task.counts().sum() == 253 and np.all(task.counts() > 30)
    assert np.array_equal(np.bincount(task.level_test), [len(task.y_test) // 5] * 5)
    clean = task.X[task.level == 0]
    assert clean.min() >= 0 and clean.max() <= 1
    assert np.std(task.X[task.level == 4] - 0.3) > 1.5
    again = noisy_digits(seed=0)
    assert np.array_equal(again.X, task.X)
    with pytest.raises(ValueError, match="increasing"):
        noisy_digits(noise=(1.0, 0.5))


@pytest.mark.parametrize("name", list(C.SAMPLERS))
def test_every_sampler_trains_on_the_same_budget(task, name):
    f = MLP(task.X, task.y, hidden=(8,), loss="logistic")
    sampler = C.make_sampler(name, task.level, 60, 16)
    run = C.train_with_curriculum(f, Momentum(lr=0.1, alpha=0.9), f.init_theta(0), sampler,
                                  seed=0, X_test=task.X_test, y_test=task.y_test,
                                  n_checkpoints=3)
    assert run.nexamples == 60 * 16 and run.level_counts.sum() == 60 * 16
    assert run.level_counts.shape == (3, 5) and np.all(run.level_counts.sum(1) == 20 * 16)
    assert np.array_equal(run.checkpoints, [0, 20, 40, 60])
    assert run.test_loss[-1] < run.test_loss[0]
    assert (run.nranking > 0) == (name == "self-paced")
    if name == "deterministic":     # pace 0.5: 6 steps per level; steps 0-19 see levels 0-3
        assert np.array_equal(run.level_counts[0], [6 * 16, 6 * 16, 6 * 16, 2 * 16, 0])


def test_example_losses_are_the_model_nll(task):
    f = MLP(task.X, task.y, hidden=(4,), loss="logistic")
    theta = f.init_theta(1)
    assert np.isclose(C.example_losses(f, theta).mean(), f.loss(theta))


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="pace must be in"):
        C.Uniform(LEVEL, K, 8, pace=0.0)
    with pytest.raises(ValueError, match="name must be one of"):
        C.make_sampler("random", LEVEL, K, 8)
    with pytest.raises(ValueError, match="integer levels"):
        C.Uniform(np.array([0.5, 1.0]), K, 8)
