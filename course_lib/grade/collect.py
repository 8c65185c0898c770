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

from dataclasses import dataclass, field
from pathlib import Path

from .exercises import checksum, nbgrader, read_notebook, source_of

MAX_NOTEBOOK_MB = 64


@dataclass
class Submission:
    student: str
    notebook: str
    path: str
    answers: dict = field(default_factory=dict)     # answer grade_id → source
    untouched: set = field(default_factory=set)     # answers still as released
    notes: dict = field(default_factory=dict)       # exercise → remarks for the grader
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
    """What the grader needs from one submitted notebook."""
    sub = Submission(student, notebook, str(path))
    try:
        if path.stat().st_size > MAX_NOTEBOOK_MB << 20:
            raise ValueError(f"larger than {MAX_NOTEBOOK_MB} MB")
        cells = [c for c in read_notebook(path)["cells"] if isinstance(c, dict)]
    except (OSError, ValueError, UnicodeDecodeError) as err:
        sub.error = f"the notebook could not be read ({type(err).__name__}: {err})"[:300]
        return sub
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
            sub.answers[ex.name] = source_of(answer[0])
            stored = nbgrader(answer[0]).get("checksum")
            try:
                if stored and stored == checksum(answer[0]):
                    sub.untouched.add(ex.name)
            except (KeyError, TypeError, ValueError):
                pass                       # garbled metadata: treat the answer as written
        if ex.kind != "auto":
            continue
        check = by_id.get(ex.check_id, [])
        if not check:
            notes.append(f"the check cell {ex.check_id!r} was deleted; the original check ran")
        else:
            try:
                edited = checksum(check[0]) != ex.check_checksum
            except (KeyError, TypeError, ValueError):
                edited = True
            if edited:
                notes.append(f"the check cell {ex.check_id!r} was edited; the original "
                             "check ran")
    return sub
