"""Measured convergence rates against the theory (the numbers notebook 00 prints)."""

import math

import numpy as np
import pytest

from course_lib import minimize, rates
from course_lib.objectives import Quadratic
from course_lib.optim import SGD


def test_measured_rate_at_the_best_learning_rate_is_the_theorys():
    bowl = Quadratic.with_condition(10.0, angle=np.pi / 6)
    trace = minimize(bowl, SGD(lr=bowl.best_gd_lr), [-2.5, 2.0], steps=60)
    assert rates.measured_rate(trace.thetas, bowl.center) == pytest.approx(9 / 11, rel=1e-10)
    assert f"{rates.measured_rate(trace.thetas, bowl.center):.4f}" == "0.8182"


@pytest.mark.parametrize("kappa", [2, 10, 100, 1000])
def test_steps_to_a_millionfold_reduction_grow_like_kappa(kappa):
    [row] = rates.steps_vs_condition(lambda q: SGD(lr=q.best_gd_lr), [kappa], tol=1e-6)
    predicted = rates.predicted_steps((kappa - 1) / (kappa + 1), 1e-6)
    assert row["steps"] == predicted
    assert row["rate"] == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-9)
    if kappa >= 10:      # the notebook's "about 6.9 κ steps": (1/2) ln(10⁶) = 6.908
        assert row["steps"] / kappa == pytest.approx(0.5 * math.log(1e6), abs=0.02)


def test_steps_to_tolerance_and_predicted_steps():
    thetas = np.array([[1.0, 0.0], [0.5, 0.0], [0.25, 0.0], [0.125, 0.0]])
    assert rates.steps_to_tolerance(thetas, [0.0, 0.0], 0.3) == 2
    assert rates.steps_to_tolerance(thetas, [0.0, 0.0], 0.01) is None
    assert rates.measured_rate(thetas, [0.0, 0.0]) == pytest.approx(0.5)
    assert rates.predicted_steps(0.5, 0.125) == 3
    assert rates.predicted_steps(0.5, 0.1) == 4


@pytest.mark.parametrize("call, message", [
    (lambda: rates.predicted_steps(1.0, 0.1), r"rate must be in \(0, 1\), got 1"),
    (lambda: rates.predicted_steps(0.5, 0.0), r"tol must be in \(0, 1\), got 0"),
    (lambda: rates.measured_rate(np.zeros((1, 2)), [0.0, 0.0]), "at least one step"),
    (lambda: rates.distances(np.zeros((3, 2)), [0.0]), r"theta_star has shape \(1,\)"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_loglog_slope():
    k = np.arange(1.0, 50.0)
    assert rates.loglog_slope(k, 7.0 / k ** 2) == pytest.approx(-2.0)
    with pytest.raises(ValueError, match="must be > 0 for a log-log fit"):
        rates.loglog_slope([1.0, 2.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="same length"):
        rates.loglog_slope([1.0, 2.0], [1.0])


def test_notebook_00_steps_table():
    from course_lib.lessons.nb00_start_here import steps

    rows = steps.gd_steps_table(kappas=[2, 10, 100, 1000], tol=1e-6)
    assert [row["steps"] for row in rows] == [row["predicted"] for row in rows]
    assert [row["steps"] for row in rows] == [13, 69, 691, 6908]
    assert steps.report_gd_steps(rows).splitlines()[-1].split() == ["1000", "6908", "6908",
                                                                         "6.91"]
