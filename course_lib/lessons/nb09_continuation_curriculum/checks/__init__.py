"""The checks of notebook 09 (section 8.7.6), one module per exercise.

- ``stage``: one continuation stage (Monte Carlo blurred gradient, descent from θ);
- ``metropolis``: the Metropolis acceptance rule, with the classic mistakes named;
- ``basin``: predict, then check: the local minimum gradient descent reaches;
- ``schedule``: the tuning challenge solved with the σ-schedule explorer.

Each has a hidden twin (``*_random``, ``*_by_running``, ``*_nearby``) that draws new cases
at grading time. The notebook's check cells call these as ``checks.<name>``.
"""

from ....checks import scoreboard  # noqa: F401 - called by the running-score cell
from .basin import check_basin, check_basin_by_running
from .metropolis import CASES as METROPOLIS_CASES
from .metropolis import check_metropolis_accept, check_metropolis_accept_random
from .schedule import SIGMA_SCHEDULE, check_sigma_schedule, check_sigma_schedule_nearby
from .stage import check_continuation_stage, check_continuation_stage_random

__all__ = ["check_continuation_stage", "check_continuation_stage_random",
           "check_metropolis_accept", "check_metropolis_accept_random", "METROPOLIS_CASES",
           "check_basin", "check_basin_by_running", "SIGMA_SCHEDULE", "check_sigma_schedule",
           "check_sigma_schedule_nearby", "scoreboard"]
