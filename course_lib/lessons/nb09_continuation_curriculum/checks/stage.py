"""The check of notebook 09's first exercise: one continuation stage.

The learner writes ``continuation_stage(grad, theta, sigma, z, lr, steps)``: ``steps`` steps
of gradient descent on the blurred objective J_σ, started at ``theta`` (the previous stage's
solution), with ∇J_σ(θ) estimated by Monte Carlo on the given noise samples z (rows):

    ∇J_σ(θ) ≈ (1/n) Σᵢ ∇J(θ + σzᵢ),   θ ← θ − ε ∇J_σ(θ).

``grad(points)`` returns ∇J at every row of ``points`` (an (n, d) array). The check runs the
function beside the reference on several landscapes; on a difference it runs the known
mistakes on the same case and names the one that explains it.
"""

from __future__ import annotations

import numpy as np

from ....checks import Mistake
from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, fmt, never_raises, not_done, passed
from ....checks.safe_call import safe_call
from ....global_opt.landscapes import course_function_1d, ripple_well_2d
from ....global_opt.smoothing import Cosine, Polynomial, SmoothableSum

FORMULA = "repeat steps times: g = mean over i of ∇J(θ + σzᵢ); θ ← θ − ε g"


def _stage(sign=-1.0, scale="sigma", reduce="mean", start="theta", blur=True, one=False):
    """The reference by default; each keyword makes one known mistake."""
    def continuation_stage(grad, theta, sigma, z, lr, steps):
        theta = np.zeros_like(theta) if start == "zero" else np.array(theta, dtype=float)
        s = {"sigma": sigma, "none": 1.0, "squared": sigma ** 2}[scale]
        for _ in range(1 if one else int(steps)):
            points = theta + s * z if blur else theta[None, :]
            G = grad(points)
            g = G.mean(axis=0) if reduce == "mean" else G.sum(axis=0)
            theta = theta + sign * lr * g
        return theta
    return continuation_stage


reference = _stage()

MISTAKES = [
    Mistake("gradient ascent", _stage(sign=1.0),
            "θ moved uphill: the step is θ ← θ − ε g, with a minus sign."),
    Mistake("σ left out", _stage(scale="none"),
            "the samples were taken at θ + z, not θ + σz: the noise z is standard normal, "
            "σ sets the width of the blur."),
    Mistake("σ² instead of σ", _stage(scale="squared"),
            "the samples were taken at θ + σ²z: σ is the standard deviation of the blur, "
            "so the offset is σz (σ² is its variance)."),
    Mistake("sum instead of mean", _stage(reduce="sum"),
            "the sample gradients were added, not averaged: ∇J_σ(θ) ≈ (1/n) Σᵢ ∇J(θ + σzᵢ). "
            "A sum is n times too large a step."),
    Mistake("started from zero", _stage(start="zero"),
            "the stage did not start at the given theta: continuation starts each stage from "
            "the previous stage's solution, which is what theta is."),
    Mistake("no blur", _stage(blur=False),
            "the gradient was taken at θ alone: that is plain gradient descent on J, the "
            "blur is the average over the points θ + σzᵢ."),
    Mistake("one step only", _stage(one=True),
            "only one step was taken: loop `steps` times, recomputing the blurred gradient "
            "at each new θ."),
]


def _case(name, f, theta, sigma, n, lr, steps, seed):
    z = np.random.default_rng(seed).standard_normal((n, f.dim))
    return name, f, np.array(theta, dtype=float), float(sigma), z, float(lr), int(steps)


def _cases():
    one, two = course_function_1d(), ripple_well_2d()
    return [_case("1-D, σ = 1", one, [-4.0], 1.0, 8, 0.1, 5, 1),
            _case("2-D ripples, σ = 1.5", two, [-3.0, 3.0], 1.5, 6, 0.2, 4, 2),
            _case("2-D, σ = 0.3, one sample", two, [0.5, -0.5], 0.3, 1, 0.1, 3, 3),
            _case("σ = 0 (plain descent)", one, [1.0], 0.0, 4, 0.05, 6, 4),
            _case("no steps", two, [1.0, 2.0], 1.0, 5, 0.2, 0, 5)]


def random_stage_cases(seed: int, n: int = 4):
    """Random 3-D landscapes (a bowl and two random cosines), σ, samples, ε and steps."""
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        terms = [Polynomial([0.0, 0.0, float(rng.uniform(0.05, 0.3))], axis) for axis in
                 range(3)]
        terms += [Cosine(float(rng.uniform(0.2, 0.8)), rng.normal(0, 2.0, 3),
                         float(rng.uniform(0, 6.3))) for _ in range(2)]
        f = SmoothableSum(terms, dim=3)
        cases.append(_case(f"random case {i + 1} (3-D)", f, rng.normal(0, 2.0, 3),
                           rng.uniform(0.2, 2.0), int(rng.integers(2, 9)),
                           rng.uniform(0.02, 0.1), int(rng.integers(2, 7)),
                           int(rng.integers(1 << 30))))
    return cases


