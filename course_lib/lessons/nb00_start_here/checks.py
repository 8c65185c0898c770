"""The checks of notebook 00: one gradient-descent step, the largest stable rate (predicted,
then revealed with ``limit_explorer``) and the other ε with the same rate of convergence.

The notebook's check cells call these as ``checks.<name>`` (the grader binds ``checks`` to
this module too). Hidden tests: ``check_random_cases`` (new random bowls),
``check_lr_limit_by_running`` (gradient descent run on a new rotated bowl) and
``check_same_rate_by_running`` (the rate measured by running on a new rotated bowl).
"""

from __future__ import annotations

import numpy as np

from ...checks import (  # noqa: F401 - the notebook's check cells call these
    CheckResult,
    Mistake,
    UpdateRule,
    check_number,
    check_random_cases,
    scoreboard,
)
from ...checks.cases import make_check, standard_cases
from ...checks.hidden import current_seed, hidden_check, hidden_result
from ...checks.result import failed, never_raises, not_done, passed
from ...objectives import Quadratic


# --- gradient descent: θ ← θ − ε g -----------------------------------------------------------
def _gd_step(theta, g, lr):
    return theta - lr * g


GD_STEP = UpdateRule(
    name="gd_step", signature=("theta", "g", "lr"), outputs=("theta",),
    reference=_gd_step, formula="θ ← θ − ε g",
    cases=standard_cases({"lr": 0.1}, tiny={"lr": 1e-6}, integer={"lr": 1}),
    mistakes=[
        Mistake("sign flipped", lambda theta, g, lr: theta + lr * g,
                "it moved uphill: is the sign of the update flipped? θ ← θ − ε g"),
        Mistake("ε missing", lambda theta, g, lr: theta - g,
                "the step is −g, without the learning rate: multiply g by ε. θ ← θ − ε g"),
        Mistake("returns the step", lambda theta, g, lr: -lr * g,
                "it returned the step −ε g instead of the new point: add it to θ."),
        Mistake("returns the step, sign flipped", lambda theta, g, lr: lr * g,
                "it returned ε g, the step with the wrong sign, instead of the new point "
                "θ − ε g."),
        Mistake("returns g", lambda theta, g, lr: g,
                "it returned the gradient g itself; the new point is θ − ε g."),
        Mistake("ε squared", lambda theta, g, lr: theta - lr ** 2 * g,
                "the step is ε² g: is ε applied twice? θ ← θ − ε g"),
        Mistake("divides by ε", lambda theta, g, lr: theta - g / lr,
                "the step is g / ε: ε should multiply g, not divide it. θ ← θ − ε g"),
    ],
)
check_gd_step = make_check(GD_STEP)


# --- predict-then-check: the largest stable rate ---------------------------------------------
@never_raises
def check_largest_lr(answer, lam_max: float = 10.0):
    """The largest ε for which gradient descent converges on a quadratic: 2/λ_max.

    Answers up to 6 % below are right (the last converging stop of a slider with 40 stops
    per decade is at most 5.6 % below); any answer above 2/λ_max is too high, because such
    a run diverges.
    """
    return check_number(
        answer, 2.0 / lam_max, name="largest learning rate ε", rtol=0.06, rtol_high=1e-9,
        hint_high=(f"Above 2/λ_max the component of θ along the top eigenvector (λ_max = "
                   f"{lam_max:g}) is multiplied by |1 − ελ_max| > 1 at every step, so it "
                   "grows and the loss blows up. Lower ε until the loss curve stops growing."),
        hint_low=("A larger ε still converges: keep pushing the slider up until the loss "
                  "curve starts to grow, and take the last ε before that."),
        note=("Each step multiplies the component along eigenvector i by (1 − ελᵢ); all of "
              "them shrink exactly when |1 − ελ_max| < 1, i.e. ε < 2/λ_max."))


def _gd_grows(bowl: Quadratic, theta0: np.ndarray, lr: float, steps: int) -> bool:
    theta = theta0.copy()
    with np.errstate(all="ignore"):
        for _ in range(steps):
            theta = theta - lr * bowl.grad(theta)
        end = bowl.loss(theta) if np.all(np.isfinite(theta)) else np.inf
    return not end <= bowl.loss(theta0)


