"""Notebook 06's tuning exercise: one method of the explorer, chosen and tuned by the learner.

The challenge (``checks.TUNING``): on the rotated bowl (κ = 100, turned by 30°) from start
A, reach J − J* ≤ 10⁻⁸ within 120 steps. The learner picks one method from the explorer's
list and its hyperparameters; the explorer shows a live badge and the line to paste.
Section 8 of the notebook says which kind of method can fix a rotation and which cannot,
and notebook 04 where the best heavy-ball settings lie, so the search has a direction.

``compute_one`` is ``runs.compute_runs`` for one method, with that run's numbers at the top
level (``final_excess``, ``stop_reason``), which is what the challenge measures; the
explorer draws it with ``adaptive_explorer.draw_runs``.
"""

from __future__ import annotations

import ipywidgets as widgets

from ...widgets import Explorer, dropdown, float_slider
from .adaptive_explorer import FIGSIZE, draw_runs
from .runs import LR_ADAPTIVE, METHODS, PROBLEMS, START_NAMES, USES, compute_runs, summary_runs

CHALLENGE_PROBLEM = "bowl κ = 100, rotated 30°"


def compute_one(method: str = "Adam", problem: str = CHALLENGE_PROBLEM, start: str = "A",
                **hyper) -> dict:
    """``compute_runs`` for the one ``method``, with its run's results at the top level."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    result = compute_runs(methods=(method,), problem=problem, start=start, **hyper)
    run = result["runs"][method]
    return {**result, "method": method, "final_excess": run["final_excess"],
            "stop_reason": run["stop_reason"], "steps_run": run["steps_run"]}


def idle_for_one(settings: dict) -> dict:
    """The controls the chosen method does not use, with the methods that would use them."""
    method = settings.get("method")
    return {name: f"{method} does not use it; " + " and ".join(users) + " do"
            if len(users) > 1 else f"{method} does not use it; {users[0]} does"
            for name, users in USES.items() if name in settings and method not in users}


def tuning_explorer(challenge=None, method: str = "Adam", problem: str = CHALLENGE_PROBLEM,
                    start: str = "A", lr_adaptive: float = LR_ADAPTIVE, lr_sgd: float = 0.001,
                    rho: float = 0.9, alpha: float = 0.9, rho1: float = 0.9,
                    rho2: float = 0.999, bias_correction: bool = True) -> Explorer:
    """One method at a time, with the badge of ``challenge`` (``checks.TUNING``) if given."""
    controls = {
        "method": dropdown(list(METHODS), method, "method"),
        "problem": dropdown(list(PROBLEMS), problem, "problem"),
        "start": dropdown(list(START_NAMES), start, "start"),
        "lr_adaptive": float_slider(lr_adaptive, 1e-4, 3.0, 0.1, "ε (adaptive)", log=True),
        "lr_sgd": float_slider(lr_sgd, 1e-5, 1.0, 0.1, "ε (SGD, mom.)", log=True),
        "rho": float_slider(rho, 0.0, 0.999, 0.001, "ρ (RMSProp)"),
        "alpha": float_slider(alpha, 0.0, 0.99, 0.01, "α (momentum)"),
        "rho1": float_slider(rho1, 0.0, 0.99, 0.01, "ρ₁ (Adam)"),
        "rho2": float_slider(rho2, 0.0, 0.999, 0.001, "ρ₂ (Adam)"),
        "bias_correction": widgets.Checkbox(value=bias_correction, description="bias-correct",
                                            indent=False),
    }
    return Explorer(compute_one, draw_runs, controls,
                    title="Tune one method: J − J* ≤ 1e-8 in 120 steps on the rotated bowl",
                    summary=summary_runs, figsize=FIGSIZE, clear=False,
                    badge=None if challenge is None else challenge.badge,
                    record=None if challenge is None else challenge.record,
                    disabled=idle_for_one)


def solved_tuning_explorer() -> Explorer:
    """The tuning explorer with the challenge and a setting that meets it (benchmark, tests)."""
    from .checks import TUNING

    return tuning_explorer(TUNING, method="momentum", lr_sgd=10 ** -1.5, alpha=0.7)
