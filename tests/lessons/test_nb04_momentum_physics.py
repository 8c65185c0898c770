"""Notebook 04 (momentum and the physics view), sections 1–5 and 8: every number the notebook
prints, asserted (sections 6 and 7 in test_nb04_convex_noise.py).

The demonstrations are computed once per module (they take a few seconds together), then
each test checks one claim against the theory and against the printed text.
"""

import math

import numpy as np
import pytest

from course_lib import rates
from course_lib.lessons.nb04_momentum_physics import canyon as canyon_lesson
from course_lib.lessons.nb04_momentum_physics import checks as checks04
from course_lib.lessons.nb04_momentum_physics import drag as drag_lesson
from course_lib.lessons.nb04_momentum_physics import momentum_explorer, tuning
from course_lib.lessons.nb04_momentum_physics import terminal as terminal_lesson
from course_lib.optim import Momentum
from course_lib.plotting import PALETTE


@pytest.fixture(scope="module")
def canyon():
    return canyon_lesson.compute_canyon(steps=40, alpha=0.5)


@pytest.fixture(scope="module")
def terminal():
    return terminal_lesson.compute_terminal_velocity(alphas=(0.5, 0.9, 0.99))


@pytest.fixture(scope="module")
def drag():
    return drag_lesson.compute_drag_laws()


@pytest.fixture(scope="module")
def rate_map():
    return tuning.compute_rate_map(kappa=100)


@pytest.fixture(scope="module")
def table():
    return tuning.compute_steps_table(kappas=(10, 30, 100, 300, 1000), tol=1e-6)


# --- 1. the canyon ----------------------------------------------------------------------------
def test_canyon_gradient_descent_zigzags_and_momentum_runs_along(canyon):
    gd, mom = canyon["runs"]["gradient descent"], canyon["runs"]["momentum, α = 0.5"]
    assert canyon["lr"] == pytest.approx(2 / 20.5)
    assert gd["sign_changes"] == 40                      # θ₂ flips at every single step
    assert mom["sign_changes"] == 24
    assert gd["loss"] == pytest.approx(0.4758, rel=1e-3)
    assert mom["loss"] == pytest.approx(1.766e-3, rel=1e-3)
    assert gd["loss"] / mom["loss"] > 200                # "more than two hundred times"
    assert gd["across"] == pytest.approx(34.59, abs=0.005)
    assert mom["across"] == pytest.approx(5.03, abs=0.005)
    assert 6.5 < gd["across"] / mom["across"] < 7.5      # "about seven times", "sevenfold"
    assert gd["along"] == pytest.approx(6.92, abs=0.005)
    assert mom["along"] == pytest.approx(7.92, abs=0.005)
    assert mom["along"] > gd["along"]


def test_canyon_report(canyon):
    text = canyon_lesson.report_canyon(canyon)
    assert "ε = 2/(λ_max + λ_min) = 0.0976 for both runs, 40 steps" in text
    assert "gradient descent      4.76e-01               40          34.59       6.92" in text
    assert "momentum, α = 0.5     1.77e-03               24           5.03       7.92" in text


# --- 2. terminal velocity -----------------------------------------------------------------------
def test_terminal_velocity_is_one_over_one_minus_alpha(terminal):
    assert terminal["steps"] == math.ceil(math.log(1e-7) / math.log(0.99)) == 1604
    for row, factor in zip(terminal["rows"], (2.0, 10.0, 100.0), strict=True):
        assert row["theory"] == pytest.approx(factor)
        assert row["measured"] == pytest.approx(factor, rel=1e-6)
        assert row["sizes"][0] == pytest.approx(0.05)               # first step: ε‖g‖
        assert row["terminal"] == pytest.approx(0.05 * factor, rel=1e-6)
    text = terminal_lesson.report_terminal_velocity(terminal)
    assert "ε‖g‖ = 0.05; 1604 steps" in text
    for line in ("  0.5     0.1000              2.000      2.000",
                 "  0.9     0.5000             10.000     10.000",
                 " 0.99     5.0000            100.000    100.000"):
        assert line in text


def test_velocity_needs_about_one_over_one_minus_alpha_steps_to_build_up(terminal):
    # The notebook: "A larger α also takes longer to get there, about 1/(1 − α) steps".
    assert [row["rise"] for row in terminal["rows"]] == [2, 10, 100]
    for row in terminal["rows"]:
        assert row["rise"] == math.ceil(1 / math.log(1 / row["alpha"]))
    assert terminal_lesson.report_terminal_velocity(terminal).splitlines()[-1].endswith(" 100")


