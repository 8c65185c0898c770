"""Exercise checks that diagnose: on failure they say what differs, where first, and why.

- ``check_update_rule(fn, rule)`` for "implement this update rule" exercises, described by
  an ``UpdateRule`` (with its ``Case``s and known ``Mistake``s);
- ``check_number(answer, expected, name=...)`` for predict-then-check exercises;
- ready-made checks for the notebooks: ``check_gd_step``, ``check_sgd_schedule_step``,
  ``check_largest_lr``, ``check_momentum_step``, ``check_nesterov_step``,
  ``check_terminal_velocity``, ``check_updates_in_epochs``, ``check_adagrad_step``,
  ``check_rmsprop_step``, ``check_adam_step``, ``check_adam_first_step``,
  ``check_newton_step``, ``check_linear_cg``, ``check_two_loop``, ``check_cg_iterations``.

Every check returns a ``CheckResult`` (its repr is the message) and never raises.
Hidden tests (``check_random_cases`` and friends, in ``hidden`` and ``hidden_second_order``)
use cases drawn at grading time; ``scoreboard(points, by_hand)`` shows a notebook's running score.
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
from .hidden import (
    check_adam_first_step_by_running,
    check_epoch_updates_by_counting,
    check_lr_limit_by_running,
    check_random_cases,
    check_recomputed,
    check_terminal_velocity_by_running,
    hidden_cases,
)
from .hidden_second_order import (
    check_cg_iterations_by_running,
    check_linear_cg_random,
    check_newton_step_random,
    check_two_loop_random,
)
from .linear_cg_exercise import check_linear_cg
from .numeric import check_number
from .result import CheckResult
from .rules import Case, Mistake, UpdateRule
from .scoreboard import scoreboard
from .second_order_exercises import (
    NEWTON_STEP,
    check_cg_iterations,
    check_newton_step,
    check_two_loop,
)
from .update_rule import check_update_rule

__all__ = [
    "CheckResult", "UpdateRule", "Case", "Mistake", "check_update_rule", "check_number",
    "make_check", "standard_cases", "GD_STEP", "SGD_SCHEDULE_STEP", "check_gd_step",
    "check_sgd_schedule_step", "check_largest_lr", "MOMENTUM_STEP", "NESTEROV_STEP",
    "check_momentum_step", "check_nesterov_step", "check_terminal_velocity",
    "check_updates_in_epochs",
    "ADAGRAD_STEP", "RMSPROP_STEP", "ADAM_STEP", "check_adagrad_step", "check_rmsprop_step",
    "check_adam_step", "check_adam_first_step",
    "hidden_cases", "check_random_cases", "check_recomputed", "check_lr_limit_by_running",
    "check_epoch_updates_by_counting", "check_terminal_velocity_by_running", "scoreboard",
    "NEWTON_STEP", "check_newton_step", "check_linear_cg", "check_two_loop",
    "check_cg_iterations", "check_adam_first_step_by_running", "check_newton_step_random",
    "check_linear_cg_random", "check_two_loop_random", "check_cg_iterations_by_running",
]
