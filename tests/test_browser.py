"""The explorer in a real browser: JupyterLab runs notebook 00, a slider moves, the view changes.

The Python-level widget tests (tests/test_widgets.py) drive the explorer's controls from
Python; this one checks what a learner sees: the widget renders in JupyterLab and answers a
slider dragged with the keyboard. It needs Debian's Chromium (``.ci/run`` installs it) and
the ``playwright`` package; elsewhere it is skipped, except under CI, where it must run.
"""

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
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if os.environ.get("CI"):
    import playwright.sync_api  # noqa: F401  (CI has it: requirements-dev.txt)
else:
    pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium for the browser test (.ci/run)")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", root)
    port, token = _free_port(), "course-test-token"
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}",
         f"--ServerApp.root_dir={root}", "--allow-root",
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
        yield f"{base}/lab/tree/00_start_here.ipynb?token={token}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_explorer_answers_a_slider_in_jupyterlab(lab):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(lab)
            page.locator(".jp-Notebook").wait_for(timeout=60_000)
            page.locator("#jp-main-statusbar >> text=Idle").wait_for(timeout=60_000)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_text("Run All Cells", exact=True).click()

            summary = page.locator(".widget-html-content", has_text="measured")
            expect(summary).to_contain_text("ε = 0.150, κ = 10", timeout=60_000)
            image = page.locator(".widget-output img").first
            expect(image).to_be_visible(timeout=30_000)
            before = image.get_attribute("src")

            handle = page.locator(".widget-slider .noUi-handle").first
            handle.click()
            for _ in range(12):                      # 12 steps of 0.005: ε = 0.150 → 0.210
                page.keyboard.press("ArrowRight")
            expect(summary).to_contain_text("ε = 0.210", timeout=30_000)
            expect(summary).to_contain_text("diverged")
            expect(page.locator(".widget-readout").first).to_have_text(re.compile("0.210"))
            page.wait_for_function(
                "(old) => document.querySelector('.widget-output img').src !== old", arg=before,
                timeout=30_000)
        finally:
            browser.close()
