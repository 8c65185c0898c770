"""Algorithms with adaptive learning rates (section 8.5): AdaGrad (Algorithm 8.4), RMSProp
(Algorithm 8.5), RMSProp with Nesterov momentum (Algorithm 8.6), Adam (Algorithm 8.7) and
AdaDelta (Zeiler 2012).

Each keeps a per-parameter accumulator of squared gradients r and divides the step by its
square root, so every parameter gets its own effective rate (``optim.effective_lr``).
``t`` counts the steps taken; step t uses ε_t = ``lr(t)`` (a number or a schedule).

With δ = 0 (allowed) a coordinate that has only ever seen zero gradients would give 0/0;
the course defines that step as 0 (``_no_step_where_unseen``), which is what the limit
δ → 0 gives. With δ > 0 no denominator is ever 0.

Each line of the pseudocode is one ``fused`` formula: one pass over memory, bit-for-bit the
numbers numpy gives for the same text (``optim.fused``). The line Δθ ← ... is ``pending``:
θ ← θ + Δθ computes it in its own pass, which saves writing Δθ and reading it back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..schedules import as_momentum
from ..validation import check_interval, check_positive
from .base import Optimizer, frozen, learning_rate, sealed
from .fused import computed, fused, fused_lines, pending


def _no_step_where_unseen(step, r, delta):
    """``step`` with 0 where δ = 0 and r = 0: a coordinate whose gradients were all zero so
    far, where the formula's denominator is 0 (0/0). With δ > 0 ``step`` is returned as is."""
    if delta != 0:
        return step
    return np.where(np.asarray(r) == 0, 0.0, computed(step))


def _zeros(theta) -> np.ndarray:
    return frozen(np.zeros_like(np.asarray(theta, dtype=float)))


def _decay(name: str, value) -> float:
    """A decay rate ρ in [0, 1): ρ = 1 would freeze the average at its start, 0 forgets at once."""
    return check_interval(name, value, 0.0, 1.0)


@dataclass(frozen=True, eq=False)
class AdaGradState:
    t: int                  # steps taken so far; the next step uses ε_{t+1}
    r: np.ndarray           # gradient accumulation r = Σ g⊙g (read-only), r₀ = 0


class AdaGrad(Optimizer):
    """Algorithm 8.4, AdaGrad: each parameter's rate is ε divided by the root of the sum of
    all its past squared gradients, so rates only ever fall.

    ``lr`` is the global rate ε, ``delta`` the small constant δ ≥ 0 added *outside* the root
    (as in the book), for numerical stability. Under a constant gradient the step of
    coordinate i at step t is ε/√t (for δ → 0), whatever the size of g_i.
    """

    def __init__(self, lr=0.01, delta=1e-7):
        self.lr = learning_rate(lr)
        self.delta = check_positive("delta", delta, allow_zero=True)

    def init(self, theta) -> AdaGradState:
        return AdaGradState(t=0, r=_zeros(theta))

    def step(self, theta, state: AdaGradState, oracle):
        t = state.t + 1
        eps, delta = self.lr(t), self.delta
        g = oracle.grad(theta)                                 # g ← (1/m) ∇θ Σᵢ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
        r = state.r                                             # the accumulation so far
        r = fused("r + g * g", locals())                        # r ← r + g ⊙ g
        delta_theta = pending("-eps * (g / (delta + sqrt(r)))", locals())  # Δθ ← −ε/(δ + √r) ⊙ g
        delta_theta = _no_step_where_unseen(delta_theta, r, delta)
        theta = fused("theta + delta_theta", locals())          # θ ← θ + Δθ
        return theta, AdaGradState(t=t, r=sealed(r))


@dataclass(frozen=True, eq=False)
class RMSPropState:
    t: int                  # steps taken so far; the next step uses ε_{t+1}
    r: np.ndarray           # moving average of g ⊙ g (read-only), r₀ = 0


class RMSProp(Optimizer):
    """Algorithm 8.5, RMSProp: as AdaGrad, but r is an exponentially decaying average of the
    squared gradients (decay rate ρ), so old gradients are forgotten and rates can rise again.

    ``lr`` is ε, ``rho`` is ρ in [0, 1), ``delta`` is δ ≥ 0, added *inside* the root as in the
    book (AdaGrad and Adam add it outside). Under a constant gradient g, r → g⊙g and the
    effective rate tends to ε/|g| (for δ ≪ g²): every coordinate moves by about ε per step.
    """

    def __init__(self, lr=0.001, rho=0.9, delta=1e-6):
        self.lr = learning_rate(lr)
        self.rho = _decay("rho", rho)
        self.delta = check_positive("delta", delta, allow_zero=True)

    def init(self, theta) -> RMSPropState:
        return RMSPropState(t=0, r=_zeros(theta))

    def step(self, theta, state: RMSPropState, oracle):
        t = state.t + 1
        eps, rho, delta = self.lr(t), self.rho, self.delta
        g = oracle.grad(theta)                                 # g ← (1/m) ∇θ Σᵢ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
        r = state.r                                             # the average so far
        r = fused("rho * r + (1 - rho) * g * g", locals())      # r ← ρr + (1 − ρ) g ⊙ g
        delta_theta = pending("-eps * (g / sqrt(delta + r))", locals())  # Δθ ← −ε/√(δ + r) ⊙ g
        delta_theta = _no_step_where_unseen(delta_theta, r, delta)
        theta = fused("theta + delta_theta", locals())          # θ ← θ + Δθ
        return theta, RMSPropState(t=t, r=sealed(r))


