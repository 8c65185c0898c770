"""Unearned credit (issue 18, items 1-4): a corpus of adversarial answers that must score 0
or be flagged. Item 1: routes to a forbidden inverse or solver, however named, are read
from the source (``course_lib.grade.static_check``) and score 0 with their line; the honest
solutions of every notebook still pass."""

import csv
import re
import sys
from pathlib import Path

import pytest

from course_lib import lessons
from course_lib.grade import grade_folder, static_check
from course_lib.grade.exercises import load_sources

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from grading_corpus import solutions, submit  # noqa: E402

NB07 = "07_second_order"
NEWTON = "def newton_step(theta, g, H, alpha):\n"
CG = "def linear_cg(A, b, x0, tol):\n"

# Each answer reaches an inverse (newton_step) by a route a runtime spy would miss or could
# be tricked on; each must be read as forbidden. Variants per kind.
INVERSE_ROUTES = {
    "inv": NEWTON + "    return theta - np.linalg.inv(H + alpha * np.eye(len(g))) @ g\n",
    "from-import alias": "from numpy.linalg import inv as f\n" + NEWTON
                         + "    return theta - f(H) @ g\n",
    "module alias": "L = np.linalg\n" + NEWTON + "    return theta - L.inv(H) @ g\n",
    "module alias in a dict": NEWTON + "    return theta - {'k': np.linalg}['k'].inv(H) @ g\n",
    "import as": "import numpy.linalg as la\n" + NEWTON + "    return theta - la.pinv(H) @ g\n",
    "from numpy import linalg": "from numpy import linalg\n" + NEWTON
                                + "    return theta - linalg.tensorinv(H, ind=1) @ g\n",
    "default argument": NEWTON.replace("alpha)", "alpha, f=np.linalg.inv)")
                        + "    return theta - f(H) @ g\n",
    "lambda default": "f = lambda M, i=np.linalg.pinv: i(M)\n" + NEWTON
                      + "    return theta - f(H) @ g\n",
    "getattr + string building": NEWTON
        + "    return theta - getattr(np.linalg, 'in' + 'v')(H) @ g\n",
    "nested getattr": NEWTON + "    return theta - getattr(getattr(np, 'lin' + 'alg'), 'inv')(H)"
                               " @ g\n",
    "__import__": NEWTON + "    return theta - __import__('numpy.linalg').linalg.inv(H) @ g\n",
    "importlib": "import importlib\n" + NEWTON
                 + "    return theta - importlib.import_module('numpy.linalg').pinv(H) @ g\n",
    "vars": NEWTON + "    return theta - vars(np)['lin' 'alg'].pinv(H) @ g\n",
    "__dict__": NEWTON + "    return theta - np.__dict__['linalg'].__dict__['inv'](H) @ g\n",
    "globals": NEWTON + "    return theta - globals()['np'].linalg.inv(H) @ g\n",
    "__builtins__": NEWTON + "    return theta - __builtins__['getattr'](np, 'x')(H) @ g\n",
    "eval": NEWTON + "    return theta - eval('np.lin' + 'alg.inv')(H) @ g\n",
    "exec": "exec('from numpy.linalg import inv as f')\n" + NEWTON
            + "    return theta - f(H) @ g\n",
    "compile": "code = compile('1', 'x', 'eval')\n" + NEWTON + "    return theta\n",
    "private module": NEWTON + "    return theta - np.linalg._umath_linalg.inv(H, signature='d->d')"
                               " @ g\n",
    "numpy.linalg.linalg": "import numpy.linalg.linalg as m\n" + NEWTON
                           + "    return theta - m.inv(H) @ g\n",
    "numpy.core": NEWTON + "    return theta - np.core.linalg.inv(H) @ g\n",
    "sys.modules": "import sys\n" + NEWTON
                   + "    return theta - sys.modules['numpy.linalg'].inv(H) @ g\n",
    "operator.attrgetter": "import operator\n" + NEWTON
                           + "    return theta - operator.attrgetter('linalg.inv')(np)(H) @ g\n",
    "scipy.linalg": "import scipy.linalg\n" + NEWTON
                    + "    return theta - scipy.linalg.inv(H) @ g\n",
    "scipy.sparse.linalg": "from scipy.sparse.linalg import spsolve as s\n" + NEWTON
                           + "    return theta - s(H, g)\n",
    "np.matrix(...).I": NEWTON + "    return theta - np.asarray(np.matrix(H).I @ g).ravel()\n",
    "matrix ** -1": NEWTON + "    M = np.asmatrix(H)\n"
                    "    return theta - np.asarray(M ** -1 @ g).ravel()\n",
    "matrix_power(-1)": NEWTON + "    return theta - np.linalg.matrix_power(H, -1) @ g\n",
    "matrix_power(k)": NEWTON + "    k = -1\n    return theta - np.linalg.matrix_power(H, k) @ g\n",
    "solve(H, eye)": NEWTON + "    return theta - np.linalg.solve(H, np.eye(len(g))) @ g\n",
    "solve(H, I) by name": NEWTON + "    I = np.eye(len(g))\n"
                           "    return theta - np.linalg.solve(H + alpha * I, I) @ g\n",
    "lstsq(H, identity)": NEWTON + "    return theta - np.linalg.lstsq(H, np.identity(len(g)), "
                                   "rcond=None)[0] @ g\n",
    "solve aliased": NEWTON + "    s = np.linalg.solve\n    return theta - s(H, np.eye(2)) @ g\n",
    # an identity (or another matrix) built by hand as the right-hand side (dataflow)
    "fill_diagonal identity": NEWTON + "    n = len(g)\n    M = np.zeros((n, n))\n"
                              "    np.fill_diagonal(M, 1.0)\n"
                              "    return theta - np.linalg.solve(H + alpha * np.eye(n), M) @ g\n",
    "H * 0 filled in a loop": NEWTON + "    M = H * 0\n    for i in range(len(g)):\n"
                              "        M[i, i] = 1\n    return theta - np.linalg.solve(H, M) @ g\n",
    "copy zeroed, flat diagonal": NEWTON + "    M = H.copy()\n    M[:] = 0\n"
                                  "    M.flat[::len(g) + 1] = 1\n"
                                  "    return theta - np.linalg.solve(H, M) @ g\n",
    "eye + 0 * g": NEWTON + "    return theta - np.linalg.solve(H, np.eye(len(g)) + 0 * g) @ g\n",
    "identity by keyword": NEWTON + "    I = np.identity(g.size)\n"
                           "    return theta - np.linalg.solve(a=H, b=I) @ g\n",
    "outer of ones": NEWTON + "    e = np.ones(len(g))\n"
                     "    return theta - np.linalg.solve(H, np.outer(e, e)) @ g\n",
    "helper builds it": "def basis(x):\n    return np.eye(len(x))\n" + NEWTON
                        + "    return theta - np.linalg.solve(H, basis(g)) @ g\n",
    "walrus": NEWTON + "    if (M := np.full(H.shape, 0.0)) is not None:\n"
              "        M[np.diag_indices(len(g))] = 1\n"
              "    return theta - np.linalg.lstsq(H, M, rcond=None)[0] @ g\n",
    "eigh rebuilds it": NEWTON + "    w, V = np.linalg.eigh(H)\n"
                        "    return theta - V @ ((V.T @ g) / w)\n",
    "svd rebuilds it": NEWTON + "    U, s, Vt = np.linalg.svd(H)\n"
                       "    return theta - Vt.T @ ((U.T @ g) / s)\n",
    "__subclasses__": NEWTON + "    x = ().__class__.__base__.__subclasses__()\n    return theta\n",
    "frames": NEWTON + "    f = (x for x in [1]).gi_frame.f_back\n    return theta\n",
    "match class pattern": NEWTON + "    match np:\n        case object(linalg=L):\n"
                           "            return theta - L.inv(H) @ g\n",
    "pickle via np.load": NEWTON + "    f = np.load('f.npy', allow_pickle=True)\n"
                          "    return theta\n",
    "star import": "from numpy.linalg import *\n" + NEWTON + "    return theta - inv(H) @ g\n",
    "replace the spy (builtins)": "import builtins\n" + NEWTON + "    return theta\n",
    "relative import": "from . import x\n" + NEWTON + "    return theta\n",
}
SOLVER_ROUTES = {     # linear_cg / two_loop: no solver at all
    "solve + one CG-looking step": CG + "    x = np.linalg.solve(A, b)\n"
                                   "    return x, [b - A @ x0]\n",
    "lstsq": CG + "    return np.linalg.lstsq(A, b, rcond=None)[0], [b - A @ x0]\n",
    "cholesky + triangular solves": CG + "    L = np.linalg.cholesky(A)\n    return L, []\n",
    "from-import solve": "from numpy.linalg import solve as cg\n" + CG
                         + "    return cg(A, b), [b - A @ x0]\n",
    "tensorsolve": CG + "    return np.linalg.tensorsolve(A, b), [b]\n",
    "qr": CG + "    Q, R = np.linalg.qr(A)\n    return Q, []\n",
    "eigh": CG + "    w, V = np.linalg.eigh(A)\n    return V @ ((V.T @ b) / w), [b]\n",
    "scipy cg": "from scipy.sparse.linalg import cg\n" + CG + "    return cg(A, b)[0], [b]\n",
    "aliased module": CG + "    la = np.linalg\n    return la.solve(A, b), [b]\n",
}


