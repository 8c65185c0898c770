"""How fast ``python -m course_lib.grade`` is: one submission of each notebook, and 50 with
1 job vs all cores.

    python benchmarks/benchmark_grading.py [--submissions 50] [--jobs N]

Submissions are made from the committed learner notebooks (tests/grading_corpus.py): the
50 cycle through the graded notebooks (00, 03, 04, 06, 07), half with the instructor's
solutions, half with a typical mistake (so the checks' diagnoses run too). Every run is the
one command, timed from start to exit, with a fixed seed. Prints a Markdown table. Targets:
one notebook submission ≤ 10 s; the folder graded in parallel across the cores.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
import grading_corpus as corpus  # noqa: E402

MISTAKE = {"00_start_here": {"gd_step": "def gd_step(theta, g, lr):\n    return theta + lr * g\n"},
           "03_sgd_schedules": {"sgd_schedule_step": corpus.MISTAKES["m_sched_unclamped"][1][
               "sgd_schedule_step"]},
           "04_momentum_physics": {"momentum_step": corpus.WRONG_MOMENTUM},
           "06_adaptive_rates": {"adam_step": corpus.ADAM_LATE_T},
           "07_second_order": {"newton_step": corpus.NEWTON_INV}}


def make(root: Path, count: int) -> None:
    solutions = {name: corpus.solutions(name) for name in corpus.NOTEBOOKS}
    for i in range(count):
        name = corpus.NOTEBOOKS[i % len(corpus.NOTEBOOKS)]
        answers = dict(solutions[name])
        if i % 2:
            answers.update(MISTAKE[name])
        corpus.submit(root, f"student{i:02d}", name, answers)


def run(folder: Path, out: Path, jobs: int) -> tuple[float, list]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "course_lib.grade", str(folder), "--out",
                           str(out), "--seed", "1", "--jobs", str(jobs)],
                          capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"grading failed:\n{proc.stdout}\n{proc.stderr}")
    return seconds, list(csv.DictReader(out.open(encoding="utf-8")))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as tmp:
        tmp = Path(tmp)
        singles = {}
        for name in corpus.NOTEBOOKS:
            one = tmp / f"one-{name}"
            corpus.submit(one, "solo", name, corpus.solutions(name))
            singles[name] = run(one, tmp / f"one-{name}.csv", 1)
        many = tmp / "many"
        make(many, args.submissions)
        serial, rows = run(many, tmp / "serial.csv", 1)
        parallel, rows_parallel = run(many, tmp / "parallel.csv", args.jobs)
    assert [r["points"] for r in rows] == [r["points"] for r in rows_parallel]
    auto = sum(1 for r in rows if r["exercise"] and not r["exercise"].startswith("explain"))
    n = args.submissions
    print(f"Grading benchmark ({os.cpu_count()} cores; every time is the whole command, "
          "start-up included)\n")
    print("| what | jobs | wall time | per notebook submission | target |")
    print("|---|---|---|---|---|")
    for name, (single, rows_one) in singles.items():
        count = sum(1 for r in rows_one if r["exercise"] not in corpus.MANUAL)
        print(f"| 1 submission ({name}, {count} auto-graded exercises) | 1 | {single:.2f} s "
              f"| {single:.2f} s | ≤ 10 s |")
    print(f"| {n} submissions ({'/'.join(name[:2] for name in corpus.NOTEBOOKS)}, {auto} "
          f"auto-graded exercises) | 1 | {serial:.2f} s | {serial / n:.2f} s | |")
    print(f"| {n} submissions (same folder) | {args.jobs} | {parallel:.2f} s "
          f"| {parallel / n:.2f} s | faster than 1 job: ×{serial / parallel:.2f} |")
    points = [float(r["points"]) for r in rows if r["points"]]
    print(f"\nSame grades with 1 and {args.jobs} jobs; mean points per graded exercise "
          f"{statistics.mean(points):.2f}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
