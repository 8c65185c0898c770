"""The landscapes every update-rule exercise is tried on, and ``make_check``.

Each update-rule exercise is an ``UpdateRule``: a reference, the book's formula, the
mistakes learners make (with a hint each) and its cases, mostly from ``standard_cases``.
Adding one (momentum, Nesterov, AdaGrad, RMSProp, Adam with its counter t) takes a
reference, a few ``Mistake``s, ``standard_cases(...)`` with its state and hyperparameters,
and ``make_check(RULE)``. The rules themselves live with their notebook, in
``course_lib/lessons/<notebook>/checks.py``.
"""

from __future__ import annotations

import numpy as np

from ..objectives import Quadratic
from .result import never_raises
from .rules import Case, UpdateRule
from .update_rule import check_update_rule

# The 5-D bowl's eigenvectors: a fixed orthogonal matrix, so the bowl is not axis-aligned.
_Q5, _ = np.linalg.qr(np.arange(1.0, 26.0).reshape(5, 5) ** 0.5)

# (case name, objective, θ₀): the landscapes every update rule is tried on. The generic
# bowl comes first, so that the first difference found is the easiest one to diagnose.
LANDSCAPES = [
    ("ill-conditioned bowl", Quadratic((1.0, 10.0)), (1.0, 1.0)),
    ("rotated bowl", Quadratic((1.0, 4.0), angle=np.pi / 6), (2.0, -1.0)),
    ("saddle (λ = 1, −1)", Quadratic((1.0, -1.0)), (0.5, 0.5)),
    ("5-D rotated bowl", Quadratic((0.5, 1.0, 2.0, 3.0, 4.0), Q=_Q5),
     (1.0, -1.0, 2.0, -2.0, 0.5)),
    ("at the minimum (g = 0)", Quadratic((1.0, 10.0)), (0.0, 0.0)),
]


def standard_cases(hyper: dict, *, state=None, tiny: dict, integer: dict,
                   steps: int = 4) -> list[Case]:
    """Cases on every landscape, plus a tiny-ε case and one with integer-looking inputs.

    - ``hyper``: the usual hyperparameters; ``tiny``: overrides that make the step tiny;
      ``integer``: hyperparameters with whole-number values (θ₀ is whole numbers too).
    - ``state(theta0)``: the starting state besides θ, e.g. ``{"v": np.zeros_like(theta0)}``.
    """
    def start(theta0):
        theta0 = np.array(theta0, dtype=float)
        return {"theta": theta0, **(state(theta0) if state else {})}

    bowl = LANDSCAPES[0][1]
    cases = [Case(name, objective, start(theta0), dict(hyper), steps)
             for name, objective, theta0 in LANDSCAPES]
    cases.append(Case("tiny learning rate", bowl, start((1.0, 1.0)), {**hyper, **tiny}, 2))
    cases.append(Case("integer-looking inputs", Quadratic((0.5, 0.25)), start((2, -3)),
                      dict(integer), steps))
    return cases


def make_check(rule: UpdateRule):
    """``check(fn)``: ``check_update_rule`` for this rule, with the default time limit."""

    @never_raises
    def check(fn, *, timeout: float = 2.0):
        return check_update_rule(fn, rule, timeout=timeout)

    check.__name__ = f"check_{rule.name}"
    check.__doc__ = (f"Check your ``{rule.name}{tuple(rule.signature)}`` against "
                     f"{rule.formula}; returns a CheckResult.").replace("'", "")
    return check
