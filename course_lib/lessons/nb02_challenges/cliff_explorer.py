"""Notebook ``02_challenges``: the cliff explorer (section 8.2.4, like the book's figure 8.3).

Choose the learning rate ε, the clipping threshold v and the clipping mode (by norm, by
value, or off); the explorer runs 40 steps of gradient descent from the start on the high
side of the cliff and draws the path on the contours beside the run without clipping
(grey), with the learning curves J − J* of both. The summary says how long the longest step
was, how far out the run was thrown, and whether it met the target of the tuning
challenge: J − J* ≤ 10⁻³ within 20 steps.

``compute_cliff`` is pure; ``draw_cliff`` builds the axes and contours once and then only
moves animated artists (see ``course_lib.widgets.Explorer``).
"""

from __future__ import annotations

import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...widgets import Explorer, dropdown, float_slider
from .cliffs import BUDGET, CLIFF, START, TARGET, run_cliff

FIGSIZE = (12.0, 4.8)
BOX = (-6.0, 3.0, -2.2, 2.2)
STEPS = 2 * BUDGET


def compute_cliff(lr: float = 1.0, threshold: float = 0.5, mode: str = "off",
                  clip_fn=None) -> dict:
    """The run with these settings and, for comparison, the same ε without clipping."""
    run = run_cliff(lr, threshold, mode, steps=STEPS, clip_fn=clip_fn)
    free = run if mode == "off" else run_cliff(lr, None, "off", steps=STEPS)
    return {"lr": float(lr), "threshold": float(threshold), "mode": mode, "run": run,
            "free": free}


def summary_cliff(r: dict) -> str:
    run = r["run"]
    clip = ("no clipping" if r["mode"] == "off" else
            f"clipping by {r['mode']} at v = {r['threshold']:.3g}")
    head = (f"ε = {r['lr']:.3g}, {clip}: longest step {run['longest']:.3g}, thrown as far "
            f"as x = {run['farthest_x']:.3g}, highest J after the start {run['peak']:.3g}")
    if run["met"]:
        badge = f"✔ target met: J − J* ≤ {TARGET:g} at step {run['first']} (budget {BUDGET})"
    elif run["first"] is not None:
        badge = (f"✘ not yet: J − J* ≤ {TARGET:g} only at step {run['first']}, "
                 f"{run['first'] - BUDGET} steps over the budget of {BUDGET}")
    else:
        badge = (f"✘ not yet: J − J* is {np.nanmin(run['excess'][:BUDGET + 1]):.3g} at best "
                 f"within {BUDGET} steps (target {TARGET:g})")
    return head + "\n" + badge + "\nexercise 4, paste: " + settings_line(r)


def settings_line(r: dict) -> str:
    """The line to paste into the tuning exercise's answer cell."""
    threshold = "None" if r["mode"] == "off" else f"{r['threshold']:.4g}"
    return f"cliff_settings = {{'lr': {r['lr']:.4g}, 'threshold': {threshold}, " \
           f"'mode': '{r['mode']}'}}"


# --- drawing ---------------------------------------------------------------------------------
_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_cliff(r: dict, fig) -> None:
    """Left: both paths on the contours. Right: J − J* of both runs, log scale."""
    panels = _PANELS.get(fig)
    if panels is None or panels["axes"] != fig.axes:
        panels = _PANELS[fig] = _build_panels(fig)
    left, right = panels["axes"]
    art = panels["artists"]
    for name, key in (("free", "free"), ("path", "run")):
        thetas = r[key]["thetas"]
        art[name].set_data(thetas[:, 0], thetas[:, 1])
        excess = np.where(r[key]["excess"] > 0, r[key]["excess"], np.nan)
        art[name + "_curve"].set_data(np.arange(len(excess)), excess)
    clip = "off" if r["mode"] == "off" else f"{r['mode']}, v = {r['threshold']:.3g}"
    art["path"].set_label(f"ε = {r['lr']:.3g}, clipping {clip}")
    left.title.set_text(f"ε = {r['lr']:.3g}, clipping {clip}")
    run = r["run"]
    right.title.set_text("target met" if run["met"] else "target not met yet")
    thrown = [f"{label} thrown to θ₁ = {r[key]['farthest_x']:.3g}"
              for label, key in (("no clipping:", "free"), ("your run:", "run"))
              if r[key]["farthest_x"] < BOX[0] and not (key == "run" and r["mode"] == "off")]
    art["note"].set_text("← " + "\n← ".join(thrown) if thrown else "")


def _build_panels(fig) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1.35, 1])
    plotting.contour(CLIFF, ax=left, box=BOX, n=160)
    left.set_aspect("auto")
    free, = left.plot([], [], color="#888888", marker="o", markersize=3, linewidth=1.2,
                      label="same ε, no clipping")
    path, = left.plot([], [], color=plotting.PALETTE[0], marker="o", markersize=4,
                      linewidth=1.8, label="your settings")
    left.plot(*START, marker="s", markersize=11, markerfacecolor="white",
              markeredgecolor="black", linestyle="none", zorder=4)
    left.axvline(CLIFF.wall, color=plotting.PALETTE[3], linestyle="--", linewidth=1.2)
    left.text(CLIFF.wall + 0.1, BOX[3] - 0.45, "wall", color=plotting.PALETTE[3], fontsize=12)
    left.legend(loc="lower left", fontsize=11)
    note = left.text(BOX[0] + 0.15, BOX[3] - 0.25, "", fontsize=12, va="top",
                     color="#333333")
    free_curve, = right.plot([], [], color="#888888", marker="none", linewidth=1.4)
    curve, = right.plot([], [], color=plotting.PALETTE[0], marker="o", markersize=4)
    right.axhline(TARGET, color=plotting.PALETTE[2], linestyle=":", linewidth=1.6)
    right.axvline(BUDGET, color=plotting.PALETTE[2], linestyle=":", linewidth=1.6)
    right.text(BUDGET + 0.5, 3e-3, "target", color=plotting.PALETTE[2], fontsize=12)
    right.set_yscale("log")
    right.yaxis.set_minor_locator(NullLocator())
    right.set_ylim(1e-6, 1e2)
    right.set_xlim(0, STEPS)
    right.set_xlabel("step k")
    right.set_ylabel("J(θ_k) − J*")
    artists = {"free": free, "path": path, "free_curve": free_curve, "path_curve": curve,
               "note": note}
    for artist in [*artists.values(), left.title, right.title]:
        artist.set_animated(True)
    return {"axes": [left, right], "artists": artists}


# --- the explorer ----------------------------------------------------------------------------
def cliff_explorer(lr: float = 1.0, threshold: float = 0.5, mode: str = "off") -> Explorer:
    """Sliders for ε and v (logarithmic), a dropdown for the clipping mode."""
    controls = {
        "lr": float_slider(lr, 0.05, 2.0, 0.05, "ε (lr)", log=True),
        "threshold": float_slider(threshold, 0.05, 50.0, 0.05, "v (threshold)", log=True),
        "mode": dropdown(list(MODES_SHOWN), mode, "clipping"),
    }
    return Explorer(compute_cliff, draw_cliff, controls,
                    title="Gradient descent down a cliff, with and without clipping",
                    summary=summary_cliff, figsize=FIGSIZE, clear=False)


MODES_SHOWN = (("off", "off"), ("by norm", "norm"), ("by value", "value"))


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_cliff, compute_cliff(**settings), FIGSIZE)
