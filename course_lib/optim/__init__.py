"""Every optimizer of the chapter, with the names and keywords of ``../shared/ALGORITHMS.md``."""

from .base import Optimizer
from .sgd import SGD, Momentum, MomentumState, Nesterov, NesterovState, SGDState

__all__ = ["Optimizer", "SGD", "SGDState", "Momentum", "MomentumState", "Nesterov",
           "NesterovState"]
