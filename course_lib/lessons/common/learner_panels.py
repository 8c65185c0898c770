"""The picture of a learner explorer: both paths on the contours, and how far apart they are.

Left: the reference's path and the learner's on the landscape's contours, with a ring at the
first step where they part. Right: ‖θₖ (yours) − θₖ (ref.)‖ step by step, on a log scale.
Axes, contours and legend are drawn once per landscape; a new run length moves the right
panel's step axis (a full render, no new axes); any other update moves only the animated
artists, which the explorer blits over the cached background. Notebooks 04, 06
and 07 draw their learner explorers with it (``lessons.common.plug_in`` runs the learner).
"""

from __future__ import annotations

import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting

_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_paths_and_gap(fig, r: dict, objective, left_title: str,
                       learner_label: str = "yours", legend_loc: str = "lower right") -> None:
    """Draw ``r["run"]`` (a ``LearnerRun``) on ``objective``'s contours in ``r["box"]``, over
    ``r["steps"]`` steps; ``r["function"]`` names the landscape (a new one rebuilds)."""
    panels = _PANELS.get(fig)
    if panels is None or panels["axes"] != fig.axes or panels["key"] != r["function"]:
        panels = _PANELS[fig] = _build(fig, objective, r["box"], learner_label, legend_loc)
        panels["key"] = r["function"]
    left, right = panels["axes"]
    # Only when it changes: setting a limit marks the figure stale (a full render), and
    # keeping the axes keeps their ticks (building them again is most of a rebuild's cost).
    if right.get_xlim() != (0, r["steps"]):
        right.set_xlim(0, r["steps"])
    art, run = panels["artists"], r["run"]
    set_paths(art, run)
    gap = run.gap
    gap = np.where(gap > 0, gap, np.nan)               # log scale: equal steps show no point
    art["gap"].set_data(np.arange(len(gap)), gap)
    art["note"].set_text("" if np.any(np.isfinite(gap)) else
                         "no difference" if len(gap) > 1 else run.status)
    left.title.set_text(left_title)
    right.title.set_text(run.verdict)


def _build(fig, objective, box, learner_label: str, legend_loc: str) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1.1, 1])
    plotting.contour(objective, ax=left, box=box, n=90)
    empty = ([], [])
    reference, = left.plot(*empty, color=plotting.PALETTE[7], linewidth=1.8, marker="none",
                           alpha=0.8, label="reference", zorder=3)
    learner, = left.plot(*empty, color=plotting.PALETTE[3], linestyle="--", linewidth=2.4,
                         marker="none", label=learner_label, zorder=4)
    ring, = left.plot(*empty, marker="o", markersize=16, markerfacecolor="none",
                      markeredgecolor=plotting.PALETTE[3], markeredgewidth=2.5,
                      linestyle="none", zorder=6, label="they part")
    left.set_xlim(box[0], box[1])
    left.set_ylim(box[2], box[3])
    left.legend(loc=legend_loc, fontsize=13)
    gap, = right.plot(*empty, color=plotting.PALETTE[3], marker="o", markersize=4)
    note = right.text(0.5, 0.5, "", transform=right.transAxes, ha="center", va="center",
                      fontsize=14)
    right.set_yscale("log")
    right.set_ylim(1e-16, 1e2)
    right.yaxis.set_minor_locator(NullLocator())
    right.set_xlabel("step k")
    right.set_ylabel("‖θₖ (yours) − θₖ (ref.)‖")
    for ax in (left, right):
        ax.title.set_fontsize(13)
    for artist in (reference, learner, ring, gap, note, left.title, right.title):
        artist.set_animated(True)
    return {"axes": [left, right],
            "artists": {"reference": reference, "learner": learner, "ring": ring, "gap": gap,
                        "note": note}}


def set_paths(art: dict, run) -> None:
    """Draw a ``LearnerRun``'s reference and learner paths (first two coordinates) on the
    artists ``reference`` and ``learner``, and ring the learner's first differing point."""
    art["reference"].set_data(*run.reference[:, :2].T)
    art["learner"].set_data(*run.path[:, :2].T)
    ring = (run.path[run.first_difference, :2] if run.first_difference is not None
            and run.first_difference < len(run.path) else np.full(2, np.nan))
    art["ring"].set_data([ring[0]], [ring[1]])