@pytest.mark.parametrize("kind", sorted(INVERSE_ROUTES))
def test_every_route_to_an_inverse_is_read_as_forbidden(kind):
    source = INVERSE_ROUTES[kind]
    found = static_check.check(source, static_check.INVERSE)
    assert found, kind
    text = static_check.feedback(found, static_check.INVERSE)
    assert f"line {found[0].line} of your answer cell" in text and "0 points" in text
    assert found[0].code in source


@pytest.mark.parametrize("kind", sorted(SOLVER_ROUTES))
def test_every_solver_is_read_as_forbidden_in_cg(kind):
    found = static_check.check(SOLVER_ROUTES[kind], static_check.LINEAR_ALGEBRA)
    assert found, kind
    assert "line" in static_check.feedback(found, static_check.LINEAR_ALGEBRA)


def test_the_feedback_names_the_function_and_the_line():
    found = static_check.check(INVERSE_ROUTES["from-import alias"], static_check.INVERSE)
    text = static_check.feedback(found, static_check.INVERSE)
    assert ("forms the inverse matrix with np.linalg.inv (line 1 of your answer cell: "
            "`from numpy.linalg import inv as f`)") in text
    found = static_check.check(INVERSE_ROUTES["getattr + string building"], static_check.INVERSE)
    text = static_check.feedback(found, static_check.INVERSE)
    assert "uses `getattr` (line 2" in text and "cannot verify" in text and "rewrite it" in text


