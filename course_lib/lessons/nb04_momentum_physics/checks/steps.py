"""Exercises 1 and 2 of notebook 04: one step of momentum (Algorithm 8.2) and of Nesterov
momentum (Algorithm 8.3), as update rules with the mistakes learners make, named."""

from __future__ import annotations

import numpy as np

from ....checks import Case, Mistake, UpdateRule
from ....checks.cases import make_check, standard_cases
from ....objectives import Quadratic


# --- Algorithm 8.2, momentum: v ← αv − εg; θ ← θ + v -----------------------------------------
def _momentum_step(theta, v, g, lr, alpha):
    v = alpha * v - lr * g                          # v ← αv − εg
    return theta + v, v                             # θ ← θ + v


def _momentum_mistakes(rule: str, formula: str) -> list[Mistake]:
    """The mistakes learners make in the momentum update (shared by momentum and Nesterov)."""
    return [
        Mistake("gradient sign flipped", lambda theta, v, g, lr, alpha:
                (theta + alpha * v + lr * g, alpha * v + lr * g),
                f"it moved uphill: the gradient term enters v with a minus sign. {formula}"),
        Mistake("v not decayed", lambda theta, v, g, lr, alpha:
                (theta + v - lr * g, v - lr * g),
                "the old velocity was kept whole: multiply it by α before adding the new "
                f"gradient term (α is the friction that makes old gradients fade). {formula}"),
        Mistake("θ moved with the old v", lambda theta, v, g, lr, alpha:
                (theta + v, alpha * v - lr * g),
                "v is right, but θ moved with the old velocity: update v first, then move θ "
                f"with the new one. {formula}"),
        Mistake("θ ← θ − v", lambda theta, v, g, lr, alpha:
                (theta - (alpha * v - lr * g), alpha * v - lr * g),
                "v is right, but θ moved against it: v already holds the minus sign of "
                "−εg, so θ ← θ + v."),
        Mistake("(1 − α) moving average", lambda theta, v, g, lr, alpha:
                (theta + alpha * v - (1 - alpha) * lr * g, alpha * v - (1 - alpha) * lr * g),
                "the gradient term is scaled by (1 − α), as in an exponential moving average "
                "(Adam's s). The book's momentum adds the full −εg: that is why its terminal "
                f"velocity is 1/(1 − α) times a gradient step. {formula}"),
        Mistake("PyTorch convention", lambda theta, v, g, lr, alpha:
                (theta - lr * (alpha * v + g), alpha * v + g),
                "that is the convention of PyTorch's SGD (v ← αv + g, θ ← θ − εv), where v "
                "sums gradients. In the book v is the step itself, ε included: "
                f"{formula}"),
        Mistake("ε and α swapped", lambda theta, v, g, lr, alpha:
                (theta + lr * v - alpha * g, lr * v - alpha * g),
                f"ε and α are swapped: α multiplies the old velocity, ε the gradient. {formula}"),
        Mistake("returned (v, θ)", lambda theta, v, g, lr, alpha:
                (alpha * v - lr * g, theta + alpha * v - lr * g),
                f"the two outputs are in the wrong order: return (theta, v), θ first. "
                f"({rule} is called as `theta, v = {rule}(...)`.)"),
    ]


def _moving_case(theta0=(1.0, 1.0), v0=(0.3, -0.2)):
    """A case where the particle is already moving, v₀ ≠ 0: the old velocity matters at once."""
    return Case("already moving (v ≠ 0)", Quadratic((1.0, 10.0)),
                {"theta": np.array(theta0), "v": np.array(v0)}, {"lr": 0.05, "alpha": 0.9}, 3)


_MOMENTUM_FORMULA = "v ← αv − εg; θ ← θ + v"

MOMENTUM_STEP = UpdateRule(
    name="momentum_step", signature=("theta", "v", "g", "lr", "alpha"),
    outputs=("theta", "v"), reference=_momentum_step, formula=_MOMENTUM_FORMULA,
    cases=[_moving_case(),
           *standard_cases({"lr": 0.05, "alpha": 0.9},
                           state=lambda theta0: {"v": np.zeros_like(theta0)},
                           tiny={"lr": 1e-6}, integer={"lr": 1, "alpha": 0})],
    mistakes=_momentum_mistakes("momentum_step", _MOMENTUM_FORMULA),
)
check_momentum_step = make_check(MOMENTUM_STEP)


# --- Algorithm 8.3, Nesterov: g at θ̃ = θ + αv; v ← αv − εg; θ ← θ + v -----------------------
_NESTEROV_FORMULA = "g = ∇J(θ + αv) (given); v ← αv − εg; θ ← θ + v"


def _nesterov_step(theta, v, g, lr, alpha):
    # g was evaluated at the interim point θ̃ = θ + αv by the caller (see grad_at below).
    v = alpha * v - lr * g                          # v ← αv − εg
    return theta + v, v                             # θ ← θ + v


NESTEROV_STEP = UpdateRule(
    name="nesterov_step", signature=("theta", "v", "g", "lr", "alpha"),
    outputs=("theta", "v"), reference=_nesterov_step, formula=_NESTEROV_FORMULA,
    grad_at=lambda a: a["theta"] + a["alpha"] * a["v"],        # θ̃ = θ + αv
    cases=MOMENTUM_STEP.cases,
    mistakes=[
        Mistake("moved from θ̃", lambda theta, v, g, lr, alpha:
                (theta + alpha * v + alpha * v - lr * g, alpha * v - lr * g),
                "θ moved from the interim point θ̃ = θ + αv: the look-ahead is only where "
                "g is measured. The step starts from θ itself: θ ← θ + v."),
        Mistake("look-ahead form", lambda theta, v, g, lr, alpha:
                (theta + alpha * (alpha * v - lr * g) - lr * g, alpha * v - lr * g),
                "that is the rewritten form that tracks the look-ahead point "
                "(θ ← θ + αv_new − εg). Here the state is θ itself and g is given at "
                f"θ + αv: {_NESTEROV_FORMULA}"),
        *_momentum_mistakes("nesterov_step", _NESTEROV_FORMULA),
    ],
)
check_nesterov_step = make_check(NESTEROV_STEP)
