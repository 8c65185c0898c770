"""``grade_folder``: the whole run, from a folder of submissions to the gradebook.

1. read the exercises from the instructor sources and every submission (``collect``), once,
   before any submitted code runs;
2. grade the submissions in parallel, one job per (student, notebook) in a process pool of
   trusted workers, each exercise in a sandboxed child of its own (``checker``); a worker
   that dies is replaced and its job tried again once;
3. write the CSV and the feedback files (``report``), after every child is gone.
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

from . import collect, report
from .checker import Job, JobResult, Row, checks_module, grade_submission
from .exercises import load_sources
from .sandbox import REFERENCE, Jail, Limits

REPO = Path(REFERENCE).parent
DEFAULT_SOURCE = REPO / "instructor" / "source"


@dataclass
class Report:
    rows: list
    notebooks: list
    problems: list = field(default_factory=list)
    seed: int = 0
    seconds: float = 0.0
    job_seconds: list = field(default_factory=list)
    landlock: int = 0
    jobs: int = 1

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if r.kind == "error")


def grade_folder(submissions, out, source=None, feedback_dir=None, jobs: int | None = None,
                 limits: Limits | None = None, seed: int | None = None,
                 landlock: bool = True) -> Report:
    """Grade every ``<student>/<notebook>/<notebook>.ipynb`` under ``submissions``; write the
    CSV ``out`` and ``feedback_dir/<student>.md`` (default: ``<out stem>_feedback``)."""
    start = time.perf_counter()
    out = Path(out)
    source = Path(source) if source is not None else DEFAULT_SOURCE
    feedback_dir = Path(feedback_dir) if feedback_dir else out.with_name(out.stem + "_feedback")
    seed = secrets.randbits(32) if seed is None else int(seed)
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    limits = limits or Limits()
    exercises = load_sources(source)
    for name in exercises:          # imported before the workers fork, never again from disk
        checks_module(name)
    found, problems = collect.find(submissions, exercises)
    subs = [collect.read(student, name, path, exercises[name]) for student, name, path in found]
    temp_root = os.path.realpath(tempfile.mkdtemp(prefix="course-grade-"))
    try:
        protected = [source, collect.submissions_root(submissions), out, feedback_dir,
                     temp_root]
        if (REPO / "pyproject.toml").is_file():
            protected.append(REPO)
        jail = Jail(temp_root, tuple(os.path.realpath(p) for p in protected), landlock)
        work = [Job(sub, tuple(exercises[sub.notebook]), limits, jail, seed) for sub in subs]
        results = run_jobs(work, jobs)
    finally:
        shutil.rmtree(temp_root, ignore_errors=True)
    order = {name: i for i, name in enumerate(sorted(exercises))}
    rows = [row for result in results for row in result.rows]
    rows.sort(key=lambda r: (r.student, order[r.notebook]))
    report.write_csv(rows, out)
    report.write_feedback(rows, feedback_dir)
    return Report(rows, sorted(exercises), problems, seed, time.perf_counter() - start,
                  [r.seconds for r in results], max([r.landlock for r in results] + [0]), jobs)


def run_jobs(work: list, jobs: int, grade=grade_submission) -> list:
    """``grade_submission`` for every job, ``jobs`` at a time, in worker processes.

    Workers are forked (on Linux) after the notebooks' checks are imported, so they never
    read the checker's code from disk again. If a worker dies, its pool "breaks" and every
    job it had not finished fails: those are run again, each in a pool of its own, so that a
    job that kills its worker again cannot take others with it (its rows say so).
    ``grade`` is the function run for each job (a module-level function, for the pool).
    """
    results: list = [None] * len(work)
    failed = _round(grade, work, range(len(work)), jobs, results)
    for index in failed:
        if _round(grade, work, [index], 1, results):
            results[index] = _lost(work[index])
    return results


def _round(grade, work, indices, jobs, results) -> list:
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    indices, failed = list(indices), []
    if not indices:
        return failed
    with ProcessPoolExecutor(max_workers=min(jobs, len(indices)),
                             mp_context=multiprocessing.get_context(method)) as pool:
        futures = {pool.submit(grade, work[i]): i for i in indices}
        for future in as_completed(futures):
            try:
                results[futures[future]] = future.result()
            except BrokenProcessPool:
                failed.append(futures[future])
    return sorted(failed)


def _lost(job: Job) -> JobResult:
    sub = job.submission
    rows = [Row(sub.student, sub.notebook, ex.name, None, ex.points,
                "could not be graded: the grading process was killed twice", "error")
            for ex in job.exercises]
    return JobResult(rows, 0.0, 0)
