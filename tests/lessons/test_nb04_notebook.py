"""Notebook 04 as a reader sees it (issue 17): the figures' text is legible at the notebook's
width, the Markdown renders (no bare θ_k), the integrator is named, the first cell says the
explorers come back on Run All, and "Next" is a link to a notebook that exists."""

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from course_lib.lessons.nb04_momentum_physics import (  # noqa: E402
    canyon,
    checks,
    convex,
    diagnose,
    drag,
    learner_explorer,
    momentum_explorer,
    noise,
    terminal,
    tuning,
)

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "instructor" / "source" / "04_momentum_physics" / "04_momentum_physics.ipynb"
RUN_ALL = ("*The interactive explorers come back when you run the notebook (Run → Run All "
           "Cells); a saved copy shows them as text.*")
# JupyterLab shows an image at most as wide as the output area, about 7.5 in (720 CSS px) at
# the default width; a figure of W inches at 100 dpi is scaled down by 720 / (100 W).
DISPLAY_PX, DPI, MIN_PX = 720.0, 100.0, 9.0


def markdown():
    cells = json.loads(SOURCE.read_text(encoding="utf-8"))["cells"]
    return [("".join(c["source"])) for c in cells if c["cell_type"] == "markdown"]


def smallest_text(fig) -> tuple[float, str]:
    """(the smallest rendered size in px, its text) of every visible text in ``fig``."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width = max(fig.get_figwidth(), fig.get_tightbbox(renderer).width)   # legends outside
    scale = min(1.0, DISPLAY_PX / (width * DPI))
    sizes = [(t.get_fontsize() * DPI / 72.0 * scale, t.get_text())
             for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes)


FIGURES = {
    "canyon": lambda: canyon.figure_canyon(canyon.compute_canyon(steps=40, alpha=0.5)),
    "terminal": lambda: terminal.figure_terminal_velocity(
        terminal.compute_terminal_velocity(alphas=(0.5, 0.9, 0.99))),
    "drag": lambda: drag.figure_drag_laws(drag.compute_drag_laws()),
    "rate_map": lambda: tuning.figure_rate_map(tuning.compute_rate_map(kappa=100)),
    "steps": lambda: tuning.figure_steps_table(tuning.compute_steps_table()),
    "convex": lambda: convex.figure_convex_rates(convex.compute_convex_rates()),
    "noise": lambda: noise.figure_noise_floor(noise.compute_noise_floor()),
    "broken": lambda: diagnose.figure_broken_runs(diagnose.compute_broken_runs()),
    "companion": momentum_explorer.companion_figure,
    "explorer": lambda: momentum_explorer.momentum_explorer().figure,
    "tuning_explorer": lambda: momentum_explorer.momentum_explorer(
        challenge=checks.TUNING).figure,
    "learner_explorer": lambda: learner_explorer.reference_plugged_in().figure,
}


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_text_is_at_least_9_px_at_the_notebook_width(name):
    fig = FIGURES[name]()
    try:
        px, text = smallest_text(fig)
        assert px >= MIN_PX, f"{name}: {text!r} renders at {px:.1f} px"
    finally:
        plt.close(fig)


def test_the_first_cell_ends_with_the_run_all_line():
    assert markdown()[0].rstrip().endswith(RUN_ALL)


def test_next_is_a_link_to_notebook_05():
    text = "\n".join(markdown())
    links = re.findall(r"\*\*Next:\*\* \[([^\]]+)\]\(([^)]+)\)", text)
    assert links == [("05_initialization", "05_initialization.ipynb")]
    assert (REPO / "notebooks" / "05_initialization.ipynb").exists()


def outside_math_and_code(text: str) -> str:
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " ", text)
    return re.sub(r"`[^`]*`", " ", text)


def test_no_bare_subscripts_in_markdown():
    for text in markdown():
        plain = outside_math_and_code(text)
        assert not re.search(r"[θαεvgλ]_[A-Za-z0-9{]", plain), plain


def test_the_integrator_is_named_wherever_euler_is_said():
    for text in markdown():
        if "Euler" in text and "BEGIN SOLUTION" not in text:
            assert "semi-implicit" in text, text[:200]
    assert sum("semi-implicit" in text for text in markdown()) >= 3
