"""Every learner notebook in a real browser: JupyterLab runs it, a person moves every control.

For each notebook of ``notebooks/``: open it in JupyterLab (headless Chromium, driven by
Playwright), Run All, wait until the kernel is idle; no cell shows a traceback and every
explorer renders (no "Error displaying widget"). Then, for every control of every explorer,
change it as a person would (arrow keys on a slider's handle, another choice in a menu, a
click on a toggle) and see the explorer's picture or text change, or the control disabled.
Each slider shows the default its factory intends (a log slider off its grid would show
another number). A screenshot per notebook goes to ``build/browser/``.

Needs Debian's Chromium (``.ci/run`` installs it) and ``playwright``; without them the tests
are skipped, except under CI, where they fail. The Python-level twin, without a browser, is
``tests/test_explorers.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "build" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if os.environ.get("CI"):
    import playwright.sync_api  # noqa: F401  (CI has it: requirements-dev.txt)
else:
    pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.slow
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
CHANGE_TIMEOUT = 20.0      # seconds a control may take to change the view (a slow explorer)
RUN_TIMEOUT = 240_000      # ms for Run All on a loaded machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server over a copy of notebooks/, and its base URL with the token."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium for the browser tests (.ci/run)")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    root = tmp_path_factory.mktemp("lab")
    for name in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / f"{name}.ipynb", root)
    port, token = _free_port(), "course-test-token"
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}",
         f"--ServerApp.root_dir={root}", "--allow-root",
         f"--LabApp.workspaces_dir={root / '.workspaces'}",
         f"--LabApp.user_settings_dir={root / '.settings'}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def intended():
    """intended(name) → {explorer title: [(summary at its defaults, {label: value})]} for
    notebook ``name``'s explorers, built from Python (only that notebook's, once each: every
    explorer computes its default view, and the browser tests of one worker share this)."""
    import matplotlib

    matplotlib.use("Agg")
    import ipywidgets as widgets

    from course_lib import lessons

    cache: dict[str, dict] = {}

    def of(name: str) -> dict:
        if name not in cache:
            found = cache[name] = {}
            for key, factory in lessons.explorers().items():
                if not key.startswith(f"{name}:"):
                    continue
                explorer = factory()
                sliders = {c.description: float(c.value) for c in explorer.controls.values()
                           if isinstance(c, (widgets.FloatSlider, widgets.FloatLogSlider,
                                             widgets.IntSlider))}
                found.setdefault(explorer.title, []).append(
                    (_words(explorer.summary_text), sliders))
        return cache[name]

    return of


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def lab_page(lab, browser):
    """One JupyterLab page per worker, and which notebook it shows, once run and checked.

    Loading JupyterLab itself costs a page about 6 s of CPU (its scripts, its extensions);
    the notebooks after the first open inside the app already loaded, as a learner opens
    the next notebook: 2–3 s each."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    shown = {"page": page, "checked": None}
    try:
        yield shown
    finally:
        page.close()


def open_and_run(shown, base, token, name):
    """Open notebook ``name`` in the worker's JupyterLab page, Run All, wait until idle."""
    page, shown["checked"] = shown["page"], None
    if not _open_in_the_loaded_lab(page, base, token, name):
        # ?reset: a fresh workspace, not the notebooks a previous page left open
        page.goto(f"{base}/lab/tree/{name}.ipynb?reset&token={token}")
    page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
    page.locator("#jp-main-statusbar >> text=Idle").wait_for(timeout=60_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    # Every cell has run once the prompts show no "*" and the kernel is idle again.
    page.wait_for_function(
        "() => { const p = [...document.querySelectorAll('.jp-InputPrompt')];"
        " return p.length > 0 && p.every(e => !e.textContent.includes('*'))"
        " && [...document.querySelectorAll('.jp-Cell.jp-CodeCell')].every("
        "   c => c.querySelector('.jp-InputPrompt').textContent.trim() !== '[ ]:'); }",
        timeout=RUN_TIMEOUT)
    page.locator("#jp-main-statusbar >> text=Idle").wait_for(timeout=RUN_TIMEOUT)


def _open_in_the_loaded_lab(page, base, token, name) -> bool:
    """Close the notebook shown (its changes discarded, its kernel shut down) and open
    ``name`` from the File menu. False when the page has no JupyterLab to do it in (the
    first notebook of a worker, or after a test failed half-way): then it is loaded anew."""
    if not page.url.startswith(f"{base}/lab"):
        return False
    try:
        page.get_by_role("menuitem", name="File", exact=True).click()
        page.get_by_text("Close All Tabs", exact=True).click()
        # A notebook that has run has changes: JupyterLab asks whether to save them.
        page.wait_for_function("() => document.querySelector('.jp-Dialog')"
                               " || !document.querySelector('.jp-NotebookPanel')",
                               timeout=10_000)
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            dialog.get_by_role("button", name="Discard").click()
            dialog.wait_for(state="detached", timeout=10_000)
        _shut_down_kernels(base, token)
        page.get_by_role("menuitem", name="File", exact=True).click()
        page.get_by_text("Open from Path…", exact=True).click()
        page.locator(".jp-Dialog input").fill(f"{name}.ipynb")
        page.keyboard.press("Enter")
        return True
    except Exception:           # noqa: BLE001 (any surprise: load the page afresh instead)
        return False


def _shut_down_kernels(base, token):
    """Every session of the server (the notebook just closed): its kernel stops."""
    import json

    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{base}/api/sessions",
                                                       headers=headers), timeout=10) as r:
        sessions = json.load(r)
    for session in sessions:
        urllib.request.urlopen(urllib.request.Request(
            f"{base}/api/sessions/{session['id']}", method="DELETE", headers=headers),
            timeout=10).close()


