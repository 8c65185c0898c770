"""Notebook 04, exercise 5: the four broken runs show the symptoms their causes predict, the
check names what is wrong, garbage gets a clear message, and the hidden test's experiment
(try every cure on a nearby run) finds each cause, over many seeds."""

import math

import numpy as np
import pytest

from course_lib.checks.hidden import HIDDEN_CHECKS
from course_lib.lessons.nb04_momentum_physics import checks, diagnose
from course_lib.lessons.nb04_momentum_physics.checks.diagnosis import TRUTH, cause_by_running

RIGHT = {"A": "alpha too large", "B": "noisy gradients", "C": "lr too large", "D": "lr too small"}
LAM = (1.0, 20.0)                      # the κ = 20 bowl's curvatures


@pytest.fixture(scope="module")
def broken():
    return diagnose.compute_broken_runs()


def heavy_ball_radius(lr, alpha, lam):
    """max |z| over the directions, z² − (1 + α − ελ)z + α = 0 (section 4)."""
    return max(max(abs(np.roots([1.0, -(1 + alpha - lr * x), alpha]))) for x in lam)


def test_each_run_is_broken_the_way_its_cause_says(broken):
    s, runs = diagnose.RUNS, broken["runs"]
    assert TRUTH == RIGHT and set(TRUTH.values()) == set(diagnose.CAUSES)
    # C: past the stability limit ε < 2(1 + α)/λ_max in the steep direction
    assert s["C"]["lr"] * LAM[1] > 2 * (1 + s["C"]["alpha"])
    assert heavy_ball_radius(s["C"]["lr"], s["C"]["alpha"], LAM) > 1
    assert runs["C"]["stop_reason"] == "diverged"
    # A: stable but barely damped, |z| = √α = 0.995 in both directions (complex roots)
    assert heavy_ball_radius(s["A"]["lr"], s["A"]["alpha"], LAM) == pytest.approx(
        math.sqrt(0.99), rel=1e-9)
    a = runs["A"]["losses"]
    assert np.sum(np.diff(a) > 0) > 60                           # it goes up and down
    peaks = [a[i] for i in range(1, len(a) - 1) if a[i - 1] < a[i] > a[i + 1]]
    assert 0.1 < peaks[-1] / peaks[0] < 0.5                      # ≈ 0.99^200 of the way
    # D: overdamped (real roots) and creeping: monotone, still far from the minimum
    d = runs["D"]["losses"]
    assert np.all(np.diff(d) < 0) and d[-1] > 1e-3 * d[0]
    assert s["D"]["lr"] / (1 - s["D"]["alpha"]) == pytest.approx(0.005)
    # B: the same problem without noise converges; with σ = 2 the loss stays on its floor
    b = runs["B"]["losses"]
    assert diagnose.cured(diagnose.run_broken({**s["B"], "sigma": 0.0}))
    assert 0.05 < b[50:].mean() < 1.0 and np.sum(np.diff(b[50:]) > 0) > 50


def test_the_printed_table(broken):
    text = diagnose.report_broken_runs(broken)
    assert "J(θ₀) = 89.6" in text
    assert "stopped: J > 1e12" in text.splitlines()[4]          # run C, at k = 200
    assert text.splitlines()[2].split()[0] == "A"


@pytest.mark.parametrize("answer, wrong", [
    ({"A": "lr too large", "B": "noisy gradients", "C": "alpha too large",
      "D": "lr too small"}, ["A", "C"]),
    ({"A": "alpha too large", "B": "lr too small", "C": "lr too large",
      "D": "noisy gradients"}, ["B", "D"]),
])
def test_wrong_diagnoses_say_why_and_where_to_look(answer, wrong):
    result = checks.check_diagnosis(answer)
    assert result.status == "failed" and result.details["wrong"] == wrong
    for letter in wrong:
        assert f"run {letter}: you said {answer[letter]!r}" in result.message
        assert f"Look again: run {letter}'s loss" in result.message
    assert "2 of 4 runs right" in result.message


def test_the_right_answer_passes_in_any_spelling():
    assert checks.check_diagnosis(RIGHT).passed
    spelled = {"a": "α too large", "B": "noise", "C ": "ε too large",
               "D": "Learning rate too small"}
    assert checks.check_diagnosis(spelled).passed


@pytest.mark.parametrize("answer, status, words", [
    (None, "not done yet", "not done yet"),
    (..., "not done yet", "not done yet"),
    ("A: alpha too large", "error", "should be a dict"),
    ({"A": "alpha too large", "B": "noise", "C": "lr too large"}, "error", "missing runs ['D']"),
    ({**RIGHT, "E": "noise"}, "error", "unknown runs ['E']"),
    ({**RIGHT, "A": 3}, "error", "is not one of the causes"),
    ({**RIGHT, "A": "bad luck"}, "error", "is not one of the causes"),
])
def test_garbage_gets_a_clear_message(answer, status, words):
    result = checks.check_diagnosis(answer)
    assert result.status == status and words in result.message, result.message
    hidden = checks.check_diagnosis_by_running(answer, seed=1)
    assert hidden.status == status and "hidden test" in hidden.message


def test_the_hidden_test_is_registered_and_passes_the_right_answer():
    assert "check_diagnosis_by_running" in HIDDEN_CHECKS
    result = checks.check_diagnosis_by_running(RIGHT, seed=3)
    assert result.passed and "seed 3" in result.message
    wrong = checks.check_diagnosis_by_running({**RIGHT, "A": "lr too large",
                                               "C": "alpha too large"}, seed=3)
    assert not wrong.passed and wrong.details["wrong"] == ["A", "C"]
    assert "with ε ÷ 4 (the cure of 'lr too large') it still does not converge" in wrong.message


@pytest.mark.parametrize("seed", range(6))
def test_the_experiment_finds_every_cause_on_nearby_runs(seed):
    # exactly one cure repairs each run, from a nearby start and with fresh noise
    rng = np.random.default_rng(1000 + seed)
    for letter in diagnose.RUNS:
        assert cause_by_running(letter, rng) == TRUTH[letter], (seed, letter)


def test_nearby_starts_keep_a_share_of_the_flat_direction():
    f = diagnose.landscape(diagnose.FUNCTION)
    flat = f.Q[:, np.argmin(f.eigenvalues)]
    rng = np.random.default_rng(0)
    for _ in range(200):
        start = diagnose.nearby_start(rng)
        assert abs(start @ flat) / np.linalg.norm(start) > 0.15
