"""Notebook 06's update-rule exercises: one step of AdaGrad, RMSProp and Adam (Algorithms
8.4, 8.5 and 8.7), each an ``UpdateRule`` with the mistakes learners make.

The first case of every rule starts mid-run: accumulators already non-zero (so a missing
(1 − ρ) factor shows at once; for Adam also t = 5, so that a counter increased after the
bias correction shows without dividing by 1 − ρ⁰ = 0) and δ = 0.1, large enough that δ
inside and outside the square root give different steps. Then come the ``standard_cases``.
"""

from __future__ import annotations

import numpy as np

from ....checks import Case, Mistake, UpdateRule
from ....checks.cases import make_check, standard_cases
from ....objectives import Quadratic

_BOWL = Quadratic((1.0, 10.0))
_R0 = (0.5, 2.0)                    # r of a run already under way


# --- Algorithm 8.4, AdaGrad ------------------------------------------------------------------
ADAGRAD_FORMULA = "r ← r + g ⊙ g; θ ← θ − ε/(δ + √r) ⊙ g"


def _adagrad_step(theta, r, g, lr, delta):
    r = r + g * g                                   # r ← r + g ⊙ g
    return theta - lr / (delta + np.sqrt(r)) * g, r   # θ ← θ − ε/(δ + √r) ⊙ g


def _adagrad(r_new, step_r=None, sign=-1.0, root=np.sqrt, inside=False):
    """A (possibly wrong) AdaGrad: ``r_new(r, g)`` accumulates, the step divides by
    δ + root(step_r) (or root(δ + step_r) when ``inside``); step_r defaults to the new r."""
    def step(theta, r, g, lr, delta):
        r1 = r_new(r, g)
        rr = r1 if step_r is None else step_r(r, r1)
        denominator = root(delta + rr) if inside else delta + root(rr)
        return theta + sign * lr / denominator * g, r1
    return step


def _acc(r, g):
    return r + g * g


ADAGRAD_STEP = UpdateRule(
    name="adagrad_step", signature=("theta", "r", "g", "lr", "delta"), outputs=("theta", "r"),
    reference=_adagrad_step, formula=ADAGRAD_FORMULA,
    cases=[Case("already running (r ≠ 0), δ = 0.1", _BOWL,
                {"theta": np.array([1.0, 1.0]), "r": np.array(_R0)},
                {"lr": 0.1, "delta": 0.1}, 3),
           *standard_cases({"lr": 0.1, "delta": 1e-7},
                           state=lambda theta0: {"r": np.zeros_like(theta0)},
                           tiny={"lr": 1e-6}, integer={"lr": 1, "delta": 1})],
    mistakes=[
        Mistake("sign flipped", _adagrad(_acc, sign=1.0),
                f"r is right, but θ moved uphill: the step is −ε/(δ + √r) ⊙ g. {ADAGRAD_FORMULA}"),
        Mistake("δ inside the root", _adagrad(_acc, inside=True),
                "the step divides by √(δ + r), RMSProp's form: AdaGrad (Algorithm 8.4) adds δ "
                f"outside the root, ε/(δ + √r). {ADAGRAD_FORMULA}"),
        Mistake("no square root", _adagrad(_acc, root=lambda x: x),
                "the step divides by δ + r, without the square root: r sums squared "
                "gradients, so its root is what has the units of g. "
                f"{ADAGRAD_FORMULA}"),
        Mistake("squared gradient not element-wise", _adagrad(lambda r, g: r + g @ g),
                "r grew by the same number in every coordinate: g·g (or ‖g‖²) is a dot "
                "product. Square element-wise, g ⊙ g (`g * g` or `g**2`), so each parameter "
                f"keeps its own history. {ADAGRAD_FORMULA}"),
        Mistake("step with the old r", _adagrad(_acc, step_r=lambda r, r1: r),
                "r is right, but the step divided by the root of the *old* r: add g ⊙ g to "
                f"r first, then take the step with the new r. {ADAGRAD_FORMULA}"),
        Mistake("returned (r, θ)", lambda theta, r, g, lr, delta:
                _adagrad_step(theta, r, g, lr, delta)[::-1],
                "the two outputs are in the wrong order: return (theta, r), θ first."),
    ],
)
check_adagrad_step = make_check(ADAGRAD_STEP)


# --- Algorithm 8.5, RMSProp ------------------------------------------------------------------
RMSPROP_FORMULA = "r ← ρr + (1 − ρ) g ⊙ g; θ ← θ − ε/√(δ + r) ⊙ g"


