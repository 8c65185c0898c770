"""Statistics of minibatch gradients (section 8.1.3): how good an estimate m examples give.

The minibatch gradient ĝ = (1/m) Σ_{i∈B} ∇θ L⁽ⁱ⁾ (eq. 8.9) is an average of m per-example
gradients. Drawn independently (with replacement, or fresh from p_data), its error against
the gradient it estimates has the standard error σ/√m, σ² = E‖∇θL⁽ⁱ⁾ − g‖²: a hundred times
more examples buy only ten times less error. Drawn without replacement from n examples, the
finite-population factor √((n − m)/(n − 1)) shrinks it to 0 at m = n.

The rest of the module is about where the examples come from: a training set made of k
copies of the same examples (``duplicate``) gives exactly the same minibatch estimates as the
original, at k times the cost per full-batch gradient; examples that arrive in a meaningful
order (sorted by class, by time...) give consecutive minibatches that are biased, not noisy
(``stream_batches`` with ``order="as given"``), which shuffling repairs.
"""

from __future__ import annotations

import numpy as np

from .run import Counts, Oracle
from .validation import as_vector, check_int


def per_example_gradients(objective, theta, indices=None) -> np.ndarray:
    """∇θ L⁽ⁱ⁾ for each example i of ``indices`` (default: all), one row each."""
    theta = as_vector("theta", theta, objective.dim)
    n = getattr(objective, "n_examples", None)
    if n is None:
        raise ValueError("per_example_gradients needs an objective with n_examples")
    indices = np.arange(n) if indices is None else np.asarray(indices, dtype=int)
    return np.array([objective.grad(theta, np.array([i])) for i in indices])


def minibatch_means(rows: np.ndarray, batch_size: int, n_batches: int, rng=0,
                    replace: bool = True) -> np.ndarray:
    """``n_batches`` minibatch averages (1/m) Σ_{i∈B} rows[i] of ``batch_size`` rows each:
    drawn with replacement, or without (each batch a uniform random subset)."""
    rows = np.asarray(rows, dtype=float)
    n = rows.shape[0]
    batch_size = check_int("batch_size", batch_size, minimum=1)
    n_batches = check_int("n_batches", n_batches, minimum=1)
    if not replace and batch_size > n:
        raise ValueError(f"batch_size must be <= {n} (the examples) without replacement, "
                         f"got {batch_size}")
    rng = np.random.default_rng(rng)
    if replace:
        index = rng.integers(0, n, size=(n_batches, batch_size))
    else:
        index = np.array([rng.choice(n, size=batch_size, replace=False)
                          for _ in range(n_batches)])
    return rows[index].mean(axis=1)


def standard_error(estimates, target) -> float:
    """√(mean ‖ĝ − g‖²) over the rows ĝ of ``estimates``: their RMS distance to ``target``."""
    estimates = np.atleast_2d(np.asarray(estimates, dtype=float))
    return float(np.sqrt(np.mean(np.sum((estimates - np.asarray(target)) ** 2, axis=1))))


def gradient_spread(rows) -> float:
    """σ = √(mean ‖∇L⁽ⁱ⁾ − g‖²) over the examples, with g their mean: one example's error."""
    rows = np.asarray(rows, dtype=float)
    return standard_error(rows, rows.mean(axis=0))


def standard_error_vs_batch_size(rows, sizes, n_batches: int = 400, seed=0,
                                 replace: bool = True) -> dict:
    """The measured standard error of minibatch means of ``rows`` for each batch size, beside
    the theory σ/√m (times √((n − m)/(n − 1)) without replacement).

    Returns ``sizes``, ``measured``, ``theory``, ``sigma`` and the full gradient ``g``.
    """
    rows = np.asarray(rows, dtype=float)
    n = rows.shape[0]
    g = rows.mean(axis=0)
    sigma = gradient_spread(rows)
    sizes = np.array([check_int("sizes", int(m), minimum=1) for m in sizes])
    measured = np.array([standard_error(minibatch_means(rows, int(m), n_batches,
                                                        rng=[int(seed), int(m)],
                                                        replace=replace), g)
                         for m in sizes])
    theory = sigma / np.sqrt(sizes)
    if not replace:
        theory = theory * np.sqrt(np.maximum(n - sizes, 0) / max(n - 1, 1))
    return {"sizes": sizes, "measured": measured, "theory": theory, "sigma": sigma, "g": g,
            "n": n, "replace": replace}


def duplicate(X, y, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The training set (X, y) repeated k times: k·m examples, only m of them distinct."""
    k = check_int("k", k, minimum=1)
    return np.concatenate([np.asarray(X)] * k), np.concatenate([np.asarray(y)] * k)


def stream_batches(n: int, batch_size: int, order: str = "shuffled", epochs: int = 1,
                   rng=0) -> list[np.ndarray]:
    """Consecutive minibatches of ``batch_size`` indices over ``epochs`` passes of n examples.

    ``order``: ``"as given"`` (0, 1, 2, …: the order the data set came in, every epoch),
    ``"shuffle once"`` (one random order, reused every epoch) or ``"shuffled"`` (a new
    random order every epoch). The last batch of an epoch may be shorter.
    """
    n, batch_size = check_int("n", n, minimum=1), check_int("batch_size", batch_size, minimum=1)
    epochs = check_int("epochs", epochs, minimum=1)
    if order not in ("as given", "shuffle once", "shuffled"):
        raise ValueError(f"order must be 'as given', 'shuffle once' or 'shuffled', got {order!r}")
    rng = np.random.default_rng(rng)
    perm = np.arange(n) if order == "as given" else rng.permutation(n)
    batches = []
    for epoch in range(epochs):
        if order == "shuffled" and epoch > 0:
            perm = rng.permutation(n)
        batches += [perm[start:start + batch_size] for start in range(0, n, batch_size)]
    return batches


def run_on_batches(objective, optimizer, theta0, batches, monitor=None) -> dict:
    """Run any optimizer on ``objective`` with the minibatches in the order given (one step
    per batch), as ``run.minimize`` would if it drew exactly these batches.

    Returns ``thetas`` (steps + 1, dim), ``losses``: ``monitor(θ)`` after each step (row 0:
    θ₀; default: J(θ) on the whole training set, ``objective.loss``) and ``nexamples``, the
    examples the optimizer's evaluations read.
    """
    theta = as_vector("theta0", theta0, objective.dim)
    monitor = objective.loss if monitor is None else monitor
    state = optimizer.init(theta)
    counts = Counts()
    thetas, losses = [theta], [monitor(theta)]
    for batch in batches:
        theta, state = optimizer.step(theta, state, Oracle(objective, np.asarray(batch),
                                                           counts))
        thetas.append(np.asarray(theta, dtype=float))
        losses.append(monitor(theta))
    return {"thetas": np.array(thetas), "losses": np.array(losses), "nexamples":
            counts.nexamples}
