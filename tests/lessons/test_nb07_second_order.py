"""Notebook 07 (second-order methods): every number the notebook prints or states in its text,
asserted against the theory or an independent computation, and the explorer driven by its
controls.

The demonstrations are computed once per module; each test checks one claim and the printed
text. Comments quote the notebook's prose where it states a number. The timing cell (its
output is ignored by nbval) is tested for its structure only, never for a time.
"""

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from course_lib.lessons.nb07_second_order import (  # noqa: E402
    conjugate,
    newton,
    newton_cost,
    scipy_comparison,
    second_order_explorer,
)
from course_lib.lessons.nb07_second_order import coordinate as coordinate_lesson  # noqa: E402
from course_lib.lessons.nb07_second_order import damping as damping_lesson  # noqa: E402
from course_lib.lessons.nb07_second_order.checks.linear_cg import (  # noqa: E402
    _reference as reference_cg,
)
from course_lib.lessons.nb07_second_order.checks.linear_cg import spd_matrix  # noqa: E402
from course_lib.objectives import CoupledQuadratic  # noqa: E402
from course_lib.optim import Newton  # noqa: E402
from course_lib.plotting import PALETTE  # noqa: E402
from course_lib.rates import predicted_steps  # noqa: E402
from course_lib.run import Oracle, minimize  # noqa: E402


@pytest.fixture(scope="module")
def one_step():
    return newton.compute_one_step()


@pytest.fixture(scope="module")
def quadratic():
    return newton.compute_quadratic_convergence()


@pytest.fixture(scope="module")
def saddle():
    return newton.compute_saddle()


@pytest.fixture(scope="module")
def damping():
    return damping_lesson.compute_damping()


@pytest.fixture(scope="module")
def costs():
    return newton_cost.compute_cost_model()


@pytest.fixture(scope="module")
def timing():
    # small sizes: only the structure is tested, and it must be quick
    return newton_cost.time_newton_steps(ns=(20, 40, 80), repeats=1)


@pytest.fixture(scope="module")
def zigzag():
    return conjugate.compute_zigzag()


@pytest.fixture(scope="module")
def termination():
    return conjugate.compute_termination()


@pytest.fixture(scope="module")
def distinct():
    return conjugate.compute_distinct()


@pytest.fixture(scope="module")
def nonlinear():
    return conjugate.compute_nonlinear_cg()


@pytest.fixture(scope="module")
def comparison():
    return scipy_comparison.compare_with_scipy()


@pytest.fixture(scope="module")
def large():
    return scipy_comparison.lbfgs_large()


@pytest.fixture(scope="module")
def coordinate():
    return coordinate_lesson.compute_coordinate()


# --- 1. a quadratic in one step -------------------------------------------------------------------
def test_one_newton_step_lands_on_the_minimum(one_step):
    small, big = one_step["rows"]
    assert (small["dim"], small["kappa"]) == (2, pytest.approx(100.0))
    assert (big["dim"], big["kappa"]) == (100, pytest.approx(300.0))   # "from 1 to 300"
    for row, q in ((small, newton.BOWL), (big, newton.random_bowl())):
        theta1 = row["newton"].thetas[1]
        # eq. 8.27 by hand: θ₀ − A⁻¹∇J(θ₀) with ∇J(θ₀) = A(θ₀ − θ*) is θ* exactly
        theta0 = row["newton"].thetas[0]
        by_hand = theta0 - np.linalg.solve(q.A, q.A @ (theta0 - q.center))
        assert np.max(np.abs(theta1 - q.center)) < 1e-10
        np.testing.assert_allclose(theta1, by_hand, atol=1e-12)
        assert row["newton_error"] < 1e-12                          # "< 1e-12 (exact)"
        assert row["newton_counts"] == (1, 1)                      # one gradient, one Hessian


def test_gradient_descent_needs_the_predicted_steps(one_step):
    small, big = one_step["rows"]
    for row in (small, big):
        rate = (row["kappa"] - 1) / (row["kappa"] + 1)
        assert row["gd_predicted"] == predicted_steps(rate, 1e-6)
        # "about κ/2·ln(1/tol) steps"
        assert row["gd_predicted"] == pytest.approx(row["kappa"] / 2 * math.log(1e6), rel=0.01)
    # at ε = 2/(λ_min + λ_max) both eigen-components of the 2-D bowl shrink by exactly
    # (κ − 1)/(κ + 1) per step, so the bound is met exactly
    assert small["gd_steps"] == small["gd_predicted"] == 691
    # in 100-D the start does not weigh the slowest direction fully: "a bound"
    assert big["gd_predicted"] == 2073 and big["gd_steps"] == 1865
    assert big["gd_steps"] < big["gd_predicted"]


def test_one_step_report(one_step):
    text = newton.report_one_step(one_step)
    for words in ("bowl, eigenvalues 1 and 100       2    100              < 1e-12 (exact)"
                  "                  691 (theory 691)",
                  "100-D bowl, κ = 300             100    300              < 1e-12 (exact)"
                  "                1865 (theory 2073)",
                  "A Newton step costs one gradient and one Hessian; a gradient step one "
                  "gradient."):
        assert words in text, words


# --- 2. quadratic convergence ---------------------------------------------------------------------
def test_theta_star_is_the_minimum(quadratic):
    from scipy.optimize import minimize as scipy_minimize

    f = newton.logistic_problem()
    assert f.dim == 3 and f.n_examples == 200       # "3 parameters, 200 examples"
    star = quadratic["theta_star"]
    assert np.max(np.abs(f.grad(star))) < 1e-13
    res = scipy_minimize(f.loss, np.zeros(3), jac=f.grad, method="BFGS", options={"gtol": 1e-11})
    np.testing.assert_allclose(star, res.x, atol=1e-8)


