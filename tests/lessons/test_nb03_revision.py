"""What notebook 03_sgd_schedules adds in its revision (issues 17 and 21): the Cramér–Rao /
Bottou–Bousquet section, growing minibatches, Exercise 4's learning curves, the ε₀ slider on
its grid, the notebook's links and first-cell line, and legible figures. Every number the new
cells print is asserted here, against the theory where there is one.
"""

import json
import math
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from course_lib.lessons.nb03_sgd_schedules import (  # noqa: E402
    growing_batch,
    lr_diagnosis,
    running_example,
    schedule_explorer,
    statistical_limit,
)

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "instructor" / "source" / "03_sgd_schedules" / "03_sgd_schedules.ipynb"
RUN_ALL = ("*The interactive explorers come back when you run the notebook (Run → Run All "
           "Cells); a saved copy shows them as text.*")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# --- §6: the statistical limit -------------------------------------------------------------------
@pytest.fixture(scope="module")
def limit():
    return statistical_limit.compute_statistical_limit()


def test_bound_and_least_squares_theory(limit):
    k, d = limit["k"], limit["d"]
    assert k[-1] == 10_000 and d == 4
    assert np.allclose(limit["bound"], 0.5 * d / k)                     # ½σ²d/k, σ = 1
    assert np.allclose(limit["ols_theory"], 0.5 * d / (k - d - 1))      # inverse-Wishart mean
    # the measured mean of 256 runs is within 3 standard errors of the exact expectation
    assert abs(limit["ols"][-1] - limit["ols_theory"][-1]) < 3 * limit["ols_se"]


def test_averaged_sgd_reaches_least_squares_and_the_last_iterate_its_constant(limit):
    # Polyak–Juditsky: the averaged iterate is asymptotically efficient (ratio → 1)
    assert limit["sgd_avg"][-1] / limit["ols"][-1] == pytest.approx(1.0, abs=0.1)
    # ε_k = a/k with a = c/μ: along curvature λ the asymptotic excess is (aλ)²/(2aλ − 1)
    # times the bound's share; averaged over the eigenvalues of Σ (1, 1, 0.5, 0.5), μ = 0.5
    lam = np.array(statistical_limit.WELL_CONDITIONED)
    assert limit["mu"] == pytest.approx(0.5)
    a = limit["c"] / limit["mu"]
    factor = float(np.mean((a * lam) ** 2 / (2 * a * lam - 1)))
    assert factor == pytest.approx(1.81, abs=0.005)
    assert limit["sgd_last"][-1] / limit["bound"][-1] == pytest.approx(factor, rel=0.1)
    for key in ("ols", "sgd_avg", "sgd_last"):
        assert limit["slopes"][key] == pytest.approx(-1.0, abs=0.1), key


def test_batch_gd_converges_to_the_least_squares_fit_of_its_examples(limit):
    assert limit["gd"][-1] == pytest.approx(limit["gd_limit"], rel=1e-3)
    assert limit["gd_limit"] == pytest.approx(0.5 * 4 / (1000 - 5), rel=0.15)
    assert f"{limit['gd'][-1] / limit['sgd_avg'][-1]:.0f}" == "9"        # "nine times worse"
    assert list(limit["gd_examples"]) == [1000 * j for j in range(11)]


def test_one_pass_sgd_matches_a_plain_loop():
    small = statistical_limit.compute_statistical_limit(examples=200, runs=2)
    X, y, theta_star, cov = statistical_limit.stream(200, 2)
    excess = []
    for r in range(2):
        theta = np.zeros(4)
        for k in range(1, 201):
            g = (X[r, k - 1] @ theta - y[r, k - 1]) * X[r, k - 1]      # ∇ of ½(xᵀθ − y)²
            theta = theta - 2.0 / (0.5 * (k + 20)) * g
        d = theta - theta_star[r]
        excess.append(0.5 * d @ cov @ d)
    assert small["sgd_last"][-1] == pytest.approx(np.mean(excess), rel=1e-10)


