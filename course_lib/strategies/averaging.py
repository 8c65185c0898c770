"""Polyak averaging and the exponential moving average of the iterates (section 8.7.3).

Both wrap any optimizer of ``course_lib.optim``: the wrapped optimizer runs exactly as it
would alone (its iterate θ⁽ᵗ⁾ is the one the run continues from), and the wrapper keeps,
beside it in its state, the averaged iterate θ̂ the book recommends to *report*:

- ``PolyakAveraging``: θ̂⁽ᵗ⁾ = (1/t) Σᵢ₌₁ᵗ θ⁽ⁱ⁾ (Polyak & Juditsky 1992), updated in place
  as θ̂ ← θ̂ + (θ⁽ᵗ⁾ − θ̂)/t. On a convex problem with a constant learning rate SGD keeps
  circling the minimum at a distance set by its noise; the average of the circle is much
  closer to its centre. ``start``: average only the iterates after step ``start`` (the
  early ones, far from the minimum, would otherwise weigh on the mean for a long time);
- ``ExponentialAveraging``: θ̂⁽ᵗ⁾ = α θ̂⁽ᵗ⁻¹⁾ + (1 − α) θ⁽ᵗ⁾ with θ̂⁽⁰⁾ = θ⁽⁰⁾, for non-convex
  problems, where a point far back on the path may lie in another basin and should be
  forgotten: the memory is about 1/(1 − α) steps.

``averaged(trace)`` reads θ̂ from a ``Trace``'s states, row by row beside ``trace.thetas``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..optim.base import Optimizer, frozen
from ..validation import check_int, check_interval


@dataclass(frozen=True, eq=False)
class AveragingState:
    inner: object                   # the wrapped optimizer's own state
    theta_hat: np.ndarray           # θ̂, the averaged iterate
    t: int = 0                      # steps taken
    n: int = 0                      # iterates in the average so far (Polyak)


def _check_optimizer(optimizer):
    if not (hasattr(optimizer, "init") and hasattr(optimizer, "step")):
        raise ValueError(f"optimizer must have init and step (an Optimizer), got {optimizer!r}")
    return optimizer


class _Averaging(Optimizer):
    def __init__(self, optimizer):
        self.optimizer = _check_optimizer(optimizer)

    def init(self, theta) -> AveragingState:
        return AveragingState(self.optimizer.init(theta), frozen(theta), 0, 0)

    def lr_at(self, k: int) -> float:
        return self.optimizer.lr_at(k) if hasattr(self.optimizer, "lr_at") else float("nan")

    def step(self, theta, state: AveragingState, oracle):
        new_theta, inner = self.optimizer.step(theta, state.inner, oracle)   # θ⁽ᵗ⁾
        t = state.t + 1
        theta_hat, n = self._average(state, np.asarray(new_theta, dtype=float), t)
        return new_theta, AveragingState(inner, frozen(theta_hat), t, n)


class PolyakAveraging(_Averaging):
    """θ̂⁽ᵗ⁾ = the mean of the iterates θ⁽ⁱ⁾ with ``start`` < i ≤ t (θ̂ = θ⁽ᵗ⁾ until then)."""

    def __init__(self, optimizer, start: int = 0):
        super().__init__(optimizer)
        self.start = check_int("start", start, minimum=0)

    def _average(self, state, theta, t):
        if t <= self.start:
            return theta, 0
        n = state.n + 1
        return state.theta_hat + (theta - state.theta_hat) / n, n    # θ̂ ← θ̂ + (θ − θ̂)/n


class ExponentialAveraging(_Averaging):
    """θ̂⁽ᵗ⁾ = α θ̂⁽ᵗ⁻¹⁾ + (1 − α) θ⁽ᵗ⁾, θ̂⁽⁰⁾ = θ⁽⁰⁾."""

    def __init__(self, optimizer, alpha: float = 0.99):
        super().__init__(optimizer)
        self.alpha = check_interval("alpha", alpha, 0.0, 1.0)

    def _average(self, state, theta, t):
        return self.alpha * state.theta_hat + (1.0 - self.alpha) * theta, state.n + 1


def averaged(trace) -> np.ndarray:
    """θ̂ after every step of a run with an averaging wrapper; row 0 is θ⁽⁰⁾ (as thetas)."""
    if not all(isinstance(s, AveragingState) for s in trace.states):
        raise ValueError("the trace's states are not AveragingStates: run it with "
                         "PolyakAveraging or ExponentialAveraging")
    hats = [state.theta_hat for state in trace.states]
    return np.vstack([trace.thetas[:1], *hats]) if hats else trace.thetas[:1].copy()
