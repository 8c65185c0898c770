"""Grade a folder of submitted notebooks: ``python -m course_lib.grade SUBMISSIONS_DIR``.

Each auto-graded exercise of each submission runs in a sandboxed child process of its own
(``sandbox``, ``child``, ``guard``) that executes only the learner's answer cell; the check
and the hidden tests run in the trusted grader against proxies of the learner's names
(``checker``, ``proxy``), with hidden cases drawn from a seed chosen at grading time. The
exercises come from the instructor sources (``exercises``), the answers from nbgrader's
``submitted/<student>/<notebook>/<notebook>.ipynb`` layout (``collect``); the results go to a
CSV gradebook, one feedback file per student and a summary table (``report``). See the
README's section for graders (threat model) and docs/maintainers.md (how to write an
exercise the grader handles).

Importing this package loads numpy and course_lib.checks only; ``child.py``, ``guard.py``
and ``wire.py`` are also loaded by path inside the sandbox, with the standard library and
numpy alone.
"""

from .runner import Report, grade_folder
from .sandbox import Jail, Limits

__all__ = ["grade_folder", "Report", "Limits", "Jail"]
