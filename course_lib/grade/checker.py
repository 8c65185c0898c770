"""Grade one submitted notebook: every auto-graded exercise in a sandbox of its own.

For an exercise, a fresh child runs the learner's answer cell (``sandbox``); here, in the
trusted process, the check cell from the *instructor source* (visible check and hidden
tests) runs with ``checks`` (the notebook's lesson checks, ``lessons.checks_for``) and ``np``
from this process and the learner's names as proxies
(``proxy``). Whatever the answer patches in its own process cannot reach this one. The
exercise earns its points when the check cell finishes without an exception, as in nbgrader.
The feedback is what the check printed, then the failing hidden test's message, with the
reason if the child had to be stopped.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import warnings

import numpy as np

from .. import checks, lessons
from ..checks import hidden
from . import static_check
from .proxy import RemoteFunction, value
from .sandbox import Jail, Limits, Sandbox, Stopped
from .submission import Job, JobResult, Row, exercise_seed, grade_submission  # noqa: F401

LOUD_PRINTING = 10_000            # characters an answer may print before the feedback says so
MAX_FAILURE = 2_000               # characters of a failing assert's message in the feedback


def grade_exercise(ex, source: str, seed: int, limits: Limits, jail: Jail):
    """(points, feedback, Landlock ABI used) for one answer. An exercise whose lesson
    forbids a built-in (``FORBIDDEN``) has its answer read first (``static_check``): a
    route to the forbidden function scores 0 unrun; the check's own spy is a second line."""
    policy = static_check.policy_for(checks_module(ex.notebook), ex.name)
    source = prepare(source)
    if policy is not None and len(source) > static_check.MAX_READ:
        return 0.0, (f"✘ Your answer cell has {len(source):,} characters: this exercise's "
                     f"answers are read before they run, up to {static_check.MAX_READ:,} "
                     "characters (the reference needs under 1,000). Shorten it."), 0
    found = static_check.check(source, policy)
    if found:
        return 0.0, static_check.feedback(found, policy), 0
    sandbox = Sandbox(source, ex.names, limits, jail)
    try:
        try:
            ready = sandbox.start()
        except Stopped as stop:
            return 0.0, f"✘ {_sentence(str(stop))}", sandbox.landlock
        namespace = {"__builtins__": builtins, "checks": checks_module(ex.notebook), "np": np}
        missing = []
        for name in ex.names:
            info = ready["names"].get(name)
            kind = info.get("kind") if isinstance(info, dict) else "missing"
            if kind == "function":
                namespace[name] = RemoteFunction(sandbox, name, info.get("params"))
            elif kind == "value":
                namespace[name] = value(info.get("value"))
            else:
                missing.append(name)
        parts = [_cell_error(ready.get("cell_error"))]
        if missing:
            parts.append(f"✘ your answer cell does not define {', '.join(missing)}")
            return 0.0, _join(parts), sandbox.landlock
        passed, printed, failure = run_check(ex, namespace, seed)
    finally:
        sandbox.close()
    if sandbox.reason:
        parts.insert(0, f"✘ {_sentence(sandbox.reason)}")
    parts.append(printed)
    if not passed and failure.strip() not in printed:
        parts.append(failure)
    if passed and "HIDDEN TESTS" in ex.check_source:
        parts.append("✔ The hidden tests pass too (new random cases).")
    if ready.get("printed", 0) > LOUD_PRINTING:
        parts.append(f"(your answer printed {ready['printed']:,} characters while grading; "
                     "printed output is discarded)")
    return (ex.points if passed else 0.0), _join(parts), sandbox.landlock


def checks_module(notebook: str):
    """What the check cells of ``notebook`` call ``checks``: its lesson's checks, or the
    generic ``course_lib.checks`` for a notebook without a lesson package (a test course)."""
    if notebook in lessons.notebook_names():
        return lessons.checks_for(notebook)
    return checks


def run_check(ex, namespace: dict, seed: int) -> tuple[bool, str, str]:
    """Run the check cell: (passed, what it printed, why it failed)."""
    out = io.StringIO()
    code = compile(ex.check_source, f"<{ex.check_id}>", "exec")
    try:
        with contextlib.redirect_stdout(out), hidden.grading_seed(seed), \
                warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            exec(code, namespace)
    except AssertionError as err:
        return False, out.getvalue()[:20_000].strip(), _text(err)[:MAX_FAILURE].strip()
    except Exception as err:   # noqa: BLE001 - e.g. a NameError: no points, say why
        return (False, out.getvalue()[:20_000].strip(),
                f"✘ {type(err).__name__}: {_text(err)[:MAX_FAILURE]}")
    return True, out.getvalue()[:20_000].strip(), ""


def _text(err: BaseException) -> str:
    try:
        return str(err)
    except Exception:   # noqa: BLE001 - an exception whose message cannot be made
        return f"<{type(err).__name__}>"


def prepare(source: str) -> str:
    """The answer cell as sent to the sandbox: unchanged. IPython magics and shell commands
    (``%``, ``!``, ``x?``) are turned into calls that fail with a clear message by the child
    itself (``child.magics_as_calls``, one linear pass, only if the cell does not compile):
    no text of the answer is parsed in the grader."""
    return source


def _cell_error(info) -> str:
    if not isinstance(info, dict):
        return ""
    where = f" ({info['where']})" if info.get("where") else ""
    return (f"⚠ your answer cell raised {str(info.get('type'))[:60]}: "
            f"{str(info.get('message'))[:300]}{where}; the names it defined before that "
            "were graded")


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _join(parts) -> str:
    return "\n".join(part for part in parts if part)