@hidden_check
@never_raises
def check_lr_limit_by_running(answer, eigenvalues=(1.0, 10.0), *, margin: float = 1.07,
                              steps: int = 300, seed: int | None = None):
    """The largest stable ε, tested by running gradient descent on a randomly rotated bowl
    with these eigenvalues: at ε the loss must not grow; at ``margin``·ε it must."""
    seed = current_seed() if seed is None else int(seed)
    if answer is None or answer is Ellipsis:
        return not_done("largest learning rate: not done yet.", kind="not done")
    result = check_number(answer, 1.0, name="largest learning rate ε", rtol=np.inf)
    if not result.passed:                  # not one finite number: the same message as usual
        return hidden_result(result, "gradient descent on a new bowl", seed)
    lr = float(result.details["answer"])
    rng = np.random.default_rng(seed)
    bowl = Quadratic(eigenvalues, angle=float(rng.uniform(0.0, np.pi)))
    theta0 = bowl.Q @ (rng.choice([-1.0, 1.0], size=2) * rng.uniform(0.5, 2.0, size=2))
    where = f"a bowl with eigenvalues {tuple(eigenvalues)} rotated at random"
    if lr <= 0 or _gd_grows(bowl, theta0, lr, steps):
        verdict = failed(f"gradient descent with ε = {lr:.6g} does not converge on {where}: "
                         f"the loss after {steps} steps is not below the start.")
    elif not _gd_grows(bowl, theta0, margin * lr, steps):
        verdict = failed(f"ε = {lr:.6g} is too low: gradient descent still converges at "
                         f"{margin:g} ε on {where}; the limit is higher.")
    else:
        verdict = CheckResult(True, "passed", f"✔ ε = {lr:.6g} converges and {margin:g} ε "
                              f"diverges on {where}.", {"answer": lr})
    return hidden_result(verdict, "gradient descent on a new bowl", seed)


# --- predict-then-check: the other ε with the same rate ---------------------------------------
def gd_rate(lr: float, eigenvalues) -> float:
    """max |1 − ελᵢ|: the factor by which gradient descent shrinks the error per step."""
    return float(np.max(np.abs(1.0 - lr * np.asarray(eigenvalues, dtype=float))))


def other_lr_with_the_same_rate(given: float, eigenvalues) -> float:
    """The ε above the best one whose rate equals the rate at ``given`` (below the best):
    there the steep direction sets the rate, ελ_max − 1 = r, so ε = (1 + r)/λ_max."""
    return (1.0 + gd_rate(given, eigenvalues)) / float(np.max(eigenvalues))


def _same_rate_diagnosis(lr: float, given: float, eigenvalues) -> str:
    """Which idea a wrong ε suggests, from the rate it gives and the familiar values."""
    lam_min, lam_max = float(np.min(eigenvalues)), float(np.max(eigenvalues))
    wanted, yours = gd_rate(given, eigenvalues), gd_rate(lr, eigenvalues)
    text = (f"At ε = {lr:.4g} the error shrinks by max(|1 − ε·{lam_min:g}|, |1 − ε·{lam_max:g}|)"
            f" = {yours:.3f} per step; at ε = {given:g} it shrinks by {wanted:.3f}.")
    near = {2.0 / lam_max: "That is 2/λ_max, the stability limit: there the steep factor is "
            "|1 − 2| = 1 and the run no longer converges at all.",
            2.0 / (lam_min + lam_max): "That is the best ε = 2/(λ_min+λ_max): its rate "
            "(κ−1)/(κ+1) is faster than the rate at the given ε, not equal to it.",
            given: "That is the ε you were given; the question asks for the other, larger one.",
            (1.0 + wanted) / lam_min: "That solves |1 − ελ_min| = r for the flat direction, "
            "but at that ε the steep direction blows up: the larger ε is set by λ_max."}
    for value, why in near.items():
        if abs(lr - value) <= 0.01 * value:
            return f"{text} {why}"
    if yours < wanted:
        return (f"{text} Yours converges faster: the ε with the same rate lies further from "
                "the best one, where the steep factor |1 − ελ_max| has grown back to r.")
    return (f"{text} Yours converges more slowly: past the best ε the steep direction sets "
            "the rate, so solve ελ_max − 1 = r.")


