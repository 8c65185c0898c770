"""The per-parameter effective learning rate of an optimizer, read off its state.

Every first-order method of sections 8.3 and 8.5 multiplies a gradient-like vector by a
rate, element by element; for the adaptive methods that rate differs per parameter and
changes from step to step. ``effective_lr(optimizer, state)`` returns, for the state that
step t returned, the vector ε_eff that *step t itself* applied (computed from the state
after that step, which holds exactly the accumulators that step divided by):

=====================  ==================================  ============================
optimizer              ε_eff (ε = ε_t, the global rate)    what step t did with it
=====================  ==================================  ============================
SGD                    ε (every coordinate)                θ ← θ − ε_eff ⊙ g
Momentum, Nesterov     ε (every coordinate)                v ← αv − ε_eff ⊙ g
AdaGrad                ε/(δ + √r)                          Δθ = −ε_eff ⊙ g
RMSProp                ε/√(δ + r)                          Δθ = −ε_eff ⊙ g
RMSPropNesterov        ε/√(δ + r)                          v ← αv − ε_eff ⊙ g
Adam                   ε/(√r̂ + δ), r̂ = r/(1 − ρ₂ᵗ)         Δθ = −ε_eff ⊙ ŝ (ŝ, not g!)
AdaDelta               ε √(s_{t−1} + δ)/√(r + δ)           Δθ = −ε_eff ⊙ g
DeltaBarDelta          its rate vector ε                   Δθ = −ε_eff ⊙ g
VSGD                   ε* = ḡ²/(h̄ v̄)                       Δθ = −ε_eff ⊙ g
=====================  ==================================  ============================

(AdaDelta's s has already been updated with step t's Δθ, so its state keeps the rate the
step used.) With δ = 0, a coordinate whose gradients were all zero has rate ∞; it took a
zero step. ``effective_lrs(optimizer, trace)`` stacks the rates of every step of a run.
"""

from __future__ import annotations

import numpy as np

from .adaptive import AdaDelta, AdaGrad, Adam, RMSProp, RMSPropNesterov
from .delta_bar_delta import DeltaBarDelta
from .sgd import SGD, Momentum, Nesterov
from .vsgd import VSGD

KNOWN = (SGD, Momentum, Nesterov, AdaGrad, RMSProp, RMSPropNesterov, Adam, AdaDelta,
         DeltaBarDelta, VSGD)


def _steps_taken(optimizer, state) -> int:
    t = getattr(state, "k", getattr(state, "t", None))
    if not isinstance(t, (int, np.integer)):
        raise ValueError(f"state must be a state of {type(optimizer).__name__} (with a step "
                         f"counter), got {state!r}")
    if t < 1:
        raise ValueError("state is the starting state (no step taken yet); effective_lr "
                         "gives the rate a step used, so pass a state returned by step()")
    return int(t)


def effective_lr(optimizer, state, theta=None) -> np.ndarray:
    """The per-parameter rate that the step which returned ``state`` applied (see the table).

    ``theta`` is needed only for SGD, whose state has no array to take the shape from.
    """
    if not isinstance(optimizer, KNOWN):
        names = ", ".join(cls.__name__ for cls in KNOWN)
        raise ValueError(f"optimizer must be one of {names}; effective_lr does not know "
                         f"{type(optimizer).__name__}")
    t = _steps_taken(optimizer, state)
    with np.errstate(divide="ignore"):
        if isinstance(optimizer, (SGD, Momentum, Nesterov)):
            if isinstance(optimizer, SGD):
                if theta is None:
                    raise ValueError("theta must be given for SGD (its state has no arrays "
                                     "to take the shape of the parameters from)")
                shape = np.shape(theta)
            else:
                shape = np.shape(state.v)
            return np.full(shape, optimizer.lr(t))
        if isinstance(optimizer, AdaGrad):
            return optimizer.lr(t) / (optimizer.delta + np.sqrt(state.r))
        if isinstance(optimizer, (RMSProp, RMSPropNesterov)):
            return optimizer.lr(t) / np.sqrt(optimizer.delta + state.r)
        if isinstance(optimizer, Adam):
            r_hat = state.r / optimizer.corrections(t)[1]
            return optimizer.lr(t) / (np.sqrt(r_hat) + optimizer.delta)
    if isinstance(optimizer, AdaDelta):
        return np.array(state.rate)
    if isinstance(optimizer, DeltaBarDelta):
        return np.array(state.eps)
    return np.array(state.eps_star)             # VSGD (zeros during its warm-up steps)


def effective_lrs(optimizer, trace) -> np.ndarray:
    """The rates of every step of a ``Trace``: shape (steps, dim), row k − 1 for step k."""
    dim = trace.thetas.shape[1]
    if not trace.states:
        return np.zeros((0, dim))
    return np.array([effective_lr(optimizer, state, np.zeros(dim)) for state in trace.states])
