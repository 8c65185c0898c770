"""The explorers' text-caching Agg canvas draws the pixels of matplotlib's own, bit for bit."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course_lib import lessons
from course_lib.widgets import text_cache
from course_lib.widgets.text_cache import TextCachingCanvas


def _figure(canvas_class):
    """Text of every kind an explorer draws: titles, labels (one rotated), mathtext tick
    labels of a log axis, a legend, two lines of figure text, a half-transparent label, a
    clipped one, one without antialiasing and a fraction (its bar is a path: not kept)."""
    fig = Figure(figsize=(6, 3.5), dpi=100)
    canvas_class(fig)
    left, right = fig.subplots(1, 2)
    left.plot([1, 2, 3], [3, 1, 2], label="θ path")
    left.set_title("a title")
    left.set_xlabel("θ₁")
    left.set_ylabel("θ₂ (rotated)")
    left.legend(loc="upper right")
    right.semilogy([1, 10, 100], [1e-6, 1e-2, 1e2])
    right.set_xlabel(r"$\alpha = \frac{1}{2}$")
    texts = {
        "two_lines": fig.text(0.02, 0.02, "first line\nsecond line", fontsize=9),
        "faint": right.text(20, 1e-4, "faint", alpha=0.4, color="#D55E00"),
        "clipped": right.text(95, 1e0, "cut by the axes", clip_on=True),
        "jagged": left.text(1.2, 2.5, "no antialiasing", antialiased=False),
    }
    return fig, texts


def _pixels(fig) -> np.ndarray:
    fig.canvas.draw()
    return np.array(fig.canvas.buffer_rgba())


def test_redraws_match_agg_pixel_for_pixel_and_replay_the_kept_text():
    plain, plain_texts = _figure(FigureCanvasAgg)
    cached, cached_texts = _figure(TextCachingCanvas)
    assert np.array_equal(_pixels(plain), _pixels(cached))
    renderer = cached.canvas.get_renderer()
    assert renderer.hits == 0 and renderer.misses > 10
    misses = renderer.misses
    # Colour and alpha come from the graphics context of each draw, not from the cache.
    for texts in (plain_texts, cached_texts):
        texts["faint"].set_color("#0072B2")
        texts["faint"].set_alpha(0.9)
    assert np.array_equal(_pixels(plain), _pixels(cached))
    # Everything was replayed, except the mathtext with a fraction bar, drawn again.
    assert renderer.hits >= misses - 2
    assert renderer.misses - misses == 1


def test_text_moved_changed_or_set_differently_is_rasterized_again():
    figures = [_figure(canvas) for canvas in (FigureCanvasAgg, TextCachingCanvas)]
    for fig, _ in figures:
        _pixels(fig)
    renderer = figures[1][0].canvas.get_renderer()
    for _, texts in figures:
        texts["faint"].set_position((40, 1e-3))        # same string, another place
        texts["jagged"].set_text("other text")
    assert np.array_equal(*(_pixels(fig) for fig, _ in figures))
    misses = renderer.misses
    # Hinting changes every glyph: a changed text setting empties the cache.
    with mpl.rc_context({"text.hinting": "no_hinting"}):
        unhinted = [_pixels(fig) for fig, _ in figures]
    assert np.array_equal(*unhinted)
    assert not np.array_equal(unhinted[1], _pixels(figures[1][0]))
    assert renderer.misses - misses > 10


def test_memory_stays_bounded_however_many_strings_are_drawn(monkeypatch):
    monkeypatch.setattr(text_cache, "MAX_ENTRIES", 40)
    fig = Figure(figsize=(3, 2), dpi=100)
    TextCachingCanvas(fig)
    fig.canvas.draw()
    label = fig.text(0.5, 0.5, "")
    for i in range(2 * text_cache.MAX_ENTRIES + 10):   # blitted updates: no full draw
        label.set_text(f"step {i}")
        fig.draw_artist(label)
    renderer = fig.canvas.get_renderer()
    assert renderer.misses == 2 * 40 + 10
    assert len(renderer._glyphs) <= text_cache.MAX_ENTRIES
    assert len(renderer._older) <= text_cache.MAX_ENTRIES
    renderer.forget_text()
    assert not renderer._glyphs and not renderer._older


# Explorers with images and a colour bar, three log axes, legends, the most text.
@pytest.mark.parametrize("name", ["05_initialization: init_explorer",
                                  "06_adaptive_rates: adaptive_explorer",
                                  "08_meta_algorithms: averaging_explorer",
                                  "00_start_here: gd_explorer"])
def test_an_explorer_draws_what_matplotlibs_canvas_draws(name):
    build = lessons.explorers()[name]
    plain, cached = build(), build()
    FigureCanvasAgg(plain.figure)
    assert isinstance(cached.figure.canvas, TextCachingCanvas)
    # The last slider to its far end: new curves (and for some, new axis limits).
    name, slider = [(n, c) for n, c in cached.controls.items() if hasattr(c, "max")][-1]
    far_end = slider.base ** slider.max if hasattr(slider, "base") else slider.max
    for explorer in (plain, cached):
        explorer.refresh()
        explorer.set(**{name: far_end})
        explorer._draw_png(explorer.result, full=True)
    assert np.array_equal(np.asarray(plain.figure.canvas.buffer_rgba()),
                          np.asarray(cached.figure.canvas.buffer_rgba()))
    assert cached.figure.canvas.get_renderer().hits > 0
