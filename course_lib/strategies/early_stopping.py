"""Early stopping (section 8.1.3; the book's Algorithm 7.1) around any optimizer.

Training does not stop at a minimum of the training loss: it stops when the error on a
validation set has not improved for a while, and keeps the parameters that were best on it.
Algorithm 7.1, with n the steps between evaluations and p the patience:

    θ ← θ₀, i ← 0, j ← 0, v ← ∞, θ* ← θ, i* ← i
    while j < p:
        run the training algorithm for n steps; i ← i + n
        v′ ← validation error of θ
        if v′ < v:  j ← 0, θ* ← θ, i* ← i, v ← v′
        else:       j ← j + 1
    return θ*, i*

``early_stopping`` runs this loop through ``run.minimize`` (its callback evaluates every n
steps and ends the run), so it works with every optimizer of ``course_lib.optim``, any
objective, full batch or minibatches. ``stopping_point`` is the same rule applied to a list
of validation errors already measured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..run import Trace, minimize
from ..validation import as_vector, check_int


@dataclass
class EarlyStoppingResult:
    """What early stopping returns: θ*, i*, where it halted and the curves it saw."""

    theta: np.ndarray           # θ*: the parameters with the best validation error (restored)
    best_step: int              # i*: the step at which θ* was reached (0: never improved)
    best_value: float           # v: the validation error of θ*
    stopped_step: int           # steps run when training halted
    stop_reason: str            # "patience", or the run's own: "steps", "diverged", ...
    patience: int
    eval_every: int
    eval_steps: np.ndarray      # the steps at which the validation error was measured
    val_losses: np.ndarray      # the validation error at those steps
    train_losses: np.ndarray    # the training loss J(θ) at those steps
    trace: Trace = field(repr=False)

    @property
    def evaluations(self) -> int:
        return len(self.eval_steps)


def _validation(validation_loss) -> Callable:
    if hasattr(validation_loss, "loss"):          # an Objective on the validation set
        return validation_loss.loss
    if not callable(validation_loss):
        raise ValueError("validation_loss must be a function of theta or an objective with a "
                         f"loss method, got {validation_loss!r}")
    return validation_loss


def early_stopping(objective, optimizer, theta0, validation_loss, patience: int,
                   eval_every: int = 1, max_steps: int = 10_000,
                   batch_size: int | None = None, rng=None, sampling: str = "reshuffle"
                   ) -> EarlyStoppingResult:
    """Algorithm 7.1: train with ``optimizer`` on ``objective`` from ``theta0``, measure
    ``validation_loss(θ)`` every ``eval_every`` steps, and halt once it has failed to improve
    (strictly) ``patience`` evaluations in a row, or after ``max_steps`` steps.

    ``validation_loss``: a function of θ, or an objective whose ``loss`` is used.
    ``batch_size``, ``rng``, ``sampling`` are passed to ``run.minimize``. Returns the best
    parameters θ* (a copy), the step i* that reached them and the curves (see
    ``EarlyStoppingResult``).
    """
    patience = check_int("patience", patience, minimum=1)
    eval_every = check_int("eval_every", eval_every, minimum=1)
    max_steps = check_int("max_steps", max_steps, minimum=1)
    validate = _validation(validation_loss)
    theta0 = as_vector("theta0", theta0, objective.dim)
    best = {"v": np.inf, "j": 0, "theta": theta0.copy(), "step": 0}
    steps, values = [], []

    def evaluate(k, theta, state):
        if k % eval_every:                        # run the training algorithm for n steps
            return False
        v = float(validate(theta))                # v′ ← validation error of θ
        steps.append(k)
        values.append(v)
        if v < best["v"]:                         # an improvement: remember θ, reset j
            best.update(v=v, j=0, theta=np.array(theta, dtype=float), step=k)
        else:
            best["j"] += 1
        return best["j"] >= patience              # while j < p

    trace = minimize(objective, optimizer, theta0, max_steps, batch_size=batch_size, rng=rng,
                     callback=evaluate, sampling=sampling, warn=False)
    eval_steps = np.array(steps, dtype=int)
    reason = "patience" if trace.stop_reason == "callback" else trace.stop_reason
    return EarlyStoppingResult(
        theta=best["theta"], best_step=best["step"], best_value=best["v"],
        stopped_step=trace.n_steps, stop_reason=reason, patience=patience,
        eval_every=eval_every, eval_steps=eval_steps, val_losses=np.array(values),
        train_losses=trace.losses[eval_steps] if len(eval_steps) else np.array([]),
        trace=trace)


def stopping_point(val_losses, patience: int) -> tuple[int, int]:
    """Algorithm 7.1 on validation errors v₀, v₁, … already measured, one per evaluation.

    Returns (best, stop): the index of the evaluation that gave θ* (the first of equal
    minima: only a strict improvement counts) and the index of the evaluation after which
    training halts, the first at which ``patience`` evaluations in a row have not improved;
    the last index if the list ends first.
    """
    patience = check_int("patience", patience, minimum=1)
    values = np.asarray(val_losses, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"val_losses must be a non-empty 1-D sequence, got shape {values.shape}")
    v, j, best = np.inf, 0, 0
    for i, value in enumerate(values):
        if value < v:
            v, j, best = value, 0, i
        else:
            j += 1
        if j >= patience:
            return best, i
    return best, len(values) - 1
