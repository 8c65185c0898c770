"""The extended (chained) Rosenbrock function in n dimensions, a standard test of
second-order methods (section 8.6).

J(x) = Σ_{i=1}^{n−1} 100 (x_{i+1} − x_i²)² + (1 − x_i)², the function scipy calls ``rosen``.
Each term couples two neighbours, so the Hessian is tridiagonal: ``hvp`` multiplies by it in
O(n) without forming it, and ``hessian`` builds the dense n × n matrix (fine up to n ≈ 1000).
With n = 2 it is the 2-D ``Rosenbrock``. Large n (10⁵ parameters) is where L-BFGS's O(mn)
memory matters and BFGS's n × n matrix does not fit.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_vector, check_int
from .base import Objective


class ExtendedRosenbrock(Objective):
    """J(x) = Σ_{i=1}^{n−1} 100 (x_{i+1} − x_i²)² + (1 − x_i)² for x ∈ ℝⁿ, n ≥ 2.

    ``minima``: the global minimum (1, …, 1), where J = 0. (For n ≥ 4 there is also a local
    minimum near (−1, 1, …, 1), which is not listed.) ``standard_start()``: the usual start
    (−1.2, 1, −1.2, 1, …).
    """

    n_examples = None

    def __init__(self, n: int = 10):
        self.dim = check_int("n", n, minimum=2)
        self.name = f"extended Rosenbrock, n = {self.dim}"

    def standard_start(self) -> np.ndarray:
        """(−1.2, 1, −1.2, 1, …): the classic starting point, repeated."""
        x = np.ones(self.dim)
        x[::2] = -1.2
        return x

    @property
    def minima(self) -> np.ndarray:
        return np.ones((1, self.dim))

    @property
    def min_value(self) -> float:
        return 0.0

    def loss(self, theta, batch=None) -> float:
        x = as_vector("theta", theta, self.dim)
        a, b = x[:-1], x[1:]
        return float(np.sum(100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2))

    def grad(self, theta, batch=None) -> np.ndarray:
        x = as_vector("theta", theta, self.dim)
        a, b = x[:-1], x[1:]
        r = b - a * a                                   # the residual of each term
        g = np.zeros(self.dim)
        g[:-1] = -400.0 * a * r - 2.0 * (1.0 - a)       # ∂/∂x_i of term i (x_i is its "a")
        g[1:] += 200.0 * r                              # ∂/∂x_{i+1} of term i
        return g

    def _bands(self, x) -> tuple[np.ndarray, np.ndarray]:
        """The diagonal and the off-diagonal of the tridiagonal Hessian."""
        a, b = x[:-1], x[1:]
        diag = np.zeros(self.dim)
        diag[:-1] = 1200.0 * a * a - 400.0 * b + 2.0
        diag[1:] += 200.0
        return diag, -400.0 * a

    def hessian(self, theta, batch=None) -> np.ndarray:
        x = as_vector("theta", theta, self.dim)
        diag, off = self._bands(x)
        return np.diag(diag) + np.diag(off, 1) + np.diag(off, -1)

    def hvp(self, theta, v, batch=None) -> np.ndarray:
        """H v in O(n): (Hv)_i = D_i v_i + O_i v_{i+1} + O_{i−1} v_{i−1}."""
        x = as_vector("theta", theta, self.dim)
        v = as_vector("v", v, self.dim)
        diag, off = self._bands(x)
        hv = diag * v
        hv[:-1] += off * v[1:]
        hv[1:] += off * v[:-1]
        return hv
