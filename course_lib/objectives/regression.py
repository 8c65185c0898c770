"""Empirical risk of linear models: linear and logistic regression (section 8.1).

A model f(x; θ) and a per-example loss L give the empirical risk
J(θ) = (1/m) Σᵢ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾) (eq. 8.2), the quantity training actually minimizes.
Here ``batch`` is an array of example indices: loss, gradient and Hessian are then the
averages over that minibatch, the estimates SGD uses (Algorithm 8.1); ``batch=None``
means the whole training set. An optional weight decay adds ½ λ ‖θ‖² (``l2`` = λ) once,
not per example.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_vector, check_positive
from .base import Objective


def add_bias(X) -> np.ndarray:
    """X with a last column of ones, so that the last entry of θ acts as the bias."""
    X = _as_matrix("X", X)
    return np.hstack([X, np.ones((X.shape[0], 1))])


def _as_matrix(name: str, value) -> np.ndarray:
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be an array of numbers, got {value!r}") from err
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (examples × features), "
                         f"got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers only")
    return array


def _sigmoid(z):
    # 1/(1 + e^{-z}) written with tanh, which never overflows for large |z|.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class EmpiricalRisk(Objective):
    """A training set (X, y) of m examples, and the minibatches drawn from it.

    ``X`` has one example per row, ``y`` one target per example (a 1-D array of length m,
    or for several outputs an (m, k) array). Subclasses define the per-example loss.
    """

    def __init__(self, X, y, *, labels: bool = False, allow_2d_y: bool = False):
        X = _as_matrix("X", X)
        y = np.array(y, dtype=float)
        if y.ndim not in ((1, 2) if allow_2d_y else (1,)) or y.shape[0] != X.shape[0]:
            raise ValueError(f"y must have one target per row of X: X has shape {X.shape}, "
                             f"y has shape {y.shape}")
        if not np.all(np.isfinite(y)):
            raise ValueError("y must hold finite numbers only")
        if labels and not np.all((y == 0) | (y == 1)):
            raise ValueError(f"y must hold labels 0 or 1 only, got values {np.unique(y)[:5]}")
        if X.shape[0] == 0:
            raise ValueError("X must hold at least one example, got 0 rows")
        self.X, self.y = X, y
        self.n_examples = X.shape[0]

    def _rows(self, batch) -> tuple[np.ndarray, np.ndarray]:
        """The minibatch (X_B, y_B); ``batch`` is None (all examples) or an index array."""
        if batch is None:
            return self.X, self.y
        index = np.asarray(batch)
        if index.ndim != 1 or index.size == 0 or not np.issubdtype(index.dtype, np.integer):
            raise ValueError("batch must be None or a non-empty 1-D array of example indices, "
                             f"got {batch!r}")
        m = self.n_examples
        if index.min() < 0 or index.max() >= m:
            raise ValueError(f"batch indices must be in [0, {m - 1}] (m = {m}), "
                             f"got values from {index.min()} to {index.max()}")
        return self.X[index], self.y[index]


class LinearRegression(EmpiricalRisk):
    """J(θ) = (1/m) Σᵢ ½ (x⁽ⁱ⁾ᵀθ − y⁽ⁱ⁾)² + ½ λ ‖θ‖²: least squares as empirical risk.

    The gradient is (1/m) Xᵀ(Xθ − y) + λθ and the Hessian (1/m) XᵀX + λI does not depend
    on θ: J is a quadratic bowl whose shape is set by the data (section 8.2.1).
    Append a column of ones (``add_bias``) for an intercept.
    """

    def __init__(self, X, y, l2: float = 0.0):
        super().__init__(X, y)
        self.l2 = check_positive("l2", l2, allow_zero=True)
        self.dim = self.X.shape[1]
        self.name = "linear regression" + (f", l2 = {self.l2:g}" if self.l2 else "")

    def loss(self, theta, batch=None) -> float:
        theta = as_vector("theta", theta, self.dim)
        X, y = self._rows(batch)
        residual = X @ theta - y
        return float(0.5 * np.mean(residual ** 2) + 0.5 * self.l2 * theta @ theta)

    def grad(self, theta, batch=None) -> np.ndarray:
        theta = as_vector("theta", theta, self.dim)
        X, y = self._rows(batch)
        return X.T @ (X @ theta - y) / len(y) + self.l2 * theta

    def hessian(self, theta, batch=None) -> np.ndarray:
        as_vector("theta", theta, self.dim)
        X, _ = self._rows(batch)
        return X.T @ X / len(X) + self.l2 * np.eye(self.dim)

    def solution(self) -> np.ndarray:
        """The minimizer on the whole training set, from the normal equations.

        (XᵀX/m + λI) θ = Xᵀy/m; without weight decay ``np.linalg.lstsq`` solves it, which
        also gives the minimum-norm answer when XᵀX is singular.
        """
        m = self.n_examples
        if self.l2 == 0:
            return np.linalg.lstsq(self.X, self.y, rcond=None)[0]
        A = self.X.T @ self.X / m + self.l2 * np.eye(self.dim)
        return np.linalg.solve(A, self.X.T @ self.y / m)

    @property
    def minima(self) -> np.ndarray:
        """The minimizer as one row (it is unique when XᵀX/m + λI is invertible)."""
        return self.solution()[None, :]

    @property
    def min_value(self) -> float:
        """min J on the whole training set: the training error of the best θ."""
        return self.loss(self.solution())


class LogisticRegression(EmpiricalRisk):
    """Mean negative log-likelihood of a logistic model, labels y ∈ {0, 1}.

    With z = xᵀθ and p(y = 1 | x) = σ(z), one example costs
    L = −log p(y | x) = log(1 + eᶻ) − y z, computed as ``np.logaddexp(0, z) − y z`` so that
    it never overflows. This is the smooth *surrogate* that training minimizes in place of
    the 0-1 loss (section 8.1.2); ``zero_one_loss`` and ``hinge_loss`` give the other two
    for comparison. Gradient: (1/m) Xᵀ(σ(z) − y) + λθ; Hessian:
    (1/m) Xᵀ diag(σ(z)(1 − σ(z))) X + λI.
    """

    def __init__(self, X, y, l2: float = 0.0):
        super().__init__(X, y, labels=True)
        self.l2 = check_positive("l2", l2, allow_zero=True)
        self.dim = self.X.shape[1]
        self.name = "logistic regression" + (f", l2 = {self.l2:g}" if self.l2 else "")

    def loss(self, theta, batch=None) -> float:
        theta = as_vector("theta", theta, self.dim)
        X, y = self._rows(batch)
        z = X @ theta
        return float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * self.l2 * theta @ theta)

    def grad(self, theta, batch=None) -> np.ndarray:
        theta = as_vector("theta", theta, self.dim)
        X, y = self._rows(batch)
        return X.T @ (_sigmoid(X @ theta) - y) / len(y) + self.l2 * theta

    def hessian(self, theta, batch=None) -> np.ndarray:
        theta = as_vector("theta", theta, self.dim)
        X, _ = self._rows(batch)
        p = _sigmoid(X @ theta)
        return (X.T * (p * (1 - p))) @ X / len(X) + self.l2 * np.eye(self.dim)

    def predict_proba(self, theta, X=None) -> np.ndarray:
        """p(y = 1 | x) = σ(xᵀθ) for every row of X (default: the training inputs)."""
        theta = as_vector("theta", theta, self.dim)
        X = self.X if X is None else _as_matrix("X", X)
        if X.shape[1] != self.dim:
            raise ValueError(f"X has shape {X.shape}, but theta has shape {theta.shape}")
        return _sigmoid(X @ theta)

    def zero_one_loss(self, theta, batch=None) -> float:
        """The fraction of misclassified examples, predicting 1 when xᵀθ > 0 (no weight decay).

        The loss we care about, but its gradient is zero almost everywhere: useless to a
        gradient method, hence the surrogate.
        """
        theta = as_vector("theta", theta, self.dim)
        X, y = self._rows(batch)
        return float(np.mean((X @ theta > 0) != (y == 1)))

    def hinge_loss(self, theta, batch=None) -> float:
        """Mean of max(0, 1 − ỹ xᵀθ) with ỹ = 2y − 1 ∈ {−1, +1} (no weight decay).

        Another convex surrogate, an upper bound on the 0-1 loss like the log-loss in base 2.
        """
        theta = as_vector("theta", theta, self.dim)
        X, y = self._rows(batch)
        return float(np.mean(np.maximum(0.0, 1.0 - (2 * y - 1) * (X @ theta))))
