"""Notebook 03 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import assert_graded, grade_three_students  # noqa: E402

NAME = "03_sgd_schedules"
MISTAKES = {
    "sgd_schedule_step": ("def sgd_schedule_step(theta, k, g, eps0, eps_tau, tau):\n"
                          "    k = k + 1\n    a = k / tau\n"
                          "    return theta - ((1 - a) * eps0 + a * eps_tau) * g, k\n",
                          "a = min(k/τ, 1)"),
    "updates_in_three_epochs": ("updates_in_three_epochs = 93\n", "too low"),
    # the explorer's default schedule, recorded as if it met the target
    "tuned_schedule": ("tuned_schedule = {'eps0': 0.1, 'eps_tau': 0.001, 'tau': 800}\n",
                       "left unfinished"),
    # the rate that looks best after 100 iterations
    "chosen_eps0": ("chosen_eps0 = 0.05\n", "looks best after 100 iterations"),
}
POINTS = {"sgd_schedule_step": 3, "updates_in_three_epochs": 1, "tuned_schedule": 2,
          "chosen_eps0": 2}


@pytest.mark.slow
def test_grading_notebook_03(tmp_path):
    rows = grade_three_students(tmp_path, NAME, MISTAKES, seed=3)
    assert_graded(rows, POINTS, MISTAKES, by_hand="explain_noise_floor")
