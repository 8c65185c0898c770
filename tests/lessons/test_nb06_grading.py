"""Notebook 06 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import EXERCISES, assert_graded, grade_three_students  # noqa: E402

NAME = "06_adaptive_rates"
MISTAKES = {
    # δ under the root: RMSProp's form in AdaGrad
    "adagrad_step": ("def adagrad_step(theta, r, g, lr, delta):\n    r = r + g * g\n"
                     "    return theta - lr / np.sqrt(delta + r) * g, r\n", "RMSProp's form"),
    # the whole g ⊙ g added to the average
    "rmsprop_step": ("def rmsprop_step(theta, r, g, lr, rho, delta):\n    r = rho * r + g * g\n"
                     "    return theta - lr / np.sqrt(delta + r) * g, r\n", "weight (1 − ρ)"),
    # t increased after the corrections
    "adam_step": ("def adam_step(theta, s, r, t, g, lr, rho1, rho2, delta):\n"
                  "    s = rho1 * s + (1 - rho1) * g\n    r = rho2 * r + (1 - rho2) * g * g\n"
                  "    s_hat = s / (1 - rho1 ** t)\n    r_hat = r / (1 - rho2 ** t)\n"
                  "    return theta - lr * s_hat / (np.sqrt(r_hat) + delta), s, r, t + 1\n",
                  "increase t first"),
    # the uncorrected first step, (1 − ρ₁)/√(1 − ρ₂)·ε
    "adam_first_step": ("first_step = 0.00316\n", "without the bias correction"),
    # a per-parameter method on the rotated bowl
    "tuned_run": ("tuned_run = {'method': 'RMSProp', 'lr_adaptive': 0.0316227766017, "
                  "'lr_sgd': 0.001, 'rho': 0.9, 'alpha': 0.9, 'rho1': 0.9, 'rho2': 0.999, "
                  "'bias_correction': True}\n", "no rate per parameter can undo the rotation"),
}


@pytest.mark.slow
def test_grading_notebook_06(tmp_path):
    rows = grade_three_students(tmp_path, NAME, MISTAKES)
    auto = {k: v for k, v in EXERCISES[NAME].items() if v is not None}
    assert set(auto) == set(MISTAKES)
    assert_graded(rows, auto, MISTAKES, by_hand="explain_adagrad_stall")
