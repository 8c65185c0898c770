"""The grader, ``python -m course_lib.grade``, and the hidden tests it runs.

Fast: the exercises read from the sources, nbgrader's checksums, the wire format, exception
replay, hidden cases (reproducible, new dimensions, every known mistake caught), the hidden
checks of predict-then-check answers against theory, the scoreboard, the reports, the
recovery from a dead worker. Slow (sandboxed children): the one command on a corpus of
submissions (tests/grading_corpus.py: correct, partly correct, typical mistakes, hostile),
with the exact score table asserted, with and without Landlock.
"""

from __future__ import annotations

import csv
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import grading_corpus as corpus  # noqa: E402

from course_lib import checks  # noqa: E402
from course_lib.checks import hidden  # noqa: E402
from course_lib.checks.result import RESULTS  # noqa: E402
from course_lib.grade import exercises, proxy, report, runner, wire  # noqa: E402
from course_lib.grade.checker import Job, JobResult, Row  # noqa: E402
from course_lib.grade.collect import Submission, find  # noqa: E402
from course_lib.grade.runner import run_jobs  # noqa: E402
from course_lib.grade.sandbox import Jail, Limits, Sandbox  # noqa: E402
from course_lib.lessons.nb00_start_here import checks as checks00  # noqa: E402
from course_lib.lessons.nb03_sgd_schedules import checks as checks03  # noqa: E402
from course_lib.lessons.nb04_momentum_physics import checks as checks04  # noqa: E402
from course_lib.lessons.nb06_adaptive_rates import checks as checks06  # noqa: E402
from course_lib.lessons.nb07_second_order import checks as checks07  # noqa: E402
from course_lib.lessons.nb07_second_order.checks import cg_iterations  # noqa: E402
from course_lib.lessons.nb07_second_order.checks import linear_cg as cg_exercise  # noqa: E402
from course_lib.lessons.nb07_second_order.checks import newton as newton_exercise  # noqa: E402
from course_lib.lessons.nb07_second_order.checks import two_loop as two_loop_exercise  # noqa: E402

REPO = corpus.REPO
SOURCE = REPO / "instructor" / "source"
RULES = [checks00.GD_STEP, checks03.SGD_SCHEDULE_STEP, checks04.MOMENTUM_STEP,
         checks04.NESTEROV_STEP, checks06.ADAGRAD_STEP, checks06.RMSPROP_STEP, checks06.ADAM_STEP]


# --- reading the sources and the submissions ------------------------------------------------
def test_exercises_read_from_the_sources():
    found = exercises.load_sources(SOURCE)
    got = {name: [(e.name, e.kind, e.points, e.names) for e in found[name]]
           for name in corpus.NOTEBOOKS}
    assert got == {
        "00_start_here": [("gd_step", "auto", 2, ("gd_step",)),
                          ("largest_lr", "auto", 1, ("largest_lr",)),
                          ("same_rate_lr", "auto", 1, ("same_rate_lr",)),
                          ("explain_zigzag", "manual", 2, ())],
        "03_sgd_schedules": [("sgd_schedule_step", "auto", 3, ("sgd_schedule_step",)),
                             ("updates_in_three_epochs", "auto", 1,
                              ("updates_in_three_epochs",)),
                             ("tuned_schedule", "auto", 2, ("tuned_schedule",)),
                             ("chosen_eps0", "auto", 2, ("chosen_eps0",)),
                             ("explain_noise_floor", "manual", 2, ())],
        "04_momentum_physics": [("momentum_step", "auto", 3, ("momentum_step",)),
                                ("nesterov_step", "auto", 1, ("nesterov_step",)),
                                ("terminal_factor", "auto", 1, ("terminal_factor",)),
                                ("tuned_momentum", "auto", 2, ("tuned_momentum",)),
                                ("diagnosis", "auto", 2, ("diagnosis",)),
                                ("explain_drag", "manual", 2, ())],
        "06_adaptive_rates": [("adagrad_step", "auto", 2, ("adagrad_step",)),
                              ("rmsprop_step", "auto", 2, ("rmsprop_step",)),
                              ("adam_step", "auto", 3, ("adam_step",)),
                              ("adam_first_step", "auto", 1, ("first_step",)),
                              ("tuned_run", "auto", 2, ("tuned_run",)),
                              ("explain_adagrad_stall", "manual", 2, ())],
        "07_second_order": [("newton_step", "auto", 3, ("newton_step",)),
                            ("linear_cg", "auto", 3, ("linear_cg",)),
                            ("two_loop", "auto", 3, ("two_loop",)),
                            ("cg_iterations", "auto", 1, ("cg_iterations",)),
                            ("tuned_alpha", "auto", 2, ("tuned_alpha",)),
                            ("explain_newton_scale", "manual", 2, ())]}


