"""Hypergradient descent (Baydin et al. 2018, SGD-HD): the rule, the hypergradient against a
finite difference, and what it does to a rate that is too small or too large."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.objectives import Quadratic
from course_lib.optim import SGD, HypergradientSGD
from course_lib.optim.hypergradient import HypergradientState
from course_lib.run import Oracle, minimize

BOWL = Quadratic((1.0, 4.0), angle=0.3)


def test_one_step_follows_the_rule():
    opt = HypergradientSGD(lr=0.1, beta=0.02)
    theta = np.array([1.0, -2.0])
    g_prev = np.array([0.5, 0.25])
    state = HypergradientState(k=3, lr=0.1, g_prev=g_prev)
    new, after = opt.step(theta, state, Oracle(BOWL))
    g = BOWL.grad(theta)
    lr = 0.1 + 0.02 * g @ g_prev                      # ε_t = ε_{t−1} + β g_t·g_{t−1}
    assert np.isclose(after.lr, lr)
    assert np.allclose(new, theta - lr * g)           # θ_t = θ_{t−1} − ε_t g_t
    assert np.array_equal(after.g_prev, g) and after.k == 4
    assert np.array_equal(theta, [1.0, -2.0]) and np.array_equal(state.g_prev, g_prev)
    assert not after.g_prev.flags.writeable


def test_first_step_is_sgd_and_beta_zero_is_sgd_throughout():
    theta0 = np.array([1.5, 0.5])
    hd = minimize(BOWL, HypergradientSGD(lr=0.05, beta=0.3), theta0, 1)
    sgd = minimize(BOWL, SGD(lr=0.05), theta0, 1)
    assert np.allclose(hd.theta, sgd.theta) and hd.states[0].lr == 0.05   # g₀ = 0
    hd0 = minimize(BOWL, HypergradientSGD(lr=0.05, beta=0.0), theta0, 40)
    assert np.allclose(hd0.thetas, minimize(BOWL, SGD(lr=0.05), theta0, 40).thetas)


def test_the_hypergradient_is_the_derivative_of_the_loss_in_the_rate():
    # h_t = −g_t · g_{t−1} = d/dε J(θ_{t−2} − ε g_{t−1}): compare with a central difference
    theta_before = np.array([1.0, 1.0])
    g_prev = BOWL.grad(theta_before)
    eps, d = 0.07, 1e-6
    theta = theta_before - eps * g_prev
    h = -BOWL.grad(theta) @ g_prev
    numerical = (BOWL.loss(theta_before - (eps + d) * g_prev)
                 - BOWL.loss(theta_before - (eps - d) * g_prev)) / (2 * d)
    assert np.isclose(h, numerical, rtol=1e-7)


def test_a_too_small_rate_is_raised_on_a_quadratic():
    q = Quadratic((1.0, 2.0))
    trace = minimize(q, HypergradientSGD(lr=1e-3, beta=1e-3), np.array([3.0, 3.0]), 60)
    rates = np.array([s.lr for s in trace.states])
    assert rates[-1] > 100 * 1e-3                      # from 0.001 to above 0.1
    assert np.all(np.diff(rates[:20]) > 0)             # while the gradients agree, it rises
    assert trace.loss < minimize(q, SGD(lr=1e-3), np.array([3.0, 3.0]), 60).loss / 100


def test_a_too_large_rate_is_lowered():
    q = Quadratic((1.0,))
    trace = minimize(q, HypergradientSGD(lr=1.9, beta=0.05), np.array([2.0]), 30)
    # 1 − ε λ < 0: successive gradients flip sign, g_t·g_{t−1} < 0, so ε falls
    assert trace.states[1].lr < 1.9 and trace.states[-1].lr < 1.6
    assert trace.loss < 1e-6


def test_rate_lives_in_the_state_and_bad_values_are_refused():
    assert np.isnan(HypergradientSGD().lr_at(3))
    with pytest.raises(ValueError, match="lr must be > 0"):
        HypergradientSGD(lr=0.0)
    with pytest.raises(ValueError, match="beta must be >= 0"):
        HypergradientSGD(beta=-1.0)
