"""Notebook 06's predict-then-check exercise: how far Adam's first step moves a coordinate.

The visible check recognises the usual wrong answers (the uncorrected 3.16ε, one correction
only, a plain gradient step...); the hidden test measures the step with the library's Adam
under a random constant gradient.
"""

from __future__ import annotations

import numpy as np

from ....checks import check_number
from ....checks.hidden import HIDDEN_DIMS, check_recomputed, hidden_check
from ....checks.result import failed, never_raises
from ....objectives import ConstantSlope

# --- predict-then-check: the size of Adam's first step ---------------------------------------
ADAM_RHO1, ADAM_RHO2, ADAM_DELTA = 0.9, 0.999, 1e-8
ADAM_G = (3.0, -0.01)


@never_raises
def check_adam_first_step(answer, lr: float = 0.001):
    """Adam (ρ₁ = 0.9, ρ₂ = 0.999, δ = 1e-8, with bias correction) starts from s = r = 0,
    t = 0, and its first gradient is g = (3, −0.01). With ε = ``lr``, how far does the
    first coordinate of θ move in this first step, |Δθ₁|?

    Answer: ŝ = g and r̂ = g ⊙ g, so |Δθ₁| = ε·3/(3 + δ) = ε (to 3e-9 relative): Adam's
    first step has length ε in every coordinate, whatever the size of the gradient (the
    second coordinate, with a gradient 300 times smaller, moves as far).
    """
    g1 = abs(ADAM_G[0])
    expected = lr * g1 / (g1 + ADAM_DELTA)
    name = f"|Δθ₁| of Adam's first step (ε = {lr:g})"
    wrong = [
        ((1 - ADAM_RHO1) / np.sqrt(1 - ADAM_RHO2) * lr,
         "that is the step without the bias correction, (1 − ρ₁)/√(1 − ρ₂)·ε ≈ 3.16ε. "
         "Adam divides s by 1 − ρ₁ᵗ and r by 1 − ρ₂ᵗ: at t = 1 what are ŝ and r̂?"),
        (np.sqrt(1 - ADAM_RHO2) / (1 - ADAM_RHO1) * lr,
         "that is (√(1 − ρ₂)/(1 − ρ₁))·ε: the corrections are applied upside down. "
         "ŝ = s/(1 − ρ₁ᵗ) and r̂ = r/(1 − ρ₂ᵗ) undo the start at 0."),
        ((1 - ADAM_RHO1) * lr, "that is (1 − ρ₁)·ε, as if only r were bias-corrected; "
         "correct s too: ŝ = s/(1 − ρ₁)."),
        (lr / np.sqrt(1 - ADAM_RHO2), "that is ε/√(1 − ρ₂), as if only s were "
         "bias-corrected; correct r too: r̂ = r/(1 − ρ₂)."),
        (lr * g1, "that is ε|g₁|, a plain gradient step: Adam divides the (corrected) "
         "gradient average by the root of the (corrected) squared-gradient average."),
        (1.0, f"give the distance itself with ε = {lr:g}, not as a multiple of ε."),
    ]
    for value, hint in wrong:
        if not np.isclose(value, expected, rtol=0.02) and _near(answer, value):
            return failed(f"{name}: {float(answer):.6g} is not right: {hint}",
                          kind="known mistake", answer=float(answer))
    return check_number(
        answer, expected, name=name, rtol=0.01,
        hint_low=("At t = 1 the corrected moments are ŝ = g and r̂ = g ⊙ g exactly; what "
                  "is ŝ₁/√r̂₁?"),
        hint_high=("At t = 1 the corrected moments are ŝ = g and r̂ = g ⊙ g exactly; what "
                   "is ŝ₁/√r̂₁?"),
        note=("ŝ = g and r̂ = g ⊙ g, so every coordinate moves by ε·|g_i|/(|g_i| + δ) ≈ ε: "
              "the first step ignores the gradient's scale."))


def _near(answer, value) -> bool:
    """Is ``answer`` one number within 2 % of ``value``? (Text and bools are not numbers.)"""
    if isinstance(answer, (str, bytes, bool, np.bool_)):
        return False
    try:
        number = float(np.asarray(answer, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(number) and np.isclose(number, value, rtol=0.02))


@hidden_check
@never_raises
def check_adam_first_step_by_running(answer, lr: float = 0.001, seed: int | None = None):
    """|Δθᵢ| of Adam's first step (ρ₁ = 0.9, ρ₂ = 0.999, δ = 1e-8, bias correction) with
    ε = ``lr``, measured by one step of ``course_lib.optim.Adam`` under a random constant
    gradient (random dimension, size 10⁻²…10², random signs) with a random ε′, in units of
    ε′, times ``lr``: the first step moves every coordinate by ε, whatever its gradient."""
    from ....optim import Adam  # the library optimizer, not the visible check's formula

    def measure(rng):
        dim = int(rng.choice(HIDDEN_DIMS))
        g = rng.choice([-1.0, 1.0], size=dim) * 10.0 ** rng.uniform(-2.0, 2.0, size=dim)
        eps = float(10.0 ** rng.uniform(-4.0, -1.0))
        adam = Adam(lr=eps, rho1=0.9, rho2=0.999, delta=1e-8)
        theta0 = rng.standard_normal(dim)
        theta1, _ = adam.step(theta0, adam.init(theta0), ConstantSlope(g))
        i = int(rng.integers(dim))
        return lr * abs(theta1[i] - theta0[i]) / eps

    return check_recomputed(answer, measure, name=f"|Δθ₁| of Adam's first step (ε = {lr:g})",
                            rtol=0.01, what="one step of course_lib.optim.Adam under a random "
                            "constant gradient", seed=seed)
