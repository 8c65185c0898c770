"""The grader's outputs: the CSV gradebook, one feedback file per student, a summary table.

Written only by the grader's main process (a sandboxed child may not write outside its own
folder). The CSV grows while grading (``RowLog``: each notebook's rows as soon as they are
graded, flushed, so a run that is killed keeps every row graded so far); at the end it is
rewritten in order, and the feedback files written, atomically (a temporary file renamed
over the old one). Text the files cannot encode (lone surrogates) is written escaped.

``flags`` ({(student, notebook, exercise): note}, from ``similarity.flags``) fill the CSV's
``similarity`` column and a list under the summary: they are for the lecturer, so the
student's feedback file never shows them.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from pathlib import Path

FIELDS = ("student", "notebook", "exercise", "points", "max_points", "feedback", "similarity")


def number(x) -> str:
    return "" if x is None else f"{float(x):g}"


def _cell(text: str) -> str:
    """Text a spreadsheet will not take for a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _replace(path: Path, write) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("w", newline="", encoding="utf-8", errors="backslashreplace") as handle:
        write(handle)
    os.replace(temporary, path)


def _fields(r, flags) -> list:
    return [_cell(r.student), r.notebook, r.exercise, number(r.points), number(r.max_points),
            _cell(r.feedback), flags.get((r.student, r.notebook, r.exercise), "")]


def write_csv(rows, path: Path, flags=None) -> None:
    def write(handle):
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for r in rows:
            writer.writerow(_fields(r, flags or {}))
    _replace(path, write)


class RowLog:
    """The CSV ``path`` written as grading goes: the header now, then ``add(rows)`` for each
    graded notebook, flushed at once."""

    def __init__(self, path: Path, flags=None):
        self.flags = flags or {}
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = path.open("w", newline="", encoding="utf-8", errors="backslashreplace")
        self.writer = csv.writer(self.handle)
        self.add([], header=True)

    def add(self, rows, header: bool = False) -> None:
        if header:
            self.writer.writerow(FIELDS)
        for r in rows:
            self.writer.writerow(_fields(r, self.flags))
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()


def totals(rows) -> dict:
    """{(student, notebook): [auto points earned, auto points possible, by-hand points]}."""
    table = defaultdict(lambda: [0.0, 0.0, 0.0])
    for r in rows:
        entry = table[r.student, r.notebook]
        if r.kind == "manual" and r.points is None:
            entry[2] += r.max_points
        elif r.kind != "manual":
            entry[0] += r.points or 0.0
            entry[1] += r.max_points
    return table


def write_feedback(rows, folder: Path) -> list[Path]:
    """``folder/<student>.md`` for every student; the learner's text is indented (verbatim)."""
    by_student = defaultdict(list)
    for r in rows:
        by_student[r.student].append(r)
    table, written = totals(rows), []
    for student, own in sorted(by_student.items()):
        lines = [f"# Feedback for {student}", ""]
        for notebook in sorted({r.notebook for r in own}):
            earned, possible, by_hand = table[student, notebook]
            hand = f"; {number(by_hand)} more graded by hand" if by_hand else ""
            lines += [f"## {notebook}: {number(earned)} of {number(possible)} auto-graded "
                      f"points{hand}", ""]
            for r in (r for r in own if r.notebook == notebook):
                if r.points is None and r.kind == "manual":
                    lines += [f"### {r.exercise}: graded by hand "
                              f"({number(r.max_points)} points)", ""]
                    continue
                score = ("not graded (see below)" if r.points is None else
                         f"{number(r.points)} / {number(r.max_points)}")
                lines += [f"### {r.exercise}: {score}", ""]
                lines += ["    " + line for line in r.feedback.splitlines()] + [""]
        path, text = Path(folder) / f"{student}.md", "\n".join(lines)
        _replace(path, lambda handle, text=text: handle.write(text))
        written.append(path)
    return written


def summary(rows, notebooks, flags=None) -> str:
    """A Markdown table: students × notebooks, auto-graded points earned / possible; then
    the answers ``flags`` marks as close to the reference's or another student's."""
    table = totals(rows)
    students = sorted({r.student for r in rows})
    shown = [n for n in notebooks if any(r.notebook == n for r in rows)]
    lines = ["| student | " + " | ".join(shown) + " | total |",
             "|---" * (len(shown) + 2) + "|"]
    for student in students:
        cells, earned, possible = [], 0.0, 0.0
        for notebook in shown:
            if (student, notebook) in table:
                e, p, _ = table[student, notebook]
                cells.append(f"{number(e)}/{number(p)}")
                earned, possible = earned + e, possible + p
            else:
                cells.append("–")
        lines.append(f"| {student} | " + " | ".join(cells)
                     + f" | {number(earned)}/{number(possible)} |")
    hand = sum(1 for r in rows if r.kind == "manual" and r.points is None)
    errors = sum(1 for r in rows if r.kind == "error")
    if hand:
        lines.append(f"\n{hand} explain answer(s) to grade by hand (empty points in the CSV).")
    if errors:
        lines.append(f"\n{errors} exercise(s) could not be graded because of the grading "
                     "machine (kind 'error'; see their feedback): grade them again.")
    if flags:
        lines.append(f"\n{len(flags)} answer(s) close to the reference's or another "
                     "student's, after renaming (the CSV's similarity column; worth a look, "
                     "not a verdict: answers written from the same pseudocode can be close):")
        lines += [f"- {student}, {notebook}, {exercise}: {note}"
                  for (student, notebook, exercise), note in sorted(flags.items())]
    return "\n".join(lines)
