"""Notebook 03 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import csv
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import solutions, submit  # noqa: E402

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
    from course_lib.grade import grade_folder

    submit(tmp_path / "submitted", "correct", NAME, solutions(NAME))
    submit(tmp_path / "submitted", "untouched", NAME, {})
    submit(tmp_path / "submitted", "mistakes", NAME,
           {gid: source for gid, (source, _) in MISTAKES.items()})
    out = tmp_path / "grades.csv"
    grade_folder(tmp_path / "submitted", out, jobs=2, seed=3)
    rows = {(r["student"], r["exercise"]): r for r in csv.DictReader(out.open(encoding="utf-8"))}
    for exercise, points in POINTS.items():
        assert float(rows[("correct", exercise)]["points"]) == points, rows[("correct", exercise)]
        assert float(rows[("untouched", exercise)]["points"]) == 0
        wrong = rows[("mistakes", exercise)]
        assert float(wrong["points"]) == 0
        assert MISTAKES[exercise][1] in wrong["feedback"], wrong["feedback"]
    assert rows[("correct", "explain_noise_floor")]["points"] == ""     # graded by hand
