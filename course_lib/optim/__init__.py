"""Every optimizer of the chapter, with the names and keywords of ``../shared/ALGORITHMS.md``."""

from .adaptive import (
    AdaDelta,
    AdaDeltaState,
    AdaGrad,
    AdaGradState,
    Adam,
    AdamState,
    RMSProp,
    RMSPropNesterov,
    RMSPropNesterovState,
    RMSPropState,
)
from .base import Optimizer
from .delta_bar_delta import DeltaBarDelta, DeltaBarDeltaState
from .effective_rate import effective_lr, effective_lrs
from .sgd import SGD, Momentum, MomentumState, Nesterov, NesterovState, SGDState
from .vsgd import VSGD, VSGDState

__all__ = ["Optimizer", "SGD", "SGDState", "Momentum", "MomentumState", "Nesterov",
           "NesterovState",
           "AdaGrad", "AdaGradState", "RMSProp", "RMSPropState", "RMSPropNesterov",
           "RMSPropNesterovState", "Adam", "AdamState", "AdaDelta", "AdaDeltaState",
           "DeltaBarDelta", "DeltaBarDeltaState", "VSGD", "VSGDState", "effective_lr",
           "effective_lrs"]
