"""``python -m course_lib.grade SUBMISSIONS_DIR --out grades.csv``: see ``--help``."""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
from pathlib import Path

from .report import summary
from .runner import DEFAULT_SOURCE, grade_folder
from .sandbox import Limits, SandboxBroken

SECRET_ENV = "COURSE_GRADE_SECRET"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m course_lib.grade",
        description="Grade submitted notebooks (SUBMISSIONS_DIR/<student>/<notebook>/"
                    "<notebook>.ipynb, nbgrader's submitted/ folder): each exercise in a "
                    "sandbox, checked against the instructor sources with hidden cases drawn "
                    "now. Writes a CSV (student, notebook, exercise, points, max_points, "
                    "feedback, similarity: answers close to the reference's or another "
                    "student's, for you to read) and one feedback file per student, and "
                    "prints a summary.")
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
    p.add_argument("--secret-file", type=Path, default=None,
                   help="the lecturer's secret the hidden cases are drawn from (with a hash of "
                        "student, notebook and exercise): created with a random key if missing; "
                        "the same file regrades identically. Keep it private. Or set "
                        f"{SECRET_ENV}. Default: a one-off secret (the run cannot be repeated)")
    p.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)  # tests only
    p.add_argument("--no-landlock", action="store_true",
                   help="do not use Linux Landlock (refused unless --unsafe)")
    p.add_argument("--no-seccomp", action="store_true",
                   help="do not filter the answers' system calls with seccomp (to test the "
                        "other layers; signals to your processes then rest on Landlock)")
    p.add_argument("--unsafe", action="store_true",
                   help="grade even without Landlock: the answers could then read and change "
                        "your files, signal your processes and outlive the grader; only for "
                        "submissions you trust")
    return p


def read_secret(path: Path) -> tuple[bytes, bool]:
    """(the secret in ``path``, whether it was just created): a new random key, readable by
    its owner only, if the file does not exist."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_bytes().strip()
        if not key:
            raise ValueError(f"the secret file {path} is empty") from None
        return key, False
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return path.read_bytes().strip(), True


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if args.timeout <= 0 or args.memory < 128 or (args.jobs is not None and args.jobs < 1):
        print("error: --timeout must be > 0, --memory >= 128 (MB), --jobs >= 1",
              file=sys.stderr)
        return 2
    limits = Limits(timeout=args.timeout, memory_mb=args.memory)
    signal.signal(signal.SIGTERM, _terminated)      # clean up (finally) on a plain kill too
    try:
        secret, created = None, False
        if args.secret_file is not None:
            secret, created = read_secret(args.secret_file)
        elif os.environ.get(SECRET_ENV):
            secret = os.environ[SECRET_ENV].encode("utf-8", "surrogateescape")
        if created:
            print(f"Created a new grading secret in {args.secret_file} (readable by you only): "
                  "keep it private, and keep it to regrade with the same hidden cases.")
        result = grade_folder(args.submissions, args.out, args.source, args.feedback_dir,
                              args.jobs, limits, args.seed, landlock=not args.no_landlock,
                              seccomp=not args.no_seccomp, secret=secret, unsafe=args.unsafe,
                              secret_path=args.secret_file)
    except (OSError, ValueError, SandboxBroken) as err:
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
    sandbox = (f"Landlock ABI {result.landlock}" if result.landlock
               else "no Landlock (--unsafe)") + (" + seccomp" if result.seccomp else "") \
        + " + audit hook"
    hidden = ("from your secret" if result.reproducible else
              "from a one-off secret (pass --secret-file to be able to regrade identically)")
    print(f"Graded {len(result.job_seconds)} notebook(s) of {students} student(s) in "
          f"{result.seconds:.1f} s with {result.jobs} job(s); sandbox: {sandbox}; "
          f"hidden cases: {hidden}")
    print(summary(result.rows, result.notebooks, result.similarity))
    feedback = args.feedback_dir or args.out.with_name(args.out.stem + "_feedback")
    print(f"Wrote {args.out} and {students} feedback file(s) in {feedback}/")
    return 1 if result.errors else 0


def _terminated(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
