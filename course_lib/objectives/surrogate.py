"""Surrogate losses of the margin, and a linear classifier trained with any of them (8.1.2).

A binary classifier f(x) = xᵀθ predicts the label ỹ = sign f(x), with ỹ = 2y − 1 ∈ {−1, +1}.
Every loss below is a function of the margin z = ỹ f(x) alone (z > 0: right side):

==========  =====================  ===========================
name        L(z)                   dL/dz
==========  =====================  ===========================
zero_one    1 if z ≤ 0 else 0      0 (wherever it exists)
logistic    log(1 + e^{−z})        −1 / (1 + e^{z})
hinge       max(0, 1 − z)          −1 if z < 1 else 0
squared     (1 − z)²               −2 (1 − z)
==========  =====================  ===========================

The 0-1 loss is what we care about, but its derivative is zero almost everywhere: a
gradient method cannot use it. The others are surrogates. ``logistic`` is the negative
log-likelihood of p(y = 1 | x) = σ(xᵀθ), the loss of ``LogisticRegression`` (in base 2 it
is an upper bound on the 0-1 loss, as the hinge and the squared loss are). They differ
once an example is classified right: the logistic loss still rewards a larger margin, the
hinge loss stops caring at z = 1, the squared loss *punishes* margins above 1.
"""

from __future__ import annotations

import numpy as np

from ..run import minimize
from ..validation import as_vector
from .regression import LogisticRegression, _sigmoid


def _zero_one(z):
    return (z <= 0).astype(float), np.zeros_like(z)


def _logistic(z):
    # log(1 + e^{−z}) without overflow; its slope −σ(−z) written with tanh.
    return np.logaddexp(0.0, -z), -_sigmoid(-z)


def _hinge(z):
    return np.maximum(0.0, 1.0 - z), -(z < 1.0).astype(float)


def _squared(z):
    return (1.0 - z) ** 2, -2.0 * (1.0 - z)


MARGIN_LOSSES = {"zero_one": _zero_one, "logistic": _logistic, "hinge": _hinge,
                 "squared": _squared}


def _loss_fn(name: str):
    if name not in MARGIN_LOSSES:
        raise ValueError(f"surrogate must be one of {list(MARGIN_LOSSES)}, got {name!r}")
    return MARGIN_LOSSES[name]


def margin_loss(name: str, z) -> np.ndarray:
    """L(z) of the loss ``name`` (table in the module doc), element-wise."""
    return _loss_fn(name)(np.asarray(z, dtype=float))[0]


def margin_loss_derivative(name: str, z) -> np.ndarray:
    """dL/dz of the loss ``name``, element-wise (0-1: zero; hinge at z = 1: the left slope
    is not used, the right one, 0, is)."""
    return _loss_fn(name)(np.asarray(z, dtype=float))[1]


