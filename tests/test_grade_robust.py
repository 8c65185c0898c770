"""A bad submission never breaks the grading run (issue 18, items 5-9 and "without Landlock").

A corpus of broken and forging submissions of notebook 00 (each kind of the issue, plus
variants), graded in one run: each scores 0 with its cause, none is "a bug of the grader" or
"could not be graded", the honest submission beside them keeps its points, and the whole
run stays within generous time bounds. Also: the CSV written as the run goes (a run killed
by SIGKILL keeps every row graded so far), seeds never shown and derived from a secret, the
refusal to grade without Landlock, and the linear scans.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import grading_corpus as corpus  # noqa: E402

from course_lib.grade import child, collect, report, runner  # noqa: E402
from course_lib.grade.__main__ import read_secret  # noqa: E402
from course_lib.grade.submission import exercise_seed, hide_seed  # noqa: E402

NAME = "00_start_here"
GOOD = corpus.solutions(NAME)["gd_step"]


def _notebook(root: Path, student: str, edit) -> None:
    """The learner notebook of 00 with ``edit(nb)`` applied to its JSON (or, if ``edit``
    returns bytes, those bytes as the file)."""
    path = corpus.submit(root, student, NAME, {"gd_step": GOOD})
    nb = json.loads(path.read_text(encoding="utf-8"))
    data = edit(nb)
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(nb).encode())


def _answer(nb, source) -> None:
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "gd_step":
            cell["source"] = source


def _deep(nb):
    nb["metadata"]["deep"] = "@@DEEP@@"
    text = json.dumps(nb)
    return text.replace('"@@DEEP@@"', "[" * 200_000 + "]" * 200_000).encode()


FORGE_READY = '''import json, os, sys
fake = {"op": "ready", "names": {"gd_step": {"kind": "function", "params": [["x", 9, 1]]}},
        "printed": "lots", "cell_error": {"type": [1] * 100000}}
data = json.dumps(fake).encode()
os.write(int(sys.argv[2]), len(data).to_bytes(4, "big") + data)
def gd_step(theta, g, lr):
    return theta - lr * g
'''
FORGE_VALUE = '''import json, os, sys
fake = {"op": "ready", "names": {"gd_step": {"kind": "value",
        "value": {"__array__": ["<f8", [2**63, 0], ""]}}}, "printed": -5, "cell_error": None}
data = json.dumps(fake).encode()
os.write(int(sys.argv[2]), len(data).to_bytes(4, "big") + data)
os._exit(0)
'''
HUGE_TEXT = '''def gd_step(theta, g, lr):
    raise ValueError("é" * 5_000_000)
'''
HUGE_RESULT = '''def gd_step(theta, g, lr):
    return "x" * 10_000_000
'''
DEEP_RESULT = '''def gd_step(theta, g, lr):
    out = []
    for _ in range(500):
        out = [out]
    return out
'''

BROKEN = {  # student → (how the notebook is broken, a word of the feedback of gd_step)
    "b_int_in_source": (lambda nb: _answer(nb, ["def gd_step(theta, g, lr):\n", 7]),
                        "not text"),
    "b_source_dict": (lambda nb: _answer(nb, {"a": 1}), "not text"),
    "b_deep_metadata": (_deep, "nested"),
    "b_broken_json": (lambda nb: b'{"cells": [', "could not be read"),
    "b_not_utf8": (lambda nb: b"\xff\xfe{}", "could not be read"),
    "b_cells_not_dicts": (lambda nb: nb.update(cells=[1, "x", None, [2]]), "missing"),
    "b_huge_answer": (lambda nb: _answer(nb, "é" * (24 << 20))
                      or json.dumps(nb, ensure_ascii=False).encode(), "is 24.0 MB; the limit"),
    "b_surrogate": (lambda nb: _answer(nb, "x = '\udc80'\n" + GOOD), "answer cell"),
    "b_blank_then_help": (lambda nb: _answer(nb, "\n" * 60_000 + "x?\n" * 50_000 + GOOD),
                          "IPython magics"),
    "b_forged_ready": (lambda nb: _answer(nb, FORGE_READY), "gd_step"),
    "b_forged_value": (lambda nb: _answer(nb, FORGE_VALUE), "could not read"),
    "b_huge_message": (lambda nb: _answer(nb, HUGE_TEXT), "ValueError"),
    "b_huge_result": (lambda nb: _answer(nb, HUGE_RESULT), "gd_step"),
    "b_deep_result": (lambda nb: _answer(nb, DEEP_RESULT), "gd_step"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("robust")
    corpus.submit(root / "submitted", "correct", NAME, corpus.solutions(NAME))
    corpus.submit(root / "submitted", "blank_lines", NAME,
                  {**corpus.solutions(NAME), "gd_step": "\n" * 60_000 + GOOD})
    corpus.submit(root / "submitted", "memorizer", NAME, {"gd_step": corpus.memorizer()})
    for student, (edit, _) in BROKEN.items():
        _notebook(root / "submitted", student, edit)
    start = time.perf_counter()
    report = runner.grade_folder(root / "submitted", root / "grades.csv", jobs=2, seed=3,
                                 limits=runner.Limits(timeout=5))
    seconds = time.perf_counter() - start
    rows = list(csv.DictReader((root / "grades.csv").open(encoding="utf-8")))
    return report, rows, seconds


def test_every_broken_submission_scores_zero_with_its_cause(graded):
    report, rows, seconds = graded
    by = {(r["student"], r["exercise"]): r for r in rows}
    for student, (_, word) in BROKEN.items():
        row = by[student, "gd_step"]
        assert row["points"] == "0", row
        assert word in row["feedback"], (student, row["feedback"][:500])
    for row in rows:
        assert "bug of the grader" not in row["feedback"] and "could not be graded" not in \
            row["feedback"], row
        assert len(row["feedback"]) < 21_000
    assert report.errors == 0
    assert float(by["correct", "gd_step"]["points"]) == 2
    assert float(by["blank_lines", "gd_step"]["points"]) == 2      # 60,000 blank lines: graded
    assert seconds < 60


def test_no_seed_is_shown_and_the_secret_decides(graded):
    report, rows, _ = graded
    assert not any("seed" in r["feedback"] for r in rows)
    memorized = next(r["feedback"] for r in rows if r["student"] == "memorizer")
    assert "hidden test (" in memorized and "seed" not in memorized
    a = exercise_seed(b"key", "ann", NAME, "gd_step")
    assert a == exercise_seed(b"key", "ann", NAME, "gd_step")
    assert a != exercise_seed(b"key", "bo", NAME, "gd_step")
    assert a != exercise_seed(b"other", "ann", NAME, "gd_step")
    assert hide_seed(f"✔ hidden test (4 new random cases, seed {a}): ok ({a})", a) == \
        "✔ hidden test (4 new random cases): ok (…)"


def test_secret_file_is_created_private_and_read_again(tmp_path):
    path = tmp_path / "secret"
    key, created = read_secret(path)
    assert created and len(key) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_secret(path) == (key, False)


def test_refuses_without_landlock_unless_unsafe(tmp_path, monkeypatch):
    corpus.submit(tmp_path / "submitted", "ann", NAME, {})
    with pytest.raises(runner.Refused, match="--no-landlock.*read and change your files.*"
                       "--unsafe"):
        runner.grade_folder(tmp_path / "submitted", tmp_path / "g.csv", landlock=False)
    monkeypatch.setattr(runner, "landlock_abi", lambda: 0)
    with pytest.raises(runner.Refused, match="offers no Landlock"):
        runner.grade_folder(tmp_path / "submitted", tmp_path / "g.csv")
    assert not (tmp_path / "g.csv").exists()
    proc = subprocess.run([sys.executable, "-m", "course_lib.grade", str(tmp_path / "submitted"),
                           "--out", str(tmp_path / "g.csv"), "--no-landlock"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "pass --unsafe" in proc.stderr


def test_a_killed_run_keeps_every_row_graded_so_far(tmp_path):
    """SIGKILL the grader after some rows are in the CSV: what is there is whole rows of
    whole notebooks (4 exercises each), readable; and temporary folders of a finished run
    are gone."""
    for i in range(8):
        corpus.submit(tmp_path / "submitted", f"s{i}", NAME,
                      corpus.solutions(NAME) if i % 2 else {})
    out, temp = tmp_path / "grades.csv", tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    command = [sys.executable, "-m", "course_lib.grade", str(tmp_path / "submitted"), "--out",
               str(out), "--seed", "1", "--jobs", "1", "--timeout", "5"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, env=env)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            if out.is_file() and out.read_text(encoding="utf-8").count("\n") >= 5:
                break
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    text = out.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert text.endswith("\n") and rows[0][0] == "student"
    assert len(rows) - 1 >= 4 and (len(rows) - 1) % 4 == 0
    assert all(len(r) == len(report.FIELDS) for r in rows)
    left = set(temp.glob("course-grade-*"))     # a SIGKILL leaves its folder (nothing runs)
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert set(temp.glob("course-grade-*")) == left


def test_scans_are_linear():
    source = "\n" * 60_000 + "%timeit f()\nx?\n"
    start = time.perf_counter()
    changed = child.magics_as_calls(source)
    assert changed.count("get_ipython()") == 2 and changed.count("\n") == source.count("\n")
    assert collect._depth(b"[" * 200_000 + b"]" * 200_000) == 200_000
    assert collect._depth(b'{"a": "[[[[", "b": [1, {"c": "\\"]"}]}') == 3
    assert time.perf_counter() - start < 5
