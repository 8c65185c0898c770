"""Notebook 02_challenges: every number the notebook prints or its prose states.

Each computation runs once per module (fixtures). Where the theory gives the number
(ln 10/ln(1 + ε), the Lyapunov exponent, w^T, ½ var y of the best constant) the test asserts
it; the numbers of seeded runs that the prose quotes are asserted at the printed precision,
next to the claim they support (the gradient grows while the loss falls, every minimum lies
below every saddle, ...), so a change of either shows.
"""

import math

import numpy as np
import pytest
from scipy.special import digamma, polygamma

from course_lib import gradcheck
from course_lib.hessian_tools import classify, spectrum
from course_lib.lessons.nb02_challenges import (
    cliff_explorer,
    cliffs,
    ill_conditioning,
    local_global,
    plateaus,
    saddles,
    symmetry,
    vanishing,
)


@pytest.fixture(scope="module")
def ill():
    return ill_conditioning.compute_ill_conditioning()


@pytest.fixture(scope="module")
def sym():
    return symmetry.compute_symmetry()


@pytest.fixture(scope="module")
def crit():
    return saddles.compute_critical_points()


@pytest.fixture(scope="module")
def escape():
    return plateaus.compute_saddle_escape(lr=0.1, deltas=(1e-2, 1e-4, 1e-8))


@pytest.fixture(scope="module")
def cliff_step():
    return cliffs.compute_cliff_step(lr=0.7, threshold=0.25)


@pytest.fixture(scope="module")
def products():
    return vanishing.compute_vanishing()


@pytest.fixture(scope="module")
def mountain():
    return local_global.compute_mountain()


# --- §1 ill-conditioning ---------------------------------------------------------------------
def test_ill_conditioning_gradient_grows_while_loss_falls(ill):
    assert (ill["dim"], ill["m"]) == (1057, 214)
    assert f"{ill['loss_start']:.3f}" == "0.646" and f"{ill['loss_end']:.3f}" == "0.281"
    assert ill["k_low"] == 353 and f"{ill['g_low']:.3f}" == "0.032"
    assert f"{ill['g_end']:.3f}" == "0.666"
    assert ill["k_peak"] == 369 and f"{ill['loss_peak']:.3f}" == "0.920"     # the burst
    assert f"{ill['g_peak']:.1f}" == "2.9" and ill["grad_norms"][369] == ill["g_peak"]
    assert ill["loss_end"] < ill["loss_low"] < ill["loss_start"]       # the loss falls ...
    assert 19.5 <= ill["g_end"] / ill["g_low"] < 25                     # ... ‖g‖ "twentyfold"


def test_ill_conditioning_curvature_term_catches_up(ill):
    ratio = ill["ratio"]
    assert np.median(ratio[:100]) < 0.1                 # early: the curvature term is small
    assert f"{ill['ratio_late']:.2f}" == "1.00"          # late: it cancels the gain
    assert f"{100 * ill['rises_late']:.0f}" == "50"      # "half of those steps raise the loss"
    assert f"{100 * ill['taylor_error_late']:.1f}" == "2.8"
    # the terms are what they say: εgᵀg = −gᵀΔθ for gradient descent, ½ε²gᵀHg > 0 here
    assert np.all(ill["eps_gg"] > 0) and np.median(ill["second"][-200:]) > 0


def test_ill_conditioning_terms_match_one_step_by_hand(ill):
    net = ill_conditioning.digits_network()
    theta = net.init_theta(rng=0)
    g = net.grad(theta)
    assert ill["eps_gg"][0] == pytest.approx(0.25 * g @ g, rel=1e-12)
    assert ill["second"][0] == pytest.approx(0.5 * 0.25 ** 2 * g @ net.hvp(theta, g), rel=1e-6)
    assert gradcheck.check_grad(net, theta, rtol=1e-4)


def test_noisy_labels_are_a_fifth():
    net = ill_conditioning.digits_network()
    from course_lib.data import digits

    clean = digits(classes=(3, 8), seed=0).y_train
    assert np.mean(net.y != clean) == pytest.approx(0.2, abs=0.06)


