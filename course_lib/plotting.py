"""One plotting style for the whole course: contours, trajectories and learning curves.

Every figure uses the Okabe–Ito palette (safe for the common colour-vision deficiencies and
still distinct in greyscale thanks to one marker per colour) and sizes that stay legible
when a notebook is projected in a lecture hall. Axes carry the book's symbols: θ₁, θ₂,
"step k", "J(θ) − J*".

Importing this module imports matplotlib (not pyplot); ``import course_lib`` alone does not.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Iterator, Mapping, Sequence

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.colors import BoundaryNorm
from matplotlib.ticker import NullLocator

# Okabe & Ito (2008), "Color universal design": eight colours told apart by everyone.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000"]
# One marker per colour, so curves stay distinct in greyscale prints and on weak projectors.
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

COURSE_RC = {
    "font.size": 14,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "legend.framealpha": 0.85,
    "lines.linewidth": 2.4,
    "lines.markersize": 6,
    "axes.linewidth": 1.2,
    "axes.prop_cycle": cycler(color=PALETTE) + cycler(marker=MARKERS),
    "axes.grid": True,
    "grid.color": "#b0b0b0",
    "grid.alpha": 0.35,
    "grid.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.constrained_layout.use": True,
    "figure.dpi": 100,          # notebooks: sharp enough, and cheap to redraw in explorers
    "savefig.dpi": 150,         # exported figures (slides, PDF) get more pixels
    "image.cmap": "viridis",
}

_STAR = dict(marker="*", markersize=18, color="#000000", markeredgecolor="white",
             markeredgewidth=1.2, linestyle="none", zorder=5)


def use_course_style() -> None:
    """Apply the course style to every figure made from now on (call once per notebook)."""
    mpl.rcParams.update(COURSE_RC)


@contextlib.contextmanager
def style() -> Iterator[None]:
    """The course style for the figures drawn inside a ``with style():`` block only."""
    with mpl.rc_context(COURSE_RC):
        yield


def figure(figsize=(11.0, 4.6)):
    """A new pyplot figure in the course style.

    In a notebook with the inline backend it shows once at the end of the cell. Assign it
    (``fig = figure()``) rather than ending the line with ``;``: nbval ignores a trailing
    ``;`` and would see the figure's repr a second time.
    """
    import matplotlib.pyplot as plt  # only here: explorers draw on plain Figures, not pyplot

    with style():
        return plt.figure(figsize=figsize)


def static_figure(draw, result, figsize):
    """An explorer's view as a figure of its own: ``draw(result, fig)`` on a new course-style
    figure. Notebooks show it beside an explorer, for static copies where widgets are dead."""
    fig = figure(figsize=figsize)
    with style():
        draw(result, fig)
    return fig


def decade_range(values, low_block: int = 4, high_block: int = 4, lowest: int = -30,
                 empty=(1e-9, 1e3)) -> tuple[float, float]:
    """Log-axis limits snapped to blocks of decades, for explorers.

    The limits stay put while a slider moves a little, so an update can redraw only the
    curves; a new range means a full (slower) redraw. ``lowest`` is the smallest exponent.
    """
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return empty
    low = low_block * math.floor(math.log10(max(finite.min(), 1e-300)) / low_block)
    high = high_block * math.ceil(math.log10(finite.max()) / high_block)
    low = max(low, lowest)
    return (10.0 ** low, 10.0 ** max(high, low + high_block))


# --- contours ----------------------------------------------------------------------------

def default_box(objective) -> tuple[float, float, float, float]:
    """The objective's own plotting box (xmin, xmax, ymin, ymax), else [-3, 3]²."""
    box = getattr(objective, "box", None)
    return tuple(float(x) for x in box) if box is not None else (-3.0, 3.0, -3.0, 3.0)


