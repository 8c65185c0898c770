"""Notebook 06 (adaptive learning rates): every number the notebook prints, asserted against
the theory or an independent computation, and the explorer driven by its controls.

The demonstrations are computed once per module (a few seconds together); each test checks
one claim and the printed text. Comments quote the notebook's prose where it states a number.
"""

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib import minimize  # noqa: E402
from course_lib.lessons.nb06_adaptive_rates import (  # noqa: E402
    adagrad,
    adam,
    adaptive_explorer,
    noise,
)
from course_lib.objectives import Quadratic, Rosenbrock  # noqa: E402
from course_lib.optim import AdaGrad, Adam, RMSProp, effective_lrs  # noqa: E402
from course_lib.rates import predicted_steps  # noqa: E402


@pytest.fixture(scope="module")
def scaling():
    return adagrad.compute_scaling(lr_adagrad=0.5)


@pytest.fixture(scope="module")
def constant():
    return adagrad.compute_constant_gradient()


@pytest.fixture(scope="module")
def stall():
    return adagrad.compute_stall(lr=0.01, steps=600)


@pytest.fixture(scope="module")
def bias():
    return adam.compute_bias_correction()


@pytest.fixture(scope="module")
def invariance():
    return adam.compute_invariance()


@pytest.fixture(scope="module")
def units():
    return adam.compute_units()


@pytest.fixture(scope="module")
def dbd():
    return noise.compute_delta_bar_delta()


# --- 1. one rate for two axes ------------------------------------------------------------------
def test_best_single_rate_needs_the_predicted_steps(scaling):
    assert scaling["best_lr"] == pytest.approx(2 / 101)
    assert scaling["gd_factor"] == pytest.approx(99 / 101)
    assert scaling["gd_steps"] == predicted_steps(99 / 101, 1e-6) == 691


def test_the_rate_for_the_flat_axis_diverges_at_step_four(scaling):
    # ε = 1 zeroes θ₁ and multiplies θ₂ by −99: J_k = 50·99^(2k) passes minimize's blow-up
    # limit 1e12·(1 + J₀) at the first k where it exceeds it.
    limit = 1e12 * (1 + Quadratic((1.0, 100.0)).loss([1.0, 1.0]))
    first = next(k for k in range(1, 10) if 50 * 99.0 ** (2 * k) > limit)
    assert scaling["flat_stop"] == "diverged"
    assert scaling["flat_steps"] == first == 4          # "diverges within four steps"


def _adagrad_1d(lam, u0, lr, delta, tol, max_steps=1000):
    """An independent AdaGrad on one coordinate of a separable quadratic."""
    u, r, path = u0, 0.0, [u0]
    for _ in range(max_steps):
        g = lam * u
        r += g * g
        u = u - lr * g / (delta + math.sqrt(r))
        path.append(u)
    return np.array(path)


def test_adagrad_retraces_the_flat_coordinate_and_gets_rates_in_the_curvature_ratio(scaling):
    flat = _adagrad_1d(1.0, 1.0, 0.5, 1e-7, 1e-6, 40)
    steep = _adagrad_1d(100.0, 1.0, 0.5, 1e-7, 1e-6, 40)
    dist = np.hypot(flat, steep)
    assert scaling["adagrad_steps"] == int(np.argmax(dist <= 1e-6 * math.sqrt(2))) == 25
    assert np.max(np.abs(flat - steep)) < 1e-6                     # δ is the only difference
    assert 0 < scaling["retrace_gap"] < 1e-6
    assert scaling["retrace_gap"] == pytest.approx(5.2e-8, rel=0.05)
    n = scaling["adagrad_steps"]                 # r after n steps: the first n gradients
    r_flat, r_steep = np.sum(flat[:n] ** 2), np.sum((100 * steep[:n]) ** 2)
    assert scaling["r_ratio"] == pytest.approx(r_steep / r_flat, rel=1e-9)
    assert scaling["r_ratio"] == pytest.approx(1e4, rel=1e-6)
    assert scaling["eff_ratio"] == pytest.approx(
        (1e-7 + math.sqrt(r_steep)) / (1e-7 + math.sqrt(r_flat)), rel=1e-9)
    assert scaling["eff_ratio"] == pytest.approx(100.0, rel=1e-6)


