"""The benchmark script keeps working as the lessons change (it asserts no time: it is run
by hand, `python benchmarks/benchmark.py`). Two of its rows broke unnoticed once, when the
lesson functions they read changed; these run them and check the rows' shape."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import benchmark  # noqa: E402


def is_row(row) -> bool:
    return isinstance(row, tuple) and len(row) == 4 and all(isinstance(c, str) for c in row)


def test_the_unit_test_sweep_row_counts_the_runs():
    rows = benchmark.time_unit_test_sweep(steps=2)     # the default sweep's runs, short
    assert len(rows) == 1 and is_row(rows[0])
    assert "(6,080 runs)" in rows[0][0]         # notebook 10's default sweep: 6,080 runs


def test_the_newton_cost_row_reads_the_lessons_timing():
    rows = benchmark.time_newton_cost()
    assert len(rows) == 1 and is_row(rows[0])
    assert "each doubling of n:" in rows[0][0] and rows[0][1].startswith("time ∝ n^")


def test_the_png_row_times_both_encoders_on_one_picture():
    rows = benchmark.time_png_encoding(repeats=2)
    assert len(rows) == 1 and is_row(rows[0])
    assert rows[0][0].startswith("PNG of an explorer's ") and "ours / Pillow" in rows[0][0]
    assert rows[0][1].count(" ms, ") == 2 and rows[0][1].endswith("× faster)")


def test_the_text_cache_rows_time_the_full_re_renders_of_a_sweep():
    sweep = ("00_start_here: gd_explorer", "lr", (1e-3, 2.4), 4)   # y-range changes: 2.4
    rows = benchmark.time_text_cache([sweep])
    assert len(rows) == 1 and is_row(rows[0])
    assert "full re-renders of a lr sweep (4 values), Agg / text cache" in rows[0][0]
    assert " ms over " in rows[0][1] and rows[0][1].endswith("× faster)")


def test_the_slider_sweep_rows_time_every_update():
    rows = benchmark.time_slider_sweeps([("05_initialization: init_explorer", "depth", [3, 4])])
    assert len(rows) == 1 and is_row(rows[0])
    assert rows[0][0].endswith("every update of a depth sweep (2 values, 2 full re-renders)")
    assert rows[0][1].startswith("median ") and rows[0][2] == "median ≤ 100 ms"