def test_digits_double_and_the_ratio_settles(quadratic):
    rows = quadratic["rows"]
    assert [row["k"] for row in rows] == list(range(7)) and quadratic["steps"] == 6
    digits = [row["digits"] for row in rows]
    # "1.17 → 2.61 → 5.48 → 11.22: doubling"
    assert [round(d, 2) for d in digits[3:]] == [1.17, 2.61, 5.48, 11.22]
    for k in (4, 5, 6):
        assert 1.9 < digits[k] / digits[k - 1] < 2.3
    # "Far from the minimum (the first rows) Newton's progress is modest"
    assert digits[1] - digits[0] < 0.5 and digits[2] - digits[1] < 0.5
    ratios = [row["ratio"] for row in rows[1:]]
    assert ratios[-1] == pytest.approx(0.55, abs=0.005)            # "C ≈ 0.55"
    assert abs(ratios[-1] - ratios[-2]) < 0.002                      # settles
    # "the next step would already pass the 16 digits ... 0.55 × (6e-12)² ≈ 2e-23"
    next_error = ratios[-1] * quadratic["errors"][6] ** 2
    assert next_error == pytest.approx(2e-23, rel=0.05)
    assert next_error < np.finfo(float).eps * np.linalg.norm(quadratic["theta_star"])


def test_the_constant_is_half_the_third_derivative_term(quadratic):
    # e_(k+1) = ½ H⁻¹ T[e_k, e_k] + O(e_k³) for Newton, T the third-derivative tensor at θ*
    # (here by central differences of the Hessian): an independent prediction of C.
    f = newton.logistic_problem()
    star, errors = quadratic["theta_star"], quadratic["errors"]
    trace = minimize(f, Newton(), np.zeros(3), 5)
    e5 = trace.thetas[5] - star
    u = e5 / np.linalg.norm(e5)
    h = 1e-4
    T_uu = (f.hessian(star + h * u) - f.hessian(star - h * u)) @ u / (2 * h)
    predicted = 0.5 * np.linalg.norm(np.linalg.solve(f.hessian(star), T_uu))
    assert errors[6] / errors[5] ** 2 == pytest.approx(predicted, rel=1e-4)


def test_one_more_step_passes_double_precision(quadratic):
    # e₇ ≈ C e₆² < 1e-16: the next step would already pass the 16 digits double precision holds
    rows = quadratic["rows"]
    assert -math.log10(rows[-1]["ratio"] * rows[-1]["error"] ** 2) > 16
    assert quadratic["errors"][7] <= 1e-13                          # rounding noise: not shown


def test_gradient_descent_at_its_best_rate_gains_less_than_one_digit(quadratic):
    f = newton.logistic_problem()
    lam = np.linalg.eigvalsh(f.hessian(quadratic["theta_star"]))
    assert quadratic["gd_lr"] == pytest.approx(2 / (lam[0] + lam[-1]), rel=1e-12)
    assert len(quadratic["gd_errors"]) == 7                          # "the same 6 steps"
    assert 0 < quadratic["gd_digits"] < 1                            # "less than one digit"
    assert quadratic["gd_digits"] == pytest.approx(0.64, abs=0.005)


def test_quadratic_convergence_report(quadratic):
    text = newton.report_quadratic_convergence(quadratic)
    for words in ("Newton on logistic regression (3 parameters, 200 examples) from θ₀ = 0",
                  "  0    1.90e+00           -0.28",
                  "  3    6.75e-02            1.17           0.500",
                  "  4    2.45e-03            2.61           0.539",
                  "  5    3.31e-06            5.48           0.549",
                  "  6    6.01e-12           11.22           0.550",
                  "gradient descent (ε = 9.81, its best rate at θ*) after 6 steps: 0.64 "
                  "correct digits"):
        assert words in text, words


# --- 3. the saddle --------------------------------------------------------------------------------
def _steps_separable(update_1, update_2, theta0, tol=1e-8, most=500):
    """Steps of a method that acts on θ₁ and θ₂ of the double well separately, until
    ‖∇J‖∞ = max(|θ₁|, |θ₂³ − θ₂|) ≤ tol."""
    x, y = theta0
    for k in range(most + 1):
        if max(abs(x), abs(y ** 3 - y)) <= tol:
            return k, (x, y)
        x, y = update_1(x), update_2(y)
    return None, (x, y)


def test_newton_converges_to_the_saddle(saddle):
    run = saddle["runs"]["Newton"]
    # Newton on θ₂: y ← y − (y³ − y)/(3y² − 1); on θ₁ (a parabola) one step to 0
    steps, end = _steps_separable(lambda x: 0.0, lambda y: y - (y ** 3 - y) / (3 * y * y - 1),
                                  (1.0, 0.3))
    assert run["steps"] == steps == 3
    np.testing.assert_allclose(run["theta"], end, atol=1e-12)
    assert np.max(np.abs(run["theta"])) < 1e-8                       # the saddle (0, 0)
    assert run["loss"] == pytest.approx(0.25, abs=1e-12)
    assert run["eigenvalues"] == pytest.approx([-1.0, 1.0], abs=1e-8)   # "−1 and 1"


def test_damped_newton_and_gradient_descent_reach_the_well(saddle):
    damped = saddle["runs"]["damped Newton, α = 2"]
    gd = saddle["runs"]["gradient descent, ε = 0.2"]
    # θ₁ shrinks by 1 − 1/(1 + α) = 2/3 (damped Newton) or by 1 − ε = 0.8 (gradient descent)
    # per step; θ₂ converges faster near 1 (curvature 2), so θ₁ sets the count
    assert damped["steps"] == math.ceil(math.log(1e-8) / math.log(2 / 3)) == 46
    assert gd["steps"] == math.ceil(math.log(1e-8) / math.log(0.8)) == 83
    steps, end = _steps_separable(lambda x: x - x / 3, lambda y: y - (y ** 3 - y) / (3 * y * y + 1),
                                  (1.0, 0.3))
    assert steps == 46 and damped["theta"] == pytest.approx(end, abs=1e-12)
    steps, end = _steps_separable(lambda x: 0.8 * x, lambda y: y - 0.2 * (y ** 3 - y), (1.0, 0.3))
    assert steps == 83 and gd["theta"] == pytest.approx(end, abs=1e-12)
    for run in (damped, gd):                         # "into the well at (0, 1)"
        assert run["theta"] == pytest.approx([0.0, 1.0], abs=1e-8)
        assert run["eigenvalues"] == pytest.approx([1.0, 2.0], abs=1e-7)
        assert run["loss"] < 1e-15


