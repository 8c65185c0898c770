"""The checks of notebook 07 (section 8.6), one module per exercise.

- ``newton``: a damped Newton step, with a tripwire on explicit inverses;
- ``linear_cg``: linear conjugate gradients, judged by the properties only CG has;
- ``two_loop``: the L-BFGS two-loop recursion;
- ``cg_iterations``: predict-then-check, CG's iterations for three distinct eigenvalues;
- ``damping``: the tuning challenge solved with the explorer (``DAMPING``: a damping α for
  which plain Newton reaches a minimum of the double well, not its saddle, in 25 iterations).

``FORBIDDEN`` tells the grader which answers it reads before running them
(``course_lib.grade.static_check``): Newton's step may solve but never invert; CG and the
two-loop recursion may use no solver, inverse or factorization at all (they *are* the
solver), only products and norms.

Each has a ``*_random``, ``*_by_running`` or ``*_nearby`` twin for the hidden tests. The
notebook's check cells call these as ``checks.<name>`` (the grader binds ``checks`` to this
package too).
"""

from ....checks import check_random_cases, scoreboard  # noqa: F401 - called by check cells
from .cg_iterations import (
    check_cg_iterations,
    check_cg_iterations_by_running,
    three_eigenvalue_system,
)
from .damping import DAMPING, check_tuned_alpha, check_tuned_alpha_nearby
from .linear_cg import a_conjugacy, check_linear_cg, check_linear_cg_random, spd_matrix
from .newton import NEWTON_STEP, check_newton_step, check_newton_step_random
from .two_loop import check_two_loop, check_two_loop_random

FORBIDDEN = {"newton_step": "inverse", "linear_cg": "linear algebra",
             "two_loop": "linear algebra"}

__all__ = ["FORBIDDEN", "NEWTON_STEP", "check_newton_step", "check_newton_step_random",
           "check_linear_cg",
           "check_linear_cg_random", "spd_matrix", "a_conjugacy", "check_two_loop",
           "check_two_loop_random", "check_cg_iterations", "check_cg_iterations_by_running",
           "three_eigenvalue_system", "scoreboard", "check_random_cases", "DAMPING",
           "check_tuned_alpha", "check_tuned_alpha_nearby"]