# --- §2 symmetry -----------------------------------------------------------------------------
def test_symmetry(sym):
    assert sym["max_diff"] < 1e-15                         # "the same loss up to rounding"
    assert f"{sym['max_diff']:.1e}" == "1.1e-16"
    assert sym["min_distance"] > sym["theta_norm"]         # farther than θ from the origin
    assert sym["n_equivalent"] == math.factorial(16) * 2 ** 16
    assert f"{sym['n_equivalent']:.1e}" == "1.4e+18"


def test_permute_hidden_is_exact_for_tanh():
    net = ill_conditioning.digits_network()
    theta = net.init_theta(rng=3)
    order, signs = np.arange(16)[::-1], np.where(np.arange(16) % 2, -1.0, 1.0)
    copy = symmetry.permute_hidden(net, theta, order, signs)
    np.testing.assert_allclose(net.predict(copy), net.predict(theta), rtol=1e-12)


# --- §3 critical points ----------------------------------------------------------------------
def test_critical_points(crit):
    assert crit["dim"] == 17
    assert crit["highest_minimum"] < crit["lowest_saddle"]    # every minimum below every saddle
    assert crit["loss"].min() < 1e-12                          # the exact fit is found
    kinds = {(loss, index) for loss, index, kind in crit["distinct"] if kind == "saddle"}
    assert kinds == {(0.00216, round(1 / 17, 3)), (0.695, round(3 / 17, 3)),
                     (0.773, round(4 / 17, 3)), (5.17, round(4 / 17, 3))}
    assert f"{crit['corr']:.2f}" == "0.83"
    assert (crit["rejected"], crit["n_search"] + crit["rejected"]) == (26, 30)
    assert (crit["n_saddles"], crit["n_minima"]) == (4, 6)


def test_highest_saddle_is_the_best_constant():
    net = saddles.teacher_network()
    assert 0.5 * np.var(net.y) == pytest.approx(5.1737, abs=5e-5)   # J of the best constant


# --- §4 plateaus and Newton --------------------------------------------------------------------
def test_saddle_escape(escape):
    theory = math.log(10) / math.log(1.1)
    assert escape["per_decade_theory"] == pytest.approx(theory)
    assert f"{escape['per_decade']:.1f}" == f"{theory:.1f}" == "24.2"
    for row in escape["rows"]:
        assert row["escape"] == pytest.approx(row["predicted"], abs=7)
        assert row["newton_distance"] == 0.0 and row["newton_loss"] == 0.0
    assert [row["escape"] for row in escape["rows"]] == [55, 103, 200]
    # the plateau is at the saddle's level, J = 0
    losses = escape["rows"][-1]["losses"]
    assert np.all(np.abs(losses[30:150]) < 0.05)


def test_double_well_derivatives():
    theta = np.array([0.4, -0.7])
    assert gradcheck.check_grad(plateaus.DOUBLE_WELL, theta)
    assert gradcheck.check_hessian(plateaus.DOUBLE_WELL, theta)
    assert classify(spectrum(plateaus.DOUBLE_WELL, [0.0, 0.0])) == "saddle"


# --- §5 cliffs -------------------------------------------------------------------------------
def test_cliff_step(cliff_step):
    assert f"{cliff_step['g_norm']:.2f}" == "25.12"
    assert cliff_step["free_step"] == pytest.approx(0.7 * cliff_step["g_norm"])
    assert f"{cliff_step['free_step']:.1f}" == "17.6"
    assert cliff_step["clipped_step"] == pytest.approx(0.175)
    g = cliffs.CLIFF.grad(cliff_step["on_wall"])
    clipped = np.clip(g, -0.25, 0.25)
    angle = np.degrees(np.arccos(clipped @ g / np.linalg.norm(clipped) / np.linalg.norm(g)))
    assert cliff_step["value_angle"] == pytest.approx(angle)
    assert round(cliff_step["value_angle"]) == 43


def test_cliff_runs(cliff_step):
    free, clipped = cliff_step["runs"].values()
    assert free["longest_at"] == 5 and f"{free['farthest_x']:.2f}" == "-12.05"
    assert free["first"] is None                           # not within 40 steps
    assert clipped["first"] == 22 and clipped["longest"] == pytest.approx(0.175)
    assert np.all(clipped["lengths"] <= 0.175 + 1e-12)     # never longer than ε v


