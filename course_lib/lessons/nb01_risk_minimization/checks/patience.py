"""Choose a patience for the early-stopping run of §3, and justify it by re-running it.

The run: the digits 1 and 8, a network with 32 hidden units, SGD with minibatches of 16, one
validation evaluation per epoch (``stopping.run``). A patience p passes on a run if early
stopping with it returns a validation loss within ``TOLERANCE`` of the best the full
150-epoch run ever reaches, and halts by epoch ``BUDGET_EPOCHS``. The visible check re-runs
the notebook's run (seed 0) and one more; the hidden test two runs with new seeds (a new
initialization and minibatch order): a patience that only works on the run in front of you
fails there.
"""

from __future__ import annotations

import numbers

from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import describe, error, failed, never_raises, not_done, passed

TOLERANCE = 0.05            # within 5 % of the full run's best validation loss
BUDGET_EPOCHS = 60          # halt by this epoch
VISIBLE_SEEDS = (0, 1)


def _patience_value(answer):
    if answer is None or answer is Ellipsis:
        return None, not_done("patience: not done yet. Replace None with your patience, a "
                              "whole number of evaluations (epochs).", kind="not done")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return None, error(f"patience should be a whole number of epochs, got "
                           f"{describe(answer)}.", kind="type")
    if float(answer) != int(answer) or int(answer) < 1:
        return None, error(f"patience should be a whole number ≥ 1 (evaluations without "
                           f"improvement), got {answer!r}.", kind="type")
    return int(answer), None


def _judge(patience: int, seeds) -> tuple[bool, list[str]]:
    from ..early_stop_run import patience_outcome  # the runs, imported when first needed

    lines, ok = [], True
    for seed in seeds:
        out = patience_outcome(patience, seed)
        above = out["ratio"] - 1.0
        head = (f"run {seed}: best epoch {out['best_epoch']}, halted after epoch "
                f"{out['stop_epoch']}, validation loss {out['found']:.4f} against the full "
                f"run's best {out['full_best']:.4f} ({above:+.1%})")
        if above > TOLERANCE:
            ok = False
            lines.append(head + f": more than {TOLERANCE:.0%} above. It halted on a noise "
                         "bump, before the validation loss had reached its low: a larger "
                         "patience waits through such bumps.")
        elif out["stop_epoch"] > BUDGET_EPOCHS:
            ok = False
            lines.append(head + f": halted after the budget of {BUDGET_EPOCHS} epochs. Once "
                         "the validation loss has passed its low, every epoch of waiting is "
                         "wasted computation: a smaller patience halts sooner.")
        else:
            lines.append(head + ": within the tolerance and the budget.")
    return ok, lines


def _verdict(patience: int, seeds):
    ok, lines = _judge(patience, seeds)
    body = "\n  ".join(lines)
    if ok:
        return passed(f"patience = {patience}: on every run early stopping returned a "
                      f"validation loss within {TOLERANCE:.0%} of the best and halted by epoch "
                      f"{BUDGET_EPOCHS}.\n  {body}", patience=patience)
    return failed(f"patience = {patience} misses the target (within {TOLERANCE:.0%} of the "
                  f"best validation loss, halted by epoch {BUDGET_EPOCHS}):\n  {body}",
                  patience=patience)


@never_raises
def check_patience(answer):
    """Re-run early stopping with the learner's patience on the notebook's run and one more."""
    patience, problem = _patience_value(answer)
    if problem is not None:
        return problem
    return _verdict(patience, VISIBLE_SEEDS)


@hidden_check
@never_raises
def check_patience_nearby(answer, seed: int | None = None, runs: int = 2):
    """The hidden test: the same patience on ``runs`` runs with new seeds drawn from ``seed``."""
    seed = current_seed() if seed is None else int(seed)
    patience, problem = _patience_value(answer)
    if problem is not None:
        return hidden_result(problem, "your patience on new runs", seed)
    seeds = [100 + (seed * 7919 + 104_729 * i) % 1_000_000 for i in range(runs)]
    return hidden_result(_verdict(patience, seeds), "your patience on new runs", seed)
