"""The numbers notebook 03_sgd_schedules prints, and the machinery behind them.

Every number the notebook prints is asserted here with the notebook's own formatting, so a
change in course_lib that moves a printed number fails here first (and nbval second).
"""

import itertools
import math

import matplotlib
import numpy as np
import pytest

from course_lib import minimize, schedules
from course_lib.lessons.nb03_sgd_schedules import checks as checks03
from course_lib.lessons.nb03_sgd_schedules import (
    conditions,
    convergence_rates,
    cost,
    gradient_noise,
    initial_rate,
    noise_floor,
    running_example,
    schedule_explorer,
)
from course_lib.lessons.nb03_sgd_schedules import epochs as epochs_lesson
from course_lib.optim import SGD
from course_lib.rates import loglog_slope
from course_lib.run import minibatches

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# --- the running example and the vectorized runs -------------------------------------------

def test_task_is_the_least_squares_problem_the_notebook_describes():
    t = running_example.task()
    assert (t.n, t.dim) == (1000, 4)
    assert np.allclose(t.objective.grad(t.theta_star), 0, atol=1e-12)
    assert t.j_star == pytest.approx(t.objective.min_value)
    theta = t.theta_star + np.array([0.3, -0.2, 0.1, 0.5])
    assert t.excess(theta) == pytest.approx(t.objective.loss(theta) - t.j_star, rel=1e-10)
    assert str(np.round(np.linalg.eigvalsh(t.H), 3)) == "[0.032 0.908 0.982 1.034]"
    assert f"{t.j_star:.4f}" == "0.4820"
    assert f"{t.excess(t.theta0):.3f}" == "5.110"


@pytest.mark.parametrize("sampling, batch_size", [("replacement", 7), ("reshuffle", 10),
                                                  ("reshuffle", 32), ("fixed", 64)])
def test_batch_indices_are_the_minibatches_minimize_draws(sampling, batch_size):
    ours = running_example.batch_indices(1000, batch_size, 3, 70, sampling)
    theirs = list(itertools.islice(minibatches(1000, batch_size, np.random.default_rng(3),
                                               sampling), 70))
    assert all(np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))


@pytest.mark.parametrize("sampling, batch_size", [("replacement", 4), ("reshuffle", 32)])
def test_sgd_runs_gives_the_iterates_of_minimize(sampling, batch_size):
    t = running_example.task()
    schedule = schedules.LinearDecay(0.1, 80, 0.001)
    excess = running_example.sgd_runs(t, schedule, batch_size, [5, 6], 100, sampling=sampling)
    for column, seed in enumerate([5, 6]):
        trace = minimize(t.objective, SGD(lr=schedule), t.theta0, 100, batch_size=batch_size,
                         rng=seed, sampling=sampling)
        assert np.allclose(excess[:, column], trace.losses - t.j_star, rtol=1e-9, atol=1e-12)


def test_sgd_runs_rejects_a_wrong_lr_shape():
    with pytest.raises(ValueError, match=r"lrs must have shape \(runs, steps\) = \(2, 5\)"):
        running_example.sgd_runs(running_example.task(), np.ones((3, 5)), 1, [0, 1], 5)


# --- 1. cost per update --------------------------------------------------------------------

def test_examples_per_update_sgd_constant_gd_grows_with_n():
    rows = cost.cost_per_update()
    assert [r["n"] for r in rows] == [100, 1000, 10_000, 100_000]
    assert [r["sgd"] for r in rows] == [32, 32, 32, 32]
    assert [r["gd"] for r in rows] == [100, 1000, 10_000, 100_000]
    assert [f"{r['ratio']:g}" for r in rows] == ["3.125", "31.25", "312.5", "3125"]


def test_trace_counts_the_examples_in_each_gradient_request():
    t = running_example.task()
    trace = minimize(t.objective, SGD(lr=0.01), t.theta0, 7, batch_size=128, rng=0)
    # 7 batches of 128 from 1000 examples: all full (the short one, 104, would be the 8th)
    assert trace.nexamples == sum(len(b) for b in trace.batches) == 7 * 128
    assert trace.ngev == 7


