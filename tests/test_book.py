"""The course as a web book (``python tools/build_book.py OUT_DIR``).

Builds the book once into a temporary folder from the committed learner notebooks and
checks what a reader gets: one page per notebook with its title and figures, the README's
map as the landing page, explorers as their static figure and a line pointing to
JupyterLab, the exercises with their checks' sample output, the gallery, no broken link,
nothing loaded from another site, and none of the graders' material (nbgrader markers,
hidden tests' names and lines, solutions). Then Chromium opens it: equations rendered by
the vendored MathJax, no request leaving the machine, and the search box finds "Nesterov".

Needs Debian's Chromium and playwright for the browser tests (skipped without them, except
under CI, where they fail, as in tests/test_browser.py).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import book_pages, build_book, course_pages, site_check  # noqa: E402

NOTEBOOKS = [p.stem for p in course_pages.course_notebooks()]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
EQUATION_PAGES = ("04_momentum_physics", "06_adaptive_rates")
# Sphinx 9 announces API changes that myst-parser and the theme have not made yet.
pytestmark = pytest.mark.filterwarnings("ignore:.*Check CHANGES for Sphinx API")


def page_text(path: Path) -> str:
    """The words of an HTML page, as a reader sees them (tags and scripts removed)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("book") / "site"
    start = time.perf_counter()
    titles = build_book.build(out, jobs="1")
    print(f"\nbook of {len(titles)} notebooks built in {time.perf_counter() - start:.1f} s")
    return out, titles


# ---------------------------------------------------------------- fast: the pieces


def test_notebooks_are_taken_in_course_order(tmp_path):
    for name in ("10_last", "02_second", "00_first", "scratch", "01_x-y"):
        (tmp_path / f"{name}.ipynb").write_text("{}")
    assert [p.stem for p in course_pages.course_notebooks(tmp_path)] == [
        "00_first", "02_second", "10_last"]


def test_landing_page_links_every_notebook_and_says_which_are_missing():
    readme = ("# The course\n\nIntro with [nbgrader](https://nbgrader.readthedocs.io) and "
              "[`course_lib/`](course_lib).\n\n## Set-up\n\nnot in the book\n\n"
              "## The notebooks\n\n| notebook | section | ideas |\n|---|---|---|\n"
              "| [`00_a`](notebooks/00_a.ipynb) | — | a |\n| `01_b` | 8.1 | b |\n"
              "| `02_c` | 8.2 | c |\n\nNotebooks without a link are still being written.\n")
    page = book_pages.landing_page(readme, {"00_a": "00 · A", "01_b": "01 · B",
                                            "03_d": "03 · D"})
    assert page.startswith("# The course")
    assert "[nbgrader](https://nbgrader.readthedocs.io)" in page
    assert "`course_lib/`" in page and "](course_lib)" not in page   # not a page of the book
    assert "not in the book" not in page
    assert "| [`00_a`](00_a.ipynb) |" in page and "| [`01_b`](01_b.ipynb) |" in page
    assert "`02_c` (being written)" in page
    assert "| [`03_d`](03_d.ipynb) | — | 03 · D |" in page            # landed, not in the map
    assert "without a link" not in page
    toctree = page.split("```{toctree}")[1]
    assert toctree.index("00_a") < toctree.index("01_b") < toctree.index("03_d")
    assert "gallery" in toctree


def test_figure_captions_come_from_the_figures_readme():
    readme = (ROOT / "figures" / "README.md").read_text(encoding="utf-8")
    captions = book_pages.figure_captions(readme)
    pngs = {p.stem for p in (ROOT / "figures").glob("*.png")}
    assert pngs and set(captions) <= pngs
    assert all(notebook in NOTEBOOKS for notebook, _ in captions.values())