def _rmsprop_step(theta, r, g, lr, rho, delta):
    r = rho * r + (1 - rho) * g * g                  # r ← ρr + (1 − ρ) g ⊙ g
    return theta - lr / np.sqrt(delta + r) * g, r     # θ ← θ − ε/√(δ + r) ⊙ g


def _rmsprop(r_new, step_r=None, sign=-1.0, denominator=lambda delta, r: np.sqrt(delta + r)):
    def step(theta, r, g, lr, rho, delta):
        r1 = r_new(r, g, rho)
        rr = r1 if step_r is None else step_r(r, r1)
        return theta + sign * lr / denominator(delta, rr) * g, r1
    return step


def _avg(r, g, rho):
    return rho * r + (1 - rho) * g * g


RMSPROP_STEP = UpdateRule(
    name="rmsprop_step", signature=("theta", "r", "g", "lr", "rho", "delta"),
    outputs=("theta", "r"), reference=_rmsprop_step, formula=RMSPROP_FORMULA,
    cases=[Case("already running (r ≠ 0), δ = 0.1", _BOWL,
                {"theta": np.array([1.0, 1.0]), "r": np.array(_R0)},
                {"lr": 0.01, "rho": 0.9, "delta": 0.1}, 3),
           *standard_cases({"lr": 0.01, "rho": 0.9, "delta": 1e-6},
                           state=lambda theta0: {"r": np.zeros_like(theta0)},
                           tiny={"lr": 1e-6}, integer={"lr": 1, "rho": 0, "delta": 1})],
    mistakes=[
        Mistake("sign flipped", _rmsprop(_avg, sign=1.0),
                f"r is right, but θ moved uphill: the step is −ε/√(δ + r) ⊙ g. {RMSPROP_FORMULA}"),
        Mistake("(1 − ρ) missing", _rmsprop(lambda r, g, rho: rho * r + g * g),
                "r grew by the whole g ⊙ g: the new squared gradient enters the moving "
                f"average with weight (1 − ρ). {RMSPROP_FORMULA}"),
        Mistake("ρ and 1 − ρ swapped", _rmsprop(lambda r, g, rho: (1 - rho) * r + rho * g * g),
                "the weights are swapped: the old average keeps the share ρ, the new g ⊙ g "
                f"gets (1 − ρ). {RMSPROP_FORMULA}"),
        Mistake("δ outside the root", _rmsprop(_avg, denominator=lambda d, r: d + np.sqrt(r)),
                "the step divides by δ + √r, AdaGrad's and Adam's form: RMSProp (Algorithm "
                f"8.5) puts δ inside the root, √(δ + r). {RMSPROP_FORMULA}"),
        Mistake("no square root", _rmsprop(_avg, denominator=lambda d, r: d + r),
                f"the step divides by δ + r, without the square root. {RMSPROP_FORMULA}"),
        Mistake("squared gradient not element-wise",
                _rmsprop(lambda r, g, rho: rho * r + (1 - rho) * (g @ g)),
                "r moved by the same amount in every coordinate: g·g (or ‖g‖²) is a dot "
                "product. Square element-wise, g ⊙ g (`g * g`), so that each parameter gets "
                f"its own rate. {RMSPROP_FORMULA}"),
        Mistake("step with the old r", _rmsprop(_avg, step_r=lambda r, r1: r),
                "r is right, but the step used the *old* r: update the average first, then "
                f"divide by the root of the new one. {RMSPROP_FORMULA}"),
    ],
)
check_rmsprop_step = make_check(RMSPROP_STEP)


# --- Algorithm 8.7, Adam ---------------------------------------------------------------------
ADAM_FORMULA = ("t ← t + 1; s ← ρ₁s + (1 − ρ₁)g; r ← ρ₂r + (1 − ρ₂)g ⊙ g; ŝ ← s/(1 − ρ₁ᵗ); "
                "r̂ ← r/(1 − ρ₂ᵗ); θ ← θ − ε ŝ/(√r̂ + δ)")