def test_honest_answers_pass_the_reading():
    """Every solution of every notebook, under its exercise's policy (if any), and the
    strict policy on what solving honestly looks like: products, norms, `**`, solve."""
    sources = load_sources(REPO / "instructor" / "source")
    policies = 0
    for name, exercises in sources.items():
        module = lessons.checks_for(name) if name in lessons.notebook_names() else None
        answers = solutions(name)
        for ex in exercises:
            policy = static_check.policy_for(module, ex.name)
            policies += policy is not None
            assert static_check.check(answers[ex.name], policy) == [], (name, ex.name)
    assert policies == 3
    assert static_check.check(NEWTON + "    import math, numpy\n    from numpy.linalg import "
                              "norm as n2\n    la = numpy.linalg.solve(H + alpha * np.eye("
                              "len(g)), g)\n    return theta - la * math.sqrt(1.0) ** -1\n",
                              static_check.INVERSE) == []
    for honest in ("    A = H + alpha * np.eye(len(g))\n    return theta - np.linalg.solve(A, g)\n",
                   "    n = g.shape[0]\n    b = -g\n"
                   "    return theta + np.linalg.solve(H + alpha * np.identity(n), b)\n",
                   "    I = np.eye(len(g))\n    d = np.linalg.lstsq(H + alpha * I, g, "
                   "rcond=None)[0]\n    return theta - d\n",
                   "    b = np.zeros_like(g)\n    b += g\n"
                   "    return theta - np.linalg.solve(a=H + alpha * np.eye(g.size), b=b)\n"):
        assert static_check.check(NEWTON + honest, static_check.INVERSE) == [], honest
    assert static_check.check("%time x = 1\n" + NEWTON + "    return theta\n",
                              static_check.INVERSE) == []        # does not parse: the child
    assert static_check.check("x = getattr(np, 'linalg')", None) == []   # no policy: not read


