"""Notebook 08: the standardized digits, and the training loops of its experiments.

``one_thread`` runs an experiment with a single BLAS thread: the matrices here are small,
and two OpenBLAS threads on a shared 2-core machine made a 1078 × 32 by 32 × 32 product
150 times slower than one thread did.

``train`` is SGD with momentum (Algorithm 8.2) on minibatches of any ``Objective``; for a
``DeepNet`` with batch normalization it also keeps the running averages of every layer's μ
and σ (``strategies.batch_norm.RunningStats``, decay ρ), as a framework would.
"""

from __future__ import annotations

import functools

import numpy as np
from threadpoolctl import threadpool_limits

from ...data import digits
from ...optim import Momentum
from ...run import Oracle, minibatches
from ...strategies.batch_norm import RunningStats


def one_thread(fn):
    """Decorator: run ``fn`` with a single BLAS thread (see the module doc)."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        with threadpool_limits(limits=1, user_api="blas"):
            return fn(*args, **kwargs)
    return wrapped


@functools.cache
def digits_task(seed: int = 0) -> dict:
    """All ten digits, the 64 pixels standardized with the training set's statistics."""
    split = digits(seed=seed)
    mean, std = split.X_train.mean(axis=0), split.X_train.std(axis=0)
    std = np.where(std < 1e-3, 1.0, std)
    task = {"X_train": (split.X_train - mean) / std, "y_train": split.y_train,
            "X_val": (split.X_val - mean) / std, "y_val": split.y_val}
    for array in task.values():
        array.setflags(write=False)
    return task


def accuracy(net, theta, X, y, stats=None) -> float:
    p = net.predict(theta, X, stats=stats) if stats is not None else net.predict(theta, X)
    return float(np.mean(np.argmax(p, axis=1) == y))


def train(net, theta0, steps: int = 150, lr: float = 0.01, alpha: float = 0.9,
          batch_size: int = 64, seed: int = 0, every: int = 10, rho: float = 0.9,
          track: bool = False) -> dict:
    """Momentum on minibatches; the training loss every ``every`` steps (in training mode:
    for batch norm, the statistics of the whole training set); with ``track`` (batch norm
    only), ``running``: the running averages of the batch statistics."""
    optimizer = Momentum(lr=lr, alpha=alpha)
    batches = minibatches(net.n_examples, batch_size, np.random.default_rng(seed))
    theta, state = np.array(theta0, dtype=float), optimizer.init(theta0)
    bn = getattr(net, "batch_norm", False) and track
    running = [RunningStats.start(n) for _, n in net.shapes[:-1]] if bn else []
    losses = [net.loss(theta)]
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            batch = next(batches)
            if bn:          # the statistics this step normalizes with, before it moves θ
                for stats, (mu, sigma) in zip(running, net.batch_statistics(theta, batch=batch),
                                              strict=True):
                    stats.update(mu, sigma, rho)
            theta, state = optimizer.step(theta, state, Oracle(net, batch))
            if k % every == 0:
                losses.append(net.loss(theta))
    return {"theta": theta, "losses": np.array(losses), "steps": np.arange(len(losses)) * every,
            "running": [(s.mu, s.sigma) for s in running]}
