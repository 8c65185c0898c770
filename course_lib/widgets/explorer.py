"""The explorer: an interactive figure built from a pure compute and a draw function.

Controls → ``compute(**settings)`` → ``draw(result, fig)`` → an Output widget, with the
measured numbers under the controls and, for exercises, a live badge (is a target met?) and
the line a learner pastes into an answer cell (widget state is not saved in a notebook).
"""

from __future__ import annotations

import base64
import statistics
import time
import traceback
from collections.abc import Callable

import ipywidgets as widgets
import matplotlib as mpl
from matplotlib.figure import Figure

from .. import plotting
from .png import encode_rgba
from .text_cache import TextCachingCanvas

# Explorers' titles sit at the top of their axes. Left to place them (axes.titley: None),
# matplotlib measures every y axis's tick labels again for each title at every render (a
# tenth of a full re-render) to move a title above top-side ticks or a y offset text, which
# no explorer has (tests/test_explorers.py checks every control's extremes).
EXPLORER_RC = {"axes.titley": 1.0}

BADGE_COLOURS = {"met": "#009E73", "not yet": "#D55E00", "off": "#666666"}
BADGE_MARKS = {"met": "✔", "not yet": "✘", "off": "·"}


class _ExplorerBox(widgets.VBox):
    """The explorer's VBox, whose text repr is stable (no ids, no timings, no pixels).

    A saved notebook keeps a widget's text/plain beside its view; nbval compares it, so
    it must read the same on every run.
    """

    _plain_text = "explorer"

    def __repr__(self) -> str:
        return self._plain_text


# --- the explorer --------------------------------------------------------------------------