def test_checksums_are_nbgraders():
    """Every checksum nbgrader stored in the learner notebooks, and the checksum of each check
    cell with its hidden tests cut out, as nbgrader's generate_assignment computed them."""
    found = exercises.load_sources(SOURCE)
    count = 0
    for name in corpus.NOTEBOOKS:
        cells = exercises.read_notebook(REPO / "notebooks" / f"{name}.ipynb")["cells"]
        stored = {exercises.nbgrader(c).get("grade_id"): exercises.nbgrader(c).get("checksum")
                  for c in cells}
        for cell in cells:
            if exercises.nbgrader(cell).get("checksum"):
                assert exercises.checksum(cell) == exercises.nbgrader(cell)["checksum"]
                count += 1
        for ex in found[name]:
            if ex.kind == "auto":
                assert ex.check_checksum == stored[ex.check_id]
    assert count >= 30


def test_needed_names_are_what_the_check_reads_from_the_answer():
    source = ("result = checks.check_x(my_step, lr=rate)\nprint(result)\n"
              "def helper(a):\n    return a + offset\nimport math as m\nz = [k for k in w]\n")
    assert exercises.needed_names(source) == ("my_step", "offset", "rate", "w")
    assert exercises.strip_hidden("a\n### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS\nc") == "a\nc"


def test_bad_source_is_refused(tmp_path):
    nb = json.loads((SOURCE / "00_start_here" / "00_start_here.ipynb").read_text())
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade_id") == "check_gd_step":
            meta["grade_id"] = "gd_step_check"
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "x.ipynb").write_text(json.dumps(nb))
    with pytest.raises(exercises.SourceError, match="must be called check_<answer grade_id>"):
        exercises.load_sources(tmp_path)


def test_layout_and_skipped_folders(tmp_path):
    corpus.submit(tmp_path / "submitted", "ann", "00_start_here", {})
    (tmp_path / "submitted" / "ann" / "99_unknown").mkdir()
    (tmp_path / "submitted" / "bo" / "04_momentum_physics").mkdir(parents=True)
    found, problems = find(tmp_path, {"00_start_here": [], "04_momentum_physics": []})
    assert [(s, n) for s, n, _ in found] == [("ann", "00_start_here")]
    assert problems == ["ann/99_unknown: no source notebook of that name; skipped",
                        "bo/04_momentum_physics: no 04_momentum_physics.ipynb in it; skipped"]


# --- the wire format and the replayed exceptions --------------------------------------------
def test_wire_round_trip():
    value = (np.arange(6.0).reshape(2, 3), np.array([True, False]), np.int64(3), 2.5,
             float("nan"), 1 + 2j, None, "θ", [1, (2, 3)], {"k": np.float32(1.5)}, ..., True)
    back = wire.decode(json.loads(json.dumps(wire.encode(value))))
    assert back[0].dtype == np.float64 and np.array_equal(back[0], value[0])
    assert back[1].dtype == bool and back[1].tolist() == [True, False]
    assert back[2:4] == (3, 2.5) and np.isnan(back[4])
    assert back[5:] == (1 + 2j, None, "θ", [1, (2, 3)], {"k": 1.5}, ..., True)
    assert wire.encode(object()) == {"__opaque__": "object"}
    assert wire.encode(np.array([object()])) == {"__opaque__": "array of object"}


@pytest.mark.parametrize("data, match", [
    ({"__array__": ["|O", [1], ""]}, "dtype or shape"),
    ({"__array__": ["<f8", [3], "AAAAAAAAAAA="]}, "does not match its shape"),
    ({"__code__": "print(1)"}, "unknown tag"),
    ({"a": 1, "b": 2}, "not a value"),
])
def test_wire_refuses_what_is_not_a_value(data, match):
    with pytest.raises(wire.WireError, match=match):
        wire.decode(data)


def test_wire_refuses_deep_nesting_and_large_or_broken_frames():
    deep = [0]
    for _ in range(40):
        deep = [deep]
    with pytest.raises(wire.WireError, match="too deeply"):
        wire.decode(deep)
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, (10**9).to_bytes(4, "big"))
        with pytest.raises(wire.WireError, match="more than the limit"):
            wire.Reader(read_fd, 1 << 20).read(deadline=None)
        os.write(write_fd, (3).to_bytes(4, "big") + b"{x]")
        with pytest.raises(wire.WireError, match="unreadable"):
            wire.Reader(read_fd, 1 << 20).read(deadline=None)
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_learner_exceptions_are_replayed_but_never_as_system_exit():
    err = proxy.exception({"type": "NotImplementedError", "message": "todo", "builtin": True,
                           "where": "line 2 of your answer cell"})
    assert type(err) is NotImplementedError
    assert str(err) == "todo (line 2 of your answer cell)"
    for name in ("SystemExit", "KeyboardInterrupt"):
        err = proxy.exception({"type": name, "message": "0", "builtin": True})
        assert isinstance(err, proxy.LearnerError) and type(err).__name__ == name
    fake = proxy.exception({"type": "ValueError", "message": "x", "builtin": False})
    assert isinstance(fake, proxy.LearnerError) and type(fake).__name__ == "ValueError"


