"""The checks of notebook 00: one gradient-descent step, and the largest stable rate.

The notebook's check cells call these as ``checks.<name>`` (the grader binds ``checks`` to
this module too). Hidden tests: ``check_random_cases`` (new random bowls) and
``check_lr_limit_by_running`` (gradient descent run on a new rotated bowl).
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
from ...checks.result import failed, never_raises, not_done
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

    Answers up to 6 % below are right (a slider's last converging stop); any answer above
    2/λ_max is too high, because such a run diverges.
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
