"""Section 8.7.6, continuation methods: minimize a family J⁽⁰⁾, J⁽¹⁾, …, from easy to hard.

The family is the blurred objective J⁽ⁱ⁾(θ) = E_{θ′ ~ N(θ, σᵢ²I)} J(θ′) for a schedule
σ₀ > σ₁ > … ≥ 0. A large blur leaves only the broad shape of J, often convex; each later
stage starts from the minimum of the one before and *tracks* it as the blur fades:

    θ ← θ₀
    for i = 0, 1, …, n − 1:
        θ ← argmin J⁽ⁱ⁾, found by a local optimizer started at θ

``continuation`` runs the stages with any course optimizer through ``run.minimize`` and
returns the tracked path and the evaluations it cost. ``linear_sigmas`` and
``geometric_sigmas`` make schedules that end with σ = 0 (the target J itself).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..run import minimize
from ..validation import as_vector, check_int, check_positive
from .smoothing import gaussian_smoothing


@dataclass
class ContinuationResult:
    """What a continuation run did. Stage i minimized J blurred by ``sigmas[i]``."""

    sigmas: np.ndarray           # (n,) the schedule
    stage_thetas: np.ndarray     # (n + 1, d): θ₀, then the end point of each stage
    path: np.ndarray             # (steps + 1, d): every iterate of every stage, in order
    stage_of_step: np.ndarray    # (steps + 1,): the stage each row of ``path`` belongs to
    theta: np.ndarray            # the final point
    loss: float                  # J(θ) of the target objective at the final point
    ngev: int                    # gradient evaluations of the blurred objectives
    nfev: int                    # loss evaluations of the blurred objectives
    ngev_target: int             # gradients of J itself they cost (Monte Carlo: × samples)
    traces: list = field(repr=False, default_factory=list)


def _schedule(sigmas) -> np.ndarray:
    sigmas = as_vector("sigmas", sigmas)
    if sigmas.size == 0:
        raise ValueError("sigmas must hold at least one σ")
    if np.any(sigmas < 0) or not np.all(np.isfinite(sigmas)):
        raise ValueError(f"sigmas must be finite and >= 0, got {sigmas}")
    if np.any(np.diff(sigmas) >= 0):
        raise ValueError(f"sigmas must decrease strictly (σ₀ > σ₁ > … ≥ 0), got {sigmas}")
    return sigmas


def continuation(objective, sigmas, theta0, optimizer, steps_per_stage,
                 smooth: Callable = gaussian_smoothing, tol: float | None = None,
                 **smoothing) -> ContinuationResult:
    """Minimize J blurred by each σ of ``sigmas`` in turn, each stage from the last one's end.

    - ``optimizer``: any course optimizer (a fresh state per stage: ``minimize`` inits it);
    - ``steps_per_stage``: one step budget for every stage, or one per stage;
    - ``smooth(objective, σ, **smoothing)`` builds J_σ (default: exact where J allows it,
      else Monte Carlo; σ = 0 is J itself); ``tol`` ends a stage early once ‖∇J_σ‖∞ ≤ tol.
    """
    sigmas = _schedule(sigmas)
    theta = as_vector("theta0", theta0, objective.dim)
    steps = np.broadcast_to(np.asarray(steps_per_stage), sigmas.shape)
    steps = [check_int("steps_per_stage", int(s) if float(s).is_integer() else s)
             for s in steps]
    if tol is not None:
        tol = check_positive("tol", tol, allow_zero=True)
    stage_thetas, paths, stages, traces = [theta], [theta[None, :]], [np.zeros(1, int)], []
    ngev = nfev = target = 0
    for i, (sigma, m) in enumerate(zip(sigmas, steps, strict=True)):
        J_i = smooth(objective, float(sigma), **smoothing) if sigma > 0 else objective
        trace = minimize(J_i, optimizer, theta, m, tol=tol, warn=False)
        theta = trace.theta.copy()                   # the next stage starts here
        traces.append(trace)
        stage_thetas.append(theta)
        paths.append(trace.thetas[1:])
        stages.append(np.full(trace.n_steps, i))
        ngev, nfev = ngev + trace.ngev, nfev + trace.nfev
        target += trace.ngev * getattr(J_i, "n_samples", 1)
    return ContinuationResult(sigmas=sigmas, stage_thetas=np.array(stage_thetas),
                              path=np.vstack(paths), stage_of_step=np.concatenate(stages),
                              theta=theta, loss=float(objective.loss(theta)), ngev=ngev,
                              nfev=nfev, ngev_target=target, traces=traces)


def linear_sigmas(sigma0: float, n_stages: int) -> np.ndarray:
    """σᵢ = σ₀(1 − i/(n − 1)), i = 0 … n − 1: equal decrements down to σ = 0."""
    sigma0 = check_positive("sigma0", sigma0)
    n = check_int("n_stages", n_stages, minimum=2)
    return sigma0 * (1.0 - np.arange(n) / (n - 1))


def geometric_sigmas(sigma0: float, n_stages: int, sigma_min: float | None = None) -> np.ndarray:
    """σ₀, σ₀q, σ₀q², …, σ_min (n − 1 values, q constant), then a last stage at σ = 0.

    ``sigma_min`` defaults to σ₀/10; with two stages the schedule is (σ₀, 0)."""
    sigma0 = check_positive("sigma0", sigma0)
    n = check_int("n_stages", n_stages, minimum=2)
    sigma_min = sigma0 / 10 if sigma_min is None else check_positive("sigma_min", sigma_min)
    if sigma_min >= sigma0:
        raise ValueError(f"sigma_min must be < sigma0 = {sigma0:g}, got {sigma_min:g}")
    if n == 2:
        return np.array([sigma0, 0.0])
    return np.append(sigma0 * (sigma_min / sigma0) ** (np.arange(n - 1) / (n - 2)), 0.0)