def test_saddle_report(saddle):
    text = newton.report_saddle(saddle)
    for words in ("from θ₀ = (1.0, 0.3): minima (0, ±1) with J = 0, saddle (0, 0) with J = 0.25",
                  "steps to ‖∇J‖∞ ≤ 1e-08",
                  "Newton                                        3   (0.0000, 0.0000)   0.2500"
                  "   < 1e-08             -1.00, 1.00  saddle",
                  "damped Newton, α = 2                         46   (0.0000, 1.0000)   0.0000"
                  "   < 1e-08              1.00, 2.00  minimum",
                  "gradient descent, ε = 0.2                    83   (0.0000, 1.0000)   0.0000"
                  "   < 1e-08              1.00, 2.00  minimum"):
        assert words in text, words


# --- 4. damping -----------------------------------------------------------------------------------
def test_damping_table_matches_the_closed_form(damping):
    # at (1, 0.3): g = (1, 0.3³ − 0.3), H = diag(1, 3·0.09 − 1); H diagonal, so
    # Δθ = −g / (diag(H) + α) component by component
    g = np.array([1.0, 0.3 ** 3 - 0.3])
    h = np.array([1.0, 3 * 0.09 - 1.0])
    np.testing.assert_allclose(damping["g"], g, rtol=1e-14)
    np.testing.assert_allclose(np.diag(damping["H"]), h, rtol=1e-14)
    assert damping["lam_min"] == pytest.approx(-0.73)               # "diag(1, −0.73)"
    for row in damping["rows"]:
        a = row["alpha"]
        delta = -g / (h + a)
        assert row["min_eig"] == pytest.approx(-0.73 + a)
        assert row["d2"] == pytest.approx(delta[1], rel=1e-12)
        assert row["uphill"] == (a < 0.73)           # "while α < 0.73 ... climbs along θ₂"
        assert row["cos"] == pytest.approx(-g @ delta / np.linalg.norm(g)
                                           / np.linalg.norm(delta), rel=1e-12)
        assert row["gap"] == pytest.approx(np.linalg.norm(a * delta + g) / np.linalg.norm(g),
                                           rel=1e-12)


def test_damping_claims(damping):
    rows = {row["alpha"]: row for row in damping["rows"]}
    # "at α = 0.5 it even grows (−1.19)": larger than the undamped move
    assert round(rows[0.5]["d2"], 2) == -1.19
    assert abs(rows[0.5]["d2"]) > abs(rows[0.0]["d2"])
    # "0.090, 0.0097, 0.0010 for α = 10, 100, 1000"
    assert [round(rows[a]["gap"], 4) for a in (10.0, 100.0, 1000.0)] == [0.0901, 0.0097, 0.0010]
    # "falls like 1/α": α·gap → ‖Hg‖/‖g‖, since (H + αI)⁻¹ = I/α − H/α² + …
    limit = np.linalg.norm(damping["H"] @ damping["g"]) / np.linalg.norm(damping["g"])
    assert 1000.0 * rows[1000.0]["gap"] == pytest.approx(limit, rel=1e-3)
    assert 100.0 * rows[100.0]["gap"] == pytest.approx(limit, rel=1e-2)
    # "cos(Δθ, −g) → 1"
    cosines = [rows[a]["cos"] for a in (1.0, 2.0, 10.0, 100.0, 1000.0)]
    assert cosines == sorted(cosines) and cosines[-1] > 1 - 1e-6


def test_each_rows_label_says_what_its_step_does(damping):
    # the label is read off the numbers: first against or along −g₂ (uphill or downhill
    # along θ₂), then where θ₂ lands: the ridge θ₂ = 0, the other well (θ₂ < 0), past the
    # minimum θ₂ = 1 or short of it (issue 17: α = 0.5 was called "to saddle" and lands at −0.89)
    theta2, g2 = damping["theta"][1], damping["g"][1]
    expected = {0.0: "uphill, to the saddle", 0.5: "uphill, into the other well",
                1.0: "downhill, past the minimum"}
    for row in damping["rows"]:
        new = theta2 + row["d2"]
        assert row["theta2"] == pytest.approx(new, rel=1e-12)
        assert row["loss"] == pytest.approx(damping_lesson.WELL.loss(
            damping["theta"] + np.array([-1.0 / (1.0 + row["alpha"]), row["d2"]])), rel=1e-12)
        assert row["where"].startswith("uphill" if row["d2"] * g2 > 0 else "downhill")
        assert row["where"] == expected.get(row["alpha"], "downhill, toward the minimum")
    rows = {row["alpha"]: row for row in damping["rows"]}
    # "lands at θ₂ = −0.07, beside the saddle (J = 0.247 against the saddle's 0.25)"
    assert round(rows[0.0]["theta2"], 2) == -0.07 and round(rows[0.0]["loss"], 3) == 0.247
    # "in the other well, at −0.89 ... the lowest J after one step (0.067)"
    assert round(rows[0.5]["theta2"], 2) == -0.89 and round(rows[0.5]["loss"], 3) == 0.067
    assert min(rows, key=lambda a: rows[a]["loss"]) == 0.5
    assert round(rows[1.0]["theta2"], 2) == 1.31                       # "past the minimum"
    assert all(rows[a]["theta2"] < 1 for a in (2.0, 10.0, 100.0, 1000.0))


def test_damping_report(damping):
    text = damping_lesson.report_damping(damping)
    for words in ("at θ = (1, 0.3), J = 0.707: g = (1.000, -0.273), H = diag(1.00, -0.73); "
                  "negative curvature -0.73 along θ₂; the minima are at θ₂ = ±1",
                  "     0        -0.73  -0.374    -0.074   0.2473  uphill, to the saddle       "
                  "     0.8113          1.0000",
                  "   0.5        -0.23  -1.187    -0.887   0.0669  uphill, into the other well "
                  "     0.2428          1.0547",
                  "     1         0.27   1.011     1.311   0.2542  downhill, past the minimum  "
                  "     0.6637          0.8600",
                  "  1000       999.27   0.000     0.300   0.7060  downhill, toward the minimum"
                  "     1.0000          0.0010"):
        assert words in text, words


