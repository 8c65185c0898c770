"""Exercise checks that diagnose: the machinery every notebook's exercises use.

On failure a check says what differs, where first, and why. This package holds only what is
common to all exercises; each notebook's own checks (its ``UpdateRule``s, predict-then-check
answers and hidden cases) live with it, in ``course_lib/lessons/<notebook>/checks.py``.

- ``check_update_rule(fn, rule)`` for "implement this update rule" exercises, described by
  an ``UpdateRule`` (with its ``Case``s and known ``Mistake``s); ``cases.standard_cases`` and
  ``cases.make_check`` build most rules' cases and checks;
- ``check_number(answer, expected, name=...)`` for predict-then-check exercises;
- hidden tests on cases drawn at grading time: ``check_random_cases`` (any update rule),
  ``check_recomputed`` (a number recomputed another way), ``hidden.hidden_check`` to
  register a lesson's own;
- ``scoreboard(points, by_hand)``: a notebook's running score.

Every check returns a ``CheckResult`` (its repr is the message) and never raises.
``safe_call`` runs a learner's function with a time limit. Importing this package loads
numpy only.
"""

from .hidden import check_random_cases, check_recomputed, hidden_cases, hidden_check
from .numeric import check_number
from .result import CheckResult, never_raises
from .rules import Case, Mistake, UpdateRule
from .scoreboard import scoreboard
from .update_rule import check_update_rule

__all__ = ["CheckResult", "never_raises", "UpdateRule", "Case", "Mistake",
           "check_update_rule", "check_number", "hidden_cases", "check_random_cases",
           "check_recomputed", "hidden_check", "scoreboard"]
