"""Notebook 00's exercise explorer: predict the largest ε that converges, then reveal the run.

A predict-then-reveal explorer (docs/DESIGN.md, "Widget-driven exercises", kind 3) on the
bowl of the exercise, eigenvalues 1 and κ = 25: the ε slider sets the learner's prediction
and the path and the learning curve stay hidden until the "reveal" toggle is on. Then the
run at ε and the verdict one stop of the slider higher say whether ε is the largest stop
that converges. The line to paste records ε (widget state is not saved in a notebook); the
exercise's checks use only that number (``checks.check_largest_lr``).
"""

from __future__ import annotations

import numpy as np

from ...widgets import Explorer, toggle
from .gd_explorer import FIGSIZE, LR_MAX, LR_STEP, compute_gd, draw_gd, lr_slider, lr_text

EXERCISE_KAPPA = 25          # the exercise's bowl: λ_min = 1, λ_max = 25
ANSWER = "largest_lr"        # the answer cell's variable
DEFAULT_PREDICTION = 10 ** -1.5   # 0.0316, a stop of the slider far from the answer


def next_stop(lr: float) -> float:
    """The next stop of the ε slider above ``lr`` (1/40 of a decade higher)."""
    return float(min(lr * 10 ** LR_STEP, LR_MAX))


def compute_limit(lr: float, reveal: bool, kappa: float = EXERCISE_KAPPA,
                  steps: int = 60) -> dict:
    """The run at ε (``compute_gd``), whether it converges, and whether the run one slider
    stop higher converges too; ``hidden`` (until revealed) tells the draw to show no run."""
    result = compute_gd(lr, kappa, steps)
    higher = next_stop(lr)
    result.update(hidden=not reveal, next_lr=higher,
                  next_diverged=bool(compute_gd(higher, kappa, steps)["diverged"])
                  if higher > lr else True)
    return result


def verdict(result: dict) -> str:
    """What the revealed run says about ε as the largest converging stop."""
    lr, higher = lr_text(result["lr"]), lr_text(result["next_lr"])
    if result["diverged"]:
        return f"ε = {lr} diverges: the largest converging ε is lower."
    if not result["next_diverged"]:
        return (f"ε = {lr} converges, and so does the next stop, ε = {higher}: the largest "
                "converging ε is higher.")
    return (f"ε = {lr} converges and the next stop, ε = {higher}, diverges: ε = {lr} is the "
            "largest stop of the slider that converges.")


def summary_limit(result: dict) -> str:
    """The prediction (hidden) or the verdict and the measured rate (revealed)."""
    if result["hidden"]:
        return (f"your prediction: ε = {lr_text(result['lr'])} on the bowl with λ = 1 and "
                f"{result['lam_max']:g}. Turn on \"reveal\" to run it.")
    if result["diverged"]:
        rate = f"the error grows by {result['rate']:.3f} per step"
    else:
        rate = f"the error shrinks by {result['rate']:.3f} per step"
    return verdict(result) + f"\n(measured: {rate} over {result['steps_run']} steps)"


def record_limit(settings: dict) -> str:
    """The answer line: ε to 12 significant digits, which re-runs to the same verdict."""
    value = float(f"{float(settings['lr']):.12g}")
    return f"{ANSWER} = {value!r}"


def limit_explorer(lr: float = DEFAULT_PREDICTION, reveal: bool = False,
                   kappa: float = EXERCISE_KAPPA) -> Explorer:
    """The ε slider (the prediction) and a "reveal" toggle, on the exercise's bowl."""
    controls = {"lr": lr_slider(lr), "reveal": toggle("reveal", bool(reveal))}
    return Explorer(lambda lr, reveal: compute_limit(lr, reveal, kappa), draw_gd, controls,
                    title=f"Predict the largest ε that converges (λ_min = 1, λ_max = {kappa:g})",
                    summary=summary_limit, figsize=FIGSIZE, clear=False, record=record_limit)


def converging_stops(kappa: float = EXERCISE_KAPPA) -> np.ndarray:
    """Every stop of the slider at which gradient descent converges on the bowl (for tests
    and the instructor: the last one is the exercise's answer)."""
    from .gd_explorer import LR_MIN

    stops = LR_MIN * 10 ** (LR_STEP * np.arange(int(round(np.log10(LR_MAX / LR_MIN)
                                                               / LR_STEP)) + 1))
    return np.array([s for s in stops if not compute_gd(float(s), kappa)["diverged"]])
