"""``python -m course_lib.grade SUBMISSIONS_DIR --out grades.csv``: see ``--help``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .report import summary
from .runner import DEFAULT_SOURCE, grade_folder
from .sandbox import Limits, SandboxBroken


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m course_lib.grade",
        description="Grade submitted notebooks (SUBMISSIONS_DIR/<student>/<notebook>/"
                    "<notebook>.ipynb, nbgrader's submitted/ folder): each exercise in a "
                    "sandbox, checked against the instructor sources with hidden cases drawn "
                    "now. Writes a CSV (student, notebook, exercise, points, max_points, "
                    "feedback) and one feedback file per student, and prints a summary.")
    p.add_argument("submissions", type=Path, help="folder of <student>/<notebook>/ folders "
                   "(or a course folder holding submitted/)")
    p.add_argument("--out", type=Path, default=Path("grades.csv"),
                   help="the CSV gradebook to write (default: grades.csv)")
    p.add_argument("--source", type=Path, default=None,
                   help=f"instructor sources, <name>/<name>.ipynb (default: {DEFAULT_SOURCE})")
    p.add_argument("--feedback-dir", type=Path, default=None,
                   help="where <student>.md feedback files go (default: <out stem>_feedback)")
    p.add_argument("--jobs", type=int, default=None,
                   help="submissions graded at once (default: the number of cores)")
    p.add_argument("--timeout", type=float, default=Limits.timeout,
                   help=f"wall-clock seconds per exercise (default: {Limits.timeout:g})")
    p.add_argument("--memory", type=int, default=Limits.memory_mb,
                   help=f"memory limit per exercise in MB (default: {Limits.memory_mb})")
    p.add_argument("--seed", type=int, default=None,
                   help="seed of the hidden cases (default: a new random one, printed)")
    p.add_argument("--no-landlock", action="store_true",
                   help="do not use Linux Landlock (the audit hook and limits still apply)")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if args.timeout <= 0 or args.memory < 128 or (args.jobs is not None and args.jobs < 1):
        print("error: --timeout must be > 0, --memory >= 128 (MB), --jobs >= 1",
              file=sys.stderr)
        return 2
    limits = Limits(timeout=args.timeout, memory_mb=args.memory)
    try:
        result = grade_folder(args.submissions, args.out, args.source, args.feedback_dir,
                              args.jobs, limits, args.seed, landlock=not args.no_landlock)
    except (FileNotFoundError, ValueError, SandboxBroken) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for problem in result.problems:
        print(f"skipped: {problem}")
    if not result.rows:
        print(f"No submissions found in {args.submissions}: expected "
              "<student>/<notebook>/<notebook>.ipynb for notebooks of "
              f"{args.source or DEFAULT_SOURCE}.", file=sys.stderr)
        return 1
    students = len({r.student for r in result.rows})
    sandbox = (f"Landlock ABI {result.landlock} + audit hook" if result.landlock
               else "audit hook (no Landlock)")
    print(f"Graded {len(result.job_seconds)} notebook(s) of {students} student(s) in "
          f"{result.seconds:.1f} s with {result.jobs} job(s); sandbox: {sandbox}; "
          f"hidden cases: --seed {result.seed}")
    print(summary(result.rows, result.notebooks))
    feedback = args.feedback_dir or args.out.with_name(args.out.stem + "_feedback")
    print(f"Wrote {args.out} and {students} feedback file(s) in {feedback}/")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