# --- 5. the cost of a Newton step -----------------------------------------------------------------
def test_cost_model_arithmetic(costs):
    assert costs["m"] == 10 and costs["flop_rate"] == 1e12
    for row in costs["rows"]:
        n = row["n"]
        assert row["h_bytes"] == 8 * n * n and row["hvps"] == n
        assert row["solve_flops"] == pytest.approx(n ** 3 / 3)
        assert row["solve_seconds"] == pytest.approx(n ** 3 / 3 / 1e12)
        assert row["lbfgs_bytes"] == 2 * 10 * n * 8 and row["lbfgs_flops"] == 4 * 10 * n
    million = costs["rows"][-1]
    assert million["n"] == 10 ** 6
    assert million["h_bytes"] == 8e12                                # "8 TB"
    assert million["solve_seconds"] / 86400 == pytest.approx(3.86, abs=0.005)   # "four days"
    assert million["lbfgs_bytes"] == 160e6 and million["lbfgs_flops"] == 4e7    # "160 MB", 4e7
    assert million["solve_flops"] == pytest.approx(3.3e17, rel=0.02)  # "≈ 3×10¹⁷" (exercise 5)


def test_cost_model_report(costs):
    text = newton_cost.report_cost_model(costs)
    for words in ("one Newton step for n parameters; solving at 1e+12 flop/s (L-BFGS with "
                  "m = 10 for comparison)",
                  "    1,000           8 MB         1,000           3.3e+08      333 µs"
                  "         160 kB       4.0e+04",
                  "   10,000         800 MB        10,000           3.3e+11      333 ms"
                  "         1.6 MB       4.0e+05",
                  "  100,000          80 GB       100,000           3.3e+14    5.56 min"
                  "          16 MB       4.0e+06",
                  "1,000,000           8 TB     1,000,000           3.3e+17   3.86 days"
                  "         160 MB       4.0e+07"):
        assert words in text, words


def test_unit_formatting():
    assert newton_cost._bytes(8e12) == "8 TB" and newton_cost._bytes(999.0) == "999 B"
    assert newton_cost._duration(3.33e5) == "3.85 days"
    assert newton_cost._duration(3.33e-4) == "333 µs"


def test_newton_timing_structure_only(timing):
    # times depend on the machine: the structure and the arithmetic, never a time
    np.testing.assert_array_equal(timing["ns"], [20.0, 40.0, 80.0])
    assert timing["seconds"].shape == (3,) and np.all(timing["seconds"] > 0)
    lo, hi = timing["spread"].T                   # the median lies between fastest and slowest
    assert np.all(lo <= timing["seconds"]) and np.all(timing["seconds"] <= hi)
    np.testing.assert_allclose(timing["ratios"], timing["seconds"][1:] / timing["seconds"][:-1])
    slope = np.polyfit(np.log(timing["ns"]), np.log(timing["seconds"]), 1)[0]
    assert timing["slope"] == pytest.approx(slope, rel=1e-9)
    lines = newton_cost.report_newton_timing(timing).splitlines()
    assert lines[0].startswith(f"one Newton step on the extended Rosenbrock function: median of "
                               f"{timing['repeats']} runs")
    assert [line.split()[0] for line in lines[2:5]] == ["20", "40", "80"]
    assert all(" ms " in line for line in lines[2:5])
    assert lines[3].endswith(f"{timing['ratios'][0]:.1f}×")
    assert lines[5].startswith("each doubling of n multiplied the median by ")
    assert lines[5].endswith(f"(the n³ of the solve alone: 8); fitted exponent "
                             f"{timing['slope']:.2f}")


def test_newton_timing_defaults_double_n():
    import inspect

    ns = inspect.signature(newton_cost.time_newton_steps).parameters["ns"].default
    assert len(ns) == 4 and all(b == 2 * a for a, b in zip(ns, ns[1:], strict=False))


# --- 6. steepest descent zig-zags -----------------------------------------------------------------
def test_successive_directions_are_at_right_angles(zigzag):
    norms = np.array([row["norm"] for row in zigzag["rows"]])
    for row in zigzag["rows"]:
        assert abs(row["dot"]) < 1e-12                               # "every dot product is 0"
        assert row["angle"] == pytest.approx(90.0, abs=1e-6)          # "every angle is 90°"
        if row["angle2"] is not None:
            assert row["angle2"] < 1e-4                               # repeats two steps later
    # the first direction is −∇J(x₀) = −A x₀ = Q diag(1, 10)(2, 0.2) = Q (2, 2): ‖·‖ = 2√2
    assert norms[0] == pytest.approx(2 * math.sqrt(2), rel=1e-12)
    # from this start every step shrinks by exactly (κ − 1)/(κ + 1) = 9/11 = 0.818
    np.testing.assert_allclose(norms[1:] / norms[:-1], 9 / 11, rtol=1e-10)
    assert zigzag["theory_shrink"] == pytest.approx(9 / 11)
    assert zigzag["shrink"] == pytest.approx(9 / 11, rel=1e-10)


def test_steepest_descent_needs_69_steps_and_cg_two(zigzag):
    # "steepest descent needs 69 steps to gain six digits"
    assert zigzag["sd_steps"] == predicted_steps(9 / 11, 1e-6) == 69
    assert zigzag["cg_steps"] == 2 and zigzag["cg_error"] < 1e-12      # "needs 2"


def test_cg_directions_are_conjugate_not_orthogonal(zigzag):
    A = conjugate.ZIGZAG.A
    x0 = np.array(conjugate.ZIGZAG_X0)
    r0 = A @ x0                                    # b = A·0 = 0: the residual is A x₀
    d0 = -r0
    eta = (r0 @ r0) / (d0 @ A @ d0)
    r1 = r0 + eta * A @ d0
    d1 = -r1 + (r1 @ r1) / (r0 @ r0) * d0
    assert zigzag["cg_conjugacy"] == pytest.approx(d0 @ A @ d1, abs=1e-12)
    assert abs(zigzag["cg_conjugacy"]) < 1e-12                         # "d₀ᵀAd₁ = 0"
    cos = d0 @ d1 / (np.linalg.norm(d0) * np.linalg.norm(d1))
    assert zigzag["cg_cos"] == pytest.approx(cos, rel=1e-10)
    assert round(cos, 3) == 0.633


