"""``grade_folder``: the whole run, from a folder of submissions to the gradebook.

1. read the exercises from the instructor sources and every submission (``collect``), once,
   before any submitted code runs;
2. grade the submissions in parallel, one job per (student, notebook) in a process pool of
   trusted workers, each exercise in a sandboxed child of its own (``checker``); a worker
   that dies is replaced and its job tried again once;
3. before grading, compare each answer with the reference and the other students'
   (``similarity``: a flag for the lecturer, in the CSV and the summary only);
4. write the CSV as it goes (each notebook's rows when graded, so a run that is killed keeps
   them), then in order, with the feedback files (``report``), after every child is gone.

Without Landlock the sandbox rests on the audit hook alone, which a determined answer can
get around: ``grade_folder`` then refuses to grade (``Refused``) unless ``unsafe=True``.
Temporary folders are removed on every way out (``finally``), and each child dies with the
worker that started it and is killed with its whole process group.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from . import collect, report, similarity
from .checker import checks_module
from .exercises import load_sources
from .guard import landlock_abi
from .sandbox import REFERENCE, Jail, Limits
from .submission import Job, JobResult, Row, grade_submission
from .syscalls import seccomp_available

REPO = Path(REFERENCE).parent
DEFAULT_SOURCE = REPO / "instructor" / "source"
UNSAFE = ("without Landlock the sandbox rests on Python's audit hook alone, which a "
          "determined answer can get around: it could then read and change your files (the "
          "instructor sources with their hidden tests, the gradebook, other submissions, "
          "anything your user may touch), signal or kill your processes, and keep running "
          "after the grader has finished")


def _course_checkouts(source: Path) -> list[Path]:
    """The course checkouts no submission may read: the one whose course_lib runs the
    grading (``REPO``) and the one holding ``source``, when the sources come from another."""
    found = []
    for folder in (REPO, *Path(source).resolve().parents):
        if (folder / "pyproject.toml").is_file() and (folder / "course_lib").is_dir() \
                and folder not in found:
            found.append(folder)
    return found


class Refused(ValueError):
    """The grader will not grade here (no Landlock and not ``unsafe``); the message says why."""


@dataclass
class Report:
    rows: list
    notebooks: list
    problems: list = field(default_factory=list)
    reproducible: bool = True       # False: a one-off secret, the run cannot be repeated
    seconds: float = 0.0
    job_seconds: list = field(default_factory=list)
    landlock: int = 0
    jobs: int = 1
    seccomp: bool = False
    similarity: dict = field(default_factory=dict)  # {(student, notebook, exercise): note}

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if r.kind == "error")


def grade_folder(submissions, out, source=None, feedback_dir=None, jobs: int | None = None,
                 limits: Limits | None = None, seed: int | None = None,
                 landlock: bool = True, *, secret: bytes | None = None, unsafe: bool = False,
                 secret_path=None, seccomp: bool = True) -> Report:
    """Grade every ``<student>/<notebook>/<notebook>.ipynb`` under ``submissions``; write the
    CSV ``out`` and ``feedback_dir/<student>.md`` (default: ``<out stem>_feedback``).

    Hidden cases come from ``secret`` (the lecturer's, bytes; None: a one-off random one)
    and a hash of each (student, notebook, exercise); ``seed`` (an int) stands for a fixed
    test secret. ``secret_path``, the file holding the secret, is kept from the sandbox.
    Without Landlock (or ``landlock=False``) this raises ``Refused`` unless ``unsafe``.
    Where the kernel offers it (Linux x86-64), every child also filters its system calls
    with seccomp (``guard.seccomp``) unless ``seccomp=False``."""
    start = time.perf_counter()
    out = Path(out)
    source = Path(source) if source is not None else DEFAULT_SOURCE
    feedback_dir = Path(feedback_dir) if feedback_dir else out.with_name(out.stem + "_feedback")
    reproducible = secret is not None or seed is not None
    key = secret if secret is not None else int(seed) if seed is not None \
        else secrets.token_bytes(32)
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    limits = limits or Limits()
    abi = landlock_abi() if landlock else 0
    if not abi and not unsafe:
        why = "Landlock is turned off (--no-landlock)" if not landlock else \
            "this system offers no Landlock (Linux 5.13 or later with Landlock enabled)"
        raise Refused(f"refusing to grade: {why}, and {UNSAFE}. Grade on a system with "
                      "Landlock, or pass --unsafe to grade anyway (only submissions you trust)")
    exercises = load_sources(source)
    for name in exercises:          # imported before the workers fork, never again from disk
        checks_module(name)
    found, problems = collect.find(submissions, exercises)
    subs = [collect.read(student, name, path, exercises[name]) for student, name, path in found]
    flags = similarity.flags(subs, exercises)
    temp_root = os.path.realpath(tempfile.mkdtemp(prefix="course-grade-"))
    log = None
    try:
        protected = [source, collect.submissions_root(submissions), out, feedback_dir,
                     temp_root, *([secret_path] if secret_path else [])]
        protected += _course_checkouts(source)
        jail = Jail(temp_root, tuple(os.path.realpath(p) for p in protected), bool(abi),
                    seccomp and seccomp_available())
        work = [Job(sub, tuple(exercises[sub.notebook]), limits, jail, key) for sub in subs]
        log = report.RowLog(out, flags)
        results = run_jobs(work, jobs, done=log.add)
    finally:
        if log is not None:
            log.close()
        shutil.rmtree(temp_root, ignore_errors=True)
    order = {name: i for i, name in enumerate(sorted(exercises))}
    rows = [row for result in results for row in result.rows]
    rows.sort(key=lambda r: (r.student, order[r.notebook]))
    report.write_csv(rows, out, flags)
    report.write_feedback(rows, feedback_dir)
    return Report(rows, sorted(exercises), problems, reproducible, time.perf_counter() - start,
                  [r.seconds for r in results], max([r.landlock for r in results] + [0]), jobs,
                  similarity=flags, seccomp=jail.seccomp)


def run_jobs(work: list, jobs: int, grade=grade_submission, done=None) -> list:
    """``grade_submission`` for every job, ``jobs`` at a time, in worker processes.

    Workers are forked (on Linux) after the notebooks' checks are imported, so they never
    read the checker's code from disk again. If a worker dies, its pool "breaks" and every
    job it had not finished fails: those are run again, each in a pool of its own, so that a
    job that kills its worker again cannot take others with it (its rows say so).
    ``grade`` is the function run for each job (a module-level function, for the pool);
    ``done(rows)``, if given, is called with each job's rows as soon as they are final.
    """
    results: list = [None] * len(work)
    done = done or (lambda rows: None)
    failed = _round(grade, work, range(len(work)), jobs, results, done)
    for index in failed:
        if _round(grade, work, [index], 1, results, done):
            results[index] = _lost(work[index], "the grading process was killed twice")
            done(results[index].rows)
    return results


def _round(grade, work, indices, jobs, results, done) -> list:
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    indices, failed = list(indices), []
    if not indices:
        return failed
    with ProcessPoolExecutor(max_workers=min(jobs, len(indices)),
                             mp_context=multiprocessing.get_context(method)) as pool:
        futures = {pool.submit(grade, work[i]): i for i in indices}
        for future in as_completed(futures):
            index = futures[future]
            try:
                results[index] = future.result()
            except BrokenProcessPool:
                failed.append(index)
                continue
            except Exception as err:   # noqa: BLE001 - e.g. a job that could not be sent
                results[index] = _lost(work[index], "a bug of the grader: "
                                       f"{type(err).__name__}: {str(err)[:300]}")
            done(results[index].rows)
    return sorted(failed)


def _lost(job: Job, why: str) -> JobResult:
    sub = job.submission
    rows = [Row(sub.student, sub.notebook, ex.name, None, ex.points,
                f"could not be graded: {why}", "error") for ex in job.exercises]
    return JobResult(rows, 0.0, 0)