# --- hidden cases --------------------------------------------------------------------------
def test_hidden_cases_are_reproducible_and_new():
    first = hidden.hidden_cases(checks06.ADAM_STEP, seed=11, n=6)
    again = hidden.hidden_cases(checks06.ADAM_STEP, seed=11, n=6)
    other = hidden.hidden_cases(checks06.ADAM_STEP, seed=12, n=6)
    assert [c.name for c in first] == [c.name for c in again]
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a.state["theta"], b.state["theta"]) and a.hyper == b.hyper
    assert not np.array_equal(first[0].state["theta"], other[0].state["theta"])
    visible_dims = {np.size(c.state["theta"]) for c in checks06.ADAM_STEP.cases}
    for case in first:
        dim = case.objective.dim
        assert dim in hidden.HIDDEN_DIMS and dim not in visible_dims
        q = case.objective.Q
        assert np.allclose(q.T @ q, np.eye(dim))
        assert np.all((np.abs(case.objective.eigenvalues) >= 0.1)
                      & (np.abs(case.objective.eigenvalues) <= 10))
        assert np.all(case.state["r"] >= 0) and isinstance(case.state["t"], int)
        # at rest as at the start of a run (t = 0, although the first visible case has t = 5)
        if "at rest" in case.name:
            assert case.state["t"] == 0
            assert not np.any(case.state["s"]) and not np.any(case.state["r"])
        else:
            assert 1 <= case.state["t"] <= 9
        assert 0.5 <= case.hyper["rho1"] < 0.99 and 1e-3 <= case.hyper["delta"] <= 10**-0.5
        assert 2 <= case.steps <= 5


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_hidden_cases_pass_the_reference_and_catch_every_known_mistake(rule):
    for seed in range(25):
        result = checks.check_random_cases(rule.reference, rule, seed=seed)
        assert result.passed, result.message
        assert f"seed {seed}" in result.message
        for mistake in rule.mistakes:
            assert not checks.check_random_cases(mistake.fn, rule, seed=seed).passed, mistake.name


SECOND_ORDER = [  # (hidden check, reference, known mistakes) of notebook 07
    (checks07.check_newton_step_random, newton_exercise._newton_step,
     checks07.NEWTON_STEP.mistakes),
    (checks07.check_linear_cg_random, cg_exercise._reference, cg_exercise.CG_MISTAKES),
    (checks07.check_two_loop_random, two_loop_exercise._two_loop,
     two_loop_exercise.TWO_LOOP_MISTAKES)]


@pytest.mark.parametrize("check, reference, mistakes", SECOND_ORDER,
                         ids=lambda x: getattr(x, "__name__", ""))
def test_hidden_checks_of_notebook_07_pass_the_reference_and_catch_every_mistake(
        check, reference, mistakes):
    for seed in range(3):
        result = check(reference, seed=seed)
        assert result.passed, result.message
        assert result.message.startswith("✔ hidden test (4 new random ")
        assert f"seed {seed}" in result.message
        for mistake in mistakes:
            assert not check(mistake.fn, seed=seed).passed, mistake.name


def test_hidden_newton_check_still_refuses_an_explicit_inverse():
    def by_inverse(theta, g, H, alpha):
        return theta - np.linalg.inv(H + alpha * np.eye(len(g))) @ g

    result = checks07.check_newton_step_random(by_inverse, seed=4)
    assert not result.passed and result.details["kind"] == "explicit inverse"
    assert "hidden test" in result.message and "seed 4" in result.message


def test_hidden_cases_of_notebook_07_are_new():
    """Quadratics the visible check never uses, reproducible from the seed."""
    visible = [c.hyper["H"] for c in checks07.NEWTON_STEP.cases]
    cases = newton_exercise.random_newton_cases(9)
    assert {c.objective.dim for c in cases} == {3, 4, 6, 7}
    assert not any(np.shape(c.hyper["H"]) == np.shape(H) and np.allclose(c.hyper["H"], H)
                   for c in cases for H in visible)
    again = newton_exercise.random_newton_cases(9)
    assert all(np.array_equal(a.hyper["H"], b.hyper["H"]) for a, b in zip(cases, again,
                                                                            strict=True))
    for case in cases:     # H + αI is positive definite: the damped step is a descent step
        assert np.linalg.eigvalsh(case.hyper["H"]).min() + case.hyper["alpha"] > 0