def test_zigzag_report(zigzag):
    text = conjugate.report_zigzag(zigzag)
    for words in ("steepest descent with exact line searches on a bowl with κ = 10",
                  "  0   2.8284 0.0000000000              90.000°               0.000°",
                  "  6   0.8485 0.0000000000              90.000°",
                  "each ‖d_(k+1)‖/‖d_k‖ = 0.8182; (κ − 1)/(κ + 1) = 0.8182",
                  "steps to shrink the error by 1e-06: steepest descent 69, conjugate gradients 2"
                  " (error after them < 1e-12)",
                  "CG's two directions: d₀ᵀAd₁ = 0.0000000000 (A-conjugate), while cos(d₀, d₁) "
                  "= 0.633 (not orthogonal)"):
        assert words in text, words
    assert "-0.000" not in text


# --- 7. linear CG: n steps, and k steps for k distinct eigenvalues --------------------------------
def test_cg_terminates_in_n_steps(termination):
    rows = {row["n"]: row for row in termination["rows"]}
    for n in (2, 5, 10, 20):                      # "up to n = 20 ... after exactly n steps"
        assert rows[n]["iterations"] == n
    assert rows[50]["iterations"] == 43           # "for n = 50 ... after 43 steps"
    assert round(rows[20]["before_last"], 7) == 1.3e-6                 # "1.3×10⁻⁶"
    for n, row in rows.items():
        assert row["before_last"] > 1e-10 >= row["last"]
        assert row["error"] <= 1e-10 and row["conjugacy"] < 1e-6
        # the same count from an independent implementation (the exercise's reference)
        A, b = spd_matrix(n, np.linspace(1.0, 100.0, n), seed=n)
        x, directions = reference_cg(A, b, np.zeros(n), 1e-10)
        assert len(directions) == row["iterations"], n
        np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-7, atol=1e-9)


def test_cg_needs_k_steps_for_k_distinct_eigenvalues(distinct):
    assert distinct["n"] == 100
    for row in distinct["rows"]:
        assert row["distinct"] == row["k"] == row["iterations"]
        A, b = spd_matrix(100, np.resize(np.linspace(1.0, 10.0, row["k"]), 100),
                                    seed=row["k"])
        assert len(reference_cg(A, b, np.zeros(100), 1e-10)[1]) == row["k"]
    steps = {row["k"]: row["sd_steps"] for row in distinct["rows"]}
    assert steps[1] == 1                            # A = I: one exact step
    assert steps == {1: 1, 2: 114, 4: 114, 6: 111}
    assert all(s > 100 for k, s in steps.items() if k > 1)     # "over a hundred"


def test_termination_reports(termination, distinct):
    text = conjugate.report_termination(termination)
    for words in ("linear CG on random SPD systems, eigenvalues evenly spread over [1, 100], "
                  "stopped at ‖r‖ ≤ 1e-10·‖b‖",
                  "   2          2                   1.4e-01                              yes",
                  "  20         20                   1.3e-06                              yes",
                  "  50         43                   2.6e-10                              yes"):
        assert words in text, words
    text = conjugate.report_distinct(distinct)
    for words in ("n = 100, eigenvalues take k distinct values; stop at ‖r‖ ≤ 1e-10·‖b‖",
                  "  1              1                       1",
                  "  4              4                     114",
                  "  6              6                     111"):
        assert words in text, words


# --- 8. nonlinear CG ------------------------------------------------------------------------------
def test_fletcher_reeves_stalls_without_restarts(nonlinear):
    rows = {(row["beta"], row["restart"]): row for row in nonlinear["rows"]}
    stalled = rows["FR", "never"]
    assert not stalled["converged"] and stalled["steps"] == 2000   # "after 2000 steps"
    assert round(stalled["loss"], 1) == 1.6                          # "J is still 1.6"
    assert stalled["restarts"] == 0
    for beta in ("PR", "PR+"):                        # "with or without periodic restarts"
        assert rows[beta, "never"]["converged"] and rows[beta, "every n = 10"]["converged"]
    assert (rows["PR", "never"]["steps"], rows["PR+", "never"]["steps"]) == (210, 253)
    assert rows["FR", "every n = 10"]["steps"] == 133 and rows["FR", "every n = 10"]["converged"]
    for beta in ("FR", "PR", "PR+"):                  # "all three do best with them"
        assert rows[beta, "every n = 10"]["steps"] < rows[beta, "never"]["steps"]
        periodic = rows[beta, "every n = 10"]
        assert periodic["restarts"] == periodic["steps"] // 10       # one every n = 10 steps
    for row in nonlinear["rows"]:
        if row["converged"]:
            assert row["loss"] < 1e-10 and row["grad_norms"][-1] <= math.sqrt(10) * 1e-5
        assert row["ngev"] >= row["steps"] + 1                        # ≥ 1 gradient per step


def test_nonlinear_cg_report(nonlinear):
    text = conjugate.report_nonlinear_cg(nonlinear)
    for words in ("nonlinear CG on the 10-D extended Rosenbrock function, until ‖∇J‖∞ ≤ 1e-05 "
                  "(at most 2000 steps)",
                  "  FR every n = 10    133        235     324        13   1.2e-11  yes",
                  "  FR        never   2000       2797    3222         0   1.6e+00  NO",
                  "  PR every n = 10    104        188     251        10   2.8e-12  yes",
                  "  PR        never    210        368     458         0   4.1e-12  yes",
                  " PR+ every n = 10    113        199     278        11   1.1e-12  yes",
                  " PR+        never    253        449     551         0   6.5e-12  yes"):
        assert words in text, words