def test_time_per_update_and_cost_figure():
    times = cost.time_per_update(sizes=(100, 1000), repeats=2)
    assert times["sgd"].shape == times["gd"].shape == (2,)
    assert np.all(times["sgd"] > 0) and np.all(times["gd"] > 0)
    fig = cost.figure_cost(cost.cost_per_update(sizes=(100, 1000)), times)
    assert len(fig.axes) == 2


# --- 2. constant against decaying ----------------------------------------------------------

@pytest.fixture(scope="module")
def decay():
    return noise_floor.constant_vs_decay()


def test_constant_rate_plateau_matches_the_lms_theory(decay):
    assert f"{decay['plateau']:.4f}" == "0.0972"
    assert f"{decay['floor_theory']:.4f}" == "0.0943"
    assert f"{decay['floor_small_lr']:.4f}" == "0.0729"
    assert decay["plateau"] == pytest.approx(decay["floor_theory"], rel=0.1)


def test_decaying_rates_end_below_the_plateau(decay):
    finals = list(decay["finals"].values())
    assert [f"{v:.4f}" for v in finals] == ["0.0879", "0.0043", "0.0268"]
    constant, linear, inverse = finals
    assert linear < inverse < decay["plateau"] / 3
    assert f"{decay['plateau'] / linear:.0f}" == "23"


def test_the_printed_ingredients_give_the_printed_floor(decay):
    # ½σ²a/(1 − a) with the printed a and σ² (independent of noise_floor's own arithmetic)
    t = running_example.task()
    lam = np.linalg.eigvalsh(t.H)
    a = 0.1 * np.sum(lam / (2 - 0.1 * lam * 2))
    assert decay["lms_a"] == pytest.approx(a) and f"{a:.4f}" == "0.1637"
    assert decay["sigma2"] == pytest.approx(2 * t.j_star)
    assert 0.5 * decay["sigma2"] * a / (1 - a) == pytest.approx(decay["floor_theory"])


def test_noise_floor_small_lr_limit_and_batch_size():
    t = running_example.task()
    for lr in (1e-4, 1e-3):
        assert noise_floor.noise_floor(t, lr, 1) == pytest.approx(
            noise_floor.noise_floor_small_lr(t, lr, 1), rel=0.05)   # tr Σ_g ≈ σ² tr H
    assert noise_floor.noise_floor(t, 0.05, 8) < noise_floor.noise_floor(t, 0.05, 1) / 6
    assert noise_floor.noise_floor(t, 5.0, 1) == math.inf


def test_decay_figure(decay):
    fig = noise_floor.figure_constant_vs_decay(decay)
    assert len(fig.axes) == 2


# --- 3. the explorer -----------------------------------------------------------------------

def test_explorer_default_summary_and_controls():
    explorer = schedule_explorer.linear_explorer()
    assert explorer.summary_text == (
        "ε₀ = 0.1, ε_τ = 0.001, τ = 800, minibatch 1: final J − J* = 0.0248 (linear "
        "schedule) vs 0.0777 (constant ε₀)\n1000 updates, 1000 examples touched; mean of 4 "
        "runs over the last 50 steps")
    assert repr(explorer.widget) == ("Explorer: SGD with the linear schedule of eq. 8.14 "
                                     "(controls: eps0, eps_tau, tau, batch_size)")
    explorer.controls["batch_size"].value = 16
    assert explorer.error is None and explorer.n_refreshes == 2
    assert explorer.result["final"] < 0.0248               # less noise per step
    assert "16000 examples touched" in explorer.summary_text
    explorer.set(eps_tau=explorer.result["eps0"])            # a constant schedule
    assert explorer.result["final"] == pytest.approx(explorer.result["final_constant"])
    assert explorer.output.outputs[0]["data"]["image/png"]