def test_scaling_report(scaling):
    text = adagrad.report_scaling(scaling)
    for words in ("ε = 2/(λ₁ + λ₂) = 0.0198 (the best single rate): 691 steps, both axes "
                  "shrink by 0.9802 per step",
                  "ε = 1/λ₁ = 1 (right for θ₁): diverged at step 4 (θ₂ is multiplied by "
                  "1 − λ₂ε = -99 per step)",
                  "AdaGrad, ε = 0.5: 25 steps; θ₂ retraces θ₁ (largest |θ₁ − θ₂| on the path: "
                  "5.2e-08)",
                  "r₂/r₁ = 10000.0 = (λ₂/λ₁)² and ε_eff,1/ε_eff,2 = 100.00 = λ₂/λ₁"):
        assert words in text, words


# --- 2. a constant gradient ---------------------------------------------------------------------
def test_adagrad_steps_eps_over_root_t_and_rmsprop_settles_at_eps(constant):
    g, t = np.array(constant["g"]), np.arange(1, constant["steps"] + 1)[:, None]
    ada, rms = constant["runs"]["AdaGrad"], constant["runs"]["RMSProp"]
    exact_ada = np.abs(g) / (1e-7 + np.sqrt(t) * np.abs(g))       # ε|g|/(δ + √t|g|), over ε
    np.testing.assert_allclose(ada["sizes"], exact_ada, rtol=1e-9)
    np.testing.assert_allclose(ada["sizes"], 1 / np.sqrt(t) * np.ones(2), rtol=1e-4)
    exact_rms = np.abs(g) / np.sqrt(1e-6 + (1 - 0.9 ** t) * g * g)
    np.testing.assert_allclose(rms["sizes"], exact_rms, rtol=1e-9)
    # "each coordinate has moved about 62 steps' worth of ε, against 1009 for RMSProp"
    assert ada["travelled"] == pytest.approx([61.8, 61.8], abs=0.05)
    assert ada["theory_travelled"] == pytest.approx(np.sum(1 / np.sqrt(t)))
    np.testing.assert_allclose(rms["travelled"], exact_rms.sum(axis=0), rtol=1e-9)
    assert rms["sizes"][-1, 1] == pytest.approx(0.995, abs=0.0005)    # "0.995ε, not ε"


def test_constant_gradient_report(constant):
    text = adagrad.report_constant_gradient(constant)
    for line in ("     1      1.0000      1.0000  1.0000        3.1623      3.0151     3.1623",
                 "    10      0.3162      0.3162  0.3162        1.2391      1.2297     1.2391",
                 "  1000      0.0316      0.0316  0.0316        1.0000      0.9950     1.0000",
                 "AdaGrad 61.8 and 61.8 (Σ 1/√t = 61.8), RMSProp 1009.1 and 1003.9"):
        assert line in text, line


# --- 3. AdaGrad stalls on Rosenbrock --------------------------------------------------------------
def test_adagrad_keeps_the_wall_gradients_for_ever(stall):
    ada = stall["runs"]["AdaGrad, ε = 0.01"]
    rms = stall["runs"]["RMSProp, ε = 0.01"]
    f = Rosenbrock()
    grads = np.array([f.grad(theta) for theta in ada["thetas"][:-1]])
    np.testing.assert_allclose(ada["r"][-1], np.sum(grads ** 2, axis=0), rtol=1e-9)
    np.testing.assert_allclose(ada["eff"][-1], 0.01 / (1e-7 + np.sqrt(ada["r"][-1])), rtol=1e-9)
    # "its records reach 10⁵ and 10⁴ ... rates freeze at 3e-5 and 9e-5"
    assert 1e5 < ada["r"][-1, 0] < 1e6 and 1e4 < ada["r"][-1, 1] < 1e5
    assert ada["eff"][-1] == pytest.approx([2.82e-5, 8.72e-5], rel=0.005)
    assert ada["eff"][-1].max() < 0.01 / 100                        # "hundreds of times below ε"
    assert ada["second_half"] == pytest.approx(0.034, abs=0.0005)
    assert rms["second_half"] == pytest.approx(4.092, abs=0.0005)
    assert rms["eff"][-1] == pytest.approx([4.26e-3, 4.59e-3], rel=0.005)
    assert ada["loss"] == pytest.approx(5.83, abs=0.005)
    assert rms["loss"] == pytest.approx(0.202, abs=0.0005)
    assert ada["max_grad"] > 100                                    # "in the hundreds"


