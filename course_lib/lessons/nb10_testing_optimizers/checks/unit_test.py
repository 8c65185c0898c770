"""Exercise: write the unit test (the pass criterion) of a new prototype, the tilted well
f(z) = z⁴/4 − z²/2 + z/10, whose local minimum z ≈ 0.946 sits beside the global one
z* ≈ −1.047. The test: ``passes(theta, loss)`` is True exactly when the run ended within
``TOL`` of z* with a finite loss.

The check feeds the learner's ``passes`` final states with known verdicts (the global
minimum, just inside and just outside the tolerance, the local minimum, the hilltop, a
diverged run...) and names the first one it gets wrong, with the likely cause. The hidden
test draws new states around z* and across the well.
"""

from __future__ import annotations

import numbers

import numpy as np

from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, never_raises, not_done, passed
from ....checks.safe_call import safe_call
from ....prototypes import SHAPES

TILTED = SHAPES["tilted"]
Z_STAR = TILTED.minimizers[0]                       # ≈ −1.0467, the global minimizer
Z_LOCAL = float(max(np.roots([1.0, 0.0, -1.0, 0.1]).real))     # ≈ 0.9456
Z_TOP = float(sorted(np.roots([1.0, 0.0, -1.0, 0.1]).real)[1])  # ≈ 0.1010, the hilltop
TOL = TILTED.tol                                    # 0.05


def reference_passes(theta, loss) -> bool:
    """The test itself: finite, and within TOL of the global minimizer z*."""
    theta = np.asarray(theta, dtype=float)
    return bool(np.all(np.isfinite(theta)) and np.isfinite(loss)
                and abs(theta[0] - Z_STAR) <= TOL)


def _state(z, label, why=""):
    z = float(z)
    loss = float(TILTED.f(z)) if np.isfinite(z) else float("nan" if np.isnan(z) else "inf")
    return {"theta": np.array([z]), "loss": loss, "label": label, "why": why,
            "expected": reference_passes([z], loss)}


CASES = [
    _state(Z_STAR, "ending at the global minimizer z*"),
    _state(Z_LOCAL, "ending in the local minimum z ≈ 0.946 (J ≈ −0.153)",
           "it is stuck in the local minimum, which is exactly what the test must catch: "
           "measure the distance to the global minimizer z* (the smallest root of "
           "f′(z) = z³ − z + 0.1), not to any minimum, and not a loss level the local "
           "minimum also reaches"),
    _state(Z_STAR + 0.04, "ending 0.04 to the right of z*",
           "0.04 from z* is within the tolerance 0.05: is your tolerance too tight, or z* "
           "off? z* = −1.0467 to four digits"),
    _state(Z_STAR - 0.049, "ending 0.049 to the left of z*",
           "0.049 from z* is within the tolerance: use the distance |z − z*| ≤ 0.05, on "
           "both sides"),
    _state(Z_STAR + 0.06, "ending 0.06 to the right of z*",
           "0.06 from z* is outside the tolerance 0.05: is the tolerance too loose, or is "
           "the test on the loss? Near z* the loss changes only quadratically, so a loss "
           "threshold lets too much through"),
    _state(Z_STAR - 0.3, "ending 0.3 to the left of z*",
           "0.3 from z* is far outside the tolerance"),
    _state(Z_TOP, "ending on the hilltop z ≈ 0.101", "the hilltop is no minimum at all"),
    _state(TILTED.start, "that never left its start z₀ = 0.5", "a run that never moved must fail"),
    {"theta": np.array([np.nan]), "loss": float("nan"), "label": "that diverged (θ = NaN)",
     "why": "comparisons with NaN are all False, so a test written as `not (d > tol)` "
            "passes NaN: write what must hold, `d <= tol`, or check np.isfinite",
     "expected": False},
    {"theta": np.array([np.inf]), "loss": float("inf"), "label": "that blew up (θ = inf)",
     "why": "a run that diverged must fail", "expected": False},
]