def test_explorer_survives_a_diverging_setting():
    explorer = schedule_explorer.linear_explorer()
    explorer.set(eps0=1.0, eps_tau=1.0, tau=50)
    assert explorer.error is None
    assert "diverged" in explorer.summary_text


def test_compute_linear_schedule_follows_eq_8_14():
    r = schedule_explorer.compute_linear(0.2, 0.002, 100, 4, steps=200, seeds=2)
    k = np.arange(1, 201)
    expected = np.where(k <= 100, (1 - k / 100) * 0.2 + k / 100 * 0.002, 0.002)
    assert np.allclose(r["rates"], expected)
    assert r["linear"].shape == r["constant"].shape == (201,)


def test_companion_figure():
    fig = schedule_explorer.linear_companion_figure()
    assert len(fig.axes) == 2
    assert fig.axes[0].get_title() == "learning curve: final J − J* = 0.0248"


# --- 4. best initial rate ------------------------------------------------------------------

@pytest.fixture(scope="module")
def sweep():
    return initial_rate.best_initial_rate()


def test_best_final_eps0_is_higher_than_best_early_eps0(sweep):
    assert f"{sweep['best_early']:.3f}" == "0.063"
    assert f"{sweep['best_final']:.3f}" == "0.199"
    assert f"{sweep['best_final'] / sweep['best_early']:.1f}" == "3.2"
    assert sweep["best_final"] > 2 * sweep["best_early"]
    i_early = int(np.argmin(sweep["early"]))
    assert f"{sweep['final'][i_early]:.4f}" == "0.0406"
    assert f"{sweep['final'].min():.4f}" == "0.0119"
    assert sweep["final"][i_early] > 3 * sweep["final"].min()   # "more than three times"


def test_the_claim_holds_on_other_seeds():
    other = initial_rate.best_initial_rate(seeds=range(100, 116))
    assert other["best_final"] > 2 * other["best_early"]


def test_best_rate_figure(sweep):
    fig = initial_rate.figure_best_initial_rate(sweep)
    assert fig.axes[1].get_title() == "after 1000 steps: best ε₀ = 0.199"


# --- 5. rates --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def slopes():
    return convergence_rates.rate_slopes()


def test_fitted_slopes(slopes):
    assert f"{slopes['strong_slope']:.3f}" == "-0.995"
    assert f"{slopes['convex_slope']:.3f}" == "-0.499"
    assert f"{slopes['mu']:.3f}" == "0.463"
    assert slopes["strong_slope"] == pytest.approx(-1.0, abs=0.1)
    assert slopes["convex_slope"] == pytest.approx(-0.5, abs=0.07)
    assert f"{slopes['convex_eps0']:g}" == "0.2"


def test_loglog_slope_recovers_a_power_law():
    k = np.array([10, 100, 1000])
    assert loglog_slope(k, 3.0 * k ** -0.75) == pytest.approx(-0.75)


def test_rate_figure(slopes):
    assert len(convergence_rates.figure_rate_slopes(slopes).axes) == 1


# --- 6. gradient noise ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def noise():
    return gradient_noise.gradient_noise()


def test_gradient_noise_falls_like_one_over_root_m(noise):
    assert f"{noise['sigma']:.3f}" == "6.444"
    assert noise["n"] == 1000
    assert [f"{x:.3f}" for x in noise["rms"]] == ["6.213", "3.205", "1.581", "0.789", "0.351"]
    sqrt_m = [f"{noise['sigma'] / np.sqrt(m):.3f}" for m in noise["batch_sizes"]]
    assert sqrt_m == ["6.444", "3.222", "1.611", "0.805", "0.403"]
    assert [f"{x:.3f}" for x in noise["theory"]] == ["6.444", "3.217", "1.599", "0.780",
                                                      "0.348"]
    assert f"{noise['slope']:.3f}" == "-0.516"
    assert f"{noise['slope_corrected']:.3f}" == "-0.492"
    assert noise["slope_corrected"] == pytest.approx(-0.5, abs=0.03)
    assert np.allclose(noise["rms"], noise["theory"], rtol=0.05)