class LinearClassifier(LogisticRegression):
    """J(θ) = (1/m) Σᵢ L(ỹ⁽ⁱ⁾ x⁽ⁱ⁾ᵀθ) + ½ λ ‖θ‖² for a margin loss L chosen by name.

    Labels y ∈ {0, 1} as for ``LogisticRegression``, whose ``zero_one_loss``,
    ``hinge_loss`` and, for ``surrogate="logistic"``, loss, gradient and Hessian it uses
    unchanged. Gradient: (1/m) Xᵀ(ỹ ⊙ L′(z)) + λθ; Hessian for ``squared``:
    (2/m) XᵀX + λI. The hinge loss is piecewise linear: no Hessian.
    """

    def __init__(self, X, y, surrogate: str = "logistic", l2: float = 0.0):
        _loss_fn(surrogate)
        super().__init__(X, y, l2=l2)
        self.surrogate = surrogate
        self.signs = 2.0 * self.y - 1.0                     # ỹ = 2y − 1
        self.name = f"linear classifier, {surrogate} loss" + (f", l2 = {self.l2:g}"
                                                               if self.l2 else "")

    def _signed_rows(self, batch):
        X, _ = self._rows(batch)
        signs = self.signs if batch is None else self.signs[np.asarray(batch)]
        return X, signs

    def margins(self, theta, batch=None) -> np.ndarray:
        """z⁽ⁱ⁾ = ỹ⁽ⁱ⁾ x⁽ⁱ⁾ᵀθ for every example of the batch (default: all of them)."""
        theta = as_vector("theta", theta, self.dim)
        X, signs = self._signed_rows(batch)
        return signs * (X @ theta)

    def loss(self, theta, batch=None) -> float:
        if self.surrogate == "logistic":
            return super().loss(theta, batch)
        theta = as_vector("theta", theta, self.dim)
        value, _ = MARGIN_LOSSES[self.surrogate](self.margins(theta, batch))
        return float(np.mean(value) + 0.5 * self.l2 * theta @ theta)

    def grad(self, theta, batch=None) -> np.ndarray:
        if self.surrogate == "logistic":
            return super().grad(theta, batch)
        theta = as_vector("theta", theta, self.dim)
        X, signs = self._signed_rows(batch)
        _, slope = MARGIN_LOSSES[self.surrogate](signs * (X @ theta))
        return X.T @ (signs * slope) / len(X) + self.l2 * theta    # chain rule: dz/dθ = ỹx

    def hessian(self, theta, batch=None) -> np.ndarray:
        if self.surrogate == "logistic":
            return super().hessian(theta, batch)
        theta = as_vector("theta", theta, self.dim)
        X, _ = self._rows(batch)
        if self.surrogate == "squared":
            return 2.0 * X.T @ X / len(X) + self.l2 * np.eye(self.dim)
        if self.surrogate == "zero_one":
            return self.l2 * np.eye(self.dim)
        raise NotImplementedError("the hinge loss is piecewise linear: its Hessian is zero "
                                  "or undefined")

    def error_rate(self, theta, X=None, y=None) -> float:
        """The 0-1 loss on other examples (X, y) (default: the training set)."""
        if X is None:
            return self.zero_one_loss(theta)
        theta = as_vector("theta", theta, self.dim)
        X = np.asarray(X, dtype=float)
        return float(np.mean((X @ theta > 0) != (np.asarray(y) == 1)))


def train_classifier(X, y, surrogate: str, optimizer, steps: int, X_test=None, y_test=None,
                     l2: float = 0.0, theta0=None, batch_size: int | None = None,
                     rng=0) -> dict:
    """Train a ``LinearClassifier`` with ``surrogate`` by ``run.minimize`` from θ₀ (default 0).

    Returns the ``trace``, and per step (row 0 is θ₀): the ``surrogate`` loss, the 0-1 error
    on the training set (``train_error``) and on (X_test, y_test) (``test_error``, if given),
    the smallest training margin ``min_margin`` and ‖θ‖ (``norm``).
    """
    objective = LinearClassifier(X, y, surrogate=surrogate, l2=l2)
    theta0 = np.zeros(objective.dim) if theta0 is None else as_vector("theta0", theta0,
                                                                      objective.dim)
    trace = minimize(objective, optimizer, theta0, steps, batch_size=batch_size, rng=rng,
                     warn=False)
    scores = objective.X @ trace.thetas.T                       # (m, steps + 1)
    result = {"objective": objective, "trace": trace, "surrogate": trace.losses,
              "train_error": np.mean((scores > 0) != (objective.y[:, None] == 1), axis=0),
              "min_margin": np.min(objective.signs[:, None] * scores, axis=0),
              "norm": np.linalg.norm(trace.thetas, axis=1)}
    if X_test is not None:
        test_scores = np.asarray(X_test, dtype=float) @ trace.thetas.T
        result["test_error"] = np.mean((test_scores > 0) != (np.asarray(y_test)[:, None] == 1),
                                       axis=0)
    return result