def _run(fn, f, theta, sigma, z, lr, steps, timeout):
    calls = [0]

    def grad(points):
        calls[0] += 1
        points = np.asarray(points, dtype=float)
        if points.ndim != 2 or points.shape[1] != f.dim:
            raise ValueError(f"grad expects an (n, {f.dim}) array of points, got shape "
                             f"{points.shape}")
        return f.grads(points)

    args = [grad, theta.copy(), sigma, z.copy(), lr, steps]
    return safe_call(fn, args, timeout), args, calls[0]


def _explain(fn_value, case, timeout):
    name, f, theta, sigma, z, lr, steps = case
    for mistake in MISTAKES:
        outcome, _, _ = _run(mistake.fn, f, theta, sigma, z, lr, steps, timeout)
        if outcome.kind == "returned" and np.allclose(outcome.value, fn_value, rtol=1e-7,
                                                      atol=1e-10):
            return mistake
    return None


@never_raises
def check_continuation_stage(fn, *, cases=None, timeout: float = 2.0):
    """Run ``continuation_stage`` beside the reference on each case; diagnose a difference."""
    visible = cases is None
    cases = _cases() if visible else cases
    if not callable(fn):
        return error(f"continuation_stage should be a function, got {describe(fn)}.")
    for case in cases:
        name, f, theta, sigma, z, lr, steps = case
        where = f"in case '{name}'"
        outcome, args, calls = _run(fn, f, theta, sigma, z, lr, steps, timeout)
        if outcome.kind == "timeout":
            return error(f"continuation_stage took longer than {timeout:g} s {where}: does "
                         "the loop run exactly `steps` times?", kind="timeout", case=name)
        if outcome.kind == "raised":
            if isinstance(outcome.error, NotImplementedError):
                return not_done("continuation_stage: not done yet, it still raises "
                                f"NotImplementedError. {FORMULA}.", kind="not done")
            line = f", {outcome.where}" if outcome.where else ""
            return error(f"continuation_stage raised {type(outcome.error).__name__}: "
                         f"{outcome.error}\n  {where}{line}", kind="exception", case=name)
        value = outcome.value
        if value is None or value is Ellipsis:
            return not_done(f"continuation_stage: not done yet, it returned {describe(value)}."
                            " End it with `return theta`.", kind="not done")
        try:
            got = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return error(f"continuation_stage should return θ as an array, got "
                         f"{describe(value)} {where}.", kind="type", case=name)
        if got.shape != theta.shape:
            return failed(f"continuation_stage returned shape {got.shape}, expected "
                          f"{theta.shape} (the shape of theta) {where}. Average the sample "
                          "gradients over the samples, axis=0.", kind="shape", case=name)
        if not np.array_equal(args[1], theta) or not np.array_equal(args[3], z):
            return failed(f"continuation_stage changed theta or z in place {where}: start "
                          "with `theta = np.array(theta, dtype=float)` and build new arrays.",
                          kind="mutation", case=name)
        expected = reference(f.grads, theta, sigma, z, lr, steps)
        if np.allclose(got, expected, rtol=1e-7, atol=1e-10):
            continue
        if not np.all(np.isfinite(got)):
            return failed(f"continuation_stage returned {fmt(got)} {where}: not finite.",
                          kind="nan", case=name)
        head = (f"continuation_stage: θ = {fmt(got)} after {steps} steps {where}, expected "
                f"{fmt(expected)}.")
        mistake = _explain(got, case, timeout)
        if mistake is not None:
            return failed(f"{head}\n  Likely cause: {mistake.hint}", kind="value",
                          mistake=mistake.name, case=name)
        return failed(f"{head}\n  One stage: {FORMULA} (called grad {calls} times; the "
                      f"reference calls it once per step).", kind="value", mistake=None,
                      case=name)
    what = " (1-D, 2-D, one sample, σ = 0, no steps)" if visible else ""
    return passed(f"continuation_stage agrees with the reference on all {len(cases)} "
                  f"cases{what}.", cases=len(cases))


@hidden_check
@never_raises
def check_continuation_stage_random(fn, *, n: int = 4, seed: int | None = None):
    """``check_continuation_stage`` on ``n`` random 3-D landscapes."""
    seed = current_seed() if seed is None else int(seed)
    result = check_continuation_stage(fn, cases=random_stage_cases(seed, n))
    return hidden_result(result, f"{n} new random landscapes", seed)
