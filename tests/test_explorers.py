"""Every explorer of every lesson, driven by its controls as a learner would (no browser).

- every slider starts exactly on one of its own grid points, at the default its factory
  names, so the value the browser shows is the value the summary and the static figure used
  (a log slider snaps to base**(min + k·step): 0.1 on a grid from 10^-3.05 would show 0.0891);
- every control changes what the explorer shows (its picture or its text), or is disabled
  with a reason under the controls (``Explorer(disabled=...)``): no control silently does
  nothing;
- every control's label fits: descriptions of at most ``MAX_LABEL`` characters.

The explorers are those each lesson lists in ``EXPLORERS`` (course_lib/lessons/<nb>/__init__.py).
"""

from __future__ import annotations

import inspect
import math
import numbers

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from course_lib import lessons  # noqa: E402

FACTORIES = lessons.explorers()
MAX_LABEL = 14          # characters that fit the label width of course_lib.widgets (10em)


@pytest.fixture(scope="module")
def built():
    return {}


def explorer_of(name, built):
    if name not in built:
        built[name] = FACTORIES[name]()
    return built[name]


def defaults_of(factory) -> dict:
    return {k: p.default for k, p in inspect.signature(factory).parameters.items()
            if p.default is not inspect.Parameter.empty}


def on_grid(control) -> float:
    """The value the browser shows for ``control``: its value snapped to the slider's grid."""
    if isinstance(control, widgets.FloatLogSlider):
        exponent = math.log(control.value, control.base)
        k = round((exponent - control.min) / control.step)
        return control.base ** (control.min + k * control.step)
    k = round((control.value - control.min) / control.step)
    return control.min + k * control.step


def other_values(control):
    """Values to move ``control`` to, as a person would: a few steps each way, another option."""
    if isinstance(control, widgets.Dropdown):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [o for o in options if o != control.value]
    if isinstance(control, (widgets.ToggleButton, widgets.Checkbox)):
        return [not control.value]
    if isinstance(control, widgets.SelectMultiple):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        chosen = tuple(control.value)
        fewer = [chosen[:-1]] if len(chosen) > 1 else []
        more = [chosen + (o,) for o in options if o not in chosen][:1]
        return fewer + more
    if isinstance(control, widgets.FloatLogSlider):
        exponent = math.log(control.value, control.base)
        moves = [exponent + 5 * control.step, exponent - 5 * control.step,
                 control.max, control.min]
        return [control.base ** min(max(e, control.min), control.max) for e in moves]
    moves = [control.value + 5 * control.step, control.value - 5 * control.step,
             control.max, control.min]
    return [type(control.value)(min(max(v, control.min), control.max)) for v in moves]


def view(explorer) -> tuple:
    outputs = explorer.output.outputs
    png = outputs[0].get("data", {}).get("image/png") if outputs else None
    return png, explorer.summary_text, explorer.badge_text


NAMES = list(FACTORIES) or [pytest.param(None, marks=pytest.mark.skip(reason="no explorers"))]
CONTROLS = [(name, key) for name in FACTORIES for key in explorer_of(name, {}).controls]


@pytest.mark.parametrize("name", NAMES)
def test_sliders_start_on_their_grid_at_the_intended_default(name, built):
    explorer = explorer_of(name, built)
    defaults = defaults_of(FACTORIES[name])
    for key, control in explorer.controls.items():
        if not isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider,
                                    widgets.IntSlider)):
            continue
        assert on_grid(control) == pytest.approx(control.value, rel=1e-9, abs=1e-12), (
            f"{name}: slider {key!r} starts at {control.value!r}, between grid points: the "
            f"browser will show {on_grid(control):.4g}. Choose a default on the grid, or "
            "min/step that put it there")
        wanted = defaults.get(key)
        if isinstance(wanted, numbers.Real) and not isinstance(wanted, bool):
            assert control.value == pytest.approx(wanted, rel=1e-9), (
                f"{name}: slider {key!r} shows {control.value!r}, its factory's default is "
                f"{wanted!r}")


@pytest.mark.parametrize("name", NAMES)
def test_labels_fit(name, built):
    for key, control in explorer_of(name, built).controls.items():
        text = getattr(control, "description", "")
        assert len(text) <= MAX_LABEL, (f"{name}: the label of {key!r}, {text!r}, has "
                                        f"{len(text)} characters; at most {MAX_LABEL} fit")


NO_CONTROLS = [pytest.param(None, None, marks=pytest.mark.skip(reason="no explorers"))]


@pytest.mark.parametrize("name, key", CONTROLS or NO_CONTROLS)
def test_every_control_changes_the_view_or_is_disabled(name, key, built):
    explorer = explorer_of(name, built)
    control = explorer.controls[key]
    if control.disabled:
        assert key in explorer.disabled_reasons, (
            f"{name}: control {key!r} is disabled without a reason shown")
        return
    start, before = control.value, view(explorer)
    try:
        for value in other_values(control):
            control.value = value
            assert explorer.error is None, f"{name}: moving {key!r} to {value!r}: {explorer.error}"
            if control.disabled or view(explorer) != before:
                return
        pytest.fail(f"{name}: moving {key!r} from {start!r} changes neither the picture nor the "
                    "text, and the control is not disabled: show what it steers, or disable "
                    "it with a reason (Explorer(disabled=...))")
    finally:
        control.value = start


def extremes(control):
    """The two ends of a slider; another option of a menu, the other state of a toggle."""
    if isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider, widgets.IntSlider)):
        return other_values(control)[2:]              # its max and its min
    return other_values(control)[:1]


def titles_in_the_way(fig) -> list[str]:
    """What would make matplotlib move a title up (its automatic placement, which explorers
    turn off: course_lib.widgets.explorer.EXPLORER_RC): ticks or a label on top, or a y
    offset text (such as "1e−5") that the title overlaps."""
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        titles = [t for t in (ax.title, ax._left_title, ax._right_title) if t.get_text()]
        if not titles:
            continue
        if ax.xaxis.get_ticks_position() in ("top", "unknown") or (
                ax.xaxis.get_label_position() == "top"):
            found.append(f"{ax.get_title()!r}: x ticks or label on top")
        offset = ax.yaxis.offsetText
        if offset.get_visible() and offset.get_text():
            box = offset.get_window_extent(renderer)
            found += [f"{t.get_text()!r} overlaps the y offset text {offset.get_text()!r}"
                      for t in titles if t.get_window_extent(renderer).overlaps(box)]
    return found


@pytest.mark.parametrize("name", NAMES)
def test_no_title_needs_moving_at_any_controls_extreme(name):
    """A title sits at the top of its axes in every state a learner can reach by pushing
    one control to an end: nothing there for it to clear."""
    explorer = FACTORIES[name]()
    assert not titles_in_the_way(explorer.figure), name
    for key, control in explorer.controls.items():
        if control.disabled:
            continue
        start = control.value
        try:
            for value in extremes(control):
                control.value = value
                problems = titles_in_the_way(explorer.figure)
                assert not problems, f"{name}, {key} = {value!r}: {problems}"
        finally:
            control.value = start