def test_hidden_checks_of_numbers_agree_with_theory():
    # ε < 2/λ_max = 0.2 converges; the test also demands that 1.07 ε diverges.
    assert checks00.check_lr_limit_by_running(0.19, seed=1).passed
    assert checks00.check_lr_limit_by_running(0.2, seed=1).passed
    assert not checks00.check_lr_limit_by_running(0.21, seed=1).passed
    assert not checks00.check_lr_limit_by_running(0.186, seed=1).passed   # 1.07 × 0.186 < 0.2
    assert not checks00.check_lr_limit_by_running("0.2", seed=1).passed
    # ⌈1000/32⌉ = 32 minibatches per epoch, counted, not computed
    counted = checks03.check_epoch_updates_by_counting(96, seed=3)
    assert counted.passed and counted.details["expected"] == 96
    assert not checks03.check_epoch_updates_by_counting(93, seed=3).passed
    # terminal velocity 1/(1 − α) (eq. 8.17), by iterating the update
    measured = checks04.check_terminal_velocity_by_running(20, alpha=0.95, seed=5)
    assert measured.passed and measured.details["expected"] == pytest.approx(20, rel=1e-12)
    assert not checks04.check_terminal_velocity_by_running(19, alpha=0.95, seed=5).passed
    assert checks04.check_terminal_velocity_by_running(None).status == "not done yet"
    # Adam's first step moves each coordinate by ε·|g|/(|g| + δ) ≈ ε = 0.001, measured by
    # one step of the library's Adam; without bias correction it would be 3.16ε
    for seed in range(5):
        first = checks06.check_adam_first_step_by_running(0.001, seed=seed)
        assert first.passed and first.details["expected"] == pytest.approx(0.001, rel=1e-5)
    assert not checks06.check_adam_first_step_by_running(0.00316, seed=0).passed
    assert not checks06.check_adam_first_step_by_running(1.0, seed=0).passed
    # CG needs one iteration per distinct eigenvalue: 3, counted on new matrices
    for seed in range(5):
        counted = checks07.check_cg_iterations_by_running(3, seed=seed)
        assert counted.passed and counted.details["expected"] == 3
    for wrong in (2, 4, 1000):
        assert not checks07.check_cg_iterations_by_running(wrong, seed=0).passed
    A, b = cg_iterations.three_eigenvalue_system(np.random.default_rng(0))
    assert len(np.unique(np.linalg.eigvalsh(A).round(8))) == 3


def test_grading_seed_is_used_when_set():
    with hidden.grading_seed(42):
        assert hidden.current_seed() == 42
        result = checks.check_random_cases(checks00.GD_STEP.reference, checks00.GD_STEP)
    assert "seed 42" in result.message and hidden.current_seed() != 42


# --- the learner's running score -----------------------------------------------------------
def test_scoreboard_counts_the_latest_result_of_each_check():
    saved = dict(RESULTS)          # start from no results: other tests ran checks too
    RESULTS.clear()
    try:
        _scoreboard_after_three_checks()
    finally:
        RESULTS.clear()
        RESULTS.update(saved)


def _scoreboard_after_three_checks():
    checks00.check_gd_step(lambda theta, g, lr: theta + lr * g)          # failed
    checks00.check_gd_step(lambda theta, g, lr: theta - lr * g)          # then passed
    checks00.check_largest_lr(None)                                      # not done yet
    text = repr(checks.scoreboard({"check_gd_step": 2, "check_largest_lr": 1,
                                   "check_momentum_step": 3}, by_hand={"explain_zigzag": 2}))
    lines = text.splitlines()
    assert lines[0] == "Running score: 2 of 6 auto-checked points (1 of 3 checks passed)"
    assert lines[1].split() == ["✔", "gd_step", "2", "/", "2", "passed"]
    assert lines[2].split() == ["…", "largest_lr", "0", "/", "1", "not", "done", "yet"]
    assert lines[3].split() == ["·", "momentum_step", "0", "/", "3", "not", "run", "yet"]
    assert lines[4].split() == ["✎", "explain_zigzag", "–", "/", "2", "graded", "by", "hand"]
    assert "without course_lib" in text


