"""Benchmark of the course's speed targets, printed as a Markdown table (and JSON).

(a) every notebook in notebooks/*.ipynb executed with nbclient (kernel python3, cwd
notebooks/), and the whole course (target ≤ 3 minutes on 2 cores); (b) every explorer's
update latency (compute + draw, median and worst over repeated updates, and a full
re-render, through ``Explorer.time_update``; target median ≤ 100 ms), the full re-renders
of two real slider sweeps on matplotlib's Agg canvas beside the explorers' text cache, and
every update of two sliders that change the axes as they move; (c) one optimizer step on
10⁶ parameters beside a memory-bound baseline (``optimizer_steps.py``; target ≤ 3×); (d)
the memory of a long run with and without ``record_every``; (e) the default sweep of
notebook 10's optimizer unit tests (target ≤ 60 s); (f) grading one submission of each
graded notebook (the whole command; target ≤ 10 s); (g) ``import course_lib`` beside
``import numpy``; (h) one Newton step against n (notebook 07, section 5); (i) the PNG
encoding of an explorer's picture, the course's writer (``course_lib.widgets.png``) beside
Pillow's at ``compress_level=1``.

    python benchmarks/benchmark.py [--skip-notebooks] [--repeats 15] [--json out.json]

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
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("MPLBACKEND", "Agg")

from course_lib import lessons  # noqa: E402

# name -> a function building the explorer with its default settings: every explorer a
# lesson lists in its ``EXPLORERS`` (course_lib/lessons/<notebook>/__init__.py).
EXPLORERS = lessons.explorers()

EXPLORER_TARGET_MS = 100.0
COURSE_TARGET_S = 180.0         # every notebook, one after the other, on 2 cores
SWEEP_TARGET_S = 60.0
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
                     f"median {t['total_ms']:.1f} ms (compute {t['compute_ms']:.1f} + "
                     f"draw {t['draw_ms']:.1f}), worst {t['worst_ms']:.1f} ms",
                     f"median ≤ {EXPLORER_TARGET_MS:g} ms", ok))
        ok = "✓" if t["full_ms"] <= EXPLORER_TARGET_MS else "✗"
        rows.append((f"explorer {name}: full re-render (e.g. a new y-range)",
                     f"{t['full_ms']:.1f} ms (no text kept: {t['full_cold_ms']:.1f} ms)",
                     f"≤ {EXPLORER_TARGET_MS:g} ms", ok))
    return rows


# Slider sweeps whose y-range changes along the way: each change is a full re-render.
SWEEPS = [("00_start_here: gd_explorer", "lr", (1e-3, 2.4), 60),
          ("06_adaptive_rates: adaptive_explorer", "lr_adaptive", (1e-4, 3.0), 40)]


def time_text_cache(sweeps=SWEEPS) -> list[tuple[str, str, str, str]]:
    """The full re-renders of a real slider sweep, on matplotlib's Agg canvas and on the
    explorers' text-caching one (``widgets.text_cache``), side by side in one run."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    rows = []
    for name, control, (low, high), n in sweeps:
        medians = {}
        for canvas in ("Agg", "text cache", "Agg", "text cache"):   # interleaved
            explorer = EXPLORERS[name]()
            if canvas == "Agg":
                FigureCanvasAgg(explorer.figure)
            explorer.refresh()
            full = []
            for value in np.geomspace(low, high, n):
                settings = dict(explorer.settings(), **{control: value})
                background = explorer._background     # a full render takes a new one
                t = time.perf_counter()
                explorer._draw_png(explorer.compute(**settings))
                if explorer._background is not background:
                    full.append(1e3 * (time.perf_counter() - t))
            medians.setdefault(canvas, []).extend(full)
        what = (f"explorer {name}: the full re-renders of a {control} sweep ({n} values), "
                f"Agg / text cache")
        if not medians["Agg"]:
            rows.append((what, "none: the sweep never changed what is static", "", "—"))
            continue
        agg, cached = (statistics.median(medians[c]) for c in ("Agg", "text cache"))
        rows.append((what, f"{agg:.1f} / {cached:.1f} ms over {len(medians['Agg']) // 2} "
                           f"re-renders ({agg / cached:.2f}× faster)", "", "—"))
    return rows


# Sliders whose moves change what is static (limits, the image's extent, the run length),
# swept as a person drags them: every value, one update each.
SLIDER_SWEEPS = [("05_initialization: init_explorer", "depth", list(range(2, 31))),
                 ("06_adaptive_rates: reference_plugged_in", "steps", list(range(1, 121, 4)))]


def time_slider_sweeps(sweeps=SLIDER_SWEEPS) -> list[tuple[str, str, str, str]]:
    """Every update (compute + draw) of a slider dragged across its range, with the share
    that were full re-renders; target: median ≤ 100 ms."""
    rows = []
    for name, control, values in sweeps:
        explorer = EXPLORERS[name]()
        explorer.refresh()
        times, full = [], 0
        for value in values:
            settings = dict(explorer.settings(), **{control: value})
            background = explorer._background          # a full render takes a new one
            t = time.perf_counter()
            explorer._draw_png(explorer.compute(**settings))
            times.append(1e3 * (time.perf_counter() - t))
            full += explorer._background is not background
        median = statistics.median(times)
        rows.append((f"explorer {name}: every update of a {control} sweep ({len(values)} "
                     f"values, {full} full re-renders)",
                     f"median {median:.1f} ms, worst {max(times):.1f} ms",
                     f"median ≤ {EXPLORER_TARGET_MS:g} ms",
                     "✓" if median <= EXPLORER_TARGET_MS else "✗"))
    return rows