def test_rmsprop_ends_lower_at_every_eps_but_the_largest(stall):
    rows = stall["scan"]
    assert [row["lr"] for row in rows] == [0.01, 0.0316, 0.1, 0.316, 1.0, 3.16]
    assert all(row["RMSProp"] < row["AdaGrad"] for row in rows[:-1])
    assert rows[-1]["RMSProp"] > rows[-1]["AdaGrad"]


def test_adagrad_first_step_moves_every_coordinate_by_eps(stall):
    leap = stall["leap"]
    g0 = Rosenbrock().grad(stall["theta0"])
    expected = stall["theta0"] - leap["lr"] * g0 / (1e-7 + np.abs(g0))
    np.testing.assert_allclose(leap["first"], expected, rtol=1e-12)
    np.testing.assert_allclose(leap["first"], stall["theta0"] - leap["lr"] * np.sign(g0),
                               atol=1e-8)
    assert leap["loss"] == pytest.approx(0.0045, abs=0.00005)


def test_stall_report(stall):
    text = adagrad.report_stall(stall)
    for words in ("AdaGrad, ε = 0.01          5.83    (-1.41, 2.00)  2.82e-05  8.72e-05"
                  "              0.034",
                  "RMSProp, ε = 0.01         0.202     (0.56, 0.32)  4.26e-03  4.59e-03"
                  "              4.092",
                  "AdaGrad:     5.83     5.28     3.73     3.61     2.97    0.998",
                  "RMSProp:    0.202    0.284     1.05    0.694    0.698       95",
                  "AdaGrad with ε = 1.78: J = 0.0045, after a first step that lands at "
                  "(0.28, 3.78)"):
        assert words in text, words


# --- 4. Adam's bias correction --------------------------------------------------------------------
def test_bias_correction_steps_match_the_theory(bias):
    t = np.arange(1, 1001)
    corrected, raw = bias["runs"]["with correction"], bias["runs"]["without correction"]
    np.testing.assert_allclose(corrected["sizes"], 1.0, rtol=1e-7)   # δ = 1e-8 beside |g| = 2
    theory = (1 - 0.9 ** t) / np.sqrt(1 - 0.999 ** t)
    np.testing.assert_allclose(raw["sizes"], theory, rtol=1e-6)
    assert raw["sizes"][0] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-6)   # 3.16
    assert raw["peak_t"] == int(np.argmax(theory)) + 1 == 12
    assert raw["peak"] == pytest.approx(theory.max(), rel=1e-6)
    assert raw["sizes"][-1] == pytest.approx(1.2576, abs=5e-5)        # "26 % too long"
    assert raw["first20"] / corrected["first20"] == pytest.approx(6.0, abs=0.05)  # "six times"
    text = adam.report_bias_correction(bias)
    for words in ("     1     1.0000       3.1623             3.1623",
                  "    10     1.0000       6.5279             6.5279",
                  "  1000     1.0000       1.2576             1.2576",
                  "largest uncorrected step: 6.569 ε at t = 12; first 20 steps cover 20.00 ε "
                  "corrected, 119.80 ε uncorrected"):
        assert words in text, words


