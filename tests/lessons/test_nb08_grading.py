"""Notebook 08 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import assert_graded, grade_three_students  # noqa: E402

NAME = "08_meta_algorithms"
MISTAKES = {
    "batch_norm": ("def batch_norm(H, gamma, beta, mu_run, sigma_run, training, rho, delta):\n"
                   "    mu = H.mean(axis=0)\n"
                   "    sigma = np.sqrt(delta + np.mean((H - mu) ** 2, axis=0))\n"
                   "    out = gamma * (H - mu) / sigma + beta\n"
                   "    if training:\n"
                   "        return out, rho * mu_run + (1 - rho) * mu, "
                   "rho * sigma_run + (1 - rho) * sigma\n"
                   "    return out, mu_run, sigma_run\n", "running averages"),
    "batch_norm_backward": ("def batch_norm_backward(d_out, H, gamma, delta):\n"
                            "    mu = H.mean(axis=0)\n"
                            "    sigma = np.sqrt(delta + H.var(axis=0))\n"
                            "    H_hat = (H - mu) / sigma\n"
                            "    return (gamma * d_out / sigma, (d_out * H_hat).sum(axis=0), "
                            "d_out.sum(axis=0))\n", "constants"),
    "chain_output": ("chain_output = 0.0\n", "too low"),
    "averaging_settings": ("averaging_settings = {'lr': 0.01, 'start': 0}\n", "Start it later"),
}
AUTO = {"batch_norm": 3, "batch_norm_backward": 2, "chain_output": 1, "averaging_settings": 2}


@pytest.mark.slow
def test_grading_notebook_08(tmp_path):
    rows = grade_three_students(tmp_path, NAME, MISTAKES, seed=5)
    assert_graded(rows, AUTO, MISTAKES, by_hand="explain_bn_test_time")
