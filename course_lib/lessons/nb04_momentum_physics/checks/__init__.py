"""The checks of notebook 04, one module per exercise.

- ``steps``: one step of momentum (Algorithm 8.2) and of Nesterov momentum (Algorithm 8.3),
  as update rules with the mistakes learners make, named;
- ``terminal``: predict then check, the terminal-velocity factor 1/(1 − α) of eq. 8.17;
- ``tuning``: a tuning challenge solved with the explorer (ε and α that make momentum
  converge within a budget of steps);
- ``diagnosis``: diagnose four broken runs of momentum from their loss curves.

Hidden tests: ``check_random_cases``, ``check_terminal_velocity_by_running`` (the velocity
update iterated under a random constant gradient), ``check_tuned_momentum_nearby`` (the
recorded ε and α from another start) and ``check_diagnosis_by_running`` (each run's cause
found by trying the cures on a nearby run). The notebook's check cells call these as
``checks.<name>`` (the grader binds ``checks`` to this package too).
"""

from ....checks import (  # noqa: F401 - the notebook's check cells call these
    Case,
    Mistake,
    UpdateRule,
    check_number,
    check_random_cases,
    scoreboard,
)
from .diagnosis import CAUSES, check_diagnosis, check_diagnosis_by_running
from .steps import MOMENTUM_STEP, NESTEROV_STEP, check_momentum_step, check_nesterov_step
from .terminal import check_terminal_velocity, check_terminal_velocity_by_running
from .tuning import CHALLENGE_STEPS, TUNING, check_tuned_momentum, check_tuned_momentum_nearby

__all__ = ["MOMENTUM_STEP", "NESTEROV_STEP", "check_momentum_step", "check_nesterov_step",
           "check_terminal_velocity", "check_terminal_velocity_by_running", "CHALLENGE_STEPS",
           "TUNING", "check_tuned_momentum", "check_tuned_momentum_nearby", "CAUSES",
           "check_diagnosis", "check_diagnosis_by_running", "check_random_cases", "scoreboard",
           "check_number", "Case", "Mistake", "UpdateRule"]