# --- the sandbox, directly ------------------------------------------------------------------
def test_sandbox_serves_functions_values_callbacks_and_in_place_changes(tmp_path):
    source = ("import math\nscale = 2.5\nlabel = 'ok'\n"
              "def apply(f, x):\n    return f(x) * scale\n"
              "def shift(a, by=1):\n    a += by\n    return None\n"
              "class Thing:\n    pass\nthing = Thing()\n"
              "def ratio(x):\n    return 1 / x\n"
              "from numpy.linalg import inv\n"
              "def newton(H, g):\n    return inv(H) @ g\n")
    jail = Jail(str(tmp_path.resolve()), landlock=False)
    box = Sandbox(source, ["apply", "shift", "ratio", "newton", "scale", "label", "thing",
                           "nope"], Limits(), jail)
    try:
        ready = box.start()
        names = ready["names"]
        assert names["nope"] == {"kind": "missing"} and ready["cell_error"] is None
        assert proxy.value(names["scale"]["value"]) == 2.5
        assert proxy.value(names["label"]["value"]) == "ok"
        assert repr(proxy.value(names["thing"]["value"])) == "<a Thing from your answer>"
        apply = proxy.RemoteFunction(box, "apply", names["apply"]["params"])
        assert str(inspect.signature(apply)) == "(f, x)"
        assert apply(lambda x: x + 1, 3.0) == 10.0             # called back in this process
        shift = proxy.RemoteFunction(box, "shift", names["shift"]["params"])
        array = np.zeros(3)
        assert shift(array, by=2) is None and array.tolist() == [2, 2, 2]
        with pytest.raises(RuntimeError, match="ZeroDivisionError.*line 5 of your answer "
                           "cell, in apply"):                   # the grader's function failed
            apply(lambda x: 1 / x, 0.0)
        ratio = proxy.RemoteFunction(box, "ratio", names["ratio"]["params"])
        with pytest.raises(ZeroDivisionError, match="line 13 of your answer cell, in ratio"):
            ratio(0)                                             # the learner's function failed
        newton = proxy.RemoteFunction(box, "newton", names["newton"]["params"])
        with newton.watching(["numpy.linalg.inv", "numpy.linalg.solve"]) as seen:
            assert np.allclose(newton(2 * np.eye(2), np.ones(2)), 0.5)
        assert seen == ["numpy.linalg.inv"]      # caught through `from numpy.linalg import inv`
        assert newton(np.eye(2), np.ones(2)).tolist() == [1, 1] and seen == ["numpy.linalg.inv"]
    finally:
        box.close()
    assert box.reason is None and box.proc.returncode is not None


def test_an_inverse_in_the_sandbox_trips_the_checks_own_wire(tmp_path):
    """check_newton_step patches np.linalg.inv and pinv in the checker's process. Under the
    grader the answer calls them in the child; the proxy replays each call here, so the
    verdict is the notebook's: the right numbers through an inverse fail, a solve passes."""
    source = ("from numpy.linalg import pinv\n"
              "def by_inv(theta, g, H, alpha):\n"
              "    return theta - np.linalg.inv(H + alpha * np.eye(len(g))) @ g\n"
              "def by_pinv(theta, g, H, alpha):\n"
              "    return theta - pinv(H + alpha * np.eye(len(g))) @ g\n"
              "def by_solve(theta, g, H, alpha):\n"
              "    return theta - np.linalg.solve(H + alpha * np.eye(len(g)), g)\n")
    jail = Jail(str(tmp_path.resolve()), landlock=False)
    box = Sandbox(source, ["by_inv", "by_pinv", "by_solve"], Limits(), jail)
    try:
        names = box.start()["names"]
        fns = {n: proxy.RemoteFunction(box, n, names[n]["params"]) for n in names}
        for name, used in (("by_inv", "np.linalg.inv"), ("by_pinv", "np.linalg.pinv")):
            result = checks07.check_newton_step(fns[name])
            assert not result.passed and result.details["used"] == used, result.message
            assert checks07.check_newton_step_random(fns[name], seed=2).details["kind"] == \
                "explicit inverse"
        assert checks07.check_newton_step(fns["by_solve"]).passed
        assert checks07.check_newton_step_random(fns["by_solve"], seed=2).passed
    finally:
        box.close()
    assert box.reason is None


class _FakeChild:
    """Replies to every call as a child would, naming ``watched`` as the functions it called."""

    def __init__(self, watched):
        self.watched, self.asked = watched, None

    def call(self, name, args, kwargs, what, watch=()):
        self.asked = tuple(watch)
        return {"op": "result", "value": 1.0, "watched": self.watched}


def test_the_proxy_replays_only_known_functions_once_per_call(monkeypatch):
    """The child's list is untrusted: names outside proxy.REPLAYED, repeats and garbage are
    ignored; each replay is one call on a 1×1 identity."""
    calls = []
    for attr in ("inv", "pinv"):
        original = getattr(np.linalg, attr)
        monkeypatch.setattr(np.linalg, attr, lambda a, _f=original, _n=attr:
                            calls.append((_n, a.shape)) or _f(a))
    monkeypatch.setattr(os, "system", lambda *a: calls.append("os.system"))
    child = _FakeChild(["numpy.linalg.inv", "numpy.linalg.inv", "os.system", 3,
                        "numpy.linalg.pinv"])
    assert proxy.RemoteFunction(child, "f", None)() == 1.0
    assert calls == [("inv", (1, 1)), ("pinv", (1, 1))]
    assert child.asked == proxy.REPLAYED
    calls.clear()
    for garbage in ("numpy.linalg.inv", {"numpy.linalg.inv": 1}, None, [["numpy.linalg.inv"]]):
        assert proxy.RemoteFunction(_FakeChild(garbage), "f", None)() == 1.0
    assert calls == []


