"""Gradient clipping (sections 8.2.4 and 10.11.1): bound the step a cliff can cause.

Near a cliff the gradient is huge, and a full gradient step throws θ far away. Clipping
replaces the gradient g before the optimizer uses it:

- **by norm**: if ‖g‖ > v then g ← g v/‖g‖. The direction is kept, only the length is
  bounded by the threshold v (Pascanu et al. 2013; the rule the book gives);
- **by value**: every component clipped to [−v, v]. Cheaper to reason about per
  parameter, but it *changes the direction* of g whenever some components are clipped
  and others are not (g = (10, 1), v = 1 gives (1, 1): 39° away from g).

``Clipped(optimizer, threshold)`` wraps any optimizer of ``course_lib.optim``: it hands
the inner optimizer an oracle whose ``grad`` returns clipped gradients, so every gradient
the inner algorithm asks for is clipped (the interim point of Nesterov, every trial point
of a line search, Adam's moments...). Losses, Hessians and Hessian-vector products are
passed through untouched: clipping is a rule about gradients only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..optim.base import Optimizer
from ..validation import check_positive

MODES = ("norm", "value")


def clip_by_norm(g, threshold: float) -> np.ndarray:
    """If ‖g‖ > v then g ← g v/‖g‖ (a new array; g itself is not changed)."""
    v = check_positive("threshold", threshold)
    g = np.array(g, dtype=float)
    norm = np.linalg.norm(g)                    # ‖g‖, the Euclidean norm of the whole vector
    if norm > v:
        g = g * (v / norm)                      # g ← g v/‖g‖: same direction, length v
    return g


def clip_by_value(g, threshold: float) -> np.ndarray:
    """Each component clipped to [−v, v]. Changes the direction of g (see the module doc)."""
    v = check_positive("threshold", threshold)
    return np.clip(np.array(g, dtype=float), -v, v)


def clip(g, threshold: float, mode: str = "norm") -> np.ndarray:
    """``clip_by_norm`` (``mode="norm"``) or ``clip_by_value`` (``mode="value"``)."""
    if mode not in MODES:
        raise ValueError(f"mode must be 'norm' or 'value', got {mode!r}")
    return clip_by_norm(g, threshold) if mode == "norm" else clip_by_value(g, threshold)


class ClippedOracle:
    """An oracle whose gradients are clipped; everything else is the wrapped oracle's.

    ``norms`` records ‖g‖ before clipping for every gradient asked for, ``n_clipped`` how
    many of them were changed by the clipping.
    """

    def __init__(self, oracle, threshold: float, mode: str = "norm"):
        self.oracle, self.threshold, self.mode = oracle, threshold, mode
        self.norms: list[float] = []
        self.n_clipped = 0

    @property
    def dim(self) -> int:
        return self.oracle.dim

    def grad(self, theta) -> np.ndarray:
        g = np.asarray(self.oracle.grad(theta), dtype=float)
        clipped = clip(g, self.threshold, self.mode)
        self.norms.append(float(np.linalg.norm(g)))
        self.n_clipped += int(not np.array_equal(clipped, g))
        return clipped

    def loss(self, theta) -> float:
        return self.oracle.loss(theta)

    def hessian(self, theta) -> np.ndarray:
        return self.oracle.hessian(theta)

    def hvp(self, theta, v) -> np.ndarray:
        return self.oracle.hvp(theta, v)


@dataclass(frozen=True, eq=False)
class ClippedState:
    inner: object           # the wrapped optimizer's own state (its v, r, s, t...)
    n_clipped: int = 0      # gradients clipped so far, over the whole run
    g_norm: float = np.nan  # ‖g‖ before clipping of the last gradient of the last step


class Clipped(Optimizer):
    """Any optimizer, fed clipped gradients: ``Clipped(SGD(lr=0.1), threshold=1.0)``.

    ``threshold`` is v (> 0); ``mode`` is ``"norm"`` (the book's rule, keeps the direction)
    or ``"value"`` (per component, changes the direction). With SGD and norm clipping one
    step moves θ by at most ε v, however steep the cliff.
    """

    def __init__(self, optimizer, threshold: float = 1.0, mode: str = "norm"):
        if not (hasattr(optimizer, "init") and hasattr(optimizer, "step")):
            raise ValueError(f"optimizer must have init and step methods, got {optimizer!r}")
        if mode not in MODES:
            raise ValueError(f"mode must be 'norm' or 'value', got {mode!r}")
        self.optimizer = optimizer
        self.threshold = check_positive("threshold", threshold)
        self.mode = mode

    def init(self, theta) -> ClippedState:
        return ClippedState(inner=self.optimizer.init(theta))

    def step(self, theta, state: ClippedState, oracle):
        clipped = ClippedOracle(oracle, self.threshold, self.mode)     # g ← clip(g) inside
        theta, inner = self.optimizer.step(theta, state.inner, clipped)
        g_norm = clipped.norms[-1] if clipped.norms else np.nan
        return theta, ClippedState(inner=inner, n_clipped=state.n_clipped + clipped.n_clipped,
                                   g_norm=g_norm)

    def lr_at(self, k: int) -> float:
        lr_at = getattr(self.optimizer, "lr_at", None)
        return lr_at(k) if lr_at is not None else float("nan")
