"""More schedules (section 8.3.1), momentum schedules, and the conditions 8.12–8.13."""

import math

import numpy as np
import pytest

from course_lib.schedules import (
    Cosine,
    ExponentialDecay,
    InverseSqrt,
    InverseTime,
    Ramp,
    RobbinsMonroReport,
    StepDecay,
    WarmUp,
    as_momentum,
    constant,
    cosine,
    exponential_decay,
    inverse_sqrt,
    inverse_time,
    linear_decay,
    nesterov_alpha,
    ramp,
    robbins_monro,
    step_decay,
    warm_up,
)

K = np.arange(0, 2001)


# --- values at chosen k ---------------------------------------------------------------------
def test_step_decay_drops_after_every_block():
    schedule = step_decay(1.0, every=3, drop=0.5)
    # steps 1-3 use ε₀, 4-6 use ε₀/2, 7-9 use ε₀/4; k = 0 is ε₀
    np.testing.assert_allclose(schedule(np.arange(0, 10)),
                               [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25])
    assert step_decay(0.1, every=100)(201) == pytest.approx(0.001)     # default drop 0.1


def test_exponential_decay():
    schedule = exponential_decay(0.2, gamma=0.9)
    assert schedule(0) == pytest.approx(0.2)
    assert schedule(1) == pytest.approx(0.18)
    assert schedule(10) == pytest.approx(0.2 * 0.9 ** 10)


def test_inverse_time_and_inverse_sqrt():
    assert inverse_time(0.1, tau=100)(0) == pytest.approx(0.1)
    assert inverse_time(0.1, tau=100)(100) == pytest.approx(0.05)      # halved at k = τ
    assert inverse_time(0.1, tau=100)(300) == pytest.approx(0.025)
    assert inverse_sqrt(0.1, tau=10)(30) == pytest.approx(0.05)        # 0.1/√4


def test_cosine():
    schedule = cosine(1.0, total=10)
    np.testing.assert_allclose(schedule([0, 5, 10, 20]), [1.0, 0.5, 0.0, 0.0], atol=1e-15)
    with_floor = cosine(1.0, total=10, eps_min=0.1)
    np.testing.assert_allclose(with_floor([0, 5, 10, 20]), [1.0, 0.55, 0.1, 0.1])


def test_warm_up_ramps_linearly_then_follows_the_wrapped_schedule():
    inner = inverse_time(0.1, tau=100)
    schedule = warm_up(inner, warmup_steps=4)
    k = np.arange(1, 5)
    np.testing.assert_allclose(schedule(k), k / 4 * inner(k))          # (k/w) · inner(k)
    assert schedule(1) == pytest.approx(inner(1) / 4)                   # ε/warmup at step 1
    np.testing.assert_allclose(schedule(np.arange(4, 50)), inner(np.arange(4, 50)))
    assert schedule(0) == pytest.approx(inner(0) / 4)                   # never a zero rate
    np.testing.assert_allclose(warm_up(0.1, 4)(np.arange(1, 7)),        # a number: constant
                               [0.025, 0.05, 0.075, 0.1, 0.1, 0.1])


def test_ramp_for_momentum():
    schedule = ramp(0.5, 0.9, steps=4)
    np.testing.assert_allclose(schedule(np.arange(0, 7)), [0.5, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9])
    assert as_momentum(schedule)(2) == pytest.approx(0.7)


def test_nesterov_alpha():
    np.testing.assert_allclose(nesterov_alpha()(np.arange(0, 5)), [0, 0, 0.25, 0.4, 0.5])


# --- shapes of the curves ---------------------------------------------------------------------
@pytest.mark.parametrize("schedule", [
    step_decay(0.1, every=50), exponential_decay(0.1, 0.99), inverse_time(0.1, 10),
    inverse_sqrt(0.1, 10), cosine(0.1, 1000), linear_decay(0.1, 500),
])
def test_decays_never_increase_and_stay_non_negative(schedule):
    rates = schedule(K)
    assert np.all(np.diff(rates) <= 0) and np.all(rates >= 0)
    assert rates[-1] < rates[0]


def test_strictly_decreasing_where_they_should_be():
    for schedule in [exponential_decay(0.1, 0.99), inverse_time(0.1, 10), inverse_sqrt(0.1, 10)]:
        assert np.all(np.diff(schedule(K)) < 0)
    assert np.all(np.diff(cosine(0.1, 1000)(np.arange(0, 1001))) < 0)


