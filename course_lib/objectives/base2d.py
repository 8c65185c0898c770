"""``Function2D``: the base of the course's 2-D landscapes, small enough to draw.

Every function gives its exact ``loss``, ``grad`` and ``hessian`` (written out by hand), its
known ``minima`` (one row per point), ``min_value`` and a plotting ``box`` (xmin, xmax, ymin,
ymax). ``loss_grid(X, Y)`` evaluates J on a whole meshgrid at once, for contour plots.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_vector
from .base import Objective


def _grid(name_x: str, X, name_y: str, Y) -> tuple[np.ndarray, np.ndarray]:
    """Two float arrays of the same shape (e.g. from ``np.meshgrid``)."""
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    if X.shape != Y.shape:
        raise ValueError(f"{name_x} and {name_y} must have the same shape, "
                         f"got {X.shape} and {Y.shape}")
    return X, Y


def _points(rows) -> np.ndarray:
    """A read-only (k, 2) array: the stored minima are shared by every instance."""
    array = np.array(rows, dtype=float).reshape(-1, 2)
    array.setflags(write=False)
    return array


def _sigmoid(z):
    # 1/(1 + e^{-z}) written with tanh, which never overflows for large |z|.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class Function2D(Objective):
    """A plain function J(x, y) of θ = (x, y): ``n_examples`` is None, there is no batch.

    A subclass writes three element-wise formulas, ``_value(x, y)``, ``_gradient(x, y)``
    and ``_hess(x, y)``, that work on numbers and on arrays alike; this class turns them
    into the ``Objective`` contract and into ``loss_grid``.
    """

    dim = 2
    n_examples = None
    name = "2-D function"
    minima = _points([])
    min_value: float | None = None
    box = (-2.0, 2.0, -2.0, 2.0)

    def _value(self, x, y):
        raise NotImplementedError

    def _gradient(self, x, y):
        raise NotImplementedError

    def _hess(self, x, y):
        raise NotImplementedError

    # --- the contract -------------------------------------------------------------------
    def loss(self, theta, batch=None) -> float:
        x, y = as_vector("theta", theta, 2)
        return float(self._value(x, y))

    def grad(self, theta, batch=None) -> np.ndarray:
        x, y = as_vector("theta", theta, 2)
        return np.array(self._gradient(x, y), dtype=float)

    def hessian(self, theta, batch=None) -> np.ndarray:
        x, y = as_vector("theta", theta, 2)
        (hxx, hxy), (hyx, hyy) = self._hess(x, y)
        return np.array([[hxx, hxy], [hyx, hyy]], dtype=float)

    def loss_grid(self, X, Y) -> np.ndarray:
        """J at every point of a meshgrid: ``Z[i, j] = J(X[i, j], Y[i, j])``, no Python loop."""
        X, Y = _grid("X", X, "Y", Y)
        return np.asarray(self._value(X, Y), dtype=float)