# --- 9. BFGS and L-BFGS against scipy -------------------------------------------------------------
def test_scipy_comparison_numbers_in_the_text(comparison):
    rows = {(row["problem"], row["method"]): row for row in comparison["rows"]}
    # "Every run of both libraries converges. Per problem and method, ours needs as many
    # gradients as scipy's or fewer in all 9 runs"
    assert all(row["converged"] and row["scipy_converged"] for row in comparison["rows"])
    assert all(row["ngev"] <= row["scipy_ngev"] for row in comparison["rows"])
    # "(on the logistic regression BFGS and L-BFGS need exactly as many, 30 and 12)"
    assert [(rows["logistic 20-D", m]["ngev"], rows["logistic 20-D", m]["scipy_ngev"])
            for m in ("BFGS", "L-BFGS")] == [(30, 30), (12, 12)]
    # "on the 100-D Rosenbrock function our BFGS evaluates the loss 1135 times against 650"
    bfgs = rows["Rosenbrock 100-D", "BFGS"]
    assert (bfgs["nfev"], bfgs["scipy_nfev"]) == (1135, 650)
    # "504 and 553 against 1082 in 100-D"
    big = [rows["Rosenbrock 100-D", m]["ngev"] for m in ("BFGS", "L-BFGS", "CG (PR+)")]
    assert big == [504, 553, 1082]
    for problem in ("Rosenbrock 2-D", "Rosenbrock 100-D"):       # "far fewer than CG"
        cg = rows[problem, "CG (PR+)"]["ngev"]
        assert max(rows[problem, "BFGS"]["ngev"], rows[problem, "L-BFGS"]["ngev"]) < 0.7 * cg
    # "L-BFGS with only 10 pairs stays close to full BFGS": within 15 % in 100-D
    assert big[1] / big[0] < 1.15
    text = scipy_comparison.report_comparison(comparison)
    for words in ("Rosenbrock 100-D BFGS / BFGS           504 /  650",
                  "Rosenbrock 100-D L-BFGS / L-BFGS-B     553 /  625",
                  "Rosenbrock 100-D CG (PR+) / CG        1082 / 1925",
                  "Ours used no more gradient evaluations than scipy in 9 of 9 runs."):
        assert words in text, words


def test_lbfgs_on_a_hundred_thousand_parameters_prints(large):
    assert (large["steps"], large["ngev"], large["nfev"]) == (46, 47, 59)
    text = scipy_comparison.report_lbfgs_large(large)
    for words in ("Extended Rosenbrock, n = 100,000 parameters; L-BFGS with m = 10.",
                  "8·n² = 80 GB", "2·m·n·8 = 16 MB (measured in the final state: 16 MB)",
                  "Converged: yes, after 46 steps, 47 gradient and 59 loss evaluations; final "
                  "‖∇J‖∞ = 5.4e-06, J = 2.9e-11, max |θᵢ − 1| = 6.5e-07."):
        assert words in text, words
    assert large["bfgs_bytes"] == 8 * (10 ** 5) ** 2 and large["lbfgs_state_bytes"] == 16e6


# --- 11. coordinate descent against Newton --------------------------------------------------------
def _sweeps_by_hand(alpha, tol=1e-6, x0=(-1.5, 1.0)):
    """Exact cyclic coordinate descent with the closed forms x₁ = x₂/(1 + α), x₂ = x₁/(1 + α)."""
    x1, x2 = x0
    stop = tol * math.hypot(*x0)
    for k in range(1, 100_000):
        x1 = x2 / (1 + alpha)
        x2 = x1 / (1 + alpha)
        if math.hypot(x1, x2) <= stop:
            return k
    return None


def test_coordinate_descent_matches_the_closed_form(coordinate):
    rows = coordinate["rows"]
    sweeps = [row["sweeps"] for row in rows]
    assert sweeps == [11, 72, 683, 6791]                   # "11, 72, 683, 6791"
    for row in rows:
        a = row["alpha"]
        assert row["reached"]
        assert row["sweeps"] == row["predicted"] == _sweeps_by_hand(a)   # "match exactly"
        assert row["gradients"] == 2 * row["sweeps"]      # one partial derivative per axis
        assert row["kappa"] == pytest.approx((4 + 2 * a) / (2 * a))      # 1 + 2/α
        assert row["newton_error"] < 1e-12                 # "one step for every α"
    # "grow like 1/α": α·sweeps → ln(‖x₂⁽⁰⁾‖√2 / (tol‖x₀‖))/2 as α → 0
    limit = math.log(math.sqrt(2) / (1e-6 * math.hypot(1.5, 1.0))) / 2
    assert rows[-1]["alpha"] * rows[-1]["sweeps"] == pytest.approx(limit, rel=2e-3)


def test_one_coordinate_step_is_the_closed_form():
    # "Minimizing over x₁ alone gives x₁ = x₂/(1 + α)": ∂f/∂x₁ = 0 there
    f = CoupledQuadratic(0.1)
    x2 = 0.8
    assert f.grad(np.array([x2 / 1.1, x2]))[0] == pytest.approx(0.0, abs=1e-15)
    assert f.coordinate_descent_factor == pytest.approx(1.1 ** -2)  # "(1 + α)⁻²" per sweep


def test_coordinate_report(coordinate):
    text = coordinate_lesson.report_coordinate(coordinate)
    for words in ("f(x) = (x₁ − x₂)² + α(x₁² + x₂²) from x₀ = (-1.5, 1.0); steps until "
                  "‖x‖ ≤ 1e-06·‖x₀‖",
                  "     1       3                         11      11         22             1, "
                  "< 1e-12",
                  "   0.1      21                         72      72        144             1, "
                  "< 1e-12",
                  "  0.01     201                        683     683       1366             1, "
                  "< 1e-12",
                  " 0.001    2001                       6791    6791      13582             1, "
                  "< 1e-12"):
        assert words in text, words


# --- figures --------------------------------------------------------------------------------------
NEUTRAL = {"#000000", "#555555", "#777777", "#ffffff"}


def smallest_text_px(fig, display_in: float = 7.5) -> float:
    """The smallest text of ``fig`` in px when the notebook shows it at most ``display_in``
    inches wide (a wider figure is scaled down; 1 pt ≈ 1 px at scale 1)."""
    from matplotlib.text import Text

    fig.canvas.draw()
    scale = min(1.0, display_in / fig.get_size_inches()[0])
    return min(t.get_fontsize() * scale for t in fig.findobj(Text)
               if t.get_visible() and t.get_text().strip())


def _check_figure(fig, name):
    palette = {c.lower() for c in PALETTE}
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel(), (name, ax.get_title())
        for line in ax.lines:
            assert to_hex(line.get_color()) in palette | NEUTRAL, (name, line.get_label())
    assert smallest_text_px(fig) >= 9.0, name               # legible at the notebook's width


