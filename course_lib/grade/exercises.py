"""The exercises of a notebook, read from its instructor source (nbgrader cell metadata).

An auto-graded exercise is a pair of cells: the answer (a solution code cell,
``grade_id`` X) and its check (a grade cell, ``grade_id`` ``check_X``, with ``points``). The
check's whole source, hidden tests included, runs in the trusted grader; the names it reads
that it does not define (besides ``checks`` and ``np``) are what the answer must provide.
An explain exercise is a markdown cell that is both solution and grade cell: graded by hand.

Notebooks are read as plain JSON (the nbformat 4 layout), and ``checksum`` is nbgrader's
``compute_checksum``, written out here because importing nbgrader takes seconds;
tests/test_grade.py checks that both give the same checksums.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

PROVIDED = frozenset({"checks", "np"})     # names a check cell may use without the answer
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


class SourceError(ValueError):
    """An instructor source the grader cannot use; the message names the notebook and cell."""


@dataclass(frozen=True)
class Exercise:
    notebook: str
    name: str                   # the answer's grade_id: the "exercise" column of the CSV
    kind: str                   # "auto" or "manual"
    points: float
    check_id: str = ""
    check_source: str = ""      # the whole check cell, hidden tests included (trusted code)
    names: tuple = ()           # what the check reads from the answer
    check_checksum: str = ""    # nbgrader's checksum of the released (hidden-free) check cell
    solution: str = ""          # the instructor's answer cell (for ``similarity``)


# --- notebooks as JSON ------------------------------------------------------------------
def read_notebook(path: Path) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError("not a Jupyter notebook (no list of cells)")
    return data


def source_of(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def nbgrader(cell: dict) -> dict:
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    value = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return value if isinstance(value, dict) else {}


def checksum(cell: dict, source: str | None = None) -> str:
    """nbgrader.utils.compute_checksum for a cell given as JSON (``source`` overrides)."""
    meta = nbgrader(cell)
    grade, solution = bool(meta.get("grade", False)), bool(meta.get("solution", False))
    locked = False if solution else True if grade else bool(meta.get("locked", False))
    m = hashlib.md5()
    for part in (source_of(cell) if source is None else source, cell.get("cell_type", ""),
                 str(grade), str(solution), str(locked), str(meta.get("grade_id", ""))):
        m.update(part.encode("utf-8"))
    if grade:
        m.update(str(float(meta["points"])).encode("utf-8"))
    return m.hexdigest()


def strip_hidden(source: str) -> str:
    """The source without its hidden-test region, as nbgrader's ClearHiddenTests makes it."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if BEGIN_HIDDEN in line:
            hidden = True
        elif END_HIDDEN in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def needed_names(source: str) -> tuple:
    """Names ``source`` reads but never binds, minus builtins and ``PROVIDED``."""
    loaded, bound = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return tuple(sorted(loaded - bound - PROVIDED - set(dir(builtins))))


# --- exercises --------------------------------------------------------------------------
def load_notebook(path: Path, name: str) -> list[Exercise]:
    """The exercises of one source notebook, in notebook order."""
    cells = read_notebook(path)["cells"]
    answers = {nbgrader(c).get("grade_id"): source_of(c) for c in cells
               if c.get("cell_type") == "code" and nbgrader(c).get("solution")}
    exercises = []
    for index, cell in enumerate(cells):
        meta = nbgrader(cell)
        grade_id = str(meta.get("grade_id", ""))
        if not meta.get("grade"):
            continue
        points = float(meta.get("points", 0))
        if cell.get("cell_type") == "markdown" and meta.get("solution"):
            exercises.append(Exercise(name, grade_id, "manual", points))
            continue
        if cell.get("cell_type") != "code" or meta.get("solution"):
            raise SourceError(f"{name}: cell {index} ({grade_id!r}) is a grade cell the grader "
                              "does not know: use a check cell or an explain (markdown) cell")
        answer = grade_id.removeprefix("check_")
        if not grade_id.startswith("check_") or answer not in answers:
            raise SourceError(f"{name}: check cell {grade_id!r} (cell {index}) must be called "
                              "check_<answer grade_id>, after a solution code cell <answer>; "
                              f"solution cells: {sorted(str(a) for a in answers if a)}")
        source = source_of(cell)
        try:
            names = needed_names(source)
        except SyntaxError as err:
            raise SourceError(f"{name}: check cell {grade_id!r} does not parse: {err}") from err
        exercises.append(Exercise(name, answer, "auto", points, grade_id, source, names,
                                  checksum(cell, strip_hidden(source)), answers[answer]))
    return exercises


def load_sources(source_dir: Path) -> dict[str, list[Exercise]]:
    """{notebook name: exercises} for every ``<name>/<name>.ipynb`` under ``source_dir``."""
    found = {}
    for path in sorted(Path(source_dir).glob("*/*.ipynb")):
        if path.stem == path.parent.name and ".ipynb_checkpoints" not in path.parts:
            found[path.stem] = load_notebook(path, path.stem)
    if not found:
        raise SourceError(f"no <name>/<name>.ipynb notebooks in {source_dir}")
    return found
