"""Gradient clipping (sections 8.2.4, 10.11.1): norm clipping keeps the direction and bounds
the norm, value clipping bounds each component, and ``Clipped`` feeds clipped gradients to
any optimizer (every gradient it asks for: Nesterov's interim point, a line search's trials).
"""

import numpy as np
import pytest

from course_lib.objectives import Cliff, Quadratic
from course_lib.optim import SGD, Adam, Nesterov, Newton
from course_lib.run import Oracle, minimize
from course_lib.strategies.clipping import (
    Clipped,
    ClippedOracle,
    clip,
    clip_by_norm,
    clip_by_value,
)


@pytest.mark.parametrize("seed", range(20))
def test_norm_clipping_keeps_direction_and_bounds_norm(seed):
    rng = np.random.default_rng(seed)
    g = rng.standard_normal(int(rng.integers(1, 8))) * 10.0 ** rng.uniform(-2, 2)
    v = 10.0 ** rng.uniform(-1, 1)
    c = clip_by_norm(g, v)
    assert np.linalg.norm(c) <= v * (1 + 1e-12)
    assert np.linalg.norm(c) == pytest.approx(min(np.linalg.norm(g), v), rel=1e-12)
    cosine = c @ g / (np.linalg.norm(c) * np.linalg.norm(g))
    assert cosine == pytest.approx(1.0, abs=1e-12)


def test_norm_clipping_leaves_small_gradients_alone_and_copies():
    g = np.array([0.3, -0.4])                    # ‖g‖ = 0.5
    c = clip_by_norm(g, 1.0)
    np.testing.assert_array_equal(c, g)
    assert c is not g
    np.testing.assert_allclose(clip_by_norm([30.0, -40.0], 5.0), [3.0, -4.0])
    np.testing.assert_array_equal(clip_by_norm(np.zeros(3), 1.0), np.zeros(3))
    big = np.array([30.0, -40.0])
    clip_by_norm(big, 1.0)
    np.testing.assert_array_equal(big, [30.0, -40.0])     # input unchanged


def test_value_clipping_changes_direction():
    g = np.array([10.0, 1.0])
    c = clip_by_value(g, 1.0)
    np.testing.assert_array_equal(c, [1.0, 1.0])
    angle = np.degrees(np.arccos(c @ g / np.linalg.norm(c) / np.linalg.norm(g)))
    assert angle == pytest.approx(45.0 - np.degrees(np.arctan(0.1)), abs=1e-9)   # ≈ 39.3°
    np.testing.assert_array_equal(clip(g, 1.0, "value"), c)
    np.testing.assert_allclose(clip(g, 1.0, "norm"), g / np.linalg.norm(g))


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan])
def test_bad_threshold(bad):
    with pytest.raises(ValueError, match="threshold"):
        clip_by_norm([1.0], bad)
    with pytest.raises(ValueError, match="threshold"):
        Clipped(SGD(), threshold=bad)


def test_bad_mode_and_optimizer():
    with pytest.raises(ValueError, match="mode"):
        clip([1.0], 1.0, "l1")
    with pytest.raises(ValueError, match="mode"):
        Clipped(SGD(), 1.0, mode="l1")
    with pytest.raises(ValueError, match="optimizer"):
        Clipped(object(), 1.0)


def test_clipped_sgd_step_is_at_most_eps_v_on_a_cliff():
    cliff = Cliff()
    theta = np.array([cliff.wall, 0.0])          # on the wall: ‖g‖ = μc + h s/4 = 25.5
    assert np.linalg.norm(cliff.grad(theta)) == pytest.approx(25.5, rel=1e-12)
    lr, v = 0.5, 1.0
    free = minimize(cliff, SGD(lr=lr), theta, 1)
    clipped = minimize(cliff, Clipped(SGD(lr=lr), v), theta, 1)
    assert np.linalg.norm(free.thetas[1] - theta) == pytest.approx(12.75, rel=1e-12)
    assert np.linalg.norm(clipped.thetas[1] - theta) == pytest.approx(lr * v, rel=1e-12)
    assert clipped.states[0].n_clipped == 1
    assert clipped.states[0].g_norm == pytest.approx(25.5, rel=1e-12)


def test_clipping_never_binding_is_the_inner_optimizer():
    q = Quadratic((1.0, 4.0), angle=0.3)
    for inner in (SGD(lr=0.1), Nesterov(lr=0.05, alpha=0.9), Adam(lr=0.1)):
        a = minimize(q, inner, [1.0, -1.0], 30)
        b = minimize(q, Clipped(inner, 1e6), [1.0, -1.0], 30)
        np.testing.assert_array_equal(a.thetas, b.thetas)
        assert b.states[-1].n_clipped == 0


class _Recording:
    """An oracle that remembers where gradients were asked for."""

    def __init__(self, objective):
        self.inner = Oracle(objective)
        self.points = []
        self.dim = objective.dim

    def grad(self, theta):
        self.points.append(np.array(theta))
        return self.inner.grad(theta)

    def loss(self, theta):
        return self.inner.loss(theta)

    def hessian(self, theta):
        return self.inner.hessian(theta)

    def hvp(self, theta, v):
        return self.inner.hvp(theta, v)


def test_nesterov_sees_the_clipped_gradient_at_its_interim_point():
    q = Quadratic((1.0, 100.0))
    opt = Clipped(Nesterov(lr=0.01, alpha=0.9), threshold=0.5)
    theta, state = np.array([3.0, 2.0]), opt.init([3.0, 2.0])
    theta, state = opt.step(theta, state, Oracle(q))
    oracle = _Recording(q)
    new, _ = opt.step(theta, state, oracle)
    v = state.inner.v
    interim = theta + 0.9 * v
    np.testing.assert_allclose(oracle.points[0], interim)
    expected_v = 0.9 * v - 0.01 * clip_by_norm(q.grad(interim), 0.5)
    np.testing.assert_allclose(new, theta + expected_v)


def test_clipped_oracle_passes_the_rest_through_and_counts():
    q = Quadratic((1.0, 10.0))
    inner = Oracle(q)
    oracle = ClippedOracle(inner, 1.0)
    theta = np.array([1.0, 1.0])
    assert oracle.loss(theta) == q.loss(theta)
    np.testing.assert_array_equal(oracle.hessian(theta), q.hessian(theta))
    np.testing.assert_array_equal(oracle.hvp(theta, [1.0, 0.0]), q.hvp(theta, [1.0, 0.0]))
    np.testing.assert_allclose(np.linalg.norm(oracle.grad(theta)), 1.0)
    assert oracle.n_clipped == 1 and oracle.norms == [pytest.approx(np.sqrt(101.0))]
    assert (inner.counts.nfev, inner.counts.ngev, inner.counts.nhev) == (1, 1, 2)
    assert oracle.dim == 2


def test_newton_with_line_search_runs_clipped():
    q = Quadratic((1.0, 10.0))
    trace = minimize(q, Clipped(Newton(line_search="armijo"), 1.0, mode="value"),
                     [5.0, 5.0], 100, tol=1e-10)
    # Value-clipped g = (1, 1) while |gᵢ| > 1: x falls by 1, y by 0.1 a step, then exact.
    assert trace.stop_reason == "converged"
    assert trace.n_steps == 50     # 49 clipped steps bring y to 0.1, one exact step ends it


def test_lr_at_delegates():
    assert Clipped(SGD(lr=0.25), 1.0).lr_at(3) == 0.25
