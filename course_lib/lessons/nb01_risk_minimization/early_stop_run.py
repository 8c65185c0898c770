"""Notebook 01, §3 and its patience exercise: the early-stopping run on digits, without plotting.

A network with one hidden layer of 32 tanh units, trained by SGD (ε = 0.1, minibatches of 16)
to tell a 1 from an 8 (``data.digits``, 60/20/20 split); the validation loss is measured once
per epoch. ``run(patience, seed)`` is early stopping (``strategies.early_stopping``) with that
patience; ``full_run(seed)`` goes on for all ``EPOCHS`` epochs. The seed sets both the
initialization and the order of the minibatches.
"""

from __future__ import annotations

import functools
import math

from ...data import digits
from ...objectives import MLP
from ...optim import SGD
from ...strategies.early_stopping import early_stopping, stopping_point

PAIR, HIDDEN, LR, BATCH, EPOCHS = (1, 8), 32, 0.1, 16, 150
NO_LIMIT = 10 ** 9          # a patience that never runs out: the full run


@functools.lru_cache(maxsize=1)
def task() -> tuple[MLP, MLP]:
    """(training objective, validation objective): the same network on the two sets."""
    split = digits(classes=PAIR)
    return (MLP(split.X_train, split.y_train, hidden=(HIDDEN,), loss="logistic"),
            MLP(split.X_val, split.y_val, hidden=(HIDDEN,), loss="logistic"))


def steps_per_epoch() -> int:
    return math.ceil(task()[0].n_examples / BATCH)


def run(patience: int, seed: int = 0, epochs: int = EPOCHS):
    """Early stopping with ``patience`` (in epochs), from the initialization ``seed`` with the
    minibatch order ``seed``: an ``EarlyStoppingResult``."""
    net, val = task()
    return early_stopping(net, SGD(lr=LR), net.init_theta(seed), val, patience=patience,
                          eval_every=steps_per_epoch(), max_steps=epochs * steps_per_epoch(),
                          batch_size=BATCH, rng=seed)


@functools.lru_cache(maxsize=16)
def full_run(seed: int = 0):
    """The run without stopping (all ``EPOCHS`` epochs), cached per seed."""
    return run(NO_LIMIT, seed)


def patience_outcome(patience: int, seed: int = 0) -> dict:
    """What a patience buys on the run ``seed``: the best validation loss early stopping
    returns (re-run with that patience), the full run's best, their ratio and the epoch at
    which it halted."""
    full, stopped = full_run(seed), run(patience, seed)
    n = steps_per_epoch()
    return {"patience": patience, "seed": seed, "found": stopped.best_value,
            "full_best": float(full.val_losses.min()),
            "ratio": stopped.best_value / float(full.val_losses.min()),
            "stop_epoch": stopped.stopped_step // n, "best_epoch": stopped.best_step // n,
            "rule": stopping_point(full.val_losses, patience)}