@pytest.mark.slow
def test_forbidden_routes_score_zero_through_the_grader(tmp_path):
    """Through ``grade_folder``: no sandbox runs, 0 points, the line in the feedback; the
    honest solution still gets its points."""
    routes = {"inv-default": INVERSE_ROUTES["default argument"],
              "inv-getattr": INVERSE_ROUTES["getattr + string building"],
              "inv-private": INVERSE_ROUTES["private module"],
              "inv-solve-eye": INVERSE_ROUTES["solve(H, I) by name"]}
    routes["inv-huge"] = NEWTON + "    x = 1\n" * 20_000 + "    return theta\n"
    for student, source in routes.items():
        submit(tmp_path / "submitted", student, NB07, {"newton_step": source})
    submit(tmp_path / "submitted", "cg-solve", NB07,
           {"linear_cg": SOLVER_ROUTES["solve + one CG-looking step"]})
    submit(tmp_path / "submitted", "honest", NB07,
           {k: v for k, v in solutions(NB07).items() if k in ("newton_step", "linear_cg")})
    out = tmp_path / "grades.csv"
    grade_folder(tmp_path / "submitted", out, jobs=2, seed=5)
    rows = {(r["student"], r["exercise"]): r for r in csv.DictReader(out.open(encoding="utf-8"))}
    for student in routes:
        row = rows[student, "newton_step"]
        assert float(row["points"]) == 0 and "line" in row["feedback"] or \
            f"{len(routes['inv-huge']):,} characters" in row["feedback"] \
            and "up to 100,000" in row["feedback"], row
    assert "read before they run, up to 100,000" in rows["inv-huge", "newton_step"]["feedback"]
    assert "np.linalg.solve (line 2 of your answer cell" in rows["cg-solve", "linear_cg"][
        "feedback"]
    assert float(rows["honest", "newton_step"]["points"]) == 3
    assert float(rows["honest", "linear_cg"]["points"]) == 3


# --- item 3: a dense matrix in two_loop ------------------------------------------------------
TWO_LOOP_DENSE = """def two_loop(g, s_list, y_list):
    g = np.asarray(g, dtype=float)
    if not s_list:
        return -g
    n = len(g)
    M = np.zeros((n, n))
    M[np.diag_indices(n)] = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1])
    for s, y in zip(s_list, y_list):
        rho = 1.0 / (y @ s)
        My, yM = M @ y, y @ M
        M = (M - rho * np.outer(s, yM) - rho * np.outer(My, s)
             + (rho * rho * (y @ My) + rho) * np.outer(s, s))
    return -M @ g
"""
TWO_LOOP_BFGS_MATRIX = """def two_loop(g, s_list, y_list):
    g = np.asarray(g, dtype=float)
    if not s_list:
        return -g
    M = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1]) * np.eye(len(g))
    for s, y in zip(s_list, y_list):
        left = np.eye(len(g)) - np.outer(s, y) / (y @ s)
        M = left @ M @ left.T + np.outer(s, s) / (y @ s)
    return -M @ g
"""


