"""The checks of notebook 06 (section 8.5), one module per kind of exercise.

- ``steps``: one step of AdaGrad, RMSProp and Adam (Algorithms 8.4, 8.5, 8.7), each an
  ``UpdateRule`` with the learners' usual mistakes; the first case of every rule starts
  mid-run (accumulators non-zero, for Adam t = 5) with δ = 0.1, where δ's place matters;
- ``first_step``: predict-then-check, the length of Adam's first step;
- ``tuning``: the tuning challenge solved with the explorer (``TUNING``: one method and its
  settings that reach J − J* ≤ 10⁻⁸ within 120 steps on the rotated bowl).

Hidden tests: ``check_random_cases`` for the update rules, ``check_adam_first_step_by_running``
and ``check_tuned_run_nearby``. The notebook's check cells call these as ``checks.<name>``
(the grader binds ``checks`` to this package too).
"""

from ....checks import check_random_cases, scoreboard  # noqa: F401 - called by check cells
from .first_step import (
    ADAM_DELTA,
    ADAM_G,
    ADAM_RHO1,
    ADAM_RHO2,
    check_adam_first_step,
    check_adam_first_step_by_running,
)
from .steps import (
    ADAGRAD_FORMULA,
    ADAGRAD_STEP,
    ADAM_FORMULA,
    ADAM_STEP,
    RMSPROP_FORMULA,
    RMSPROP_STEP,
    check_adagrad_step,
    check_adam_step,
    check_rmsprop_step,
)
from .tuning import TUNING, check_tuned_run, check_tuned_run_nearby

__all__ = ["ADAGRAD_STEP", "RMSPROP_STEP", "ADAM_STEP", "ADAGRAD_FORMULA", "RMSPROP_FORMULA",
           "ADAM_FORMULA", "check_adagrad_step", "check_rmsprop_step", "check_adam_step",
           "ADAM_G", "ADAM_RHO1", "ADAM_RHO2", "ADAM_DELTA", "check_adam_first_step",
           "check_adam_first_step_by_running", "TUNING", "check_tuned_run",
           "check_tuned_run_nearby", "check_random_cases", "scoreboard"]
