"""Predict-then-check: the largest ε for which one gradient step lowers a given quadratic.

On J(θ) = ½θᵀAθ a step −εg changes J by exactly ½ε²gᵀAg − εgᵀg (the Taylor series stops
at the second order), which is negative for 0 < ε < 2gᵀg/(gᵀAg). For A = diag(1, 9) and
θ₀ = (9, 1): g = (9, 9), gᵀg = 162, gᵀAg = 810, so ε* = 0.4. That is not notebook 00's
limit 2/λ_max = 2/9 (for the *whole run* to converge), nor the best step gᵀg/(gᵀAg) = 0.2.
``check_one_step_lr_by_running`` is the hidden twin: it finds ε* by bisection on the loss
itself, J(θ₀ − εg) − J(θ₀) = 0, without the formula.
"""

from __future__ import annotations

import numpy as np

from ....checks import check_number
from ....checks.hidden import check_recomputed, hidden_check
from ....checks.result import never_raises

A = np.diag([1.0, 9.0])
THETA0 = np.array([9.0, 1.0])


def _loss(theta) -> float:
    return float(0.5 * theta @ A @ theta)


def _largest() -> float:
    g = A @ THETA0
    return float(2.0 * (g @ g) / (g @ A @ g))


@never_raises
def check_one_step_lr(answer):
    """The largest ε with J(θ₀ − εg) < J(θ₀) for J = ½θᵀdiag(1, 9)θ, θ₀ = (9, 1)."""
    expected = _largest()
    low_hint = ("The step still lowers J a little beyond that. Write the change of J as a "
                "function of ε, ½ε²gᵀAg − εgᵀg, and find where it crosses zero.")
    if answer is not None and _close(answer, 2.0 / 9.0):
        low_hint = ("2/λ_max = 2/9 is the limit for gradient descent to converge over many "
                    "steps (notebook 00). One step from this θ₀ can be longer: g = (9, 9) "
                    "points mostly along the gentle direction, so use gᵀg and gᵀAg.")
    elif answer is not None and _close(answer, 0.2):
        low_hint = ("ε = gᵀg/(gᵀAg) = 0.2 is the *best* step along −g (where J is lowest); "
                    "longer steps still lower J, up to where ½ε²gᵀAg = εgᵀg.")
    return check_number(
        answer, expected, name="the largest ε for which one step lowers J", rtol=0.01,
        hint_low=low_hint,
        hint_high=("At that ε the curvature term ½ε²gᵀAg already exceeds the first-order "
                   "gain εgᵀg: the step overshoots the valley floor and ends higher."),
        note=("ε* = 2gᵀg/(gᵀAg) = 2·162/810. At ε = 0.2, half of it, the step lands on the "
              "lowest point along −g; 2/λ_max = 0.222 bounds a whole run, not one step."))


def _close(answer, value) -> bool:
    try:
        return abs(float(answer) - value) <= 0.01 * value
    except (TypeError, ValueError):
        return False


@hidden_check
@never_raises
def check_one_step_lr_by_running(answer, seed: int | None = None):
    """ε* recomputed by bisection on J(θ₀ − εg) − J(θ₀), no formula used."""
    def measure(rng):
        g = A @ THETA0
        j0 = _loss(THETA0)
        lo, hi = 1e-6, 1.0
        while _loss(THETA0 - hi * g) < j0:          # find a step that does not lower J
            hi *= 2.0
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if _loss(THETA0 - mid * g) < j0 else (lo, mid)
        return 0.5 * (lo + hi)

    return check_recomputed(answer, measure, name="the largest ε for which one step lowers J",
                            what="by bisection on the loss itself", rtol=0.01, seed=seed)