def test_cliff_minimum_and_gradient():
    c = cliffs.CLIFF
    assert gradcheck.check_grad(c, np.array([1.1, 0.3]))
    assert np.linalg.norm(c.grad(c.minima[0])) < 1e-12


# --- §6 products of Jacobians ----------------------------------------------------------------
def test_scalar_and_repeated(products):
    assert products["scalar"][0.9][-1] == pytest.approx(0.9 ** 100)
    assert f"{products['scalar'][0.9][-1]:.1e}" == "2.7e-05"
    assert f"{products['scalar'][1.1][-1]:.1e}" == "1.4e+04"
    p = products["powers"]
    assert p["norms"][-1] == pytest.approx(p["norms_eig"][-1], rel=1e-10)
    assert p["norms"][-1] ** (1 / 100) == pytest.approx(1.1, rel=0.01)


def test_random_products_against_the_theory(products):
    for sigma, row in products["random"].items():
        theory = math.log(sigma) + 0.5 * (digamma(8.0) + math.log(2 / 16))
        assert row["theory"] == pytest.approx(theory)
        # 200 chains of 60 stages: standard error of the slope ≈ √(var/60/200) ≈ 0.0017
        assert row["slope"] == pytest.approx(theory, abs=0.005)
        assert row["var_theory"] == pytest.approx(0.25 * polygamma(1, 8.0))
        assert row["var_per_stage"] == pytest.approx(row["var_theory"], rel=0.2)
    assert f"{products['random'][1.0]['slope']:.3f}" == "-0.033"
    assert f"{products['random'][1.0]['var_per_stage']:.4f}" == "0.0334"
    assert f"{products['random'][1.0]['var_theory']:.4f}" == "0.0333"


def test_rnn_through_time(products):
    below, above = products["rnn"][0.8], products["rnn"][1.2]
    assert f"{below['norms'][0]:.2e}" == "2.85e-10"
    assert f"{above['linear'][0]:.2e}" == "1.88e+03"
    assert f"{above['norms'][0]:.2e}" == "7.61e-06"
    assert below["linear"][0] < 1 < above["linear"][0]     # the linear RNN follows ρ^T
    assert np.all(above["norms"] <= above["linear"] * (1 + 1e-12))   # tanh′ ≤ 1


# --- §7 the mountain -------------------------------------------------------------------------
def test_mountain(mountain):
    runs = mountain["runs"]
    behind, open_, line = (runs[k] for k in ("behind the mountain", "same start, no mountain",
                                             "on the line through the peak"))
    assert f"{mountain['straight']:.2f}" == "4.15" and f"{behind['length']:.2f}" == "5.54"
    assert (behind["steps"], open_["steps"], line["steps"]) == (178, 145, 30)
    assert behind["kind"] == open_["kind"] == "minimum" and line["kind"] == "saddle"
    assert f"{line['end'][0]:.2f}" == "-2.99" and f"{line['distance']:.1f}" == "3.1"
    assert open_["length"] == pytest.approx(np.linalg.norm([-4.0, 0.05]), rel=1e-3)


def test_mountain_derivatives_and_minimum():
    m = local_global.MOUNTAIN
    assert gradcheck.check_grad(m, np.array([-2.3, 0.4]))
    assert gradcheck.check_hessian(m, np.array([-2.3, 0.4]))
    assert np.linalg.norm(m.grad(m.minima[0])) < 1e-12


# --- reports and figures -----------------------------------------------------------------------
def test_reports_and_figures(ill, sym, crit, escape, cliff_step, products, mountain):
    import matplotlib.pyplot as plt

    assert "0.281" in ill_conditioning.report_ill_conditioning(ill)
    assert "1.1e-16" in symmetry.report_symmetry(sym)
    assert "0.83" in saddles.report_critical_points(crit)
    assert "24.2" in plateaus.report_saddle_escape(escape)
    assert "-12.05" in cliffs.report_cliff_step(cliff_step)
    assert "2.85e-10" in vanishing.report_vanishing(products)
    assert "saddle" in local_global.report_mountain(mountain)
    for fig in (ill_conditioning.figure_ill_conditioning(ill),
                saddles.figure_critical_points(crit), plateaus.figure_saddle_escape(escape),
                vanishing.figure_vanishing(products), local_global.figure_mountain(mountain),
                cliff_explorer.companion_figure()):
        assert fig.axes
        plt.close(fig)