@dataclass(frozen=True, eq=False)
class RMSPropNesterovState:
    t: int                  # steps taken so far; the next step uses ε_{t+1}, α_{t+1}
    r: np.ndarray           # moving average of g ⊙ g (read-only), r₀ = 0
    v: np.ndarray           # the velocity v (read-only), v₀ = 0


class RMSPropNesterov(Optimizer):
    """Algorithm 8.6, RMSProp with Nesterov momentum: the gradient is taken at the interim
    point θ̃ = θ + αv, and the RMSProp-scaled step feeds a velocity.

    ``lr`` is ε, ``rho`` is ρ in [0, 1), ``alpha`` is the momentum coefficient α (a number in
    [0, 1) or a schedule), ``delta`` is δ ≥ 0.

    A departure from the book, disclosed wherever the course shows this method: Algorithm
    8.6 writes the velocity update as v ← αv − ε/√r ⊙ g, with no δ. The course adds the same
    δ inside the root as Algorithm 8.5 (default 1e-6, as RMSProp's), v ← αv − ε/√(δ + r) ⊙ g,
    so that a coordinate whose gradients are all 0 so far is not divided by 0.
    ``delta=0`` gives the book's line exactly.
    """

    def __init__(self, lr=0.001, rho=0.9, alpha=0.9, delta=1e-6):
        self.lr = learning_rate(lr)
        self.rho = _decay("rho", rho)
        self.alpha = as_momentum(alpha, "alpha")
        self.delta = check_positive("delta", delta, allow_zero=True)

    def init(self, theta) -> RMSPropNesterovState:
        return RMSPropNesterovState(t=0, r=_zeros(theta), v=_zeros(theta))

    def step(self, theta, state: RMSPropNesterovState, oracle):
        t = state.t + 1
        eps, alpha, rho, delta = self.lr(t), self.alpha(t), self.rho, self.delta
        r, v = state.r, state.v                                 # the average and velocity so far
        theta_tilde = fused("theta + alpha * v", locals())      # θ̃ ← θ + αv
        g = oracle.grad(theta_tilde)                         # g ← (1/m) ∇θ̃ Σᵢ L(f(x⁽ⁱ⁾; θ̃), y⁽ⁱ⁾)
        r = fused("rho * r + (1 - rho) * g * g", locals())      # r ← ρr + (1 − ρ) g ⊙ g
        scaled_g = _no_step_where_unseen(fused("g / sqrt(delta + r)", locals()), r, delta)
        v, theta = fused_lines(locals(),
                               "v = alpha * v - eps * scaled_g",   # v ← αv − ε/√(δ + r) ⊙ g
                               "theta = theta + v")                # θ ← θ + v
        return theta, RMSPropNesterovState(t=t, r=sealed(r), v=sealed(v))


@dataclass(frozen=True, eq=False)
class AdamState:
    t: int                  # time step t (steps taken so far), t₀ = 0
    s: np.ndarray           # first moment variable s (read-only), s₀ = 0
    r: np.ndarray           # second moment variable r (read-only), r₀ = 0