def state_of(explorer) -> tuple:
    """(picture, summary, badge) of an explorer, read in one round trip to the page."""
    return tuple(explorer.evaluate(
        "e => { const img = e.querySelector('.course-explorer-output img');"
        " const text = c => { const n = e.querySelector(c); return n ? n.innerText : ''; };"
        " return [img ? img.getAttribute('src') : null, text('.course-explorer-summary'),"
        "         text('.course-explorer-badge')]; }"))


def is_disabled(control) -> bool:
    return bool(control.evaluate("c => !!c.querySelector('[disabled], :disabled')"))


def wait_for_change(explorer, control, before) -> bool:
    deadline = time.monotonic() + CHANGE_TIMEOUT
    while time.monotonic() < deadline:
        if state_of(explorer) != before or is_disabled(control):
            return True
        time.sleep(0.02)
    return False


def move(page, control):
    """Change ``control`` as a person would: (what was done, how to undo it, or None).

    A slider is left where one press took it: the next control starts from a view one step
    off the defaults, which it must change all the same, and no second refresh is spent. A
    menu or a toggle is put back, since it can switch an explorer into another mode."""
    classes = control.get_attribute("class") or ""
    if "widget-slider" in classes or control.locator(".noUi-handle").count():
        handle = control.locator(".noUi-handle").first
        now = float(handle.get_attribute("aria-valuenow"))
        top = float(handle.get_attribute("aria-valuemax"))
        key = "ArrowLeft" if now >= top else "ArrowRight"

        # One step: each press is a refresh, and the next control must start from a view
        # that no queued refresh of this one can still change.
        handle.focus()
        page.keyboard.press(key)
        return f"a press of {key} on the slider", None
    select = control.locator("select")
    if select.count():
        options = select.locator("option")
        values = [options.nth(i).get_attribute("value") for i in range(options.count())]
        chosen = select.evaluate("s => [...s.selectedOptions].map(o => o.value)")
        other = next(v for v in values if v not in chosen)
        if select.evaluate("s => s.multiple"):
            select.select_option(value=chosen + [other])
            return f"adding {other!r} to the selection", lambda: select.select_option(chosen)
        select.select_option(value=other)
        return f"choosing {other!r}", lambda: select.select_option(value=chosen[0])
    # a toggle button is itself the control; a checkbox sits inside its widget
    if control.evaluate("e => e.matches('button')"):
        clickable = control
    else:
        clickable = control.locator("button, input[type=checkbox]").first
    clickable.click()
    return "a click", clickable.click


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_every_control_answers(name, lab, lab_page, intended):
    base, token = lab
    page = lab_page["page"]
    try:
        open_and_run(lab_page, base, token, name)
        outputs = page.locator(".jp-OutputArea-output")
        text = " ".join(outputs.all_inner_texts())
        assert "Traceback (most recent call last)" not in text, f"{name}: a cell raised"
        assert "Error displaying widget" not in text, f"{name}: a widget did not render"
        explorers = page.locator(".course-explorer")
        n_explorers = _explorer_cells(name)
        assert explorers.count() == n_explorers, (
            f"{name}: {explorers.count()} explorers rendered, the notebook shows {n_explorers}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        for i in range(explorers.count()):
            explorer = explorers.nth(i)
            explorer.scroll_into_view_if_needed()
            explorer.locator(".course-explorer-output img").first.wait_for(timeout=60_000)
            _check_defaults(name, explorer, intended)
            controls = explorer.locator(".course-explorer-controls > .widget-box > *")
            if not controls.count():
                controls = explorer.locator(".course-explorer-controls > *")
            for k in range(controls.count()):
                control = controls.nth(k)
                label = control.locator(".widget-label").first.inner_text() if control.locator(
                    ".widget-label").count() else f"control {k}"
                if is_disabled(control):
                    notes = explorer.locator(".course-explorer-notes").inner_text()
                    assert notes.strip(), f"{name}: {label!r} is disabled with no reason shown"
                    continue
                before = state_of(explorer)
                how, undo = move(page, control)
                assert wait_for_change(explorer, control, before), (
                    f"{name}, explorer {i + 1}: {how} on {label!r} changed neither the picture "
                    "nor the text, and did not disable it")
                if undo is not None:     # a menu or toggle back as the learner found it
                    moved = state_of(explorer)
                    undo()
                    wait_for_change(explorer, control, moved)
        lab_page["checked"] = name
    except BaseException:
        page.goto("about:blank")   # the next notebook starts from a freshly loaded JupyterLab
        raise


def _explorer_cells(name: str) -> int:
    """Explorers the committed notebook shows (their text/plain starts with "Explorer:")."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if str(o.get("data", {}).get("text/plain", "")).startswith("Explorer:"))


def _check_defaults(name, explorer, intended):
    """Each slider of an explorer shown at its factory's defaults reads that default."""
    title = explorer.locator(".course-explorer-title").inner_text().strip()
    summary = _words(explorer.locator(".course-explorer-summary").inner_text())
    for wanted_summary, sliders in intended(name).get(title, []):
        if wanted_summary != summary:
            continue
        for label, value in sliders.items():
            control = explorer.locator(".widget-slider", has=explorer.page.get_by_text(
                label, exact=True))
            if not control.count():
                continue
            shown = control.first.locator(".widget-readout").inner_text()
            digits = re.sub(r"[^0-9eE+\-.]", "", shown.replace("−", "-"))
            number = float(digits)
            # the readout rounds to its last digit shown (".3g": 0.1496 reads 0.150)
            plain = "." in digits and "e" not in digits.lower()
            decimals = len(digits.split(".")[1]) if plain else 0
            assert number == pytest.approx(value, rel=2e-3, abs=0.5 * 10 ** -decimals + 1e-12), (
                f"{name}: slider {label!r} of {title!r} shows {shown}, its default is {value:g}")
        return


# Same group as notebook 07's test above: one worker, one JupyterLab, one browser.
@pytest.mark.xdist_group(name="browser 07_second_order")
def test_a_tuning_challenge_solved_as_a_learner_would(lab, lab_page):
    """Notebook 07's Exercise 5, by hand: move α with the keyboard until the badge says
    "target met", paste the line it prints into the answer cell, run it and the check.

    It goes on in the notebook the test above ran and checked (its sliders a step off their
    defaults, as a learner who tried them would leave them); alone, it runs its own."""
    base, token = lab
    page = lab_page["page"]
    try:
        if lab_page["checked"] != "07_second_order":
            open_and_run(lab_page, base, token, "07_second_order")
        explorers = page.locator(".course-explorer")
        waiting = [i for i in range(explorers.count()) if "not yet" in
                   explorers.nth(i).locator(".course-explorer-badge").inner_text()]
        assert len(waiting) == 1, "07: exactly one explorer should show a badge 'not yet'"
        tuning = explorers.nth(waiting[0])      # by position: its badge's text will change
        tuning.scroll_into_view_if_needed()
        badge = tuning.locator(".course-explorer-badge")
        handle = tuning.locator(".widget-slider", has=page.get_by_text(
            "α (Newton)", exact=True)).locator(".noUi-handle").first
        handle.focus()
        presses = round((0.5 - float(handle.get_attribute("aria-valuenow"))) / 0.1)
        for _ in range(abs(presses)):                       # α → 0.5, in steps of 0.1
            page.keyboard.press("ArrowRight" if presses > 0 else "ArrowLeft")
        deadline = time.monotonic() + CHANGE_TIMEOUT
        while "target met" not in badge.inner_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "target met" in badge.inner_text(), badge.inner_text()
        line = badge.locator("pre").inner_text().strip()
        assert line == "tuned_alpha = {'alpha': 0.5}", line

        answer = page.locator(".jp-CodeCell", has_text="tuned_alpha = None")
        answer.scroll_into_view_if_needed()
        answer.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(line)                     # as a paste would
        page.keyboard.press("Shift+Enter")                  # run it; the check cell is next
        page.keyboard.press("Shift+Enter")                  # run the check
        check = page.locator(".jp-CodeCell", has_text="checks.check_tuned_alpha(tuned_alpha)")
        check.locator(".jp-OutputArea-output", has_text="target met.").wait_for(
            timeout=60_000)
        text = check.locator(".jp-OutputArea-output").inner_text()
        assert text.startswith("✔ tuned_alpha: with alpha = 0.5"), text
    except BaseException:
        page.goto("about:blank")
        raise