@pytest.mark.slow
def test_a_dense_two_loop_scores_zero_under_the_memory_limit(tmp_path):
    for student, source in (("dense", TWO_LOOP_DENSE), ("bfgs-matrix", TWO_LOOP_BFGS_MATRIX),
                            ("honest", solutions(NB07)["two_loop"])):
        submit(tmp_path / "submitted", student, NB07, {"two_loop": source})
    out = tmp_path / "grades.csv"
    grade_folder(tmp_path / "submitted", out, jobs=2, seed=9)
    rows = {(r["student"], r["exercise"]): r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert float(rows["honest", "two_loop"]["points"]) == 3, rows["honest", "two_loop"]
    for student in ("dense", "bfgs-matrix"):
        row = rows[student, "two_loop"]
        assert float(row["points"]) == 0 and "n×n matrix" in row["feedback"], row
        assert row["similarity"] == "", row
    # the honest student submitted the reference itself: flagged for the lecturer (item 4),
    # in the CSV only, never in the student's feedback file
    assert rows["honest", "two_loop"]["similarity"] == "same as the reference (1.00)"
    feedback = (tmp_path / "grades_feedback" / "honest.md").read_text(encoding="utf-8")
    assert "same as" not in feedback and "similar" not in feedback


# --- item 4: the similarity flag -------------------------------------------------------------
def _renamed_reference() -> str:
    """The reference two-loop recursion with every variable renamed, a docstring of its own,
    comments and blank lines added."""
    source = solutions(NB07)["two_loop"]
    for old, new in (("rhos", "inv_curv"), ("alphas", "coeffs"), ("beta", "bb"), ("q", "vec"),
                     ("r", "res"), ("i", "idx"), ("s", "step"), ("y", "change")):
        source = re.sub(rf"\b{old}\b", new, source)
    source = source.replace("\'\'\'The L-BFGS direction d = −M g from the pairs (step, change), "
                            "oldest first.\'\'\'", "\'\'\'Mine, all mine.\'\'\'  # by me")
    return source.replace("\n", "\n\n", 3) + "\n# the end\n"


def test_the_similarity_flag_finds_the_reference_and_copies():
    from course_lib.grade import similarity
    from course_lib.grade.collect import Submission

    exercises = {NB07: load_sources(REPO / "instructor" / "source")[NB07]}
    honest_other = TWO_LOOP_BFGS_MATRIX                  # a different program: not flagged
    answers = {"ref": solutions(NB07)["two_loop"], "renamed": _renamed_reference(),
               "other": honest_other, "copy-of-other": honest_other.replace("left", "L"),
               "short": "cg_iterations = 3\n"}
    subs = [Submission(student, NB07, "", answers={"two_loop": source}) for student, source
            in answers.items() if student != "short"]
    subs += [Submission(s, NB07, "", answers={"cg_iterations": "cg_iterations = 3\n"})
             for s in ("short", "short2")]
    found = similarity.flags(subs, exercises)
    assert found[("renamed", NB07, "two_loop")].startswith("same as the reference (1.00)")
    assert "same as student ref (1.00)" in found[("renamed", NB07, "two_loop")]
    assert found[("copy-of-other", NB07, "two_loop")] == "same as student other (1.00)"
    assert ("short", NB07, "cg_iterations") not in found          # too short to compare
    ref = similarity.normalize(answers["ref"], {"two_loop"})
    assert similarity.similarity(similarity.normalize(honest_other, {"two_loop"}), ref) < 0.9
    assert similarity.normalize("def (", {"x"}) == ()


def test_a_class_of_near_copies_costs_one_alignment_per_answer(monkeypatch):
    """60 students hand in the same long answer, each with one number changed: every one is
    flagged, with about one alignment each (not 60 × 59), and answers too long to align
    cheaply are skipped, not compared for minutes."""
    from course_lib.grade import similarity
    from course_lib.grade.collect import Submission

    exercises = {NB07: load_sources(REPO / "instructor" / "source")[NB07]}
    base = TWO_LOOP_BFGS_MATRIX
    subs = [Submission(f"s{k}", NB07, "", answers={"two_loop": base.replace(
        "return -M @ g", f"return -M @ g * {k + 1}")}) for k in range(60)]
    long = base + "".join(f"    x{k} = M @ M + {k}\n" for k in range(2000))
    subs += [Submission(f"long{k}", NB07, "", answers={"two_loop": long}) for k in range(2)]
    aligned = []
    real = similarity.similarity
    monkeypatch.setattr(similarity, "similarity", lambda a, b: aligned.append(1) or real(a, b))
    found = similarity.flags(subs, exercises)
    assert all(found[f"s{k}", NB07, "two_loop"].startswith("same as student s") for k in
               range(60))
    assert ("long0", NB07, "two_loop") not in found        # over MAX_TOKENS: not compared
    assert len(similarity.normalize(long, {"two_loop"})) > similarity.MAX_TOKENS
    assert len(aligned) <= 2 * 60, len(aligned)            # the reference, and one copy each