def test_finite_population_correction_is_exact_for_the_whole_set():
    # m = n: every minibatch is the whole training set, so the error is 0
    r = gradient_noise.gradient_noise(batch_sizes=(1000,), draws=3)
    assert r["rms"][0] == pytest.approx(0.0, abs=1e-12) and r["theory"][0] == 0.0
    assert math.isnan(r["slope"])                            # one size: no slope


def test_noise_figure(noise):
    assert len(gradient_noise.figure_gradient_noise(noise).axes) == 1


# --- 7. epochs -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def epochs():
    return epochs_lesson.epochs_and_shuffling()


def test_updates_per_epoch_keeps_the_short_batch():
    assert epochs_lesson.updates_per_epoch(1000, 10) == 100
    assert epochs_lesson.updates_per_epoch(1000, 32) == 32
    batches = list(itertools.islice(minibatches(1000, 32, np.random.default_rng(0)), 96))
    assert [len(b) for b in batches[:32]] == [32] * 31 + [8]
    assert sum(len(b) for b in batches) == 3000


def test_epoch_coverage(epochs):
    assert (epochs["per_epoch"], epochs["steps"], epochs["epochs"]) == (100, 500, 5)
    for sampling in ("reshuffle", "fixed"):
        rows = epochs["coverage"][sampling]
        assert [r["distinct"] for r in rows] == [1000] * 5
        assert max(r["max_visits"] for r in rows) == 1
    rows = epochs["coverage"]["replacement"]
    assert ", ".join(str(r["distinct"]) for r in rows) == "634, 631, 629, 635, 621"
    assert max(r["max_visits"] for r in rows) == 8
    assert all(abs(r["distinct"] / 1000 - (1 - 1 / math.e)) < 0.03 for r in rows)


def test_final_losses_by_sampling(epochs):
    finals = [f"{epochs['finals'][s]:.4f}" for s in epochs_lesson.SAMPLINGS]
    errors = [f"{epochs['errors'][s]:.4f}" for s in epochs_lesson.SAMPLINGS]
    assert finals == ["0.0162", "0.0172", "0.0181"]
    assert errors == ["0.0006", "0.0008", "0.0012"]
    f = epochs["finals"]
    assert f["reshuffle"] < f["fixed"] < f["replacement"] < 1.25 * f["reshuffle"]


def test_epochs_figure(epochs):
    assert len(epochs_lesson.figure_epochs(epochs).axes) == 1


# --- 8. Robbins–Monro --------------------------------------------------------------------------

def test_robbins_monro_table():
    rows = conditions.robbins_monro_table()
    verdicts = {r["label"]: (r["holds_8_12"], r["holds_8_13"]) for r in rows}
    assert verdicts == {"constant 0.1": (True, False), "linear (8.14)": (True, False),
                        "0.1/(1+k/100)": (True, True), "0.1/√(1+k/100)": (True, False),
                        "0.1·0.999^k": (False, True)}
    text = conditions.format_robbins_monro(rows).splitlines()
    assert text[1].split() == ["constant", "0.1", "10", "1000", "1e+05", "1", "100", "1e+04",
                               "yes", "no"]
    assert text[2].split()[2:] == ["9.5", "59.45", "1049", "0.9033", "3.371", "4.361",
                                   "yes", "no"]
    assert text[3].split()[1:] == ["6.907", "46.1", "92.05", "0.4963", "0.9851", "0.9949",
                                   "yes", "yes"]
    assert text[4].split()[1:] == ["8.27", "181", "1980", "0.6907", "4.61", "9.205", "yes",
                                   "no"]
    assert text[5].split()[1:] == ["9.511", "99.9", "99.9", "0.9054", "4.993", "4.993", "no",
                                   "yes"]


# --- the exercises -----------------------------------------------------------------------------

def _solution(theta, k, g, eps0, eps_tau, tau):
    k = k + 1
    a = min(k / tau, 1.0)
    return theta - ((1 - a) * eps0 + a * eps_tau) * g, k


