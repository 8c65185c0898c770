"""The check of notebook 05's exercise: implement the normalized initialization.

The learner writes ``glorot_uniform(n_in, n_out, seed) -> W`` with W of shape (m, n) =
(n_in, n_out) drawn from U(−√(6/(m+n)), √(6/(m+n))) with ``np.random.default_rng(seed)``.
A random matrix cannot be compared entry by entry with a reference, so the check asks what
the distribution promises, on shapes where fan-in and fan-out differ a lot:

1. the shape (m, n) (not (n, m)), finite numbers, the inputs not changed;
2. reproducible: the same seed gives the same W, another seed another W;
3. the range: every |w| ≤ l = √(6/(m+n)) and the largest close to l (the interval is used
   whole); the mean near 0;
4. the shape of the distribution: uniform (kurtosis E[w⁴]/E[w²]² = 1.8), not Gaussian (3).

When the range is wrong, the largest |w| of each shape is compared with the bound each
known mistake would give (fan-in only, fan-out only, a product of fans, a missing square
root or factor), which names the mistake even though W is random.
"""

from __future__ import annotations

import inspect

import numpy as np

from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, never_raises, not_done, passed
from ....checks.safe_call import safe_call

FORMULA = "W ~ U(−√(6/(m + n)), √(6/(m + n))) for m = n_in inputs and n = n_out outputs"
SHAPES = ((64, 32), (10, 200), (300, 5))
UNIFORM_KURTOSIS, GAUSS_KURTOSIS = 1.8, 3.0

# name → (the half-width a mistake would give for fan-in m and fan-out n, hint)
RANGE_MISTAKES = {
    "fan-in only": (lambda m, n: np.sqrt(6.0 / m),
                    "the bound uses the fan-in m alone, √(6/m): the normalized "
                    "initialization averages both fans, √(6/(m + n))."),
    "fan-out only": (lambda m, n: np.sqrt(6.0 / n),
                     "the bound uses the fan-out n alone, √(6/n): it should be √(6/(m + n)), "
                     "with the number of inputs m (rows of W) and of outputs n (columns)."),
    "fans multiplied": (lambda m, n: np.sqrt(6.0 / (m * n)),
                        "the bound is √(6/(m·n)): the fans are added, not multiplied, "
                        "√(6/(m + n))."),
    "no square root": (lambda m, n: 6.0 / (m + n),
                       "the bound is 6/(m + n), without the square root: √(6/(m + n))."),
    "factor 3 instead of 6": (lambda m, n: np.sqrt(3.0 / (m + n)),
                              "the bound is √(3/(m + n)): the 6 comes from the variance of "
                              "U(−l, l), l²/3, set equal to 2/(m + n)."),
    "variance used as the bound": (lambda m, n: np.sqrt(2.0 / (m + n)),
                                   "the bound is √(2/(m + n)), the standard deviation the "
                                   "weights should have; the bound of the uniform interval "
                                   "is √3 times larger, √(6/(m + n))."),
    "fan-in plus one (LeCun)": (lambda m, n: 1.0 / np.sqrt(m),
                                "the bound is 1/√m, the older heuristic U(−1/√m, 1/√m) "
                                "(section 8.4): the normalized one is √(6/(m + n))."),
}


def kurtosis(W) -> float:
    w = np.asarray(W, dtype=float).ravel()
    w = w - w.mean()
    second = np.mean(w ** 2)
    return float(np.mean(w ** 4) / second ** 2) if second > 0 else float("nan")


def _call(fn, m, n, seed, timeout):
    outcome = safe_call(fn, [m, n, seed], timeout)
    where = f"for n_in = {m}, n_out = {n}, seed = {seed}"
    if outcome.kind == "timeout":
        return None, error(f"glorot_uniform took longer than {timeout:g} s {where}; the call "
                           "was stopped. Is there a loop that never ends?", kind="timeout")
    if outcome.kind == "raised":
        err = outcome.error
        if isinstance(err, NotImplementedError):
            return None, not_done("glorot_uniform: not done yet, it still raises "
                                  f"NotImplementedError. Draw {FORMULA}.", kind="not done")
        line = f", {outcome.where}" if outcome.where else ""
        return None, error(f"glorot_uniform raised {type(err).__name__}: {err}\n  {where}"
                           f"{line}", kind="exception")
    value = outcome.value
    if value is None or value is Ellipsis:
        return None, not_done(f"glorot_uniform: not done yet, it returned {describe(value)}. "
                              "Return the matrix W.", kind="not done")
    try:
        W = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None, error(f"glorot_uniform should return an array of numbers, got "
                           f"{describe(value)} {where}.", kind="type")
    if W.shape != (m, n):
        hint = (" That is (n_out, n_in): W has one row per input, as in a⁽ˡ⁾ = a⁽ˡ⁻¹⁾W."
                if W.shape == (n, m) else "")
        return None, failed(f"glorot_uniform returned shape {W.shape} {where}; expected "
                            f"({m}, {n}).{hint}", kind="shape")
    if not np.all(np.isfinite(W)):
        return None, failed(f"glorot_uniform returned NaN or inf {where}.", kind="nan")
    return W, None