def loss_grid(objective, box=None, n: int = 120):
    """X, Y and Z = J(θ) on an n × n grid over ``box`` (cached; treat the arrays as read-only).

    Explorers redraw the same landscape many times, so the grid is computed once per
    (objective, box, n). The cache holds the objective itself, so its identity is never
    reused by another object while the entry lives.
    """
    box = tuple(float(x) for x in (default_box(objective) if box is None else box))
    try:
        return _cached_grid(objective, box, int(n))
    except TypeError:           # an unhashable objective: compute without the cache
        return _compute_grid(objective, box, int(n))


@functools.lru_cache(maxsize=32)
def _cached_grid(objective, box, n):
    return _compute_grid(objective, box, n)


def _compute_grid(objective, box, n):
    xmin, xmax, ymin, ymax = box
    X, Y = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n))
    if hasattr(objective, "loss_grid"):
        Z = np.asarray(objective.loss_grid(X, Y), dtype=float)
    else:
        # The contract's loss takes one θ at a time: loop, one grid row per pass.
        Z = np.empty_like(X)
        for i in range(n):
            Z[i] = [objective.loss(np.array([x, y])) for x, y in zip(X[i], Y[i], strict=True)]
    for array in (X, Y, Z):
        array.setflags(write=False)   # shared by every redraw: nobody may change it
    return X, Y, Z


def contour(objective, ax=None, box=None, levels: int = 18, log_levels: bool = True,
            n: int = 120, filled: bool = True, minima: bool = True):
    """Contours of a 2-D objective J(θ₁, θ₂) over ``box``, its minima marked with a star.

    ``log_levels`` spaces the levels geometrically in J − J_min, so the narrow floor of an
    ill-conditioned valley gets as many lines as its steep walls. Returns the axes.
    """
    if getattr(objective, "dim", 2) != 2:
        raise ValueError(f"contour needs a 2-D objective, got dim = {objective.dim}")
    if ax is None:
        ax = figure(figsize=(6.0, 5.0)).add_subplot()
    box = default_box(objective) if box is None else tuple(box)
    X, Y, Z = loss_grid(objective, box, n)
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        raise ValueError("the objective is not finite anywhere in the box")
    floor = getattr(objective, "min_value", None)
    # An unbounded objective (a saddle: min_value = −∞) has no floor: use the box's lowest.
    if floor is None or not np.isfinite(floor):
        floor = float(finite.min())
    floor = min(float(floor), float(finite.min()))
    top = float(finite.max())
    if log_levels and top > floor:
        excess = np.geomspace(max((top - floor) * 1e-4, 1e-12), top - floor, levels)
        values = np.concatenate([[floor], floor + excess])
    else:
        values = np.linspace(floor, top, levels + 1)
    values = np.unique(values)
    if filled and values.size > 1:
        cmap = mpl.colormaps["Greys"]
        # Colour by level index, not by value: log-spaced levels would otherwise all share
        # the palest grey.
        ax.contourf(X, Y, Z, levels=values, cmap=cmap, norm=BoundaryNorm(values, cmap.N),
                    alpha=0.35, extend="max")
    ax.contour(X, Y, Z, levels=values, colors="#555555", linewidths=0.7, alpha=0.8)
    stars = getattr(objective, "minima", None) if minima else None
    if stars is not None and len(stars):
        stars = np.atleast_2d(np.asarray(stars, dtype=float))
        ax.plot(stars[:, 0], stars[:, 1], label="minimum", **_STAR)
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("θ₁")
    ax.set_ylabel("θ₂")
    ax.grid(False)    # the contour lines are grid enough
    return ax


# --- paths and learning curves -----------------------------------------------------------

