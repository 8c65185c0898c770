"""Notebook 05 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import csv
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import solutions, submit  # noqa: E402

NAME = "05_initialization"
MISTAKES = {
    "glorot_uniform": ("def glorot_uniform(n_in, n_out, seed):\n"
                       "    rng = np.random.default_rng(seed)\n"
                       "    limit = np.sqrt(6.0 / n_in)\n"
                       "    return rng.uniform(-limit, limit, size=(n_in, n_out))\n",
                       "fan-in only"),
    "output_variance": ("output_variance = 1.2 ** 10\n", "standard deviation"),
    "trainable_scale": ("trainable_scale = {'scale': 1.0}\n", "raise s"),
}


@pytest.mark.slow
def test_grading_notebook_05(tmp_path):
    from course_lib.grade import grade_folder

    answers = solutions(NAME)
    submit(tmp_path / "submitted", "correct", NAME, answers)
    submit(tmp_path / "submitted", "untouched", NAME, {})
    submit(tmp_path / "submitted", "mistakes", NAME,
           {gid: source for gid, (source, _) in MISTAKES.items()})
    out = tmp_path / "grades.csv"
    grade_folder(tmp_path / "submitted", out, jobs=2, seed=5)
    rows = {(r["student"], r["exercise"]): r for r in csv.DictReader(out.open(encoding="utf-8"))}
    auto = {"glorot_uniform": 3, "output_variance": 1, "trainable_scale": 2}
    for exercise, points in auto.items():
        assert float(rows[("correct", exercise)]["points"]) == points, rows[("correct", exercise)]
        assert float(rows[("untouched", exercise)]["points"]) == 0
        wrong = rows[("mistakes", exercise)]
        assert float(wrong["points"]) == 0
        assert MISTAKES[exercise][1] in wrong["feedback"], wrong["feedback"]
    assert rows[("correct", "explain_symmetry")]["points"] == ""        # graded by hand