@pytest.mark.parametrize("answer, status", [(20, "passed"), (20.1, "passed"), (19.9, "passed"),
                                            (10, "failed"), (30, "failed"), (None, "not done yet"),
                                            ("20", "error")])
def test_terminal_velocity_exercise_check(answer, status):
    result = checks04.check_terminal_velocity(answer, alpha=0.95)
    assert result.status == status, repr(result)
    if status == "failed":
        assert "20" not in repr(result).split(" is too")[1]        # never gives the answer away


# --- 3. drag laws --------------------------------------------------------------------------------
def test_viscous_particle_settles_and_is_momentum(drag):
    assert (drag["lr"], drag["alpha"]) == pytest.approx((0.0025, 0.95))
    assert drag["euler_gap"] < 1e-12
    assert drag["viscous_distance"] < 1e-20
    assert drag["viscous_energy"] < 1e-40
    # the same points as Momentum with those hyperparameters, checked independently
    np.testing.assert_allclose(drag["viscous"].positions, drag["momentum"].thetas, atol=1e-13)
    assert isinstance(drag["momentum"].states[0], type(Momentum().init([0.0, 0.0])))


def test_turbulent_distance_grows_like_log_t_with_slope_one_over_c(drag):
    assert drag["slope"] == pytest.approx(1 / drag["c_turbulent"], rel=0.01)
    assert f"{drag['slope']:.3f}" == "1.995"
    assert drag["turbulent_distance"] == pytest.approx(np.log(1 + 0.5 * 5.0 * 1000.0) / 0.5,
                                                       rel=0.05)
    assert np.all(np.diff(drag["turbulent"].distances) > 0)             # it never stops


def test_dry_friction_stops_before_the_minimum(drag):
    assert drag["stop_position"] == pytest.approx(-1.0, abs=0.005)
    assert drag["stop_grad"] == pytest.approx(0.1, abs=0.001)
    assert drag["stop_grad"] <= drag["c_dry"]
    assert drag["stop_time"] == pytest.approx(9.94, abs=0.005)
    assert drag["stop_hold"] == pytest.approx(2.0)
    assert np.all(drag["dry"].velocities[drag["stop_index"]:] == 0)


def test_turbulent_drag_in_a_bowl_settles_like_one_over_t(drag):
    # the cycle-averaged energy balance: A(t) = A₀/(1 + (4c/3π) A₀ t), exponent → −1
    t, swings = drag["swing_times"], drag["swings"]
    late = t >= 50.0
    theory = drag_lesson.turbulent_swing_theory(t[late], 2.0, 0.5)
    np.testing.assert_allclose(swings[late], theory, rtol=0.01)
    # the local exponent of the theory curve over the fitted range, −bt/(1 + bt), averages ≈ −0.98
    b = 4 * 0.5 * 2.0 / (3 * math.pi)
    assert drag["settle_exponent"] == pytest.approx(-1.0, abs=0.03)
    assert drag["settle_exponent"] == pytest.approx(rates.loglog_slope(t[late], theory), abs=0.005)
    assert -b * 50 / (1 + b * 50) > drag["settle_exponent"] > -1.0
    assert drag["settle_last"] * drag["settle_last_t"] == pytest.approx(
        3 * math.pi / (4 * 0.5) * b * 500 / (1 + b * 500), rel=0.01)
    assert np.all(np.diff(swings) < 0)                       # every swing is smaller
    # viscous drag with the same c: the swing falls like e^(−ct/2), exponentially
    tv, av = drag["viscous_swing_times"], drag["viscous_swings"]
    assert rates.loglog_slope(tv[:2], av[:2]) > rates.loglog_slope(tv[-2:], av[-2:])
    # per step the semi-implicit step's matrix has determinant 1 − c·dt, so the swing shrinks
    # by √(1 − c·dt) per step: the rate ln(1 − c·dt)/(2dt) ≈ −c/2 per unit time
    rate = math.log(1 - 0.5 * 0.05) / (2 * 0.05)
    np.testing.assert_allclose(np.log(av[2:] / av[:-2]) / (tv[2:] - tv[:-2]), rate, rtol=0.01)
    assert drag["viscous_last"] < 2.0 * math.exp(-0.25 * 490)
    assert drag["viscous_last"] < 1e-50


