"""Notebook 09: every number it prints or its prose states, from the lesson's computations."""

import numpy as np
import pytest

from course_lib.global_opt.landscapes import course_function_1d
from course_lib.lessons.nb09_continuation_curriculum import (
    annealing_runs,
    basins,
    blur,
    curriculum_runs,
    drift,
    hints_runs,
    schedule_demo,
)
from course_lib.optim import SGD
from course_lib.run import minimize


@pytest.fixture(scope="module")
def basin_runs():
    return basins.compute_basins()


def test_basins(basin_runs):
    r = basin_runs
    assert len(r["minima"]) == 8 and r["stuck"] < 1e-10
    assert r["counts"].tolist() == [24, 32, 32, 32, 30, 37, 30, 24]
    assert r["counts"][r["best"]] == 37 and round(100 * r["share_global"]) == 15
    assert r["minima"][r["best"]] == pytest.approx(2.2296, abs=1e-4)
    text = basins.report_basins(r)
    assert "15%" in text and "← global" in text


def test_vectorised_descent_is_gradient_descent():
    f = course_function_1d()
    starts = np.array([-4.5, -3.1, 0.3, 5.0])
    fast = basins.descend_all(f, starts, 0.1, 200)
    for x0, x in zip(starts, fast, strict=True):
        assert minimize(f, SGD(lr=0.1), [x0], 200).theta[0] == pytest.approx(x, abs=1e-12)


@pytest.fixture(scope="module")
def family():
    return blur.compute_blur_family()


def test_continuation_tracks_to_the_global_minimum(family):
    r = family
    assert r["n_minima"] == [1, 1, 1, 1, 1, 2, 7, 8, 8]
    assert r["tracked"][0] == pytest.approx(0.21, abs=0.005)
    assert r["theta"] == pytest.approx(r["global_theta"], abs=1e-6)
    assert r["global_theta"] == pytest.approx(2.230, abs=5e-4)
    assert r["loss"] == pytest.approx(-1.435, abs=5e-4)
    assert r["ngev"] == 1800
    assert r["plain_end"] == pytest.approx(-3.840, abs=5e-4)
    assert r["plain_loss"] == pytest.approx(0.757, abs=5e-4)


def test_monte_carlo_table():
    r = blur.compute_monte_carlo(sigma=1.0, theta=0.5, n_samples=64)
    assert r["exact"] == pytest.approx(-0.3720, abs=5e-5)
    ses = {m: se for m, (_, se) in r["rows"].items()}
    assert [round(ses[m], 3) for m in ("plain", "antithetic", "control")] == [0.068, 0.029, 0.043]
    assert all(abs(z) < 1.2 for z in r["z"].values())          # "within about one SE"
    assert round(ses["plain"] / ses["antithetic"], 1) == 2.3      # the summary's factors
    assert round(ses["plain"] / ses["control"], 1) == 1.6


def test_convexity_threshold():
    r = blur.compute_convexity()
    assert r["threshold"] == pytest.approx(1.264, abs=5e-4)
    assert r["just_below"] < 0 < r["just_above"]
    assert np.all(r["min_curvature"][r["sigmas"] >= r["threshold"]] > 0)
    # the curvature tends to the bowl's 2·0.08 = 0.16 as σ grows
    f = course_function_1d()
    assert f.smoothed(30.0).second(np.linspace(-6, 6, 101)).min() == pytest.approx(0.16,
                                                                                 abs=1e-3)


def test_drift_failure_case():
    r = drift.compute_drift()
    for run in r["runs"].values():
        assert run["theta"] == pytest.approx(-1.583, abs=5e-4)
        assert run["loss"] == pytest.approx(-0.982, abs=5e-4)
    assert r["global_theta"] == pytest.approx(2.502, abs=5e-4)
    assert r["global_value"] == pytest.approx(-2.053, abs=5e-4)
    assert r["switch"] == pytest.approx(0.273, abs=0.01)
    f = r["f"]
    assert abs(drift.blurred_argmin(f, 0.2) - 2.5) < 0.1         # below the switch
    assert abs(drift.blurred_argmin(f, 0.35) + 1.6) < 0.1        # above it


