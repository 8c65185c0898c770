"""Submissions for the grader's tests and benchmark, made at test time from the learner notebooks.

Each submission is the committed learner notebook (``notebooks/<name>.ipynb``, exactly what
learners get) with some answer cells replaced: by the instructor's solutions, by a typical
mistake, or by hostile code. Hostile answers end with the *correct* computation, so that the
only way they can score 0 is the grader stopping what they try; a leak shows up as points.

``build(root, out_csv)`` writes ``root/<student>/<notebook>/<notebook>.ipynb`` and returns
{(student, notebook, exercise): points} (None: graded by hand) and, for some rows, words
their feedback must contain.
"""

from __future__ import annotations

import csv
import json
import numbers
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("00_start_here", "03_sgd_schedules", "04_momentum_physics", "06_adaptive_rates",
             "07_second_order")
EXERCISES = {  # auto-graded exercises and their points, then the explain exercise
    "00_start_here": {"gd_step": 2, "largest_lr": 1, "same_rate_lr": 1,
                      "explain_zigzag": None},
    "03_sgd_schedules": {"sgd_schedule_step": 3, "updates_in_three_epochs": 1,
                         "tuned_schedule": 2, "chosen_eps0": 2, "explain_noise_floor": None},
    "04_momentum_physics": {"momentum_step": 3, "nesterov_step": 1, "terminal_factor": 1,
                            "tuned_momentum": 2, "diagnosis": 2, "explain_drag": None},
    "06_adaptive_rates": {"adagrad_step": 2, "rmsprop_step": 2, "adam_step": 3,
                          "adam_first_step": 1, "tuned_run": 2, "explain_adagrad_stall": None},
    "07_second_order": {"newton_step": 3, "linear_cg": 3, "two_loop": 3, "cg_iterations": 1,
                        "tuned_alpha": 2, "explain_newton_scale": None},
}
MANUAL = {"explain_zigzag", "explain_noise_floor", "explain_drag", "explain_adagrad_stall",
          "explain_newton_scale"}