def _verdict(value):
    """(True/False, None) for a bool answer, else (None, what it was)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value), None
    if isinstance(value, numbers.Number) or isinstance(value, np.ndarray):
        return None, f"{describe(value)}: return True or False (e.g. `return bool(d <= 0.05)`)"
    return None, describe(value)


def _judge(fn, cases, timeout: float = 2.0):
    """None if ``fn`` gives every case's verdict, else a CheckResult naming the first miss."""
    if not callable(fn):
        return error(f"passes should be a function passes(theta, loss), got {describe(fn)}.")
    for i, case in enumerate(cases):
        args = [case["theta"].copy(), case["loss"]]
        outcome = safe_call(fn, args, timeout)
        shown = f"passes(θ = {case['theta'][0]:.6g}, J = {case['loss']:.6g})"
        if outcome.kind == "timeout":
            return error(f"{shown} took longer than {timeout:g} s: is there a loop that never "
                         "ends?", case=case["label"])
        if outcome.kind == "raised":
            err = outcome.error
            if isinstance(err, NotImplementedError):
                return not_done("passes: not done yet, it raises NotImplementedError.")
            return error(f"{shown} raised {type(err).__name__}: {err} (a run "
                         f"{case['label']}). A "
                         "unit test must answer True or False for every run, diverged ones "
                         "included.", case=case["label"])
        if outcome.value is None and i == 0:
            return not_done("passes: not done yet, it returns None. Write the test and end "
                            "with `return <True or False>`.")
        verdict, problem = _verdict(outcome.value)
        if problem is not None:
            return error(f"{shown} returned {problem} (a run {case['label']}).",
                         case=case["label"])
        if verdict != case["expected"]:
            should = "pass" if case["expected"] else "fail"
            return failed(f"{shown} returned {verdict}, but a run {case['label']} must "
                          f"{should}.\n  Likely cause: {case['why'] or 'see the criterion'}",
                          case=case["label"], got=verdict)
    return None


@never_raises
def check_passes(fn):
    """The learner's unit test on the visible final states (see the module docstring)."""
    problem = _judge(fn, CASES)
    if problem is not None:
        return problem
    return passed(f"passes gives the right verdict on all {len(CASES)} final states: the "
                  "global minimum and its neighbours within 0.05 pass; the local minimum, "
                  f"the hilltop, the start, points past the tolerance and diverged runs fail. "
                  f"(z* = {Z_STAR:.6f})")


def random_cases(seed: int, n: int = 40) -> list:
    """Final states with known verdicts: around z* (clear of the tolerance's edge by 0.003)
    and across the well, a few near the local minimum, and a diverged one."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n // 2):
        d = rng.uniform(-0.12, 0.12)
        if abs(abs(d) - TOL) < 0.003:
            d = np.sign(d) * (TOL + 0.01)
        out.append(_state(Z_STAR + d, f"ending at z* + {d:.4f}", "compare |z − z*| with 0.05"))
    for z in rng.uniform(-1.8, 1.8, n // 2 - 4):
        out.append(_state(z, f"ending at z = {z:.4f}", "only within 0.05 of z* may pass"))
    for z in Z_LOCAL + rng.uniform(-0.05, 0.05, 3):
        out.append(_state(z, f"ending near the local minimum, z = {z:.4f}",
                          "the local minimum must fail"))
    out.append({"theta": np.array([np.nan]), "loss": float("nan"),
                "label": "that diverged (θ = NaN)", "why": "a diverged run must fail",
                "expected": False})
    return [out[i] for i in rng.permutation(len(out))]


@hidden_check
@never_raises
def check_passes_random(fn, seed: int | None = None):
    """The hidden test: the learner's ``passes`` on new final states drawn from ``seed``."""
    seed = current_seed() if seed is None else int(seed)
    cases = random_cases(seed)
    problem = _judge(fn, cases)
    result = problem if problem is not None else passed(
        f"passes gives the right verdict on {len(cases)} new final states.")
    return hidden_result(result, f"{len(cases)} new final states", seed)
