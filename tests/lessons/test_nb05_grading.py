"""Notebook 05 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import assert_graded, grade_three_students  # noqa: E402

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
    rows = grade_three_students(tmp_path, NAME, MISTAKES, seed=5)
    auto = {"glorot_uniform": 3, "output_variance": 1, "trainable_scale": 2}
    assert_graded(rows, auto, MISTAKES, by_hand="explain_symmetry")
