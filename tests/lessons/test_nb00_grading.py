"""Notebook 00 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import assert_graded, grade_three_students  # noqa: E402

NAME = "00_start_here"
MISTAKES = {
    "gd_step": ("def gd_step(theta, g, lr):\n    return theta + lr * g\n", "uphill"),
    # the κ = 10 bowl's limit, copied from the text, on the exercise's λ_max = 25 bowl
    "largest_lr": ("largest_lr = 0.2\n", "too high"),
    "same_rate_lr": ("same_rate_lr = 2 / 11\n", "the best ε = 2/(λ_min+λ_max)"),
}


@pytest.mark.slow
def test_grading_notebook_00(tmp_path):
    rows = grade_three_students(tmp_path, NAME, MISTAKES)
    assert_graded(rows, {"gd_step": 2, "largest_lr": 1, "same_rate_lr": 1}, MISTAKES,
                  by_hand="explain_zigzag")
