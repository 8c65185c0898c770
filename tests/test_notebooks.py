"""Notebook checks and the grading pipeline.

For every instructor source ``instructor/source/<name>/<name>.ipynb``:

* the source lints as an nbgrader assignment (every auto-graded cell hides a test) and
  follows the pattern ``python -m course_lib.grade`` needs (docs/maintainers.md): each check
  cell ``check_<answer>`` after its answer cell, hidden tests on other cases (a check
  registered with ``course_lib.checks.hidden.hidden_check``), and a running-score cell
  listing every exercise's points;
* (a) the instructor version runs top to bottom and every hidden test passes;
* (b) the learner version (stubs, no hidden tests) shows no error and every auto-graded
  check cell says "not done yet" (in the committed notebook, whose outputs nbval compares
  with a fresh run);
* (c) the committed ``notebooks/<name>.ipynb`` is up to date with its source;
* (d) the committed notebook has its outputs stored, without errors or memory addresses.

And the machinery itself on a tiny fixture course in a temporary folder: generation
(stubs, hidden tests removed, metadata kept) and a real ``nbgrader autograde`` run that gives
full points to the solution and 0 to the untouched learner notebook.

The committed notebooks' outputs are compared with fresh ones by nbval (pyproject addopts).
Tests that execute notebooks or run nbgrader are marked ``slow``.
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tools import notebook_build as nbb  # noqa: E402

NOT_DONE = "not done yet"
NAMES = nbb.source_names()
NAME_PARAMS = NAMES or [pytest.param(
    None, marks=pytest.mark.skip(reason="no instructor/source/<name>/<name>.ipynb yet"))]


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_autograded(cell) -> bool:
    """An auto-graded test cell: code, grade=True, not a solution cell."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")


def output_text(cell) -> str:
    return "\n".join(text for _, _, text in nbb.output_texts(cell))


# ----------------------------------------------------------------- shared, computed once

@pytest.fixture(scope="session")
def generated() -> dict:
    """Learner versions of all sources, by one nbgrader run (not executed)."""
    return nbb.generate_many(NAMES)


# ----------------------------------------------------------------- the course's notebooks

@pytest.mark.parametrize("name", NAME_PARAMS)
def test_source_is_a_gradable_assignment(name):
    nb = nbformat.read(nbb.source_path(name), as_version=4)
    autograded = [(i, c) for i, c in enumerate(nb.cells) if is_autograded(c)]
    for i, cell in autograded:
        label = nbb.cell_label(cell, i)
        assert "### BEGIN HIDDEN TESTS" in cell.source, (
            f"{name}: {label} is auto-graded but hides no test: without an assert that fails "
            "on a wrong answer, autograde gives its points to every submission")
        assert nbgrader_meta(cell).get("points", 0) > 0, f"{name}: {label} has no points"
    ids = [nbgrader_meta(c).get("grade_id") for c in nb.cells if nbgrader_meta(c)]
    assert len(ids) == len(set(ids)), f"{name}: duplicate grade_id in {ids}"
    hidden = nbb.semicolon_cells(nb)
    assert not hidden, (f"{name}: {hidden} end with ';' to hide a value, but nbval runs cells "
                        "with store_history=False and then IPython shows the value anyway "
                        "(ipython#14162), so nbval fails: assign it instead (fig = ...)")


def hidden_region(source: str) -> str:
    return source.split("### BEGIN HIDDEN TESTS", 1)[-1].split("### END HIDDEN TESTS", 1)[0]


@pytest.mark.parametrize("name", NAME_PARAMS)
def test_source_follows_the_graders_pattern(name):
    from course_lib import lessons
    from course_lib.checks.hidden import HIDDEN_CHECKS
    from course_lib.grade.exercises import SourceError, load_notebook

    lessons.checks_for(name)        # registers the lesson's own hidden checks

    path = nbb.source_path(name)
    try:
        found = load_notebook(path, name)
    except SourceError as err:
        pytest.fail(f"{err} (see docs/maintainers.md, 'Write an auto-graded exercise')")
    nb = nbformat.read(path, as_version=4)
    points, by_hand = {}, {}
    for i, cell in enumerate(nb.cells):
        if is_autograded(cell):
            called = set(re.findall(r"checks\.(\w+)\(", hidden_region(cell.source)))
            assert called & set(HIDDEN_CHECKS), (
                f"{name}: the hidden tests of {nbb.cell_label(cell, i)} must use other cases "
                "than the visible check: call one of checks."
                f"{', checks.'.join(sorted(HIDDEN_CHECKS))}"
                " (see docs/maintainers.md)")
            check = re.search(r"checks\.(check_\w+)\(", cell.source).group(1)
            points[check] = nbgrader_meta(cell)["points"]
    by_hand = {e.name: e.points for e in found if e.kind == "manual"}
    boards = [c for c in nb.cells if c.cell_type == "code" and "checks.scoreboard(" in c.source]
    assert len(boards) == 1, (f"{name}: needs one running-score cell, checks.scoreboard("
                              f"{points}, by_hand={by_hand}), after the last exercise")
    call = next(node for node in ast.walk(ast.parse(boards[0].source))
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "scoreboard")
    listed = ast.literal_eval(call.args[0])
    listed_by_hand = ast.literal_eval(next((k.value for k in call.keywords
                                            if k.arg == "by_hand"), ast.Constant({})))
    assert (listed, listed_by_hand) == (points, by_hand), (
        f"{name}: the running-score cell should be checks.scoreboard({points}, "
        f"by_hand={by_hand}) to match the nbgrader points")


