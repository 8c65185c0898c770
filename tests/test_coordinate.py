"""(Block) coordinate descent (section 8.6.3) and the book's coupled quadratic."""

import dataclasses

import numpy as np
import pytest

from course_lib import minimize
from course_lib.gradcheck import check_grad, check_hessian
from course_lib.objectives import CoupledQuadratic, Quadratic, Rosenbrock, Saddle
from course_lib.optim import CoordinateDescent, CoordinateDescentState, Newton
from course_lib.run import Oracle

ALPHAS = (1.0, 0.1, 0.01, 0.001)


def sweeps_to_reach(objective, optimizer, theta0, radius=1e-6, steps=100_000):
    trace = minimize(objective, optimizer, theta0, steps,
                     callback=lambda k, theta, state: np.linalg.norm(theta) <= radius)
    assert trace.stop_reason == "callback"
    return trace.n_steps


def predicted_sweeps(alpha, x2_0, radius=1e-6):
    """After sweep k: x₂ = x₂⁽⁰⁾(1 + α)^(−2k), x₁ = (1 + α)x₂, so ‖x‖ = |x₂|√(1 + (1 + α)²)."""
    k = 1
    while abs(x2_0) * (1 + alpha) ** (-2 * k) * np.sqrt(1 + (1 + alpha) ** 2) > radius:
        k += 1
    return k


# --- the objective ----------------------------------------------------------------------------
@pytest.mark.parametrize("alpha", ALPHAS)
def test_coupled_quadratic_derivatives_and_facts(alpha):
    f = CoupledQuadratic(alpha)
    for theta in ([0.3, -1.2], [1.5, 0.7], [-2.0, 2.0]):
        assert check_grad(f, theta), check_grad(f, theta)
        assert check_hessian(f, theta), check_hessian(f, theta)
    x1, x2 = 0.3, -1.2
    assert f.loss([x1, x2]) == pytest.approx((x1 - x2) ** 2 + alpha * (x1 ** 2 + x2 ** 2))
    assert f.loss([0.0, 0.0]) == 0.0 and np.all(f.grad([0.0, 0.0]) == 0.0)
    lam = np.linalg.eigvalsh(f.hessian([0.0, 0.0]))
    np.testing.assert_allclose(lam, [2 * alpha, 4 + 2 * alpha], rtol=1e-12)
    assert f.condition_number == pytest.approx(lam[1] / lam[0], rel=1e-12)
    np.testing.assert_array_equal(f.minima, [[0.0, 0.0]])
    assert f.min_value == 0.0 and len(f.box) == 4
    X, Y = np.meshgrid(np.linspace(-1, 1, 3), np.linspace(-2, 2, 4))
    grid = f.loss_grid(X, Y)
    assert grid.shape == (4, 3) and grid[1, 2] == pytest.approx(f.loss([X[1, 2], Y[1, 2]]))


def test_coupled_quadratic_rejects_bad_alpha():
    with pytest.raises(ValueError, match="alpha must be > 0, got 0"):
        CoupledQuadratic(0.0)


# --- the book's claim: coordinate descent stalls as α → 0, Newton takes one step --------------
def test_sweeps_grow_like_one_over_alpha_while_newton_takes_one_step():
    theta0 = [1.0, 2.0]
    sweeps = []
    for alpha in ALPHAS:
        f = CoupledQuadratic(alpha)
        sweeps.append(sweeps_to_reach(f, CoordinateDescent(), theta0))
        assert sweeps[-1] == predicted_sweeps(alpha, theta0[1])       # the closed form
        newton = minimize(f, Newton(), theta0, 1)
        assert np.linalg.norm(newton.theta) <= 1e-12                  # one step
    assert sweeps == [12, 79, 747, 7432]                              # measured
    slope = np.polyfit(np.log(ALPHAS), np.log(sweeps), 1)[0]
    assert -1.0 <= slope <= -0.9                                      # measured −0.935
    last = np.log(sweeps[-1] / sweeps[-2]) / np.log(ALPHAS[-1] / ALPHAS[-2])
    assert last == pytest.approx(-1.0, abs=0.01)                      # → −1 as α → 0


def test_one_exact_sweep_by_hand():
    # x₁ ← x₂/(1 + α), then x₂ ← x₁/(1 + α): from (1, 2) with α = 1: (1, 0.5).
    new, state = CoordinateDescent().step([1.0, 2.0], CoordinateDescentState(),
                                          Oracle(CoupledQuadratic(1.0)))
    np.testing.assert_allclose(new, [1.0, 0.5], rtol=1e-15)
    assert state.k == 1 and state.fallbacks == 0


def test_keep_path_records_the_staircase():
    opt = CoordinateDescent(keep_path=True)
    new, state = opt.step([0.0, 2.0], opt.init([0.0, 2.0]), Oracle(CoupledQuadratic(1.0)))
    np.testing.assert_allclose(state.path, [[0.0, 2.0], [1.0, 2.0], [1.0, 0.5]], rtol=1e-15)
    assert not state.path.flags.writeable and np.all(new == state.path[-1])
    with pytest.raises(ValueError, match="keep_path must be True or False, got 1"):
        CoordinateDescent(keep_path=1)


def test_line_search_mode_also_stalls_as_alpha_shrinks():
    sweeps = [sweeps_to_reach(CoupledQuadratic(a), CoordinateDescent(mode="line_search"),
                              [1.0, 2.0]) for a in ALPHAS]
    assert sweeps == [12, 63, 733, 7417]                              # measured
    slope = np.polyfit(np.log(ALPHAS), np.log(sweeps), 1)[0]
    assert -1.0 <= slope <= -0.9


