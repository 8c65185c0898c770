"""Controls with sensible readouts: float and log sliders, integer sliders, menus, toggles.

Every control has the same width and label width, so an explorer's controls line up and
their labels are not cut off ("ε (AdaGrad, R…"): keep a description within ~14 characters.
"""

from __future__ import annotations

import math

import ipywidgets as widgets

_LAYOUT = dict(width="min(32em, 100%)")
_STYLE = dict(description_width="10em")


def _decimals(step: float) -> int:
    """Decimals a readout needs to show every value a slider of this step can take."""
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 3


def float_slider(value: float, min: float, max: float, step: float, description: str,
                 log: bool = False, continuous_update: bool = True):
    """A float slider whose readout shows exactly the precision of ``step``.

    ``log=True``: a logarithmic slider within [min, max]; ``step`` is then in decades
    (0.1 = ten positions per factor of ten) and the readout shows 3 significant digits.
    Its grid of exponents passes through ``value``'s (the browser snaps a value between grid
    points to the nearest one, so 0.7 on a grid from 0.05 would show 0.706), from the first
    grid point at or above ``min`` to the last at or below ``max``.
    """
    common = dict(description=description, continuous_update=continuous_update,
                  layout=dict(_LAYOUT), style=dict(_STYLE))
    if log:
        if min <= 0 or not min <= value <= max:
            raise ValueError(f"a log slider needs 0 < min <= value <= max, got min={min!r}, "
                             f"value={value!r}, max={max!r}")
        lo, hi = _grid_through(math.log10(value), math.log10(min), math.log10(max), step)
        return widgets.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=step,
                                      readout_format=".3g", **common)
    return widgets.FloatSlider(value=value, min=min, max=max, step=step,
                               readout_format=f".{_decimals(step)}f", **common)


def _grid_through(e: float, lo: float, hi: float, step: float) -> tuple[float, float]:
    """The ends of the exponent grid e + k·step that lies within [lo, hi]."""
    below = math.floor((e - lo) / step + 1e-9)      # grid points from e down to lo
    above = math.floor((hi - e) / step + 1e-9)      # and from e up to hi
    return e - below * step, e + above * step


def int_slider(value: int, min: int, max: int, step: int = 1, description: str = "",
               continuous_update: bool = True):
    """An integer slider."""
    return widgets.IntSlider(value=value, min=min, max=max, step=step, description=description,
                             continuous_update=continuous_update, layout=dict(_LAYOUT),
                             style=dict(_STYLE))


def dropdown(options, value, description: str):
    """A drop-down menu; ``options`` as a list of values or of (label, value) pairs."""
    return widgets.Dropdown(options=options, value=value, description=description,
                            layout=dict(_LAYOUT), style=dict(_STYLE))


def toggle(description: str, value: bool = False):
    """A toggle button (on/off): e.g. "reveal" for a predict-then-reveal explorer."""
    return widgets.ToggleButton(value=value, description=description,
                                layout=dict(width="12em"))