class Explorer:
    """An interactive figure: controls → ``compute`` → ``draw`` → an Output widget.

    - ``compute(**settings) -> dict``: pure; the keyword names are the ``controls`` keys.
    - ``draw(result, fig)``: draws on ``fig``, a matplotlib Figure that is cleared before
      each call and reused between updates (no new figure, canvas or window per update).
      With ``clear=False`` it is handed over as the last update left it, so ``draw`` may
      keep its axes and static artists (a contour) and replace only what changed: creating
      axes and their ticks is most of matplotlib's cost.
    - ``controls``: name -> ipywidgets value widget (see ``float_slider``, ``int_slider``,
      ``dropdown``).
    - ``summary(result) -> str``: the measured numbers, shown under the controls.
    - ``badge(settings, result) -> (state, text)``, for exercises: ``state`` is ``"met"``,
      ``"not yet"`` or ``"off"`` (the settings are not the exercise's), shown as a coloured
      line that updates with every change (``explorer.badge_state``, ``badge_text``).
    - ``record(settings) -> str``, for exercises: the line of code that records the current
      settings, shown for the learner to paste into the answer cell (``record_text``).
    - ``disabled(settings) -> {name: reason}``: controls that do nothing with the current
      settings (e.g. α while gradient descent is shown); they are greyed out, and the reason
      is shown under the controls, so no control silently does nothing.

    Display the explorer itself (last line of a cell) or ``explorer.widget``.
    """

    def __init__(self, compute: Callable, draw: Callable, controls: dict,
                 title: str = "", summary: Callable | None = None,
                 figsize=(11.0, 4.6), clear: bool = True, badge: Callable | None = None,
                 record: Callable | None = None, disabled: Callable | None = None):
        if not callable(compute) or not callable(draw):
            raise ValueError("compute and draw must be callable")
        for name, control in controls.items():
            if not hasattr(control, "value") or not hasattr(control, "observe"):
                raise ValueError(f"control {name!r} must be an ipywidgets value widget, "
                                 f"got {control!r}")
        for name, fn in (("badge", badge), ("record", record), ("disabled", disabled)):
            if fn is not None and not callable(fn):
                raise ValueError(f"{name} must be callable or None, got {fn!r}")
        self.compute, self.draw, self.summary = compute, draw, summary
        self.badge, self.record, self.disabled = badge, record, disabled
        self.controls = dict(controls)
        self.title, self.clear = title, clear
        # A plain Figure on an Agg canvas, not pyplot: the inline backend never sees it,
        # so it is not shown a second time at the end of the cell, and it is never leaked
        # into pyplot's list of open figures however often it is redrawn.
        with plotting.style():
            self.figure = Figure(figsize=figsize)
        # Its renderer keeps the glyphs of the text it drew: most text of a re-render repeats.
        TextCachingCanvas(self.figure)
        self._layout_engine = self.figure.get_layout_engine()
        self._layout = None     # (axes types, their positions) from the first laid-out draw
        self._background = None  # the last full render, for blitting
        self.result: dict | None = None
        self.summary_text = ""
        self.badge_state, self.badge_text, self.record_text = "off", "", ""
        self.disabled_reasons: dict = {}
        self.error: str | None = None
        self.n_refreshes = 0

        self.output = widgets.Output()
        self.summary_box = widgets.HTML()
        self.notes_box = widgets.HTML()       # why some controls are disabled
        self.badge_box = widgets.HTML()       # exercise badge and the line to paste
        header = widgets.HTML(f"<b style='font-size:1.2em'>{title}</b>" if title else "")
        controls_box = widgets.VBox(list(self.controls.values()))
        self.widget = _ExplorerBox([header, controls_box, self.notes_box, self.badge_box,
                                    self.summary_box, self.output])
        # CSS classes by which a browser test finds the explorer's parts
        for part, name in ((self.widget, "explorer"), (header, "title"),
                           (controls_box, "controls"), (self.notes_box, "notes"),
                           (self.badge_box, "badge"), (self.summary_box, "summary"),
                           (self.output, "output")):
            part.add_class("course-explorer" if name == "explorer" else f"course-explorer-{name}")
        self.widget._plain_text = self._plain_text()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    # --- the update loop -------------------------------------------------------------------
    def settings(self) -> dict:
        """The controls' current values, as keyword arguments of ``compute``."""
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self) -> None:
        """Recompute with the current settings and redraw into the output."""
        settings = self.settings()
        self._update_disabled(settings)
        result = self.compute(**settings)
        png = self._draw_png(result)
        self.result = result
        self.summary_text = self.summary(result) if self.summary else ""
        if self.badge is not None:
            self.badge_state, self.badge_text = self.badge(settings, result)
            if self.badge_state not in BADGE_COLOURS:
                raise ValueError(f"badge state must be one of {sorted(BADGE_COLOURS)}, got "
                                 f"{self.badge_state!r}")
        self.record_text = self.record(settings) if self.record is not None else ""
        self.error = None
        self.n_refreshes += 1
        self._publish(png)

    def _update_disabled(self, settings: dict) -> None:
        if self.disabled is None:
            return
        reasons = dict(self.disabled(settings))
        unknown = sorted(set(reasons) - set(self.controls))
        if unknown:
            raise ValueError(f"disabled() names unknown controls {unknown}")
        for name, control in self.controls.items():
            control.disabled = name in reasons
        self.disabled_reasons = reasons
        self.notes_box.value = "".join(
            f"<div style='color:#666'>{_escape(self.controls[name].description)}: "
            f"{_escape(reason)}</div>" for name, reason in reasons.items())

    def set(self, **values) -> None:
        """Set controls by name; each control whose value changes triggers one refresh."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"unknown control(s) {unknown}; the controls are "
                             f"{sorted(self.controls)}")
        for name, value in values.items():
            self.controls[name].value = value    # observe() does the refresh

    def _on_change(self, change) -> None:
        # A callback's exception would vanish into the kernel log: show it instead.
        try:
            self.refresh()
        except Exception as err:   # noqa: BLE001 - any error must reach the learner
            self.error = "".join(traceback.format_exception_only(type(err), err)).strip()
            self.summary_box.value = f"<pre style='color:#D55E00'>{_escape(self.error)}</pre>"
            self.output.outputs = ({"output_type": "stream", "name": "stderr",
                                    "text": traceback.format_exc()},)

    def _draw_png(self, result, full: bool = False) -> bytes:
        """Draw ``result`` on the figure and render it (Agg) to PNG bytes.

        Blitting: when ``draw`` changed only *animated* artists (``set_animated(True)``,
        updated with ``set_data``/``set_text``, or swapped, after which ``draw`` may reset
        ``fig.stale``), the figure is not stale, so the cached background (axes, ticks,
        labels: most of the cost) is restored and only the animated artists are drawn on
        it, by zorder. Anything else makes the figure stale: a full render.
        """
        fig = self.figure
        if self.clear:
            fig.clear()
        with plotting.style(), mpl.rc_context(EXPLORER_RC):
            self.draw(result, fig)
            canvas = fig.canvas
            if full or fig.stale or self._background is None:
                self._apply_layout(fig)
                canvas.draw()             # everything but the animated artists
                self._layout = ([type(ax) for ax in fig.axes],   # where that draw put them
                                [ax.get_position(original=True) for ax in fig.axes])
                self._background = canvas.copy_from_bbox(fig.bbox)
            else:
                canvas.restore_region(self._background)
            for artist in sorted(fig.findobj(lambda a: a.get_animated()),
                                 key=lambda a: a.get_zorder()):
                fig.draw_artist(artist)
            # Drawing sets transforms on helper artists (legend handles), which marks the
            # figure stale although nothing the background shows has changed.
            fig.stale = False
        return encode_rgba(canvas.buffer_rgba())

    def _apply_layout(self, fig) -> None:
        """The axes' places: those of the last render when the axes are of the same kinds,
        else constrained layout, which the next draw runs.

        Laying out costs as much as drawing the axes, and an explorer's panels keep their
        places between updates. The draw that lays out is the one that renders (laying out
        in a draw of its own first would pay for both twice).
        """
        kinds = [type(ax) for ax in fig.axes]
        if self._layout is not None and kinds == self._layout[0]:
            fig.set_layout_engine("none")
            for ax, position in zip(fig.axes, self._layout[1], strict=True):
                ax.set_position(position)
            return
        fig.set_layout_engine(self._layout_engine)

    def _publish(self, png: bytes) -> None:
        # Replacing the Output's outputs in one assignment swaps the picture without a
        # blank frame (what clear_output(wait=True) does), works the same with or without a
        # kernel, and never passes through the inline backend (no duplicate figure).
        width, height = (int(x) for x in self.figure.get_size_inches() * self.figure.dpi)
        self.output.outputs = ({
            "output_type": "display_data",
            "data": {"image/png": base64.b64encode(png).decode("ascii"),
                     "text/plain": self.summary_text or self.title or "figure"},
            "metadata": {"image/png": {"width": width, "height": height}},
        },)
        self.summary_box.value = (f"<pre style='font-size:1.05em'>{_escape(self.summary_text)}"
                                  "</pre>" if self.summary_text else "")
        parts = []
        if self.badge is not None:
            colour = BADGE_COLOURS[self.badge_state]
            parts.append(f"<div style='font-size:1.15em;font-weight:bold;color:{colour}'>"
                         f"{BADGE_MARKS[self.badge_state]} {_escape(self.badge_text)}</div>")
        if self.record_text:
            parts.append("<div>Record your choice: paste this line into the answer cell "
                         f"below<pre style='user-select:all'>{_escape(self.record_text)}"
                         "</pre></div>")
        self.badge_box.value = "".join(parts)

    # --- measuring and exporting -----------------------------------------------------------
    def time_update(self, repeats: int = 15) -> dict:
        """Median milliseconds of one update with the current settings.

        ``compute_ms``; ``draw_ms``: ``draw`` plus the Agg rendering and the PNG encoding
        of what the browser receives; ``total_ms``: both (``worst_ms``: the slowest of them).
        ``full_ms``: the total when the whole figure must be rendered again (no blitting: a
        change of what is static, such as new axis limits), its text drawn before (the
        canvas keeps the glyphs of the strings it drew, ``text_cache``); ``full_cold_ms``:
        the same with no text kept, every string laid out and rasterized again (the first
        picture of a figure). One warm-up update is not counted. For the benchmark; never
        assert a time in a test.
        """
        settings = self.settings()
        self._draw_png(self.compute(**settings))
        times: dict[str, list[float]] = {"compute": [], "draw": [], "total": [], "full": [],
                                         "full_cold": []}
        for kind in ("blit", "full", "full_cold"):
            for _ in range(repeats):
                if kind == "full_cold":
                    self.figure.canvas.get_renderer().forget_text()
                t0 = time.perf_counter()
                result = self.compute(**settings)
                t1 = time.perf_counter()
                self._draw_png(result, full=kind != "blit")
                t2 = time.perf_counter()
                if kind != "blit":
                    times[kind].append(1e3 * (t2 - t0))
                    continue
                times["compute"].append(1e3 * (t1 - t0))
                times["draw"].append(1e3 * (t2 - t1))
                times["total"].append(1e3 * (t2 - t0))
        timing = {f"{kind}_ms": statistics.median(values) for kind, values in times.items()}
        timing["worst_ms"] = max(times["total"])
        return timing

    def static_figure(self):
        """The figure for the current settings as a standalone pyplot Figure.

        The companion of the live explorer, for exported notebooks (HTML, PDF, code hosts)
        where widgets do not run. Assign it in the notebook (``fig = ...``) to show it once.
        """
        fig = plotting.figure(figsize=tuple(self.figure.get_size_inches()))
        with plotting.style():
            self.draw(self.compute(**self.settings()), fig)
        return fig

    # --- display ---------------------------------------------------------------------------
    def _plain_text(self) -> str:
        names = ", ".join(self.controls)
        return f"Explorer: {self.title or 'untitled'} (controls: {names})"

    def __repr__(self) -> str:
        return self._plain_text()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
