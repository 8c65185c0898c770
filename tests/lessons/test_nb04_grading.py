"""Notebook 04 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import EXERCISES, assert_graded, grade_three_students  # noqa: E402

NAME = "04_momentum_physics"
MISTAKES = {
    # the PyTorch convention v ← αv + g, θ ← θ − εv
    "momentum_step": ("def momentum_step(theta, v, g, lr, alpha):\n    v = alpha * v + g\n"
                      "    return theta - lr * v, v\n", "PyTorch"),
    # Nesterov that moves from the interim point
    "nesterov_step": ("def nesterov_step(theta, v, g, lr, alpha):\n    v_new = alpha * v - lr * g\n"
                      "    return theta + alpha * v + v_new, v_new\n", "interim point"),
    # α = 0.9's factor, copied from the text, for α = 0.95
    "terminal_factor": ("terminal_factor = 10\n", "too low"),
    # ε and α that miss the budget: the run spirals for long
    "tuned_momentum": ("tuned_momentum = {'lr': 0.05, 'alpha': 0.9}\n", "not met"),
    # the ringing run taken for a too-large rate, the diverging one for too much momentum
    "diagnosis": ('diagnosis = {"A": "lr too large", "B": "noisy gradients", '
                  '"C": "alpha too large", "D": "lr too small"}\n', "you said 'lr too large'"),
}


@pytest.mark.slow
def test_grading_notebook_04(tmp_path):
    rows = grade_three_students(tmp_path, NAME, MISTAKES)
    auto = {k: v for k, v in EXERCISES[NAME].items() if v is not None}
    assert set(auto) == set(MISTAKES)
    assert_graded(rows, auto, MISTAKES, by_hand="explain_drag")
