"""What the book and the slides both need to know about the learner notebooks.

``tools/build_book.py`` and ``tools/build_slides.py`` read the committed, executed
notebooks of ``notebooks/`` (never the instructor sources, never re-executing them) and show
them without a kernel. Two things differ from JupyterLab:

- an explorer is an ipywidgets output, which needs a live kernel. Its cell's text/plain
  starts with ``Explorer:``; just above it is its static companion figure (the default
  settings; ``has_companion``). A static page keeps that figure and replaces the widget by
  one line saying that the live version runs in JupyterLab, with a link to the notebook
  file (and, when the companion is there, that the figure above is its default view);
- notebooks are taken in course order: every ``NN_topic.ipynb`` of ``notebooks/``, sorted by
  its number, so a notebook that lands is in the next build without touching these tools.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
THIRD_PARTY = ROOT / "third_party"
EXPLORER_PREFIX = "Explorer:"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NOTEBOOK_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


def course_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """Every ``NN_topic.ipynb`` in ``folder``, in course order (by its number)."""
    return sorted(p for p in folder.glob("*.ipynb") if NOTEBOOK_NAME.match(p.stem))


def read(path: Path) -> NotebookNode:
    return nbformat.read(path, as_version=4)


def source(cell: NotebookNode) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def plain_heading(line: str) -> str:
    """``# 04 · **Momentum**`` → ``04 · Momentum`` (the text a reader sees)."""
    text = line.lstrip("#").strip()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip()


def title(nb: NotebookNode) -> str:
    """The notebook's title: its first level-1 heading, as a reader sees it."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in source(cell).splitlines():
                if line.startswith("# "):
                    return plain_heading(line)
    return ""


def output_text(output: NotebookNode) -> str:
    text = output.get("data", {}).get("text/plain", "")
    return "".join(text) if isinstance(text, list) else text


def is_explorer_output(output: NotebookNode) -> bool:
    return output.get("output_type") in ("display_data", "execute_result") and (
        output_text(output).startswith(EXPLORER_PREFIX))


def is_explorer_cell(cell: NotebookNode) -> bool:
    return cell.cell_type == "code" and any(map(is_explorer_output, cell.get("outputs", [])))


def explorer_name(output: NotebookNode) -> str:
    """``Explorer: Momentum on 2-D landscapes (controls: …)`` → ``Momentum on 2-D landscapes``."""
    text = output_text(output)[len(EXPLORER_PREFIX):].strip()
    return re.split(r"\s*\(controls:", text)[0].rstrip("…").strip()


def has_image(cell: NotebookNode | None) -> bool:
    return cell is not None and cell.cell_type == "code" and any(
        "image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
        for o in cell.get("outputs", []))


def has_companion(nb: NotebookNode, index: int, reach: int = 3) -> bool:
    """Whether the explorer of cell ``index`` has its static companion figure just above it:
    the cell right before, or a ``companion_figure`` cell at most ``reach`` cells up (a
    heading or a short text may stand between them)."""
    for back in range(1, reach + 1):
        cell = nb.cells[index - back] if index - back >= 0 else None
        if cell is None or is_explorer_cell(cell):
            return False
        if has_image(cell) and (back == 1 or "companion" in source(cell)):
            return True
    return False


def live_note_html(output: NotebookNode, notebook_href: str, notebook_file: str,
                   companion: bool = True) -> str:
    """The one line that stands in for a widget on a static page."""
    name = html.escape(explorer_name(output))
    above = " The figure above is its view at the default settings." if companion else ""
    return (f'<p class="course-live-explorer"><strong>Live explorer:</strong> <em>{name}</em> '
            f"runs in JupyterLab: open "
            f'<a href="{html.escape(notebook_href)}"><code>{html.escape(notebook_file)}</code></a> '
            f"and run it (Run &rarr; Run All Cells) to move its controls.{above}</p>")


def live_note_text(note_html: str) -> str:
    return html.unescape(re.sub("<[^>]+>", "", note_html))


def replace_explorers(nb: NotebookNode, notebook_href: str, notebook_file: str) -> int:
    """Replace every explorer output of ``nb`` (in place) by its line; return how many."""
    count = 0
    companions = [has_companion(nb, index) for index in range(len(nb.cells))]
    for cell, companion in zip(nb.cells, companions, strict=True):
        if cell.cell_type != "code":
            continue
        for i, output in enumerate(cell.get("outputs", [])):
            if is_explorer_output(output):
                note = live_note_html(output, notebook_href, notebook_file, companion)
                cell.outputs[i] = nbformat.v4.new_output(
                    "display_data", data={"text/html": note, "text/plain": live_note_text(note)})
                count += 1
            elif WIDGET_VIEW in output.get("data", {}):
                # a widget that is not an explorer: keep its text, drop the dead view
                del output["data"][WIDGET_VIEW]
    nb.metadata.pop("widgets", None)
    return count