def test_coordinate_descent_solves_a_separable_quadratic_in_one_sweep():
    q = Quadratic((1.0, 5.0, 30.0), center=[1.0, -2.0, 3.0])         # axis-aligned: decoupled
    trace = minimize(q, CoordinateDescent(), [0.0, 0.0, 0.0], 1)
    np.testing.assert_allclose(trace.theta, q.center, rtol=1e-15)
    assert trace.ngev == 3 and trace.nhev == 3                        # one gradient, one H e_j


# --- blocks -----------------------------------------------------------------------------------
@pytest.mark.parametrize("block", [2, [np.array([0, 1])], [np.array([1, 0])]])
def test_one_block_of_everything_is_a_newton_step(block):
    rosen = Rosenbrock()
    for theta in ([-1.2, 1.0], [0.5, 0.2], [1.2, 1.2]):        # H positive definite
        cd, _ = CoordinateDescent(block=block).step(theta, CoordinateDescentState(),
                                                    Oracle(rosen))
        newton, _ = Newton().step(np.array(theta), Newton().init(theta), Oracle(rosen))
        np.testing.assert_allclose(cd, newton, rtol=1e-13, atol=1e-13)


def test_blocks_of_a_coupled_pair():
    # Two decoupled pairs: blocks {0, 1} and {2, 3} each hold one coupled pair, so block
    # coordinate descent is exact in one sweep; the interleaved blocks {0, 2}, {1, 3} are not.
    H = np.zeros((4, 4))
    H[:2, :2] = H[2:, 2:] = [[2.02, -2.0], [-2.0, 2.02]]               # CoupledQuadratic(0.01)
    lam, Q = np.linalg.eigh(H)
    q = Quadratic(lam, Q=Q)
    theta0 = np.array([1.0, 2.0, -1.0, 0.5])
    paired = minimize(q, CoordinateDescent(block=[np.array([0, 1]), np.array([2, 3])]),
                      theta0, 1)
    assert np.linalg.norm(paired.theta) <= 1e-12
    crossed = minimize(q, CoordinateDescent(block=[np.array([0, 2]), np.array([1, 3])]),
                       theta0, 1)
    assert np.linalg.norm(crossed.theta) > 0.5


def test_random_order_is_reproducible_and_still_converges():
    f = CoupledQuadratic(0.5)
    a = minimize(f, CoordinateDescent(order="random", seed=3), [1.0, 2.0], 30)
    b = minimize(f, CoordinateDescent(order="random", seed=3), [1.0, 2.0], 30)
    np.testing.assert_array_equal(a.thetas, b.thetas)
    assert np.linalg.norm(a.theta) < 1e-6


def test_exact_mode_falls_back_to_the_line_search_on_negative_curvature():
    # Along y, x² − y² curves down: the block Newton step would climb to y = 0.
    saddle = Saddle()
    new, state = CoordinateDescent().step([0.5, 0.5], CoordinateDescentState(), Oracle(saddle))
    assert state.fallbacks == 1
    assert new[0] == 0.0 and abs(new[1]) > 0.5                        # x exact, y moves away
    assert saddle.loss(new) < saddle.loss([0.0, 0.5])


# --- contract ---------------------------------------------------------------------------------
def test_step_is_pure_and_state_frozen():
    f = CoupledQuadratic(0.1)
    theta = np.array([1.0, 2.0])
    theta.setflags(write=False)
    for opt in (CoordinateDescent(), CoordinateDescent(mode="line_search")):
        state = opt.init(theta)
        a, s1 = opt.step(theta, state, Oracle(f))
        b, s2 = opt.step(theta, state, Oracle(f))
        np.testing.assert_array_equal(a, b)
        assert (s1.k, s1.fallbacks, s1.path) == (s2.k, s2.fallbacks, None)
        assert state.k == 0 and np.all(theta == [1.0, 2.0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.k = 2


def test_bad_hyperparameters_raise_clear_errors():
    with pytest.raises(ValueError, match="mode must be 'exact' or 'line_search', got 'newton'"):
        CoordinateDescent(mode="newton")
    with pytest.raises(ValueError, match="order must be 'cyclic' or 'random', got 'greedy'"):
        CoordinateDescent(order="greedy")
    with pytest.raises(ValueError, match="block must be an integer >= 1, got 0"):
        CoordinateDescent(block=0)
    with pytest.raises(ValueError, match="block must be an int >= 1 or a list"):
        CoordinateDescent(block=1.5)
    with pytest.raises(ValueError, match=r"block\[1\] must be a non-empty 1-D array"):
        CoordinateDescent(block=[np.array([0]), np.array([], dtype=int)])
    with pytest.raises(ValueError, match=r"block\[0\] repeats an index"):
        CoordinateDescent(block=[np.array([0, 0])])
    with pytest.raises(ValueError, match=r"block\[0\] has indices outside \[0, 1\]"):
        CoordinateDescent(block=[np.array([0, 2])]).init(np.zeros(2))
    with pytest.raises(ValueError, match=r"block must cover every coordinate; missing \[1\]"):
        CoordinateDescent(block=[np.array([0])]).init(np.zeros(2))
    with pytest.raises(ValueError, match="eta0 must be > 0"):
        CoordinateDescent(eta0=0.0)
    with pytest.raises(ValueError, match=r"c must be in \(0, 1\)"):
        CoordinateDescent(c=1.0)
