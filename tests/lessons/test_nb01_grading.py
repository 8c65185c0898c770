"""Notebook 01 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import assert_graded, grade_three_students  # noqa: E402

NAME = "01_risk_minimization"
MISTAKES = {
    # j is not reset after an improvement: patience counted since the start
    "early_stopping_point": (
        "def early_stopping_point(val_losses, patience):\n"
        "    v, j, best = float('inf'), 0, 0\n"
        "    for i, value in enumerate(val_losses):\n"
        "        if value < v:\n"
        "            v, best = value, i\n"
        "        else:\n"
        "            j += 1\n"
        "        if j >= patience:\n"
        "            return best, i\n"
        "    return best, len(val_losses) - 1\n", "j kept growing across improvements"),
    # impatient: halts on the first bump of the validation curve
    "patience": ("patience = 1\n", "noise bump"),
    # all the capacity there is, and the whole training set at every step
    "capacity_settings": ("capacity_settings = {'degree': 20, 'batch_size': 'all'}\n",
                          "too much capacity"),
}
POINTS = {"early_stopping_point": 3, "patience": 2, "capacity_settings": 2}


@pytest.mark.slow
def test_grading_notebook_01(tmp_path):
    rows = grade_three_students(tmp_path, NAME, MISTAKES)
    assert_graded(rows, POINTS, MISTAKES, by_hand="explain_surrogate")
