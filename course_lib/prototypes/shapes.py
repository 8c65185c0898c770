"""The 1-D shapes of the prototype problems (Schaul, Antonoglou & Silver 2014).

Each shape is a function f of one variable with a known difficulty, written with its first
and second derivatives so that every optimizer of ``course_lib.optim`` can run on it
(Newton needs f''). The functions work element-wise on arrays of any shape: a prototype
evaluates one shape on a whole block of coordinates (several seeds at once) in one call.

| shape | f(x) | what it tests |
|---|---|---|
| ``bowl`` | x²/2 | nothing: the control (every method should pass) |
| ``abs`` | abs(x) | a kink: the gradient never shrinks near the minimum |
| ``gauss`` | 1 − exp(−x²/2) | plateaus: far from the well the slope vanishes |
| ``cliff`` | gauss + a step of height 1 at x = 1 | a wall (slope 12.5) that throws steps far |
| ``sigmoid`` | 1/(1 + eˣ) | no minimizer; the slope fades as the loss falls |
| ``line`` | −x | no minimum at all: how fast does a method travel? |
| ``ridge`` | x⁴/4 − x²/2 | a hilltop between two minima ±1: escape from a point of zero slope |
| ``tilted`` | x⁴/4 − x²/2 + x/10 | a local minimum (x ≈ 0.946) beside the global one (≈ −1.047) |

``tilted`` is not in the default suite: notebook 10 asks for its unit test.

A shape also carries how a run on it is judged: the minimizers (a run passes when it ends
within ``tol`` of one) or, for shapes without a minimizer, a ``level`` the loss must reach.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

CLIFF_AT, CLIFF_WIDTH, CLIFF_HEIGHT = 1.0, 0.02, 1.0


@dataclass(frozen=True)
class Shape:
    """A 1-D shape: f, f′, f″ (element-wise), how runs on it are judged, where they start.

    - ``minimizers``: the x where f is smallest (empty when there is none: ``level`` then).
    - ``min_value``: inf f (−inf for the line).
    - ``tol``: a coordinate passes when it ends within ``tol`` of a minimizer.
    - ``level``: for shapes without a minimizer, a coordinate passes when f(x) ≤ ``level``.
    - ``start``: x₀; ``spread``: the starting points of the seeds are x₀ + spread·u,
      u uniform in [−1, 1].
    - ``box``: (x_min, x_max) for plots; ``difficulty``: one line for tables and figures.
    """

    name: str
    f: Callable
    df: Callable
    d2f: Callable
    minimizers: tuple
    min_value: float
    start: float
    spread: float
    box: tuple
    difficulty: str
    tol: float = 0.05
    level: float | None = None

    def passes(self, x) -> np.ndarray:
        """Element-wise: does coordinate x pass this shape's test? (NaN and inf fail.)"""
        x = np.asarray(x, dtype=float)
        with np.errstate(invalid="ignore", over="ignore"):
            if self.minimizers:
                gap = np.min([np.abs(x - m) for m in self.minimizers], axis=0)
                ok = gap <= self.tol
            else:
                ok = self.f(x) <= self.level
        return np.asarray(ok & np.isfinite(x))

    def statement(self) -> str:
        """The pass criterion in words, for one coordinate z."""
        if self.minimizers:
            where = " or ".join(f"{m if abs(m) > 1e-12 else 0.0:.6g}" for m in self.minimizers)
            return f"|z − ({where})| ≤ {self.tol:g}"
        return f"f(z) ≤ {self.level:g}"


# --- the functions ------------------------------------------------------------------------------
def _sigma(x):
    """The logistic function 1/(1 + e⁻ˣ), without overflow for large |x|."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _gauss(x):
    return 1.0 - np.exp(-0.5 * x * x)


def _gauss_d(x):
    return x * np.exp(-0.5 * x * x)


def _gauss_d2(x):
    return (1.0 - x * x) * np.exp(-0.5 * x * x)


def _step(x):
    """The cliff: a smooth step of height CLIFF_HEIGHT at CLIFF_AT, rising to the right."""
    return CLIFF_HEIGHT * _sigma((x - CLIFF_AT) / CLIFF_WIDTH)


def _step_d(x):
    s = _sigma((x - CLIFF_AT) / CLIFF_WIDTH)
    return CLIFF_HEIGHT * s * (1.0 - s) / CLIFF_WIDTH


def _step_d2(x):
    s = _sigma((x - CLIFF_AT) / CLIFF_WIDTH)
    return CLIFF_HEIGHT * s * (1.0 - s) * (1.0 - 2.0 * s) / CLIFF_WIDTH ** 2


def _cliff_minimizer() -> float:
    """The cliff's minimizer: the well's 0, moved by a hair by the foot of the step
    (f′(0) = σ′(−50)/0.02 ≈ 1e-20); found by Newton's method on f′."""
    x = 0.0
    for _ in range(5):
        x -= (_gauss_d(x) + _step_d(x)) / (_gauss_d2(x) + _step_d2(x))
    return float(x)


