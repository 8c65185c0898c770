"""The gradient-clipping exercise: ``clip_by_norm(g, threshold) -> g`` (section 8.2.4).

The rule: if ‖g‖ > v then g ← g v/‖g‖, with ‖·‖ the Euclidean norm of the whole vector;
otherwise g is returned unchanged. The check tries gradients above, below and exactly at
the threshold, a zero gradient, a 5-D one and integer inputs, and asks of every answer
what the rule promises: the same direction as g, the length min(‖g‖, v), g itself when it
is short enough, and g left unchanged. A wrong answer is compared with the known mistakes
(value clipping, a test made per coordinate, another norm, always rescaling...).
``check_clip_by_norm_random`` is the hidden twin, on random gradients of 3, 4, 6 or 7
components.
"""

from __future__ import annotations

import numpy as np

from ....checks import Mistake
from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import error, failed, fmt, never_raises, not_done, passed
from ....strategies.clipping import clip_by_norm
from .calls import call, not_callable

NAME = "clip_by_norm"
RULE = "if ‖g‖ > v then g ← g·v/‖g‖ (‖g‖ = np.linalg.norm(g), the whole vector's length)"


def _scaled(g, v, norm):
    g = np.array(g, dtype=float)
    return g * (v / norm) if norm > v else g


MISTAKES = [
    Mistake("value clipping", lambda g, v: np.clip(g, -v, v),
            "each component was clipped to [−v, v]: that is clipping *by value*, which "
            "changes the direction of g. Norm clipping rescales the whole vector: "
            f"{RULE}."),
    Mistake("test per coordinate", lambda g, v: np.where(np.abs(g) > v,
                                                          g * v / np.linalg.norm(g), g),
            "the test ‖g‖ > v was made per coordinate (|gᵢ| > v), so only some components "
            f"were rescaled. Compare the norm of the whole vector with v: {RULE}."),
    Mistake("L1 norm", lambda g, v: _scaled(g, v, np.sum(np.abs(g))),
            "the length used is Σ|gᵢ| (the L1 norm): use the Euclidean norm "
            "‖g‖ = √(Σgᵢ²), np.linalg.norm(g)."),
    Mistake("max norm", lambda g, v: _scaled(g, v, np.max(np.abs(g))),
            "the length used is max|gᵢ| (the largest component): use the Euclidean norm "
            "‖g‖ = √(Σgᵢ²), np.linalg.norm(g)."),
    Mistake("squared norm", lambda g, v: _scaled(g, v, float(np.dot(g, g))),
            "the length used is gᵀg = ‖g‖², without the square root: ‖g‖ = "
            "np.linalg.norm(g)."),
    Mistake("always rescaled", lambda g, v: np.array(g, dtype=float) * v
            / np.linalg.norm(g),
            "g was rescaled to length v even when it was already shorter: clipping only "
            "shortens long gradients. Leave g alone when ‖g‖ ≤ v."),
    Mistake("test reversed", lambda g, v: (np.array(g, dtype=float) * v / np.linalg.norm(g)
                                           if 0 < np.linalg.norm(g) < v else
                                           np.array(g, dtype=float)),
            "the test is the wrong way round: rescale when ‖g‖ > v, not when ‖g‖ < v."),
    Mistake("factor upside down", lambda g, v: (np.array(g, dtype=float) * np.linalg.norm(g)
                                                / v if np.linalg.norm(g) > v else
                                                np.array(g, dtype=float)),
            "the factor is upside down: g·v/‖g‖ shortens g to length v, g·‖g‖/v lengthens it."),
    Mistake("scaled by v only", lambda g, v: (np.array(g, dtype=float) * v
                                              if np.linalg.norm(g) > v else
                                              np.array(g, dtype=float)),
            "g was multiplied by v without dividing by ‖g‖: the clipped gradient is "
            "g·v/‖g‖, whose length is exactly v."),
]

_Q5 = np.array([0.5, -3.0, 0.2, 1.5, -0.7])
VISIBLE = [
    ("a long gradient, ‖g‖ = 5 > v = 2", np.array([3.0, 4.0]), 2.0),
    ("a short gradient, ‖g‖ = 0.5 ≤ v = 1", np.array([0.3, -0.4]), 1.0),
    ("one large component, g = (10, 1), v = 2", np.array([10.0, 1.0]), 2.0),
    ("3 components, only one above v", np.array([0.5, -3.0, 0.2]), 2.5),
    ("exactly at the threshold, ‖g‖ = v = 5", np.array([3.0, 4.0]), 5.0),
    ("a zero gradient", np.zeros(3), 1.0),
    ("5 components", _Q5 * 40.0, 3.0),
    ("integer-looking inputs", np.array([6, -8]), 5),
]


