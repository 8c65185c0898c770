"""Lecture slides: one reveal.js deck per notebook, from one command, working offline.

    python tools/build_slides.py OUT_DIR                     # every notebook
    python tools/build_slides.py OUT_DIR --only 04_momentum_physics
    # then open OUT_DIR/index.html, or OUT_DIR/04_momentum_physics.slides.html

Each committed, executed learner notebook of ``notebooks/`` (course order; never
re-executed) gets its slide structure from ``tools/slide_plan.py`` (headings start slides,
a demonstration and its prose make one slide, set-up cells and exercise stubs are skipped;
cell tags override) and is exported with nbconvert's slides exporter (what
``jupyter nbconvert --to slides`` runs) through the template in ``tools/slides/``.
Explorers show their static companion figure and a line saying the live version runs in
JupyterLab, linking the notebook file (copied into ``OUT_DIR/notebooks/``).

reveal.js (npm's ``reveal.js`` 5.2.1) and MathJax (npm's ``mathjax`` 3.2.2) are copied from
``third_party/`` into ``OUT_DIR/_assets/``, and figures are embedded in the decks, so the
folder works from a USB stick in a lecture hall with no network. Keys: arrows or space to
move, Esc for the overview, S for the speaker view (cells tagged ``notes``), F fullscreen.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import course_pages, slide_plan  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent / "slides"
ASSETS = "_assets"
REVEAL = f"{ASSETS}/reveal.js"
MATHJAX = f"{ASSETS}/mathjax/es5/tex-mml-chtml.js"
NOTEBOOK_LINK = re.compile(r"\]\((\d\d_[a-z0-9_]+)\.ipynb(#[^)]*)?\)")


class BuildError(RuntimeError):
    """The slides cannot be built as asked (the message says why)."""


def exporter(theme: str = "white"):
    from nbconvert import SlidesExporter

    slides = SlidesExporter(template_name="course_reveal", extra_template_basedirs=[
        str(TEMPLATES)])
    slides.reveal_url_prefix = REVEAL
    slides.reveal_theme = theme
    slides.reveal_number = "c/t"
    slides.reveal_transition = "none"      # a projector shows still slides best
    slides.reveal_width, slides.reveal_height = "1280", "720"   # a 16:9 projector
    slides.mathjax_url = MATHJAX
    slides.exclude_input_prompt = True
    slides.exclude_output_prompt = True
    return slides


def link_decks(nb, decks: set[str]) -> None:
    """Links to another notebook lead to its deck, or to its file if it has none here."""
    def target(match: re.Match) -> str:
        name = match.group(1)
        return f"]({name}.slides.html)" if name in decks else f"](notebooks/{name}.ipynb)"

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = NOTEBOOK_LINK.sub(target, course_pages.source(cell))


def deck(path: Path, slides, decks: set[str] = frozenset()) -> tuple[str, int]:
    """(HTML of the deck of one notebook, number of top-level and sub-slides)."""
    planned = slide_plan.plan(course_pages.read(path))
    href = f"notebooks/{path.name}"
    course_pages.replace_explorers(planned, href, href)
    link_decks(planned, set(decks))
    count = sum(c.metadata["slideshow"]["slide_type"] in ("slide", "subslide")
                for c in planned.cells)
    body, _ = slides.from_notebook_node(planned, resources={"metadata": {"name": path.stem}})
    return body, count


def index_page(decks: list[tuple[str, str, int]]) -> str:
    rows = "\n".join(
        f'<li><a href="{html.escape(name)}.slides.html">{html.escape(title)}</a> '
        f"({count} slides)</li>" for name, title, count in decks)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Lecture slides: Optimization for Training Deep Models</title></head><body>"
            "<h1>Lecture slides: Optimization for Training Deep Models</h1>"
            "<p>One deck per notebook. Arrows or space move, Esc shows the overview, S opens "
            "the speaker view, F goes full screen. Everything is in this folder: no network "
            f"is needed.</p><ol>\n{rows}\n</ol></body></html>\n")


def prepare_output(out: Path) -> None:
    """Empty ``out`` if it holds earlier slides; refuse any other non-empty folder."""
    if out.exists() and any(out.iterdir()):
        if not (out / ASSETS).is_dir():
            raise BuildError(f"{out} is not empty and holds no earlier slides ({ASSETS}/): "
                             f"give an empty or new folder")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def build(out: Path, only: list[str] | None = None,
          notebooks_dir: Path = course_pages.NOTEBOOKS,
          theme: str = "white") -> list[tuple[str, str, int]]:
    """Write the decks into ``out``; return [(notebook, title, slides)] in course order."""
    notebooks = every = course_pages.course_notebooks(notebooks_dir)
    if only:
        unknown = sorted(set(only) - {p.stem for p in notebooks})
        if unknown:
            raise BuildError(f"no notebooks/{unknown[0]}.ipynb; the notebooks are "
                             f"{[p.stem for p in notebooks]}")
        notebooks = [p for p in notebooks if p.stem in only]
    if not notebooks:
        raise BuildError(f"no NN_topic.ipynb notebooks in {notebooks_dir}")
    if not (TEMPLATES.parent.parent / "third_party" / "reveal.js" / "dist" / "theme"
            / f"{theme}.css").exists():
        raise BuildError(f"no vendored reveal.js theme {theme!r} in third_party/reveal.js")
    prepare_output(out)
    for folder in ("reveal.js", "mathjax"):
        shutil.copytree(course_pages.THIRD_PARTY / folder, out / ASSETS / folder)
    (out / "notebooks").mkdir()
    for path in every:                       # every notebook, so that every link works
        shutil.copy2(path, out / "notebooks" / path.name)
    slides, made, decks = exporter(theme), [], {p.stem for p in notebooks}
    for path in notebooks:
        body, count = deck(path, slides, decks)
        (out / f"{path.stem}.slides.html").write_text(body, encoding="utf-8")
        made.append((path.stem, course_pages.title(course_pages.read(path)), count))
    (out / "index.html").write_text(index_page(made), encoding="utf-8")
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write one reveal.js deck per notebook.")
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="folder for the decks")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="only this notebook (repeatable), e.g. --only 04_momentum_physics")
    parser.add_argument("--theme", default="white",
                        help="reveal.js theme vendored in third_party/reveal.js/dist/theme "
                             "(white, white-contrast, black, black-contrast)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        made = build(args.out, args.only, theme=args.theme)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, _, count in made:
        print(f"{args.out / (name + '.slides.html')}: {count} slides")
    print(f"{len(made)} decks in {time.perf_counter() - start:.1f} s: {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