def test_a_notebook_holding_solutions_is_refused(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = course_pages.read(ROOT / "notebooks" / f"{NOTEBOOKS[0]}.ipynb")
    nb.cells[0].source += "\n### BEGIN SOLUTION\nanswer\n### END SOLUTION\n"
    (folder / f"{NOTEBOOKS[0]}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(build_book.BuildError, match="BEGIN SOLUTION"):
        build_book.build(tmp_path / "out", folder)


def test_a_folder_that_holds_no_book_is_never_emptied(tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(build_book.BuildError, match="not empty"):
        build_book.prepare_output(tmp_path)
    assert (tmp_path / "thesis.tex").read_text() == "precious"


def test_the_graders_secrets_are_known():
    """The leak test below is only as good as what it looks for."""
    found = site_check.secrets()
    assert "check_random_cases" in found["names"]
    assert len(found["names"]) >= 10 and len(found["lines"]) >= 50


@pytest.mark.slow
def test_a_broken_cross_reference_or_a_missing_image_fails_the_build(tmp_path, capfd):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# 00 · A page\n\n![a figure](nowhere.png)\n\n**Next:** [01_gone](01_gone.ipynb)")])
    nbformat.write(nb, folder / "00_page.ipynb")
    with pytest.raises(build_book.BuildError, match="sphinx-build failed"):
        build_book.build(tmp_path / "out", folder, jobs="1")
    warnings = capfd.readouterr().err
    assert "01_gone.ipynb" in warnings and "nowhere.png" in warnings


# ---------------------------------------------------------------- the built book


@pytest.mark.slow
def test_one_page_per_notebook_with_its_title_and_a_figure(book):
    out, titles = book
    assert list(titles) == NOTEBOOKS
    for name in NOTEBOOKS:
        page = out / f"{name}.html"
        assert page.exists(), f"no page for notebooks/{name}.ipynb"
        title = course_pages.title(course_pages.read(ROOT / "notebooks" / f"{name}.ipynb"))
        assert title and words(title) in page_text(page), f"{name}: title {title!r} missing"
        images = [v for tag, attr, v in site_check._parse(page).refs
                  if tag == "img" and v.startswith("_images/")]
        assert images, f"{name}.html shows no figure"


@pytest.mark.slow
def test_no_broken_internal_link_and_nothing_loaded_from_elsewhere(book):
    out, _ = book
    assert site_check.broken_links(out) == []
    assert site_check.external_assets(out) == []
    assert (out / "_static" / "mathjax" / "es5" / "tex-mml-chtml.js").exists()
    assert (out / "_static" / "mathjax" / "LICENSE").exists()


@pytest.mark.slow
def test_no_solution_or_hidden_test_anywhere_in_the_site(book):
    out, _ = book
    assert site_check.leaks(out) == []


@pytest.mark.slow
def test_landing_page_is_the_readme_map(book):
    out, _ = book
    index = out / "index.html"
    hrefs = {v for tag, _, v in site_check._parse(index).refs if tag == "a"}
    for name in NOTEBOOKS:
        assert f"{name}.html" in hrefs, f"the landing page does not link {name}"
    assert "gallery.html" in hrefs
    text = page_text(index)
    readme_title = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[0][2:]
    assert words(readme_title) in text
    assert "algorithms and ideas" in text                 # the map's table header


@pytest.mark.slow
def test_each_explorer_is_its_companion_figure_and_a_line_to_jupyterlab(book):
    out, _ = book
    for name in NOTEBOOKS:
        nb = course_pages.read(ROOT / "notebooks" / f"{name}.ipynb")
        explorers = [i for i, c in enumerate(nb.cells) if course_pages.is_explorer_cell(c)]
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert page.count('class="course-live-explorer"') == len(explorers) > 0, name
        assert f'href="notebooks/{name}.ipynb"' in page
        assert (out / "notebooks" / f"{name}.ipynb").exists()
        assert course_pages.WIDGET_VIEW not in page
        companions = [i for i in explorers if course_pages.has_companion(nb, i)]
        assert companions, f"{name}: no explorer has its static figure just before it"
        assert page.count("The figure above is its view at the default settings") == len(
            companions)


@pytest.mark.slow
def test_exercises_show_their_checks_sample_output(book):
    out, _ = book
    for name in NOTEBOOKS:
        nb = course_pages.read(ROOT / "notebooks" / f"{name}.ipynb")
        text = page_text(out / f"{name}.html")
        checks = [c for c in nb.cells if c.cell_type == "code"
                  and c.metadata.get("nbgrader", {}).get("grade")
                  and not c.metadata["nbgrader"].get("solution")]
        assert checks, f"{name} has no check cell"
        for cell in checks:
            for output in cell.outputs:
                if output.output_type == "stream":
                    first = words(output.text.splitlines()[0])
                    assert first in text, f"{name}: check output {first!r} not in the page"


@pytest.mark.slow
def test_gallery_shows_every_figure_with_its_svg(book):
    out, _ = book
    gallery = out / "gallery.html"
    refs = site_check._parse(gallery).refs
    pngs = sorted((ROOT / "figures").glob("*.png"))
    images = [v for tag, _, v in refs if tag == "img"]
    assert len(images) == len(pngs)
    svgs = [v for tag, _, v in refs if tag == "a" and v.endswith(".svg")]
    assert len(svgs) == len([p for p in pngs if p.with_suffix(".svg").exists()])


# ---------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def chromium():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium for the browser tests (.ci/run)")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    if os.environ.get("CI"):
        import playwright.sync_api  # noqa: F401  (CI has it: requirements-dev.txt)
    else:
        pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def site(book):
    with site_check.serve(book[0]) as base:
        yield base


@pytest.fixture()
def page(chromium, site):
    """A page that may load only from the book's own server; other requests are refused."""
    tab = chromium.new_page(viewport={"width": 1300, "height": 900})
    tab.elsewhere = []

    def only_local(route):
        if route.request.url.startswith((site, "data:", "blob:")):
            route.continue_()
        else:
            tab.elsewhere.append(route.request.url)
            route.abort()

    tab.route("**/*", only_local)
    yield tab
    tab.close()


# After MathJax's first typesetting: how many equations it drew, and the TeX it could not
# (an error box, an undefined macro drawn in red, or a math element left as raw TeX).
EQUATIONS = """() => MathJax.startup.promise.then(() => {
  const bad = [...document.querySelectorAll(
      'mjx-merror, [data-mjx-error], mjx-mtext[style*="color: red"]')]
    .map(e => (e.closest('mjx-container') || e).textContent);
  const raw = [...document.querySelectorAll('.math')]
    .filter(e => !e.querySelector('mjx-container')).map(e => e.textContent);
  return [document.querySelectorAll('mjx-container').length,
          bad.concat(raw).map(t => t.slice(0, 80))];
})"""


def equations(tab):
    """(number of typeset equations, [TeX that failed]) once MathJax is done."""
    tab.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise",
                          timeout=30_000)
    return tab.evaluate(EQUATIONS)


@pytest.mark.slow
def test_landing_page_and_two_notebooks_render_their_equations_offline(page, site):
    page.goto(site + "index.html")
    nav = page.locator("nav a.reference.internal")
    assert nav.count() >= len(NOTEBOOKS)
    for name in EQUATION_PAGES:
        page.goto(f"{site}{name}.html")
        rendered, failed = equations(page)
        assert rendered > 20 and failed == [], f"{name}: {rendered} equations, failed {failed}"
        loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert any("_static/mathjax/es5/tex-mml-chtml.js" in url for url in loaded)
        assert page.locator("img[src^='_images/']").count() > 0
    assert page.elsewhere == []


@pytest.mark.slow
def test_every_notebook_page_typesets_without_a_tex_error(page, site):
    for name in NOTEBOOKS:
        page.goto(f"{site}{name}.html")
        _, failed = equations(page)
        assert failed == [], f"{name}.html: MathJax could not typeset {failed}"
    assert page.elsewhere == []


@pytest.mark.slow
def test_the_equation_check_sees_a_tex_error(page, site):
    """The two tests above would see a broken equation: an undefined macro, unbalanced TeX."""
    page.goto(f"{site}{EQUATION_PAGES[0]}.html")
    equations(page)
    page.evaluate(r"""() => {
        const p = document.createElement('p');
        p.innerHTML = '<span class="math">\\(\\frac{1}{\\notamacro}\\)</span>'
                    + '<span class="math">\\(\\frac{1}{\\)</span>';
        document.querySelector('article').appendChild(p);
        return MathJax.typesetPromise([p]);
    }""")
    _, failed = page.evaluate(EQUATIONS)
    assert len(failed) == 2 and "notamacro" in failed[0], failed


@pytest.mark.slow
def test_the_search_box_finds_nesterov(page, site):
    page.goto(site + "index.html")
    page.keyboard.press("Control+k")                  # the theme's search box
    box = page.locator("#pst-search-dialog input[name='q']")
    box.wait_for(state="visible", timeout=10_000)
    box.fill("Nesterov")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=Nesterov*", timeout=10_000)
    results = page.locator("#search-results li a, ul.search li a")
    results.first.wait_for(timeout=30_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("04_momentum_physics.html" in h for h in hrefs), hrefs
    assert page.elsewhere == []
