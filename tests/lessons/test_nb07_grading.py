"""Notebook 07 through the grader: the solutions get full points, the untouched learner
notebook 0, and one typical mistake per exercise 0 with its diagnosis in the feedback."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import EXERCISES, assert_graded, grade_three_students  # noqa: E402

NAME = "07_second_order"
MISTAKES = {
    # the right numbers through an explicit inverse
    "newton_step": ("def newton_step(theta, g, H, alpha):\n"
                    "    return theta - np.linalg.inv(H + alpha * np.eye(len(g))) @ g\n",
                    "forms the inverse matrix"),
    # steepest descent with exact steps instead of conjugate directions (β = 0)
    "linear_cg": ("def linear_cg(A, b, x0, tol):\n    x = np.array(x0, dtype=float)\n"
                  "    directions = []\n    r = A @ x - b\n"
                  "    while np.linalg.norm(r) > tol * np.linalg.norm(b) and "
                  "len(directions) < 10 * len(b):\n"
                  "        d = -r\n        eta = (r @ r) / (d @ A @ d)\n"
                  "        x = x + eta * d\n        r = A @ x - b\n        directions.append(d)\n"
                  "    return x, directions\n", "A-conjugate"),
    # the two loops in the wrong order
    "two_loop": ("def two_loop(g, s_list, y_list):\n    q = np.array(g, dtype=float)\n"
                 "    if not s_list:\n        return -q\n"
                 "    rhos = [1.0 / (y @ s) for s, y in zip(s_list, y_list)]\n"
                 "    alphas = [0.0] * len(s_list)\n    for i in range(len(s_list)):\n"
                 "        alphas[i] = rhos[i] * (s_list[i] @ q)\n"
                 "        q = q - alphas[i] * y_list[i]\n"
                 "    r = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1]) * q\n"
                 "    for i in reversed(range(len(s_list))):\n"
                 "        beta = rhos[i] * (y_list[i] @ r)\n"
                 "        r = r + s_list[i] * (alphas[i] - beta)\n    return -r\n",
                 "loops run in the wrong order"),
    # the matrix's size instead of its distinct eigenvalues
    "cg_iterations": ("cg_iterations = 1000\n", "too high"),
    # no damping: Newton ends on the saddle
    "tuned_alpha": ("tuned_alpha = {'alpha': 0.0}\n", "converged to the saddle"),
}


@pytest.mark.slow
def test_grading_notebook_07(tmp_path):
    rows = grade_three_students(tmp_path, NAME, MISTAKES)
    auto = {k: v for k, v in EXERCISES[NAME].items() if v is not None}
    assert set(auto) == set(MISTAKES)
    assert_graded(rows, auto, MISTAKES, by_hand="explain_newton_scale")
