"""An Agg canvas that remembers the text it has rasterized, for explorers' re-renders.

Between two renders of an explorer most of its text does not change: titles, axis labels,
legends, the tick labels of the axes whose limits stayed. Matplotlib lays out and
rasterizes each string glyph by glyph at every draw; in a full re-render that is about a
third of the time. ``TextCachingCanvas`` records, the first time a string is drawn at a
place, the glyph images the renderer composites, and composites the same images when the
same string is drawn again at the same place with the same font.

What is kept is what does not depend on the graphics context: the coverage images and
their pixel positions. Colour, alpha and clipping are applied from the current context at
every draw, as matplotlib does. The pixels are those of ``FigureCanvasAgg``, bit for bit
(tests/test_text_cache.py). Anything the recorder cannot replay exactly (mathtext boxes
drawn as paths, TeX, a matplotlib whose renderer draws text another way) is drawn by
matplotlib every time, uncached.
"""

from __future__ import annotations

import numpy as np
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

# The settings that change which glyphs a string becomes (font lookup, hinting, kerning,
# mathtext): the cache is emptied when any of them differs from the last draw's.
_TEXT_RC = tuple(sorted(k for k in rcParams
                        if k.startswith(("font.", "mathtext.", "text."))))
# Kept strings, at most: about two renders' worth of text for the busiest explorer.
MAX_ENTRIES = 1000


class _GlyphRecorder:
    """Stands in for the renderer's Agg core while one string is drawn, passing every call
    through and keeping a copy of the glyph images with their positions."""

    def __init__(self, core):
        self.core, self.glyphs, self.replayable = core, [], True

    def draw_text_image(self, image, x, y, angle, gc):
        if isinstance(image, np.ndarray):
            self.glyphs.append((image.copy(), x, y, angle))   # FreeType reuses its buffer
        else:
            self.replayable = False
        self.core.draw_text_image(image, x, y, angle, gc)

    def __getattr__(self, name):      # anything else (a path for a fraction bar...)
        self.replayable = False
        return getattr(self.core, name)


class TextCachingRenderer(RendererAgg):
    """``RendererAgg`` whose ``draw_text`` replays the glyphs of a string drawn before.

    The key is everything the glyph images depend on: the string, whether it is mathtext,
    the font properties, the angle, the exact position and antialiasing (the renderer's size
    and dpi are fixed: a canvas makes a new renderer when they change). Two generations
    bound the memory: a full draw (``clear``) starts a new one, and a string not drawn in
    the last two is forgotten.
    """

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._glyphs: dict = {}
        self._older: dict = {}
        self._rc = None
        self.hits = self.misses = 0

    def clear(self):
        super().clear()
        self._new_generation()

    def _new_generation(self):
        self._older, self._glyphs = self._glyphs, {}

    def forget_text(self) -> None:
        """Drop every kept string: the next draw lays out and rasterizes all its text."""
        self._glyphs, self._older = {}, {}

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        # docstring inherited
        if ismath == "TeX":
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        rc = tuple(dict.__getitem__(rcParams, k) for k in _TEXT_RC)
        if rc != self._rc:
            self.forget_text()
            self._rc = rc
        features = (getattr(mtext, "get_fontfeatures", lambda: None)(),
                    getattr(mtext, "get_language", lambda: None)())
        key = (s, ismath, prop.copy(), angle, x, y, gc.get_antialiased(),
               tuple(features[0] or ()), features[1])
        glyphs = self._glyphs.get(key)
        if glyphs is None and key in self._older:
            glyphs = self._glyphs[key] = self._older.pop(key)
        if glyphs is not None:
            self.hits += 1
            for image, gx, gy, g_angle in glyphs:
                self._renderer.draw_text_image(image, gx, gy, g_angle, gc)
            return None
        self.misses += 1
        recorder = self._renderer = _GlyphRecorder(self._renderer)
        try:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        finally:
            self._renderer = recorder.core
        # No glyph recorded: an empty string, or text drawn some other way; not kept.
        if recorder.replayable and recorder.glyphs:
            if len(self._glyphs) >= MAX_ENTRIES:
                self._new_generation()
            self._glyphs[key] = recorder.glyphs
        return None


class TextCachingCanvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` drawing with a ``TextCachingRenderer``."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = TextCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