def test_report_statistical_limit(limit):
    lines = statistical_limit.report_statistical_limit(limit).splitlines()
    assert lines[0] == ("excess true risk after k = 10,000 examples (σ = 1, d = 4, mean of 256 "
                        "runs):")
    assert lines[1].split()[-1] == "2.000e-04"
    assert "2.070e-04" in lines[2] and lines[2].endswith("(theory ½σ²d/(k − d − 1) = 2.001e-04)")
    assert "2.141e-04" in lines[3] and lines[3].endswith("(1.07 × the bound, 1.03 × least squares)")
    assert "3.614e-04" in lines[4] and lines[4].endswith("(1.81 × the bound)")
    assert "1.927e-03" in lines[5] and lines[5].endswith("least squares on those 1,000: 1.928e-03)")
    assert lines[6] == ("fitted slopes for k ≥ 1,000: least squares -0.94, averaged SGD -1.04, "
                        "last iterate -0.96  (theory −1)")
    assert f"{limit['ols_se'] / limit['ols'][-1]:.0%}" == "5%"          # "about 5%"


# --- §8: growing minibatches ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def grown():
    return growing_batch.compute_growing_batch()


def test_growing_sizes_are_geometric_and_spend_the_budget():
    sizes = growing_batch.growing_sizes(20_000, 1.01)
    assert sizes.sum() == 20_000 and len(sizes) == 532
    assert list(sizes[:-1]) == [math.ceil(1.01 ** k - 1e-9) for k in range(531)]
    assert sizes[0] == 1 and sizes[-2] == 196


def test_growing_runs_match_a_plain_loop():
    t = running_example.task()
    sizes = [1, 2, 3, 5, 8]
    ours = growing_batch.sgd_growing_runs(t, 0.3, sizes, [4])[:, 0]
    rng, theta, theirs = np.random.default_rng(4), t.theta0.copy(), [t.excess(t.theta0)]
    for m in sizes:
        batch = rng.integers(0, t.n, size=m)
        theta = theta - 0.3 * t.objective.grad(theta, batch)
        theirs.append(t.objective.loss(theta) - t.j_star)
    assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_growing_batch_numbers(grown):
    from course_lib.lessons.nb03_sgd_schedules.noise_floor import noise_floor

    runs = list(grown["runs"].values())
    constant, linear, growing, gd = runs
    t = running_example.task()
    # the constant rate sits at its LMS plateau (one time point, 32 runs: within 15 %)
    assert constant["final"] == pytest.approx(noise_floor(t, 0.1, 1), rel=0.15)
    assert growing["final"] < constant["final"] / 40                    # "fifty times below"
    assert growing["final"] < 2 * linear["final"]                       # "about as low"
    assert (constant["updates"], linear["updates"], growing["updates"], gd["updates"]) == (
        20_000, 20_000, 532, 20)
    # batch GD: 20 exact steps, the closed form in the eigenbasis of H
    lam, V = np.linalg.eigh(t.H)
    e = (V.T @ (t.theta0 - t.theta_star)) * (1 - 2 / (lam[0] + lam[-1]) * lam) ** 20
    assert gd["final"] == pytest.approx(0.5 * np.sum(lam * e ** 2), rel=1e-9)
    assert growing["rates"][-2] == pytest.approx(0.3 / 196) and linear["rates"][-1] == 0.001


def test_report_growing_batch(grown):
    lines = growing_batch.report_growing_batch(grown).splitlines()
    assert lines[0] == "budget: 20,000 examples (20 passes over n = 1000), mean of 32 runs"
    assert lines[1].split()[-1] == "0.1021" and lines[2].split()[-1] == "0.0016"
    assert "532 updates" in lines[3] and lines[3].split()[-1] == "0.0021"
    assert "ε = 1.88" in lines[4] and lines[4].split()[-1] == "0.3230"
    assert lines[5] == "the growing minibatch goes from 1 to 196 examples"


# --- Exercise 4's learning curves ----------------------------------------------------------------
@pytest.fixture(scope="module")
def early():
    return lr_diagnosis.first_iterations()


def test_first_iterations_table(early):
    t = lr_diagnosis.diagnosis_task()
    assert early["start"] == pytest.approx(t.excess(t.theta0)) and f"{early['start']:.2f}" == "4.33"
    assert np.allclose(np.sort(np.linalg.eigvalsh(t.H)), [0.019, 0.098, 1.031, 2.913], atol=5e-4)
    lines = lr_diagnosis.report_first_iterations(early).splitlines()
    assert lines[2].split() == ["0.02", "2.52", "0.645", "0.352"]
    assert lines[3].split() == ["0.05", "1.5", "0.368", "0.296"]
    assert lines[4].split() == ["0.1", "1.09", "0.39", "0.347"]
    assert lines[5].split() == ["0.2", "1.92", "1.13", "1.93"]
    assert early["best_early"] == 0.05


