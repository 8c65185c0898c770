"""Learning-rate schedules: plain callables k -> ε_k, with k counting steps from 1.

Algorithm 8.1 asks for "a learning rate schedule ε₁, ε₂, …"; step k of an optimizer uses
``schedule(k)``. Every schedule also accepts an array of k (for plotting), and ``k = 0``
gives the starting rate ε₀.
"""

from __future__ import annotations

import numbers

import numpy as np

from .validation import check_positive


class Schedule:
    """Base class. Subclasses implement ``rate(k)`` for an array of step numbers."""

    def __call__(self, k):
        k_array = np.asarray(k, dtype=float)
        if np.any(k_array < 0):
            raise ValueError(f"k must be >= 0, got {k!r}")
        rates = self.rate(k_array)
        return float(rates) if rates.ndim == 0 else rates

    def rate(self, k: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class Constant(Schedule):
    """ε_k = ε for every k."""

    def __init__(self, eps: float, name: str = "lr"):
        self.eps = check_positive(name, eps)

    def rate(self, k):
        return np.full_like(k, self.eps, dtype=float)

    def __repr__(self) -> str:
        return f"Constant(eps={self.eps:g})"


class LinearDecay(Schedule):
    """Eq. 8.14: ε_k = (1 − a) ε₀ + a ε_τ with a = k/τ until step τ, then ε_k = ε_τ.

    The book's guidance is ε_τ ≈ ε₀/100, which is the default.
    """

    def __init__(self, eps0: float, tau: float, eps_tau: float | None = None):
        self.eps0 = check_positive("eps0", eps0)
        self.tau = check_positive("tau", tau)
        self.eps_tau = self.eps0 / 100 if eps_tau is None else check_positive("eps_tau", eps_tau)

    def rate(self, k):
        a = np.minimum(k / self.tau, 1.0)             # a = k/τ, held at 1 after step τ
        return (1 - a) * self.eps0 + a * self.eps_tau   # ε_k = (1 − a) ε₀ + a ε_τ

    def __repr__(self) -> str:
        return f"LinearDecay(eps0={self.eps0:g}, tau={self.tau:g}, eps_tau={self.eps_tau:g})"


def constant(eps: float) -> Constant:
    """A constant learning rate ε."""
    return Constant(eps)


def linear_decay(eps0: float, tau: float, eps_tau: float | None = None) -> LinearDecay:
    """The linear decay of eq. 8.14 (ε_τ defaults to ε₀/100)."""
    return LinearDecay(eps0, tau, eps_tau)


def as_schedule(lr, name: str = "lr") -> Schedule:
    """Turn a number into a ``Constant`` schedule; pass schedules (any callable) through."""
    if isinstance(lr, Schedule):
        return lr
    if callable(lr):
        return _Callable(lr, name)
    if isinstance(lr, numbers.Real) and not isinstance(lr, bool):
        return Constant(lr, name)
    raise ValueError(f"{name} must be > 0 or a schedule (a callable k -> rate), got {lr!r}")


class _Callable(Schedule):
    """A learner's own function k -> ε_k, checked when it is called."""

    def __init__(self, fn, name: str):
        self.fn, self.name = fn, name

    def rate(self, k):
        rates = np.asarray(np.vectorize(lambda kk: float(self.fn(int(kk))))(k), dtype=float)
        if np.any(~np.isfinite(rates)) or np.any(rates <= 0):
            raise ValueError(f"{self.name} schedule must give rates > 0, got {rates!r}")
        return rates

    def __repr__(self) -> str:
        return f"schedule({getattr(self.fn, '__name__', 'custom')})"
