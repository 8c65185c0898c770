"""The ``Objective`` contract: a function J(θ) to minimize.

Anything with this shape works with every optimizer and with ``run.minimize``
(duck typing): a ``dim``, ``n_examples`` (None for a plain function, else the size of the
training set, whose minibatches are index arrays), and ``loss``, ``grad``, ``hessian``,
``hvp`` methods taking ``theta`` and an optional ``batch``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..validation import as_vector, check_int


class Objective:
    """Base class: subclasses implement ``loss`` and ``grad``, and ``hessian`` where known.

    ``hvp`` (a Hessian-vector product H v) defaults to the exact Hessian when the subclass
    has one, else to a central finite difference of the gradient along ``v``.
    """

    dim: int
    n_examples: int | None = None
    name: str = "objective"

    def loss(self, theta, batch=None) -> float:
        raise NotImplementedError

    def grad(self, theta, batch=None) -> np.ndarray:
        raise NotImplementedError

    def hessian(self, theta, batch=None) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} has no exact Hessian")

    def hvp(self, theta, v, batch=None) -> np.ndarray:
        v = as_vector("v", v, self.dim)
        try:
            return self.hessian(theta, batch) @ v
        except NotImplementedError:
            pass
        # Central difference of the gradient: error O(r²), scaled to θ and v.
        theta = as_vector("theta", theta, self.dim)
        norm_v = np.linalg.norm(v)
        if norm_v == 0:
            return np.zeros(self.dim)
        r = 1e-5 * (1.0 + np.linalg.norm(theta)) / norm_v
        return (self.grad(theta + r * v, batch) - self.grad(theta - r * v, batch)) / (2 * r)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}, dim={self.dim}>"


class FunctionObjective(Objective):
    """Wrap your own Python functions as an ``Objective``.

    >>> f = FunctionObjective(lambda th: th @ th, lambda th: 2 * th, dim=2)
    """

    def __init__(self, loss: Callable, grad: Callable, dim: int, hessian: Callable | None = None,
                 name: str = "custom"):
        if not callable(loss):
            raise ValueError(f"loss must be callable, got {loss!r}")
        if not callable(grad):
            raise ValueError(f"grad must be callable, got {grad!r}")
        if hessian is not None and not callable(hessian):
            raise ValueError(f"hessian must be callable or None, got {hessian!r}")
        self.dim = check_int("dim", dim, minimum=1)
        self._loss, self._grad, self._hessian = loss, grad, hessian
        self.name = name

    def loss(self, theta, batch=None) -> float:
        return float(self._loss(as_vector("theta", theta, self.dim)))

    def grad(self, theta, batch=None) -> np.ndarray:
        return np.asarray(self._grad(as_vector("theta", theta, self.dim)), dtype=float)

    def hessian(self, theta, batch=None) -> np.ndarray:
        if self._hessian is None:
            raise NotImplementedError("no hessian function was given")
        return np.asarray(self._hessian(as_vector("theta", theta, self.dim)), dtype=float)