@pytest.mark.slow
@pytest.mark.parametrize("name", NAME_PARAMS)
def test_instructor_version_runs_and_all_checks_pass(name):
    nb = nbformat.read(nbb.source_path(name), as_version=4)
    nbb.execute(nb, cwd=nbb.NOTEBOOKS, name=f"instructor {name}")  # raises on any error
    for i, cell in enumerate(nb.cells):
        if is_autograded(cell):
            assert NOT_DONE not in output_text(cell).lower(), (
                f"{name}: {nbb.cell_label(cell, i)} says '{NOT_DONE}' with the solution:\n"
                + output_text(cell))


@pytest.mark.parametrize("name", NAME_PARAMS)
def test_learner_version_checks_say_not_done(name):
    """The committed learner notebook (the generated version, see the next test) with its
    stored outputs: stubs show nothing and every check says "not done yet". nbval runs the
    same notebook afresh and compares its outputs with these, so this holds for a fresh run
    too, without executing every notebook a second time."""
    path = nbb.learner_path(name)
    if not path.is_file():
        pytest.skip(f"{path} missing (reported by test_committed_notebook_is_up_to_date)")
    nb = nbformat.read(path, as_version=4)
    assert not nbb.error_cells(nb)
    for i, cell in enumerate(nb.cells):
        if nbgrader_meta(cell).get("solution") and cell.cell_type == "code":
            assert not cell.outputs, (f"{name}: the stub {nbb.cell_label(cell, i)} shows output "
                                      f"before the learner wrote anything:\n{output_text(cell)}")
    checks = [(i, c) for i, c in enumerate(nb.cells) if is_autograded(c)]
    for i, cell in checks:
        assert "HIDDEN TESTS" not in cell.source
        assert NOT_DONE in output_text(cell).lower(), (
            f"{name}: the check in {nbb.cell_label(cell, i)} should say '{NOT_DONE}' on the "
            f"stub, but printed:\n{output_text(cell)}")


@pytest.mark.parametrize("name", NAME_PARAMS)
def test_committed_notebook_is_up_to_date(name, generated):
    path = nbb.learner_path(name)
    assert path.is_file(), f"{path} missing: run python tools/build_notebooks.py --only {name}"
    diffs = nbb.differences(generated[name], nbformat.read(path, as_version=4))
    assert not diffs, (f"{path} is out of date with its source; run "
                       f"python tools/build_notebooks.py --only {name}\n" + "\n".join(diffs))


@pytest.mark.parametrize("name", NAME_PARAMS)
def test_committed_notebook_has_clean_outputs(name):
    path = nbb.learner_path(name)
    if not path.is_file():
        pytest.skip(f"{path} missing (reported by test_committed_notebook_is_up_to_date)")
    nb = nbformat.read(path, as_version=4)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    not_run = [nbb.cell_label(c, i) for i, c in code if c.get("execution_count") is None]
    assert not not_run, f"{path} was saved without executing {not_run}; rebuild it"
    assert any(c.outputs for _, c in code), f"{path} has no outputs stored; rebuild it"
    assert not nbb.error_cells(nb), f"{path} has error outputs in {nbb.error_cells(nb)}"
    assert not nbb.unstable_outputs(nb), "\n".join(nbb.unstable_outputs(nb))
    assert "widgets" not in nb.metadata, f"{path} stores widget state"


# ----------------------------------------------------------------- the machinery, on a fixture

def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


CHECK = '''\
def check_double(f):
    try:
        value = f(3)
    except Exception as exc:
        return f"double(3) raised {exc!r}"
    if value is None:
        return "not done yet: double returns None"
    return "all checks pass" if value == 6 else f"double(3) returned {value!r}, expected 6"

message = check_double(double)
print(message)
### BEGIN HIDDEN TESTS
assert double(5) == 10, message
### END HIDDEN TESTS'''