class Adam(Optimizer):
    """Algorithm 8.7, Adam: a momentum-like average s of the gradients (decay ρ₁) divided by
    the root of an average r of their squares (decay ρ₂), both corrected for starting at 0.

    ``lr`` is the step size ε, ``rho1``/``rho2`` are ρ₁, ρ₂ in [0, 1), ``delta`` is δ ≥ 0
    (outside the root, as in the book). t is incremented *before* the bias corrections, so
    the first step divides by 1 − ρ₁ and 1 − ρ₂ exactly. Under a constant gradient g the
    corrected moments are ŝ = g and r̂ = g⊙g at every t, so each coordinate moves by ε
    (less a δ-sized amount). ``bias_correction=False`` drops both corrections: the first
    step is then (1 − ρ₁)/√(1 − ρ₂)·ε ≈ 3.16ε with the defaults.
    """

    def __init__(self, lr=0.001, rho1=0.9, rho2=0.999, delta=1e-8, bias_correction=True):
        self.lr = learning_rate(lr)
        self.rho1 = _decay("rho1", rho1)
        self.rho2 = _decay("rho2", rho2)
        self.delta = check_positive("delta", delta, allow_zero=True)
        if not isinstance(bias_correction, bool):
            raise ValueError(f"bias_correction must be True or False, got {bias_correction!r}")
        self.bias_correction = bias_correction

    def init(self, theta) -> AdamState:
        return AdamState(t=0, s=_zeros(theta), r=_zeros(theta))

    def corrections(self, t: int) -> tuple[float, float]:
        """The bias-correction divisors (1 − ρ₁ᵗ, 1 − ρ₂ᵗ); (1, 1) without bias correction."""
        if not self.bias_correction:
            return 1.0, 1.0
        return 1 - self.rho1 ** t, 1 - self.rho2 ** t

    def step(self, theta, state: AdamState, oracle):
        g = oracle.grad(theta)                                 # g ← (1/m) ∇θ Σᵢ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
        t = state.t + 1                                         # t ← t + 1
        eps, rho1, rho2, delta = self.lr(t), self.rho1, self.rho2, self.delta
        s, r = state.s, state.r                                 # the moments so far (read-only)
        s = fused("rho1 * s + (1 - rho1) * g", locals())        # s ← ρ₁s + (1 − ρ₁) g
        r = fused("rho2 * r + (1 - rho2) * g * g", locals())    # r ← ρ₂r + (1 − ρ₂) g ⊙ g
        c1, c2 = self.corrections(t)                            # 1 − ρ₁ᵗ, 1 − ρ₂ᵗ
        # ŝ ← s/(1 − ρ₁ᵗ), r̂ ← r/(1 − ρ₂ᵗ) and Δθ ← −ε ŝ/(√r̂ + δ), in one pass:
        delta_theta = pending("-eps * ((s / c1) / (sqrt(r / c2) + delta))", locals())
        delta_theta = _no_step_where_unseen(delta_theta, r, delta)
        theta = fused("theta + delta_theta", locals())          # θ ← θ + Δθ
        return theta, AdamState(t=t, s=sealed(s), r=sealed(r))


@dataclass(frozen=True, eq=False)
class AdaDeltaState:
    t: int                  # steps taken so far; the next step uses ε_{t+1}
    r: np.ndarray           # moving average of g ⊙ g, Zeiler's E[g²] (read-only), r₀ = 0
    s: np.ndarray           # moving average of Δθ ⊙ Δθ, Zeiler's E[Δx²] (read-only), s₀ = 0
    rate: np.ndarray        # √(s + δ)/√(r + δ)·ε, the per-parameter rate the last step used


class AdaDelta(Optimizer):
    """AdaDelta (Zeiler 2012): RMSProp whose global rate is replaced by the root of a moving
    average s of the past squared *updates*, so that Δθ has the units of θ.

    ``rho`` is ρ in [0, 1), ``delta`` is δ > 0 (inside both roots, as in the paper; unlike the
    other methods δ = 0 is refused, because with s₀ = 0 it is δ alone that makes the first
    steps non-zero). ``lr`` is an optional global factor ε (default 1.0, Zeiler's method)
    multiplying Δθ; a number or a schedule. The state also keeps the per-parameter rate the
    last step applied to g, since s has moved on by the time the step is done.
    """

    def __init__(self, lr=1.0, rho=0.95, delta=1e-6):
        self.lr = learning_rate(lr)
        self.rho = _decay("rho", rho)
        self.delta = check_positive("delta", delta)

    def init(self, theta) -> AdaDeltaState:
        return AdaDeltaState(t=0, r=_zeros(theta), s=_zeros(theta), rate=_zeros(theta))

    def step(self, theta, state: AdaDeltaState, oracle):
        t = state.t + 1
        eps, rho, delta = self.lr(t), self.rho, self.delta
        g = oracle.grad(theta)                                 # g ← (1/m) ∇θ Σᵢ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
        r = rho * state.r + (1 - rho) * g * g                   # r ← ρr + (1 − ρ) g ⊙ g
        rate = eps * np.sqrt(state.s + delta) / np.sqrt(r + delta)
        delta_theta = -rate * g                                 # Δθ ← −ε √(s + δ)/√(r + δ) ⊙ g
        s = rho * state.s + (1 - rho) * delta_theta * delta_theta  # s ← ρs + (1 − ρ) Δθ ⊙ Δθ
        theta = theta + delta_theta                             # θ ← θ + Δθ
        return theta, AdaDeltaState(t=t, r=sealed(r), s=sealed(s), rate=sealed(rate))