def trajectory(ax, thetas, label: str | None = None, color=None, marker: str = "o",
               markersize: float = 4.5, start: bool = True, **kwargs):
    """The path θ₀, θ₁, … of a run on the (θ₁, θ₂) plane, with markers at every step.

    The start gets a large hollow square so the direction of travel reads at a glance.
    Returns the path's Line2D.
    """
    thetas = np.asarray(getattr(thetas, "thetas", thetas), dtype=float)
    if thetas.ndim != 2 or thetas.shape[1] < 2:
        raise ValueError(f"thetas must have shape (steps + 1, 2), got {thetas.shape}")
    line, = ax.plot(thetas[:, 0], thetas[:, 1], label=label, color=color, marker=marker,
                    markersize=markersize, linewidth=kwargs.pop("linewidth", 1.8), **kwargs)
    if start:
        ax.plot(thetas[0, 0], thetas[0, 1], marker="s", markersize=11, linestyle="none",
                markerfacecolor="white", markeredgecolor=line.get_color(),
                markeredgewidth=2.2, zorder=4)
    return line


def _values(curve) -> np.ndarray:
    """The loss values of a Trace (its ``losses``) or of a plain sequence."""
    return np.asarray(getattr(curve, "losses", curve), dtype=float)


def learning_curve(ax, curves, labels: Sequence[str] | str | None = None, log: bool = True,
                   min_value: float | None = None, markers: int = 12):
    """Loss J(θ_k) (or the excess J(θ_k) − J* when ``min_value`` = J* is given) against k.

    ``curves``: one or several loss arrays or Traces. On a log scale, values ≤ 0 (the
    minimum reached exactly) are left out rather than drawn at −∞. About ``markers``
    markers per curve keep long runs readable. Returns the axes.
    """
    if isinstance(curves, np.ndarray):
        curves = [curves] if curves.ndim == 1 else list(curves)     # rows: several runs
    elif hasattr(curves, "losses") or (len(curves) and np.isscalar(curves[0])):
        curves = [curves]                                           # one run
    if isinstance(labels, str):
        labels = [labels]
    labels = list(labels) if labels is not None else [None] * len(curves)
    if len(labels) != len(curves):
        raise ValueError(f"got {len(curves)} curves but {len(labels)} labels")
    for curve, label in zip(curves, labels, strict=True):
        y = _values(curve)
        if min_value is not None:
            y = y - min_value
        if log:
            y = np.where(y > 0, y, np.nan)
        ax.plot(np.arange(len(y)), y, label=label, markevery=max(1, len(y) // markers))
    if log:
        ax.set_yscale("log")
        # Minor ticks over many decades are clutter, and each one costs drawing time.
        ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("step k")
    ax.set_ylabel("J(θ) − J*" if min_value is not None else "J(θ)")
    if any(label is not None for label in labels):
        ax.legend()
    return ax


def path_and_curve(objective, traces: Mapping, box=None, title: str | None = None,
                   min_value: float | None = None, figsize=(11.0, 4.6), n: int = 120):
    """Contour and paths on the left, learning curves on the right, for several runs.

    ``traces`` maps a label to a Trace. J* defaults to ``objective.min_value`` when the
    objective knows it. Returns a pyplot Figure (shown once by the inline backend).
    """
    fig = figure(figsize=figsize)
    with style():
        draw_path_and_curve(fig, objective, traces, box=box, title=title,
                            min_value=min_value, n=n)
    return fig


def draw_path_and_curve(fig, objective, traces: Mapping, box=None, title: str | None = None,
                        min_value: float | None = None, n: int = 120):
    """Draw the ``path_and_curve`` layout onto an existing (cleared) figure; returns its axes."""
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.25])
    contour(objective, ax=left, box=box, n=n)
    for i, (label, trace) in enumerate(traces.items()):
        trajectory(left, trace, label=label, color=PALETTE[i % len(PALETTE)])
    left.legend(loc="lower right", fontsize=12)
    left.set_title("path on J(θ)")
    if min_value is None:
        min_value = getattr(objective, "min_value", None)
    learning_curve(right, list(traces.values()), labels=list(traces), min_value=min_value)
    right.set_title("learning curve")
    if title:
        fig.suptitle(title)
    return left, right
