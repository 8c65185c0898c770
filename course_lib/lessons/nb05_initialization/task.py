"""Notebook 05: the running example, the digits (standardized), and the networks on them.

``digits_task()`` standardizes the 64 pixels with the training set's mean and standard
deviation (pixels that never vary keep scale 1), so that every input has mean 0 and
variance 1: the initial scale of a layer is then a statement about the weights alone.
``train`` runs SGD with momentum (Algorithm 8.2, ``course_lib.optim.Momentum``) on
minibatches and records the training loss every few steps only, which keeps many runs cheap.

``one_thread``: these networks are small (at most 1078 × 64 matrices), and BLAS threads
cost far more than they save on such products when the cores are shared: a 1078 × 32 by
32 × 32 product took 15 ms with two OpenBLAS threads on a busy 2-core machine and 0.1 ms
with one. The experiments run with one BLAS thread.
"""

from __future__ import annotations

import functools

import numpy as np
from threadpoolctl import threadpool_limits

from ...data import digits
from ...objectives import MLP
from ...optim import Momentum
from ...run import Oracle, minibatches
from ...strategies.initialization import init_mlp

WIDTH = 64


def one_thread(fn):
    """Decorator: run ``fn`` with a single BLAS thread (see the module doc)."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        with threadpool_limits(limits=1, user_api="blas"):
            return fn(*args, **kwargs)
    return wrapped


@functools.cache
def digits_task(seed: int = 0) -> dict:
    """Standardized digits: X_train, y_train, X_val, y_val (all ten classes)."""
    split = digits(seed=seed)
    mean = split.X_train.mean(axis=0)
    std = split.X_train.std(axis=0)
    std = np.where(std < 1e-3, 1.0, std)            # constant pixels (the border) stay 0
    task = {"X_train": (split.X_train - mean) / std, "y_train": split.y_train,
            "X_val": (split.X_val - mean) / std, "y_val": split.y_val}
    for array in task.values():
        array.setflags(write=False)
    return task


def deep_net(depth: int, width: int = WIDTH, activation: str = "tanh", rows=None) -> MLP:
    """A softmax MLP with ``depth`` hidden layers of ``width`` units on the digits
    (``rows``: how many training examples it sees, default all)."""
    task = digits_task()
    X, y = task["X_train"], task["y_train"]
    if rows is not None:
        X, y = X[:rows], y[:rows]
    return MLP(X, y, hidden=(width,) * depth, activation=activation, loss="softmax",
               n_classes=10)


def accuracy(net: MLP, theta, X, y) -> float:
    return float(np.mean(np.argmax(net.predict(theta, X), axis=1) == y))


@one_thread
def train(net, theta0, steps: int = 300, lr: float = 0.05, alpha: float = 0.9,
          batch_size: int = 64, seed: int = 0, every: int = 10) -> dict:
    """SGD with momentum from ``theta0``; the training loss at steps 0, every, 2·every, …

    A non-finite loss stops the run (``diverged``); the losses after it are NaN.
    """
    optimizer = Momentum(lr=lr, alpha=alpha)
    batches = minibatches(net.n_examples, batch_size, np.random.default_rng(seed))
    theta, state = np.array(theta0, dtype=float), optimizer.init(theta0)
    checkpoints = list(range(0, steps + 1, every))
    losses = np.full(len(checkpoints), np.nan)
    losses[0] = net.loss(theta)
    diverged = False
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            theta, state = optimizer.step(theta, state, Oracle(net, next(batches)))
            if k % every == 0:
                losses[k // every] = net.loss(theta)
                if not np.isfinite(losses[k // every]):
                    diverged = True
                    break
    return {"steps": np.array(checkpoints), "losses": losses, "theta": theta,
            "diverged": diverged}


def start(net, scheme: str, seed: int, scale: float = 1.0, **options) -> np.ndarray:
    """θ₀ from ``strategies.initialization.init_mlp``."""
    return init_mlp(net, scheme, rng=seed, scale=scale, **options)
