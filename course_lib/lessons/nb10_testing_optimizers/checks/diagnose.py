"""Exercise: diagnose why AdaGrad (ε = 0.1) fails the drifting optimum, whose centre moves
by v = 0.02 per gradient evaluation in each coordinate. Multiple choice, plus one number:
under a gradient that keeps the same size, AdaGrad's step is ε/√k at step k whatever that
size, so after k* = (ε/v)² = 25 steps it is shorter than the drift and the optimum runs away.

The hidden test recomputes k* by running the library's AdaGrad under a random constant
gradient and counting the steps at least v long.
"""

from __future__ import annotations

import numpy as np

from ....checks import check_number
from ....checks.hidden import check_recomputed, hidden_check
from ....checks.result import describe, error, failed, never_raises, not_done, passed
from ....prototypes.catalog import DRIFT

EPS = 0.1
STEPS = (EPS / DRIFT) ** 2                 # k* = (ε/v)² = 25
CHOICES = {
    "a": "AdaGrad diverges: ε = 0.1 is too large for the bowl's curvature.",
    "b": "Its steps shrink like ε/√k whatever the gradient's size; once they are shorter "
         "than the drift per step, the optimum runs away from it.",
    "c": "The gradient noise buries the signal, so AdaGrad needs a smaller rate.",
    "d": "The bowl is ill-conditioned, so AdaGrad zig-zags across it.",
    "e": "It is stuck on a plateau, where the gradient vanishes.",
}
ANSWER = "b"
WRONG = {
    "a": "nothing diverges: the loss stays finite and AdaGrad's steps only get shorter "
         "(look at the run in the explorer: the path is smooth, it just falls behind).",
    "c": "the drifting prototype has no noise at all: its gradients are exact.",
    "d": "both curvatures are 1: the bowl is perfectly round (κ = 1).",
    "e": "the bowl has no plateau: its slope grows with the distance, and the lag makes "
         "the gradient larger, not smaller.",
}


def _letter(answer):
    """The chosen letter, lower case, or None if ``answer`` is no letter a–e."""
    if not isinstance(answer, str):
        return None
    text = answer.strip().lower().rstrip(").:")
    text = text[1:] if text.startswith("(") else text
    return text if text in CHOICES else None


@never_raises
def check_adagrad_diagnosis(cause, steps):
    """The letter (``cause``) and k* (``steps``): both must be right."""
    if cause is None and steps is None:
        return not_done("adagrad_cause, adagrad_steps: not done yet. Set adagrad_cause to a "
                        "letter ('a' … 'e') and adagrad_steps to your number.")
    letter = _letter(cause)
    if cause is None:
        return not_done("adagrad_cause: not done yet; choose a letter 'a' … 'e'.")
    if letter is None:
        return error(f"adagrad_cause should be one of the letters 'a' … 'e', got "
                     f"{describe(cause)}.")
    if letter != ANSWER:
        return failed(f"adagrad_cause = {letter!r} is not the reason: {WRONG[letter]}")
    number = check_number(
        steps, STEPS, name="k*, the steps after which ε/√k < v", rtol=0.05,
        hint_low=("AdaGrad's step under a steady gradient is ε/√k: solve ε/√k = v for k, "
                  "with ε = 0.1 and v = 0.02."),
        hint_high=("AdaGrad's step under a steady gradient is ε/√k: solve ε/√k = v for k, "
                   "with ε = 0.1 and v = 0.02."),
        note=("ε/√k = v gives k* = (ε/v)² = 25. (In the explorer's run it falls behind even "
              "sooner, near step 15: its first, larger gradients still sit in r.)"))
    if not number.passed:
        return number
    return passed(f"adagrad_cause = 'b' and {number.message[2:]}")


@hidden_check
@never_raises
def check_adagrad_steps_by_running(cause, steps, seed: int | None = None):
    """k* counted by running ``course_lib.optim.AdaGrad`` (ε = 0.1) under a random constant
    gradient: the number of steps at least v = 0.02 long (the letter is checked as well)."""
    from ....objectives import ConstantSlope
    from ....optim import AdaGrad
    from ....run import minimize

    if _letter(cause) != ANSWER:
        return check_adagrad_diagnosis(cause, steps)

    def count(rng):
        dim = int(rng.integers(1, 6))
        g = rng.choice([-1.0, 1.0], size=dim) * 10.0 ** rng.uniform(-1.0, 1.0, size=dim)
        trace = minimize(ConstantSlope(g), AdaGrad(lr=EPS), np.zeros(dim), 60)
        lengths = np.abs(np.diff(trace.thetas, axis=0))[:, int(rng.integers(dim))]
        return int(np.sum(lengths >= DRIFT * (1 - 1e-6)))

    return check_recomputed(steps, count, name="k*, the steps after which ε/√k < v",
                            rtol=0.05, what="counted by running AdaGrad under a random "
                            "constant gradient", seed=seed)
