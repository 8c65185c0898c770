"""Find the submissions and read what the grader needs from them, before any code runs.

The layout is nbgrader's: ``SUBMISSIONS_DIR/<student>/<notebook>/<notebook>.ipynb`` (the
folder ``nbgrader collect`` or ``zip_collect`` fills, ``instructor/submitted``); a course
folder that holds ``submitted/`` works too. Each submission is read once, here, into
memory: its answer cells' sources (by ``grade_id``), which answers are untouched (nbgrader's
rule: the stored checksum still matches), and which check cells were edited or deleted
(reported; the grader runs the source's check anyway). Nothing a submission does later can
change what was read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .exercises import checksum, nbgrader

MAX_NOTEBOOK_MB = 64          # the whole notebook file
MAX_ANSWER_MB = 1             # one answer cell's source (characters)
MAX_DEPTH = 100               # nesting of the notebook's JSON


@dataclass
class Submission:
    student: str
    notebook: str
    path: str
    answers: dict = field(default_factory=dict)     # answer grade_id → source
    untouched: set = field(default_factory=set)     # answers still as released
    notes: dict = field(default_factory=dict)       # exercise → remarks for the grader
    broken: dict = field(default_factory=dict)      # exercise → why its answer is not graded
    error: str = ""                                 # the notebook could not be read


def submissions_root(folder: Path) -> Path:
    """``folder``, or its ``submitted/`` subfolder when given a course folder."""
    inner = Path(folder) / "submitted"
    return inner if inner.is_dir() else Path(folder)


def find(folder: Path, notebooks) -> tuple[list[tuple[str, str, Path]], list[str]]:
    """([(student, notebook, path)], [problems]) for the notebooks the grader knows."""
    root, found, problems = submissions_root(folder), [], []
    if not root.is_dir():
        raise FileNotFoundError(f"no folder {root}")
    for student in sorted(p for p in root.iterdir() if p.is_dir() and not _hidden(p)):
        for entry in sorted(p for p in student.iterdir() if p.is_dir() and not _hidden(p)):
            if entry.name not in notebooks:
                problems.append(f"{student.name}/{entry.name}: no source notebook of that name; "
                                "skipped")
                continue
            path = entry / f"{entry.name}.ipynb"
            if not path.is_file():
                problems.append(f"{student.name}/{entry.name}: no {path.name} in it; skipped")
                continue
            found.append((student.name, entry.name, path))
    return found, problems


def _hidden(path: Path) -> bool:
    return path.name.startswith((".", "__"))


def read(student: str, notebook: str, path: Path, exercises) -> Submission:
    """What the grader needs from one submitted notebook. Never raises: a notebook that
    cannot be read (broken JSON, nesting too deep, a cell source that is not text, too
    large...) gives a ``Submission`` whose ``error`` says why, graded 0 with that cause."""
    sub = Submission(student, notebook, str(path))
    try:
        _read(sub, Path(path), exercises)
    except Exception as err:   # noqa: BLE001 - RecursionError, MemoryError, anything
        if not sub.error:
            sub.error = _unreadable(err)
        sub.answers.clear()
    return sub


def _unreadable(err: BaseException) -> str:
    if isinstance(err, RecursionError):
        why = "nested too deeply"
    else:
        why = f"{type(err).__name__}: {str(err)[:200]}"
    return f"the notebook could not be read ({why})"[:300]


def _read(sub: Submission, path: Path, exercises) -> None:
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_MB << 20:
        sub.error = (f"the notebook file is {size / 2**20:.1f} MB; the limit is "
                     f"{MAX_NOTEBOOK_MB} MB")
        return
    raw = path.read_bytes()
    depth = _depth(raw)
    if depth > MAX_DEPTH:
        sub.error = (f"the notebook could not be read (its JSON is nested {depth} levels "
                     f"deep; the limit is {MAX_DEPTH})")
        return
    cells = [c for c in read_notebook_bytes(raw)["cells"] if isinstance(c, dict)]
    by_id: dict = {}
    for cell in cells:
        grade_id = nbgrader(cell).get("grade_id")
        if isinstance(grade_id, str):
            by_id.setdefault(grade_id, []).append(cell)
    for ex in exercises:
        notes = sub.notes.setdefault(ex.name, [])
        answer = by_id.get(ex.name, [])
        if len(answer) > 1:
            notes.append(f"the answer cell {ex.name!r} appears {len(answer)} times; "
                         "the first one was graded")
        if answer:
            text = text_of(answer[0])
            if text is None:
                sub.broken[ex.name] = ("the answer cell's source is not text (nbformat: a "
                                       "string or a list of strings)")
            elif len(text) > MAX_ANSWER_MB << 20:
                sub.broken[ex.name] = (f"your answer cell is {len(text) / 2**20:.1f} MB; "
                                       f"the limit is {MAX_ANSWER_MB} MB")
            else:
                sub.answers[ex.name] = text
            stored = nbgrader(answer[0]).get("checksum")
            try:
                if text is not None and stored and stored == checksum(answer[0], text):
                    sub.untouched.add(ex.name)
            except (KeyError, TypeError, ValueError):
                pass                       # garbled metadata: treat the answer as written
        if ex.kind != "auto":
            continue
        check = by_id.get(ex.check_id, [])
        if not check:
            notes.append(f"the check cell {ex.check_id!r} was deleted; the original check ran")
        else:
            text = text_of(check[0])
            try:
                edited = text is None or checksum(check[0], text) != ex.check_checksum
            except (KeyError, TypeError, ValueError):
                edited = True
            if edited:
                notes.append(f"the check cell {ex.check_id!r} was edited; the original "
                             "check ran")


def text_of(cell: dict) -> str | None:
    """The cell's source as nbformat stores it (a string or a list of strings), else None."""
    source = cell.get("source", "")
    if type(source) is str:
        return source
    if type(source) is list and all(type(line) is str for line in source):
        return "".join(source)
    return None


def read_notebook_bytes(raw: bytes) -> dict:
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError("not a Jupyter notebook (no list of cells)")
    return data


_BRACKETS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _depth(raw: bytes) -> int:
    """How deeply the JSON text ``raw`` nests arrays and objects (strings skipped), in one
    linear pass: json.loads would recurse once per level and fail with RecursionError."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest
