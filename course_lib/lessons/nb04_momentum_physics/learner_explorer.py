"""Notebook 04: your ``momentum_step`` and ``nesterov_step`` in the explorer.

The learner's function runs on one of the explorer's landscapes beside the reference
(``lessons.common.plug_in``): both paths on the contours, a ring where they part, and on the
right how far apart they are step by step, with the check's diagnosis under the plot. A
mistake such as a (1 − α) factor on the gradient, as in a moving average, is invisible at
α = 0 (momentum is then gradient descent) and shows as soon as α > 0: move α and watch the
ring appear.
"""

from __future__ import annotations

import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...checks.rules import Case
from ...widgets import Explorer, dropdown, float_slider
from ..common.plug_in import run_learner
from .checks import MOMENTUM_STEP, NESTEROV_STEP
from .momentum_explorer import LANDSCAPES, START_NAMES, landscape, start_point

STEPS = 40
FIGSIZE = (11.5, 4.8)
RULES = {"momentum": MOMENTUM_STEP, "Nesterov": NESTEROV_STEP}


def compute_learner(learners: dict, method: str = "momentum", lr: float = 10 ** -1.5,
                    alpha: float = 0.9, function: str = "ill-conditioned quadratic (κ = 20)",
                    start: str = "A", steps: int = STEPS) -> dict:
    """The learner's function for ``method`` (from ``learners``) beside the reference."""
    if method not in RULES:
        raise ValueError(f"method must be one of {list(RULES)}, got {method!r}")
    rule = RULES[method]
    theta0 = start_point(function, start)
    case = Case(f"{function} from {start}", landscape(function),
                {"theta": theta0, "v": np.zeros(2)}, {"lr": float(lr), "alpha": float(alpha)},
                steps)
    run = run_learner(learners.get(method), rule, case)
    n = min(len(run.path), len(run.reference))
    gap = np.linalg.norm(run.path[:n] - run.reference[:n], axis=1)
    return {"method": method, "lr": float(lr), "alpha": float(alpha), "function": function,
            "start": start, "steps": int(steps), "run": run, "gap": gap,
            "box": LANDSCAPES[function][2], "name": rule.name}


def summary_learner(r: dict) -> str:
    run = r["run"]
    return f"{r['name']}: {run.headline}\n{run.message}"


_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_learner(r: dict, fig) -> None:
    """Left: both paths on the contours, a ring where they part. Right: their distance.

    Axes, contours and legend are built once per landscape; an update moves only the
    animated artists, which the explorer blits over the cached background.
    """
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
    left.title.set_text(f"{r['method']}, ε = {r['lr']:.3g}, α = {r['alpha']:.2f}")
    right.title.set_text(run.headline.removeprefix("your function ")[:48])


def _build_panels(fig, r: dict) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1.15, 1])
    plotting.contour(landscape(r["function"]), ax=left, box=r["box"], n=100)
    empty = ([], [])
    reference, = left.plot(*empty, color=plotting.PALETTE[7], linewidth=1.6, marker="none",
                           alpha=0.8, label="reference", zorder=3)
    learner, = left.plot(*empty, color=plotting.PALETTE[3], linestyle="--", linewidth=2.2,
                         marker="none", label=f"your {r['name']}", zorder=4)
    ring, = left.plot(*empty, marker="o", markersize=16, markerfacecolor="none",
                      markeredgecolor=plotting.PALETTE[3], markeredgewidth=2.5,
                      linestyle="none", zorder=6, label="where they part")
    box = r["box"]
    left.set_xlim(box[0], box[1])
    left.set_ylim(box[2], box[3])
    left.legend(loc="lower left", fontsize=11)
    gap, = right.plot(*empty, color=plotting.PALETTE[3], marker="o", markersize=4)
    note = right.text(0.5, 0.5, "", transform=right.transAxes, ha="center", va="center",
                      fontsize=14)
    right.set_yscale("log")
    right.set_ylim(1e-16, 1e2)
    right.yaxis.set_minor_locator(NullLocator())
    right.set_xlim(0, r["steps"])
    right.set_xlabel("step k")
    right.set_ylabel("‖θ_k (yours) − θ_k (ref.)‖")
    for artist in (reference, learner, ring, gap, note, left.title, right.title):
        artist.set_animated(True)
    return {"axes": [left, right], "function": r["function"],
            "artists": {"reference": reference, "learner": learner, "ring": ring, "gap": gap,
                        "note": note}}


def learner_explorer(momentum_step=None, nesterov_step=None, method: str = "momentum",
                     lr: float = 10 ** -1.5, alpha: float = 0.9,
                     function: str = "ill-conditioned quadratic (κ = 20)",
                     start: str = "A") -> Explorer:
    """The explorer with your functions plugged in: ``learner_explorer(momentum_step=...,
    nesterov_step=...)``. Controls: method, ε (log), α, landscape, start."""
    learners = {"momentum": momentum_step, "Nesterov": nesterov_step}
    controls = {
        "method": dropdown(list(RULES), method, "method"),
        "lr": float_slider(lr, 1e-4, 1.0, 0.1, "ε (lr)", log=True),
        "alpha": float_slider(alpha, 0.0, 0.99, 0.01, "α (momentum)"),
        "function": dropdown(list(LANDSCAPES), function, "landscape"),
        "start": dropdown(list(START_NAMES), start, "start"),
    }

    def compute(**settings):
        return compute_learner(learners, **settings)

    return Explorer(compute, draw_learner, controls,
                    title="Your momentum_step and nesterov_step beside the reference",
                    summary=summary_learner, figsize=FIGSIZE, clear=False)


def reference_plugged_in() -> Explorer:
    """The explorer with the reference rules plugged in (for the benchmark and the tests)."""
    return learner_explorer(MOMENTUM_STEP.reference, NESTEROV_STEP.reference)
