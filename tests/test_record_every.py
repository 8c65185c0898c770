"""minimize(record_every=..., record_grad_norm=...): long runs keep memory flat, rows need
not pay a full-batch gradient each; the divergence guard works both ways (a saddle is
unbounded below)."""

import tracemalloc
import warnings

import numpy as np
import pytest

from course_lib import minimize
from course_lib.objectives import LinearRegression, Quadratic, Saddle
from course_lib.optim import SGD, Momentum


def test_rows_are_the_recorded_steps_and_the_last_step():
    q = Quadratic((1.0, 10.0))
    full = minimize(q, Momentum(lr=0.05, alpha=0.9), [1.0, 1.0], steps=95)
    thin = minimize(q, Momentum(lr=0.05, alpha=0.9), [1.0, 1.0], steps=95, record_every=10)
    assert list(thin.ks) == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95]
    assert thin.n_steps == full.n_steps == 95
    np.testing.assert_array_equal(thin.thetas, full.thetas[thin.ks])
    np.testing.assert_array_equal(thin.losses, full.losses[thin.ks])
    np.testing.assert_array_equal(thin.grad_norms, full.grad_norms[thin.ks])
    assert len(thin.states) == len(thin.lrs) == len(thin.ks) - 1
    np.testing.assert_array_equal(thin.states[-1].v, full.states[-1].v)
    assert (thin.ngev, thin.nfev) == (full.ngev, full.nfev)   # the optimizer's own requests
    ends = minimize(q, SGD(lr=0.05), [1.0, 1.0], steps=95, record_every=None)
    assert list(ends.ks) == [0, 95] and np.allclose(ends.theta, thin.theta, atol=1.0)


def test_default_rows_are_every_step():
    trace = minimize(Quadratic((1.0, 2.0)), SGD(lr=0.1), [1.0, 1.0], steps=7)
    assert list(trace.ks) == list(range(8)) and len(trace.thetas) == 8


def test_convergence_and_divergence_keep_their_step_as_the_last_row():
    q = Quadratic((1.0, 10.0))
    done = minimize(q, SGD(lr=0.15), [1.0, 1.0], steps=10_000, tol=1e-8, record_every=100)
    exact = minimize(q, SGD(lr=0.15), [1.0, 1.0], steps=10_000, tol=1e-8)
    assert done.stop_reason == "converged" and done.n_steps == exact.n_steps
    np.testing.assert_array_equal(done.theta, exact.theta)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        blown = minimize(q, SGD(lr=0.25), [1.0, 1.0], steps=10_000, record_every=7)
        again = minimize(q, SGD(lr=0.25), [1.0, 1.0], steps=10_000)
    assert blown.stop_reason == "diverged" and blown.n_steps == again.n_steps
    np.testing.assert_array_equal(blown.theta, again.theta)


def test_memory_of_a_long_run_stays_flat():
    q = Quadratic(np.linspace(1.0, 2.0, 100))
    theta0 = np.ones(100)
    steps = 5_000        # long enough to tell rows apart; tracemalloc slows every step

    def peak(**kwargs):
        tracemalloc.start()
        minimize(q, Momentum(lr=0.1, alpha=0.5), theta0, steps=steps, **kwargs)
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    every, thin = peak(), peak(record_every=250)
    # Every row keeps θ and v (2 × 100 floats) and more: > 8 MB for 5 000 steps...
    assert every > steps * 2 * 100 * 8
    # ... and 21 rows keep a thirtieth of that, well under a megabyte.
    assert thin < min(1_000_000, every / 30)


def test_bad_record_every_is_named():
    with pytest.raises(ValueError, match="record_every"):
        minimize(Quadratic((1.0,)), SGD(lr=0.1), [1.0], steps=3, record_every=0)


def test_the_divergence_guard_acts_downward_too():
    saddle = Saddle()                     # J = x² − y²: unbounded below
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trace = minimize(saddle, SGD(lr=0.1), [1.0, 0.01], steps=100_000)
    assert trace.stop_reason == "diverged" and "diverged at step" in trace.message
    limit = 1e12 * (1 + abs(saddle.loss([1.0, 0.01])))
    assert abs(trace.loss) <= limit < abs(saddle.loss(trace.theta * 1.2 ** 2))
    # y grows by 1.2 per step; |J| ≈ y² passes 1e12 after about log(1e12 · 1e4)/(2 log 1.2)
    assert trace.n_steps == pytest.approx(np.log(1e16 * (1 + 1.0)) / (2 * np.log(1.2)), abs=2)


class CountingGrads(LinearRegression):
    """A least-squares objective that counts its gradients on the whole training set."""

    full_grads = 0

    def grad(self, theta, batch=None):
        if batch is None:
            type(self).full_grads += 1
        return super().grad(theta, batch)


def test_without_grad_norms_the_rows_are_the_same_and_no_full_gradient_is_taken():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 3))
    f = CountingGrads(X, X @ np.array([1.0, -2.0, 0.5]))
    runs = {}
    for flag in (True, False):
        CountingGrads.full_grads = 0
        runs[flag] = minimize(f, Momentum(lr=0.05, alpha=0.5), np.zeros(3), steps=40,
                              batch_size=5, rng=1, record_grad_norm=flag)
        runs[flag, "full"] = CountingGrads.full_grads
    np.testing.assert_array_equal(runs[True].thetas, runs[False].thetas)
    np.testing.assert_array_equal(runs[True].losses, runs[False].losses)
    assert runs[True, "full"] == 41           # θ₀ and each of the 40 rows
    assert runs[False, "full"] == 1           # θ₀ only (for a tol check at the start)
    assert np.isnan(runs[False].grad_norms).all() and len(runs[False].grad_norms) == 41
    with pytest.raises(ValueError, match="record_grad_norm must be True or False"):
        minimize(f, Momentum(lr=0.05), np.zeros(3), steps=1, record_grad_norm="no")