def _adam(*, late=False, s_factor=True, r_factor=True, sq=lambda g: g * g, inside=False,
          correct_s=True, correct_r=True, sign=-1.0, swap=False, keep_t=False):
    """Adam, right by default; each flag makes one of the known mistakes."""
    def step(theta, s, r, t, g, lr, rho1, rho2, delta):
        if swap:
            rho1, rho2 = rho2, rho1
        t1 = t + 1                                                  # t ← t + 1
        s = rho1 * s + ((1 - rho1) if s_factor else 1) * g         # s ← ρ₁s + (1 − ρ₁)g
        r = rho2 * r + ((1 - rho2) if r_factor else 1) * sq(g)     # r ← ρ₂r + (1 − ρ₂)g ⊙ g
        tc = t if late else t1                                      # the t of the corrections
        s_hat = s / (1 - rho1 ** tc) if correct_s else s            # ŝ ← s/(1 − ρ₁ᵗ)
        r_hat = r / (1 - rho2 ** tc) if correct_r else r            # r̂ ← r/(1 − ρ₂ᵗ)
        root = np.sqrt(r_hat + delta) if inside else np.sqrt(r_hat) + delta
        return theta + sign * lr * s_hat / root, s, r, (t if keep_t else t1)
    return step


_adam_step = _adam()


def _adam_mistake(name: str, hint: str, **flags) -> Mistake:
    return Mistake(name, _adam(**flags), f"{hint} {ADAM_FORMULA}")


ADAM_STEP = UpdateRule(
    name="adam_step", signature=("theta", "s", "r", "t", "g", "lr", "rho1", "rho2", "delta"),
    outputs=("theta", "s", "r", "t"), reference=_adam_step, formula=ADAM_FORMULA,
    cases=[Case("already running (t = 5, s ≠ 0, r ≠ 0), δ = 0.1", _BOWL,
                {"theta": np.array([1.0, 1.0]), "s": np.array([0.3, -0.4]),
                 "r": np.array(_R0), "t": 5},
                {"lr": 0.01, "rho1": 0.9, "rho2": 0.999, "delta": 0.1}, 3),
           *standard_cases({"lr": 0.01, "rho1": 0.9, "rho2": 0.999, "delta": 1e-8},
                           state=lambda theta0: {"s": np.zeros_like(theta0),
                                                 "r": np.zeros_like(theta0), "t": 0},
                           tiny={"lr": 1e-6},
                           integer={"lr": 1, "rho1": 0, "rho2": 0, "delta": 1})],
    mistakes=[
        _adam_mistake("t increased after the bias correction",
                      "ŝ and r̂ were corrected with the old t: increase t first (t ← t + 1), "
                      "then divide by 1 − ρ₁ᵗ and 1 − ρ₂ᵗ. (From t = 0 the late increase "
                      "divides by 1 − ρ⁰ = 0.)", late=True),
        _adam_mistake("t not increased", "θ, s and r are right, but t came back unchanged: "
                      "return t + 1, so the next step corrects with the next t.", keep_t=True),
        _adam_mistake("(1 − ρ₁) missing", "s grew by the whole g: the new gradient enters "
                      "the first moment with weight (1 − ρ₁).", s_factor=False),
        _adam_mistake("(1 − ρ₂) missing", "r grew by the whole g ⊙ g: the new squared "
                      "gradient enters the second moment with weight (1 − ρ₂).",
                      r_factor=False),
        _adam_mistake("(1 − ρ) factors missing", "s and r grew by the whole g and g ⊙ g: "
                      "the new terms have the weights (1 − ρ₁) and (1 − ρ₂).",
                      s_factor=False, r_factor=False),
        _adam_mistake("ρ₁ and ρ₂ swapped", "ρ₁ and ρ₂ are swapped: ρ₁ (0.9) averages the "
                      "gradient s, ρ₂ (0.999) the squared gradient r.", swap=True),
        _adam_mistake("δ inside the root", "the step divides by √(r̂ + δ): Adam (Algorithm "
                      "8.7) adds δ outside the root, √r̂ + δ.", inside=True),
        _adam_mistake("squared gradient not element-wise", "r moved by the same amount in "
                      "every coordinate: g·g (or ‖g‖²) is a dot product. Square "
                      "element-wise, g ⊙ g (`g * g`).", sq=lambda g: g @ g),
        _adam_mistake("no bias correction", "θ moved with s and r themselves: divide them by "
                      "1 − ρ₁ᵗ and 1 − ρ₂ᵗ first (ŝ, r̂), to undo their start at 0.",
                      correct_s=False, correct_r=False),
        _adam_mistake("only r corrected", "r̂ is corrected but ŝ is not: divide s by "
                      "1 − ρ₁ᵗ too.", correct_s=False),
        _adam_mistake("only s corrected", "ŝ is corrected but r̂ is not: divide r by "
                      "1 − ρ₂ᵗ too.", correct_r=False),
        _adam_mistake("sign flipped", "s, r and t are right, but θ moved uphill: the step "
                      "is −ε ŝ/(√r̂ + δ).", sign=1.0),
    ],
)
check_adam_step = make_check(ADAM_STEP)
