"""The landscapes of section 8.7.6: functions with many local minima, built from terms whose
Gaussian blur is exact (``smoothing.SmoothableSum``), so J_σ is known for every σ.

- ``course_function_1d``: a bowl, a broad well off-centre and a ripple: eight local minima on
  [−6, 6]. Continuation tracks the blurred minimum to the global one; gradient descent
  started far out stops in the first dip it meets.
- ``drifting_function_1d``: the failure case. The global minimum is a deep but *narrow* well;
  a broad shallow well nearby holds more "mass". Blurring erases the narrow well first, so
  the blurred minimum sits in the broad well and continuation ends there.
- ``ripple_well_2d``: a 2-D bowl with cosine ripples along both axes and a Gaussian well off
  centre; ``shift`` moves the well (for problems near the default one).

``local_minima_1d`` lists the local minima of a 1-D objective on an interval.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_vector, check_int
from .smoothing import Cosine, GaussianBump, Polynomial, SmoothableSum


def local_minima_1d(objective, interval, n: int = 20001) -> tuple[np.ndarray, np.ndarray]:
    """(positions, values) of the local minima of a 1-D ``objective`` inside ``interval``:
    the interior grid points lower than both neighbours, refined by three Newton steps."""
    low, high = (float(x) for x in interval)
    t = np.linspace(low, high, check_int("n", n, minimum=3))
    v = objective.values(t)
    idx = np.flatnonzero((v[1:-1] < v[:-2]) & (v[1:-1] < v[2:])) + 1
    x = t[idx]
    for _ in range(3):                               # Newton on J′ = 0, from the grid point
        x = x - objective.grads(x)[:, 0] / objective.second(x)
    return x, objective.values(x)


def _with_global(f: SmoothableSum, interval) -> SmoothableSum:
    x, v = local_minima_1d(f, interval)
    f.minima, f.min_value = np.array([[x[np.argmin(v)]]]), float(v.min())
    return f


def course_function_1d() -> SmoothableSum:
    """J(θ) = 0.08θ² − 1.5·exp(−(θ − 2)²/(2·0.8²)) + 0.45·cos 4θ, on [−6, 6]."""
    f = SmoothableSum([Polynomial([0.0, 0.0, 0.08]), GaussianBump(-1.5, [2.0], 0.8),
                       Cosine(0.45, [4.0])], dim=1, box=(-6.0, 6.0),
                      name="bowl + broad well + ripple")
    return _with_global(f, f.box)


def drifting_function_1d() -> SmoothableSum:
    """J(θ) = 0.04θ² − exp(−(θ + 2)²/(2·1.5²)) − 2.2·exp(−(θ − 2.5)²/(2·0.15²))
    + 0.12·cos 6θ, on [−6, 6]: the global minimum is the narrow well at θ ≈ 2.5."""
    f = SmoothableSum([Polynomial([0.0, 0.0, 0.04]), GaussianBump(-1.0, [-2.0], 1.5),
                       GaussianBump(-2.2, [2.5], 0.15), Cosine(0.12, [6.0])], dim=1,
                      box=(-6.0, 6.0), name="broad shallow well + narrow deep well")
    return _with_global(f, f.box)


RIPPLE_BOX = (-4.0, 4.0, -4.0, 4.0)
RIPPLE_START = (-3.0, 3.0)


def ripple_well_2d(shift=(0.0, 0.0)) -> SmoothableSum:
    """J(θ) = 0.12‖θ‖² − 2·exp(−‖θ − c‖²/(2·0.9²)) + 0.5(cos 3θ₁ + cos 3θ₂), c = (1.5, −1) +
    ``shift``: fifteen local minima on [−4, 4]², the global one in the well near c.

    ``minima``/``min_value``: the global minimum, found on a grid and refined by Newton steps.
    """
    c = np.array([1.5, -1.0]) + as_vector("shift", shift, 2)
    f = SmoothableSum([Polynomial([0.0, 0.0, 0.12], 0), Polynomial([0.0, 0.0, 0.12], 1),
                       GaussianBump(-2.0, c, 0.9), Cosine(0.5, [3.0, 0.0]),
                       Cosine(0.5, [0.0, 3.0])], dim=2, box=RIPPLE_BOX,
                      name="bowl + ripples + well")
    X, Y = np.meshgrid(np.linspace(-4.0, 4.0, 321), np.linspace(-4.0, 4.0, 321))
    Z = f.loss_grid(X, Y)
    i = np.unravel_index(np.argmin(Z), Z.shape)
    theta = np.array([X[i], Y[i]])
    for _ in range(6):
        theta = theta - np.linalg.solve(f.hessian(theta), f.grad(theta))
    f.minima, f.min_value = theta[None, :], f.loss(theta)
    return f
