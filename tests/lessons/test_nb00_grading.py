"""Notebook 00 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import csv
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import solutions, submit  # noqa: E402

NAME = "00_start_here"
MISTAKES = {
    "gd_step": ("def gd_step(theta, g, lr):\n    return theta + lr * g\n", "uphill"),
    # the κ = 10 bowl's limit, copied from the text, on the exercise's λ_max = 25 bowl
    "largest_lr": ("largest_lr = 0.2\n", "too high"),
    "same_rate_lr": ("same_rate_lr = 2 / 11\n", "the best ε = 2/(λ_min+λ_max)"),
}


@pytest.mark.slow
def test_grading_notebook_00(tmp_path):
    from course_lib.grade import grade_folder

    submit(tmp_path / "submitted", "correct", NAME, solutions(NAME))
    submit(tmp_path / "submitted", "untouched", NAME, {})
    submit(tmp_path / "submitted", "mistakes", NAME,
           {gid: source for gid, (source, _) in MISTAKES.items()})
    out = tmp_path / "grades.csv"
    grade_folder(tmp_path / "submitted", out, jobs=2, seed=11)
    rows = {(r["student"], r["exercise"]): r for r in csv.DictReader(out.open(encoding="utf-8"))}
    for exercise, points in {"gd_step": 2, "largest_lr": 1, "same_rate_lr": 1}.items():
        assert float(rows[("correct", exercise)]["points"]) == points, rows[("correct", exercise)]
        assert float(rows[("untouched", exercise)]["points"]) == 0
        wrong = rows[("mistakes", exercise)]
        assert float(wrong["points"]) == 0
        assert MISTAKES[exercise][1] in wrong["feedback"], wrong["feedback"]
    assert rows[("correct", "explain_zigzag")]["points"] == ""          # graded by hand