# --- 5. invariance to the gradient's scale --------------------------------------------------------
def test_adaptive_paths_ignore_the_scale_of_the_loss(invariance):
    rows = {row["name"]: row for row in invariance["rows"]}
    for name in ("AdaGrad, ε = 0.1", "Adam, ε = 0.01"):
        assert rows[name]["gaps"][1000.0] < 1e-9                   # "5e-10", "4e-10"
        assert rows[name]["gaps"][0.001] < 1e-6                    # "5e-7"
        assert rows[name]["stops"][1000.0] == ("steps", 300)
    assert rows["Adam, ε = 0.01"]["gaps"][1000.0] == pytest.approx(5.0e-10, rel=0.05)
    for name in ("RMSProp, ε = 0.01", "AdaDelta"):                 # "0.008 to 0.15"
        for gap in rows[name]["gaps"].values():
            assert 0.008 <= gap <= 0.15
    sgd = rows["SGD, ε = 0.001"]
    assert sgd["stops"][1000.0] == ("diverged", 1)                  # "at the second step"
    assert sgd["gaps"][0.001] == pytest.approx(0.50, abs=0.005)
    # SGD's first step on 1000·J is a full gradient step of Rosenbrock: θ₀ − ∇J(θ₀)
    g0 = Rosenbrock().grad(np.array(adam.INVARIANCE_THETA0))
    assert np.linalg.norm(g0) == pytest.approx(sgd["gaps"][1000.0], rel=0.02)


def test_invariance_report(invariance):
    text = adam.report_invariance(invariance)
    for words in ("SGD, ε = 0.001    1.6e+02 (diverged at step 2)                     5.0e-01",
                  "AdaGrad, ε = 0.1                       4.1e-10                     4.1e-07",
                  "RMSProp, ε = 0.01                      3.5e-02                     3.5e-02",
                  "Adam, ε = 0.01                         5.0e-10                     5.0e-07",
                  "AdaDelta                               8.2e-03                     1.5e-01"):
        assert words in text, words


# --- 6. AdaDelta and units ------------------------------------------------------------------------
def test_units_table_matches_the_theory(units):
    rows = {row["c"]: row for row in units["rows"]}
    # SGD: curvatures λ/c²; stable only if ε < 2c²/100, so c = 0.1 diverges
    assert rows[0.1]["final"]["SGD, ε = 0.0198"] == math.inf
    for c in (1.0, 10.0):
        factors = np.abs(1 - (2 / 101) * np.array([1.0, 100.0]) / c ** 2) ** 200
        assert rows[c]["final"]["SGD, ε = 0.0198"] == pytest.approx(
            np.linalg.norm(factors) / math.sqrt(2), rel=1e-9)
    # AdaDelta's first step: √δ g/√(δ + (1 − ρ)g²) with g = λ/c at θ₀ = c(1, 1)
    for c, row in rows.items():
        g = np.array([1.0, 100.0]) / c
        np.testing.assert_allclose(row["first_step"], 1e-3 * g / np.sqrt(1e-6 + 0.05 * g * g),
                                   rtol=1e-9)
        assert row["first_step"][0] == pytest.approx(0.00447, abs=0.000005)
    assert units["first_theory"] == pytest.approx(math.sqrt(1e-6 / 0.05))
    # "with c = 10 it has covered a tenth of the way"; "with c = 0.1 ... easily"
    assert rows[10.0]["final"]["AdaDelta"] == pytest.approx(0.90, abs=0.005)
    assert rows[0.1]["final"]["AdaDelta"] < 1e-30
    for name in ("Adam, ε = 0.01", "AdaDelta"):           # no method is unit-free
        finals = [rows[c]["final"][name] for c in (0.1, 1.0, 10.0)]
        assert max(finals) / min(finals) > 10
    text = adam.report_units(units)
    for words in ("   0.1          diverged          7.22e-06          3.18e-43             0.0044",
                  "     1          1.83e-02          1.56e-02          3.15e-01             0.0044",
                  "    10          6.80e-01          8.08e-01          9.00e-01             0.0044",
                  "√(δ/(1 − ρ)) = 0.00447 in whatever units θ has"):
        assert words in text, words


# --- 7. delta-bar-delta and noise -----------------------------------------------------------------
def test_full_batch_rates_grow_by_kappa_and_converge(dbd):
    full = dbd["runs"]["delta-bar-delta, full batch"]
    # θ₂'s derivative never changes sign: its rate grows by ξ at every step but the first
    # (where the trace δ̄ is still 0)
    assert full["rates"][-1, 1] == pytest.approx(0.1 + 0.005 * 499, rel=1e-12)
    assert full["cut"][1] == 0.0 and full["cut"][0] == pytest.approx(0.004)
    assert full["rates"][-1, 0] < 2 / dbd["curvatures"][0] * 1.05     # near 2/0.969 ≈ 2.1
    assert full["excess"][-1] == pytest.approx(7.59e-9, rel=0.005)    # "8e-9"


