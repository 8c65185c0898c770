"""Exercise checks that diagnose: on failure they say what differs, where first, and why.

- ``check_update_rule(fn, rule)`` for "implement this update rule" exercises, described by
  an ``UpdateRule`` (with its ``Case``s and known ``Mistake``s);
- ``check_number(answer, expected, name=...)`` for predict-then-check exercises;
- ready-made checks for the notebooks: ``check_gd_step``, ``check_sgd_schedule_step``,
  ``check_largest_lr``, ``check_momentum_step``, ``check_nesterov_step``,
  ``check_terminal_velocity``, ``check_updates_in_epochs``, ``check_adagrad_step``,
  ``check_rmsprop_step``, ``check_adam_step``, ``check_adam_first_step``.

Every check returns a ``CheckResult`` (its repr is the message) and never raises.
Importing this package loads numpy only.
"""

from .adaptive_exercises import (
    ADAGRAD_STEP,
    ADAM_STEP,
    RMSPROP_STEP,
    check_adagrad_step,
    check_adam_first_step,
    check_adam_step,
    check_rmsprop_step,
)
from .exercises import (
    GD_STEP,
    MOMENTUM_STEP,
    NESTEROV_STEP,
    SGD_SCHEDULE_STEP,
    check_gd_step,
    check_largest_lr,
    check_momentum_step,
    check_nesterov_step,
    check_sgd_schedule_step,
    check_terminal_velocity,
    check_updates_in_epochs,
    make_check,
    standard_cases,
)
from .numeric import check_number
from .result import CheckResult
from .rules import Case, Mistake, UpdateRule
from .update_rule import check_update_rule

__all__ = [
    "CheckResult", "UpdateRule", "Case", "Mistake", "check_update_rule", "check_number",
    "make_check", "standard_cases", "GD_STEP", "SGD_SCHEDULE_STEP", "check_gd_step",
    "check_sgd_schedule_step", "check_largest_lr", "MOMENTUM_STEP", "NESTEROV_STEP",
    "check_momentum_step", "check_nesterov_step", "check_terminal_velocity",
    "check_updates_in_epochs",
    "ADAGRAD_STEP", "RMSPROP_STEP", "ADAM_STEP", "check_adagrad_step", "check_rmsprop_step",
    "check_adam_step", "check_adam_first_step",
]
