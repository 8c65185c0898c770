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
from .coordinate import CoordinateDescent, CoordinateDescentState
from .delta_bar_delta import DeltaBarDelta, DeltaBarDeltaState
from .effective_rate import effective_lr, effective_lrs
from .hypergradient import HypergradientSGD as HypergradientSGD
from .second_order import (
    BFGS,
    LBFGS,
    BFGSState,
    ConjugateGradient,
    ConjugateGradientState,
    HessianFree,
    HessianFreeState,
    LBFGSState,
    Newton,
    NewtonState,
    linear_cg,
    steepest_descent_exact,
)
from .sgd import SGD, Momentum, MomentumState, Nesterov, NesterovState, SGDState
from .vsgd import VSGD, VSGDState

__all__ = ["Optimizer", "SGD", "SGDState", "Momentum", "MomentumState", "Nesterov",
           "NesterovState",
           "AdaGrad", "AdaGradState", "RMSProp", "RMSPropState", "RMSPropNesterov",
           "RMSPropNesterovState", "Adam", "AdamState", "AdaDelta", "AdaDeltaState",
           "DeltaBarDelta", "DeltaBarDeltaState", "VSGD", "VSGDState", "effective_lr",
           "effective_lrs",
           "Newton", "NewtonState", "HessianFree", "HessianFreeState", "CoordinateDescent",
           "CoordinateDescentState", "linear_cg", "steepest_descent_exact",
           "ConjugateGradient", "ConjugateGradientState", "BFGS", "BFGSState", "LBFGS",
           "LBFGSState"]