def test_exercise_1_solution_passes_and_stub_is_not_done():
    assert checks03.check_sgd_schedule_step(_solution).passed
    result = checks03.check_sgd_schedule_step(lambda theta, k, g, eps0, eps_tau, tau: None)
    assert result.status == "not done yet"


def _check_updates(answer):
    return checks03.check_updates_in_epochs(answer, n=1000, batch_size=32, epochs=3)


def test_exercise_2_answer():
    assert 3 * epochs_lesson.updates_per_epoch(1000, 32) == 96
    assert _check_updates(96).passed
    assert "31 full minibatches and one of 8 examples" in _check_updates(96).message
    assert "dropped or used" in _check_updates(93).message
    assert _check_updates(93).status == "failed"        # the short batches dropped
    assert "too low" in _check_updates(93.75).message
    assert "too high" in _check_updates(97).message
    assert _check_updates(None).status == "not done yet"


# --- the printed reports: the notebook prints exactly these lines ----------------------------

def test_describe_task():
    assert running_example.describe_task(running_example.task()) == (
        "n = 1000 examples, 4 parameters; eigenvalues of H = XᵀX/n: [0.032 0.908 0.982 1.034]\n"
        "J* = 0.4820, J(θ₀) − J* = 5.110")


def test_report_cost():
    text = cost.report_cost(cost.cost_per_update()).splitlines()
    assert text[0].split() == ["n", "(training", "set)", "SGD,", "m", "=", "32", "batch", "GD",
                               "GD", "/", "SGD"]
    assert text[1].split() == ["100", "32", "100", "3.125"]
    assert text[4].split() == ["100,000", "32", "100000", "3125"]


def test_report_constant_vs_decay(decay):
    text = noise_floor.report_constant_vs_decay(decay).splitlines()
    assert text[0].endswith("J − J* = 0.0972") and text[1].endswith("0.0943")
    assert "½σ²a/(1 − a)" in text[1]                     # the formula beside the number
    assert text[2].strip() == ("with a = (ε/m) Σᵢ λᵢ/(2 − ελᵢ(1 + 1/m)) = 0.1637, "
                               "σ² = 2J* = 0.9639, m = 1")
    assert text[3].endswith("0.0729")
    assert "linear decay (8.14), ε₀ = 0.1 → 0.001 at τ = 4000: final J − J* = 0.0043" in text
    assert text[-1] == "the linear schedule ends 23 times below the constant plateau"


def test_report_best_initial_rate(sweep):
    assert initial_rate.report_best_initial_rate(sweep).splitlines() == [
        "best ε₀ judged after 100 steps: 0.063",
        "best ε₀ judged at the end (1000 steps): 0.199",
        "ratio: 3.2",
        "with the early choice the run ends at J − J* = 0.0406, with the final choice at 0.0119"]


def test_report_rate_slopes(slopes):
    text = convergence_rates.report_rate_slopes(slopes).splitlines()
    assert "μ = 0.463: fitted slope -0.995   (theory −1)" in text[0]
    assert text[1].endswith("fitted slope -0.499   (theory −0.5)")


def test_report_gradient_noise(noise):
    text = gradient_noise.report_gradient_noise(noise).splitlines()
    assert text[0] == "σ (one example) = 6.444, n = 1000"
    assert text[2].split() == ["1", "6.213", "6.444", "6.444"]
    assert text[-1] == ("fitted slope: -0.516; after dividing out the correction: -0.492   "
                        "(theory −0.5)")


def test_report_epochs(epochs):
    text = epochs_lesson.report_epochs(epochs).splitlines()
    assert text[0] == "n = 1000, m = 10: 100 updates per epoch, 500 updates in 5 epochs"
    assert text[3] == ("replacement: distinct examples per epoch 634, 631, 629, 635, 621; "
                       "most visits of one example in an epoch 8")
    assert text[4] == "  reshuffle: final J − J* = 0.0162 ± 0.0006 (standard error)"
