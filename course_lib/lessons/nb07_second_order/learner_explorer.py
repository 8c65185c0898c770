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

import numpy as np

from ...checks.rules import Case
from ...checks.update_rule import _not_a_rule_function
from ...widgets import Explorer, dropdown, float_slider
from ..common.learner_panels import draw_paths_and_gap
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
    return {"alpha": float(alpha), "function": function, "start": start, "steps": int(steps),
            "run": run, "gap": run.gap, "box": LANDSCAPES[function][2]}


def summary_learner(r: dict) -> str:
    run = r["run"]
    return f"newton_step: {run.headline}\n{run.message}"


def draw_learner(r: dict, fig) -> None:
    """Both paths on the landscape's contours, a ring where they part, and their distance."""
    draw_paths_and_gap(fig, r, landscape(r["function"]), f"damped Newton, α = {r['alpha']:.2g}")


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
