"""The checks of notebook 02 (section 8.2), one module per exercise.

- ``clipping``: ``clip_by_norm(g, threshold)``, told apart from value clipping, a test per
  coordinate and other norms;
- ``one_step``: predict-then-check, the largest ε for which one step lowers a quadratic;
- ``critical_points``: ``classify_critical_point(H)`` on rotated and degenerate Hessians;
- ``cliff_tuning``: the tuning challenge solved with the cliff explorer.

Each has a ``*_random``, ``*_by_running`` or ``*_nearby`` twin for the hidden tests. The
notebook's check cells call these as ``checks.<name>`` (the grader binds ``checks`` to this
package too). ``calls`` runs a learner's function safely.
"""

from ....checks import scoreboard  # noqa: F401 - called by the running-score cell
from .cliff_tuning import CLIFF_TUNING, check_cliff_settings, check_cliff_settings_nearby
from .clipping import check_clip_by_norm, check_clip_by_norm_random, random_clip_cases
from .critical_points import check_classify, check_classify_random, random_hessians
from .one_step import check_one_step_lr, check_one_step_lr_by_running

__all__ = ["check_clip_by_norm", "check_clip_by_norm_random", "random_clip_cases",
           "check_one_step_lr", "check_one_step_lr_by_running", "check_classify",
           "check_classify_random", "random_hessians", "check_cliff_settings",
           "check_cliff_settings_nearby", "CLIFF_TUNING", "scoreboard"]
