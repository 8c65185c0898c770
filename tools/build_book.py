"""Build the course as a static web book: one page per notebook, from one command.

    python tools/build_book.py OUT_DIR          # e.g. build/book; open OUT_DIR/index.html

Sphinx + myst-nb + sphinx-book-theme turn the committed, executed learner notebooks of
``notebooks/`` (every ``NN_topic.ipynb``, in course order; never re-executed) into HTML with
a table of contents, a search box and MathJax equations. The landing page is the README's
map of the notebooks, and ``figures/`` becomes a gallery page (``tools/book_pages.py``).
Each explorer shows its static companion figure and one line saying that the live version
runs in JupyterLab, with a link to the notebook file (copied into ``OUT_DIR/notebooks/``).

Offline: MathJax is the vendored copy in ``third_party/mathjax``, the theme ships its own
fonts and scripts, and no widget JavaScript is loaded, so nothing is fetched to build or to
read the book. Warnings are errors (``-W``): a broken cross-reference or a missing image
fails the build. A notebook that holds a solution or hidden tests (nbgrader's markers) is
refused: the book shows what learners get, never what graders keep.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nbformat  # noqa: E402

from tools import book_pages, course_pages  # noqa: E402

ROOT = course_pages.ROOT
CONFIG = Path(__file__).resolve().parent / "book"
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


class BuildError(RuntimeError):
    """The book cannot be built as asked (the message says why)."""


def stage(folder: Path, notebooks: list[Path], root: Path = ROOT) -> dict[str, str]:
    """Write the Sphinx sources of the book into ``folder``; return {notebook: title}."""
    shutil.copytree(CONFIG, folder, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(course_pages.THIRD_PARTY / "mathjax", folder / "_static" / "mathjax")
    downloads = folder / "_extra" / "notebooks"
    downloads.mkdir(parents=True)
    titles = {}
    for path in notebooks:
        text = path.read_text(encoding="utf-8")
        leaked = [m for m in MARKERS if m in text]
        if leaked:
            raise BuildError(f"{path.name} contains nbgrader's {leaked[0]!r}: the book is made "
                             f"from learner notebooks only (python tools/build_notebooks.py)")
        nb = nbformat.reads(text, as_version=4)
        titles[path.stem] = course_pages.title(nb) or path.stem
        href = f"notebooks/{path.name}"
        course_pages.replace_explorers(nb, href, href)
        nbformat.write(nb, folder / path.name)
        shutil.copy2(path, downloads / path.name)
    figures = root / "figures"
    has_gallery = figures.is_dir() and any(figures.glob("*.png"))
    if has_gallery:
        shutil.copytree(figures, folder / "figures",
                        ignore=shutil.ignore_patterns("README.md", "__pycache__"))
        (folder / "gallery.md").write_text(book_pages.gallery_page(figures, titles),
                                           encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    (folder / "index.md").write_text(
        book_pages.landing_page(readme, titles, "gallery" if has_gallery else None),
        encoding="utf-8")
    return titles


def prepare_output(out: Path) -> None:
    """Empty ``out`` if it holds an earlier book; refuse any other non-empty folder."""
    if out.exists() and any(out.iterdir()):
        if not (out / ".buildinfo").exists():
            raise BuildError(f"{out} is not empty and holds no earlier book (.buildinfo): "
                             f"give an empty or new folder")
        shutil.rmtree(out)


def build(out: Path, notebooks_dir: Path = course_pages.NOTEBOOKS, jobs: str = "auto",
          quiet: bool = True) -> dict[str, str]:
    """Build the book into ``out``; return {notebook: title}. BuildError if Sphinx fails."""
    from sphinx.cmd.build import build_main

    notebooks = course_pages.course_notebooks(notebooks_dir)
    if not notebooks:
        raise BuildError(f"no NN_topic.ipynb notebooks in {notebooks_dir}")
    out = out.resolve()
    prepare_output(out)
    with tempfile.TemporaryDirectory(prefix="course-book-") as tmp:
        source, doctrees = Path(tmp) / "source", Path(tmp) / "doctrees"
        titles = stage(source, notebooks)
        args = ["-W", "--keep-going", "-b", "html", "-d", str(doctrees), "-j", jobs,
                str(source), str(out)]
        status = build_main((["-q"] if quiet else []) + args)
    if status:
        raise BuildError(f"sphinx-build failed (exit {status}); its warnings are above")
    return titles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the course's web book into OUT_DIR.")
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="folder for the HTML site")
    parser.add_argument("--notebooks", type=Path, default=course_pages.NOTEBOOKS,
                        help="folder of executed learner notebooks (default: notebooks/)")
    parser.add_argument("--jobs", default=os.environ.get("BOOK_JOBS", "auto"),
                        help="Sphinx's parallel jobs (default: auto, one per core)")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        titles = build(args.out, args.notebooks, args.jobs, quiet=not args.verbose)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"book of {len(titles)} notebooks in {time.perf_counter() - start:.1f} s: "
          f"{args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
