"""Learning-rate schedules: plain callables k -> ε_k, with k counting steps from 1.

Algorithm 8.1 asks for "a learning rate schedule ε₁, ε₂, …"; step k of an optimizer uses
``schedule(k)``. Every schedule also accepts an array of k (for plotting), and ``k = 0``
gives the starting rate ε₀.

The same callables serve as *momentum* schedules k -> α_k (section 8.3.2: α "begins with a
small value and is later raised"): ``ramp`` and ``nesterov_alpha`` are made for that, and
``as_momentum`` checks that a schedule's values stay in [0, 1).

``robbins_monro(schedule)`` tells, numerically and (for the schedules defined here)
exactly, whether a schedule meets the sufficient conditions 8.12–8.13 for SGD to converge.
"""

from .base import (
    Constant,
    Schedule,
    as_momentum,
    as_schedule,
    constant,
)
from .decays import (
    Cosine,
    ExponentialDecay,
    InverseSqrt,
    InverseTime,
    LinearDecay,
    NesterovAlpha,
    Ramp,
    StepDecay,
    WarmUp,
    cosine,
    exponential_decay,
    inverse_sqrt,
    inverse_time,
    linear_decay,
    nesterov_alpha,
    ramp,
    step_decay,
    warm_up,
)
from .robbins_monro import (
    CONVERGES_BELOW,
    DIVERGES_ABOVE,
    RobbinsMonroReport,
    robbins_monro,
)

__all__ = [
    "Constant", "Schedule", "as_momentum", "as_schedule", "constant", "Cosine",
    "ExponentialDecay", "InverseSqrt", "InverseTime", "LinearDecay", "NesterovAlpha", "Ramp",
    "StepDecay", "WarmUp", "cosine", "exponential_decay", "inverse_sqrt", "inverse_time",
    "linear_decay", "nesterov_alpha", "ramp", "step_decay", "warm_up", "CONVERGES_BELOW",
    "DIVERGES_ABOVE", "RobbinsMonroReport", "robbins_monro",
]