def test_sgd_reference_matches_the_closed_form(dbd):
    f = noise.regression_task()
    H = f.X.T @ f.X / len(f.y)
    np.testing.assert_allclose(dbd["curvatures"], np.diag(H), rtol=1e-12)
    e = np.zeros(2) - f.solution()
    e500 = np.linalg.matrix_power(np.eye(2) - 0.1 * H, 500) @ e
    assert dbd["runs"]["SGD ε = 0.1, full batch"]["excess"][-1] == pytest.approx(
        0.5 * e500 @ H @ e500, rel=1e-6)


def test_noisy_rates_settle_where_growth_balances_cuts(dbd):
    noisy = dbd["runs"][dbd["noisy"]]
    assert noisy["cut"] == pytest.approx([0.582, 0.336], abs=0.001)   # "58 % and 34 %"
    assert np.all(noisy["rates"][-1] < 0.1)                           # below where they started
    np.testing.assert_allclose(dbd["noise_mean"], dbd["noise_theory"], rtol=0.1)
    sgd = dbd["runs"]["SGD ε = 0.1, minibatches of 10"]["excess"][-1]
    assert noisy["excess"][-1] == pytest.approx(sgd, rel=0.1)         # "no better than SGD"
    vsgd = dbd["runs"]["vSGD (no ε), minibatches of 10"]
    assert vsgd["ngev"] == 500                                        # the same budget
    assert 200 < sgd / vsgd["excess"][-1] < 300                       # "250 times lower"


def test_delta_bar_delta_report(dbd):
    text = noise.report_delta_bar_delta(dbd)
    for words in ("curvatures 0.969 and 0.0102; ε₀ = 0.1, ξ = 0.005, β = 0.1, φ = 0.7, 500",
                  "delta-bar-delta, full batch                       (2.1, 2.59)         "
                  "0.4 %, 0.0 %  7.59e-09",
                  "delta-bar-delta, minibatches of 10            (0.058, 0.0868)       "
                  "58.2 %, 33.6 %  2.58e-03",
                  "SGD ε = 0.1, full batch", "2.66e-03", "2.68e-03",
                  "vSGD (no ε), minibatches of 10             (0.000502, 0.00539)",
                  "1.05e-05",
                  "mean rates over the second half (0.030, 0.083); where ξ·p_grow = "
                  "β·ε·p_cut: (0.032, 0.083)"):
        assert words in text, words


# --- figures --------------------------------------------------------------------------------------
@pytest.mark.parametrize("module, name", [
    (adagrad, "scaling"), (adagrad, "constant_gradient"), (adagrad, "stall"),
    (adam, "bias_correction"), (adam, "invariance"), (adam, "units"),
    (noise, "delta_bar_delta")])
def test_figures_have_labelled_axes(module, name, request):
    import matplotlib.pyplot as plt

    fixture = {"constant_gradient": "constant", "bias_correction": "bias",
               "delta_bar_delta": "dbd"}.get(name, name)
    fig = getattr(module, f"figure_{name}")(request.getfixturevalue(fixture))
    try:
        for ax in fig.axes:
            if ax.get_label() == "<colorbar>":
                continue
            assert ax.get_xlabel(), (name, ax.get_title())
            if ax.get_ylabel() == "":           # panels sharing the first one's y axis
                assert ax.get_shared_y_axes().joined(ax, fig.axes[0]), name
    finally:
        plt.close(fig)


def smallest_text_px(fig, display_in: float = 7.5) -> float:
    """The smallest text of ``fig`` in px when the notebook shows it at most ``display_in``
    inches wide (a wider figure is scaled down; 1 pt ≈ 1 px at scale 1)."""
    from matplotlib.text import Text

    fig.canvas.draw()
    scale = min(1.0, display_in / fig.get_size_inches()[0])
    return min(t.get_fontsize() * scale for t in fig.findobj(Text)
               if t.get_visible() and t.get_text().strip())


