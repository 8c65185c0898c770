"""The explorer kit: interactive figures built from a pure compute and a draw function.

An explorer is three small parts (docs/DESIGN.md, "Explorers"):

- ``compute(**settings) -> result``: the numbers (a dict of arrays and floats); pure, no
  plotting, so tests can check it directly;
- ``draw(result, fig)``: draws the result onto a matplotlib Figure it is handed;
- thin ipywidgets wiring (``Explorer``): every control change recomputes and redraws, once.

For exercises an explorer can also show a live badge (a target met or not yet) and the line
that records the current settings, to paste into an answer cell (docs/DESIGN.md,
"Widget-driven exercises"; ``course_lib.lessons.common`` builds both from a ``Challenge``).

Tests drive an explorer without a browser by setting a control's value
(``explorer.controls["lr"].value = 0.25``) and reading ``explorer.result``,
``explorer.summary_text``, ``explorer.badge_state`` and ``explorer.output.outputs``.
"""

from .controls import dropdown, float_slider, int_slider, toggle
from .explorer import Explorer

__all__ = ["Explorer", "float_slider", "int_slider", "dropdown", "toggle"]
