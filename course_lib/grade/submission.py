"""Grade one submitted notebook (one job of the pool): every exercise, whatever happens.

``grade_submission`` never raises for anything a submission holds: a notebook that could not
be read, a missing, oversized or non-text answer cell, an answer that breaks its sandbox, a
child that sends garbage; each gives that exercise 0 with the cause. Only a sandbox that
fails to start for reasons of the machine (``SandboxBroken``) is tried once more, then
reported as an "error" row (the summary asks to grade it again).

Hidden cases: each exercise's seed is derived from the lecturer's secret and a hash of
(student, notebook, exercise) (``exercise_seed``), so a regrade with the same secret draws
the same cases, and nobody without the secret can tell which. The seed is never shown:
``hidden_result`` names it in its message (for the notebook), and it is cut out here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass

from .collect import Submission
from .sandbox import Jail, Limits, SandboxBroken, Stopped

MAX_FEEDBACK = 20_000       # characters of feedback per exercise, in the CSV and the files
_SEED = re.compile(r"(?:, )?\bseed -?\d+")


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
    secret: bytes | int         # the lecturer's secret (an int: a test's fixed secret)


@dataclass
class JobResult:
    rows: list
    seconds: float
    landlock: int


def exercise_seed(secret, *parts: str) -> int:
    """The hidden cases' seed for one (student, notebook, exercise): HMAC-SHA256 of the parts
    under the secret, so different for each and unpredictable without the secret."""
    key = secret if isinstance(secret, bytes) else f"test secret {secret}".encode()
    text = "\0".join(parts).encode("utf-8", "surrogateescape")
    return int.from_bytes(hmac.new(key, text, hashlib.sha256).digest()[:4], "big")


def grade_submission(job: Job) -> JobResult:
    start, sub, rows, landlock = time.perf_counter(), job.submission, [], 0
    for ex in job.exercises:
        kind = "manual" if ex.kind == "manual" else "auto"
        try:
            if sub.error:
                points, feedback = 0.0, f"✘ {sub.error}"
            elif ex.name in sub.broken:
                points, feedback = 0.0, f"✘ {sub.broken[ex.name]}"
            elif ex.name not in sub.answers:
                points, feedback = 0.0, f"✘ the answer cell {ex.name!r} is missing"
            elif ex.name in sub.untouched:
                points, feedback = 0.0, ("… not answered: the answer cell is unchanged"
                                         if ex.kind == "manual" else
                                         "… not done yet: the answer cell is unchanged")
            elif ex.kind == "manual":
                points, feedback = None, "graded by hand"
            else:
                seed = exercise_seed(job.secret, sub.student, sub.notebook, ex.name)
                points, feedback, used = _graded(ex, sub.answers[ex.name], seed, job)
                feedback = hide_seed(feedback, seed)
                landlock = max(landlock, used)
        except Stopped as stop:               # the answer broke its sandbox while starting
            points, feedback = 0.0, f"✘ {stop}"
        except SandboxBroken as err:
            points, feedback, kind = None, f"could not be graded: {err}", "error"
        except Exception as err:   # noqa: BLE001 - a bug of the grader: report, go on
            points, feedback, kind = None, ("could not be graded (a bug of the grader): "
                                            f"{type(err).__name__}: {str(err)[:300]}"), "error"
        feedback = clip("\n".join([feedback, *sub.notes.get(ex.name, [])]))
        rows.append(Row(sub.student, sub.notebook, ex.name, points, ex.points, feedback, kind))
    return JobResult(rows, time.perf_counter() - start, landlock)


def _graded(ex, source: str, seed: int, job: Job):
    """``grade_exercise``, tried a second time if the sandbox failed to start (a problem of
    the machine, e.g. overloaded); the second failure is the error reported."""
    from .checker import grade_exercise

    try:
        return grade_exercise(ex, source, seed, job.limits, job.jail)
    except SandboxBroken:
        return grade_exercise(ex, source, seed, job.limits, job.jail)


def hide_seed(text: str, seed: int) -> str:
    """``text`` without the hidden cases' seed ("…, seed 123…" as ``hidden_result`` says)."""
    text = _SEED.sub("", text)
    return text.replace(str(seed), "…") if seed >= 100_000 else text


def clip(text: str, limit: int = MAX_FEEDBACK) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… (feedback cut at {limit:,} characters)"
