"""Benchmark of the course's speed targets, printed as a Markdown table.

(a) every notebook in notebooks/*.ipynb executed with nbclient (kernel python3, cwd
notebooks/); (b) every explorer's update latency (compute + draw, medians over repeated
updates, through ``Explorer.time_update``); (c) ``import course_lib`` beside ``import numpy``,
each in a fresh interpreter, and whether ``import course_lib`` pulled in matplotlib or
ipywidgets; (d) the cost of one Newton step against the number of parameters n, with the
fitted exponent of time ∝ n^p (notebook 07, section 5).

    python benchmarks/benchmark.py [--skip-notebooks] [--repeats 15]

A script, not a test: times depend on the machine, so nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

from course_lib import lessons  # noqa: E402

# name -> a function building the explorer with its default settings: every explorer a
# lesson lists in its ``EXPLORERS`` (course_lib/lessons/<notebook>/__init__.py).
EXPLORERS = lessons.explorers()

EXPLORER_TARGET_MS = 100.0
# Seconds a notebook may take to execute: each lesson's EXECUTION_TARGET_S (default 30).
NOTEBOOK_TARGETS_S = {name: getattr(lessons.lesson(name), "EXECUTION_TARGET_S", 30.0)
                      for name in lessons.notebook_names()}

_IMPORT_PROBE = """
import sys, time, json
t = time.perf_counter()
import {module}
dt = time.perf_counter() - t
print(json.dumps({{"s": dt, "heavy": sorted(m for m in ("matplotlib", "ipywidgets")
                                        if m in sys.modules)}}))
"""


def time_notebooks() -> list[tuple[str, str, str, str]]:
    import nbformat
    from nbclient import NotebookClient

    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        return [("notebooks", "none yet in notebooks/", "—", "—")]
    rows = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name="python3", timeout=600,
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        try:
            client.execute()
            status = "ok"
        except Exception as err:   # noqa: BLE001 - report, keep benchmarking the rest
            status = f"failed: {type(err).__name__}"
        seconds = time.perf_counter() - start
        target = NOTEBOOK_TARGETS_S.get(path.stem)
        verdict = "—" if target is None else ("✓" if seconds <= target and status == "ok"
                                               else "✗")
        rows.append((f"notebook {path.name}", f"{seconds:.1f} s ({status})",
                     f"≤ {target:g} s" if target else "", verdict))
    return rows


def time_explorers(repeats: int) -> list[tuple[str, str, str, str]]:
    rows = []
    for name, build in EXPLORERS.items():
        explorer = build()
        t = explorer.time_update(repeats=repeats)
        ok = "✓" if t["total_ms"] <= EXPLORER_TARGET_MS else "✗"
        rows.append((f"explorer {name}: update (compute + draw)",
                     f"{t['total_ms']:.1f} ms (compute {t['compute_ms']:.1f} + "
                     f"draw {t['draw_ms']:.1f})",
                     f"≤ {EXPLORER_TARGET_MS:g} ms", ok))
        ok = "✓" if t["full_ms"] <= EXPLORER_TARGET_MS else "✗"
        rows.append((f"explorer {name}: full re-render (e.g. a new y-range)",
                     f"{t['full_ms']:.1f} ms", f"≤ {EXPLORER_TARGET_MS:g} ms", ok))
    return rows


def time_newton_cost() -> list[tuple[str, str, str, str]]:
    """Notebook 07, section 5: one Newton step against n, and the fitted exponent p."""
    from course_lib.lessons.nb07_second_order.newton_cost import time_newton_steps

    r = time_newton_steps(ns=(200, 400, 800, 1600, 3200), repeats=3)
    times = ", ".join(f"{int(n)}: {1e3 * s:.0f} ms ({g:.1f} GFLOP/s)"
                      for n, s, g in zip(r["ns"], r["seconds"], r["gflops"], strict=True))
    return [(f"Newton step on extended Rosenbrock, n = {times}",
             f"time ∝ n^{r['slope']:.2f}", "n³ for large n", "—")]


def _probe(module: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _IMPORT_PROBE.format(module=module)],
                         capture_output=True, text=True, check=True, cwd=ROOT,
                         env={k: v for k, v in os.environ.items() if k != "MPLBACKEND"})
    return json.loads(out.stdout)


def time_imports(repeats: int = 5) -> list[tuple[str, str, str, str]]:
    runs = {"numpy": [], "course_lib": []}
    heavy = set()
    for _ in range(repeats):                 # interleaved, so both see the same load
        for module in runs:
            probe = _probe(module)
            runs[module].append(probe["s"])
            if module == "course_lib":
                heavy.update(probe["heavy"])
    numpy_ms = 1e3 * statistics.median(runs["numpy"])
    lib_ms = 1e3 * statistics.median(runs["course_lib"])
    return [
        (f"`import numpy` / `import course_lib` (fresh process, median of {repeats})",
         f"{numpy_ms:.0f} ms / {lib_ms:.0f} ms", "", "—"),
        ("`import course_lib` imports matplotlib or ipywidgets",
         ", ".join(sorted(heavy)) or "neither", "neither", "✓" if not heavy else "✗"),
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-notebooks", action="store_true",
                        help="do not execute the notebooks")
    parser.add_argument("--repeats", type=int, default=15,
                        help="updates per explorer (default 15)")
    args = parser.parse_args(argv)

    rows = []
    if args.skip_notebooks:
        rows.append(("notebooks", "skipped (--skip-notebooks)", "", "—"))
    else:
        rows += time_notebooks()
    rows += time_explorers(args.repeats)
    rows += time_imports()
    rows += time_newton_cost()

    print(f"Benchmark on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}\n")
    print("| what | measured | target | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
