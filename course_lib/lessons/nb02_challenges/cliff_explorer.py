"""Notebook ``02_challenges``: the cliff explorer (section 8.2.4, like the book's figure 8.3).

Choose the learning rate ε, the clipping threshold v and the clipping mode (by norm, by
value, or off); the explorer runs 40 steps of gradient descent from the start on the high
side of the cliff and draws the path on the contours beside the run without clipping
(grey), with the learning curves J − J* of both. The summary says how long the longest step
was, how far out the run was thrown, and whether it met the target of the tuning
challenge: J − J* ≤ 10⁻³ within 20 steps.

With ``clip_by_norm=`` (your function from exercise 1) the explorer also runs gradient
descent with *your* clipping whenever the mode is "by norm", draws its path dashed beside the
reference's, rings the first step where the two part and prints the check's diagnosis: a
value-clipping mistake, for instance, shows only once a step is clipped, on the wall.
With ``challenge=`` (``checks.CLIFF_TUNING``) it shows the tuning exercise's live badge and
the line to paste (``lessons.common.challenge``).

``compute_cliff`` (in ``cliffs``) is pure; ``draw_cliff`` builds the axes and contours once
and then only moves animated artists (see ``course_lib.widgets.Explorer``).
"""

from __future__ import annotations

import time
import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...checks.result import describe, fmt, not_done
from ...strategies.clipping import clip_by_norm
from ...widgets import Explorer, dropdown, float_slider
from ..common.plug_in import LearnerRun
from .checks.calls import call, not_callable
from .checks.clipping import NAME, _cause
from .cliffs import BUDGET, CLIFF, START, TARGET, compute_cliff, run_cliff

FIGSIZE = (12.0, 4.8)
BOX = (-6.0, 3.0, -2.2, 2.2)
STEPS = 2 * BUDGET


def learner_run(fn, lr: float, threshold: float, cliff=CLIFF, start=START,
                steps: int = STEPS, timeout: float = 0.25, budget: float = 1.0) -> LearnerRun:
    """Gradient descent with the learner's ``fn(g, threshold)`` as the clipping, beside the
    reference's norm clipping: every call time-limited, each output compared with
    ``clip_by_norm`` on the learner's own gradient (the check's diagnosis at the first
    difference)."""
    reference = run_cliff(lr, threshold, "norm", cliff, start, steps)["thetas"]
    theta = np.array(start, dtype=float)
    if fn is None or fn is Ellipsis:
        return LearnerRun("not plugged in", theta[None, :], reference, None,
                          "Pass your clip_by_norm to the explorer to see its run here.")
    problem = not_callable(fn, NAME, ("g", "threshold"))
    if problem is not None:
        return LearnerRun("error", theta[None, :], reference, None, problem.message)
    path, first, status, message = [theta], None, "matches", ""
    deadline = time.perf_counter() + budget
    for step in range(1, steps + 1):
        g = cliff.grad(theta)
        where = f"at step {step} of the explorer's run (g = {fmt(g)}, v = {threshold:.3g})"
        if time.perf_counter() > deadline:
            status, message = "error", f"stopped at step {step}: your function is too slow."
            break
        problem, value = call(fn, NAME, [g, float(threshold)], where, timeout)
        if problem is None and value is None:
            problem = not_done(f"{NAME}: not done yet, it returns None.")
        if problem is not None:
            kind = "not done yet" if problem.status == "not done yet" else "error"
            return LearnerRun(kind, np.array(path), reference, None, problem.message)
        try:
            got = np.asarray(value, dtype=float).reshape(g.shape)
        except (TypeError, ValueError):
            return LearnerRun("error", np.array(path), reference, step,
                              f"{NAME} returned {describe(value)} {where}; expected an "
                              "array like g.")
        expected = clip_by_norm(g, threshold)
        if first is None and not np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            first, status = step, "differs"
            message = (f"{NAME} differs {where}: expected {fmt(expected)}, got {fmt(got)}.\n"
                       f"Likely cause: {_cause(g, threshold, got)}")
        theta = theta - lr * got
        if not np.all(np.isfinite(theta)):
            break
        path.append(theta)
    if status == "matches":
        message = ("your clip_by_norm gives the reference's path at every step of this run; "
                   "the check below tries it on other gradients too.")
    return LearnerRun(status, np.array(path), reference, first, message)


def compute_explorer(lr: float = 0.7, threshold: float = 0.25, mode: str = "off",
                     clip_fn=None) -> dict:
    """``cliffs.compute_cliff``, plus the learner's run when a function is plugged in and
    the mode is "norm"."""
    r = compute_cliff(lr, threshold, mode)
    r["learner"] = (learner_run(clip_fn, lr, threshold) if clip_fn is not None and
                    mode == "norm" else None)
    r["plugged_in"] = clip_fn is not None
    return r