def test_two_d_comparison():
    r = schedule_demo.compute_comparison()
    assert r["n_minima"] == 15
    assert np.allclose(r["global_theta"], [1.161, -0.996], atol=5e-4)
    assert r["min_value"] == pytest.approx(-2.547, abs=5e-4)
    rows = list(r["rows"].values())
    assert rows[0]["excess"] == pytest.approx(3.79, abs=0.005)
    assert rows[1]["excess"] == pytest.approx(1.79, abs=0.005)
    assert rows[2]["excess"] < 1e-10
    assert all(row["ngev"] == 200 for row in rows)
    assert round(np.exp(-0.5 * 0.5 ** 2 * 9), 2) == 0.32


@pytest.fixture(scope="module")
def anneal_runs():
    return annealing_runs.compute_annealing()


def test_annealing_success_rises_with_the_cooling_length(anneal_runs):
    success = [row["success"] for row in anneal_runs["rows"]]
    assert success == [0.03, 0.32, 0.83, 1.0]
    assert all(a < b for a, b in zip(success, success[1:], strict=False))
    assert anneal_runs["rows"][-1]["nfev"] / anneal_runs["rows"][0]["nfev"] == \
        pytest.approx(100_100 / 3_100)
    assert round(1000 / 30) == 33
    # logarithmic cooling: T_3000 = 2 ln 2 / ln 3002 exactly, and it is still warm
    assert anneal_runs["log_T_end"] == pytest.approx(2 * np.log(2) / np.log(3002))
    assert round(anneal_runs["log_T_end"], 3) == 0.173
    assert anneal_runs["log_success"] == 0.91


@pytest.fixture(scope="module")
def curricula():
    return curriculum_runs.compute_curricula()


def test_curricula_honest_comparison(curricula):
    r = curricula
    assert r["budget"] == 4800
    acc = {n: r["acc"][n].mean() for n in r["names"]}
    assert all(0.82 <= a < 0.83 for a in acc.values())
    spread = max(r["acc"][n].std(ddof=1) for n in r["names"])
    assert max(acc.values()) - min(acc.values()) < spread       # the same within one SD
    d = r["diff"]["self-paced"]
    assert round(d.mean(), 3) == -0.158
    assert abs(d.mean()) > 2 * d.std(ddof=1) / np.sqrt(len(d))
    assert all(r["diff"][n].mean() < 0 for n in r["names"] if n != "uniform")  # anti too
    assert r["best"] == "self-paced"
    assert min(r["lowest"], key=r["lowest"].get) == "uniform"
    assert round(r["lowest"]["uniform"], 3) == 0.436 and r["lowest_at"]["uniform"] == 480
    assert 4800 / 253 == pytest.approx(19, abs=0.1)               # "19 passes"


def test_weights_per_stage(curricula):
    r = curriculum_runs.compute_weights(curricula=curricula)
    hard = {n: r["shares"][n][:, -1] for n in r["names"]}
    target = r["target"][-1]
    assert round(target, 2) == 0.24
    assert np.allclose(hard["deterministic"][:5], [0, 0, 0, 0, 1])
    assert np.allclose(hard["stochastic"][:4], 0.25 * target)    # mix × the data's share
    assert round(0.25 * target, 2) == 0.06
    assert np.allclose(hard["uniform"], target)
    for n in ("deterministic", "stochastic", "anti-curriculum"):
        assert np.allclose(hard[n][5:], target)
    assert 0.19 <= hard["self-paced"].min() and hard["self-paced"].max() <= 0.265
    assert np.allclose([s.sum() for s in r["shares"]["stochastic"]], 1.0)


def test_hints_help_on_every_seed():
    r = hints_runs.compute_hints()
    plain, hinted = (r["runs"][label] for label in r["labels"])
    assert r["wins"] == 5
    assert round(100 * plain["acc"].mean(), 1) == 81.4
    assert round(100 * hinted["acc"].mean(), 1) == 93.9
    assert round(100 * plain["acc"].std(ddof=1), 1) == 8.2
    assert round(100 * hinted["acc"].std(ddof=1), 1) == 1.2
    assert round(plain["task"].mean(), 3) == 0.212 and round(hinted["task"].mean(), 3) == 0.070
    assert 6 < plain["acc"].std() / hinted["acc"].std() < 8      # "seven times larger"