LANDLOCK_PROBE = """
import json, os, signal, sys
sys.path.insert(0, sys.argv[1])
import guard
abi = guard.landlock(json.loads(sys.argv[2]), [sys.argv[3]])
outcome = {"abi": abi}
for name, attempt in [
        ("read outside", lambda: open(sys.argv[4]).read(1)),
        ("write own", lambda: open(os.path.join(sys.argv[3], "x"), "w").write("ok")),
        ("read stdlib", lambda: open(os.__file__).read(1)),
        ("signal parent", lambda: os.kill(os.getppid(), 0))]:
    try:
        attempt()
        outcome[name] = "allowed"
    except PermissionError:
        outcome[name] = "refused"
print(json.dumps(outcome))
"""


def test_landlock_alone_confines_the_child(tmp_path):
    """The kernel layer without the audit hook: reads only where allowed, writes only in its
    folder, and (Landlock ABI ≥ 6) no signal to the grader."""
    from course_lib.grade.sandbox import CHILD, STDLIB
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LANDLOCK_PROBE, str(Path(CHILD).parent),
         json.dumps(STDLIB), str(tmp_path), str(REPO / "README.md")],
        capture_output=True, text=True, timeout=60)
    outcome = json.loads(proc.stdout)
    if outcome["abi"] == 0:
        pytest.skip("this kernel offers no Landlock")
    assert outcome["read outside"] == "refused"
    assert outcome["write own"] == "allowed" and outcome["read stdlib"] == "allowed"
    assert outcome["signal parent"] == ("refused" if outcome["abi"] >= 6 else "allowed")


SECCOMP_PROBE = r"""
import json, os, resource, signal, sys, threading
sys.path.insert(0, sys.argv[1])
import syscalls
import numpy as np
syscalls.seccomp(os.getpid())
outcome = {}
def thread():
    outcome["thread"] = "allowed"
for name, attempt in [
        ("fork", os.fork),
        ("exec", lambda: os.execv("/bin/true", ["true"])),
        ("posix_spawn", lambda: os.posix_spawn("/bin/true", ["true"], {})),
        ("pidfd parent", lambda: os.pidfd_open(os.getppid())),
        ("kill parent", lambda: os.kill(os.getppid(), 0)),
        ("kill parent group", lambda: os.killpg(os.getpgid(os.getppid()), 0)),
        ("limits of the parent", lambda: resource.prlimit(os.getppid(), resource.RLIMIT_AS)),
        ("socket", lambda: __import__("socket").socket()),
        ("kill self", lambda: os.kill(os.getpid(), 0)),
        ("kill own group", lambda: os.kill(0, 0)),
        ("own limits", lambda: resource.getrlimit(resource.RLIMIT_AS)),
        ("matmul", lambda: np.ones((300, 300)) @ np.ones((300, 300))),
        ("start a thread", lambda: [t.start() or t.join()
                                    for t in [threading.Thread(target=thread)]])]:
    try:
        attempt()
        outcome.setdefault(name, "allowed")
    except PermissionError:
        outcome[name] = "refused"
    except OSError as err:
        outcome[name] = f"other error {err.errno}"
print(json.dumps(outcome))
"""


