"""Hidden tests: cases drawn at grading time, so that knowing the visible check does not help.

The course is open (``instructor/`` with its hidden tests is public), so a hidden test cannot
rely on secret code. It relies on secret *inputs*: ``hidden_cases`` draws random situations
for any ``UpdateRule`` (a random rotated quadratic of a dimension the visible check never
uses, a random θ, random state, random hyperparameters) from a seed the grader chooses when
it runs, so a submission that memorised the visible cases' answers fails. Predict-then-check
answers are re-derived by an independent computation (running gradient descent, counting
minibatches, iterating the velocity) instead of the visible check's formula.

The seed: ``python -m course_lib.grade`` sets one per (student, notebook, exercise) with
``grading_seed``; elsewhere (the instructor notebook, ``nbgrader autograde``) each hidden test
draws a fresh one. Every message names the seed, so a failure can be reproduced.
"""

from __future__ import annotations

import dataclasses
import numbers
import secrets
from contextlib import contextmanager

import numpy as np

from ..objectives import Quadratic
from .numeric import check_number
from .result import CheckResult, never_raises
from .rules import Case
from .update_rule import check_update_rule

# The functions a hidden-test region may call to draw its own cases: tests/test_notebooks.py
# refuses a hidden region that calls none of them. A lesson registers its own with
# ``@hidden_check``, when its checks module is imported.
HIDDEN_CHECKS: set = set()


def hidden_check(check):
    """Decorator: ``check`` draws new cases at grading time (see the module doc)."""
    HIDDEN_CHECKS.add(check.__name__)
    return check


# Dimensions of the random cases: none of them is a dimension of the visible landscapes
# (2 and 5), so a table of the visible answers is of no use.
HIDDEN_DIMS = (3, 4, 6, 7)
# Hyperparameters that live in [0, 1): momentum α and the decay rates ρ.
UNIT_INTERVAL = frozenset({"alpha", "rho", "rho1", "rho2", "beta", "beta1", "beta2"})

_SEED: list = [None]


@contextmanager
def grading_seed(seed: int):
    """Within this block, hidden tests without an explicit seed use ``seed``."""
    previous = _SEED[0]
    _SEED[0] = int(seed)
    try:
        yield
    finally:
        _SEED[0] = previous


def current_seed() -> int:
    """The grader's seed if one is set, else a fresh random one."""
    return _SEED[0] if _SEED[0] is not None else secrets.randbits(32)


# --- random cases for any update rule --------------------------------------------------
def random_quadratic(dim: int, rng: np.random.Generator) -> Quadratic:
    """A rotated quadratic with eigenvalues between 0.1 and 10; a saddle one time in four."""
    lam = 10.0 ** rng.uniform(-1.0, 1.0, size=dim)
    if rng.random() < 0.25:
        lam[rng.integers(dim)] *= -1.0
    q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
    q = q * np.sign(np.diag(r))                      # a uniformly random rotation
    return Quadratic(lam, Q=q, center=rng.standard_normal(dim),
                     name=f"random {dim}-D quadratic")


def _sample_hyper(name: str, value, rng: np.random.Generator):
    if name in UNIT_INTERVAL:
        return float(rng.uniform(0.5, 0.99))
    if name == "delta":                  # large enough to tell δ inside from δ outside a root
        return float(10.0 ** rng.uniform(-3.0, -0.5))
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return value
    if isinstance(value, numbers.Integral):
        return int(rng.integers(1, 2 * max(int(value), 1) + 2))
    if value == 0:
        return float(rng.uniform(0.1, 1.0))
    return float(value * 2.0 ** rng.uniform(-1.0, 1.0))


def _state_kinds(rule) -> dict:
    """For each state besides θ: ("int", value at rest), or ("array", non-negative in every
    case?). A counter's value at rest is its smallest visible one (Adam's t: 0, although the
    first visible case starts mid-run at t = 5)."""
    kinds = {}
    for name in rule.state_names:
        if name == "theta":
            continue
        values = [case.state[name] for case in rule.cases if name in case.state]
        first = values[0] if values else 0.0
        if isinstance(first, numbers.Integral) and not isinstance(first, bool):
            kinds[name] = ("int", min(int(v) for v in values))
        else:
            kinds[name] = ("array", all(np.all(np.asarray(v) >= 0) for v in values))
    return kinds


