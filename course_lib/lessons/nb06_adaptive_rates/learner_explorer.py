"""Notebook 06: your ``adagrad_step``, ``rmsprop_step`` and ``adam_step`` in an explorer.

The learner's function runs on one of the explorer's 2-D problems beside the reference
(``lessons.common.plug_in``): both paths on the contours, a ring where they part, and on
the right how far apart they are step by step, with the check's diagnosis under the plot.
Some mistakes hide at some settings, and the sliders find them:

- Adam's bias correction divides by 1 − ρᵗ: with ρ₁ = ρ₂ = 0 that is 1, so a missing or
  misplaced correction is invisible there and shows at step 1 once ρ₁, ρ₂ > 0; its effect is
  largest in the first steps (Adam's corrections tend to 1 as t grows);
- δ's place (inside or outside the root) matters only when δ is comparable to r: raise δ;
- a squared gradient summed over the coordinates (g·g instead of g ⊙ g) is invisible on a
  problem whose gradient has one non-zero coordinate, and shows on every 2-D problem here.
"""

from __future__ import annotations

import numpy as np

from ...checks.rules import Case
from ...widgets import Explorer, dropdown, float_slider, int_slider
from ..common.learner_panels import draw_paths_and_gap
from ..common.plug_in import run_learner
from .checks import ADAGRAD_STEP, ADAM_STEP, RMSPROP_STEP
from .runs import PROBLEMS, START_NAMES, landscape, start_point

FIGSIZE = (10.0, 4.6)              # ≤ 10 in wide: 13-pt text stays ≥ 9 px in the notebook
RULES = {"AdaGrad": ADAGRAD_STEP, "RMSProp": RMSPROP_STEP, "Adam": ADAM_STEP}
USES = {"rho": ("RMSProp",), "rho1": ("Adam",), "rho2": ("Adam",)}


def case_for(method: str, function: str, start: str, lr: float, rho: float, rho1: float,
             rho2: float, delta: float, steps: int) -> Case:
    """The ``checks.Case`` of the explorer's settings: the method's state starts at zero."""
    theta0 = start_point(function, start)
    zeros = np.zeros_like(theta0)
    state = {"theta": theta0, "r": zeros}
    hyper = {"lr": float(lr), "delta": float(delta)}
    if method == "RMSProp":
        hyper = {"lr": float(lr), "rho": float(rho), "delta": float(delta)}
    elif method == "Adam":
        state = {"theta": theta0, "s": zeros, "r": zeros, "t": 0}
        hyper = {"lr": float(lr), "rho1": float(rho1), "rho2": float(rho2),
                 "delta": float(delta)}
    return Case(f"{function} from {start}", landscape(function), state, hyper, int(steps))


def compute_learner(learners: dict, method: str = "Adam", lr: float = 10 ** -1.5,
                    rho: float = 0.9, rho1: float = 0.9, rho2: float = 0.999,
                    delta: float = 1e-8, function: str = "Rosenbrock", start: str = "A",
                    steps: int = 40) -> dict:
    """The learner's function for ``method`` (from ``learners``) beside the reference."""
    if method not in RULES:
        raise ValueError(f"method must be one of {list(RULES)}, got {method!r}")
    rule = RULES[method]
    case = case_for(method, function, start, lr, rho, rho1, rho2, delta, steps)
    run = run_learner(learners.get(method), rule, case)
    return {"method": method, "lr": float(lr), "function": function, "start": start,
            "steps": int(steps), "run": run, "gap": run.gap, "box": PROBLEMS[function][2],
            "name": rule.name, "hyper": case.hyper}


def summary_learner(r: dict) -> str:
    run = r["run"]
    return f"{r['name']}: {run.headline}\n{run.message}"


def idle_controls(settings: dict) -> dict:
    method = settings.get("method")
    return {name: f"{method} has no {name.replace('rho', 'ρ')}; {users[0]} uses it"
            for name, users in USES.items() if method not in users}


def draw_learner(r: dict, fig) -> None:
    """Both paths on the problem's contours, a ring where they part, and their distance."""
    shown = ", ".join(f"{k.replace('rho', 'ρ').replace('lr', 'ε').replace('delta', 'δ')} = "
                      f"{v:.3g}" for k, v in r["hyper"].items())
    draw_paths_and_gap(fig, r, landscape(r["function"]), f"{r['method']}: {shown}")


def learner_explorer(adagrad_step=None, rmsprop_step=None, adam_step=None,
                     method: str = "Adam", lr: float = 10 ** -1.5, rho: float = 0.9,
                     rho1: float = 0.9, rho2: float = 0.999, delta: float = 1e-8,
                     function: str = "Rosenbrock", start: str = "A",
                     steps: int = 40) -> Explorer:
    """The explorer with your functions plugged in: ``learner_explorer(adam_step=...)``.

    Controls: method, ε (log), ρ, ρ₁, ρ₂, δ (log), problem, start, steps.
    """
    learners = {"AdaGrad": adagrad_step, "RMSProp": rmsprop_step, "Adam": adam_step}
    controls = {
        "method": dropdown(list(RULES), method, "method"),
        "lr": float_slider(lr, 1e-3, 1.0, 0.1, "ε (lr)", log=True),
        "rho": float_slider(rho, 0.0, 0.999, 0.001, "ρ (RMSProp)"),
        "rho1": float_slider(rho1, 0.0, 0.99, 0.01, "ρ₁ (Adam)"),
        "rho2": float_slider(rho2, 0.0, 0.999, 0.001, "ρ₂ (Adam)"),
        "delta": float_slider(delta, 1e-8, 1.0, 0.5, "δ", log=True),
        "function": dropdown(list(PROBLEMS), function, "problem"),
        "start": dropdown(list(START_NAMES), start, "start"),
        "steps": int_slider(steps, 1, 120, 1, "steps"),
    }

    def compute(**settings):
        return compute_learner(learners, **settings)

    return Explorer(compute, draw_learner, controls,
                    title="Your adagrad_step, rmsprop_step and adam_step beside the reference",
                    summary=summary_learner, figsize=FIGSIZE, clear=False,
                    disabled=idle_controls)


def reference_plugged_in() -> Explorer:
    """The explorer with the reference rules plugged in (for the benchmark and the tests)."""
    return learner_explorer(ADAGRAD_STEP.reference, RMSPROP_STEP.reference,
                            ADAM_STEP.reference)
