"""What a schedule is, and how whatever a user passes for ε or α becomes one.

``Schedule``: a callable k -> ε_k (k counts steps from 1; an array of k works too, for plots).
``as_schedule`` turns a number into a ``Constant`` and checks a learner's own function;
``as_momentum`` checks that a momentum schedule's values stay in [0, 1).
"""

from __future__ import annotations

import numbers

import numpy as np

from ..validation import check_interval, check_positive


class Schedule:
    """Base class. Subclasses implement ``rate(k)`` for an array of step numbers, and may
    give ``at(k)``, one step's rate, a cheaper form."""

    def __call__(self, k):
        if type(k) is int and k >= 0:     # one step's k, what a run asks at every step
            return self.at(k)
        k_array = np.asarray(k, dtype=float)
        # A 0-d k (a numpy integer, say): ``bool`` of a 0-d comparison costs a fifth of
        # ``np.any``'s reduction machinery.
        if bool(k_array < 0) if k_array.ndim == 0 else (k_array < 0).any():
            raise ValueError(f"k must be >= 0, got {k!r}")
        rates = self.rate(k_array)
        return float(rates) if rates.ndim == 0 else rates

    def rate(self, k: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def at(self, k: int):
        """ε_k for one step k ≥ 0: a float (an array for per-coordinate rates), by default
        from ``rate`` of a 0-d array."""
        rates = self.rate(np.asarray(k, dtype=float))
        return float(rates) if rates.ndim == 0 else rates

    def series(self) -> tuple[bool, bool] | None:
        """The exact answer to eqs. 8.12–8.13, ``(Σ ε_k = ∞, Σ ε_k² < ∞)``, or None if unknown."""
        return None


class Constant(Schedule):
    """ε_k = ε for every k."""

    def __init__(self, eps: float, name: str = "lr"):
        self.eps = check_positive(name, eps)

    def rate(self, k):
        return np.full_like(k, self.eps, dtype=float)

    def at(self, k):
        return float(self.eps)

    def series(self):
        return True, False                # ε + ε + … diverges, and so does ε² + ε² + …

    def __repr__(self) -> str:
        return f"Constant(eps={self.eps:g})"


# --- lower-case factories -------------------------------------------------------------------
def constant(eps: float) -> Constant:
    """A constant learning rate ε."""
    return Constant(eps)


# --- turning what a user passes into a schedule -------------------------------------------------
def as_schedule(lr, name: str = "lr") -> Schedule:
    """Turn a number into a ``Constant`` schedule; pass schedules (any callable) through."""
    if isinstance(lr, Schedule):
        return lr
    if callable(lr):
        return _Callable(lr, name)
    if isinstance(lr, numbers.Real) and not isinstance(lr, bool):
        return Constant(lr, name)
    raise ValueError(f"{name} must be > 0 or a schedule (a callable k -> rate), got {lr!r}")


def as_momentum(alpha, name: str = "alpha") -> Schedule:
    """Validate a momentum coefficient α: a number in [0, 1) or a schedule k -> α_k.

    A number is checked at once; a schedule's values are checked each time it is called
    (``alpha schedule must give values in [0, 1), got …``).
    """
    if isinstance(alpha, _UnitInterval):
        return alpha
    if isinstance(alpha, Schedule):
        return _UnitInterval(alpha, name)
    if callable(alpha):
        return _UnitInterval(_Callable(alpha, name, positive=False), name)
    if isinstance(alpha, numbers.Real) and not isinstance(alpha, bool):
        return _Fixed(check_interval(name, alpha, 0.0, 1.0), name)
    raise ValueError(f"{name} must be in [0, 1) or a schedule (a callable k -> {name}), "
                     f"got {alpha!r}")


class _Callable(Schedule):
    """A learner's own function k -> ε_k, checked when it is called."""

    def __init__(self, fn, name: str, positive: bool = True):
        self.fn, self.name, self.positive = fn, name, positive

    def rate(self, k):
        rates = np.asarray(np.vectorize(lambda kk: float(self.fn(int(kk))))(k), dtype=float)
        if self.positive and (np.any(~np.isfinite(rates)) or np.any(rates <= 0)):
            raise ValueError(f"{self.name} schedule must give rates > 0, got {rates!r}")
        return rates

    def __repr__(self) -> str:
        return f"schedule({getattr(self.fn, '__name__', 'custom')})"


class _Fixed(Schedule):
    """A constant momentum coefficient (0 allowed, unlike a learning rate)."""

    def __init__(self, value: float, name: str):
        self.value, self.name = value, name

    def rate(self, k):
        return np.full_like(k, self.value, dtype=float)

    def at(self, k):
        return float(self.value)

    def __repr__(self) -> str:
        return f"Constant({self.name}={self.value:g})"


class _UnitInterval(Schedule):
    """Wraps a schedule whose values must lie in [0, 1) (a momentum α_k)."""

    def __init__(self, schedule: Schedule, name: str):
        self.schedule, self.name = schedule, name

    def rate(self, k):
        values = np.asarray(self.schedule(k), dtype=float)
        if np.any(~np.isfinite(values)) or np.any(values < 0) or np.any(values >= 1):
            raise ValueError(f"{self.name} schedule must give values in [0, 1), "
                             f"got {values!r}")
        return values

    def __repr__(self) -> str:
        return repr(self.schedule)
