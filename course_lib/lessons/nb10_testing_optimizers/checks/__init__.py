"""The checks of notebook 10, one module per exercise.

- ``unit_test``: write the pass criterion of the tilted well (``check_passes``; hidden:
  ``check_passes_random``);
- ``diagnose``: why AdaGrad fails the drifting optimum, and after how many steps
  (``check_adagrad_diagnosis``; hidden: ``check_adagrad_steps_by_running``);
- ``hypergradient``: one step of SGD-HD (``check_hypergradient_step``; hidden:
  ``check_hypergradient_random``);
- ``predict``: which optimizers pass the kink at scale 1000 (``check_passing``; hidden:
  ``check_passing_other_seeds``).

The notebook's check cells call these as ``checks.<name>`` (the grader binds ``checks`` to
this package too).
"""

from ....checks import check_random_cases, scoreboard  # noqa: F401 - called by check cells
from .diagnose import CHOICES, check_adagrad_diagnosis, check_adagrad_steps_by_running
from .hypergradient import (
    HYPERGRADIENT_STEP,
    check_hypergradient_random,
    check_hypergradient_step,
)
from .predict import CANDIDATES, check_passing, check_passing_other_seeds
from .unit_test import Z_STAR, check_passes, check_passes_random, reference_passes

__all__ = ["check_passes", "check_passes_random", "reference_passes", "Z_STAR",
           "check_adagrad_diagnosis", "check_adagrad_steps_by_running", "CHOICES",
           "HYPERGRADIENT_STEP", "check_hypergradient_step", "check_hypergradient_random",
           "check_passing", "check_passing_other_seeds", "CANDIDATES", "scoreboard",
           "check_random_cases"]
