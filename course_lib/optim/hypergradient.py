"""Hypergradient descent on the learning rate (Baydin, Cornish, Martínez Rubio, Schmidt &
Wood 2018, "Online learning rate adaptation with hypergradient descent"): SGD-HD.

The simplest learned update rule: the rate ε itself is learned during the run, by gradient
descent on the loss. After the step θ_{t−1} = θ_{t−2} − ε g_{t−1}, the loss at θ_{t−1}
depends on the rate ε that made the step, with the derivative (the *hypergradient*)

    h_t = ∂J(θ_{t−1})/∂ε = ∇J(θ_{t−1}) · ∂θ_{t−1}/∂ε = −g_t · g_{t−1},

so descending it, ε ← ε − β h_t, raises the rate while successive gradients agree
(g_t · g_{t−1} > 0: the steps are too short) and lowers it when they point against each
other (the last step overshot). Its cost: one dot product and one stored gradient.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_positive
from .base import Optimizer, frozen


@dataclass(frozen=True, eq=False)
class HypergradientState:
    k: int                  # steps taken so far
    lr: float               # ε_k, the rate the last step used (ε₀ before the first step)
    g_prev: np.ndarray      # g_{k}, the last gradient (read-only); g₀ = 0


class HypergradientSGD(Optimizer):
    """SGD-HD (Baydin et al. 2018, Algorithm 1), one step t:

        g_t ← ∇J(θ_{t−1})                 (on the step's minibatch)
        h_t ← −g_t · g_{t−1}              (the hypergradient ∂J(θ_{t−1})/∂ε)
        ε_t ← ε_{t−1} − β h_t             (= ε_{t−1} + β g_t · g_{t−1})
        θ_t ← θ_{t−1} − ε_t g_t

    ``lr`` is the starting rate ε₀ (a number > 0), ``beta`` the hypergradient rate β ≥ 0
    (β = 0 is plain SGD at ε₀). The rate lives in the state (``state.lr``), so ``lr_at``
    returns NaN. As in the paper ε_t is not clipped: a large β can drive it below 0 on a
    noisy problem, where g_t · g_{t−1} is mostly noise.
    """

    def __init__(self, lr=0.001, beta=1e-4):
        self.lr0 = check_positive("lr", lr)
        self.beta = check_positive("beta", beta, allow_zero=True)

    def lr_at(self, k: int) -> float:
        """NaN: the rate is learned during the run (``state.lr`` holds it)."""
        return float("nan")

    def init(self, theta) -> HypergradientState:
        zeros = frozen(np.zeros_like(np.asarray(theta, dtype=float)))
        return HypergradientState(k=0, lr=self.lr0, g_prev=zeros)

    def step(self, theta, state: HypergradientState, oracle):
        g = oracle.grad(theta)                       # g_t ← ∇J(θ_{t−1})
        h = -float(np.dot(g, state.g_prev))          # h_t ← −g_t · g_{t−1}
        lr = state.lr - self.beta * h                # ε_t ← ε_{t−1} − β h_t
        theta = theta - lr * g                       # θ_t ← θ_{t−1} − ε_t g_t
        return theta, HypergradientState(k=state.k + 1, lr=lr, g_prev=frozen(g))
