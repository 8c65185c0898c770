"""Where each slide starts: the lecture-slide structure of a learner notebook.

The notebooks are written in one shape (docs/DESIGN.md, house style), so their slides can be
read off that shape instead of being tagged by hand:

- a markdown cell is first cut at its headings (a cell often ends one section's discussion
  and opens the next). A level-1 or level-2 heading starts a slide; a level-3 or deeper
  heading (an exercise) starts a sub-slide; a heading alone on its part shares its slide
  with what follows ("## Exercises" and "### Exercise 1" make one slide);
- a demonstration (a code cell with outputs) is one slide with its prose: the claim before
  it and the reading of its numbers after it. When a slide already shows a demonstration,
  the prose just before the next one starts a new sub-slide (claim and measurement stay
  together); an explorer stays with its companion figure;
- skipped: set-up cells (the ``setup`` cell, or cells that only import), cells without
  outputs, exercise stubs (nbgrader solution cells, "YOUR ANSWER HERE"), check cells (their
  output is "not done yet" before the learner works) and the running score.

Override any cell with a cell tag (JupyterLab: the cell's property inspector, "Cell Tags"),
in the instructor source so that it reaches the learner notebook: ``slide``, ``subslide``,
``fragment``, ``notes`` (speaker notes, press S), ``skip``, or ``continue`` (the same slide
as the cell before). JupyterLab's own "Slide Type" (``metadata.slideshow.slide_type``) is
honoured too. A tagged markdown cell is not cut at its headings.
"""

from __future__ import annotations

import ast
import copy
import re

import nbformat
from nbformat import NotebookNode

from tools.course_pages import is_explorer_cell, source

TAGS = {"slide": "slide", "subslide": "subslide", "fragment": "fragment", "notes": "notes",
        "skip": "skip", "continue": "-"}
HEADING = re.compile(r"^(#{1,6})\s+\S")
ANSWER_STUB = "YOUR ANSWER HERE"
CODE_STUB = "# YOUR CODE HERE"


def explicit_type(cell: NotebookNode) -> str | None:
    """The slide type a maintainer chose for ``cell`` (a tag or JupyterLab's Slide Type)."""
    for tag in cell.metadata.get("tags", []):
        if tag in TAGS:
            return TAGS[tag]
    chosen = cell.metadata.get("slideshow", {}).get("slide_type")
    return chosen or None


def split_at_headings(text: str) -> list[str]:
    """Cut markdown before each ATX heading outside code fences and $$ blocks."""
    parts, current, fenced, math = [], [], False, False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and stripped.count("$$") % 2 == 1:
            math = not math
        if HEADING.match(line) and not fenced and not math and any(s.strip() for s in current):
            parts.append("\n".join(current).strip("\n"))
            current = []
        current.append(line)
    if any(s.strip() for s in current):
        parts.append("\n".join(current).strip("\n"))
    return parts or [text]


def heading_level(text: str) -> int:
    match = HEADING.match(text.lstrip("\n"))
    return len(match.group(1)) if match else 0


def only_imports(code: str) -> bool:
    lines = [ln for ln in code.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return False
    body = tree.body
    imports = sum(isinstance(s, (ast.Import, ast.ImportFrom)) for s in body)
    return bool(body) and imports * 2 >= len(body)


def skipped(cell: NotebookNode) -> bool:
    """Cells a lecture does not show (see the module doc)."""
    meta = cell.metadata.get("nbgrader", {})
    text = source(cell)
    if meta.get("grade_id") in ("setup", "scoreboard_intro") or "scoreboard(" in text:
        return True
    if meta.get("solution"):
        return True
    if cell.cell_type == "markdown":
        return not text.strip() or text.strip() == ANSWER_STUB
    if CODE_STUB in text:
        return True
    if meta.get("grade") and not meta.get("solution"):
        return True                                   # a check cell
    return not cell.get("outputs") or only_imports(text)


def expand(nb: NotebookNode) -> list[NotebookNode]:
    """The cells, with untagged markdown cells cut at their headings."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or explicit_type(cell):
            cells.append(cell)
            continue
        parts = split_at_headings(source(cell))
        for k, part in enumerate(parts):
            piece = nbformat.v4.new_markdown_cell(part, metadata=dict(cell.metadata))
            piece.id = cell.get("id", "cell") + (f"-{k}" if len(parts) > 1 else "")
            cells.append(piece)
    return cells


def plan(nb: NotebookNode) -> NotebookNode:
    """A copy of ``nb`` whose cells carry ``metadata.slideshow.slide_type`` for nbconvert."""
    nb = copy.deepcopy(nb)
    cells = expand(nb)
    kinds = []                                       # (cell, type or None) first pass
    for cell in cells:
        chosen = explicit_type(cell)
        kinds.append((cell, chosen if chosen else ("skip" if skipped(cell) else None)))
    shown = [i for i, (_, kind) in enumerate(kinds) if kind != "skip"]
    has_demo, bare_heading = False, False
    for position, i in enumerate(shown):
        cell, kind = kinds[i]
        following = kinds[shown[position + 1]][0] if position + 1 < len(shown) else None
        if kind is None:
            if cell.cell_type == "markdown":
                level = heading_level(source(cell))
                if level and not bare_heading:
                    kind = "slide" if level <= 2 else "subslide"
                elif (not level and has_demo and following is not None
                      and following.cell_type == "code" and kinds[shown[position + 1]][1] is None
                      and not is_explorer_cell(following)):
                    kind = "subslide"                # the claim of the next measurement
                else:
                    kind = "-"
                bare_heading = bool(level) and len(source(cell).strip().splitlines()) == 1
            else:
                kind = "subslide" if has_demo and not is_explorer_cell(cell) and (
                    kinds[shown[position - 1]][0].cell_type == "code") else "-"
                bare_heading = False
        if position == 0:
            kind = "slide"
        if kind in ("slide", "subslide"):
            has_demo = False
        if cell.cell_type == "code" and kind not in ("notes", "skip"):
            has_demo = True
        cell.metadata["slideshow"] = {"slide_type": kind}
    for cell, kind in kinds:
        if kind == "skip":
            cell.metadata["slideshow"] = {"slide_type": "skip"}
    out = nbformat.v4.new_notebook(metadata=nb.metadata)
    out.cells = cells
    return out
