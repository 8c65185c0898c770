"""The ``Optimizer`` contract.

An optimizer holds hyperparameters only (validated in ``__init__``). ``init(theta)`` returns
its starting state, a small frozen dataclass whose fields carry the book's symbols
(``k``, ``v``, ``r``, ``s``, ``t``...). ``step(theta, state, oracle)`` is one pass of the
book's ``while`` loop: it asks the oracle for what the pseudocode asks for and returns
``(new_theta, new_state)`` without mutating its inputs.
"""

from __future__ import annotations

import numpy as np

from ..schedules import as_schedule


class Optimizer:
    """Base class for every optimizer in ``course_lib.optim``."""

    def init(self, theta):
        raise NotImplementedError

    def step(self, theta, state, oracle):
        raise NotImplementedError

    def lr_at(self, k: int) -> float:
        """The learning rate ε_k that step k (counting from 1) uses; NaN if there is none."""
        schedule = getattr(self, "lr", None)
        return float(schedule(k)) if schedule is not None else float("nan")

    def __repr__(self) -> str:
        fields = ", ".join(f"{key}={value!r}" for key, value in vars(self).items())
        return f"{type(self).__name__}({fields})"


def learning_rate(lr):
    """Validate ``lr`` (ε): a number > 0 or a schedule."""
    return as_schedule(lr, "lr")


def frozen(array: np.ndarray) -> np.ndarray:
    """A read-only copy, so that a state stays what it was when it was made."""
    array = np.array(array, dtype=float)
    array.setflags(write=False)
    return array


def sealed(array: np.ndarray) -> np.ndarray:
    """``array`` itself, made read-only: for an array the step has just computed, which
    nobody else holds, so that ``frozen``'s copy would be a wasted pass over memory."""
    array = np.asarray(array, dtype=float)
    array.setflags(write=False)
    return array