def test_seccomp_alone_keeps_the_child_from_other_processes():
    """The system-call filter without the other layers: no process, program, pidfd, signal,
    limit or socket reaches outside the child; its own signals, limits, numpy and threads
    still work (clone3 gets ENOSYS and the C library falls back to clone with CLONE_THREAD)."""
    from course_lib.grade import syscalls
    from course_lib.grade.sandbox import CHILD
    if not syscalls.seccomp_available():
        pytest.skip("seccomp filters are offered on Linux x86-64 only")
    proc = subprocess.run([sys.executable, "-c", SECCOMP_PROBE, str(Path(CHILD).parent)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    outcome = json.loads(proc.stdout)
    refused = ["fork", "exec", "posix_spawn", "pidfd parent", "kill parent",
               "kill parent group", "limits of the parent",
               "socket"]
    assert {name: outcome[name] for name in refused} == dict.fromkeys(refused, "refused")
    allowed = ["kill self", "kill own group", "own limits", "matmul", "start a thread"]
    assert {name: outcome[name] for name in allowed} == dict.fromkeys(allowed, "allowed")


def test_the_seccomp_program_jumps_stay_inside_it():
    from course_lib.grade import syscalls
    program = syscalls.seccomp_program(4242)
    assert len(program) < 4096                       # BPF_MAXINSNS
    for i, (code, jt, jf, _) in enumerate(program):
        if code & 0x07 == 0x05:                      # a jump: both targets in the program
            assert 0 <= jt < 256 and 0 <= jf < 256
            assert i + 1 + max(jt, jf) < len(program)
    assert program[-1][0] == 0x06 and program[2] == (0x06, 0, 0, 0x80000000)
    numbers = list(syscalls.SECCOMP_DENIED.values()) + list(syscalls.SECCOMP_SELF.values())
    assert len(set(numbers)) == len(numbers)


# --- reports and the pool ------------------------------------------------------------------
def test_csv_refuses_formulas_and_summary_adds_up(tmp_path):
    rows = [Row("=cmd", "nb", "a", 2.0, 2.0, "-1 is wrong"),
            Row("=cmd", "nb", "b", None, 2.0, "graded by hand", "manual"),
            Row("zoe", "nb", "a", None, 2.0, "could not be graded", "error")]
    flags = {("=cmd", "nb", "a"): "same as student zoe (0.97)"}
    report.write_csv(rows, tmp_path / "g.csv", flags)
    lines = list(csv.reader((tmp_path / "g.csv").open(encoding="utf-8")))
    assert lines[0] == list(report.FIELDS) and lines[0][-1] == "similarity"
    assert lines[1] == ["'=cmd", "nb", "a", "2", "2", "'-1 is wrong",
                        "same as student zoe (0.97)"]
    assert lines[2][3] == "" and lines[2][-1] == "" and lines[3][-1] == ""
    text = report.summary(rows, ["nb"], flags)
    assert "| =cmd | 2/2 | 2/2 |" in text and "| zoe | 0/2 | 0/2 |" in text
    assert "1 explain answer(s)" in text and "1 exercise(s) could not be graded" in text
    assert "1 answer(s) close to" in text and "- =cmd, nb, a: same as student zoe (0.97)" in text
    assert "close to" not in report.summary(rows, ["nb"])
    report.write_feedback(rows, tmp_path / "feedback")
    assert not any("same as" in p.read_text(encoding="utf-8")
                   for p in (tmp_path / "feedback").iterdir())


def _die_on_odd(job):
    if job.secret % 2:
        os._exit(3)              # a worker killed in the middle of a job
    return JobResult([Row(job.submission.student, "nb", "x", 1.0, 1.0, "ok")], 0.0, 0)


def test_a_dead_worker_costs_only_its_own_job():
    jail = Jail("/tmp")
    work = [Job(Submission(f"s{i}", "nb", ""), (exercises.Exercise("nb", "x", "auto", 1.0),),
                Limits(), jail, secret=i) for i in range(4)]
    results = run_jobs(work, 2, grade=_die_on_odd)
    assert [r.rows[0].points for r in results] == [1.0, None, 1.0, None]
    assert [r.rows[0].kind for r in results] == ["auto", "error", "auto", "error"]
    assert "killed twice" in results[1].rows[0].feedback


# --- the one command on the corpus ---------------------------------------------------------
def grade(tmp_path, *options, only=None):
    out = tmp_path / "grades.csv"
    expected, words = corpus.build(tmp_path / "submitted", out, only)
    proc = subprocess.run(
        [sys.executable, "-m", "course_lib.grade", str(tmp_path / "submitted"), "--out", str(out),
         "--seed", "7", "--timeout", "4", "--jobs", "2",
         "--source", str(REPO / "instructor" / "source"), *options],
        capture_output=True, text=True, timeout=300, start_new_session=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    return expected, words, rows, proc.stdout


def table(rows) -> dict:
    return {(r["student"], r["notebook"], r["exercise"]):
            None if r["points"] == "" else float(r["points"]) for r in rows}


def summary_line(expected: dict, student: str) -> str:
    """The summary table's row for ``student``, from the corpus's expected points: earned of
    possible auto-graded points per notebook (– where the student submitted nothing)."""
    cells, earned, possible = [], 0, 0
    for name in corpus.NOTEBOOKS:
        rows = {ex: pts for (who, nb, ex), pts in expected.items() if (who, nb) == (student, name)}
        if not rows:
            cells.append("–")
            continue
        e = sum(pts or 0 for pts in rows.values())
        p = sum(v for v in corpus.EXERCISES[name].values() if v)
        cells.append(f"{e}/{p}")
        earned, possible = earned + e, possible + p
    return f"| {student} | " + " | ".join(cells) + f" | {earned}/{possible} |"


@pytest.mark.slow
def test_one_command_grades_the_corpus(tmp_path):
    expected, words, rows, stdout = grade(tmp_path)
    assert table(rows) == expected
    assert {r["max_points"] for r in rows if r["exercise"] == "momentum_step"} == {"3"}
    feedback = {(r["student"], r["notebook"], r["exercise"]): r["feedback"] for r in rows}
    for key, needed in words.items():
        for text in needed:
            assert text in feedback[key], (key, text, feedback[key])
    # nothing the hostile answers tried got through
    submitted = tmp_path / "submitted"
    assert (submitted / "correct" / "00_start_here" / "00_start_here.ipynb").is_file()
    assert (SOURCE / "04_momentum_physics" / "04_momentum_physics.ipynb").is_file()
    gradebook = (tmp_path / "grades.csv").read_text(encoding="utf-8")
    assert gradebook.startswith(",".join(report.FIELDS)) and len(rows) == len(expected)
    # the summary, the feedback files
    for student in ("correct", "h_prints", "partial", "h_reference"):
        assert summary_line(expected, student) in stdout
    assert "Landlock ABI" in stdout or "no Landlock" in stdout
    assert ("+ seccomp + audit hook" in stdout) == guard_seccomp()
    students = {key[0] for key in expected}
    files = {p.stem for p in (tmp_path / "grades_feedback").glob("*.md")}
    assert files == students
    text = (tmp_path / "grades_feedback" / "correct.md").read_text(encoding="utf-8")
    possible = sum(v for v in corpus.EXERCISES["04_momentum_physics"].values() if v)
    assert (f"## 04_momentum_physics: {possible} of {possible} auto-graded points; 2 more "
            "graded by hand") in text
    assert "### explain_drag: graded by hand (2 points)" in text
    text = (tmp_path / "grades_feedback" / "partial.md").read_text(encoding="utf-8")
    assert f"## 04_momentum_physics: 3 of {possible} auto-graded points\n" in text
    assert "### momentum_step: 3 / 3" in text and "### nesterov_step: 0 / 1" in text
    assert "## 07_second_order: 6 of 12 auto-graded points\n" in text
    text = (tmp_path / "grades_feedback" / "m_newton_inv.md").read_text(encoding="utf-8")
    assert "### newton_step: 0 / 3" in text and "forms the inverse matrix" in text


@pytest.mark.slow
def test_seccomp_holds_where_landlock_is_missing(tmp_path):
    """With --unsafe on a system without Landlock, the attacks on the grader's processes
    that the audit hook cannot see (a pidfd) are refused by the kernel's system-call
    filter; the honest answers keep their points."""
    from course_lib.grade import syscalls
    if not syscalls.seccomp_available():
        pytest.skip("seccomp filters are offered on Linux x86-64 only")
    expected, words, rows, stdout = grade(
        tmp_path, "--no-landlock", "--unsafe",
        only={"correct", "h_pidfd_grader", "h_pidfd_probe", "h_kill_grader", "h_fork"})
    assert "sandbox: no Landlock (--unsafe) + seccomp + audit hook" in stdout
    assert table(rows) == expected
    feedback = {(r["student"], r["notebook"], r["exercise"]): r["feedback"] for r in rows}
    for key, needed in words.items():
        assert all(text in feedback[key] for text in needed), (key, feedback[key])
    assert not any(r["feedback"].startswith("could not be graded") for r in rows)


def guard_seccomp() -> bool:
    from course_lib.grade import syscalls
    return syscalls.seccomp_available()


HOSTILE_FILES = {"correct", "h_delete", "h_write_gradebook", "h_read_hidden", "h_dir_fd",
                 "h_reference",
                 "h_reference_path", "h_kill_grader", "h_kill_group", "h_fork", "h_patch"}


@pytest.mark.slow
def test_the_audit_hook_alone_holds(tmp_path):
    """Without Landlock (as on macOS or old kernels) and without seccomp, the same attempts
    fail the same way."""
    expected, words, rows, stdout = grade(tmp_path, "--no-landlock", "--no-seccomp",
                                          "--unsafe", only=HOSTILE_FILES)
    assert "sandbox: no Landlock (--unsafe) + audit hook" in stdout
    assert table(rows) == expected
    feedback = {(r["student"], r["notebook"], r["exercise"]): r["feedback"] for r in rows}
    for key, needed in words.items():
        assert all(text in feedback[key] for text in needed), (key, feedback[key])
    assert (tmp_path / "submitted" / "correct" / "00_start_here" / "00_start_here.ipynb").is_file()
    gradebook = (tmp_path / "grades.csv").read_text(encoding="utf-8")
    assert gradebook.startswith(",".join(report.FIELDS)) and len(rows) == len(expected)


def test_the_checkout_of_the_graded_sources_is_kept_from_submissions_too(tmp_path):
    """Sources taken from another checkout than the grader's own course_lib: both are
    protected (its instructor folder, its reference implementation); the grader's own
    sources give the grader's checkout alone."""
    other = tmp_path / "other-course"
    (other / "course_lib").mkdir(parents=True)
    (other / "pyproject.toml").write_text("[project]\nname = 'course'\n")
    (other / "instructor" / "source").mkdir(parents=True)
    assert runner._course_checkouts(other / "instructor" / "source") == [runner.REPO, other]
    assert runner._course_checkouts(runner.DEFAULT_SOURCE) == [runner.REPO]
    assert runner._course_checkouts(tmp_path) == [runner.REPO]     # no checkout there
