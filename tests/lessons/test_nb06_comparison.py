"""Notebook 06, section 8: the grid-tuned comparison of seven optimizers on five problems.

Every claim of the section's text is asserted here, with the computations that make it true:
the floor of the scores, shared wins, AdaGrad in the race, AdaDelta's ε tuned openly (and its
untuned run beside vSGD), and a colour bar that covers every cell.
"""

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib import minimize  # noqa: E402
from course_lib.lessons.nb06_adaptive_rates import compare  # noqa: E402
from course_lib.optim import AdaDelta, AdaGrad, Adam  # noqa: E402

AXES, ROTATED = "bowl κ = 100, axis-aligned", "bowl κ = 100, rotated 30°"
LOGISTIC = "logistic regression, m = 20"


@pytest.fixture(scope="module")
def comparison():
    return compare.compute_comparison()


@pytest.fixture(scope="module")
def behind(comparison):
    table = compare.decades_behind(comparison)
    return {o: dict(zip(comparison["problems"], table[i], strict=True))
            for i, o in enumerate(comparison["optimizers"])}


def test_adagrad_is_in_the_race_and_the_grid_is_fair(comparison):
    assert comparison["optimizers"] == ("SGD", "momentum", "AdaGrad", "RMSProp",
                                        "RMSProp+Nesterov", "AdaDelta", "Adam")
    # no method's best ε sits at the edge of the grid (unless it reached the floor there)
    assert not any(cell["edge"] for cell in comparison["cells"].values())


def test_scores_are_floored_and_methods_at_the_floor_share_the_win(comparison):
    cells = comparison["cells"]
    assert all(score >= compare.FLOOR for cell in cells.values() for score in cell["scores"])
    assert comparison["winners"] == {
        AXES: ("AdaGrad", "AdaDelta"), ROTATED: ("momentum",),
        "Rosenbrock": ("RMSProp+Nesterov",), LOGISTIC: ("Adam",),
        "MLP 2-6-1, two moons, m = 10": ("RMSProp+Nesterov",)}
    assert cells[AXES, "AdaGrad"]["best"] == cells[AXES, "AdaDelta"]["best"] == compare.FLOOR
    # "five methods win or share a win"
    assert len({o for ws in comparison["winners"].values() for o in ws}) == 5
    assert [len(ps) for ps in compare.wins(comparison).values()] == [0, 1, 1, 0, 2, 1, 1]


def test_the_floor_stands_for_runs_that_went_below_it():
    # AdaGrad with ε = 1 on the axis-aligned bowl: every J − J* of the scored tail is below
    # 1e-12 (the unfloored values differ by decades: rounding and luck, not progress)
    f, theta0, _, j_star = compare.problem(AXES)
    trace = minimize(f, AdaGrad(lr=1.0), theta0, compare.BUDGET)
    tail = trace.losses[-12:] - j_star
    assert np.all(tail < compare.FLOOR)
    assert compare.score(trace, j_star, compare.BUDGET) == compare.FLOOR


def test_the_rotated_bowl_rewards_momentum_not_per_parameter_rates(behind, comparison):
    rotated = {o: behind[o][ROTATED] for o in comparison["optimizers"]}
    assert sorted(rotated, key=rotated.get)[:2] == ["momentum", "Adam"]     # "Adam is second"
    assert rotated["Adam"] == pytest.approx(0.9, abs=0.05)
    assert rotated["RMSProp+Nesterov"] == pytest.approx(2.3, abs=0.05)
    assert rotated["AdaGrad"] == pytest.approx(4.4, abs=0.05)                # "4.4 and 5.8"
    assert rotated["AdaDelta"] == pytest.approx(5.8, abs=0.05)
    assert max(rotated, key=rotated.get) == "AdaDelta"
    cells = comparison["cells"]                    # plain RMSProp: "almost two decades lower"
    assert 1.5 < math.log10(cells[ROTATED, "RMSProp"]["best"]
                            / cells[AXES, "RMSProp"]["best"]) < 2