def hidden_cases(rule, seed: int, n: int = 4, *, hyper: dict | None = None,
                 state: dict | None = None) -> list[Case]:
    """``n`` random cases for ``rule``, the same for the same ``seed``.

    Half of the cases start at rest (state as at the start of a run, e.g. v = 0, k = 0), half
    in the middle of a run (random velocity, accumulators ≥ 0 where the visible cases have
    them ≥ 0, counters 1 to 9 steps past their value at rest). Hyperparameters are the
    visible ones scaled by a random factor between ½ and 2 (whole numbers stay whole), α and
    ρ's drawn from [0.5, 0.99), δ from [10⁻³, 0.3].
    ``hyper`` / ``state``: {name: function(rng) → value} to draw a name differently.
    """
    rng = np.random.default_rng(seed)
    hyper, state = dict(hyper or {}), dict(state or {})
    base = rule.cases[0].hyper
    kinds = _state_kinds(rule)
    dims = [HIDDEN_DIMS[i % len(HIDDEN_DIMS)] for i in rng.permutation(max(n, 1))][:n]
    cases = []
    for i, dim in enumerate(dims):
        at_rest = i % 2 == 0
        objective = random_quadratic(dim, rng)
        start = {"theta": 2.0 * rng.standard_normal(dim)}
        for name, (kind, info) in kinds.items():
            if name in state:
                start[name] = state[name](rng)
            elif kind == "int":
                start[name] = info if at_rest else info + int(rng.integers(1, 10))
            elif at_rest:
                start[name] = np.zeros(dim)
            else:
                draw = 0.5 * rng.standard_normal(dim)
                start[name] = np.abs(draw) if info else draw
        values = {name: hyper[name](rng) if name in hyper else _sample_hyper(name, v, rng)
                  for name, v in base.items()}
        steps = int(rng.integers(2, 6))
        label = f"random case {i + 1} ({dim}-D{', at rest' if at_rest else ', mid-run'})"
        cases.append(Case(label, objective, start, values, steps))
    return cases


def hidden_result(result: CheckResult, what: str, seed: int) -> CheckResult:
    """The result with the hidden test's name and seed in front of its message."""
    text = result.message[2:] if result.message[1:2] == " " else result.message
    head = f"{result.message[:1]} hidden test ({what}, seed {seed}): "
    return CheckResult(result.passed, result.status, head + text,
                       {**result.details, "seed": seed})


@hidden_check
@never_raises
def check_random_cases(fn, rule, *, n: int = 4, seed: int | None = None,
                       timeout: float = 2.0, hyper: dict | None = None,
                       state: dict | None = None):
    """``check_update_rule`` on ``n`` cases from ``hidden_cases`` instead of the visible ones.

    ``hyper`` / ``state`` ({name: function(rng) → value}) draw a name in a range where a
    mistake must show, e.g. a horizon τ that every mid-run case passes.
    """
    seed = current_seed() if seed is None else int(seed)
    hyper = {**rule.hidden_hyper, **(hyper or {})}
    hidden = dataclasses.replace(rule, cases=hidden_cases(rule, seed, n, hyper=hyper,
                                                          state=state))
    return hidden_result(check_update_rule(fn, hidden, timeout=timeout),
                   f"{n} new random cases", seed)


# --- predict-then-check answers, recomputed another way --------------------------------
@hidden_check
@never_raises
def check_recomputed(answer, compute, *, name: str, what: str, rtol: float = 0.01,
                     atol: float = 0.0, seed: int | None = None):
    """Compare ``answer`` with ``compute(rng)``, an independent computation of the value.

    ``what`` says how it was computed (shown in the message, e.g. "by running the update").
    """
    seed = current_seed() if seed is None else int(seed)
    expected = float(compute(np.random.default_rng(seed)))
    return hidden_result(check_number(answer, expected, name=name, rtol=rtol, atol=atol),
                   what, seed)