def _judge(fn, cases, timeout: float):
    problem = not_callable(fn, NAME, ("g", "threshold"))
    if problem is not None:
        return problem
    for label, g, v in cases:
        where = f"for case '{label}' (g = {fmt(g)}, v = {fmt(v)})"
        problem, value = call(fn, NAME, [g, v], where, timeout)
        if problem is not None:
            return problem
        expected = clip_by_norm(g, v)
        if value is None and label == cases[0][0]:
            return not_done(f"{NAME}: not done yet, it returns None. Write the rule ({RULE}) "
                            "and end with `return g`.", kind="not done")
        if value is None:
            return error(f"{NAME} returned None {where}: end it with `return g` (the "
                         "clipped gradient, a new array).", kind="none")
        try:
            got = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return error(f"{NAME} should return an array of numbers, got {type(value).__name__} "
                         f"{where}.", kind="type")
        if got.shape != expected.shape:
            return failed(f"{NAME} returned shape {got.shape} {where}; it should return an "
                          f"array of g's shape {expected.shape}.", kind="shape")
        if not np.all(np.isfinite(got)):
            return failed(f"{NAME} returned {fmt(got)} {where}: NaN or inf. Is there a "
                          "division by ‖g‖ = 0? A zero gradient is shorter than v: return "
                          "it unchanged.", kind="nan")
        if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            continue
        return failed(f"{NAME} is wrong {where}.\n  expected: {fmt(expected)}\n"
                      f"  got:      {fmt(got)}\n  Likely cause: {_cause(g, v, got)}",
                      kind="value", case=label, mistake=_mistake_name(g, v, got))
    return passed(f"{NAME} passes {len(cases)} cases: long gradients are shortened to "
                  "length v in the same direction, short ones come back unchanged, and g "
                  f"itself is never changed.\n  The rule: {RULE}", cases=len(cases))


def _match(g, v, got):
    for mistake in MISTAKES:
        try:
            with np.errstate(all="ignore"):
                wrong = np.asarray(mistake.fn(np.array(g, dtype=float), v), dtype=float)
        except Exception:   # noqa: BLE001 - a mistake undefined here simply does not match
            continue
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=1e-9, atol=1e-12,
                                                    equal_nan=True):
            return mistake
    return None


def _mistake_name(g, v, got):
    mistake = _match(g, v, got)
    return None if mistake is None else mistake.name


def _cause(g, v, got) -> str:
    mistake = _match(g, v, got)
    if mistake is not None:
        return mistake.hint
    g = np.asarray(g, dtype=float)
    norm_g, norm_got = np.linalg.norm(g), np.linalg.norm(got)
    if norm_g > 0 and norm_got > 0:
        cosine = float(got @ g / (norm_got * norm_g))
        if cosine < 1 - 1e-9:
            angle = np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0)))
            return (f"the result points {angle:.1f}° away from g: norm clipping keeps the "
                    f"direction and changes only the length. {RULE}.")
    if norm_g <= v:
        return f"‖g‖ = {norm_g:.6g} ≤ v = {v:g}: g should come back unchanged."
    return (f"the direction is right, but the length is {norm_got:.6g}; after clipping it "
            f"should be v = {v:g}. {RULE}.")


@never_raises
def check_clip_by_norm(fn, *, cases=None, timeout: float = 2.0):
    """Check ``clip_by_norm(g, threshold)`` on the visible cases (or ``cases``)."""
    return _judge(fn, VISIBLE if cases is None else cases, timeout)


def random_clip_cases(seed: int, n: int = 6) -> list:
    """``n`` random gradients of 3, 4, 6 or 7 components: half longer than v, half shorter,
    with components of very different sizes (so that value clipping differs)."""
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        dim = (3, 4, 6, 7)[i % 4]
        g = rng.standard_normal(dim) * 10.0 ** rng.uniform(-1.0, 1.0, dim)
        norm = np.linalg.norm(g)
        v = float(norm * (rng.uniform(0.05, 0.6) if i % 2 == 0 else rng.uniform(1.1, 3.0)))
        cases.append((f"random case {i + 1} ({dim} components, "
                      f"{'‖g‖ > v' if i % 2 == 0 else '‖g‖ < v'})", g, v))
    return cases


@hidden_check
@never_raises
def check_clip_by_norm_random(fn, *, n: int = 6, seed: int | None = None,
                              timeout: float = 2.0):
    """``check_clip_by_norm`` on ``n`` new random gradients (the hidden test)."""
    seed = current_seed() if seed is None else int(seed)
    result = check_clip_by_norm(fn, cases=random_clip_cases(seed, n), timeout=timeout)
    return hidden_result(result, f"{n} new random gradients", seed)
