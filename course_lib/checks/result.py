"""``CheckResult``: what every exercise check returns, and how it prints.

A notebook shows a result through its plain-text ``repr``, which is the message itself: a
status mark, then what was checked and (on failure) what differs and why. The text is
deterministic (no memory addresses, timings or random numbers), so that nbval can compare
notebook outputs and graders see the same words as learners.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np

MARKS = {"passed": "✔", "not done yet": "…", "failed": "✘", "error": "⚠"}

_ADDRESS = re.compile(r"\s*\bat 0x[0-9a-fA-F]+|0x[0-9a-fA-F]+")


@dataclass
class CheckResult:
    """The outcome of a check.

    - ``passed``: True only for status ``"passed"``; also the result's truth value.
    - ``status``: ``"passed"``, ``"not done yet"``, ``"failed"`` (a wrong answer) or
      ``"error"`` (the answer could not be checked: an exception, a time-out, a wrong type).
    - ``message``: the full text shown to the learner, starting with the status mark.
    - ``details``: machine-readable facts for graders and tests (case, step, values...).
    """

    passed: bool
    status: str
    message: str
    details: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.status not in MARKS:
            raise ValueError(f"status must be one of {sorted(MARKS)}, got {self.status!r}")
        if self.passed != (self.status == "passed"):
            raise ValueError(f"passed={self.passed} contradicts status {self.status!r}")

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__


def _make(status: str, text: str, details: dict) -> CheckResult:
    # Exception texts may quote objects such as "<function f at 0x7f...>": drop the address
    # so that the message is the same on every run.
    text = _ADDRESS.sub("", text.strip())
    return CheckResult(status == "passed", status, f"{MARKS[status]} {text}", details)


def passed(text: str, **details) -> CheckResult:
    return _make("passed", text, details)


def not_done(text: str, **details) -> CheckResult:
    return _make("not done yet", text, details)


def failed(text: str, **details) -> CheckResult:
    return _make("failed", text, details)


def error(text: str, **details) -> CheckResult:
    return _make("error", text, details)


# The latest result of every check, by the check's name (``check_gd_step``...), for the
# running score a notebook shows in its last cell (``checks.scoreboard``). Only the outermost
# of nested checks records (``check_largest_lr`` calls ``check_number``).
RESULTS: dict = {}
_depth = [0]


def never_raises(check):
    """Decorator: a bug in the check itself becomes an ``"error"`` result, not a traceback.

    The result is also recorded in ``RESULTS`` under the check's name.
    """

    @functools.wraps(check)
    def guarded(*args, **kwargs):
        _depth[0] += 1
        try:
            result = check(*args, **kwargs)
        except KeyboardInterrupt:
            raise
        except BaseException as err:   # noqa: BLE001 - a check must never crash a notebook
            result = error(f"the check {check.__name__} itself failed, so your answer could "
                           f"not be checked ({type(err).__name__}: {err}). This is a bug in "
                           "course_lib, not necessarily in your code: please report it.",
                           check_bug=f"{type(err).__name__}: {err}")
        finally:
            _depth[0] -= 1
        if _depth[0] == 0 and isinstance(result, CheckResult):
            RESULTS[guarded.__name__] = result
        return result

    return guarded


# --- formatting shared by the messages --------------------------------------------------
def fmt(value) -> str:
    """A number or array with 6 significant digits, e.g. ``0.9`` or ``[0.9, -1.5]``."""
    try:
        array = np.asarray(value)
    except Exception:   # noqa: BLE001 - anything odd is shown with repr
        return repr(value)
    if array.dtype.kind not in "biuf":
        return repr(value)
    if array.ndim == 0:
        item = array.item()
        return str(item) if isinstance(item, (bool, int)) else f"{item:.6g}"
    return np.array2string(array, separator=", ", max_line_width=10_000, threshold=50,
                           formatter={"float_kind": lambda x: f"{x:.6g}", "int_kind": str})


def describe(value) -> str:
    """What kind of thing ``value`` is, in words: "a float", "a tuple of 2 items"..."""
    if value is None:
        return "None"
    if value is Ellipsis:
        return "`...` (Ellipsis)"
    if isinstance(value, (bool, np.bool_)):
        return f"a bool ({value})"
    if isinstance(value, (int, np.integer)):
        return f"an int ({value})"
    if isinstance(value, (float, np.floating)):
        return f"a float ({float(value):.6g})"
    if isinstance(value, str):
        return f"a str ({value[:30]!r})"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    kind = type(value).__name__
    return f"{'an' if kind[0] in 'aeiouAEIOU' else 'a'} {kind}"
