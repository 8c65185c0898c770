"""Why does a learner's output differ? Known mistakes first, then generic patterns.

Both work on one step from the same inputs: the learner's output, the reference's, and
the inputs they came from.
"""

from __future__ import annotations

import copy

import numpy as np

from .safe_call import safe_call


def close(got, expected, scale: float = 1.0, rtol: float = 1e-7) -> bool:
    """np.allclose with rtol = 1e-7 and an absolute floor of 1e-10 × the inputs' size.

    ``scale`` is the largest magnitude among the step's inputs: a value near zero is then
    compared relative to the numbers it was computed from, not relative to zero. When an
    input overflowed (``scale`` is infinite) there is no floor: rtol alone compares.
    """
    got = np.asarray(got, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        if expected.ndim or got.ndim == 0:
            return False
        expected = np.broadcast_to(expected, got.shape)   # comparing with a scalar such as 0
    atol = 1e-10 * max(1.0, scale) if np.isfinite(scale) else 0.0
    return bool(np.allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True))


def all_close(got: dict, expected: dict, scale: float) -> bool:
    return all(close(got[name], expected[name], scale) for name in expected)


def known_mistake(rule, inputs: dict, got: dict, scale: float, timeout: float):
    """The first of ``rule.mistakes`` whose output equals the learner's on these inputs."""
    for mistake in rule.mistakes:
        args = [copy.deepcopy(inputs[name]) for name in rule.signature]
        outcome = safe_call(mistake.fn, args, timeout)
        if outcome.kind != "returned":
            continue
        value = outcome.value if len(rule.outputs) > 1 else (outcome.value,)
        wrong = dict(zip(rule.outputs, value, strict=True))
        if all_close(got, wrong, scale):
            return mistake
    return None


def generic_cause(rule, name: str, before, expected, got, scale: float) -> str | None:
    """A pattern in how output ``name`` differs from the reference, or None.

    ``before`` is the input of the same name: the change the learner made is compared with
    the change the reference made (not moved, opposite sign, scaled, step returned).
    """
    sym = rule.symbol(name)
    before = np.asarray(before, dtype=float)
    expected = np.asarray(expected, dtype=float)
    got = np.asarray(got, dtype=float)
    change, wanted = got - before, expected - before

    def same(a, b):
        return close(a, b, scale, rtol=1e-6)

    if same(wanted, 0):
        return None
    if same(change, 0):
        if expected.ndim == 0:
            return (f"{sym} did not change: each call is one step, so {sym} should come "
                    f"back as {sym} + {fmt_scalar(wanted)}.")
        return (f"{sym} did not move: the function returned {sym} unchanged. "
                f"Is the new value computed but not returned?")
    if same(change, -wanted):
        return (f"{sym} changed by the right amount in the opposite direction: is the "
                f"sign of the update flipped? {rule.formula}")
    if expected.ndim > 0 and same(got, wanted):
        return (f"it returned the change Δ{sym} instead of the new value {sym} + Δ{sym}: "
                f"add the step to {sym}.")
    c = float(np.vdot(change, wanted) / np.vdot(wanted, wanted))
    if expected.ndim > 0 and same(change, c * wanted):
        return (f"{sym} moved in the right direction, but {c:.3g} × as far as it should: "
                f"check where the learning rate enters. {rule.formula}")
    return None


def fmt_scalar(x) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:.6g}"
