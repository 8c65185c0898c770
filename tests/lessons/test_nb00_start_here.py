"""What notebook 00_start_here adds in its revision (issues 17 and 21): the log ε slider that
goes past 2/λ_max, the best ε named on the plot, the default run beside the best one, the
predict-then-reveal explorer of Exercise 2, the notebook's links and first-cell line, and
legible figures. The older numbers live in tests/test_widgets.py and tests/test_rates.py.
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

from course_lib.lessons.nb00_start_here import checks, gd_explorer, limit_explorer  # noqa: E402
from course_lib.objectives import Quadratic  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "instructor" / "source" / "00_start_here" / "00_start_here.ipynb"
RUN_ALL = ("*The interactive explorers come back when you run the notebook (Run → Run All "
           "Cells); a saved copy shows them as text.*")
MAP = ["00_start_here", "01_risk_minimization", "02_challenges", "03_sgd_schedules",
       "04_momentum_physics", "05_initialization", "06_adaptive_rates", "07_second_order",
       "08_meta_algorithms", "09_continuation_curriculum", "10_testing_optimizers"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def closed_form_excess(kappa, lr, steps):
    """J(θ_k) − J* of gradient descent on the explorer's bowl, from its eigen-decomposition:
    each component of θ₀ − θ* along eigenvector i is multiplied by (1 − ελᵢ) per step."""
    q = Quadratic.with_condition(kappa, lam_min=1.0, angle=gd_explorer.ANGLE)
    e0 = q.Q.T @ (np.array(gd_explorer.THETA0) - q.center)
    k = np.arange(steps + 1)[:, None]
    e = e0 * (1.0 - lr * q.eigenvalues) ** k
    return 0.5 * np.sum(q.eigenvalues * e ** 2, axis=1)


# --- the slider --------------------------------------------------------------------------------
def test_lr_slider_is_logarithmic_and_reaches_past_every_stability_limit():
    explorer = gd_explorer.gd_explorer()
    slider = explorer.controls["lr"]
    assert type(slider).__name__ == "FloatLogSlider"
    assert 10 ** slider.max > 2.0 / 1.0                    # κ = 1: λ_max = 1, limit 2
    assert 10 ** slider.max >= 1.0 and slider.min == -3
    grid = slider.min + slider.step * np.arange(round((slider.max - slider.min)
                                                      / slider.step) + 1)
    for wanted in (1.0, 0.1, gd_explorer.DEFAULT_LR):     # "ε = 1 for κ = 1" can be set
        assert np.min(np.abs(grid - math.log10(wanted))) < 1e-9
    assert f"{slider.value:.3f}" == "0.150" == gd_explorer.lr_text(gd_explorer.DEFAULT_LR)


@pytest.mark.parametrize("kappa", [1, 2, 10, 50])
def test_the_top_of_the_slider_diverges_and_the_best_rate_converges(kappa):
    top = gd_explorer.compute_gd(gd_explorer.LR_MAX, kappa)
    assert top["diverged"] and gd_explorer.LR_MAX > top["largest_stable_lr"]
    assert not gd_explorer.compute_gd(top["best_lr"], kappa)["diverged"]


def test_kappa_one_with_epsilon_one_lands_in_one_step():
    r = gd_explorer.compute_gd(1.0, 1)
    assert r["rate"] == 0.0 and r["distances"][1] == pytest.approx(0.0, abs=1e-15)


# --- the best ε on the plot, and the default run beside it ------------------------------------
def test_best_lr_is_named_on_the_plot_and_follows_kappa():
    explorer = gd_explorer.gd_explorer()
    labels = lambda: [t.get_text() for t in explorer.figure.axes[1].get_legend().get_texts()]  # noqa: E731
    assert labels()[-1] == "best ε = 2/(λ_min+λ_max) = 0.182"        # 2/11
    explorer.set(kappa=25)
    assert labels()[-1] == "best ε = 2/(λ_min+λ_max) = 0.077"        # 2/26
    fig = gd_explorer.companion_figure()
    assert [t.get_text() for t in fig.axes[1].get_legend().get_texts()][-1].endswith("0.182")


def test_best_run_losses_are_the_closed_form():
    r = gd_explorer.compute_gd(gd_explorer.DEFAULT_LR, 10)
    assert np.allclose(r["best_losses"] - r["min_value"],
                       closed_form_excess(10, 2 / 11, 60), rtol=1e-9, atol=1e-300)
    assert np.allclose(r["losses"] - r["min_value"],
                       closed_form_excess(10, gd_explorer.DEFAULT_LR, 60), rtol=1e-9)


def test_report_default_vs_best():
    r = gd_explorer.compute_gd(gd_explorer.DEFAULT_LR, 10)
    lines = gd_explorer.report_default_vs_best(r).splitlines()
    # theory at the default: the flat factor 1 − 0.1496 (the steep one is |1 − 1.496| = 0.496)
    assert lines[0] == "ε = 0.150: measured rate 0.836 per step, theory 0.850"
    assert r["theory_rate"] == pytest.approx(1 - gd_explorer.DEFAULT_LR)
    # the measured rate, (d₆₀/d₀)^(1/60), from the closed form of the components
    q = Quadratic.with_condition(10, lam_min=1.0, angle=gd_explorer.ANGLE)
    e0 = q.Q.T @ (np.array(gd_explorer.THETA0) - q.center)
    e60 = e0 * (1 - gd_explorer.DEFAULT_LR * q.eigenvalues) ** 60
    assert f"{(np.linalg.norm(e60) / np.linalg.norm(e0)) ** (1 / 60):.3f}" == "0.836"
    # the best run is lower from the first k where the closed forms cross: step 55
    ahead = np.flatnonzero(closed_form_excess(10, 2 / 11, 60)
                           < closed_form_excess(10, gd_explorer.DEFAULT_LR, 60))
    assert ahead[0] == 55 and np.all(np.diff(ahead) == 1)
    assert lines[1] == ("best ε = 0.182: theory (κ−1)/(κ+1) = 0.818 per step; the best ε's "
                        "run is lower from step 55 on")
    # the prose's factors: steep 0.5 (default) against 0.82 (best)
    assert abs(1 - 0.150 * 10) == 0.5 and f"{abs(1 - 2 / 11 * 10):.2f}" == "0.82"


def test_summary_no_longer_prints_the_stability_limit():
    text = gd_explorer.summary_gd(gd_explorer.compute_gd(gd_explorer.DEFAULT_LR, 25))
    assert "2/λ_max" not in text and "0.080" not in text
    assert "best constant ε = 2/(λ_min+λ_max) = 0.077" in text


# --- Exercise 2: predict, then reveal ----------------------------------------------------------
def last_converging_stop(lam_max):
    """The largest stop 10^(-3 + j/40) below 2/λ_max: a stop converges iff ε < 2/λ_max."""
    j = math.ceil((math.log10(2 / lam_max) + 3) / 0.025) - 1
    return 10 ** (-3 + 0.025 * j)


def test_the_run_is_hidden_until_revealed():
    explorer = limit_explorer.limit_explorer()
    lines = explorer.figure.axes[1].get_lines()
    assert not any(line.get_visible() for line in lines if line.get_xdata().size)
    assert explorer.figure.axes[1].get_legend().get_visible() is False
    assert explorer.summary_text.startswith("your prediction: ε = 0.032")
    assert "reveal" in explorer.figure.axes[1].title.get_text()
    assert explorer.record_text == "largest_lr = 0.0316227766017"
    explorer.set(reveal=True)
    assert explorer.figure.axes[1].get_legend().get_visible()
    assert explorer.summary_text.startswith("ε = 0.032 converges, and so does the next stop")


def test_revealing_the_answer_and_pasting_its_line_passes_both_checks():
    explorer = limit_explorer.limit_explorer(reveal=True)
    answer = last_converging_stop(25)
    assert answer == pytest.approx(0.0794328, rel=1e-6)
    assert limit_explorer.converging_stops()[-1] == pytest.approx(answer, rel=1e-9)
    explorer.set(lr=answer)
    assert "is the largest stop of the slider that converges" in explorer.summary_text
    assert explorer.record_text == "largest_lr = 0.0794328234724"
    recorded = float(explorer.record_text.split(" = ")[1])
    assert checks.check_largest_lr(recorded, lam_max=25.0).passed
    assert all(checks.check_lr_limit_by_running(recorded, eigenvalues=(1.0, 25.0),
                                                seed=s).passed for s in range(5))
    explorer.set(lr=limit_explorer.next_stop(answer))
    assert explorer.summary_text.startswith("ε = 0.084 diverges")
    assert not checks.check_largest_lr(limit_explorer.next_stop(answer), lam_max=25.0).passed


def test_the_last_stop_of_the_slider_is_within_the_checks_tolerance_on_every_bowl():
    # 40 stops per decade: the last stop below 2/λ_max is at most 10^-0.025 ≈ 5.6 % lower
    for lam_max in (3.0, 7.0, 10.0, 25.0, 50.0):
        assert checks.check_largest_lr(last_converging_stop(lam_max), lam_max=lam_max).passed


# --- the notebook's text -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def cells():
    return json.loads(SOURCE.read_text(encoding="utf-8"))["cells"]


def markdown(cells):
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def test_first_cell_ends_with_the_run_all_line(cells):
    assert markdown(cells)[0].rstrip().endswith(RUN_ALL)


def test_the_map_links_every_notebook_and_next_links_01(cells):
    text = "\n".join(markdown(cells))
    for name in MAP:
        assert f"[{name}]({name}.ipynb)" in text, name
    last = markdown(cells)[-1].strip().splitlines()[-1]
    assert last.startswith("**Next:** [01_risk_minimization](01_risk_minimization.ipynb): ")


def test_markdown_writes_no_bare_subscripts(cells):
    for text in markdown(cells):
        prose = re.sub(r"\$[^$]*\$", "", text)              # LaTeX may use _
        prose = re.sub(r"`[^`]*`", "", prose)                # so may code
        assert not re.search(r"[θεελ]_[a-zA-Zτ]", prose), prose


def test_the_explorer_of_exercise_2_is_within_three_cells_of_its_answer(cells):
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells]
    assert 0 < ids.index("largest_lr") - ids.index("limit_explorer") <= 3


# --- legible figures -----------------------------------------------------------------------------
DISPLAY_IN = 7.5     # a notebook's default width: a wider figure is shown scaled down to it


def smallest_text_px(fig) -> float:
    """The smallest visible text of ``fig`` as shown: its size in points (1 pt = 1 px at the
    notebook's 72 px per inch of text) times the scale the figure is shown at."""
    fig.canvas.draw()
    width = fig.get_size_inches()[0]
    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    return min(sizes) * min(1.0, DISPLAY_IN / width)


def test_every_text_is_at_least_9_px_at_the_notebooks_width():
    figures = [gd_explorer.companion_figure(), gd_explorer.gd_explorer().figure,
               limit_explorer.limit_explorer(reveal=True).figure]
    for fig in figures:
        assert smallest_text_px(fig) >= 9.0