def test_logistic_and_untuned_vsgd(behind, comparison):
    assert behind["AdaGrad"][LOGISTIC] == pytest.approx(0.2, abs=0.05)
    untuned = comparison["untuned"]
    assert untuned["vSGD"][LOGISTIC] < comparison["cells"][LOGISTIC, "Adam"]["best"]
    assert untuned["vSGD"][AXES] == compare.FLOOR             # diagonal Newton: exact


def test_adadelta_owes_its_win_to_its_tuned_eps(comparison):
    cells, untuned = comparison["cells"], comparison["untuned"]["AdaDelta, ε = 1"]
    assert cells[AXES, "AdaDelta"]["lr"] == pytest.approx(10 ** 0.5)          # "3.2"
    assert untuned[AXES] > 10                                                   # "ends at 16"
    assert f"{untuned[AXES]:.2g}" == "16"
    # on the other problems the grid picked ε = 1 itself, so the untuned run is the same run
    for p in comparison["problems"][1:]:
        assert cells[p, "AdaDelta"]["lr"] == 1.0
        assert untuned[p] == cells[p, "AdaDelta"]["best"]
    # hardly moved: its first step is √(δ/(1 − ρ)) per coordinate (section 6)
    f, theta0, _, _ = compare.problem(AXES)
    trace = minimize(f, AdaDelta(rho=0.95), theta0, 1)
    np.testing.assert_allclose(np.abs(trace.thetas[1] - theta0), math.sqrt(1e-6 / 0.05),
                               rtol=1e-3)


def test_a_comparison_cell_can_be_reproduced(comparison):
    f, theta0, batch, j_star = compare.problem("Rosenbrock")
    cell = comparison["cells"]["Rosenbrock", "Adam"]
    trace = minimize(f, Adam(lr=cell["lr"]), theta0, compare.BUDGET)
    assert np.mean(np.maximum(trace.losses[-12:] - j_star, 1e-12)) == pytest.approx(
        cell["best"], rel=1e-12)
    assert cell["best"] == min(cell["scores"])


def test_logistic_j_star_matches_scipy():
    from scipy.optimize import minimize as scipy_minimize

    f, theta0 = compare._logistic()
    res = scipy_minimize(f.loss, theta0, jac=f.grad, method="BFGS", options={"gtol": 1e-10})
    assert compare.logistic_j_star() == pytest.approx(res.fun, abs=1e-12)


def test_comparison_report(comparison):
    text = compare.report_comparison(comparison)
    for words in ("120 gradient evaluations per run; score: mean of max(J − J*, 1e-12) over "
                  "the last 12; ε tuned over 11 values 0.00032 … 32",
                  "AdaGrad           1.0e-12      (1) ◀",
                  "AdaDelta          1.0e-12    (3.2) ◀",
                  "momentum          1.4e-04 (0.0032)   3.2e-06 (0.0032) ◀",
                  "untuned, the same number of gradient evaluations:",
                  "AdaDelta, ε = 1   1.6e+01",
                  "problems won (a shared win counts for each): SGD 0, momentum 1, AdaGrad 1, "
                  "RMSProp 0, RMSProp+Nesterov 2, AdaDelta 1, Adam 1"):
        assert words in text, words


def test_the_colour_bar_covers_every_cell(comparison):
    import matplotlib.pyplot as plt
    from matplotlib.collections import QuadMesh

    fig = compare.figure_comparison(comparison)
    try:
        mesh = next(c for c in fig.axes[0].get_children() if isinstance(c, QuadMesh))
        bounds = mesh.norm.boundaries
        finite = compare.decades_behind(comparison)
        finite = finite[np.isfinite(finite)]
        assert bounds[0] == 0 and bounds[-2] >= finite.max()      # finite cells, then
        assert fig.axes[1].get_yticklabels()[-1].get_text() == "diverged"   # diverged
        assert finite.max() > 8                                   # (the old bar stopped at 8)
        fig.canvas.draw()
        scale = min(1.0, 7.5 / fig.get_size_inches()[0])
        texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]
        assert min(t.get_fontsize() for t in texts) * scale >= 9.0
    finally:
        plt.close(fig)


def test_comparison_bad_problem_name():
    with pytest.raises(ValueError, match="problem must be one of"):
        compare.problem("moon")
