"""Notebook 07, §9: BFGS's initial matrix, decided by measurement (issue 17); every number
the section's text quotes, asserted."""

import numpy as np
import pytest

from course_lib.lessons.nb07_second_order import bfgs_start


@pytest.fixture(scope="module")
def sweep():
    return bfgs_start.compute_start_sweep()


@pytest.fixture(scope="module")
def choice():
    return bfgs_start.compute_start_choice()


def test_the_quadratic_is_the_issues():
    f = bfgs_start.ill_conditioned()
    eig = np.linalg.eigvalsh(f.A)
    np.testing.assert_allclose(eig, np.geomspace(1, 1000, 20), rtol=1e-10)
    assert not np.allclose(f.A, np.diag(np.diag(f.A)))          # rotated, not axis-aligned


def test_a_too_small_start_costs_gradients_a_too_large_one_loss_values(sweep):
    runs = sweep["runs"]
    assert all(run["converged"] for run in runs.values())
    assert runs[1e-3]["ngev"] == 111 and sweep["scaled"]["ngev"] == 107   # "111 ... 107"
    assert runs[1.0]["ngev"] == 25                                         # "against 25"
    large = [runs[c] for c in (1.0, 10.0, 100.0, 1000.0)]
    assert [r["ngev"] for r in large] == [25, 23, 24, 23]                 # "23 to 25"
    assert [r["nfev"] for r in large] == sorted(r["nfev"] for r in large)  # loss values grow
    assert (large[0]["nfev"], large[-1]["nfev"]) == (96, 286)             # "from 96 to 286"
    small = [runs[c]["ngev"] for c in (1e-3, 1e-2, 1e-1, 1.0)]
    assert small == sorted(small, reverse=True)           # the smaller M₀, the more gradients
    # the rescaled M₀ ends up as small as H⁻¹'s smallest eigenvalue: like c = 0.001
    assert sweep["inverse_eigenvalues"] == pytest.approx((1e-3, 1.0))


def test_the_choice_across_problems(choice):
    rows = {row["problem"]: row for row in choice["rows"]}
    k1000, k10 = rows["quadratic 20-D, κ = 1000"], rows["quadratic 20-D, κ = 10"]
    assert k1000["scaled"]["ngev"] / k1000["identity"]["ngev"] == pytest.approx(4.3, abs=0.05)
    assert k10["scaled"]["ngev"] / k10["identity"]["ngev"] == pytest.approx(1.5, abs=0.05)
    ros, logistic = rows["Rosenbrock 2-D"], rows["logistic 20-D"]
    assert (ros["scaled"]["ngev"], ros["identity"]["ngev"]) == (38, 37)
    assert (logistic["scaled"]["ngev"], logistic["identity"]["ngev"]) == (17, 30)
    # "never needs more gradients than scipy's here"
    assert all(row["identity"]["ngev"] <= row["scipy"]["ngev"] for row in choice["rows"])
    assert any(row["scaled"]["ngev"] > row["scipy"]["ngev"] for row in choice["rows"])
    assert all(row[k]["converged"] for row in choice["rows"]
               for k in ("identity", "scaled", "scipy"))


def test_reports(sweep, choice):
    text = bfgs_start.report_start_sweep(sweep)
    for words in ("so H⁻¹'s lie in [0.001, 1]", "c = 1  (the default, I)         25           96",
                  "rescaled by sᵀy/yᵀy        107          115",
                  "scipy's BFGS (M₀ = I)         33"):
        assert words in text, words
    text = bfgs_start.report_start_choice(choice)
    assert "quadratic 20-D, κ = 1000        25 (96)     107 (115)         33 (33)" in text