def _range_mistake(maxima: dict) -> str | None:
    """The known mistake whose bound matches the learner's largest |w| on every shape."""
    for name, (bound, hint) in RANGE_MISTAKES.items():
        if all(0.95 * bound(m, n) <= top <= 1.0000001 * bound(m, n)
               for (m, n), top in maxima.items()):
            return f"{name}: {hint}"
    return None


@never_raises
def check_glorot_uniform(fn, *, shapes=SHAPES, seed: int = 1, timeout: float = 2.0):
    """Check ``glorot_uniform(n_in, n_out, seed)`` by the properties of its distribution."""
    if not callable(fn):
        return error(f"glorot_uniform should be a function, got {describe(fn)}. Pass the "
                     "function itself: check_glorot_uniform(glorot_uniform).", kind="type")
    try:
        inspect.signature(fn).bind(64, 32, 1)
    except TypeError:
        return error("glorot_uniform should take three arguments (n_in, n_out, seed).",
                     kind="signature")
    except ValueError:
        pass
    draws, maxima = {}, {}
    for m, n in shapes:
        W, problem = _call(fn, m, n, seed, timeout)
        if problem is not None:
            return problem
        draws[(m, n)] = W
        maxima[(m, n)] = float(np.abs(W).max())
    for (m, n), W in draws.items():
        if np.allclose(W, W.flat[0]):
            return failed(f"every entry of W is {W.flat[0]:.3g} for n_in = {m}, n_out = {n}: "
                          "the weights must be random, or all units of a layer stay "
                          "identical (section 4).", kind="constant")
    m, n = shapes[0]
    again, problem = _call(fn, m, n, seed, timeout)
    if problem is not None:
        return problem
    if not np.array_equal(again, draws[(m, n)]):
        return failed("two calls with the same seed gave different matrices: draw from "
                      "`rng = np.random.default_rng(seed)`, not from np.random directly or "
                      "from a generator made once outside the function.", kind="seed")
    other, problem = _call(fn, m, n, seed + 1, timeout)
    if problem is not None:
        return problem
    if np.array_equal(other, draws[(m, n)]):
        return failed(f"seeds {seed} and {seed + 1} gave the same matrix: use the seed "
                      "argument, `np.random.default_rng(seed)`.", kind="seed")
    for (m, n), W in draws.items():
        limit = np.sqrt(6.0 / (m + n))
        top, where = maxima[(m, n)], f"for n_in = {m}, n_out = {n}"
        shape_hint = ""
        if abs(kurtosis(W) - GAUSS_KURTOSIS) < 0.6:
            shape_hint = (f"the values look Gaussian (kurtosis {kurtosis(W):.2f}; a uniform "
                          "distribution has 1.8): use rng.uniform(−l, l, size=(m, n)), not "
                          "rng.normal.")
        if top > limit * (1 + 1e-9) or top < 0.97 * limit:
            cause = _range_mistake(maxima)
            side = "above" if top > limit else "well below"
            text = (f"the largest |w| is {top:.4g} {where}, {side} the bound "
                    f"l = √(6/(m + n)) = {limit:.4g}.")
            if cause:
                extra = f"\n  Also, {shape_hint}" if shape_hint else ""
                return failed(f"glorot_uniform: {text}\n  Likely cause: {cause}{extra}",
                              kind="range", mistake=cause.split(":")[0])
            if shape_hint:
                return failed(f"glorot_uniform: {text}\n  Likely cause: {shape_hint}",
                              kind="distribution", mistake="Gaussian")
            return failed(f"glorot_uniform: {text}\n  {FORMULA}.", kind="range", mistake=None)
        if shape_hint:
            return failed(f"glorot_uniform: the range is right {where}, but {shape_hint}",
                          kind="distribution", mistake="Gaussian")
        if abs(W.mean()) > 5 * limit / np.sqrt(3 * W.size):
            return failed(f"the mean of W is {W.mean():.3g} {where}, far from 0: the interval "
                          "is symmetric, U(−l, l) (did you draw from U(0, l)?).",
                          kind="mean", mistake="one-sided")
        if abs(kurtosis(W) - UNIFORM_KURTOSIS) > 0.3:
            return failed(f"the values of W {where} are not spread uniformly over [−l, l] "
                          f"(kurtosis {kurtosis(W):.2f}, uniform: 1.8). {FORMULA}.",
                          kind="distribution", mistake=None)
    return passed(f"glorot_uniform draws {FORMULA} on {len(draws)} shapes (the largest |w| "
                  "within 3 % of the bound, uniform, centred) and is reproducible from its "
                  "seed.", shapes=len(draws))


@hidden_check
@never_raises
def check_glorot_uniform_random(fn, *, seed: int | None = None, timeout: float = 2.0):
    """``check_glorot_uniform`` on three new shapes with unequal fans and a new seed."""
    seed = current_seed() if seed is None else int(seed)
    rng = np.random.default_rng(seed)
    shapes = []
    for _ in range(3):
        m = int(rng.integers(8, 400))
        n = int(max(1000 // m + 1, rng.integers(3, 400)))      # ≥ 1000 entries: a full range
        shapes.append((m, n) if rng.random() < 0.5 else (n, m))
    result = check_glorot_uniform(fn, shapes=tuple(shapes), seed=int(rng.integers(1 << 20)),
                                  timeout=timeout)
    return hidden_result(result, f"shapes {shapes}", seed)