def test_increasing_schedules():
    assert np.all(np.diff(ramp(0.5, 0.99, 1000)(np.arange(0, 1001))) > 0)
    assert np.all(np.diff(nesterov_alpha()(np.arange(1, 1000))) > 0)
    assert np.all(np.diff(warm_up(0.1, 100)(np.arange(1, 101))) > 0)


# --- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("make, message", [
    (lambda: StepDecay(0.1, every=0), "every must be an integer >= 1, got 0"),
    (lambda: StepDecay(0.1, every=2.5), "every must be an integer"),
    (lambda: StepDecay(0.1, every=10, drop=1.5), r"drop must be in \(0, 1\], got 1.5"),
    (lambda: StepDecay(0.1, every=10, drop=0), r"drop must be in \(0, 1\], got 0"),
    (lambda: ExponentialDecay(0.1, gamma=1.1), r"gamma must be in \(0, 1\], got 1.1"),
    (lambda: ExponentialDecay(-0.1, gamma=0.9), "eps0 must be > 0, got -0.1"),
    (lambda: InverseTime(0.1, tau=0), "tau must be > 0, got 0"),
    (lambda: InverseSqrt(0.0, tau=1), "eps0 must be > 0, got 0"),
    (lambda: Cosine(0.1, total=0), "total must be an integer >= 1"),
    (lambda: Cosine(0.1, total=10, eps_min=0.2), r"eps_min must be in \[0, 0.1\), got 0.2"),
    (lambda: WarmUp(0.1, warmup_steps=0), "warmup_steps must be an integer >= 1"),
    (lambda: WarmUp("fast", warmup_steps=3), "schedule must be > 0 or a schedule"),
    (lambda: Ramp(-0.1, 0.9, 10), "start must be >= 0, got -0.1"),
    (lambda: Ramp(0.5, 0.9, 0), "steps must be an integer >= 1"),
    (lambda: as_momentum(1.0), r"alpha must be in \[0, 1\), got 1"),
    (lambda: as_momentum(None), r"alpha must be in \[0, 1\) or a schedule"),
    (lambda: as_momentum(ramp(0.5, 1.0, 10))(10), r"alpha schedule must give values in \[0, 1\)"),
    (lambda: inverse_time(0.1, 10)(-1), "k must be >= 0"),
    (lambda: robbins_monro(constant(0.1), horizons=(100,)), "horizons must hold at least 2"),
    (lambda: robbins_monro(constant(0.1), horizons=(0, 10)), "horizons must be an integer >= 1"),
    (lambda: robbins_monro(constant(0.1), horizons=5), "horizons must be integers >= 1"),
    (lambda: robbins_monro(lambda k: -1.0, horizons=(10, 100)), "schedule must give finite"),
])
def test_bad_input_names_the_parameter(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_reprs():
    assert repr(step_decay(0.1, 30)) == "StepDecay(eps0=0.1, every=30, drop=0.1)"
    assert repr(exponential_decay(0.1, 0.95)) == "ExponentialDecay(eps0=0.1, gamma=0.95)"
    assert repr(inverse_time(0.1, 100)) == "InverseTime(eps0=0.1, tau=100)"
    assert repr(cosine(0.1, 1000)) == "Cosine(eps0=0.1, total=1000, eps_min=0)"
    assert repr(warm_up(0.1, 5)) == "WarmUp(Constant(eps=0.1), warmup_steps=5)"
    assert repr(ramp(0.5, 0.9, 10)) == "Ramp(start=0.5, end=0.9, steps=10)"
    assert repr(as_momentum(0.9)) == "Constant(alpha=0.9)"


# --- the conditions 8.12 (Σ ε_k = ∞) and 8.13 (Σ ε_k² < ∞) ------------------------------------
def test_robbins_monro_constant_rate_meets_only_8_12():
    report = robbins_monro(constant(0.1))
    assert (report.holds_8_12, report.holds_8_13) == ("yes", "no")
    assert (report.exact_8_12, report.exact_8_13) == (True, False)
    np.testing.assert_allclose(report.sums, [10, 100, 1e3, 1e4, 1e5])
    np.testing.assert_allclose(report.sums_sq, [1, 10, 100, 1e3, 1e4])
    assert report.holds is False


def test_robbins_monro_inverse_time_meets_both():
    report = robbins_monro(inverse_time(1.0, tau=1.0))
    assert (report.holds_8_12, report.holds_8_13) == ("yes", "yes")
    assert (report.exact_8_12, report.exact_8_13) == (True, True)
    assert report.holds is True
    # Σ_{k=1}^{N} 1/(1 + k) = H_{N+1} − 1, and Σ 1/(1 + k)² → π²/6 − 1
    n = 10**6
    harmonic = math.log(n + 1) + 0.5772156649015329 + 1 / (2 * (n + 1)) - 1 / (12 * (n + 1) ** 2)
    assert report.sums[-1] == pytest.approx(harmonic - 1, rel=1e-12)
    assert report.sums_sq[-1] == pytest.approx(math.pi ** 2 / 6 - 1 - 1 / (n + 1), rel=1e-9)


def test_robbins_monro_exponential_decay_fails_8_12():
    report = robbins_monro(exponential_decay(0.1, gamma=0.99))
    assert report.holds_8_12 == "no" and report.exact_8_12 is False
    assert report.holds_8_13 == "yes" and report.exact_8_13 is True
    assert report.sums[-1] == pytest.approx(0.1 * 0.99 / 0.01, rel=1e-12)   # ε₀γ/(1 − γ)


@pytest.mark.parametrize("schedule, numerical, exact", [
    (inverse_sqrt(0.1, tau=10), ("yes", "no"), (True, False)),     # Σ ε² is like Σ 1/k
    (linear_decay(0.1, tau=1000), ("yes", "no"), (True, False)),   # ε_τ > 0: like constant
    (step_decay(0.1, every=1000), ("no", "yes"), (False, True)),
    (cosine(0.1, total=1000), ("no", "yes"), (False, True)),        # zero after `total`
    (cosine(0.1, total=1000, eps_min=1e-3), ("yes", "no"), (True, False)),
    (warm_up(inverse_time(0.1, 10), 50), ("yes", "yes"), (True, True)),
    (lambda k: 1.0 / k, ("yes", "yes"), (None, None)),              # a learner's function
    (lambda k: 1.0 / math.sqrt(k), ("yes", "no"), (None, None)),
    (lambda k: k ** -1.5, ("no", "yes"), (None, None)),
])
def test_robbins_monro_verdicts(schedule, numerical, exact):
    report = robbins_monro(schedule)
    assert (report.holds_8_12, report.holds_8_13) == numerical
    assert (report.exact_8_12, report.exact_8_13) == exact


def test_robbins_monro_admits_its_limits():
    # τ beyond the horizons: Σ ε_k² has not yet bent over; the rule says so instead of guessing
    report = robbins_monro(inverse_time(1.0, tau=1e4))
    assert report.holds_8_13 == "undecided" and report.exact_8_13 is True
    assert report.holds is True                 # the exact answer wins
    # Σ k^(−1.1) converges, but at 10⁶ it still grows 8 % a decade: judged divergent
    border = robbins_monro(lambda k: k ** -1.1)
    assert border.holds_8_12 == "yes" and border.exact_8_12 is None
    assert border.growth == pytest.approx(0.081, abs=0.002)


def test_robbins_monro_report_reads_as_a_table():
    report = robbins_monro(inverse_time(0.1, tau=100))
    assert isinstance(report, RobbinsMonroReport)
    assert report.horizons == (10**2, 10**3, 10**4, 10**5, 10**6)
    assert repr(robbins_monro(constant(0.5), horizons=(1000, 10, 100))) == "\n".join([
        "Robbins–Monro conditions for Constant(eps=0.5)",
        "        N           Σ ε_k          Σ ε_k²",
        "       10               5             2.5",
        "      100              50              25",
        "    1,000             500             250",
        "8.12  Σ ε_k = ∞ : numerically yes       (growth per decade 9.00e-01); exactly yes",
        "8.13  Σ ε_k² < ∞: numerically no        (growth per decade 9.00e-01); exactly no",
    ])
    assert repr(report) == repr(robbins_monro(inverse_time(0.1, tau=100)))   # deterministic
