"""The basic algorithms of section 8.3: SGD (Algorithm 8.1), momentum (Algorithm 8.2) and
Nesterov momentum (Algorithm 8.3)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..schedules import as_momentum
from .base import Optimizer, frozen, learning_rate, sealed
from .fused import fused, fused_lines


@dataclass(frozen=True)
class SGDState:
    k: int = 0          # steps taken so far; the next step uses ε_{k+1}


class SGD(Optimizer):
    """Algorithm 8.1, stochastic gradient descent (SGD) update at training iteration k.

    ``lr`` is ε: a number or a schedule k -> ε_k. The minibatch is drawn by ``minimize``;
    the oracle it passes in is the objective bound to that minibatch. With the whole
    training set as the batch (or a plain function) this is gradient descent.
    """

    def __init__(self, lr=0.01):
        self.lr = learning_rate(lr)

    def init(self, theta) -> SGDState:
        return SGDState(k=0)

    def step(self, theta, state: SGDState, oracle):
        k = state.k + 1
        g = oracle.grad(theta)              # g ← (1/m) Σᵢ ∇θ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
        theta = theta - self.lr(k) * g      # θ ← θ − ε_k g
        return theta, SGDState(k=k)


@dataclass(frozen=True, eq=False)
class MomentumState:
    k: int                  # steps taken so far; the next step uses ε_{k+1}, α_{k+1}
    v: np.ndarray           # the velocity v (read-only), v₀ = 0


@dataclass(frozen=True, eq=False)
class NesterovState:
    k: int                  # steps taken so far; the next step uses ε_{k+1}, α_{k+1}
    v: np.ndarray           # the velocity v (read-only), v₀ = 0


class Momentum(Optimizer):
    """Algorithm 8.2, stochastic gradient descent (SGD) with momentum.

    ``lr`` is ε (a number > 0 or a schedule k -> ε_k); ``alpha`` is α (a number in [0, 1)
    or a schedule k -> α_k, checked when called; the book suggests starting small and
    raising it, e.g. ``schedules.ramp(0.5, 0.9, 1000)``). The velocity starts at v₀ = 0.

    Under a constant gradient g the velocity tends to −εg/(1 − α): the terminal step size
    ε‖g‖/(1 − α) of eq. 8.17 (α = 0.9: ten times a gradient step). ``course_lib.physics``
    shows this update is the semi-implicit (symplectic) Euler method for a particle with
    viscous drag: first the velocity, then the position with the new velocity.
    """

    def __init__(self, lr=0.01, alpha=0.9):
        self.lr = learning_rate(lr)
        self.alpha = as_momentum(alpha, "alpha")

    def init(self, theta) -> MomentumState:
        return MomentumState(k=0, v=frozen(np.zeros_like(np.asarray(theta, dtype=float))))

    def step(self, theta, state: MomentumState, oracle):
        k = state.k + 1
        eps, alpha = self.lr(k), self.alpha(k)       # ε_k, α_k
        g = oracle.grad(theta)                       # g ← (1/m) ∇θ Σᵢ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
        v = state.v                                  # the velocity so far (read-only)
        v, theta = fused_lines(locals(),
                               "v = alpha * v - eps * g",       # v ← αv − εg
                               "theta = theta + v")             # θ ← θ + v
        return theta, MomentumState(k=k, v=sealed(v))


class Nesterov(Optimizer):
    """Algorithm 8.3, stochastic gradient descent (SGD) with Nesterov momentum.

    As ``Momentum``, but the gradient is taken at the interim point θ̃ = θ + αv, after the
    current velocity is applied. ``lr`` is ε, ``alpha`` is α (a number in [0, 1) or a
    schedule; ``schedules.nesterov_alpha()`` gives α_k = (k − 1)/(k + 2), with which the
    excess error of a convex batch problem falls as O(1/k²) for ε = 1/L).
    """

    def __init__(self, lr=0.01, alpha=0.9):
        self.lr = learning_rate(lr)
        self.alpha = as_momentum(alpha, "alpha")

    def init(self, theta) -> NesterovState:
        return NesterovState(k=0, v=frozen(np.zeros_like(np.asarray(theta, dtype=float))))

    def step(self, theta, state: NesterovState, oracle):
        k = state.k + 1
        eps, alpha = self.lr(k), self.alpha(k)       # ε_k, α_k
        v = state.v                                  # the velocity so far (read-only)
        theta_tilde = fused("theta + alpha * v", locals())   # θ̃ ← θ + αv
        g = oracle.grad(theta_tilde)                 # g ← (1/m) ∇θ̃ Σᵢ L(f(x⁽ⁱ⁾; θ̃), y⁽ⁱ⁾)
        v, theta = fused_lines(locals(),
                               "v = alpha * v - eps * g",       # v ← αv − εg
                               "theta = theta + v")             # θ ← θ + v
        return theta, NesterovState(k=k, v=sealed(v))
