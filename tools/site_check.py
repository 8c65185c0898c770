"""Checks of a built book or slide folder: its links, its assets, and what it must not show.

    python tools/site_check.py OUT_DIR      # exit 1, listing each problem, if any

Used by ``tests/test_book.py`` and ``tests/test_slides.py``, and by hand after a build:

- ``broken_links``: every ``href`` and ``src`` of every HTML page that points inside the
  site must name a file that exists and, with a ``#fragment`` into a page, an id on it;
- ``external_assets``: scripts, style sheets, images and frames must come from the site
  itself (links *to* other sites are fine; loading from them is not: the site is offline);
- ``leaks``: no nbgrader marker, no name a hidden test calls, no line of a hidden test and no
  line of a solution of the instructor sources appears in any text file of the site.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", re.S)
SOLUTION = re.compile(r"### BEGIN SOLUTION(.*?)### END SOLUTION", re.S)
TEXT_SUFFIXES = {".html", ".js", ".txt", ".ipynb", ".json", ".md", ".css", ".inv"}
ASSET_TAGS = {"script", "img", "iframe", "source", "video", "audio", "embed", "link"}
MIN_LINE = 24            # shorter lines ("return theta, v") may be said in the open too


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []       # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if name in ("href", "src"):
                self.refs.append((tag, name, value))


@functools.cache
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def html_files(out: Path) -> list[Path]:
    """The site's pages (not the theme's template fragments under _static/)."""
    return sorted(p for p in out.rglob("*.html") if "_static" not in p.relative_to(out).parts)


def _is_external(value: str) -> bool:
    return bool(re.match(r"^([a-z][a-z0-9+.-]*:|//)", value, re.I))


def broken_links(out: Path) -> list[str]:
    """``page: tag attr="value"`` for each internal reference that leads nowhere."""
    out = out.resolve()
    problems = []
    for page_path in html_files(out):
        for tag, attr, value in _parse(page_path).refs:
            if _is_external(value) or value in ("", "#"):
                continue
            parts = urlsplit(value)
            target = page_path if not parts.path else (
                page_path.parent / unquote(parts.path)).resolve()
            where = f"{page_path.relative_to(out)}: <{tag} {attr}={value!r}>"
            if not target.is_relative_to(out) or not target.exists():
                problems.append(f"{where} → no such file")
            elif target.is_dir() and not (target / "index.html").exists():
                problems.append(f"{where} → a folder without index.html")
            elif parts.fragment and target.suffix == ".html" and not (
                    {parts.fragment, unquote(parts.fragment)} & _parse(target).ids):
                problems.append(f"{where} → no id {parts.fragment!r} in {target.name}")
    return problems


def external_assets(out: Path) -> list[str]:
    """Scripts, styles, images or frames a page would load from another site."""
    problems = []
    for page_path in html_files(out):
        for tag, attr, value in _parse(page_path).refs:
            if tag in ASSET_TAGS and (tag != "link" or attr == "href") and _is_external(value):
                if value.startswith("data:"):
                    continue
                problems.append(f"{page_path.relative_to(out)}: <{tag} {attr}={value!r}>")
    return problems


def _cell_text(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def secrets(sources: Path = ROOT / "instructor" / "source",
            learner: Path = ROOT / "notebooks") -> dict[str, set[str]]:
    """What the site must not show, read from the instructor sources.

    ``names``: what hidden tests call through ``checks.`` and no visible part of the sources
    mentions; ``lines``: lines of hidden tests and solutions (at least ``MIN_LINE``
    characters) that appear nowhere else in the sources, nor in the learner notebooks'
    outputs (a solution may repeat a line of the reference code a notebook prints).
    """
    hidden_names, visible, secret_lines = set(), [], set()
    for path in sorted(sources.glob("*/*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            text = _cell_text(cell)
            meta = cell.get("metadata", {}).get("nbgrader", {})
            regions = HIDDEN.findall(text) + SOLUTION.findall(text)
            if meta.get("solution") and not SOLUTION.search(text):
                regions.append(text)                     # a whole-cell answer (explain)
            for region in HIDDEN.findall(text):
                hidden_names |= set(re.findall(r"\bchecks\.(\w+)", region))
            for region in regions:
                secret_lines |= {ln.strip() for ln in region.splitlines()
                                 if len(ln.strip()) >= MIN_LINE}
            rest = SOLUTION.sub("", HIDDEN.sub("", text))
            visible.append("" if meta.get("solution") and not SOLUTION.search(text) else rest)
    public = "\n".join(visible)
    printed = []
    for path in sorted(learner.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                printed += [_cell_text({"source": output.get("text", "")}),
                            _cell_text({"source": output.get("data", {}).get("text/plain", "")})]
    printed_text = "\n".join(printed)
    return {"markers": set(MARKERS),
            "names": {n for n in hidden_names if not re.search(rf"\b{n}\b", public)},
            "lines": {ln for ln in secret_lines
                      if ln not in public and ln not in printed_text}}


def text_files(out: Path) -> Iterator[Path]:
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            yield path


def leaks(out: Path, found: dict[str, set[str]] | None = None) -> list[str]:
    """``file: what`` for each marker, hidden name or secret line found in the site."""
    found = secrets() if found is None else found
    names = re.compile(r"\b(" + "|".join(map(re.escape, sorted(found["names"]))) + r")\b") \
        if found["names"] else None
    problems = []
    for path in text_files(out):
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(out)
        problems += [f"{where}: nbgrader marker {m!r}" for m in found["markers"] if m in text]
        if names:
            problems += [f"{where}: hidden check {n!r}" for n in sorted(set(names.findall(text)))]
        problems += [f"{where}: hidden or solution line {ln!r}" for ln in sorted(found["lines"])
                     if ln in text]
    return problems


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):            # no request log on the test's output
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) while the block runs; yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python tools/site_check.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(args[0])
    problems = broken_links(out) + external_assets(out) + leaks(out)
    for problem in problems:
        print(problem)
    print(f"{len(html_files(out))} pages checked: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
