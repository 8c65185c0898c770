"""Notebook 04: your ``momentum_step`` and ``nesterov_step`` in the explorer.

The learner's function runs on one of the explorer's landscapes beside the reference
(``lessons.common.plug_in``): both paths on the contours, a ring where they part, and on the
right how far apart they are step by step, with the check's diagnosis under the plot. A
mistake such as a (1 − α) factor on the gradient, as in a moving average, is invisible at
α = 0 (momentum is then gradient descent) and shows as soon as α > 0: move α and watch the
ring appear.
"""

from __future__ import annotations

import numpy as np

from ...checks.rules import Case
from ...widgets import Explorer, dropdown, float_slider
from ..common.learner_panels import draw_paths_and_gap
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
    return {"method": method, "lr": float(lr), "alpha": float(alpha), "function": function,
            "start": start, "steps": int(steps), "run": run, "gap": run.gap,
            "box": LANDSCAPES[function][2], "name": rule.name}


def summary_learner(r: dict) -> str:
    run = r["run"]
    return f"{r['name']}: {run.headline}\n{run.message}"


def draw_learner(r: dict, fig) -> None:
    """Both paths on the landscape's contours, a ring where they part, and their distance."""
    draw_paths_and_gap(fig, r, landscape(r["function"]),
                       f"{r['method']}, ε = {r['lr']:.3g}, α = {r['alpha']:.2f}",
                       learner_label=f"your {r['name']}", legend_loc="lower left")


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
