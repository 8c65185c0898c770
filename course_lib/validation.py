"""Input checks shared by the whole package.

Every public constructor validates its arguments here, so that a bad value fails at once
with a message that names the parameter and the allowed range, e.g.
``lr must be > 0, got -0.1``.
"""

from __future__ import annotations

import numbers

import numpy as np


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_real(name: str, value) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number."""
    if not _is_real(value):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_positive(name: str, value, *, allow_zero: bool = False) -> float:
    """A finite number that is > 0 (or >= 0 when ``allow_zero``)."""
    value = check_real(name, value)
    if allow_zero and value < 0:
        raise ValueError(f"{name} must be >= 0, got {value:g}")
    if not allow_zero and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value:g}")
    return value


def check_interval(name: str, value, low: float, high: float, *, closed_high: bool = False,
                   closed_low: bool = True) -> float:
    """A finite number in the interval [low, high) (brackets chosen by the flags)."""
    value = check_real(name, value)
    ok_low = value >= low if closed_low else value > low
    ok_high = value <= high if closed_high else value < high
    if not (ok_low and ok_high):
        left = "[" if closed_low else "("
        right = "]" if closed_high else ")"
        raise ValueError(f"{name} must be in {left}{low:g}, {high:g}{right}, got {value:g}")
    return value


def check_int(name: str, value, *, minimum: int = 0) -> int:
    """An integer that is >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def as_vector(name: str, value, dim: int | None = None) -> np.ndarray:
    """A fresh 1-D float array; with ``dim`` given, its shape must be ``(dim,)``."""
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be an array of numbers, got {value!r}") from err
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {array.shape}")
    if dim is not None and array.shape != (dim,):
        raise ValueError(f"{name} has shape {array.shape}, but the objective expects ({dim},)")
    return array
