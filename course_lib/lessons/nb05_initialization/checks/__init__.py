"""The checks of notebook 05 (section 8.4), one module per exercise.

- ``glorot``: implement the normalized initialization, judged by its distribution (range,
  centre, shape, seed) on shapes with unequal fans;
- ``variance``: predict-then-check, the variance after L linear layers of scale s;
- ``scale_challenge``: the tuning challenge solved with the explorer, a scale at which a deep
  tanh network's gradients reach its first layer, and at which it trains.

Each has a ``*_random`` / ``*_by_*`` / ``*_nearby`` twin for the hidden tests. The check
cells call these as ``checks.<name>``.
"""

from ....checks import check_random_cases, scoreboard  # noqa: F401 - called by check cells
from .glorot import RANGE_MISTAKES, check_glorot_uniform, check_glorot_uniform_random, kurtosis
from .scale_challenge import (
    SCALE_CHALLENGE,
    check_trainable_scale,
    check_trainable_scale_nearby,
    check_trainable_scale_trains,
)
from .variance import check_output_variance, check_output_variance_by_sampling

__all__ = ["check_glorot_uniform", "check_glorot_uniform_random", "RANGE_MISTAKES",
           "kurtosis", "check_output_variance", "SCALE_CHALLENGE", "check_trainable_scale",
           "check_trainable_scale_nearby", "check_trainable_scale_trains",
           "check_output_variance_by_sampling",
           "scoreboard", "check_random_cases"]