def test_drag_report(drag):
    text = drag_lesson.report_drag_laws(drag)
    for words in ("after t = 100, ‖θ − θ*‖ = 8e-23, energy 7e-44",
                  "ε = dt² = 0.0025, α = 1 − c·dt = 0.95", "max gap < 1e-12: yes",
                  "fitted slope 1.995 (theory 1/c = 2); 15.27 travelled by t = 1000",
                  "the swing shrinks like t^-0.98 (t ≥ 50; theory 1/t)",
                  "at t = 500 it still swings ±0.0094 (theory 0.0094; swing × t = 4.69 → "
                  "3π/(4c) = 4.71); viscous drag with the same c: ±3e-54",
                  "stops for good at t = 9.94, at θ = -1.000",
                  "|∇J| = 0.100 ≤ c = 0.2", "|θ| ≤ c/λ = 2"):
        assert words in text, words


# --- 4. the rate map -----------------------------------------------------------------------------
def test_heavy_ball_radius_is_the_spectral_radius():
    rng = np.random.default_rng(0)
    lam = np.array([1.0, 7.0, 30.0])
    for _ in range(20):
        lr, alpha = rng.uniform(0, 0.1), rng.uniform(0, 0.99)
        blocks = [np.array([[1 - lr * x, alpha], [-lr * x, alpha]]) for x in lam]
        exact = max(np.max(np.abs(np.linalg.eigvals(b))) for b in blocks)
        assert rates.heavy_ball_radius(lr, alpha, lam) == pytest.approx(exact, rel=1e-9)


def test_rate_map_best_matches_the_theory(rate_map):
    theory = rate_map["theory"]
    assert theory["rate"] == pytest.approx(9 / 11)
    assert theory["alpha"] == pytest.approx((9 / 11) ** 2)
    assert theory["lr"] == pytest.approx((2 / 11) ** 2)
    assert rate_map["theory_check"] == pytest.approx(9 / 11, abs=1e-7)
    assert rate_map["best_rate"] >= theory["rate"] - 1e-7     # nothing beats the optimum
    assert rate_map["best_rate"] == pytest.approx(theory["rate"], abs=1e-3)
    assert rate_map["best_lr"] == pytest.approx(theory["lr"], abs=2e-4)
    assert rate_map["best_alpha"] == pytest.approx(theory["alpha"], abs=3e-3)
    assert rate_map["gd_best_rate"] == pytest.approx(99 / 101, abs=1e-4)
    text = tuning.report_rate_map(rate_map)
    for words in ("401 × 400 grid", "grid's best:  ε = 0.0330, α = 0.6700, rate 0.8185",
                  "theory:       ε = 0.0331, α = 0.6694, rate (√κ−1)/(√κ+1) = 0.8182 "
                  "(the matrix gives 0.8182)",
                  "best rate 0.9802; theory (κ−1)/(κ+1) = 0.9802"):
        assert words in text, words


def test_tuned_momentum_measured_rate_approaches_the_map(rate_map):
    from course_lib import minimize, rates
    from course_lib.objectives import Quadratic

    q = Quadratic((1.0, 100.0))
    trace = minimize(q, tuning.tuned_momentum(q), [1.0, 1.0], steps=1500)
    measured = rates.measured_rate(trace.thetas, q.center)
    assert measured == pytest.approx(rate_map["theory"]["rate"], rel=0.02)


# --- 5. steps against κ --------------------------------------------------------------------------
def test_steps_grow_like_kappa_and_root_kappa(table):
    rows = table["rows"]
    assert [row["gd"] for row in rows] == [69, 208, 691, 2073, 6908]
    assert [row["momentum"] for row in rows] == [27, 49, 93, 167, 315]
    assert all(row["gd"] == row["gd_predicted"] for row in rows)
    assert [row["momentum_predicted"] for row in rows] == [22, 38, 69, 120, 219]
    assert table["gd_slope"] == pytest.approx(1.0, abs=0.01)
    assert table["momentum_slope"] == pytest.approx(0.5, abs=0.05)
    text = tuning.report_steps_table(table)
    assert "  1000          6908 (6908)          315 (219)   6.91     9.96" in text
    assert "gradient descent 1.000, momentum 0.533" in text


# --- figures ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["canyon", "terminal_velocity", "drag_laws", "rate_map",
                                  "steps_table"])
