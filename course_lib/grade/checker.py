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
import hashlib
import io
import re
import time
import warnings
from dataclasses import dataclass

import numpy as np

from .. import checks, lessons
from ..checks import hidden
from . import static_check
from .collect import Submission
from .proxy import RemoteFunction, value
from .sandbox import Jail, Limits, Sandbox, SandboxBroken, Stopped

LOUD_PRINTING = 10_000            # characters an answer may print before the feedback says so
MAGIC = re.compile(r"^\s*[%!]|\?\s*$", re.MULTILINE)


@dataclass
class Row:
    """One line of the gradebook."""

    student: str
    notebook: str
    exercise: str
    points: float | None        # None: graded by hand, or could not be graded
    max_points: float
    feedback: str
    kind: str = "auto"          # "auto", "manual" or "error" (the grader failed)


@dataclass(frozen=True)
class Job:
    submission: Submission
    exercises: tuple
    limits: Limits
    jail: Jail
    seed: int


@dataclass
class JobResult:
    rows: list
    seconds: float
    landlock: int


def exercise_seed(seed: int, *parts: str) -> int:
    """The hidden cases' seed for one (student, notebook, exercise): different for each."""
    text = ":".join([str(seed), *parts]).encode("utf-8")
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big")


def grade_submission(job: Job) -> JobResult:
    start, sub, rows, landlock = time.perf_counter(), job.submission, [], 0
    for ex in job.exercises:
        kind = "manual" if ex.kind == "manual" else "auto"
        try:
            if sub.error:
                points, feedback = 0.0, f"✘ {sub.error}"
            elif ex.name not in sub.answers:
                points, feedback = 0.0, f"✘ the answer cell {ex.name!r} is missing"
            elif ex.name in sub.untouched:
                points, feedback = 0.0, ("… not answered: the answer cell is unchanged"
                                         if ex.kind == "manual" else
                                         "… not done yet: the answer cell is unchanged")
            elif ex.kind == "manual":
                points, feedback = None, "graded by hand"
            else:
                seed = exercise_seed(job.seed, sub.student, sub.notebook, ex.name)
                points, feedback, used = grade_exercise(ex, sub.answers[ex.name], seed,
                                                        job.limits, job.jail)
                landlock = max(landlock, used)
        except SandboxBroken as err:
            points, feedback, kind = None, f"could not be graded: {err}", "error"
        except Exception as err:   # noqa: BLE001 - a bug of the grader: report, go on
            points, feedback, kind = None, ("could not be graded (a bug of the grader): "
                                            f"{type(err).__name__}: {err}"), "error"
        feedback = "\n".join([feedback, *sub.notes.get(ex.name, [])])
        rows.append(Row(sub.student, sub.notebook, ex.name, points, ex.points, feedback, kind))
    return JobResult(rows, time.perf_counter() - start, landlock)


def grade_exercise(ex, source: str, seed: int, limits: Limits, jail: Jail):
    """(points, feedback, Landlock ABI used) for one answer. An exercise whose lesson
    forbids a built-in (``FORBIDDEN``) has its answer read first (``static_check``): a
    route to the forbidden function scores 0 unrun; the check's own spy is a second line."""
    policy = static_check.policy_for(checks_module(ex.notebook), ex.name)
    source = prepare(source)
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
        return False, out.getvalue()[:20_000].strip(), str(err).strip()
    except Exception as err:   # noqa: BLE001 - e.g. a NameError: no points, say why
        return False, out.getvalue()[:20_000].strip(), f"✘ {type(err).__name__}: {err}"
    return True, out.getvalue()[:20_000].strip(), ""


def prepare(source: str) -> str:
    """The answer cell as plain Python: IPython magics become calls that fail with a clear
    message in the sandbox (it has no IPython), instead of a SyntaxError."""
    if not MAGIC.search(source):
        return source
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return source
    try:
        return TransformerManager().transform_cell(source)
    except Exception:   # noqa: BLE001 - leave it to the child's SyntaxError
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
