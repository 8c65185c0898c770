"""Classic 2-D test functions: landscapes small enough to draw, hard enough to teach with.

Each one shows a difficulty of section 8.2: a curved, badly conditioned valley
(Rosenbrock), flat plateaus (Beale), several minima (Himmelblau, six-hump camel,
Styblinski–Tang), saddle points and a cliff (in ``challenges2d``).

Every function gives its exact ``loss``, ``grad`` and ``hessian`` (written out by hand),
its known ``minima`` (one row per point), ``min_value`` and a plotting ``box``
(xmin, xmax, ymin, ymax). ``loss_grid(X, Y)`` evaluates J on a whole meshgrid at once, for
contour plots. The minima that have no closed form were found by Newton's method in double
precision; the numbers below are those results.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_positive, check_real
from .base2d import Function2D, _points
from .challenges2d import Cliff, MonkeySaddle, Saddle


class Rosenbrock(Function2D):
    """J(x, y) = (a − x)² + b (y − x²)²: the banana-shaped valley.

    The valley floor y = x² is easy to reach and then very flat along its length, while
    its walls are steep: the Hessian at the minimum has condition number of about 2500
    for the usual a = 1, b = 100 (section 8.2.1, ill-conditioning).

    ``minima``: the one global minimum (a, a²), where J = 0.
    """

    def __init__(self, a: float = 1.0, b: float = 100.0):
        self.a = check_real("a", a)
        self.b = check_positive("b", b)
        self.name = ("Rosenbrock" if (self.a, self.b) == (1.0, 100.0)
                     else f"Rosenbrock (a={self.a:g}, b={self.b:g})")
        self.minima = _points([[self.a, self.a ** 2]])
        self.min_value = 0.0
        self.box = (self.a - 3.0, self.a + 1.0, self.a ** 2 - 2.0, self.a ** 2 + 2.0)

    def _value(self, x, y):
        return (self.a - x) ** 2 + self.b * (y - x ** 2) ** 2

    def _gradient(self, x, y):
        return (-2 * (self.a - x) - 4 * self.b * x * (y - x ** 2),
                2 * self.b * (y - x ** 2))

    def _hess(self, x, y):
        hxy = -4 * self.b * x
        return ((2 - 4 * self.b * y + 12 * self.b * x ** 2, hxy), (hxy, 2 * self.b))


class Beale(Function2D):
    """J(x, y) = Σ_{i=1..3} (cᵢ − x + x yⁱ)² with c = (1.5, 2.25, 2.625).

    Sharp ridges in the corners and wide flat regions near y = 1, where the gradient is
    small far from the minimum (section 8.2.3, plateaus).

    ``minima``: the one global minimum (3, 0.5), where J = 0.
    """

    name = "Beale"
    minima = _points([[3.0, 0.5]])
    min_value = 0.0
    box = (-4.5, 4.5, -4.5, 4.5)
    c = (1.5, 2.25, 2.625)

    def _value(self, x, y):
        return sum((c - x + x * y ** i) ** 2 for i, c in enumerate(self.c, start=1))

    def _gradient(self, x, y):
        gx = gy = 0.0
        for i, c in enumerate(self.c, start=1):
            t = c - x + x * y ** i                     # the i-th residual
            gx = gx + 2 * t * (y ** i - 1)
            gy = gy + 2 * t * i * x * y ** (i - 1)
        return gx, gy

    def _hess(self, x, y):
        # J = Σ tᵢ², so H = Σ 2 (∇tᵢ ∇tᵢᵀ + tᵢ ∇²tᵢ); ∇²tᵢ has no xx entry.
        hxx = hxy = hyy = 0.0
        for i, c in enumerate(self.c, start=1):
            t = c - x + x * y ** i
            tx, ty = y ** i - 1, i * x * y ** (i - 1)
            txy = i * y ** (i - 1)
            tyy = i * (i - 1) * x * y ** (i - 2) if i >= 2 else 0.0
            hxx = hxx + 2 * tx * tx
            hxy = hxy + 2 * (tx * ty + t * txy)
            hyy = hyy + 2 * (ty * ty + t * tyy)
        return ((hxx, hxy), (hxy, hyy))


class Himmelblau(Function2D):
    """J(x, y) = (x² + y − 11)² + (x + y² − 7)²: four minima of equal depth.

    Which one gradient descent finds depends only on where it starts: a picture of
    local minima that are all equally good (section 8.2.2).

    ``minima``: the four global minima, all with J = 0; (3, 2) is exact, the other three
    were found numerically.
    """

    name = "Himmelblau"
    minima = _points([[3.0, 2.0],
                       [-2.805118086952745, 3.131312518250573],
                       [-3.779310253377747, -3.283185991286169],
                       [3.5844283403304917, -1.8481265269644034]])
    min_value = 0.0
    box = (-5.0, 5.0, -5.0, 5.0)

    def _value(self, x, y):
        return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2

    def _gradient(self, x, y):
        u, w = x ** 2 + y - 11, x + y ** 2 - 7
        return 4 * x * u + 2 * w, 2 * u + 4 * y * w

    def _hess(self, x, y):
        u, w = x ** 2 + y - 11, x + y ** 2 - 7
        hxy = 4 * x + 4 * y
        return ((4 * u + 8 * x ** 2 + 2, hxy), (hxy, 4 * w + 8 * y ** 2 + 2))


class SixHumpCamel(Function2D):
    """J(x, y) = (4 − 2.1x² + x⁴/3) x² + xy + (4y² − 4) y².

    Six local minima, of three different depths, with saddles between them: local minima
    that are *not* all equally good (section 8.2.2).

    ``minima``: all six local minima, deepest first: the two global ones
    ±(0.0898, −0.7127) with J = −1.03163, then ±(−1.7036, 0.7961) with J = −0.21546 and
    ±(1.6071, 0.5687) with J = 2.10425 (found numerically). ``minima_values`` holds J there.
    """

    name = "six-hump camel"
    minima = _points([[0.08984201310031807, -0.7126564030207396],
                       [-0.08984201310031807, 0.7126564030207396],
                       [-1.7036067149699805, 0.7960835686726251],
                       [1.7036067149699805, -0.7960835686726251],
                       [1.6071047529201976, 0.5686514548841313],
                       [-1.6071047529201976, -0.5686514548841313]])
    minima_values = np.array([-1.0316284534898776] * 2 + [-0.2154638243837177] * 2
                             + [2.1042503103112575] * 2)
    min_value = -1.0316284534898776
    box = (-2.2, 2.2, -1.2, 1.2)

    def _value(self, x, y):
        return (4 - 2.1 * x ** 2 + x ** 4 / 3) * x ** 2 + x * y + (4 * y ** 2 - 4) * y ** 2

    def _gradient(self, x, y):
        return 8 * x - 8.4 * x ** 3 + 2 * x ** 5 + y, x - 8 * y + 16 * y ** 3

    def _hess(self, x, y):
        return ((8 - 25.2 * x ** 2 + 10 * x ** 4, 1.0), (1.0, 48 * y ** 2 - 8))


class StyblinskiTang(Function2D):
    """J(θ) = ½ Σᵢ (θᵢ⁴ − 16θᵢ² + 5θᵢ), here with two coordinates.

    Each coordinate is the same 1-D double well, a deep well near −2.90 and a shallower
    one near 2.75, so the 2-D function has four minima and only one of them is global.

    ``minima``: the four local minima, built from the two minimizing roots of the 1-D
    derivative 4t³ − 32t + 5 = 0 (t₋ = −2.903534…, t₊ = 2.746803…): first the global one
    (t₋, t₋) with J = −78.33233…, then (t₋, t₊), (t₊, t₋) and (t₊, t₊).
    ``minima_values`` holds J there.
    """

    name = "Styblinski–Tang"
    t_minus, t_plus = -2.903534027771177, 2.746802770990837
    minima = _points([[t_minus, t_minus], [t_minus, t_plus],
                       [t_plus, t_minus], [t_plus, t_plus]])
    minima_values = np.array([-78.33233140754282, -64.19561235905536, -64.19561235905536,
                              -50.05889331056788])
    min_value = -78.33233140754282
    box = (-5.0, 5.0, -5.0, 5.0)

    def _value(self, x, y):
        return 0.5 * (x ** 4 - 16 * x ** 2 + 5 * x + y ** 4 - 16 * y ** 2 + 5 * y)

    def _gradient(self, x, y):
        return 2 * x ** 3 - 16 * x + 2.5, 2 * y ** 3 - 16 * y + 2.5

    def _hess(self, x, y):
        return ((6 * x ** 2 - 16, 0.0), (0.0, 6 * y ** 2 - 16))


TEST_FUNCTIONS = {
    "rosenbrock": Rosenbrock,
    "beale": Beale,
    "himmelblau": Himmelblau,
    "saddle": Saddle,
    "monkey_saddle": MonkeySaddle,
    "six_hump_camel": SixHumpCamel,
    "styblinski_tang": StyblinskiTang,
    "cliff": Cliff,
}