def summary_cliff(r: dict) -> str:
    run = r["run"]
    clip = ("no clipping" if r["mode"] == "off" else
            f"clipping by {r['mode']} at v = {r['threshold']:.3g}")
    first = (f"J − J* ≤ {TARGET:g} at step {run['first']}" if run["first"] is not None else
             f"J − J* > {TARGET:g} for all {r['steps']} steps")
    lines = [f"ε = {r['lr']:.3g}, {clip}: longest step {run['longest']:.3g} (step "
             f"{run['longest_at']}), thrown as far as θ₁ = {run['farthest_x']:.3g}; {first}"]
    if r.get("plugged_in"):
        learner = r["learner"]
        lines.append("your clip_by_norm: set clipping to 'by norm' to run it" if learner is None
                     else f"{learner.headline}\n{learner.message}")
    return "\n".join(lines)


# --- drawing ---------------------------------------------------------------------------------
_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_cliff(r: dict, fig) -> None:
    """Left: the paths on the contours (yours dashed, when plugged in). Right: J − J*."""
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
    learner = r.get("learner")
    path = learner.path if learner is not None else np.full((1, 2), np.nan)
    art["learner"].set_data(path[:, 0], path[:, 1])
    ring = (path[learner.first_difference] if learner is not None and
            learner.first_difference is not None and learner.first_difference < len(path)
            else np.full(2, np.nan))
    art["ring"].set_data([ring[0]], [ring[1]])
    clip = "off" if r["mode"] == "off" else f"{r['mode']}, v = {r['threshold']:.3g}"
    left.title.set_text(f"ε = {r['lr']:.3g}, clipping {clip}")
    run = r["run"]
    right.title.set_text("target met" if run["met"] else "target not met")
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
                      linewidth=1.8, label="these settings")
    learner, = left.plot([], [], color=plotting.PALETTE[3], linestyle="--", linewidth=2.2,
                         marker="none", label="your clip_by_norm")
    ring, = left.plot([], [], marker="o", markersize=16, markerfacecolor="none",
                      markeredgecolor=plotting.PALETTE[3], markeredgewidth=2.5,
                      linestyle="none")
    left.plot(*START, marker="s", markersize=11, markerfacecolor="white",
              markeredgecolor="black", linestyle="none", zorder=4)
    left.axvline(CLIFF.wall, color=plotting.PALETTE[3], linestyle=":", linewidth=1.2)
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
               "note": note, "learner": learner, "ring": ring}
    for artist in [*artists.values(), left.title, right.title]:
        artist.set_animated(True)
    return {"axes": [left, right], "artists": artists}


# --- the explorer ----------------------------------------------------------------------------
MODES_SHOWN = (("off", "off"), ("by norm", "norm"), ("by value", "value"))


def cliff_explorer(lr: float = 0.7, threshold: float = 0.25, mode: str = "off",
                   challenge=None, clip_by_norm=None) -> Explorer:
    """Sliders for ε and v (logarithmic), a dropdown for the clipping mode.

    ``challenge``: the tuning exercise's ``Challenge`` (``checks.CLIFF_TUNING``), for its
    badge and answer line; ``clip_by_norm``: your function, run beside the reference.
    """
    controls = {
        "lr": float_slider(lr, 0.05, 2.0, 0.05, "ε (lr)", log=True),
        "threshold": float_slider(threshold, 0.05, 50.0, 0.05, "v (threshold)", log=True),
        "mode": dropdown(list(MODES_SHOWN), mode, "clipping"),
    }

    def compute(lr, threshold, mode):
        return compute_explorer(lr, threshold, mode, clip_fn=clip_by_norm)

    title = ("Your clip_by_norm on the cliff" if clip_by_norm is not None else
             "Gradient descent down a cliff, with and without clipping")
    return Explorer(compute, draw_cliff, controls, title=title, summary=summary_cliff,
                    figsize=FIGSIZE, clear=False,
                    badge=None if challenge is None else challenge.badge,
                    record=None if challenge is None else challenge.record,
                    disabled=lambda settings: ({"threshold": "no clipping: v has no effect"}
                                               if settings["mode"] == "off" else {}))


def reference_plugged_in() -> Explorer:
    """The explorer with the library's clip_by_norm plugged in (for the benchmark)."""
    return cliff_explorer(mode="norm", clip_by_norm=clip_by_norm)


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_cliff, compute_explorer(**settings), FIGSIZE)
