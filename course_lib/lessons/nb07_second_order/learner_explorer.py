"""Notebook 07: your ``newton_step`` in an explorer, beside the reference.

Your ``newton_step(theta, g, H, alpha)`` runs on one of the explorer's 2-D landscapes, fed
the gradient and the Hessian at its own current point, beside the reference's damped Newton
step (``lessons.common.plug_in``): both paths on the contours, a ring where they part, and
on the right how far apart they are step by step, with the check's diagnosis under the plot.
Some mistakes hide at some settings: at α = 0 every damping mistake (α added to every entry
of H, subtracted, multiplied...) gives the undamped step and matches; raise α and it shows.

The exercise's ``UpdateRule`` (``checks.NEWTON_STEP``) passes a constant H, as its cases are
quadratics. Here H changes from point to point, so the rule is lifted to one landscape
(``landscape_rule``): the learner's function, the reference and every known mistake receive
H = ∇²J(θ) at the θ they are given.
"""

from __future__ import annotations

import dataclasses
import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...checks.rules import Case
from ...checks.update_rule import _not_a_rule_function
from ...widgets import Explorer, dropdown, float_slider
from ..common.plug_in import LearnerRun, run_learner
from .checks import NEWTON_STEP
from .second_order_explorer import LANDSCAPES, START_NAMES, landscape, start_point

FIGSIZE = (10.0, 4.6)              # ≤ 10 in wide: 13-pt text stays ≥ 9 px in the notebook
STEPS = 20


def _lift(step, f):
    """``step(theta, g, H, alpha)`` → ``(theta, g, alpha)``, with H = ∇²J(θ) of ``f``."""
    def lifted(theta, g, alpha):
        return step(theta, g, np.asarray(f.hessian(theta), dtype=float), alpha)
    return lifted


def landscape_rule(f):
    """``NEWTON_STEP`` on the landscape ``f``: the Hessian comes from ``f`` at each θ."""
    return dataclasses.replace(
        NEWTON_STEP, signature=("theta", "g", "alpha"), reference=_lift(NEWTON_STEP.reference, f),
        mistakes=[dataclasses.replace(m, fn=_lift(m.fn, f)) for m in NEWTON_STEP.mistakes],
        symbols={})


def compute_learner(newton_step=None, alpha: float = 0.5, function: str = "Rosenbrock",
                    start: str = "A", steps: int = STEPS) -> dict:
    """The learner's ``newton_step`` beside the reference on ``function`` from ``start``."""
    f = landscape(function)
    rule = landscape_rule(f)
    case = Case(f"{function} from {start}", f, {"theta": start_point(function, start)},
                {"alpha": float(alpha)}, int(steps))
    problem = None if newton_step is None else _not_a_rule_function(newton_step, NEWTON_STEP)
    if problem is not None:               # a wrong signature: say so in the exercise's terms
        start_theta = case.state["theta"][None, :]
        run = LearnerRun("error", start_theta, start_theta, None, problem.message)
    else:
        run = run_learner(None if newton_step is None else _lift(newton_step, f), rule, case)
    n = min(len(run.path), len(run.reference))
    gap = np.linalg.norm(run.path[:n] - run.reference[:n], axis=1)
    return {"alpha": float(alpha), "function": function, "start": start, "steps": int(steps),
            "run": run, "gap": gap, "box": LANDSCAPES[function][2]}


def summary_learner(r: dict) -> str:
    run = r["run"]
    return f"newton_step: {run.headline}\n{run.message}"


def short_verdict(run) -> str:
    """The run's verdict in a few words, for the panel's title (the summary has it all)."""
    if run.status == "matches":
        return f"same as the reference, {len(run.reference) - 1} steps"
    if run.first_difference is not None:
        return f"yours parts at step {run.first_difference}"
    return f"yours: {run.status}"


_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_learner(r: dict, fig) -> None:
    """Left: both paths on the contours, a ring where they part. Right: their distance."""
    panels = _PANELS.get(fig)
    if panels is None or panels["axes"] != fig.axes or panels["function"] != r["function"]:
        panels = _PANELS[fig] = _build_panels(fig, r)
    left, right = panels["axes"]
    art, run = panels["artists"], r["run"]
    art["reference"].set_data(*run.reference[:, :2].T)
    art["learner"].set_data(*run.path[:, :2].T)
    ring = (run.path[run.first_difference, :2] if run.first_difference is not None
            and run.first_difference < len(run.path) else np.full(2, np.nan))
    art["ring"].set_data([ring[0]], [ring[1]])
    gap = np.where(r["gap"] > 0, r["gap"], np.nan)
    art["gap"].set_data(np.arange(len(gap)), gap)
    art["note"].set_text("" if np.any(np.isfinite(gap)) else
                         "no difference" if len(gap) > 1 else run.status)
    left.title.set_text(f"damped Newton, α = {r['alpha']:.2g}")
    right.title.set_text(short_verdict(run))


def _build_panels(fig, r: dict) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1.1, 1])
    box = r["box"]
    plotting.contour(landscape(r["function"]), ax=left, box=box, n=90)
    empty = ([], [])
    reference, = left.plot(*empty, color=plotting.PALETTE[7], linewidth=1.8, marker="o",
                           markersize=4, alpha=0.8, label="reference", zorder=3)
    learner, = left.plot(*empty, color=plotting.PALETTE[3], linestyle="--", linewidth=2.4,
                         marker="none", label="yours", zorder=4)
    ring, = left.plot(*empty, marker="o", markersize=16, markerfacecolor="none",
                      markeredgecolor=plotting.PALETTE[3], markeredgewidth=2.5,
                      linestyle="none", zorder=6, label="they part")
    left.set_xlim(box[0], box[1])
    left.set_ylim(box[2], box[3])
    left.legend(loc="lower right", fontsize=13)
    gap, = right.plot(*empty, color=plotting.PALETTE[3], marker="o", markersize=4)
    note = right.text(0.5, 0.5, "", transform=right.transAxes, ha="center", va="center",
                      fontsize=14)
    right.set_yscale("log")
    right.set_ylim(1e-16, 1e2)
    right.yaxis.set_minor_locator(NullLocator())
    right.set_xlim(0, r["steps"])
    right.set_xlabel("step k")
    right.set_ylabel("‖θₖ (yours) − θₖ (ref.)‖")
    for ax in (left, right):
        ax.title.set_fontsize(13)
    for artist in (reference, learner, ring, gap, note, left.title, right.title):
        artist.set_animated(True)
    return {"axes": [left, right], "function": r["function"],
            "artists": {"reference": reference, "learner": learner, "ring": ring, "gap": gap,
                        "note": note}}


def learner_explorer(newton_step=None, alpha: float = 0.5, function: str = "Rosenbrock",
                     start: str = "A") -> Explorer:
    """The explorer with your function plugged in: ``learner_explorer(newton_step)``.

    Controls: the damping α, the landscape and the start."""
    controls = {
        "alpha": float_slider(alpha, 0.0, 20.0, 0.1, "α (damping)"),
        "function": dropdown(list(LANDSCAPES), function, "landscape"),
        "start": dropdown(list(START_NAMES), start, "start"),
    }

    def compute(**settings):
        return compute_learner(newton_step, **settings)

    return Explorer(compute, draw_learner, controls,
                    title="Your newton_step beside the reference",
                    summary=summary_learner, figsize=FIGSIZE, clear=False)


def reference_plugged_in() -> Explorer:
    """The explorer with the reference step plugged in (for the benchmark and the tests)."""
    return learner_explorer(NEWTON_STEP.reference)