@pytest.mark.parametrize("name", [
    "one_step", "quadratic_convergence", "saddle", "damping", "newton_timing", "zigzag",
    "cg_residuals", "nonlinear_cg", "coordinate"])
def test_figures_have_labelled_axes_and_the_palette(name, request):
    import matplotlib.pyplot as plt

    module = {"zigzag": conjugate, "cg_residuals": conjugate, "nonlinear_cg": conjugate,
              "damping": damping_lesson, "coordinate": coordinate_lesson,
              "newton_timing": newton_cost}.get(name, newton)
    fixtures = {"quadratic_convergence": ["quadratic"], "newton_timing": ["timing"],
                "nonlinear_cg": ["nonlinear"],
                "cg_residuals": ["termination", "distinct"]}.get(name, [name])
    fig = getattr(module, f"figure_{name}")(*[request.getfixturevalue(f) for f in fixtures])
    try:
        _check_figure(fig, name)
        assert all(ax.get_title() for ax in fig.axes)
    finally:
        plt.close(fig)


# --- 12. the explorer -----------------------------------------------------------------------------
WELL = "double well (a saddle at 0)"


def test_explorer_default_summary_and_controls():
    explorer = second_order_explorer.second_order_explorer()
    assert set(explorer.controls) == {"method", "alpha", "m", "function", "start"}
    # the counts are those of minimize's run (test_run_counted_matches_minimize); BFGS from
    # M₀ = I (its first line search tries η = 1 along −g and backtracks: 11 losses)
    assert explorer.summary_text == (
        "BFGS on Rosenbrock from A = (-1.2, 1): converged (‖∇J‖∞ ≤ 1e-08) after 34 iterations\n"
        "evaluations: 53 losses, 38 gradients, 0 Hessians or H v products (2.7 per iteration);"
        " final J − J* < 1e-12 at (1, 1)")
    # α and m steer only Newton and L-BFGS: disabled, with the reason, for BFGS
    assert set(explorer.disabled_reasons) == {"alpha", "m"}
    assert "only L-BFGS does" in explorer.disabled_reasons["m"]
    explorer.set(method="L-BFGS")
    assert set(explorer.disabled_reasons) == {"alpha"}
    explorer.set(method="Newton + line search")
    assert set(explorer.disabled_reasons) == {"m"}
    assert explorer.output.outputs[0]["data"]["image/png"]
    assert repr(explorer.widget) == ("Explorer: Second-order methods on 2-D landscapes "
                                     "(controls: method, alpha, m, function, start)")


def test_explorer_summary_is_deterministic():
    first = second_order_explorer.second_order_explorer().summary_text
    assert second_order_explorer.second_order_explorer().summary_text == first
    assert "0x" not in first
    for method in ("Hessian-free", "nonlinear CG (FR)", "coordinate descent"):
        texts = {second_order_explorer.summary_path(
            second_order_explorer.compute_path(method, function=WELL)) for _ in range(2)}
        assert len(texts) == 1, method


def test_explorer_controls_change_the_view():
    explorer = second_order_explorer.second_order_explorer()
    before = (explorer.summary_text, explorer.output.outputs, explorer.result["thetas"].copy())
    explorer.set(method="Newton", function=WELL)
    assert explorer.error is None
    r = explorer.result
    assert (r["method"], r["function"]) == ("Newton", WELL)
    assert explorer.summary_text != before[0] and explorer.output.outputs != before[1]
    assert r["thetas"].shape != before[2].shape or not np.allclose(r["thetas"], before[2])
    # "Newton with α = 0 stops on the saddle"
    assert r["stop_reason"] == "converged" and np.max(np.abs(r["final_theta"])) < 1e-8
    # one gradient and one Hessian per Newton iteration, no loss
    assert r["counts"].tolist() == [[0, 1, 1]] * r["iterations"]
    explorer.set(alpha=1.1)                     # a damped Newton run that reaches a minimum
    assert explorer.result["alpha"] == pytest.approx(1.1)
    assert explorer.result["final_theta"] == pytest.approx([0.0, 1.0], abs=1e-8)
    assert "α = 1.1" in explorer.summary_text
    explorer.set(method="L-BFGS", m=2, function="Rosenbrock", start="B")
    assert explorer.result["m"] == 2 and explorer.result["start"] == "B"
    assert explorer.summary_text.startswith("L-BFGS, m = 2 on Rosenbrock from B = (-1, -0.5)")


def test_explorer_claims_in_the_text():
    # The double well from A, damped Newton: θ₁ shrinks by α/(1 + α) per iteration (its
    # curvature is 1), so ‖∇J‖∞ ≤ 1e-8 takes ⌈ln 1e-8 / ln(α/(1 + α))⌉ iterations: 59 at
    # α = 2.7, 61 at α = 2.8 (past the explorer's 60), 378 at α = 20.
    def needed(alpha):
        return math.ceil(math.log(1e-8) / math.log(alpha / (1 + alpha)))

    for alpha in (0.5, 1.1, 2.0, 2.7):             # "raise α to 0.5 and it reaches a minimum"
        r = second_order_explorer.compute_path("Newton", alpha=alpha, function=WELL)
        assert r["stop_reason"] == "converged" and r["iterations"] == needed(alpha)
        assert np.abs(r["final_theta"]) == pytest.approx([0.0, 1.0], abs=1e-8)   # (0, ±1)
    assert needed(2.7) == 59 and needed(2.8) == 61 and needed(20.0) == 378
    for alpha in (2.8, 5.0, 20.0):                 # "try α = 5 and α = 20: ... limit of 60"
        slow = second_order_explorer.compute_path("Newton", alpha=alpha, function=WELL)
        assert slow["stop_reason"] == "steps" and slow["iterations"] == 60
        assert slow["final_theta"][0] == pytest.approx((alpha / (1 + alpha)) ** 60, rel=1e-6)
    assert slow["final_theta"][1] > 0.98 and slow["final_loss"] < 0.002
    # below α = 0.3 the damped run still ends on the saddle
    r = second_order_explorer.compute_path("Newton", alpha=0.2, function=WELL)
    assert r["stop_reason"] == "converged" and np.max(np.abs(r["final_theta"])) < 1e-8
    # Himmelblau from A: plain Newton converges to J = 182, a local maximum
    himmelblau = second_order_explorer.landscape("Himmelblau")
    r = second_order_explorer.compute_path("Newton", function="Himmelblau")
    assert r["stop_reason"] == "converged" and round(r["final_loss"]) == 182
    assert np.all(np.linalg.eigvalsh(himmelblau.hessian(r["final_theta"])) < 0)
    searched = second_order_explorer.compute_path("Newton + line search", function="Himmelblau")
    assert searched["final_loss"] < 1e-12 and searched["final_theta"] == pytest.approx([3, 2])
    assert searched["nfev"] > 0                              # the line search asks for losses
    # the coupled quadratic: coordinate descent uses all 60 sweeps, Newton one step
    quad = "coupled quadratic (α = 0.02)"
    cd = second_order_explorer.compute_path("coordinate descent", function=quad)
    newton = second_order_explorer.compute_path("Newton", function=quad)
    assert cd["stop_reason"] == "steps" and newton["iterations"] == 1