@pytest.mark.parametrize("module, name", [
    (adagrad, "scaling"), (adagrad, "constant_gradient"), (adagrad, "stall"),
    (adam, "bias_correction"), (adam, "invariance"), (adam, "units"),
    (noise, "delta_bar_delta")])
def test_every_text_of_every_figure_is_at_least_9_px(module, name, request):
    import matplotlib.pyplot as plt

    fixture = {"constant_gradient": "constant", "bias_correction": "bias",
               "delta_bar_delta": "dbd"}.get(name, name)
    fig = getattr(module, f"figure_{name}")(request.getfixturevalue(fixture))
    try:
        assert smallest_text_px(fig) >= 9.0, name
    finally:
        plt.close(fig)


def test_explorer_and_companion_texts_are_at_least_9_px():
    import matplotlib.pyplot as plt

    fig = adaptive_explorer.companion_figure()
    try:
        assert smallest_text_px(fig) >= 9.0
        assert smallest_text_px(adaptive_explorer.adaptive_explorer().figure) >= 9.0
    finally:
        plt.close(fig)


# --- 9. the explorer ------------------------------------------------------------------------------
def test_explorer_default_summary_and_controls():
    explorer = adaptive_explorer.adaptive_explorer()
    assert set(explorer.controls) == {"methods", "problem", "start", "lr_adaptive", "lr_sgd",
                                      "rho", "alpha", "rho1", "rho2", "bias_correction"}
    # ε starts at 10^-1.5, a point of its log slider's grid (issue 17: 0.03 showed as 0.0316)
    assert explorer.controls["lr_adaptive"].value == pytest.approx(10 ** -1.5, rel=1e-12)
    # the summary: one line per method, each number that of an independent run of it
    lines = explorer.summary_text.split("\n")
    assert lines[0] == "Rosenbrock from A = (-1, -0.5), at most 120 steps"
    f = adaptive_explorer.landscape("Rosenbrock")
    for line, (name, optimizer) in zip(lines[1:], (
            ("AdaGrad, ε = 0.0316:", AdaGrad(lr=10 ** -1.5)),
            ("RMSProp, ε = 0.0316, ρ = 0.900:", RMSProp(lr=10 ** -1.5, rho=0.9)),
            ("Adam, ε = 0.0316, ρ₁ = 0.90, ρ₂ = 0.999:", Adam(lr=10 ** -1.5))), strict=True):
        trace = minimize(f, optimizer, [-1.0, -0.5], 120, warn=False)
        x, y = trace.theta
        assert line.startswith(f"{name} all steps used, J − J* = {trace.loss:.3g} at "
                               f"({x:.3g}, {y:.3g}); rates at the end ("), line
    assert explorer.output.outputs[0]["data"]["image/png"]
    assert repr(explorer.widget).startswith("Explorer: Adaptive learning rates")


def test_explorer_disables_the_controls_no_selected_method_uses():
    explorer = adaptive_explorer.adaptive_explorer()      # AdaGrad, RMSProp, Adam
    assert set(explorer.disabled_reasons) == {"lr_sgd", "alpha"}
    assert explorer.controls["lr_sgd"].disabled and explorer.controls["alpha"].disabled
    assert "select SGD or momentum" in explorer.disabled_reasons["lr_sgd"]
    assert "ε (SGD, mom.)" in explorer.notes_box.value
    explorer.set(methods=("momentum",))
    assert not explorer.controls["alpha"].disabled and not explorer.controls["lr_sgd"].disabled
    assert set(explorer.disabled_reasons) == {"lr_adaptive", "rho", "rho1", "rho2",
                                              "bias_correction"}
    explorer.set(methods=("RMSProp+Nesterov",))           # α, ρ and the adaptive ε
    assert set(explorer.disabled_reasons) == {"lr_sgd", "rho1", "rho2", "bias_correction"}
    # every control steers at least one method, and every method is steered by its controls
    assert set(adaptive_explorer.USES) == set(explorer.controls) - {"methods", "problem",
                                                                     "start"}


