"""The course hangs together: every link between notebooks, and from the READMEs, resolves.

A learner follows "Next:" from 00 to 10 and back to 00; a broken or missing link strands
them (and fails the web book's -W build later, with a less helpful message).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LINK = re.compile(r"\]\(([^)\s]+)\)")
NEXT = re.compile(r"\*\*Next:\*\*\s*\[([^\]]+)\]\(([^)]+)\)")
RUN_ALL = ("*The interactive explorers come back when you run the notebook (Run → Run All "
           "Cells); a saved copy shows them as text.*")


def markdown_cells(name: str) -> list[str]:
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def relative_links(text: str) -> list[str]:
    links = [m.group(1) for m in LINK.finditer(text)]
    return [unquote(link.split("#")[0]) for link in links
            if not re.match(r"^[a-z]+:", link) and not link.startswith("#")]


def test_the_map_has_all_eleven_notebooks():
    assert [name[:2] for name in NOTEBOOKS] == [f"{i:02d}" for i in range(11)]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_link_of_a_notebook_resolves(name):
    folder = ROOT / "notebooks"
    for text in markdown_cells(name):
        for link in relative_links(text):
            if link:
                assert (folder / link).exists(), f"{name}: the link {link!r} leads nowhere"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_next_leads_to_the_following_notebook(name):
    following = NOTEBOOKS[(NOTEBOOKS.index(name) + 1) % len(NOTEBOOKS)]
    found = [m.groups() for text in markdown_cells(name) for m in NEXT.finditer(text)]
    assert found, f"{name}: no '**Next:** [..](..)' line"
    assert found[-1] == (following, f"{following}.ipynb"), (
        f"{name}: the last Next line leads to {found[-1]}, the map's next is {following}")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_first_cell_says_how_to_bring_the_explorers_back(name):
    assert markdown_cells(name)[0].rstrip().endswith(RUN_ALL), name


@pytest.mark.parametrize("readme", ["README.md", "figures/README.md", "docs/maintainers.md",
                                    "docs/DESIGN.md"])
def test_every_relative_link_of_the_docs_resolves(readme):
    path = ROOT / readme
    for link in relative_links(path.read_text(encoding="utf-8")):
        if link:
            assert (path.parent / link).exists(), f"{readme}: the link {link!r} leads nowhere"