def test_run_counted_matches_minimize():
    f = second_order_explorer.landscape("Rosenbrock")
    r = second_order_explorer.compute_path("BFGS")
    from course_lib.optim import BFGS

    trace = minimize(f, BFGS(), r["theta0"], r["iterations"])
    np.testing.assert_allclose(r["thetas"], trace.thetas, rtol=1e-12)
    # the explorer's own ‖∇J‖∞ evaluations (its stopping test) are not counted
    assert (r["nfev"], r["ngev"]) == (trace.nfev, trace.ngev)


@pytest.mark.parametrize("function", list(second_order_explorer.LANDSCAPES))
def test_explorer_runs_every_landscape_and_method(function):
    f = second_order_explorer.landscape(function)
    for method in second_order_explorer.METHODS:
        for start in second_order_explorer.START_NAMES:
            r = second_order_explorer.compute_path(method, function=function, start=start)
            assert r["stop_reason"] in ("converged", "steps", "diverged", "failed"), r
            assert len(r["thetas"]) == len(r["losses"]) == r["iterations"] + 1
            assert r["counts"].shape == (r["iterations"], 3)
            if r["stop_reason"] == "converged":
                assert np.max(np.abs(f.grad(r["final_theta"]))) <= second_order_explorer.TOL
            assert r["final_loss"] >= r["min_value"] - 1e-9     # J* really is the minimum
            summary = second_order_explorer.summary_path(r)
            assert summary.startswith(method) and len(summary.splitlines()) == 2


def test_explorer_reports_a_failed_step():
    # Newton with α = 1 on the double well's line θ₂ = 0: H = diag(1, −1), so H + αI is
    # singular; the run stops cleanly with the optimizer's message instead of raising
    f = second_order_explorer.landscape(WELL)
    r = second_order_explorer.run_counted(f, Newton(alpha=1.0), [0.5, 0.0])
    assert r["stop_reason"] == "failed" and len(r["thetas"]) == 1
    assert r["message"].startswith("iteration 1 failed: H + alpha I is singular")
    shown = {**second_order_explorer.compute_path("Newton", alpha=1.0, function=WELL), **r,
             "iterations": 0}
    summary = second_order_explorer.summary_path(shown)
    assert "iteration 1 failed: H + alpha I is singular" in summary


def test_explorer_slider_updates_blit_and_a_new_landscape_rebuilds():
    explorer = second_order_explorer.second_order_explorer()
    fig = explorer.figure
    assert not fig.stale
    # L-BFGS with m = 5 keeps both y-ranges: only animated artists move, blitted
    second_order_explorer.draw_path(second_order_explorer.compute_path(method="L-BFGS", m=5),
                                    fig)
    assert not fig.stale
    second_order_explorer.draw_path(second_order_explorer.compute_path(function=WELL), fig)
    assert fig.stale                              # new contours: a full redraw


def test_explorer_bad_input():
    with pytest.raises(ValueError, match="method must be one of"):
        second_order_explorer.make_optimizer("Adam")
    with pytest.raises(ValueError, match="landscape must be one of"):
        second_order_explorer.landscape("moon")
    with pytest.raises(ValueError, match="start must be one of"):
        second_order_explorer.start_point("Rosenbrock", "Z")


def test_companion_figure():
    import matplotlib.pyplot as plt

    fig = second_order_explorer.companion_figure()
    try:
        path_ax, loss_ax, count_ax = fig.axes
        assert (path_ax.get_xlabel(), path_ax.get_ylabel()) == ("θ₁", "θ₂")
        assert loss_ax.get_xlabel() == count_ax.get_xlabel() == "iteration k"
        assert loss_ax.get_ylabel() == "J(θₖ) − J*"
        assert count_ax.get_ylabel() == "evaluations in iteration k"
        assert path_ax.get_title() == "BFGS"
        assert count_ax.get_title() == "evaluations: 53 + 38 + 0"
        _check_figure(fig, "companion")
    finally:
        plt.close(fig)


def test_explorer_newton_counts_and_oracle():
    # the right panel's numbers are the oracle's counts: Newton asks for one gradient and
    # one Hessian per iteration, no loss; with the Armijo search it also evaluates losses
    f = second_order_explorer.landscape("Rosenbrock")
    r = second_order_explorer.compute_path("Newton + line search")
    oracle = Oracle(f)
    optimizer = second_order_explorer.make_optimizer("Newton + line search")
    theta, state = r["theta0"], optimizer.init(r["theta0"])
    theta, state = optimizer.step(theta, state, oracle)
    assert r["counts"][0].tolist() == [oracle.counts.nfev, oracle.counts.ngev,
                                       oracle.counts.nhev]
    assert r["counts"][0, 0] >= 1 and r["counts"][0, 2] == 1


def test_the_benchmark_times_the_explorer_and_the_notebook():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "benchmark.py"
    spec = importlib.util.spec_from_file_location("course_benchmark", path)
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    assert (benchmark.EXPLORERS["07_second_order: second_order_explorer"]
            is second_order_explorer.second_order_explorer)
    assert benchmark.NOTEBOOK_TARGETS_S["07_second_order"] > 0