def test_figures_have_labelled_axes(name, request):
    import matplotlib.pyplot as plt

    fixture = {"terminal_velocity": "terminal", "drag_laws": "drag",
               "steps_table": "table"}.get(name, name)
    result = request.getfixturevalue(fixture)
    module = {"canyon": canyon_lesson, "terminal_velocity": terminal_lesson,
              "drag_laws": drag_lesson}.get(name, tuning)
    fig = getattr(module, f"figure_{name}")(result)
    try:
        for ax in fig.axes:
            if ax.get_label() == "<colorbar>":
                continue
            assert ax.get_xlabel() and ax.get_ylabel(), (name, ax.get_title())
    finally:
        plt.close(fig)


# --- 7. the explorer ------------------------------------------------------------------------
def test_explorer_default_summary_and_controls():
    explorer = momentum_explorer.momentum_explorer()
    assert set(explorer.controls) == {"method", "lr", "alpha", "function", "start"}
    assert explorer.summary_text == (
        "momentum, ε = 0.0316, α = 0.90 on ill-conditioned quadratic (κ = 20) from "
        "A = (-2.5, 2): used all 150 steps\n"
        "final J = 9.794e-06 at (-0.0007256, 0.0007218), ‖∇J‖ = 1.98e-02; top speed ‖v‖ = "
        "2.39; terminal-velocity factor 1/(1 − α) = 10")
    assert explorer.output.outputs[0]["data"]["image/png"]
    assert repr(explorer.widget).startswith("Explorer: Gradient descent, momentum and Nesterov")


def test_explorer_velocity_arrows_are_the_momentum_state():
    r = momentum_explorer.compute_path(method="Nesterov", lr=0.02, alpha=0.8)
    from course_lib import minimize
    from course_lib.optim import Nesterov

    f = momentum_explorer.landscape(r["function"])
    trace = minimize(f, Nesterov(lr=0.02, alpha=0.8), r["theta0"], 150, tol=1e-6)
    np.testing.assert_allclose(r["velocities"][1:], [s.v for s in trace.states], atol=1e-12)
    np.testing.assert_array_equal(r["velocities"][0], [0.0, 0.0])


@pytest.mark.parametrize("function", list(momentum_explorer.LANDSCAPES))
@pytest.mark.parametrize("method", momentum_explorer.METHODS)
def test_explorer_runs_every_landscape_and_method(function, method):
    explorer = momentum_explorer.momentum_explorer()
    explorer.set(function=function, method=method)
    for start in momentum_explorer.START_NAMES:
        explorer.set(start=start)
        assert explorer.error is None, explorer.error
        assert explorer.result["stop_reason"] in ("steps", "converged", "diverged")
        assert method in explorer.summary_text


def test_explorer_reports_divergence_and_convergence():
    diverged = momentum_explorer.compute_path(method="momentum", lr=0.0316, alpha=0.9,
                                              function="Rosenbrock")
    assert diverged["stop_reason"] == "diverged"
    assert "diverged after" in momentum_explorer.summary_path(diverged)
    converged = momentum_explorer.compute_path(method="Nesterov", lr=0.05, alpha=0.5)
    assert converged["stop_reason"] == "converged"
    assert "converged (‖∇J‖∞ ≤ 1e-06)" in momentum_explorer.summary_path(converged)
    gd = momentum_explorer.compute_path(method="gradient descent", lr=0.05)
    assert "terminal-velocity" not in momentum_explorer.summary_path(gd)


def test_explorer_slider_updates_blit_without_a_full_redraw():
    explorer = momentum_explorer.momentum_explorer()        # α = 0.9
    fig = explorer.figure
    assert not fig.stale
    # α = 0.91 keeps the loss axis in the same band of decades: only animated artists move
    momentum_explorer.draw_path(momentum_explorer.compute_path(alpha=0.91), fig)
    assert not fig.stale
    momentum_explorer.draw_path(momentum_explorer.compute_path(function="Beale"), fig)
    assert fig.stale                  # a new landscape: new contours, a full redraw


def test_explorer_bad_input():
    with pytest.raises(ValueError, match="method must be one of"):
        momentum_explorer.make_optimizer("adam", 0.1, 0.9)
    with pytest.raises(ValueError, match="landscape must be one of"):
        momentum_explorer.landscape("moon")
    with pytest.raises(ValueError, match="start must be one of"):
        momentum_explorer.start_point("Rosenbrock", "Z")


def test_companion_figure():
    import matplotlib.pyplot as plt

    fig = momentum_explorer.companion_figure()
    try:
        left, right = fig.axes
        assert left.get_xlabel() == "θ₁" and right.get_xlabel() == "step k"
        assert left.lines[-2].get_color() == PALETTE[0]
    finally:
        plt.close(fig)
