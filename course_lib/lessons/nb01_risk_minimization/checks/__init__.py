"""The checks of notebook 01 (section 8.1), one module per exercise.

- ``stopping_rule``: implement Algorithm 7.1's rule on a list of validation losses;
- ``patience``: choose a patience for the digits run of §3, re-run on nearby runs;
- ``capacity``: the tuning challenge solved with the explorer (degree and minibatch for
  m = 100 examples).

Each has a hidden twin (``*_random`` or ``*_nearby``) that draws new cases at grading time.
The notebook's check cells call these as ``checks.<name>`` (the grader binds ``checks`` to
this package too).
"""

from ....checks import scoreboard  # noqa: F401 - called by the running-score cell
from .capacity import CAPACITY, check_capacity_settings, check_capacity_settings_nearby
from .patience import (
    BUDGET_EPOCHS,
    TOLERANCE,
    check_patience,
    check_patience_nearby,
)
from .stopping_rule import (
    STOPPING_MISTAKES,
    check_early_stopping_point,
    check_early_stopping_point_random,
    random_cases,
)

__all__ = ["check_early_stopping_point", "check_early_stopping_point_random", "random_cases",
           "STOPPING_MISTAKES", "check_patience", "check_patience_nearby", "BUDGET_EPOCHS",
           "TOLERANCE", "CAPACITY", "check_capacity_settings",
           "check_capacity_settings_nearby", "scoreboard"]
