"""The checks of notebook 08 (sections 8.7.1–8.7.5), one module per exercise.

- ``batch_norm``: the batch-norm forward pass in training and inference mode, and (optional)
  its backward pass;
- ``chain``: predict-then-check, ŷ after one step on every weight of a deep chain;
- ``averaging_challenge``: the tuning challenge solved with the explorer.

Each has a ``*_random`` / ``*_by_*`` / ``*_nearby`` twin for the hidden tests.
"""

from ....checks import check_random_cases, scoreboard  # noqa: F401 - called by check cells
from .averaging_challenge import (
    AVERAGING_CHALLENGE,
    check_averaging_settings,
    check_averaging_settings_nearby,
)
from .batch_norm import (
    BACKWARD_MISTAKES,
    FORWARD_MISTAKES,
    check_batch_norm,
    check_batch_norm_backward,
    check_batch_norm_backward_random,
    check_batch_norm_random,
    reference_backward,
    reference_forward,
)
from .chain import check_chain_output, check_chain_output_by_multiplying

__all__ = ["check_batch_norm", "check_batch_norm_random", "check_batch_norm_backward",
           "check_batch_norm_backward_random", "FORWARD_MISTAKES", "BACKWARD_MISTAKES",
           "reference_forward", "reference_backward", "check_chain_output",
           "check_chain_output_by_multiplying", "AVERAGING_CHALLENGE",
           "check_averaging_settings", "check_averaging_settings_nearby", "scoreboard",
           "check_random_cases"]
