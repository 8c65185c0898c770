"""Notebook 10: every number it prints or states, against theory where theory gives it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib.lessons.nb10_testing_optimizers import (  # noqa: E402
    findings,
    gallery,
    hypergradient,
    learning,
    matrix,
    your_code,
)
from course_lib.objectives import Quadratic  # noqa: E402
from course_lib.prototypes import SHAPES, from_step, prototype, spec  # noqa: E402
from course_lib.prototypes.shapes import CLIFF_HEIGHT, CLIFF_WIDTH  # noqa: E402


# --- §1 the suite drawn ----------------------------------------------------------------------
def test_gallery_counts_and_the_shapes_difficulties():
    r = gallery.compute_gallery()
    assert r["count"] == 19 and r["groups"] == {"shapes": 7, "noise": 5, "scales": 3,
                                                "combinations": 4}
    gauss = SHAPES["gauss"]
    assert gauss.start == 5.0 and np.isclose(gauss.df(5.0), 5 * np.exp(-12.5))
    assert 1.8e-5 < gauss.df(5.0) < 1.9e-5                    # "≈ 1.9 × 10⁻⁵"
    assert CLIFF_HEIGHT == 1.0 and CLIFF_WIDTH == 0.02
    assert np.isclose(CLIFF_HEIGHT / (4 * CLIFF_WIDTH), 12.5)  # the step's slope at its middle
    assert SHAPES["abs"].tol == 0.01 and SHAPES["line"].level == -100.0
    assert prototype("line").steps == 100
    text = gallery.report_gallery(r)
    assert text.startswith("19 prototypes: 7 shapes, 5 noise, 3 scales, 4 combinations")


def test_the_combinations_are_as_described():
    rotated = prototype("rotated")
    assert list(rotated.scales) == [1.0, 100.0] and np.allclose(
        rotated.R, [[np.cos(np.pi / 6), -np.sin(np.pi / 6)], [np.sin(np.pi / 6),
                                                             np.cos(np.pi / 6)]])
    assert np.allclose(prototype("saddle").R[0, 0], np.cos(np.pi / 4))
    coupled = prototype("coupled")
    assert coupled.coupling == 0.5 and list(coupled.scales) == [2.0, 50.0]
    assert np.array_equal(prototype("drifting").drift, [0.02, 0.02])
    assert np.allclose(prototype("scale sweep").scales, [0.01, 0.1, 1, 10, 100])
    assert prototype("bowl · mask-out").noise.p == 0.9


@pytest.fixture(scope="module")
def noise():
    return gallery.compute_noise()


def test_measured_noise_matches_the_stated_distributions(noise):
    n = noise["n"]
    for name, s in noise["noise"].items():
        if name == "Cauchy":
            assert abs(s["median"] - 1.0) < 0.01 and abs(s["iqr"] - 0.1) < 0.01
            assert abs(s["tail_index"] - 1.0) < 0.1                       # Hill's estimate
            # the largest of 20 000 draws: P(max < 100) ≈ 0.2 %, P(max > 10⁵) ≈ 0.6 %
            assert 100 < s["largest"] < 1e5
            continue
        se = np.sqrt(s["stated_var"] / n)
        assert abs(s["mean"] - 1.0) < 5 * se
        assert abs(s["var"] / s["stated_var"] - 1) < 0.1
    text = gallery.report_noise(noise)
    assert "tail index 1.06 (1)" in text and "largest |g̃ − g| = 693" in text
    assert round(noise["noise"]["Cauchy"]["largest"] / 0.05, -3) == 14000    # "about 14 000 γ"
    assert "mask-out        p = 0.9   mean 1.003 (1), variance 9.024 (9)" in text


# --- §2 the sweep ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sweep():
    return matrix.compute_sweep()


def test_the_reduced_sweep(sweep):
    assert sweep["runs"] == 3895 and len(sweep["problems"]) == 19
    counts = {o: len(p) for o, p in sweep["passed"].items()}
    assert counts == {"SGD": 13, "momentum": 17, "AdaGrad": 16, "RMSProp": 16, "Adam": 18,
                      "learned": 12}
    assert [p for p in sweep["problems"] if p not in sweep["passed"]["Adam"]] == ["bowl · Cauchy"]
    assert len(sweep["everyone"]) == 7 and sweep["nobody"] == []
    assert findings.winners(sweep) == {"best": ["Adam"], "count": 18, "everywhere": False}
    text = matrix.report_sweep(sweep)
    assert "3895 runs: 6 optimizers" in text and "Adam      18 of 19; fails bowl · Cauchy" in text


def test_the_failures_the_prose_explains(sweep):
    passed = sweep["passed"]
    assert "abs" not in passed["SGD"] and "abs" in passed["AdaGrad"]
    for o in ("SGD", "momentum", "RMSProp"):
        assert "gauss" not in passed[o]
    assert "gauss" in passed["Adam"]
    assert "bowl × 0.001" not in passed["SGD"]
    for o in ("SGD", "momentum"):
        assert "scale sweep" not in passed[o]
    for o in ("AdaGrad", "RMSProp", "Adam"):
        assert "scale sweep" in passed[o]
    assert "rotated" not in passed["SGD"] and "rotated" in passed["momentum"]
    assert "rotated" not in passed["AdaGrad"] and "rotated" not in passed["RMSProp"]
    assert "line" not in passed["AdaGrad"]
    noisy = [p for p in sweep["problems"] if p.startswith("bowl · ")]
    assert [p for p in noisy if p in passed["learned"]] == ["bowl · multiplicative"]
    f = findings.compute_failures(sweep)
    assert f["count"] == 22 and f["cells"] == 114
    assert set(f["by_notebook"]) == {"02_challenges", "03_sgd_schedules", "04_momentum_physics",
                                     "06_adaptive_rates", "10_testing_optimizers"}
    assert all(row["cause"] and row["notebook"] for row in f["rows"])


def test_the_numbers_behind_the_causes():
    # κ = 100: the best constant rate removes 2/(κ + 1) of the error per step
    q = Quadratic((1.0, 100.0))
    assert np.isclose(1 - q.best_gd_rate, 2 / 101) and round(100 * (1 - q.best_gd_rate)) == 2
    # AdaGrad on the line: its t-th step is ε/√t, so 100 steps cover Σ ε/√t < 20ε
    total = np.sum(1 / np.sqrt(np.arange(1, 101)))
    assert total < 20 and round(3.16227766 * total) == 59
    # RMSProp's δ = 10⁻⁶ inside the root: √δ = 10⁻³, two decades above the plateau's slope
    assert np.isclose(np.sqrt(1e-6), 1e-3) and SHAPES["gauss"].df(5.0) < 1e-3 / 50
    # Adam's first moment remembers about 1/(1 − ρ₁) = 10 steps
    assert np.isclose(1 / (1 - 0.9), 10)


def test_robustness(sweep):
    r = findings.compute_robustness(sweep)
    o = r["optimizers"]
    assert round(100 * o["Adam"]["robustness"]) == 46 and round(100 * o["SGD"]["robustness"]) == 23
    assert max(o, key=lambda k: o[k]["robustness"] if None not in o[k]["per_rate"] else 0) == "Adam"
    single = {k: v["best_single_rate"] for k, v in o.items()}
    assert single == {"SGD": 8, "momentum": 11, "AdaGrad": 15, "RMSProp": 13, "Adam": 13,
                      "learned": 12}
    best_rate = max(o["AdaGrad"]["per_rate"], key=o["AdaGrad"]["per_rate"].get)
    assert np.isclose(best_rate, 10 ** 0.5)                       # ε = 3.2
    text = findings.report_robustness(r)
    assert "learned    no rate to tune: passes 12 of 19" in text


def momentum_step(theta, v, g, lr, alpha):
    v = alpha * v - lr * g
    return theta + v, v


def test_your_optimizer_matches_the_librarys():
    mine = spec("my momentum", lambda lr: from_step(momentum_step, lr=lr, alpha=0.9, v=0.0),
                separable=True)
    r = your_code.compute_yours(mine)
    assert r["agree"] and r["runs"] == 144 and r["passed"] == ["bowl", "abs", "line", "rotated"]
    assert "every run gives the same final loss as the library's momentum" in \
        your_code.report_yours(r)
    with pytest.raises(ValueError, match="must be an OptimizerSpec"):
        your_code.compute_yours(momentum_step)


# --- §4 hypergradient descent -------------------------------------------------------------------
def test_hypergradient_demo():
    rise, fall = hypergradient.compute_rise(), hypergradient.compute_fall()
    at = rise["rate_at"]
    assert at[1] == 1e-3                                           # g₀ = 0: the first step is SGD
    assert round(at[10] / 1e-3) == 169 and round(rise["rise"]) == 172
    assert rise["hd"][-1] < 1e-8 and round(rise["slow"][-1]) == 11
    assert np.isclose(rise["best_lr"], 2 / 3)                      # 2/(λ_max + λ_min)
    assert rise["best"][-1] < rise["hd"][-1]                       # it does not find the best
    assert round(fall["final_rate"], 2) == 1.53 and fall["hd_loss"] < 1e-15
    text = hypergradient.report_hypergradient(rise, fall)
    assert "ε after 1, 5, 10, 60 steps: 0.001, 0.14, 0.169, 0.172 (172 times ε₀)" in text
    s = hypergradient.compute_start_robustness()
    assert s["counts"] == {"SGD": {"bowl": 4, "cliff": 4, "ridge": 3, "bowl × 1000": 1},
                           "SGD-HD": {"bowl": 8, "cliff": 7, "ridge": 3, "bowl × 1000": 1}}
    assert 1000 ** 2 == 1e6                      # g_t·g_{t−1} at scale 1000: a million times


# --- §5 learning to learn -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def meta():
    return learning.compute_meta_training()


def test_meta_training(meta):
    import inspect

    from course_lib.learned import meta_train, random_quadratics, training_family
    from course_lib.learned.rule import RHO1, RHO2
    q = meta["readable"]
    # the family and the meta-optimizer the notebook describes
    defaults = inspect.signature(random_quadratics).parameters
    assert defaults["lam_range"].default == (0.1, 10.0)            # two decades of curvature
    assert defaults["scale_range"].default == (0.01, 10.0)         # three more of scale
    batch = training_family()(0)
    assert (batch.size, batch.dim) == (16, 8) and (RHO1, RHO2) == (0.9, 0.99)
    knobs = inspect.signature(meta_train).parameters
    assert [knobs[k].default for k in ("iterations", "steps", "pairs", "lr")] == [150, 40, 8, 0.05]
    assert meta["iterations"] == 150 and meta["steps"] == 40
    assert meta["unrolls"] == 2 * 8 * 151
    assert round(meta["train"][0], 2) == -0.36 and round(meta["train"][-1], 2) == -2.62
    assert round(meta["held_out"][-1], 2) == -2.65
    assert (round(q["eta"], 2), round(q["a"], 2), round(q["p"], 2)) == (1.22, 0.82, 0.78)
    assert round(q["eta"] * q["c"], 1) == 13.3


def test_what_phi_learned(meta):
    rule = learning.compute_rule({"SGD": 0.032, "momentum": 0.056, "Adam": 0.32})
    q = rule["readable"]
    assert abs(rule["slope"] - (1 - q["p"])) < 0.005 and round(rule["slope"], 2) == 0.22
    g = rule["g"]
    low, high = rule["learned"][np.argmin(np.abs(g - 1e-4))], rule["learned"][
        np.argmin(np.abs(g - 1e4))]
    assert high / low < 60                                   # eight decades of g, < 60× in step
    assert np.all(rule["learned"] <= q["eta"] * q["c"] + 1e-12)   # the clip η·c


@pytest.fixture(scope="module")
def race():
    return learning.compute_race()


def test_the_race(race):
    s = race["summary"]

    def mean(fam, who):
        return round(next(v["mean"] for k, v in s[fam].items() if k.startswith(who)), 2)

    assert race["rates"] == {"SGD": pytest.approx(10 ** -1.5), "momentum":
                             pytest.approx(10 ** -1.25), "Adam": pytest.approx(10 ** -0.5)}
    fam = "held-out quadratics"
    assert race["leader"][fam] == "learned" and race["leader"]["small regressions"] == "learned"
    assert (mean(fam, "learned"), mean(fam, "Adam"), mean(fam, "momentum"),
            mean(fam, "SGD, ε = 0.01")) == (-3.96, -2.35, -1.45, -0.47)
    assert mean("small regressions", "learned") == -3.29
    assert mean("small regressions", "momentum") == -2.02
    long = "held-out quadratics, 200 steps"
    assert race["leader"][long].startswith("Adam") and mean(long, "Adam") == -9.58
    assert mean(long, "learned") == -5.46
    learned_long = s[long]["learned"]
    assert (round(learned_long["low"], 2), round(learned_long["high"], 2)) == (-6.82, -3.96)
    wide = "50-D quadratics, 200 steps"
    assert mean(wide, "learned") == -1.6 and mean(wide, "Adam") == -9.47
    assert mean(wide, "SGD, ε = 0.032") == -1.45
    assert mean(wide, "learned") < mean(wide, "SGD, ε = 0.032")      # barely ahead of SGD


def test_figures_draw(sweep, noise, meta, race):
    import matplotlib.pyplot as plt
    figs = [gallery.figure_shapes(), gallery.figure_noise(noise), gallery.figure_combinations(),
            matrix.figure_matrix(sweep), findings.figure_robustness(
                findings.compute_robustness(sweep)),
            hypergradient.figure_rise(hypergradient.compute_rise()), learning.figure_meta(meta),
            learning.figure_race(race), learning.figure_rule(learning.compute_rule(race["rates"]))]
    assert all(f.axes for f in figs)
    plt.close("all")
