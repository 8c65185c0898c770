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

    ``log=True``: a logarithmic slider over [min, max]; ``step`` is then in decades
    (0.1 = ten positions per factor of ten) and the readout shows 3 significant digits.
    """
    common = dict(description=description, continuous_update=continuous_update,
                  layout=dict(_LAYOUT), style=dict(_STYLE))
    if log:
        if min <= 0:
            raise ValueError(f"a log slider needs min > 0, got {min!r}")
        return widgets.FloatLogSlider(value=value, base=10, min=math.log10(min),
                                      max=math.log10(max), step=step, readout_format=".3g",
                                      **common)
    return widgets.FloatSlider(value=value, min=min, max=max, step=step,
                               readout_format=f".{_decimals(step)}f", **common)


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
