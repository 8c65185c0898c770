"""Notebook ``01_risk_minimization``: the explorer of training against true risk.

Choose the training-set size m, the capacity (the polynomial's degree d: d + 1 parameters),
the minibatch size and which training sets to draw; the explorer runs ``UPDATES`` updates of
minibatch SGD (``risk_sgd.sgd_risk_curves``, step size set by the batch size) on ``DRAWS``
training sets of ``risk.PolynomialTask`` at once. Left: the five fitted curves beside the
truth sin 2πx, with the first training set's points. Right: the median training risk J and
the median true risk J* (exact) over the five sets along the run, with the Bayes risk and
the best risk of degree d.

``compute_risk_curves`` is pure; ``draw_risk_curves`` keeps its axes between updates and moves
only animated artists, so the explorer blits them (``course_lib.widgets.Explorer``).
"""

from __future__ import annotations

import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...widgets import Explorer, dropdown, int_slider
from .risk_curves import (
    BATCHES,
    DRAWS,
    GRID,
    SEEDS,
    SIZES,
    TASK,
    UPDATES,
    compute_risk_curves,
    summary_risk_curves,
)

FIGSIZE = (12.0, 4.8)

# --- drawing ---------------------------------------------------------------------------------
_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_risk_curves(r: dict, fig) -> None:
    """Left: the fits and the data. Right: median J and J* along the run (log scale)."""
    panels = _PANELS.get(fig)
    if panels is None or panels["axes"] != fig.axes:
        panels = _PANELS[fig] = _build_panels(fig)
    left, right = panels["axes"]
    art = panels["artists"]
    for line, fit in zip(art["fits"], r["fits"].T, strict=True):
        line.set_data(GRID, np.clip(fit, -10.0, 10.0))
    art["points"].set_data(r["x"], r["y"])
    art["train"].set_data(r["steps"], r["train"])
    art["true"].set_data(r["steps"], r["true"])
    art["best"].set_ydata([r["best"], r["best"]])
    ylim = plotting.decade_range(np.concatenate([r["train"], r["true"], [r["bayes"]]]), 1, 1,
                                 lowest=-4)
    if right.get_ylim() != ylim:
        right.set_ylim(*ylim)
    batch = "all" if r["batch_size"] in (None, "all") else str(r["b"])
    left.title.set_text(f"m = {r['m']}, degree {r['degree']}: {DRAWS} fits")
    right.title.set_text(f"minibatch {batch}: J* = {r['final_true']:.4f}, "
                         f"J = {r['final_train']:.4f}")


def _build_panels(fig) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.1])
    left.plot(GRID, TASK.target(GRID), color="black", linestyle="--", marker="none",
              label="truth sin 2πx")
    fits = [left.plot([], [], color=plotting.PALETTE[0], marker="none", linewidth=1.6,
                      alpha=0.8, label="fits" if i == 0 else None)[0] for i in range(DRAWS)]
    points, = left.plot([], [], "o", color=plotting.PALETTE[1], markersize=4,
                        label="training set 1")
    left.set_xlim(-1.0, 1.0)
    left.set_ylim(-2.0, 2.0)
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.legend(loc="lower left", fontsize=10)
    train, = right.plot([], [], color=plotting.PALETTE[2], marker="none", linestyle="--",
                        label="training risk J")
    true, = right.plot([], [], color=plotting.PALETTE[3], marker="none", label="true risk J*")
    right.axhline(TASK.bayes_risk, color="black", linewidth=1.2, label="Bayes risk")
    best, = right.plot([0, UPDATES], [TASK.bayes_risk] * 2, color="grey", linestyle=":",
                       marker="none", label="best of degree d")
    right.set_xlim(0, UPDATES)
    right.set_yscale("log")
    right.yaxis.set_minor_locator(NullLocator())
    right.set_xlabel("update")
    right.set_ylabel("median risk")
    right.legend(loc="upper right", fontsize=10)
    for artist in [*fits, points, train, true, best, left.title, right.title]:
        artist.set_animated(True)
    return {"axes": [left, right],
            "artists": {"fits": fits, "points": points, "train": train, "true": true,
                        "best": best}}


# --- the explorer ----------------------------------------------------------------------------
def risk_explorer(m: int = 40, degree: int = 20, batch_size: int | str = "all", seed: int = 0,
                  challenge=None) -> Explorer:
    """Menus for m, the batch size and the training sets; a slider for the degree.

    ``challenge``: a ``lessons.common.challenge.Challenge`` (the exercise's,
    ``checks.CAPACITY``) adds its live badge and the line to paste.
    """
    controls = {
        "m": dropdown(list(SIZES), m, "examples m"),
        "degree": int_slider(degree, 1, 20, 1, "degree d"),
        "batch_size": dropdown(list(BATCHES), batch_size, "minibatch"),
        "seed": dropdown(list(SEEDS), seed, "training sets"),
    }
    return Explorer(compute_risk_curves, draw_risk_curves, controls,
                    title="Training risk against true risk: data, capacity, minibatch",
                    summary=summary_risk_curves, figsize=FIGSIZE, clear=False,
                    badge=None if challenge is None else challenge.badge,
                    record=None if challenge is None else challenge.record)


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_risk_curves, compute_risk_curves(**settings), FIGSIZE)