def test_the_books_advice_picks_a_rate_near_the_best(early):
    finals = lr_diagnosis.finals()
    best = min(finals, key=finals.get)
    stable = [e for e in lr_diagnosis.CANDIDATES
              if e > early["best_early"] and early["at_early"][e] < early["start"]]
    assert stable[0] == 0.1                       # the next rate above the early best, stable
    assert finals[0.1] <= lr_diagnosis.TOLERANCE * finals[best]
    assert finals[0.05] > 3 * finals[best]        # the early best ends more than 3× higher
    assert finals[0.8] > 1e100 and finals[0.4] > early["start"]


# --- the explorer's grid, the text, the figures ------------------------------------------------
def test_eps0_slider_has_its_default_on_the_grid():
    slider = schedule_explorer.linear_explorer().controls["eps0"]
    assert slider.min == pytest.approx(-2.5, abs=1e-12) and slider.step == 0.1
    assert (math.log10(0.1) - slider.min) / slider.step == pytest.approx(15.0, abs=1e-9)


@pytest.fixture(scope="module")
def cells():
    return json.loads(SOURCE.read_text(encoding="utf-8"))["cells"]


def markdown(cells):
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def test_first_cell_ends_with_the_run_all_line_and_next_links_04(cells):
    assert markdown(cells)[0].rstrip().endswith(RUN_ALL)
    last = markdown(cells)[-1].strip().splitlines()[-1]
    assert last.startswith("**Next:** [04_momentum_physics](04_momentum_physics.ipynb): ")


def test_markdown_writes_no_bare_subscripts(cells):
    for text in markdown(cells):
        prose = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
        prose = re.sub(r"\$[^$]*\$", "", prose)
        prose = re.sub(r"`[^`]*`", "", prose)
        assert not re.search(r"[θελΣ]_[a-zA-Zτ]", prose), prose


def test_setup_imports_numpy_and_exercise_3_has_its_explorer_near(cells):
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells]
    setup = "".join(cells[ids.index("setup")]["source"])
    assert "import numpy as np" in setup
    assert 0 < ids.index("tuned_schedule") - ids.index("tuning_explorer") <= 3


def test_cost_table_and_axis_use_n_for_the_training_set():
    from course_lib.lessons.nb03_sgd_schedules import cost

    fig = cost.figure_cost(cost.cost_per_update(sizes=(100, 1000)))
    assert fig.axes[0].get_xlabel() == "training-set size n"
    assert cost.report_cost(cost.cost_per_update(sizes=(100,))).split()[0] == "n"


DISPLAY_IN = 7.5     # a notebook's default width: a wider figure is shown scaled down to it


def smallest_text_px(fig) -> float:
    """The smallest visible text as shown (1 pt = 1 px at 72 px per inch of text), scaled
    by the width at which the notebook shows the figure."""
    fig.canvas.draw()
    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    return min(sizes) * min(1.0, DISPLAY_IN / fig.get_size_inches()[0])


def test_every_text_is_at_least_9_px_at_the_notebooks_width(limit, grown, early):
    from course_lib.lessons.nb03_sgd_schedules import (
        convergence_rates,
        cost,
        epochs,
        gradient_noise,
        initial_rate,
        noise_floor,
    )

    figures = [
        cost.figure_cost(cost.cost_per_update(sizes=(100, 1000)),
                         cost.time_per_update(sizes=(100, 1000), repeats=1)),
        noise_floor.figure_constant_vs_decay(noise_floor.constant_vs_decay(steps=400,
                                                                           seeds=range(2))),
        schedule_explorer.linear_companion_figure(),
        schedule_explorer.tuning_explorer().figure,
        initial_rate.figure_best_initial_rate(initial_rate.best_initial_rate(
            eps0s=[0.05, 0.2], steps=200, seeds=range(2))),
        convergence_rates.figure_rate_slopes(convergence_rates.rate_slopes(steps=300, runs=2)),
        statistical_limit.figure_statistical_limit(limit),
        gradient_noise.figure_gradient_noise(gradient_noise.gradient_noise(draws=20)),
        growing_batch.figure_growing_batch(grown),
        epochs.figure_epochs(epochs.epochs_and_shuffling(seeds=range(2))),
        lr_diagnosis.figure_first_iterations(early),
    ]
    for fig in figures:
        assert smallest_text_px(fig) >= 9.0, fig.axes[0].get_title()
