"""The learned update rule g_φ: a coordinate-wise optimizer with four parameters.

Learning to learn (Andrychowicz et al. 2016) replaces the hand-made update by a learned
function of the gradient, θ_{t+1} = θ_t + g_φ(∇J(θ_t)). Their g_φ is a recurrent network
with thousands of weights; ours has four, so that you can read what it learned. For every
coordinate it keeps the features Adam keeps, a momentum s and a mean square r,

    s ← ρ₁ s + (1 − ρ₁) g,   r ← ρ₂ r + (1 − ρ₂) g²,   ŝ = s/(1 − ρ₁ᵗ),  r̂ = r/(1 − ρ₂ᵗ),

mixes and normalizes them, and clips the result softly:

    u  = ((1 − a) g + a ŝ) / (√r̂ + δ)^p        a = σ(φ₁) ∈ (0, 1): how much momentum
    Δθ = −η c tanh(u / c)                       η = e^φ₀: the step scale; c = e^φ₃: the clip

with p = σ(φ₂) ∈ (0, 1) the power of the normalization (σ the logistic function).
Special cases: p → 0, a → 0, c → ∞ is SGD with ε = η; p → 0, a → 1 momentum (in the
moving-average form); p → 1, a → 0 RMSProp; p → 1, a → 1 Adam with ε = η. Meta-training
(``course_lib.learned.meta``) chooses a point of this family.

``update`` works on arrays of any shape (many problems and many φ at once, for
meta-training); ``LearnedOptimizer`` wraps it in the course's ``Optimizer`` contract.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..optim.base import Optimizer, frozen
from ..validation import as_vector

RHO1, RHO2, DELTA = 0.9, 0.99, 1e-8
N_PHI = 4
PHI_NAMES = ("log η", "logit a", "logit p", "log c")


def _logistic(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def readable(phi) -> dict:
    """φ as the rule's four numbers: η (step scale), a (momentum share), p (normalization
    power) and c (clip level, in units of u)."""
    phi = np.asarray(phi, dtype=float)
    return {"eta": float(np.exp(phi[0])), "a": float(_logistic(phi[1])),
            "p": float(_logistic(phi[2])), "c": float(np.exp(phi[3]))}


def from_readable(eta: float, a: float, p: float, c: float) -> np.ndarray:
    """The φ of a rule with step scale η, momentum share a, power p and clip c."""
    def logit(x):
        return float(np.log(x / (1.0 - x)))
    return np.array([np.log(eta), logit(a), logit(p), np.log(c)])


def update(phi, g, s, r, t):
    """One step of g_φ: (Δθ, s, r) from the gradient g, the features s, r and the new t.

    ``phi``: shape (4,), or (..., 4) with ``phi[..., k]`` broadcasting against g, e.g.
    (P, 1, 1, 4) for P rules on gradients of shape (P, B, n).
    """
    phi = np.asarray(phi, dtype=float)
    eta, a, p, c = (np.exp(phi[..., 0]), _logistic(phi[..., 1]), _logistic(phi[..., 2]),
                    np.exp(phi[..., 3]))
    s = RHO1 * s + (1.0 - RHO1) * g                       # s ← ρ₁s + (1 − ρ₁)g
    r = RHO2 * r + (1.0 - RHO2) * g * g                   # r ← ρ₂r + (1 − ρ₂)g²
    s_hat = s / (1.0 - RHO1 ** t)                         # ŝ ← s/(1 − ρ₁ᵗ)
    r_hat = r / (1.0 - RHO2 ** t)                         # r̂ ← r/(1 − ρ₂ᵗ)
    u = ((1.0 - a) * g + a * s_hat) / (np.sqrt(r_hat) + DELTA) ** p
    return -eta * c * np.tanh(u / c), s, r                # Δθ ← −η c tanh(u/c)


def steady_update(phi, g):
    """Δθ under a gradient g that has been the same for a long time (ŝ = g, r̂ = g²):
    the rule as a function of the gradient alone, −η c tanh(sign(g) |g|^{1−p}/c) (δ → 0).
    """
    g = np.asarray(g, dtype=float)
    q = readable(phi)
    u = g / (np.abs(g) + DELTA) ** q["p"]
    return -q["eta"] * q["c"] * np.tanh(u / q["c"])


@dataclass(frozen=True, eq=False)
class LearnedState:
    t: int                  # steps taken so far
    s: np.ndarray           # momentum feature s (read-only), s₀ = 0
    r: np.ndarray           # mean-square feature r (read-only), r₀ = 0


class LearnedOptimizer(Optimizer):
    """The learned rule g_φ as an ``Optimizer``: θ ← θ + g_φ(g) (see the module docstring).

    ``phi``: the four parameters (e.g. ``meta_train(...).phi``). Coordinate-wise: every
    parameter is updated from its own gradient history only.
    """

    def __init__(self, phi):
        self.phi = as_vector("phi", phi, N_PHI)
        if not np.all(np.isfinite(self.phi)):
            raise ValueError(f"phi must be finite, got {self.phi}")

    def lr_at(self, k: int) -> float:
        """η, the rule's step scale (its steps are η c tanh(u/c), not η g)."""
        return float(np.exp(self.phi[0]))

    def init(self, theta) -> LearnedState:
        zeros = frozen(np.zeros_like(np.asarray(theta, dtype=float)))
        return LearnedState(t=0, s=zeros, r=zeros)

    def step(self, theta, state: LearnedState, oracle):
        t = state.t + 1
        g = oracle.grad(theta)                                 # g ← ∇J(θ)
        delta_theta, s, r = update(self.phi, g, state.s, state.r, t)
        return theta + delta_theta, LearnedState(t=t, s=frozen(s), r=frozen(r))

    def __repr__(self) -> str:
        q = readable(self.phi)
        return (f"LearnedOptimizer(η={q['eta']:.3g}, a={q['a']:.3g}, p={q['p']:.3g}, "
                f"c={q['c']:.3g})")