def test_explorer_rates_are_the_optimizers_state():
    r = adaptive_explorer.compute_runs(methods=("AdaGrad", "Adam"), lr_adaptive=0.05,
                                       problem="Beale", start="C")
    f = adaptive_explorer.landscape("Beale")
    for method, optimizer in (("AdaGrad", AdaGrad(lr=0.05)), ("Adam", Adam(lr=0.05))):
        trace = minimize(f, optimizer, r["theta0"], 120, warn=False)
        np.testing.assert_allclose(r["runs"][method]["eff"], effective_lrs(optimizer, trace))
        np.testing.assert_allclose(r["runs"][method]["excess"], trace.losses - f.min_value)


def test_explorer_controls_change_the_runs():
    explorer = adaptive_explorer.adaptive_explorer()
    explorer.set(methods=("Adam",), bias_correction=False)
    run = explorer.result["runs"]["Adam"]
    steps = np.linalg.norm(np.diff(run["thetas"][:2], axis=0), axis=1)
    # (1 − ρ₁)/√(1 − ρ₂)·ε = 3.16ε in each coordinate
    assert steps[0] == pytest.approx(10 ** -1.5 * 0.1 / math.sqrt(0.001) * math.sqrt(2),
                                     rel=1e-6)
    assert "no bias correction" in explorer.summary_text
    explorer.set(methods=())
    assert explorer.error is None
    assert "no method selected" in explorer.summary_text


@pytest.mark.parametrize("problem", list(adaptive_explorer.PROBLEMS))
def test_explorer_runs_every_problem_and_method(problem):
    explorer = adaptive_explorer.adaptive_explorer(methods=adaptive_explorer.METHODS)
    explorer.set(problem=problem)
    for start in adaptive_explorer.START_NAMES:
        explorer.set(start=start)
        assert explorer.error is None, explorer.error
        assert explorer.result["methods"] == adaptive_explorer.METHODS
        for run in explorer.result["runs"].values():
            assert run["stop_reason"] in ("steps", "converged", "diverged")
            if run["stop_reason"] != "diverged":
                assert run["final_excess"] >= -1e-9         # J* really is the minimum


def test_logistic_problem_min_value_is_its_minimum():
    from scipy.optimize import minimize as scipy_minimize

    f = adaptive_explorer.landscape("logistic regression, 2 weights")
    res = scipy_minimize(f.loss, np.zeros(2), jac=f.grad, method="BFGS", options={"gtol": 1e-10})
    assert adaptive_explorer.min_value("logistic regression, 2 weights") == pytest.approx(
        res.fun, abs=1e-12)


def test_explorer_slider_updates_blit_and_selection_rebuilds():
    explorer = adaptive_explorer.adaptive_explorer()
    fig = explorer.figure
    assert not fig.stale
    adaptive_explorer.draw_runs(adaptive_explorer.compute_runs(lr_adaptive=0.031), fig)
    assert not fig.stale                         # only animated artists moved: blitted
    adaptive_explorer.draw_runs(adaptive_explorer.compute_runs(methods=("SGD",)), fig)
    assert fig.stale                             # a new selection: new legend, full redraw


def test_explorer_bad_input():
    with pytest.raises(ValueError, match="method must be one of"):
        adaptive_explorer.make_optimizer("Newton")
    with pytest.raises(ValueError, match="problem must be one of"):
        adaptive_explorer.landscape("moon")
    with pytest.raises(ValueError, match="start must be one of"):
        adaptive_explorer.start_point("Rosenbrock", "Z")


def test_companion_figure():
    import matplotlib.pyplot as plt

    fig = adaptive_explorer.companion_figure()
    try:
        path_ax, loss_ax, eff_ax = fig.axes
        assert path_ax.get_xlabel() == "θ₁" and path_ax.get_ylabel() == "θ₂"
        assert loss_ax.get_xlabel() == eff_ax.get_xlabel() == "step k"
        assert loss_ax.get_ylabel() == "J(θₖ) − J*"
        assert eff_ax.get_ylabel() == "effective rate εᵢ"
    finally:
        plt.close(fig)
