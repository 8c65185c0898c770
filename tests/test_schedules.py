"""Learning-rate schedules (section 8.3.1)."""

import numpy as np
import pytest

from course_lib.schedules import Constant, LinearDecay, as_schedule, constant, linear_decay


def test_constant():
    schedule = constant(0.3)
    assert schedule(1) == 0.3 and schedule(10_000) == 0.3
    np.testing.assert_array_equal(schedule(np.arange(1, 4)), [0.3, 0.3, 0.3])


def test_linear_decay_values_of_eq_8_14():
    schedule = linear_decay(0.1, tau=100, eps_tau=0.002)
    assert schedule(0) == pytest.approx(0.1)
    assert schedule(50) == pytest.approx(0.5 * 0.1 + 0.5 * 0.002)
    assert schedule(25) == pytest.approx(0.75 * 0.1 + 0.25 * 0.002)
    assert schedule(100) == pytest.approx(0.002)
    assert schedule(1000) == pytest.approx(0.002)          # held constant after τ
    k = np.arange(0, 201)
    rates = schedule(k)
    assert np.all(np.diff(rates[:101]) < 0) and np.all(rates[100:] == rates[100])


def test_linear_decay_defaults_to_one_percent_of_the_start():
    assert linear_decay(0.5, tau=10).eps_tau == pytest.approx(0.005)


@pytest.mark.parametrize("make, message", [
    (lambda: Constant(0), "lr must be > 0, got 0"),
    (lambda: LinearDecay(-1, 10), "eps0 must be > 0, got -1"),
    (lambda: LinearDecay(1, 0), "tau must be > 0, got 0"),
    (lambda: LinearDecay(1, 10, eps_tau=-0.1), "eps_tau must be > 0"),
    (lambda: constant(0.1)(-1), "k must be >= 0"),
    (lambda: as_schedule(None), "lr must be > 0 or a schedule"),
])
def test_bad_schedule_input(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_learners_function_is_a_schedule():
    schedule = as_schedule(lambda k: 1.0 / k)
    assert schedule(4) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="lr schedule must give rates > 0"):
        as_schedule(lambda k: -1.0)(1)


def test_reprs_are_readable():
    assert repr(linear_decay(0.1, 50)) == "LinearDecay(eps0=0.1, tau=50, eps_tau=0.001)"
    assert repr(constant(0.01)) == "Constant(eps=0.01)"


def test_a_constants_rate_at_one_step_is_the_arrays_value_and_a_float():
    """One step's k (a Python int) takes ``Schedule.at`` (a constant ε or α answers it
    without an array; a run asks at every step): the same float as for an array of k, for
    every kind of schedule, and k < 0 still refused."""
    from course_lib.schedules.base import Constant, as_momentum

    for schedule, value in ((Constant(0.05), 0.05), (as_momentum(0.9), 0.9)):
        assert type(schedule(7)) is float and schedule(7) == value
    for schedule in (Constant(0.05), as_momentum(0.9), linear_decay(0.1, 5, 0.01),
                     as_momentum(lambda k: 1 - 1 / (k + 1)), as_schedule(lambda k: 1 / k)):
        assert type(schedule(7)) is float
        assert schedule(7) == float(schedule(np.array(7))) == schedule(np.arange(1, 9))[6]
        with pytest.raises(ValueError, match="k must be >= 0"):
            schedule(-1)
    # per-coordinate rates (notebook 10's stacked runs) stay an array at one step
    from course_lib.prototypes.suite import RowRates

    rows = RowRates([0.1, 0.2, 0.3])
    np.testing.assert_array_equal(rows(7), [0.1, 0.2, 0.3])
    np.testing.assert_array_equal(rows(7), rows(np.array(7)))
