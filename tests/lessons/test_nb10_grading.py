"""Notebook 10 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import assert_graded, grade_three_students  # noqa: E402

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
    rows = grade_three_students(tmp_path, NAME, MISTAKES, seed=5)
    auto = {"passes": 3, "adagrad_diagnosis": 2, "hypergradient_step": 3, "passing": 2}
    assert_graded(rows, auto, MISTAKES, by_hand="explain_learned")