@never_raises
def check_same_rate_lr(answer, given: float = 0.1, eigenvalues=(1.0, 10.0)):
    """The ε above the best one with the same rate as ``given``: (1 + r)/λ_max, r the rate at
    ``given`` (0.19 for ε = 0.1 on eigenvalues 1 and 10), within 1 %."""
    expected = other_lr_with_the_same_rate(given, eigenvalues)
    result = check_number(
        answer, expected, name=f"the other ε with the rate of ε = {given:g}", rtol=0.01,
        note=(f"At ε = {given:g} the flat direction sets the rate, |1 − ελ_min| = "
              f"{gd_rate(given, eigenvalues):.3f}; past the best ε the steep one does, and "
              f"ελ_max − 1 = {gd_rate(given, eigenvalues):.3f} gives ε = {expected:.4g}."))
    if result.passed or result.status != "failed" or "answer" not in result.details:
        return result
    value = float(result.details["answer"])
    if not np.isfinite(value):
        return result
    if value <= 0:
        return failed(f"{result.message[2:].strip()} A learning rate is positive.",
                      **result.details)
    return failed(f"{result.message[2:].strip()} "
                  f"{_same_rate_diagnosis(value, given, eigenvalues)}", **result.details)


def _measured_rate(bowl: Quadratic, theta0: np.ndarray, lr: float, steps: int) -> float:
    """(‖θ_K − θ*‖ / ‖θ_{K/2} − θ*‖)^(2/K): the rate once the slowest component dominates."""
    theta, half = theta0.copy(), None
    with np.errstate(all="ignore"):
        for k in range(steps):
            theta = theta - lr * bowl.grad(theta)
            if k + 1 == steps // 2:
                half = np.linalg.norm(theta - bowl.center)
        end = np.linalg.norm(theta - bowl.center)
    return float((end / half) ** (2.0 / steps)) if half and np.isfinite(end) else np.inf


@hidden_check
@never_raises
def check_same_rate_by_running(answer, given: float = 0.1, eigenvalues=(1.0, 10.0),
                               steps: int = 200, seed: int | None = None):
    """The rate measured by running gradient descent at the answer and at ``given`` on a
    randomly rotated bowl with these eigenvalues, from a random start: they must agree
    within 0.01·(1 + r), which is what 1 % on ε = (1 + r)/λ_max moves the rate by, and the
    answer must be the larger ε (above the best one)."""
    seed = current_seed() if seed is None else int(seed)
    result = check_number(answer, 1.0, name="the other ε with the same rate", rtol=np.inf)
    if not result.passed:                  # not one finite number: the same message as usual
        return hidden_result(result, "gradient descent on a new bowl", seed)
    lr = float(result.details["answer"])
    rng = np.random.default_rng(seed)
    bowl = Quadratic(eigenvalues, angle=float(rng.uniform(0.0, np.pi)))
    theta0 = bowl.Q @ (rng.choice([-1.0, 1.0], size=2) * rng.uniform(0.5, 2.0, size=2))
    wanted = _measured_rate(bowl, theta0, given, steps)
    yours = _measured_rate(bowl, theta0, lr, steps) if lr > 0 else np.inf
    where = f"a bowl with eigenvalues {tuple(eigenvalues)} rotated at random"
    best = 2.0 / (min(eigenvalues) + max(eigenvalues))
    if lr <= best:
        verdict = failed(f"ε = {lr:.6g} is not above the best ε = {best:.4g}: the question "
                         "asks for the larger ε with the same rate.")
    elif not abs(yours - wanted) <= 0.01 * (1.0 + wanted):
        verdict = failed(f"on {where}, gradient descent shrinks the error by {yours:.4f} per "
                         f"step at ε = {lr:.6g} but by {wanted:.4f} at ε = {given:g}.")
    else:
        verdict = passed(f"on {where}, the measured rates agree: {yours:.4f} at ε = {lr:.6g} "
                         f"and {wanted:.4f} at ε = {given:g}.", answer=lr)
    return hidden_result(verdict, "gradient descent on a new bowl", seed)
