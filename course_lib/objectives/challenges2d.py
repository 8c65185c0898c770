"""The 2-D landscapes of section 8.2's difficulties that are not bowls or valleys: a saddle
point, a monkey saddle (degenerate: its Hessian vanishes at the origin) and a cliff (a steep
wall beside a gentle slope, section 8.2.4).
"""

from __future__ import annotations

import numpy as np

from ..validation import check_positive
from .base2d import Function2D, _points, _sigmoid


class Saddle(Function2D):
    """J(x, y) = x² − y²: the simplest saddle point, at the origin.

    The Hessian diag(2, −2) has one eigenvalue of each sign (section 8.2.3). Gradient
    descent started exactly on the x-axis converges to the saddle; any tiny y moves it
    away. J is unbounded below.

    ``minima``: none. ``critical_points``: the saddle (0, 0).
    """

    name = "saddle"
    minima = _points([])
    min_value = -np.inf
    critical_points = _points([[0.0, 0.0]])

    def _value(self, x, y):
        return x ** 2 - y ** 2

    def _gradient(self, x, y):
        return 2 * x, -2 * y

    def _hess(self, x, y):
        return ((2.0, 0.0), (0.0, -2.0))


class MonkeySaddle(Function2D):
    """J(x, y) = x³ − 3xy²: a degenerate saddle with three downhill valleys.

    At the origin the gradient *and* the Hessian vanish, so second-order information
    cannot tell what kind of critical point it is. J is unbounded below.

    ``minima``: none. ``critical_points``: the monkey saddle (0, 0).
    """

    name = "monkey saddle"
    minima = _points([])
    min_value = -np.inf
    critical_points = _points([[0.0, 0.0]])

    def _value(self, x, y):
        return x ** 3 - 3 * x * y ** 2

    def _gradient(self, x, y):
        return 3 * x ** 2 - 3 * y ** 2, -6 * x * y

    def _hess(self, x, y):
        return ((6 * x, -6 * y), (-6 * y, -6 * x))


class Cliff(Function2D):
    """A gentle valley that ends in a steep wall: the cliff of section 8.2.4.

    J(x, y) = ½ (μ x² + ν y²) + h σ(s (x − c)), with σ the logistic sigmoid. Left of
    x = c the quadratic bowl (default μ = 0.5, ν = 1; a small ``mu`` makes the valley floor
    a gentle slope, which a throw from the wall takes long to climb back) is all there
    is; at x = c the loss climbs by
    ``height`` h over a width of about 4/s, so the gradient there is as large as h s / 4.
    A gradient step taken on the wall throws θ far back into the valley, undoing the
    progress made; gradient clipping (section 10.11.1) bounds that step.

    ``minima``: the one global minimum, just left of the origin (the wall's tail pushes it
    a little); it is found by bisection on ∂J/∂x when the object is built.
    """

    mu, nu = 0.5, 1.0

    def __init__(self, height: float = 10.0, steepness: float = 10.0, wall: float = 1.0,
                 mu: float = 0.5, nu: float = 1.0):
        self.height = check_positive("height", height)
        self.steepness = check_positive("steepness", steepness)
        self.wall = check_positive("wall", wall)
        self.mu = check_positive("mu", mu)
        self.nu = check_positive("nu", nu)
        self.name = "cliff"
        self.box = (-4.0, self.wall + 2.0, -2.0, 2.0)
        x_star = self._minimizer_x()
        self.minima = _points([[x_star, 0.0]])
        self.min_value = float(self._value(x_star, 0.0))

    def _minimizer_x(self) -> float:
        # ∂J/∂x = μx + h s σ'(s(x − c)) is increasing on x < c (J is convex there) and > 0
        # for x ≥ 0, so its one zero lies in [−h s/(4μ), 0]: bisect to machine precision.
        lo, hi = -self.height * self.steepness / (4 * self.mu), 0.0
        while True:
            mid = 0.5 * (lo + hi)
            if mid in (lo, hi):           # no float left between them
                return mid
            if self._gradient(mid, 0.0)[0] > 0:
                hi = mid
            else:
                lo = mid

    def _value(self, x, y):
        return (0.5 * (self.mu * x ** 2 + self.nu * y ** 2)
                + self.height * _sigmoid(self.steepness * (x - self.wall)))

    def _gradient(self, x, y):
        s = _sigmoid(self.steepness * (x - self.wall))
        return self.mu * x + self.height * self.steepness * s * (1 - s), self.nu * y

    def _hess(self, x, y):
        s = _sigmoid(self.steepness * (x - self.wall))
        hxx = self.mu + self.height * self.steepness ** 2 * s * (1 - s) * (1 - 2 * s)
        return ((hxx, 0.0), (0.0, self.nu))
