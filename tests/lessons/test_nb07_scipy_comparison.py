"""Our BFGS, L-BFGS and PR+ CG against scipy.optimize (notebook 07's scipy_comparison).

Evaluation counts are deterministic (seeded data, no randomness in the methods), so the
claim of the issue, "no more gradient evaluations than scipy", is asserted run by run.
"""

import numpy as np
import pytest

from course_lib.lessons.nb07_second_order.scipy_comparison import (
    PAIRS,
    compare_with_scipy,
    lbfgs_large,
    logistic_problem,
    problems,
    report_comparison,
    report_lbfgs_large,
)

# A sanity window for each count of ours: (low, high). The high end is scipy 1.17's count
# (the bound that matters, scipy's count in this run, is asserted separately); the low end
# is a floor well below what we measured (38, 39, 62, 498, 553, 1082, 17, 12, 21).
WINDOWS = {
    ("Rosenbrock 2-D", "BFGS"): (30, 39), ("Rosenbrock 2-D", "L-BFGS"): (30, 45),
    ("Rosenbrock 2-D", "CG (PR+)"): (40, 77),
    ("Rosenbrock 100-D", "BFGS"): (400, 650), ("Rosenbrock 100-D", "L-BFGS"): (400, 625),
    ("Rosenbrock 100-D", "CG (PR+)"): (800, 1925),
    ("logistic 20-D", "BFGS"): (10, 30), ("logistic 20-D", "L-BFGS"): (10, 12),
    ("logistic 20-D", "CG (PR+)"): (15, 45),
}


@pytest.fixture(scope="module")
def comparison():
    return compare_with_scipy()


def test_one_row_per_problem_and_pair(comparison):
    rows = comparison["rows"]
    assert [(r["problem"], r["method"]) for r in rows] == [
        (p, m) for p in problems() for m, _, _ in PAIRS]
    assert [r["scipy_method"] for r in rows[:3]] == ["BFGS", "L-BFGS-B", "CG"]


def test_both_converge_to_the_tolerance(comparison):
    for row in comparison["rows"]:
        assert row["converged"] and row["scipy_converged"], row
        assert row["gmax"] <= 1e-5 and row["scipy_gmax"] <= 1e-5


def test_no_more_gradient_evaluations_than_scipy(comparison):
    for row in comparison["rows"]:
        assert row["ngev"] <= row["scipy_ngev"], row


def test_counts_are_in_a_sane_window(comparison):
    for row in comparison["rows"]:
        low, high = WINDOWS[row["problem"], row["method"]]
        assert low <= row["ngev"] <= high
        assert row["ngev"] >= row["steps"] + 1           # ∇J at θ₀, then ≥ 1 per step
        assert row["nfev"] >= row["steps"] + 1


def test_same_minimum_as_scipy(comparison):
    for row in comparison["rows"]:
        if row["problem"].startswith("Rosenbrock"):      # minimum value 0 at (1, …, 1)
            assert row["loss"] < 1e-9 and row["scipy_loss"] < 1e-9
        else:                                            # strongly convex: one minimum
            assert row["loss"] == pytest.approx(row["scipy_loss"], abs=1e-9)


def test_report_prints_the_table(comparison):
    text = report_comparison(comparison)
    lines = text.splitlines()
    assert len(lines) == 2 + 9 + 1
    first = comparison["rows"][0]
    assert lines[2].startswith("Rosenbrock 2-D   BFGS / BFGS")
    assert f"{first['ngev']:4d} / {first['scipy_ngev']:4d}" in lines[2]
    assert f"{first['loss']:.1e} / {first['scipy_loss']:.1e}" in lines[2]
    assert lines[2].endswith("yes / yes")
    assert lines[-1] == "Ours used no more gradient evaluations than scipy in 9 of 9 runs."


def test_logistic_problem_has_a_unique_minimum():
    objective, theta0 = logistic_problem()
    assert objective.dim == 20 and objective.n_examples == 300 and objective.l2 == 1e-3
    np.testing.assert_array_equal(theta0, np.zeros(20))
    y = objective.y
    assert 0.3 < y.mean() < 0.7                          # both classes well represented
    # Noisy labels, drawn from σ(xᵀθ_true): even a least-squares linear classifier errs
    # on more than 5 % of them.
    assert np.mean((objective.X @ np.linalg.lstsq(objective.X, 2 * y - 1, rcond=None)[0] > 0)
                   != (y == 1)) > 0.05
    # The L2 term makes the Hessian ≥ λI everywhere.
    assert np.linalg.eigvalsh(objective.hessian(theta0)).min() >= 1e-3 - 1e-12


@pytest.fixture(scope="module")
def large():
    return lbfgs_large()


def test_lbfgs_on_a_hundred_thousand_parameters(large):
    assert large["n"] == 100_000 and large["converged"] and large["gmax"] <= 1e-5
    assert large["steps"] <= 60 and large["ngev"] <= large["steps"] + 5
    assert large["max_error"] < 1e-5 and large["loss"] < 1e-9
    assert large["bfgs_bytes"] == 8 * 10 ** 10                      # n² · 8 bytes = 80 GB
    assert large["lbfgs_bytes"] == large["lbfgs_state_bytes"] == 16 * 10 ** 6   # 16 MB


def test_lbfgs_large_report(large):
    text = report_lbfgs_large(large)
    assert "8·n² = 80 GB" in text and "2·m·n·8 = 16 MB" in text
    assert "measured in the final state: 16 MB" in text
    assert (f"after {large['steps']} steps, {large['ngev']} gradient and {large['nfev']} loss "
            "evaluations") in text
    assert f"‖∇J‖∞ = {large['gmax']:.1e}" in text


def test_lbfgs_large_small_case():
    r = lbfgs_large(n=1000)
    assert r["converged"] and r["bfgs_bytes"] == 8_000_000 and r["lbfgs_bytes"] == 160_000


@pytest.mark.parametrize("call, match", [
    (lambda: compare_with_scipy(tol=0.0), "tol must be > 0"),
    (lambda: compare_with_scipy(max_steps=0), "max_steps must be an integer >= 1"),
    (lambda: lbfgs_large(n=1), "n must be an integer >= 2"),
    (lambda: lbfgs_large(spread=-1.0), "spread must be > 0"),
    (lambda: logistic_problem(m=1), "m must be an integer >= 2")])
def test_validation(call, match):
    with pytest.raises(ValueError, match=match):
        call()