def fixture_source() -> nbformat.NotebookNode:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                               "display_name": "Python 3"}})
    nb.cells = [
        new_markdown_cell("# A tiny assignment"),
        new_code_cell("import math", metadata=_meta("setup", locked=True)),
        new_code_cell('def double(x):\n    """Return 2 x."""\n    ### BEGIN SOLUTION\n'
                      "    return 2 * x\n    ### END SOLUTION",
                      metadata=_meta("double", solution=True)),
        new_code_cell(CHECK, metadata=_meta("check_double", grade=True, locked=True, points=2)),
        new_code_cell("answer = None  # replace None with your number\n### BEGIN SOLUTION\n"
                      "answer = 42\n### END SOLUTION", metadata=_meta("answer", solution=True)),
        new_code_cell('print("not done yet" if answer is None else f"answer = {answer}")\n'
                      "### BEGIN HIDDEN TESTS\nassert answer == 42\n### END HIDDEN TESTS",
                      metadata=_meta("check_answer", grade=True, locked=True, points=1)),
        new_markdown_cell("### BEGIN SOLUTION\nBecause 2 x is x + x.\n### END SOLUTION",
                          metadata=_meta("explain", grade=True, solution=True, points=1)),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course folder with the real nbgrader_config.py and one assignment, 'ps1'."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy2(nbb.INSTRUCTOR / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "source" / "ps1").mkdir(parents=True)
    nbformat.write(fixture_source(), str(root / "source" / "ps1" / "ps1.ipynb"))
    return root


@pytest.fixture(scope="module")
def fixture_learner(course):
    return nbb.generate("ps1", instructor=course)


def test_generation_replaces_solutions_and_removes_hidden_tests(fixture_learner):
    cells = {nbgrader_meta(c).get("grade_id"): c for c in fixture_learner.cells}
    assert cells["double"].source == ('def double(x):\n    """Return 2 x."""\n'
                                      "    # YOUR CODE HERE\n    pass")
    assert cells["answer"].source == ("answer = None  # replace None with your number\n"
                                      "# YOUR CODE HERE\npass")
    assert cells["explain"].source == "YOUR ANSWER HERE"
    for grade_id in ("check_double", "check_answer"):
        assert "HIDDEN" not in cells[grade_id].source
        assert "assert" not in cells[grade_id].source
        assert cells[grade_id].metadata["editable"] is False  # checks are locked
    # nbgrader metadata kept (autograde needs it); demonstration cells stay editable
    assert nbgrader_meta(cells["check_double"])["points"] == 2
    assert nbgrader_meta(cells["setup"])["checksum"]
    assert cells["setup"].metadata.get("editable", True) is True
    assert [c.get("id") for c in fixture_learner.cells] == [f"c{i}" for i in range(7)]


@pytest.mark.slow
def test_fixture_learner_runs_and_checks_say_not_done(fixture_learner, tmp_path):
    nb = nbb.execute(nbformat.from_dict(fixture_learner), cwd=tmp_path, name="ps1")
    checks = [c for c in nb.cells if is_autograded(c)]
    assert len(checks) == 2
    assert all(NOT_DONE in output_text(c) for c in checks)
    assert "widgets" not in nb.metadata and not nbb.unstable_outputs(nb)


def test_check_reports_the_stale_cell(course, fixture_learner, tmp_path):
    notebooks = tmp_path / "notebooks"
    stale = nbformat.from_dict(fixture_learner)
    stale.cells[2].source = stale.cells[2].source.replace("YOUR CODE HERE", "TODO")
    nbb.write(stale, nbb.learner_path("ps1", notebooks))
    problems = nbb.check(["ps1"], instructor=course, notebooks=notebooks)
    assert list(problems) == ["ps1"]
    assert "cell 2 (grade_id 'double'): source differs at line 3" in problems["ps1"][0]
    assert nbb.differences(fixture_learner, nbformat.from_dict(fixture_learner)) == []


def test_memory_addresses_are_refused():
    nb = new_notebook(cells=[new_code_cell("f", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/plain": "<function f at 0x7f3a2c1d0e50>"},
        execution_count=1)])])
    with pytest.raises(nbb.BuildError, match=r"cell 0 .*0x7f3a2c1d0e50"):
        nbb.check_outputs(nb, "demo")


@pytest.mark.slow
def test_autograde_scores_solution_full_and_stub_zero(course, fixture_learner):
    from nbgrader.api import Gradebook

    nbb.run_nbgrader(["generate_assignment", "ps1", "--force"], course)  # fills the gradebook
    release = nbformat.read(course / "release" / "ps1" / "ps1.ipynb", as_version=4)
    source = nbformat.read(course / "source" / "ps1" / "ps1.ipynb", as_version=4)
    solutions = {nbgrader_meta(c)["grade_id"]: c.source for c in source.cells
                 if nbgrader_meta(c).get("solution")}
    solved = nbformat.from_dict(release)
    for cell in solved.cells:
        if nbgrader_meta(cell).get("grade_id") in solutions:
            cell.source = solutions[nbgrader_meta(cell)["grade_id"]]
    for student, nb in (("alice", solved), ("bob", release)):
        folder = course / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / "ps1.ipynb"))

    nbb.run_nbgrader(["autograde", "ps1", "--force"], course)

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}",
                   course_id="optimization-for-deep-models") as gb:
        def grade(cell, student):
            return gb.find_grade(cell, "ps1", "ps1", student)

        assert grade("check_double", "alice").score == 2
        assert grade("check_answer", "alice").score == 1
        assert grade("explain", "alice").needs_manual_grade
        assert grade("check_double", "bob").score == 0
        assert grade("check_answer", "bob").score == 0
        assert grade("explain", "bob").score == 0  # unchanged answer cell: 0, no manual grade
        assert not grade("explain", "bob").needs_manual_grade
        assert gb.find_submission("ps1", "bob").score == 0