def time_png_encoding(repeats: int = 20) -> list[tuple[str, str, str, str]]:
    import io

    from PIL import Image

    from course_lib.widgets.png import encode_rgba

    explorer = next(iter(EXPLORERS.values()))()      # any explorer's real picture will do
    canvas = explorer.figure.canvas
    pixels = canvas.buffer_rgba()

    def pillow() -> bytes:
        image = Image.frombuffer("RGBA", canvas.get_width_height(), pixels, "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    times = {"ours": [], "pillow": []}
    sizes = {}
    for _ in range(repeats):                 # interleaved, so both see the same load
        for name, encode in (("ours", lambda: encode_rgba(pixels)), ("pillow", pillow)):
            t = time.perf_counter()
            sizes[name] = len(encode())
            times[name].append(1e3 * (time.perf_counter() - t))
    ours, theirs = (statistics.median(times[n]) for n in ("ours", "pillow"))
    width, height = canvas.get_width_height()
    return [(f"PNG of an explorer's {width}×{height} picture: ours / Pillow (level 1)",
             f"{ours:.1f} ms, {sizes['ours'] // 1024} KiB / {theirs:.1f} ms, "
             f"{sizes['pillow'] // 1024} KiB ({theirs / ours:.1f}× faster)", "", "—")]


def time_course_total(rows) -> list[tuple[str, str, str, str]]:
    seconds = [float(r[1].split()[0]) for r in rows if r[0].startswith("notebook ")]
    if not seconds:
        return []
    total = sum(seconds)
    return [(f"the whole course ({len(seconds)} notebooks, one after the other)",
             f"{total:.0f} s", f"≤ {COURSE_TARGET_S:g} s",
             "✓" if total <= COURSE_TARGET_S else "✗")]


def time_optimizer_steps() -> list[tuple[str, str, str, str]]:
    from optimizer_steps import TARGET_RATIO, time_steps

    rows = []
    for r in time_steps():
        rows.append((f"{r['optimizer']} step on 10⁶ float64 parameters, beside a "
                     f"memory-bound baseline ({r['arrays']} in-place arrays)",
                     f"{r['step_ms']:.2f} ms / {r['baseline_ms']:.2f} ms = {r['ratio']:.1f}×",
                     f"≤ {TARGET_RATIO:g}×", "✓" if r["ratio"] <= TARGET_RATIO else "✗"))
    return rows


def time_record_every(steps: int = 100_000) -> list[tuple[str, str, str, str]]:
    import tracemalloc

    import numpy as np

    from course_lib import minimize
    from course_lib.objectives import Quadratic
    from course_lib.optim import Momentum

    q, theta0, rows = Quadratic(np.linspace(1.0, 2.0, 100)), np.ones(100), []
    for every in (1, 1000, None):
        tracemalloc.start()
        minimize(q, Momentum(lr=0.1, alpha=0.5), theta0, steps, record_every=every)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append((f"memory of {steps:,} momentum steps in 100-D, record_every={every}",
                     f"{peak / 1e6:.1f} MB", "flat with record_every", "—"))
    return rows


def time_unit_test_sweep(steps: int | None = None) -> list[tuple[str, str, str, str]]:
    """``steps``: one budget for every run instead of each problem's own (a quick check of
    the row; the benchmark times the real sweep)."""
    from course_lib.prototypes import run_suite

    start = time.perf_counter()
    table = run_suite(steps=steps)
    seconds = time.perf_counter() - start
    return [(f"notebook 10's default sweep of optimizer unit tests ({len(table):,} runs)",
             f"{seconds:.1f} s", f"≤ {SWEEP_TARGET_S:g} s",
             "✓" if seconds <= SWEEP_TARGET_S else "✗")]


def time_grading() -> list[tuple[str, str, str, str]]:
    import tempfile

    import benchmark_grading as bg

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        for name in bg.corpus.NOTEBOOKS:
            folder = Path(tmp) / name
            bg.corpus.submit(folder, "solo", name, bg.corpus.solutions(name))
            seconds, _ = bg.run(folder, Path(tmp) / f"{name}.csv", 1)
            rows.append((f"grading one submission of {name} (the whole command)",
                         f"{seconds:.2f} s", "≤ 10 s", "✓" if seconds <= 10 else "✗"))
    return rows


def time_newton_cost() -> list[tuple[str, str, str, str]]:
    """Notebook 07, section 5: one Newton step against n, and the fitted exponent p."""
    from course_lib.lessons.nb07_second_order.newton_cost import time_newton_steps

    r = time_newton_steps(ns=(200, 400, 800, 1600, 3200), repeats=3)
    times = ", ".join(f"{int(n)}: {1e3 * s:.0f} ms" for n, s in zip(r["ns"], r["seconds"],
                                                                  strict=True))
    doubling = ", ".join(f"{q:.1f}×" for q in r["ratios"])
    return [(f"Newton step on extended Rosenbrock (medians of 3), n = {times}; "
             f"each doubling of n: {doubling}",
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
    parser.add_argument("--json", type=Path, help="also write the table to this JSON file")
    args = parser.parse_args(argv)

    rows = []
    if args.skip_notebooks:
        rows.append(("notebooks", "skipped (--skip-notebooks)", "", "—"))
    else:
        rows += time_notebooks()
        rows += time_course_total(rows)
    rows += time_explorers(args.repeats)
    rows += time_text_cache()
    rows += time_slider_sweeps()
    rows += time_png_encoding()
    rows += time_optimizer_steps()
    rows += time_record_every()
    rows += time_unit_test_sweep()
    rows += time_grading()
    rows += time_imports()
    rows += time_newton_cost()

    print(f"Benchmark on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}\n")
    print("| what | measured | target | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if args.json:
        args.json.write_text(json.dumps([dict(zip(("what", "measured", "target", "ok"), row,
                                                   strict=True)) for row in rows],
                                        indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
