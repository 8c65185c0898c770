"""Notebook 09 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import assert_graded, grade_three_students  # noqa: E402

NAME = "09_continuation_curriculum"
MISTAKES = {
    "continuation_stage": ("def continuation_stage(grad, theta, sigma, z, lr, steps):\n"
                           "    theta = np.array(theta, dtype=float)\n"
                           "    for _ in range(steps):\n"
                           "        theta = theta - lr * grad(theta + z).mean(axis=0)\n"
                           "    return theta\n", "σz"),
    "metropolis_accept": ("def metropolis_accept(delta, T, u):\n"
                          "    return bool(delta < 0 or (delta > 0 and u < np.exp(-delta / T)))\n",
                          "ΔJ = 0"),
    "basin_minimum": ("basin_minimum = -3.84\n", "nearest"),
    "sigma_schedule": ("sigma_schedule = {'sigma0': 2.0, 'n_stages': 5, 'steps': 60, "
                       "'shape': 'linear'}\n", "budget"),
}
POINTS = {"continuation_stage": 3, "metropolis_accept": 2, "basin_minimum": 1,
          "sigma_schedule": 2}


@pytest.mark.slow
def test_grading_notebook_09(tmp_path):
    rows = grade_three_students(tmp_path, NAME, MISTAKES, seed=9)
    assert_graded(rows, POINTS, MISTAKES, by_hand="explain_curriculum")
