"""Finite-difference checks of hand-written derivatives.

Every gradient and Hessian in the course is written by hand, so every one is checked
against central differences: (f(θ + h eᵢ) − f(θ − h eᵢ)) / 2h has error O(h²), against O(h)
for the one-sided difference. Components are compared by the relative error
|a − n| / max(|a| + |n|, tiny), where a is the analytic value and n the numerical one;
a component whose absolute error is at most ``atol`` counts as exact (both near zero).
The check passes when every relative error is at most ``rtol``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .validation import as_vector, check_positive

_TINY = 1e-300


@dataclass
class GradCheckResult:
    """How far an analytic derivative is from its finite-difference estimate."""

    what: str                   # "gradient", "Hessian" or "Hessian-vector product"
    max_abs_error: float
    max_rel_error: float
    ok: bool
    worst_index: tuple          # where the relative error is largest
    analytic: np.ndarray = field(repr=False)
    numerical: np.ndarray = field(repr=False)

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        verdict = "OK" if self.ok else "MISMATCH"
        where = ", ".join(map(str, self.worst_index))
        return (f"GradCheckResult({self.what}: {verdict}, max_abs_error={self.max_abs_error:.2e}, "
                f"max_rel_error={self.max_rel_error:.2e}; worst at [{where}]: "
                f"analytic {self.analytic[self.worst_index]:.8g}, "
                f"numerical {self.numerical[self.worst_index]:.8g})")


def numerical_grad(f: Callable, theta, h: float = 1e-6) -> np.ndarray:
    """∇f(θ) by central differences, one coordinate at a time (2n calls of f)."""
    theta = as_vector("theta", theta)
    h = check_positive("h", h)
    g = np.zeros_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        g[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return g


def numerical_hessian(grad_fn: Callable, theta, h: float = 1e-5) -> np.ndarray:
    """The Hessian as central differences of the gradient, column by column.

    The result is symmetrized, ½(H + Hᵀ): the true Hessian is symmetric, and averaging the
    two estimates of each mixed derivative halves their independent rounding errors.
    """
    theta = as_vector("theta", theta)
    h = check_positive("h", h)
    H = np.zeros((theta.size, theta.size))
    for j in range(theta.size):
        e = np.zeros_like(theta)
        e[j] = h
        H[:, j] = (np.asarray(grad_fn(theta + e)) - np.asarray(grad_fn(theta - e))) / (2 * h)
    return 0.5 * (H + H.T)


def compare(what: str, analytic, numerical, rtol: float = 1e-5,
            atol: float = 1e-7) -> GradCheckResult:
    """Component-wise comparison of an analytic array with a numerical one."""
    rtol = check_positive("rtol", rtol)
    atol = check_positive("atol", atol, allow_zero=True)
    a = np.asarray(analytic, dtype=float)
    n = np.asarray(numerical, dtype=float)
    if a.shape != n.shape:
        raise ValueError(f"the analytic {what} has shape {a.shape}, "
                         f"the numerical one {n.shape}")
    abs_err = np.abs(a - n)
    rel_err = abs_err / np.maximum(np.abs(a) + np.abs(n), _TINY)
    # A component within atol counts as exact: near zero the relative error means nothing
    # (0 against 1e-12 is a relative error of 1). NaN anywhere counts as a mismatch.
    rel_err = np.where(abs_err <= atol, 0.0, rel_err)
    rel_err[np.isnan(a) | np.isnan(n)] = np.inf
    worst = np.unravel_index(np.argmax(rel_err if rel_err.any() else abs_err), a.shape)
    max_rel = float(np.max(rel_err)) if a.size else 0.0
    return GradCheckResult(what=what, max_abs_error=float(np.max(abs_err, initial=0.0)),
                           max_rel_error=max_rel, ok=max_rel <= rtol,
                           worst_index=tuple(int(i) for i in worst), analytic=a, numerical=n)


def check_grad(objective, theta, batch=None, rtol: float = 1e-5, atol: float = 1e-7,
               h: float = 1e-6) -> GradCheckResult:
    """``objective.grad`` against central differences of ``objective.loss`` on ``batch``."""
    theta = as_vector("theta", theta, objective.dim)
    numerical = numerical_grad(lambda t: objective.loss(t, batch), theta, h)
    return compare("gradient", objective.grad(theta, batch), numerical, rtol, atol)


def check_hessian(objective, theta, batch=None, rtol: float = 1e-5, atol: float = 1e-6,
                  h: float = 1e-5) -> GradCheckResult:
    """``objective.hessian`` against central differences of ``objective.grad``."""
    theta = as_vector("theta", theta, objective.dim)
    numerical = numerical_hessian(lambda t: objective.grad(t, batch), theta, h)
    return compare("Hessian", objective.hessian(theta, batch), numerical, rtol, atol)


def check_hvp(objective, theta, v, batch=None, rtol: float = 1e-5, atol: float = 1e-6,
              h: float = 1e-5) -> GradCheckResult:
    """``objective.hvp(θ, v)`` against the finite-difference Hessian (of ``grad``) times v."""
    theta = as_vector("theta", theta, objective.dim)
    v = as_vector("v", v, objective.dim)
    numerical = numerical_hessian(lambda t: objective.grad(t, batch), theta, h) @ v
    return compare("Hessian-vector product", objective.hvp(theta, v, batch), numerical,
                   rtol, atol)
