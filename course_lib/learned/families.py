"""Families of problems to learn an optimizer on, and to test it on: batches of quadratics.

A ``QuadraticBatch`` holds B problems J_b(θ) = ½ (θ − θ*_b)ᵀ A_b (θ − θ*_b) + J*_b of one
dimension n, with their starts θ₀_b, as arrays, so that a rule can run on all of them (and
for many parameter vectors φ at once) in a few numpy operations. ``objective(b)`` gives
problem b as a course ``Quadratic`` (its excess loss), for ``minimize`` and every optimizer.

- ``random_quadratics``: the training family: random rotations, eigenvalues spread
  log-uniformly over a range, and an overall scale drawn over several orders of magnitude
  (so that no single learning rate suits every problem).
- ``small_regressions``: least squares on random data, ½m ‖Xw − y‖² with m examples of n
  features, whose curvatures follow the data (correlated features give a wide spectrum);
  still quadratics, but not from the family the rule was trained on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..objectives import Quadratic
from ..objectives.base import Objective
from ..validation import check_int, check_positive


@dataclass(frozen=True, eq=False)
class QuadraticBatch:
    """B quadratics of dimension n: ``A`` (B, n, n), ``center`` θ* (B, n), ``theta0`` (B, n),
    ``min_value`` J* (B,), and the family's ``name``."""

    A: np.ndarray
    center: np.ndarray
    theta0: np.ndarray
    min_value: np.ndarray
    name: str

    @property
    def size(self) -> int:
        return self.A.shape[0]

    @property
    def dim(self) -> int:
        return self.A.shape[1]

    def grad(self, Theta) -> np.ndarray:
        """∇J_b at Θ[..., b, :] for every problem b (any leading axes)."""
        return np.einsum("bij,...bj->...bi", self.A, Theta - self.center)

    def excess(self, Theta) -> np.ndarray:
        """J_b(θ) − J*_b at Θ[..., b, :]."""
        D = Theta - self.center
        return 0.5 * np.einsum("...bi,bij,...bj->...b", D, self.A, D)

    def stacked(self) -> Objective:
        """All B problems as one ``Objective`` of dimension B·n (block-diagonal): a
        coordinate-wise optimizer (SGD, momentum, Adam...) run on it makes exactly the B
        runs it would make on the problems one by one, in one ``minimize`` call."""
        return _Stacked(self)

    def objective(self, b: int) -> Quadratic:
        """Problem b as a course ``Quadratic`` whose loss is the excess J_b − J*_b (the
        constant J*_b changes no step of any optimizer)."""
        lam, Q = np.linalg.eigh(self.A[b])
        return Quadratic(lam, Q=Q, center=self.center[b], name=f"{self.name} #{b}")


class _Stacked(Objective):
    """A ``QuadraticBatch`` as one block-diagonal objective (see ``QuadraticBatch.stacked``)."""

    def __init__(self, batch: QuadraticBatch):
        self.batch, self.dim = batch, batch.size * batch.dim
        self.name = f"{batch.name} (stacked, {batch.size} problems)"

    def split(self, theta) -> np.ndarray:
        return np.asarray(theta, dtype=float).reshape(self.batch.size, self.batch.dim)

    def loss(self, theta, batch=None) -> float:
        return float(self.batch.excess(self.split(theta)).sum())

    def grad(self, theta, batch=None) -> np.ndarray:
        return self.batch.grad(self.split(theta)).ravel()


def _rotations(rng, size: int, dim: int) -> np.ndarray:
    Q, R = np.linalg.qr(rng.standard_normal((size, dim, dim)))
    return Q * np.sign(np.diagonal(R, axis1=1, axis2=2))[:, None, :]   # uniformly random


def random_quadratics(size: int = 16, dim: int = 8, seed: int = 0, lam_range=(0.1, 10.0),
                      scale_range=(0.01, 10.0), rotate: bool = True) -> QuadraticBatch:
    """``size`` random quadratics: eigenvalues log-uniform over ``lam_range`` times one
    scale per problem, log-uniform over ``scale_range``; random rotation (or none);
    θ* ~ N(0, I) and θ₀ = θ* + a random direction of length √n."""
    size, dim = check_int("size", size, minimum=1), check_int("dim", dim, minimum=1)
    for name, (low, high) in (("lam_range", lam_range), ("scale_range", scale_range)):
        if not 0 < check_positive(name, low) <= high:
            raise ValueError(f"{name} must be (low, high) with 0 < low <= high, "
                             f"got {(low, high)}")
    rng = np.random.default_rng(seed)
    scale = np.exp(rng.uniform(*np.log(scale_range), size=size))
    lam = np.exp(rng.uniform(*np.log(lam_range), size=(size, dim))) * scale[:, None]
    Q = _rotations(rng, size, dim) if rotate else np.broadcast_to(np.eye(dim),
                                                                   (size, dim, dim))
    A = np.einsum("bij,bj,bkj->bik", Q, lam, Q)
    center = rng.standard_normal((size, dim))
    direction = rng.standard_normal((size, dim))
    direction *= np.sqrt(dim) / np.linalg.norm(direction, axis=1, keepdims=True)
    label = "random quadratics" + ("" if rotate else " (axis-aligned)")
    return QuadraticBatch(A, center, center + direction, np.zeros(size), label)


def small_regressions(size: int = 16, dim: int = 8, examples: int = 40, seed: int = 0,
                      correlation: float = 0.9, noise: float = 0.1) -> QuadraticBatch:
    """``size`` least-squares problems J(w) = (1/2m) ‖Xw − y‖², m = ``examples``.

    Rows of X are N(0, C) with C_ij = ``correlation``^|i−j| (neighbouring features
    correlated, as in real data), y = X w_true + ``noise`` · ξ; the minimizer is the
    least-squares fit and J* > 0 its residual. Starts at w = 0.
    """
    size, dim = check_int("size", size, minimum=1), check_int("dim", dim, minimum=1)
    examples = check_int("examples", examples, minimum=dim)
    rng = np.random.default_rng(seed)
    C = correlation ** np.abs(np.subtract.outer(np.arange(dim), np.arange(dim)))
    L = np.linalg.cholesky(C)
    X = rng.standard_normal((size, examples, dim)) @ L.T
    w_true = rng.standard_normal((size, dim))
    y = np.einsum("bmi,bi->bm", X, w_true) + noise * rng.standard_normal((size, examples))
    A = np.einsum("bmi,bmj->bij", X, X) / examples
    center = np.linalg.solve(A, np.einsum("bmi,bm->bi", X, y)[..., None] / examples)[..., 0]
    residual = y - np.einsum("bmi,bi->bm", X, center)
    min_value = 0.5 * np.mean(residual ** 2, axis=1)
    return QuadraticBatch(A, center, np.zeros((size, dim)), min_value, "small regressions")
