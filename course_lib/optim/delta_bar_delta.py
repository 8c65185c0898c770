"""The delta-bar-delta rule (Jacobs 1988), the early per-parameter heuristic of section 8.5.

Each parameter has its own rate ε_i. If the partial derivative keeps its sign the rate grows
additively (by ``increment``, Jacobs' κ); if the sign flips, the rate shrinks
multiplicatively (by the factor 1 − β). The sign is compared with δ̄, an exponential trace
of past gradients (decay φ), not just the last gradient. It is a full-batch method: with
minibatch noise the signs flip at random and the rates are driven down for reasons that have
nothing to do with curvature.

Jacobs writes the increment κ. The course keeps κ for the condition number (its notebooks
speak of "the bowl with κ = 100"), so the keyword is ``increment`` and the notebooks write it
ξ; ``kappa=`` raises a ValueError that says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_interval, check_positive
from .base import Optimizer, frozen


@dataclass(frozen=True, eq=False)
class DeltaBarDeltaState:
    t: int                  # steps taken so far
    eps: np.ndarray         # the per-parameter rates ε (read-only), ε₀ everywhere at the start
    delta_bar: np.ndarray   # the trace δ̄ of past gradients (read-only), δ̄₀ = 0


class DeltaBarDelta(Optimizer):
    """Delta-bar-delta (Jacobs 1988), full batch, per parameter i:

    δ̄_i ← (1 − φ) g_i + φ δ̄_i;  ε_i ← ε_i + ξ if δ̄_i(previous)·g_i > 0,
    ε_i ← (1 − β) ε_i if δ̄_i(previous)·g_i < 0, unchanged if it is 0;  θ ← θ − ε ⊙ g.

    ``lr`` is the starting rate ε₀ (a number > 0: the rates are state, not a schedule),
    ``increment`` is ξ ≥ 0, Jacobs' κ (default 1e-3·ε₀), ``beta`` is β in [0, 1) (default
    0.1), ``phi`` is φ in [0, 1) (default 0.7). A rate updated on step t is used by step t
    itself. The keyword was ``kappa`` before; κ now means only the condition number.
    """

    def __init__(self, lr=0.01, increment=None, beta=0.1, phi=0.7, **renamed):
        if "kappa" in renamed:
            raise ValueError("DeltaBarDelta's kappa is now called increment (Jacobs' κ; the "
                             "course keeps κ for the condition number): write "
                             f"DeltaBarDelta(increment={renamed['kappa']!r})")
        if renamed:
            raise TypeError(f"DeltaBarDelta got unexpected keyword arguments {sorted(renamed)}")
        self.eps0 = check_positive("lr", lr)
        self.increment = 1e-3 * self.eps0 if increment is None else check_positive(
            "increment", increment, allow_zero=True)
        self.beta = check_interval("beta", beta, 0.0, 1.0)
        self.phi = check_interval("phi", phi, 0.0, 1.0)

    def lr_at(self, k: int) -> float:
        """NaN: there is no single rate; ``optim.effective_lr`` gives the vector ε."""
        return float("nan")

    def init(self, theta) -> DeltaBarDeltaState:
        theta = np.asarray(theta, dtype=float)
        return DeltaBarDeltaState(t=0, eps=frozen(np.full_like(theta, self.eps0)),
                                  delta_bar=frozen(np.zeros_like(theta)))

    def step(self, theta, state: DeltaBarDeltaState, oracle):
        xi, beta, phi = self.increment, self.beta, self.phi
        g = oracle.grad(theta)                                  # g ← ∇θ J(θ) (whole training set)
        agree = state.delta_bar * g                             # δ̄_prev ⊙ g: same sign or not
        delta_bar = (1 - phi) * g + phi * state.delta_bar       # δ̄ ← (1 − φ) g + φ δ̄
        eps = np.where(agree > 0, state.eps + xi,               # ε ← ε + ξ  where δ̄_prev·g > 0
                       np.where(agree < 0, (1 - beta) * state.eps,  # ε ← (1 − β) ε  where < 0
                                state.eps))                     # ε unchanged where = 0
        theta = theta - eps * g                                 # θ ← θ − ε ⊙ g
        return theta, DeltaBarDeltaState(t=state.t + 1, eps=frozen(eps),
                                         delta_bar=frozen(delta_bar))
