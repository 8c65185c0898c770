"""J_σ(θ) = E[J(θ + σz)], z ~ N(0, I), by seeded Monte Carlo, for objectives without a closed form.

The samples z₁, …, z_n are drawn once, from ``seed``, and reused at every θ (common random
numbers): the estimate is then a smooth, deterministic function of θ that an optimizer can
minimize, and two points are compared on the same noise. Two ways to cut the variance:

- ``"antithetic"``: the samples come in pairs z, −z. The pair mean ½(J(θ + σz) + J(θ − σz))
  has no odd-order Taylor terms, so for a J that is nearly linear on the scale σ the error
  almost vanishes;
- ``"control"``: a control variate. The noise z itself has a known mean, 0, so
  J(θ + σz) − βᵀz has the same mean as J(θ + σz) for any β. The β that removes the most
  variance is the least-squares slope of the samples on z (fitted on the same samples): the
  estimate is the intercept of that linear fit, and what the fit explains (the part of J
  that is linear on the scale σ) no longer adds noise;
- ``"plain"``: neither, for comparison.

``estimate(θ)`` returns (value, standard error); ``loss`` the value alone; ``grad`` averages
∇J(θ + σz) over the same samples, an unbiased estimate of ∇J_σ(θ) (the exact gradient of
the plain and antithetic estimates).
"""

from __future__ import annotations

import numpy as np

from ..objectives.base import Objective
from ..validation import as_vector, check_int, check_positive

METHODS = ("antithetic", "control", "plain")


class MonteCarloSmoothed(Objective):
    """A Monte Carlo estimate of J_σ with ``n_samples`` fixed samples (see the module doc)."""

    def __init__(self, objective, sigma: float, n_samples: int = 64, seed=0,
                 method: str = "antithetic"):
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        self.objective = objective
        self.dim = objective.dim
        self.sigma = check_positive("sigma", sigma)
        self.n_samples = check_int("n_samples", n_samples, minimum=2)
        if method == "antithetic" and self.n_samples % 2:
            raise ValueError(f"n_samples must be even for antithetic pairs, got {n_samples}")
        self.method = method
        rng = np.random.default_rng(seed)
        if method == "antithetic":
            half = rng.standard_normal((self.n_samples // 2, self.dim))
            self.z = np.vstack([half, -half])            # row i and row i + n/2 are a pair
        else:
            self.z = rng.standard_normal((self.n_samples, self.dim))
        self.name = f"{getattr(objective, 'name', 'J')} blurred (σ = {self.sigma:g}, " \
                    f"{self.n_samples} {method} samples)"
        self.n_examples = None

    def estimate(self, theta) -> tuple[float, float]:
        """(Ĵ_σ(θ), its standard error: the spread of the independent draws over √(draws))."""
        theta = as_vector("theta", theta, self.dim)
        values = np.array([self.objective.loss(p) for p in theta + self.sigma * self.z])
        if self.method == "antithetic":
            half = self.n_samples // 2
            pairs = 0.5 * (values[:half] + values[half:])    # the pair means are independent
            return float(pairs.mean()), float(pairs.std(ddof=1) / np.sqrt(half))
        if self.method == "control":
            # J(θ + σz) ≈ J_σ + βᵀz: the intercept is the estimate (E[z] = 0 exactly).
            design = np.hstack([np.ones((self.n_samples, 1)), self.z])
            coef, *_ = np.linalg.lstsq(design, values, rcond=None)
            residuals = values - design @ coef
            dof = self.n_samples - design.shape[1]
            if dof < 1:
                raise ValueError(f"n_samples must exceed dim + 1 = {self.dim + 1} for the "
                                 f"control variate, got {self.n_samples}")
            spread = np.sqrt(residuals @ residuals / dof)
            return float(coef[0]), float(spread / np.sqrt(self.n_samples))
        return float(values.mean()), float(values.std(ddof=1) / np.sqrt(self.n_samples))

    def loss(self, theta, batch=None) -> float:
        return self.estimate(theta)[0]

    def grad(self, theta, batch=None) -> np.ndarray:
        theta = as_vector("theta", theta, self.dim)
        points = theta + self.sigma * self.z
        return np.mean([self.objective.grad(p) for p in points], axis=0)
