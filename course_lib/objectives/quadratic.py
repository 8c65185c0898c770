"""The quadratic bowl J(θ) = ½ (θ − θ*)ᵀ A (θ − θ*), with chosen eigenvalues and rotation.

Its Hessian is A everywhere, so its eigenvalues λ₁ ≥ … ≥ λₙ and condition number
κ = λ₁/λₙ say exactly how hard gradient descent finds it (section 8.2.1).
"""

from __future__ import annotations

import numpy as np

from ..validation import as_vector, check_positive, check_real
from .base import Objective


def rotation_2d(angle: float) -> np.ndarray:
    """The 2 × 2 rotation by ``angle`` radians."""
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


class Quadratic(Objective):
    """J(θ) = ½ (θ − θ*)ᵀ A (θ − θ*) with A = Q diag(λ) Qᵀ.

    - ``eigenvalues``: the λᵢ (any real numbers: negative ones make a saddle).
    - ``angle`` (2-D only): rotate the eigenvectors by this many radians.
    - ``Q``: your own orthogonal matrix of eigenvectors instead (n-D).
    - ``center``: θ*, the critical point (default 0).
    """

    def __init__(self, eigenvalues=(1.0, 10.0), angle: float = 0.0, Q=None, center=None,
                 name: str | None = None):
        lam = as_vector("eigenvalues", eigenvalues)
        if lam.size == 0:
            raise ValueError("eigenvalues must hold at least one number, got []")
        self.dim = lam.size
        angle = check_real("angle", angle)
        if Q is None:
            if angle != 0.0 and self.dim != 2:
                raise ValueError(f"angle only applies in 2-D; got {self.dim} eigenvalues "
                                 "(pass Q for an n-D rotation)")
            Q = rotation_2d(angle) if self.dim == 2 else np.eye(self.dim)
        Q = np.array(Q, dtype=float)
        if Q.shape != (self.dim, self.dim):
            raise ValueError(f"Q has shape {Q.shape}, but eigenvalues need "
                             f"({self.dim}, {self.dim})")
        if not np.allclose(Q.T @ Q, np.eye(self.dim), atol=1e-8):
            raise ValueError("Q must be orthogonal (Qᵀ Q = I)")
        self.eigenvalues, self.Q, self.angle = lam, Q, angle
        self.A = Q @ np.diag(lam) @ Q.T
        self.center = np.zeros(self.dim) if center is None else as_vector("center", center,
                                                                          self.dim)
        self.name = name or f"quadratic, eigenvalues {', '.join(f'{x:g}' for x in lam)}"

    @classmethod
    def with_condition(cls, kappa: float, lam_min: float = 1.0, angle: float = 0.0,
                       center=None) -> Quadratic:
        """A 2-D bowl with eigenvalues (λ_min, κ·λ_min): condition number κ."""
        kappa = check_positive("kappa", kappa)
        if kappa < 1:
            raise ValueError(f"kappa must be >= 1, got {kappa:g}")
        lam_min = check_positive("lam_min", lam_min)
        return cls((lam_min, kappa * lam_min), angle=angle, center=center,
                   name=f"quadratic, κ = {kappa:g}")

    # --- the contract -------------------------------------------------------------------
    def loss(self, theta, batch=None) -> float:
        d = as_vector("theta", theta, self.dim) - self.center
        return float(0.5 * d @ self.A @ d)

    def grad(self, theta, batch=None) -> np.ndarray:
        return self.A @ (as_vector("theta", theta, self.dim) - self.center)

    def hessian(self, theta, batch=None) -> np.ndarray:
        as_vector("theta", theta, self.dim)
        return self.A.copy()

    def hvp(self, theta, v, batch=None) -> np.ndarray:
        as_vector("theta", theta, self.dim)
        return self.A @ as_vector("v", v, self.dim)

    def loss_grid(self, X, Y) -> np.ndarray:
        """J at every point of a 2-D meshgrid: ``Z[i, j] = J(X[i, j], Y[i, j])``, no loop."""
        if self.dim != 2:
            raise ValueError(f"loss_grid needs a 2-D quadratic, this one has dim = {self.dim}")
        X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
        if X.shape != Y.shape:
            raise ValueError(f"X and Y must have the same shape, got {X.shape} and {Y.shape}")
        dx, dy = X - self.center[0], Y - self.center[1]
        (a, b), (_, c) = self.A
        # ½ dᵀ A d written out, with A symmetric: ½ (a dx² + 2 b dx dy + c dy²).
        return 0.5 * (a * dx ** 2 + 2 * b * dx * dy + c * dy ** 2)

    # --- what the theory knows ----------------------------------------------------------
    @property
    def lam_max(self) -> float:
        return float(np.max(self.eigenvalues))

    @property
    def lam_min(self) -> float:
        return float(np.min(self.eigenvalues))

    @property
    def condition_number(self) -> float:
        """κ = λ_max / λ_min (for a positive definite A)."""
        return self.lam_max / self.lam_min

    @property
    def minima(self) -> np.ndarray:
        """The minimizer θ* as one row, or no rows when A is not positive definite."""
        if self.lam_min > 0:
            return self.center[None, :].copy()
        return np.empty((0, self.dim))

    @property
    def min_value(self) -> float:
        """0 at θ* when A is positive semidefinite; −∞ (unbounded below) otherwise."""
        return 0.0 if self.lam_min >= 0 else float("-inf")

    @property
    def box(self) -> tuple[float, float, float, float]:
        """A plotting box (xmin, xmax, ymin, ymax) around θ*."""
        cx, cy = self.center[:2] if self.dim >= 2 else (self.center[0], 0.0)
        return (cx - 3.0, cx + 3.0, cy - 3.0, cy + 3.0)

    def gd_rate(self, lr: float) -> float:
        """Per-step contraction of ‖θ − θ*‖ under gradient descent with rate ε.

        Each eigen-component is multiplied by (1 − ελᵢ), so the slowest one sets the
        rate max |1 − ελᵢ|; it is < 1 exactly when 0 < ε < 2/λ_max.
        """
        lr = check_positive("lr", lr)
        return float(np.max(np.abs(1 - lr * self.eigenvalues)))

    @property
    def best_gd_lr(self) -> float:
        """ε = 2/(λ_max + λ_min), the rate that minimizes ``gd_rate``."""
        return 2.0 / (self.lam_max + self.lam_min)

    @property
    def best_gd_rate(self) -> float:
        """(κ − 1)/(κ + 1): the contraction at the best constant ε."""
        kappa = self.condition_number
        return (kappa - 1) / (kappa + 1)
