"""Notebook 02 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import assert_graded, grade_three_students  # noqa: E402

NAME = "02_challenges"
MISTAKES = {
    "clip_by_norm": ("def clip_by_norm(g, threshold):\n"
                     "    return np.clip(g, -threshold, threshold)\n",
                     "by value"),
    "one_step_lr": ("one_step_lr = 2 / 9\n", "notebook 00"),
    "classify_critical_point": ("def classify_critical_point(H):\n"
                                "    d = np.diag(H)\n"
                                "    if (d > 0).all():\n"
                                "        return 'minimum'\n"
                                "    if (d < 0).all():\n"
                                "        return 'maximum'\n"
                                "    return 'saddle'\n",
                                "diagonal"),
    "cliff_settings": ("cliff_settings = {'lr': 1.0, 'threshold': 0.5, 'mode': 'off'}\n",
                       "no clipping"),
}
POINTS = {"clip_by_norm": 3, "one_step_lr": 1, "classify_critical_point": 2,
          "cliff_settings": 2}


@pytest.mark.slow
def test_grading_notebook_02(tmp_path):
    rows = grade_three_students(tmp_path, NAME, MISTAKES, seed=7)
    assert_graded(rows, POINTS, MISTAKES, by_hand="explain_growth")
