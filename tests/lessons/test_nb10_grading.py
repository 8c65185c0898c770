"""Notebook 10 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import csv
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import solutions, submit  # noqa: E402

NAME = "10_testing_optimizers"
MISTAKES = {
    "passes": ("def passes(theta, loss):\n"
               "    return bool(loss < -0.1)\n", "local minimum"),
    "adagrad_diagnosis": ('adagrad_cause = "a"\nadagrad_steps = 25\n', "nothing diverges"),
    "hypergradient_step": ("def hypergradient_step(theta, lr, g_prev, g, beta):\n"
                           "    lr = lr - beta * np.dot(g, g_prev)\n"
                           "    return theta - lr * g, lr, g\n", "wrong way"),
    "passing": ('passing = ["SGD", "Adam"]\n', "verdicts are wrong"),
}


@pytest.mark.slow
def test_grading_notebook_10(tmp_path):
    from course_lib.grade import grade_folder

    answers = solutions(NAME)
    submit(tmp_path / "submitted", "correct", NAME, answers)
    submit(tmp_path / "submitted", "untouched", NAME, {})
    submit(tmp_path / "submitted", "mistakes", NAME,
           {gid: source for gid, (source, _) in MISTAKES.items()})
    out = tmp_path / "grades.csv"
    grade_folder(tmp_path / "submitted", out, jobs=2, seed=5)
    rows = {(r["student"], r["exercise"]): r for r in csv.DictReader(out.open(encoding="utf-8"))
            if r["notebook"] == NAME}
    auto = {"passes": 3, "adagrad_diagnosis": 2, "hypergradient_step": 3, "passing": 2}
    for exercise, points in auto.items():
        assert float(rows[("correct", exercise)]["points"]) == points, rows[("correct", exercise)]
        assert float(rows[("untouched", exercise)]["points"]) == 0
        wrong = rows[("mistakes", exercise)]
        assert float(wrong["points"]) == 0
        assert MISTAKES[exercise][1] in wrong["feedback"], wrong["feedback"]
    assert rows[("correct", "explain_learned")]["points"] == ""        # graded by hand