def _cells(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _gid(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def solutions(name: str) -> dict:
    nb = _cells(REPO / "instructor" / "source" / name / f"{name}.ipynb")
    return {_gid(c): "".join(c["source"]) for c in nb["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")}


def submit(root: Path, student: str, name: str, answers: dict) -> Path:
    """The learner notebook with the cells of ``answers`` (grade_id → source) replaced."""
    nb = _cells(REPO / "notebooks" / f"{name}.ipynb")
    for cell in nb["cells"]:
        if _gid(cell) in answers:
            cell["source"] = answers[_gid(cell)]
    folder = root / student / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def grade_three_students(root: Path, name: str, mistakes: dict, seed: int = 11) -> dict:
    """Grade notebook ``name`` for three students: the instructor's solutions ("correct"),
    the untouched learner notebook ("untouched") and one typical mistake per exercise
    ("mistakes": ``mistakes`` maps an exercise to (its answer source, a word of its
    diagnosis)); ``seed`` draws the hidden cases. Returns {(student, exercise): the grade
    CSV's row} for that notebook."""
    from course_lib.grade import grade_folder

    submit(root / "submitted", "correct", name, solutions(name))
    submit(root / "submitted", "untouched", name, {})
    submit(root / "submitted", "mistakes", name,
           {gid: source for gid, (source, _) in mistakes.items()})
    from course_lib.grade.guard import landlock_abi

    out = root / "grades.csv"
    # the corpus is the course's own (solutions and typical mistakes): where the kernel
    # offers no Landlock it is graded with --unsafe rather than refused
    grade_folder(root / "submitted", out, jobs=2, seed=seed, unsafe=not landlock_abi())
    return {(r["student"], r["exercise"]): r for r in csv.DictReader(out.open(encoding="utf-8"))
            if r["notebook"] == name}


def assert_graded(rows: dict, points: dict, mistakes: dict, by_hand: str) -> None:
    """Full points for the solutions, none for the untouched notebook, none for each mistake
    with its diagnosis in the feedback; the explain exercise ``by_hand`` left to the grader."""
    for exercise, worth in points.items():
        assert float(rows[("correct", exercise)]["points"]) == worth, rows[("correct", exercise)]
        assert float(rows[("untouched", exercise)]["points"]) == 0
        wrong = rows[("mistakes", exercise)]
        assert float(wrong["points"]) == 0, wrong
        assert mistakes[exercise][1] in wrong["feedback"], wrong["feedback"]
    assert rows[("correct", by_hand)]["points"] == ""                   # graded by hand


def momentum(body: str = "", head: str = "") -> str:
    """A momentum_step answer: ``head`` at the top of the cell, ``body`` before a correct
    update inside the function."""
    lines = "".join(f"    {line}\n" for line in body.strip().splitlines())
    return (f"{head.strip()}\n" if head else "") + (
        "def momentum_step(theta, v, g, lr, alpha):\n" + lines
        + "    v = alpha * v - lr * g\n    return theta + v, v\n")


WRONG_MOMENTUM = ("def momentum_step(theta, v, g, lr, alpha):\n"
                  "    return theta - lr * (alpha * v + g), alpha * v + g\n")


def hostile(paths: dict) -> dict:
    """student → (momentum_step answer, words its feedback must contain)."""
    victim, source, csv = paths["victim"], paths["source"], paths["csv"]
    return {
        # stopped by the check's 2 s per call or, on a loaded machine, by the exercise's wall
        # clock: both reasons ask "is there a (never-ending | endless) loop?"
        "h_loop": (momentum("while True:\n    pass"), "loop"),
        "h_loop_top": (momentum(head="while True:\n    pass"), "ran out of time"),
        "h_alloc": (momentum("hog = [bytearray(10**8) for _ in range(100)]"), "MemoryError"),
        "h_raise": (momentum('raise ValueError("boom")'), "ValueError: boom"),
        "h_sys_exit": (momentum("import sys\nsys.exit(0)"), "SystemExit"),
        "h_os_exit": (momentum("import os\nos._exit(0)"), "exit status 0"),
        "h_kill_self": (momentum("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
                        "SIGKILL"),
        "h_kill_grader": (momentum("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"),
                          "PermissionError"),
        "h_kill_group": (momentum("import os, signal\n"
                                  "os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)"),
                         "PermissionError"),
        # a pidfd reaches the grader without os.kill's audit event: refused by seccomp (and
        # from Landlock ABI 6 by its signal scope)
        "h_pidfd_grader": (momentum("import os, signal\nfd = os.pidfd_open(os.getppid())\n"
                                    "signal.pidfd_send_signal(fd, signal.SIGKILL)"),
                           "PermissionError"),
        # signal 0 only tests that a signal would reach: if it ever did, the answer would
        # go on to earn its points (and the test fail) without harming the machine
        "h_pidfd_probe": (momentum("import os, signal\n"
                                   "signal.pidfd_send_signal(os.pidfd_open(os.getppid()), 0)"),
                          "PermissionError"),
        "h_fork": (momentum("import os\nif os.fork() == 0:\n    while True:\n        pass"),
                   "os.fork is not allowed"),
        "h_delete": (momentum(f"import os, shutil\nshutil.rmtree({str(Path(victim).parent)!r})"
                              f"\nos.remove({source!r})"), "PermissionError"),
        "h_write_gradebook": (momentum(f"open({csv!r}, 'w').write('h_write_gradebook,forged')"),
                              "PermissionError"),
        "h_read_hidden": (momentum(f"text = open({source!r}).read()"), "PermissionError"),
        # climb out of its folder with a relative path and a dir_fd (the audit event for
        # os.open does not show dir_fd): refused both by Landlock and by the hook alone
        "h_dir_fd": (momentum("import os\nown = os.getcwd()\nos.makedirs('a/b/c/d/e/f')\n"
                              "os.chdir('a/b/c/d/e/f')\ntop = os.open(own, os.O_RDONLY)\n"
                              "up = '../' * own.count('/')\n"
                              f"os.read(os.open(up + {source.lstrip('/')!r}, os.O_RDONLY, "
                              "dir_fd=top), 10)"), "PermissionError"),
        "h_reference": (momentum("from course_lib.optim import Momentum"),
                        "reference implementation (course_lib) is not available"),
        "h_reference_path": (momentum(f"import importlib, sys\nsys.path.insert(0, "
                                      f"{str(paths['repo'])!r})\n"
                                      "importlib.import_module('course_lib.optim.sgd')"),
                             "No module named 'course_lib'"),
        "h_patch": (head_patch() + WRONG_MOMENTUM, "PyTorch"),
        "h_garbage": (momentum("import os\nfor fd in range(3, 64):\n    try:\n"
                               "        os.write(fd, b'\\xff' * 64)\n    except OSError:\n"
                               "        pass"), "could not read"),
        "h_huge_reply": ("import numpy as np\ndef momentum_step(theta, v, g, lr, alpha):\n"
                         "    return np.zeros(6_000_000), v\n", "could not read"),
        "h_prints": (momentum('print("x" * 1_000_000)', head='print("spam " * 2_000_000)'),
                     "printed output is discarded"),
    }


def head_patch() -> str:
    """Monkeypatch everything a checker might rely on, in the answer's own process."""
    return ("try:\n    import course_lib.lessons.nb04_momentum_physics.checks as c\n"
            "    c.check_momentum_step = lambda f: True\n"
            "except ImportError:\n    pass\n"
            "import builtins\nnp.allclose = lambda *a, **k: True\n"
            "np.array_equal = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
            "builtins.abs = lambda x: 0\nbuiltins.AssertionError = Exception\n")


def memorizer(rule=None) -> str:
    """An answer for an ``UpdateRule`` (default: gd_step) that is right on the visible check's
    inputs only, by a table of them, and returns its state unchanged elsewhere."""
    from course_lib.checks.update_rule import _unpack, fresh, inputs_for
    from course_lib.lessons.nb00_start_here.checks import GD_STEP
    rule = GD_STEP if rule is None else rule

    def key(args):
        return repr([np.round(np.asarray(a, dtype=float), 9).tolist() for a in args])

    def plain(value):
        return value if isinstance(value, numbers.Number) else np.asarray(value).tolist()

    table = {}
    for case in rule.cases:
        state = {name: fresh(value) for name, value in case.state.items()}
        for _ in range(case.steps):
            inputs = inputs_for(rule, case, state)
            args = [inputs[name] for name in rule.signature]
            out = _unpack(rule, rule.reference(*args))
            table[key(args)] = [plain(out[name]) for name in rule.outputs]
            state = {name: fresh(out[name]) for name in rule.state_names}
    signature = ", ".join(rule.signature)
    kept = ", ".join(rule.outputs)
    back = ("np.array(out[0])" if len(rule.outputs) == 1 else
            "tuple(np.array(o) if isinstance(o, list) else o for o in out)")
    return (f"TABLE = {table!r}\n"
            f"def {rule.name}({signature}):\n"
            f"    out = TABLE.get(repr([np.round(np.asarray(a, dtype=float), 9).tolist() "
            f"for a in ({signature},)]))\n"
            f"    return ({kept}) if out is None else {back}\n")


# A right answer that uses what answers may use: the standard library, numpy's lazily loaded
# submodules, a namedtuple (which inspects the caller's frame), a file in its own folder.
LEGIT = """import functools, math, tempfile
from collections import namedtuple
Step = namedtuple("Step", "lr scale")
def gd_step(theta, g, lr):
    noise = np.random.default_rng(0).standard_normal(2)
    spectrum = np.fft.fft(np.ones(4)).real
    with open("scratch.txt", "w") as handle:
        handle.write(str(noise + spectrum[0]))
    with tempfile.TemporaryFile() as scratch:
        scratch.write(b"ok")
    step = Step(lr, functools.reduce(lambda a, b: a * b, [1.0, math.sqrt(1.0)]))
    return theta - step.lr * step.scale * g
"""


ADAM_LATE_T = """def adam_step(theta, s, r, t, g, lr, rho1, rho2, delta):
    s = rho1 * s + (1 - rho1) * g
    r = rho2 * r + (1 - rho2) * g * g
    s_hat = s / (1 - rho1 ** t)
    r_hat = r / (1 - rho2 ** t)
    t = t + 1
    return theta - lr * s_hat / (np.sqrt(r_hat) + delta), s, r, t
"""

NEWTON_INV = """def newton_step(theta, g, H, alpha):
    return theta - np.linalg.inv(H + alpha * np.eye(len(g))) @ g
"""

TWO_LOOP_SWAPPED = """def two_loop(g, s_list, y_list):
    q = np.array(g, dtype=float)
    if not s_list:
        return -q
    rhos = [1.0 / (y @ s) for s, y in zip(s_list, y_list)]
    alphas = [0.0] * len(s_list)
    for i in range(len(s_list)):
        alphas[i] = rhos[i] * (s_list[i] @ q)
        q = q - alphas[i] * y_list[i]
    r = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1]) * q
    for i in reversed(range(len(s_list))):
        beta = rhos[i] * (y_list[i] @ r)
        r = r + s_list[i] * (alphas[i] - beta)
    return -r
"""

# Right answers built on the reference: full points in the learner's notebook (and under
# nbgrader), refused by the grader's sandbox.
ADAM_BY_REFERENCE = """def adam_step(theta, s, r, t, g, lr, rho1, rho2, delta):
    from course_lib.optim import Adam
    from course_lib.optim.adaptive import AdamState

    class Slope:
        def grad(self, point):
            return g

    theta, state = Adam(lr, rho1, rho2, delta).step(theta, AdamState(t, s, r), Slope())
    return theta, np.array(state.s), np.array(state.r), state.t
"""

NEWTON_BY_REFERENCE = """from course_lib.optim.second_order import newton_direction

def newton_step(theta, g, H, alpha):
    return theta + newton_direction(g, H, alpha)
"""

MISTAKES = {  # student → (notebook, answers, words the first exercise's feedback contains)
    "m_gd_sign": ("00_start_here", {"gd_step": "def gd_step(theta, g, lr):\n"
                                    "    return theta + lr * g\n"}, "uphill"),
    "m_gd_inplace": ("00_start_here", {"gd_step": "def gd_step(theta, g, lr):\n"
                                       "    theta -= lr * g\n    return theta\n"}, "in place"),
    "m_gd_helper": ("00_start_here", {"gd_step": "def gd_step(theta, g, lr):\n"
                                      "    return theta - step(g, lr)\n"}, "NameError"),
    "m_lr_too_high": ("00_start_here", {"largest_lr": "largest_lr = 0.21\n"}, "too high"),
    "m_sched_off_by_one": ("03_sgd_schedules", {"sgd_schedule_step": (
        "def sgd_schedule_step(theta, k, g, eps0, eps_tau, tau):\n"
        "    a = min(k / tau, 1.0)\n    eps = (1 - a) * eps0 + a * eps_tau\n"
        "    return theta - eps * g, k + 1\n")}, "Increase the counter first"),
    "m_sched_unclamped": ("03_sgd_schedules", {"sgd_schedule_step": (
        "def sgd_schedule_step(theta, k, g, eps0, eps_tau, tau):\n"
        "    k = k + 1\n    a = k / tau\n    eps = (1 - a) * eps0 + a * eps_tau\n"
        "    return theta - eps * g, k\n")}, "a = min(k/τ, 1)"),
    "m_epochs": ("03_sgd_schedules", {"updates_in_three_epochs":
                                      "updates_in_three_epochs = 93\n"}, "too low"),
    "m_pytorch": ("04_momentum_physics", {"momentum_step": WRONG_MOMENTUM}, "PyTorch"),
    "m_returns_theta": ("04_momentum_physics", {"momentum_step": (
        "def momentum_step(theta, v, g, lr, alpha):\n    return theta + alpha * v - lr * g\n")},
        "should return (theta, v)"),
    "m_adam_late_t": ("06_adaptive_rates", {"adam_step": ADAM_LATE_T}, "increase t first"),
    "m_adagrad_delta_inside": ("06_adaptive_rates", {"adagrad_step": (
        "def adagrad_step(theta, r, g, lr, delta):\n    r = r + g * g\n"
        "    return theta - lr / np.sqrt(delta + r) * g, r\n")}, "RMSProp's form"),
    # the right numbers through an explicit inverse: the check's tripwire on np.linalg.inv
    # must fire although the answer runs in the sandbox (the proxy replays the call)
    "m_newton_inv": ("07_second_order", {"newton_step": NEWTON_INV}, "np.linalg.inv"),
    "m_newton_pinv": ("07_second_order", {"newton_step": (
        "from numpy.linalg import pinv\n\ndef newton_step(theta, g, H, alpha):\n"
        "    return theta - pinv(H + alpha * np.eye(len(g))) @ g\n")}, "np.linalg.pinv"),
    "m_two_loop_swapped": ("07_second_order", {"two_loop": TWO_LOOP_SWAPPED},
                           "loops run in the wrong order"),
}


def build(root: Path, out_csv: Path, only: set | None = None) -> tuple[dict, dict]:
    """Write the corpus; return ({(student, notebook, exercise): points}, {row: words})."""
    from course_lib.lessons.nb06_adaptive_rates.checks import ADAM_STEP
    from course_lib.lessons.nb07_second_order.checks import NEWTON_STEP
    root = Path(root)
    sol = {name: solutions(name) for name in NOTEBOOKS}
    victim = root / "correct" / "00_start_here" / "00_start_here.ipynb"
    paths = {"victim": str(victim), "csv": str(out_csv), "repo": str(REPO),
             "source": str(REPO / "instructor" / "source" / "04_momentum_physics"
                           / "04_momentum_physics.ipynb")}
    expected, words = {}, {}

    def add(student, name, answers, points, first_words=None):
        if only is not None and student not in only:
            return
        submit(root, student, name, answers)
        for exercise, value in points.items():
            expected[student, name, exercise] = value
        if first_words:
            words[student, name, next(iter(answers))] = (first_words,)

    def full(name):                 # every point, explain answers left to the lecturer
        return dict(EXERCISES[name])

    def zero(name, **given):        # 0 everywhere (explain untouched: 0 too) but ``given``
        return {ex: given.get(ex, 0) for ex in EXERCISES[name]}

    for name in NOTEBOOKS:
        add("correct", name, sol[name], full(name))
    add("untouched", "00_start_here", {}, zero("00_start_here"))
    add("partial", "04_momentum_physics",
        {"momentum_step": sol["04_momentum_physics"]["momentum_step"],
         "nesterov_step": ("def nesterov_step(theta, v, g, lr, alpha):\n"
                           "    v_new = alpha * v - lr * g\n"
                           "    return theta + alpha * v + v_new, v_new\n"),
         "terminal_factor": "terminal_factor = 10\n"},
        zero("04_momentum_physics", momentum_step=3), "momentum_step passes")
    add("m_memorizer", "00_start_here", {"gd_step": memorizer()},
        zero("00_start_here"), "hidden test")
    add("legit", "00_start_here", {"gd_step": LEGIT}, zero("00_start_here", gd_step=2))
    add("magic_after", "00_start_here",
        {"gd_step": sol["00_start_here"]["gd_step"] + "\n%timeit gd_step(np.ones(2), "
         "np.ones(2), 0.1)\n"}, zero("00_start_here", gd_step=2), "IPython magics")
    for student, (name, answers, text) in MISTAKES.items():
        add(student, name, answers, zero(name), text)
    adaptive, second = sol["06_adaptive_rates"], sol["07_second_order"]
    add("partial", "06_adaptive_rates",
        {"adagrad_step": adaptive["adagrad_step"], "rmsprop_step": adaptive["rmsprop_step"],
         "adam_step": ADAM_LATE_T, "adam_first_step": "first_step = 0.00316\n"},
        zero("06_adaptive_rates", adagrad_step=2, rmsprop_step=2), "adagrad_step passes")
    add("partial", "07_second_order",
        {"newton_step": second["newton_step"], "linear_cg": second["linear_cg"],
         "two_loop": TWO_LOOP_SWAPPED, "cg_iterations": "cg_iterations = 1000\n"},
        zero("07_second_order", newton_step=3, linear_cg=3), "newton_step passes")
    add("m_memorizer", "06_adaptive_rates", {"adam_step": memorizer(ADAM_STEP)},
        zero("06_adaptive_rates"), "hidden test")
    add("m_memorizer", "07_second_order", {"newton_step": memorizer(NEWTON_STEP)},
        zero("07_second_order"), "hidden test")
    refused = "reference implementation (course_lib) is not available"
    add("h_reference", "06_adaptive_rates", {"adam_step": ADAM_BY_REFERENCE, **{
        k: v for k, v in adaptive.items() if k != "adam_step"}},
        {**full("06_adaptive_rates"), "adam_step": 0}, refused)
    add("h_reference", "07_second_order", {"newton_step": NEWTON_BY_REFERENCE, **{
        k: v for k, v in second.items() if k != "newton_step"}},
        {**full("07_second_order"), "newton_step": 0}, refused)
    nesterov = sol["04_momentum_physics"]["nesterov_step"]
    for student, (answer, text) in hostile(paths).items():
        points = 3 if student == "h_prints" else 0
        add(student, "04_momentum_physics", {"momentum_step": answer, "nesterov_step": nesterov},
            zero("04_momentum_physics", momentum_step=points, nesterov_step=1), text)
    add("h_edited_check", "04_momentum_physics",
        {"momentum_step": WRONG_MOMENTUM,
         "check_momentum_step": 'print("✔ momentum_step passes every case")'},
        zero("04_momentum_physics"), "PyTorch")
    if only is None or "h_edited_check" in only:
        words["h_edited_check", "04_momentum_physics", "momentum_step"] += ("was edited",)
    return expected, words