_X_CLIFF = _cliff_minimizer()

SHAPES = {
    "bowl": Shape("bowl", lambda x: 0.5 * x * x, lambda x: 1.0 * x,
                  lambda x: np.ones_like(np.asarray(x, dtype=float)), (0.0,), 0.0,
                  start=2.0, spread=0.5, box=(-3.0, 3.0),
                  difficulty="the control: a plain quadratic"),
    "abs": Shape("abs", np.abs, np.sign, lambda x: np.zeros_like(np.asarray(x, dtype=float)),
                 (0.0,), 0.0, start=2.0, spread=0.5, box=(-3.0, 3.0), tol=0.01,
                 difficulty="a kink: the slope is ±1 right up to the minimum"),
    "gauss": Shape("gauss", _gauss, _gauss_d, _gauss_d2, (0.0,), 0.0, start=5.0, spread=0.5,
                   box=(-6.0, 6.0), difficulty="a well between plateaus: tiny slope far out"),
    "cliff": Shape("cliff", lambda x: _gauss(x) + _step(x), lambda x: _gauss_d(x) + _step_d(x),
                   lambda x: _gauss_d2(x) + _step_d2(x), (_X_CLIFF,),
                   float(_gauss(_X_CLIFF) + _step(_X_CLIFF)), start=1.6, spread=0.2,
                   box=(-4.5, 4.5), difficulty="a cliff (slope ≈ 12) above a well with "
                   "plateaus"),
    "sigmoid": Shape("sigmoid", lambda x: _sigma(-x), lambda x: -_sigma(x) * _sigma(-x),
                     lambda x: _sigma(x) * _sigma(-x) * (_sigma(x) - _sigma(-x)), (), 0.0,
                     start=-2.0, spread=0.5, box=(-6.0, 8.0), level=0.01,
                     difficulty="no minimizer: the slope fades as the loss falls"),
    "line": Shape("line", lambda x: -1.0 * x, lambda x: -np.ones_like(np.asarray(x, float)),
                  lambda x: np.zeros_like(np.asarray(x, dtype=float)), (), -np.inf,
                  start=0.0, spread=0.5, box=(-5.0, 105.0), level=-100.0,
                  difficulty="no minimum: distance travelled in the budget"),
    "ridge": Shape("ridge", lambda x: 0.25 * x ** 4 - 0.5 * x * x, lambda x: x ** 3 - x,
                   lambda x: 3.0 * x * x - 1.0, (-1.0, 1.0), -0.25, start=0.0, spread=1e-4,
                   box=(-1.8, 1.8), difficulty="a hilltop between two minima: escape a "
                   "point of zero slope"),
}


def _tilted_minimizer() -> float:
    """The global minimizer of x⁴/4 − x²/2 + x/10: the smallest root of x³ − x + 1/10."""
    return float(min(np.roots([1.0, 0.0, -1.0, 0.1]).real))


_X_TILTED = _tilted_minimizer()
SHAPES["tilted"] = Shape("tilted", lambda x: 0.25 * x ** 4 - 0.5 * x * x + 0.1 * x,
                         lambda x: x ** 3 - x + 0.1, lambda x: 3.0 * x * x - 1.0, (_X_TILTED,),
                         float(0.25 * _X_TILTED ** 4 - 0.5 * _X_TILTED ** 2 + 0.1 * _X_TILTED),
                         start=0.5, spread=0.3, box=(-1.8, 1.8),
                         difficulty="a local minimum beside the global one")


def shape(name: str) -> Shape:
    """The shape called ``name`` (one of ``SHAPES``)."""
    if name not in SHAPES:
        raise ValueError(f"shape must be one of {sorted(SHAPES)}, got {name!r}")
    return SHAPES[name]
