"""Lecture slides (``python tools/build_slides.py OUT_DIR``): the plan and the decks.

The slide plan (``tools/slide_plan.py``) is tested on small notebooks that have one of each
kind of cell, and on every learner notebook: headings start slides, a demonstration and its
prose share one, an explorer stays with its companion figure, set-up cells, stubs and check
cells are skipped, tags override. Then one deck is built and opened in Chromium: reveal.js
comes from the vendored copy next to it, the equations are typeset, nothing is fetched from
another machine, and it has more than five slides.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import build_slides, course_pages, site_check, slide_plan  # noqa: E402

NOTEBOOKS = [p.stem for p in course_pages.course_notebooks()]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DECK = "04_momentum_physics"
new_md, new_code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


def shown(text: str = "result") -> list:
    return [nbformat.v4.new_output("stream", name="stdout", text=text)]


def figure() -> list:
    return [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=",
                                                         "text/plain": "<Figure>"})]


def explorer_output() -> list:
    return [nbformat.v4.new_output("display_data", data={
        course_pages.WIDGET_VIEW: {"model_id": "x"},
        "text/plain": "Explorer: a bowl (controls: lr)"})]


def grader(grade_id: str, solution=False, grade=False) -> dict:
    return {"nbgrader": {"grade_id": grade_id, "solution": solution, "grade": grade}}


def toy() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        new_md("# 99 · Toy\n\nGoals."),                                        # 0
        new_code("%matplotlib inline\nimport numpy as np", metadata=grader("setup")),
        new_md("## 1 · A claim\n\nThe loss halves."),                           # 2
        new_code("run()", outputs=shown("0.5")),                                # 3
        new_md("It printed 0.5, as claimed.\n\n## 2 · Next idea\n\nA bowl:\n\n"
               "```python\n# not a heading\n```"),                              # 4 → 2 parts
        new_code("fig = bowl()", outputs=figure()),                             # 5
        new_md("And the second measurement of the same idea:"),                 # 6
        new_code("print(more())", outputs=shown("42")),                         # 7
        new_code("fig = companion_figure()", outputs=figure()),                 # 8
        new_code("explorer()", outputs=explorer_output()),                      # 9
        new_md("## Exercises\n\n### Exercise 1 (implement)\n\nWrite it."),      # 10 → 2 parts
        new_code("def step():\n    # YOUR CODE HERE\n    pass",
                 metadata=grader("step", solution=True)),
        new_code("print(checks.check_step(step))", outputs=shown("not done yet"),
                 metadata=grader("check_step", grade=True)),
        new_md("YOUR ANSWER HERE", metadata=grader("explain", solution=True, grade=True)),
        new_md("### Your running score", metadata=grader("scoreboard_intro")),
        new_code("checks.scoreboard({})", outputs=shown("0 of 3")),
        new_code("helper = 3"),                                                 # no output
        new_md("## Summary\n\nDone."),
    ]
    return nb


def types(nb) -> list[tuple[str, str]]:
    return [(slide_plan.source(c).splitlines()[0] if slide_plan.source(c) else "",
             c.metadata["slideshow"]["slide_type"]) for c in nb.cells]


def test_a_notebook_is_cut_into_slides_along_its_shape():
    planned = types(slide_plan.plan(toy()))
    assert planned == [
        ("# 99 · Toy", "slide"),
        ("%matplotlib inline", "skip"),                         # set-up
        ("## 1 · A claim", "slide"),
        ("run()", "-"),                                         # claim and measurement
        ("It printed 0.5, as claimed.", "-"),                   # its reading stays with it
        ("## 2 · Next idea", "slide"),                          # the cut at the heading
        ("fig = bowl()", "-"),
        ("And the second measurement of the same idea:", "subslide"),
        ("print(more())", "-"),
        ("fig = companion_figure()", "subslide"),
        ("explorer()", "-"),                                    # with its companion figure
        ("## Exercises", "slide"),
        ("### Exercise 1 (implement)", "-"),                    # a bare heading shares
        ("def step():", "skip"),                                # the stub
        ("print(checks.check_step(step))", "skip"),             # its "not done yet"
        ("YOUR ANSWER HERE", "skip"),
        ("### Your running score", "skip"),
        ("checks.scoreboard({})", "skip"),
        ("helper = 3", "skip"),                                 # shows nothing
        ("## Summary", "slide"),
    ]


def test_tags_and_jupyterlab_slide_types_override_the_shape():
    nb = toy()
    nb.cells[1].metadata["tags"] = ["slide"]                   # show the set-up after all
    nb.cells[3].metadata["tags"] = ["fragment"]
    nb.cells[4].metadata["tags"] = ["notes"]                   # not cut: speaker notes
    nb.cells[7].metadata["slideshow"] = {"slide_type": "skip"}
    nb.cells[12].metadata["tags"] = ["continue"]
    planned = dict(types(slide_plan.plan(nb)))
    assert planned["%matplotlib inline"] == "slide"
    assert planned["run()"] == "fragment"
    assert planned["It printed 0.5, as claimed."] == "notes"
    assert "## 2 · Next idea" not in planned                   # a tagged cell stays whole
    assert planned["print(more())"] == "skip"
    assert planned["print(checks.check_step(step))"] == "-"


def test_the_plan_leaves_the_notebook_alone():
    nb = toy()
    before = json.dumps(nb, sort_keys=True)
    slide_plan.plan(nb)
    assert json.dumps(nb, sort_keys=True) == before


def test_headings_in_code_fences_and_math_do_not_cut():
    text = "Intro\n\n```\n# comment\n```\n\n$$\n# x\n$$\n\n### Part\n\nbody"
    assert slide_plan.split_at_headings(text) == [
        "Intro\n\n```\n# comment\n```\n\n$$\n# x\n$$", "### Part\n\nbody"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_learner_notebook_makes_a_lecture(name):
    nb = course_pages.read(ROOT / "notebooks" / f"{name}.ipynb")
    planned = slide_plan.plan(nb)
    kinds = [c.metadata["slideshow"]["slide_type"] for c in planned.cells]
    shown_cells = [c for c, k in zip(planned.cells, kinds, strict=True) if k != "skip"]
    assert kinds[0] == "slide" and sum(k in ("slide", "subslide") for k in kinds) > 5
    for cell, kind in zip(planned.cells, kinds, strict=True):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") == "setup" or meta.get("solution"):
            assert kind == "skip", f"{name}: {meta['grade_id']} is shown"
        if course_pages.is_explorer_cell(cell):
            assert kind == "-", f"{name}: an explorer is cut from what comes before it"
    assert all(c.cell_type == "markdown" or c.get("outputs") for c in shown_cells)
    assert not any(slide_plan.CODE_STUB in slide_plan.source(c) for c in shown_cells
                   if c.cell_type == "code")


# ---------------------------------------------------------------- a deck, built and opened


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides") / "decks"
    return out, build_slides.build(out, only=[DECK])


@pytest.mark.slow
def test_one_deck_with_its_assets_and_no_link_elsewhere(decks):
    out, made = decks
    assert [m[0] for m in made] == [DECK] and made[0][2] > 5
    html = (out / f"{DECK}.slides.html").read_text(encoding="utf-8")
    assert 'src="_assets/reveal.js/dist/reveal.js"' in html
    assert "_assets/mathjax/es5/tex-mml-chtml.js" in html
    assert (out / "_assets" / "reveal.js" / "LICENSE").exists()
    assert (out / "notebooks" / f"{DECK}.ipynb").exists()
    assert 'class="course-live-explorer"' in html and course_pages.WIDGET_VIEW not in html
    assert site_check.broken_links(out) == []
    assert site_check.external_assets(out) == []
    assert site_check.leaks(out) == []


@pytest.mark.slow
def test_an_unknown_notebook_or_a_folder_that_holds_no_slides_is_refused(tmp_path):
    with pytest.raises(build_slides.BuildError, match="no notebooks/99_nothing.ipynb"):
        build_slides.build(tmp_path / "a", only=["99_nothing"])
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("keep")
    with pytest.raises(build_slides.BuildError, match="not empty"):
        build_slides.build(tmp_path / "b", only=[DECK])
    assert (tmp_path / "b" / "notes.txt").read_text() == "keep"


def test_the_vendored_reveal_and_mathjax_carry_their_licences():
    reveal = ROOT / "third_party" / "reveal.js"
    mathjax = ROOT / "third_party" / "mathjax"
    assert json.loads((reveal / "package.json").read_text())["version"] == "5.2.1"
    assert "Permission is hereby granted" in (reveal / "LICENSE").read_text()
    assert json.loads((mathjax / "package.json").read_text())["version"] == "3.2.2"
    assert "Apache License" in (mathjax / "LICENSE").read_text()
    assert (reveal / "dist" / "theme" / "fonts" / "source-sans-pro" / "LICENSE").exists()


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


@pytest.mark.slow
def test_the_deck_opens_with_the_vendored_reveal_and_has_more_than_five_slides(
        decks, chromium):
    out, made = decks
    with site_check.serve(out) as base:
        page = chromium.new_page(viewport={"width": 1280, "height": 720})
        elsewhere, loaded, errors = [], {}, []

        def only_local(route):
            if route.request.url.startswith((base, "data:", "blob:")):
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        page.route("**/*", only_local)
        page.on("response", lambda r: loaded.__setitem__(r.url[len(base):], r.status))
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(f"{base}{DECK}.slides.html")
            page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=30_000)
            total = page.evaluate("Reveal.getTotalSlides()")
            assert total > 5 and total == made[0][2]
            assert loaded.get("_assets/reveal.js/dist/reveal.js") == 200
            assert loaded.get("_assets/reveal.js/dist/theme/white.css") == 200
            assert page.evaluate("Reveal.hasPlugin('notes')")
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
            typeset = page.evaluate(
                "MathJax.startup.promise.then(() => [document.querySelectorAll("
                "'mjx-container').length, document.querySelectorAll("
                "'mjx-merror, [data-mjx-error], mjx-mtext[style*=\"color: red\"]').length])")
            assert typeset[0] > 20 and typeset[1] == 0, typeset
            first = page.evaluate("Reveal.getIndices().h")
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"Reveal.getIndices().h === {first + 1}")
            assert elsewhere == [] and errors == []
        finally:
            page.close()
