"""``scoreboard``: the running score a notebook shows in its last cell.

Every check records its latest result (``result.RESULTS``, by the check's name), so the
scoreboard only needs the notebook's list of checks and their points, which its cell passes:
``checks.scoreboard({"check_gd_step": 2, "check_largest_lr": 1}, by_hand={"explain_zigzag": 2})``.
tests/test_notebooks.py checks that this list matches the source's nbgrader points.
"""

from __future__ import annotations

from dataclasses import dataclass

from .result import MARKS, RESULTS

NOT_RUN = "·"
BY_HAND = "✎"

GRADER_NOTE = ("Graders run each answer cell on its own (with `np` defined), on new random\n"
               "cases and without course_lib: an answer that calls the course's reference code,\n"
               "or a helper defined in another cell, earns nothing there.")


@dataclass(frozen=True)
class Score:
    """The running score; its repr is the table shown in the notebook."""

    rows: tuple            # (mark, exercise, points earned or None, points, status)
    earned: float
    possible: float
    passed: int
    checks: int

    def __repr__(self) -> str:
        width = max([len(row[1]) for row in self.rows] + [10])
        lines = [f"Running score: {_num(self.earned)} of {_num(self.possible)} auto-checked "
                 f"points ({self.passed} of {self.checks} checks passed)"]
        for mark, name, earned, points, status in self.rows:
            got = "–" if earned is None else _num(earned)
            lines.append(f"  {mark} {name:<{width}}  {got:>3} / {_num(points):<3} {status}")
        lines.append("This counts the latest run of each check since the notebook was opened:\n"
                     "run a check again after changing your answer.")
        lines.append(GRADER_NOTE)
        return "\n".join(lines)

    __str__ = __repr__


def _num(x) -> str:
    return f"{float(x):g}"


def scoreboard(points: dict, by_hand: dict | None = None) -> Score:
    """The score so far: ``points`` maps each check's name to its points (in notebook order),
    ``by_hand`` each explain exercise's name to its points (graded by a person)."""
    rows, earned, passed = [], 0.0, 0
    for check, value in points.items():
        name = check.removeprefix("check_")
        result = RESULTS.get(check)
        if result is None:
            rows.append((NOT_RUN, name, 0.0, value, "not run yet"))
            continue
        got = value if result.passed else 0.0
        earned, passed = earned + got, passed + result.passed
        rows.append((MARKS[result.status], name, got, value, result.status))
    for name, value in (by_hand or {}).items():
        rows.append((BY_HAND, name, None, value, "graded by hand"))
    return Score(tuple(rows), earned, float(sum(points.values())), passed, len(points))
