"""J(θ) = gᵀθ: a plane, whose gradient is the same vector g everywhere.

The endless slope on which momentum reaches its terminal velocity (eq. 8.17) and adaptive
methods show their step sizes under a steady gradient. It has no minimum: runs on it are
about step sizes, never about convergence.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_vector
from .base import Objective


class ConstantSlope(Objective):
    """J(θ) = gᵀθ for a fixed vector ``g``: ∇J = g and H = 0 everywhere."""

    def __init__(self, g, name: str = "constant slope"):
        self.g = as_vector("g", g)
        self.g.setflags(write=False)
        self.dim = self.g.size
        self.name = name

    def loss(self, theta, batch=None) -> float:
        return float(self.g @ as_vector("theta", theta, self.dim))

    def grad(self, theta, batch=None) -> np.ndarray:
        as_vector("theta", theta, self.dim)
        return self.g.copy()

    def hessian(self, theta, batch=None) -> np.ndarray:
        as_vector("theta", theta, self.dim)
        return np.zeros((self.dim, self.dim))
