"""The book's example where coordinate descent fails (section 8.6.3).

f(x) = (x₁ − x₂)² + α(x₁² + x₂²), α > 0. The first term wants x₁ = x₂, the second pulls both
to 0. Minimizing over x₁ alone gives x₁ = x₂/(1 + α), and over x₂ alone x₂ = x₁/(1 + α): one
sweep of exact coordinate descent shrinks the point by only (1 + α)⁻², so as α → 0 it needs
about 1/α sweeps per factor e, while Newton's method (one quadratic, one solve) lands on the
minimum in a single step.
"""

from __future__ import annotations

from ..validation import check_positive
from .base2d import Function2D, _points


class CoupledQuadratic(Function2D):
    """f(x₁, x₂) = (x₁ − x₂)² + α(x₁² + x₂²), with α > 0 (default 0.1).

    The Hessian [[2 + 2α, −2], [−2, 2 + 2α]] is constant, with eigenvalues 2α along (1, 1)
    and 4 + 2α along (1, −1): condition number 1 + 2/α.

    ``minima``: the one global minimum (0, 0), where f = 0.
    ``coordinate_descent_factor``: (1 + α)⁻², the shrink factor of one exact sweep.
    """

    minima = _points([[0.0, 0.0]])
    min_value = 0.0
    box = (-2.0, 2.0, -2.0, 2.0)

    def __init__(self, alpha: float = 0.1):
        self.alpha = check_positive("alpha", alpha)
        self.name = f"coupled quadratic, α = {self.alpha:g}"

    @property
    def condition_number(self) -> float:
        """(4 + 2α) / 2α = 1 + 2/α."""
        return 1.0 + 2.0 / self.alpha

    @property
    def coordinate_descent_factor(self) -> float:
        """(1 + α)⁻²: one exact sweep (x₁ then x₂) multiplies x₂ by this."""
        return (1.0 + self.alpha) ** -2

    def _value(self, x, y):
        return (x - y) ** 2 + self.alpha * (x ** 2 + y ** 2)

    def _gradient(self, x, y):
        return 2 * (x - y) + 2 * self.alpha * x, -2 * (x - y) + 2 * self.alpha * y

    def _hess(self, x, y):
        diagonal = 2.0 + 2.0 * self.alpha
        return ((diagonal, -2.0), (-2.0, diagonal))
