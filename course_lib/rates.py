"""Measuring convergence: contraction rates and steps to a tolerance, beside the theory's.

A method converges *linearly* with rate r when ‖θ_k − θ*‖ shrinks like r^k. These helpers
read r and the number of steps off a run, so a notebook can print the measured number
next to the one the theory predicts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np

from .objectives.quadratic import Quadratic
from .run import minimize
from .validation import as_vector, check_interval


def distances(thetas, theta_star) -> np.ndarray:
    """‖θ_k − θ*‖ for every row of ``thetas``."""
    thetas = np.asarray(thetas, dtype=float)
    return np.linalg.norm(thetas - as_vector("theta_star", theta_star, thetas.shape[1]), axis=1)


def measured_rate(thetas, theta_star) -> float:
    """The average contraction per step, (‖θ_K − θ*‖ / ‖θ₀ − θ*‖)^(1/K)."""
    d = distances(thetas, theta_star)
    steps = len(d) - 1
    if steps < 1 or d[0] == 0:
        raise ValueError("measured_rate needs at least one step from a point other than θ*")
    if d[-1] == 0:
        return 0.0
    return float((d[-1] / d[0]) ** (1.0 / steps))


def steps_to_tolerance(thetas, theta_star, tol: float) -> int | None:
    """The first k with ‖θ_k − θ*‖ ≤ tol · ‖θ₀ − θ*‖, or None if the run never got there."""
    tol = check_interval("tol", tol, 0.0, 1.0, closed_low=False)
    d = distances(thetas, theta_star)
    reached = np.flatnonzero(d <= tol * d[0])
    return int(reached[0]) if reached.size else None


def predicted_steps(rate: float, tol: float) -> int:
    """Steps a linear rate r needs to shrink the error by ``tol``: ⌈log tol / log r⌉."""
    rate = check_interval("rate", rate, 0.0, 1.0, closed_low=False)
    tol = check_interval("tol", tol, 0.0, 1.0, closed_low=False)
    return math.ceil(math.log(tol) / math.log(rate) - 1e-9)


def loglog_slope(x, y) -> float:
    """Least-squares slope of log y against log x: the p of y ∝ x^p (O(1/k) gives −1)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must be 1-D of the same length >= 2, got shapes {x.shape} "
                         f"and {y.shape}")
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be > 0 for a log-log fit")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def steps_vs_condition(make_optimizer: Callable, kappas: Iterable[float], tol: float = 1e-6,
                       theta0=(1.0, 1.0), max_steps: int = 100_000) -> list[dict]:
    """Run ``make_optimizer(quadratic)`` on 2-D bowls of condition number κ.

    Returns one row per κ with the measured steps to shrink ‖θ − θ*‖ by ``tol`` and the
    measured contraction rate over those steps.
    """
    rows = []
    for kappa in kappas:
        quadratic = Quadratic.with_condition(kappa)
        trace = minimize(quadratic, make_optimizer(quadratic), theta0, max_steps, warn=False,
                         callback=_stop_at(quadratic.center, np.asarray(theta0, float), tol))
        steps = steps_to_tolerance(trace.thetas, quadratic.center, tol)
        rows.append({"kappa": float(kappa), "steps": steps,
                     "rate": measured_rate(trace.thetas, quadratic.center)})
    return rows


def _stop_at(theta_star, theta0, tol):
    goal = tol * np.linalg.norm(theta0 - theta_star)
    return lambda k, theta, state: np.linalg.norm(theta - theta_star) <= goal


# --- the heavy ball (momentum) on a quadratic --------------------------------------------------
def heavy_ball_radius(lr, alpha, eigenvalues) -> np.ndarray:
    """The exact per-step contraction of momentum on a quadratic (any array shapes).

    Along eigenvector i one step maps (θᵢ, vᵢ) linearly: v' = αv − ελᵢθ, θ' = θ + v',
    i.e. by the matrix [[1 − ελᵢ, α], [−ελᵢ, α]]. Its eigenvalues z solve
    z² − (1 + α − ελᵢ) z + α = 0; the rate is the largest |z| over both roots and all i
    (the spectral radius). Complex roots (an under-damped oscillator) have |z| = √α.
    """
    lr, alpha = np.asarray(lr, dtype=float), np.asarray(alpha, dtype=float)
    radius = np.zeros(np.broadcast(lr, alpha).shape)
    for lam in np.atleast_1d(np.asarray(eigenvalues, dtype=float)):
        b = 1 + alpha - lr * lam
        root = np.sqrt((b * b - 4 * alpha).astype(complex))
        z = np.maximum(np.abs((b + root) / 2), np.abs((b - root) / 2))
        radius = np.maximum(radius, z)
    return radius


def tuned_heavy_ball(lam_max: float, lam_min: float) -> dict:
    """The heavy-ball optimum on a quadratic with curvatures in [λ_min, λ_max].

    ε* = (2/(√λ_max + √λ_min))², α* = ((√κ − 1)/(√κ + 1))², rate (√κ − 1)/(√κ + 1) = √α*.
    """
    root_kappa = math.sqrt(lam_max / lam_min)
    rate = (root_kappa - 1) / (root_kappa + 1)
    return {"lr": (2 / (math.sqrt(lam_max) + math.sqrt(lam_min))) ** 2, "alpha": rate ** 2,
            "rate": rate}
