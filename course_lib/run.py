"""``minimize``: the one loop that runs any optimizer on any objective, and its ``Trace``."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from .validation import as_vector, check_int, check_positive


class DivergenceWarning(RuntimeWarning):
    """A run was stopped because the loss stopped being finite (or blew up)."""


@dataclass
class Counts:
    nfev: int = 0       # loss evaluations
    ngev: int = 0       # gradient evaluations
    nhev: int = 0       # Hessian evaluations and Hessian-vector products
    nexamples: int = 0  # training examples in those evaluations (the cost of an update)


class Oracle:
    """The objective bound to one step's minibatch, counting what the optimizer asks for."""

    def __init__(self, objective, batch=None, counts: Counts | None = None):
        self.objective, self.batch = objective, batch
        self.counts = Counts() if counts is None else counts

    @property
    def dim(self) -> int:
        return self.objective.dim

    def _touch(self) -> None:
        """Count the examples one evaluation reads: the minibatch, or the whole set."""
        n = getattr(self.objective, "n_examples", None)
        self.counts.nexamples += len(self.batch) if self.batch is not None else (n or 0)

    def loss(self, theta) -> float:
        self.counts.nfev += 1
        self._touch()
        return self.objective.loss(theta, self.batch)

    def grad(self, theta) -> np.ndarray:
        self.counts.ngev += 1
        self._touch()
        return self.objective.grad(theta, self.batch)

    def hessian(self, theta) -> np.ndarray:
        self.counts.nhev += 1
        self._touch()
        return self.objective.hessian(theta, self.batch)

    def hvp(self, theta, v) -> np.ndarray:
        self.counts.nhev += 1
        self._touch()
        return self.objective.hvp(theta, v, self.batch)


@dataclass
class Trace:
    """What a run did. Row 0 of the per-step arrays is the starting point; with
    ``record_every = 1`` (the default) row k is step k, else the rows are the steps in ``ks``.

    Memory: one row per recorded step (θ and the optimizer state), so a long run of a big
    model keeps memory flat with ``record_every`` large or None (first and last rows only).
    """

    thetas: np.ndarray          # (rows, dim): θ at step ks[0] = 0, ks[1], ...
    losses: np.ndarray          # J(θ) on the whole training set, (rows,)
    grad_norms: np.ndarray      # ‖∇J(θ)‖₂ on the whole training set, (rows,)
    lrs: np.ndarray             # ε_k used by the recorded steps ks[1:], (rows − 1,)
    states: list                # optimizer state after the recorded steps ks[1:], (rows − 1,)
    stop_reason: str            # "steps", "converged", "diverged" or "callback"
    message: str
    nfev: int = 0
    ngev: int = 0
    nhev: int = 0
    nexamples: int = 0          # examples read by those evaluations (0 for plain functions)
    wall_time: float = 0.0
    batches: list = field(default_factory=list, repr=False)   # every step's (record_every=1)
    ks: np.ndarray | None = None    # the step of each row (None: row k is step k)

    def __post_init__(self):
        if self.ks is None:
            self.ks = np.arange(len(self.thetas))

    @property
    def theta(self) -> np.ndarray:
        """The final (last finite) point."""
        return self.thetas[-1]

    @property
    def n_steps(self) -> int:
        """Steps taken (the last row is always the last step)."""
        return int(self.ks[-1])

    @property
    def loss(self) -> float:
        return float(self.losses[-1])

    def __repr__(self) -> str:
        return (f"Trace({self.n_steps} steps, stop_reason={self.stop_reason!r}, "
                f"loss={self.loss:.6g}, nfev={self.nfev}, ngev={self.ngev}, nhev={self.nhev})")


def minibatches(n_examples: int, batch_size: int, rng: np.random.Generator,
                sampling: str = "reshuffle") -> Iterator[np.ndarray]:
    """Endless minibatches of example indices.

    ``"reshuffle"``: a new random order every epoch, cut into consecutive batches (the last,
    shorter batch of an epoch is kept). ``"replacement"``: every batch drawn independently,
    with replacement. ``"fixed"``: one shuffle at the start, the same order every epoch.
    """
    if sampling not in ("reshuffle", "replacement", "fixed"):
        raise ValueError("sampling must be 'reshuffle', 'replacement' or 'fixed', "
                         f"got {sampling!r}")
    order = rng.permutation(n_examples)
    while True:
        if sampling == "replacement":
            yield rng.integers(0, n_examples, size=batch_size)
            continue
        for start in range(0, n_examples, batch_size):
            yield order[start:start + batch_size]
        if sampling == "reshuffle":
            order = rng.permutation(n_examples)


def minimize(objective, optimizer, theta0, steps: int, batch_size: int | None = None,
             rng=None, callback: Callable | None = None, tol: float | None = None,
             sampling: str = "reshuffle", blowup: float | None = 1e12,
             warn: bool = True, record_every: int | None = 1,
             record_grad_norm: bool = True) -> Trace:
    """Run ``optimizer`` on ``objective`` from ``theta0`` for at most ``steps`` steps.

    - ``batch_size``: examples per minibatch (None: the whole training set, i.e. batch
      methods). Only for objectives with ``n_examples``; ``rng`` (a seed or a numpy
      Generator) and ``sampling`` choose the minibatches.
    - ``tol``: stop with ``"converged"`` once ‖∇J(θ)‖∞ ≤ tol (scipy's ``gtol``).
    - A non-finite loss, or one whose size |J| exceeds ``blowup`` × (1 + |J(θ₀)|), upward or
      downward (a saddle or a plane is unbounded below), stops the run with ``"diverged"``
      and a ``DivergenceWarning`` (``warn=False``: no warning, for explorers and
      demonstrations that report ``stop_reason`` themselves); the trace keeps the last
      finite point. ``blowup=None`` lets a run go as far as the floats allow.
    - ``record_every``: keep θ, J, ‖∇J‖, ε and the state every this many steps (and always
      the first and the last step); None keeps only the first and the last. The trace's
      ``ks`` says which steps its rows are. The gradient norm of the steps in between is
      not computed (unless ``tol`` needs it), so a long run costs no memory per step.
    - ``record_grad_norm=False``: the rows' ‖∇J‖ are NaN (not computed). Each costs a
      gradient on the whole training set, as much as many minibatch steps; a
      demonstration that never shows it need not pay for it.
    - ``callback(k, theta, state)`` is called after each step; returning True stops the run.

    The counts ``nfev``, ``ngev``, ``nhev`` are the optimizer's own requests, and
    ``nexamples`` the training examples those requests read (a minibatch's size, or the whole
    set); the loss and gradient norm recorded for the trace are not counted.
    """
    steps = check_int("steps", steps, minimum=0)
    if record_every is not None:
        record_every = check_int("record_every", record_every, minimum=1)
    theta = as_vector("theta0", theta0, objective.dim)
    if not isinstance(record_grad_norm, bool):
        raise ValueError(f"record_grad_norm must be True or False, got {record_grad_norm!r}")
    norm = np.linalg.norm if record_grad_norm else (lambda grad: np.nan)
    if tol is not None:
        tol = check_positive("tol", tol, allow_zero=True)
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be callable or None, got {callback!r}")
    n_examples = getattr(objective, "n_examples", None)
    batches = None
    if batch_size is not None:
        if n_examples is None:
            raise ValueError("batch_size needs an objective with n_examples (a training set); "
                             f"{objective!r} is a plain function")
        batch_size = check_int("batch_size", batch_size, minimum=1)
        if batch_size > n_examples:
            raise ValueError(f"batch_size must be <= n_examples = {n_examples}, "
                             f"got {batch_size}")
        batches = minibatches(n_examples, batch_size, np.random.default_rng(rng), sampling)

    start = time.perf_counter()
    counts = Counts()
    state = optimizer.init(theta)
    loss = objective.loss(theta)
    if not np.isfinite(loss):
        raise ValueError(f"the loss at theta0 is not finite ({loss}); start elsewhere")
    limit = None if blowup is None else blowup * (1 + abs(loss))
    thetas, losses, ks = [theta], [loss], [0]
    grad = objective.grad(theta)
    grad_norms, lrs, states, used_batches = [norm(grad)], [], [], []
    last = None             # the latest step not recorded yet: (k, θ, J, state, ε)
    stop_reason, message = "steps", f"reached the step budget ({steps} steps)"
    if tol is not None and np.max(np.abs(grad)) <= tol:
        stop_reason, message = "converged", f"‖∇J‖∞ <= tol = {tol:g} at the start"
        steps = 0

    for k in range(1, steps + 1):
        batch = None if batches is None else next(batches)
        oracle = Oracle(objective, batch, counts)
        with np.errstate(over="ignore", invalid="ignore"):
            new_theta, new_state = optimizer.step(theta, state, oracle)
            new_theta = np.asarray(new_theta, dtype=float)
            new_loss = objective.loss(new_theta) if np.all(np.isfinite(new_theta)) else np.nan
        if not np.isfinite(new_loss) or (limit is not None and abs(new_loss) > limit):
            stop_reason = "diverged"
            message = (f"diverged at step {k}: the loss became {new_loss:.3g}; "
                       f"kept the last finite point (step {k - 1})")
            if warn:
                warnings.warn(message, DivergenceWarning, stacklevel=2)
            break
        theta, state = new_theta, new_state
        lr = optimizer.lr_at(k) if hasattr(optimizer, "lr_at") else np.nan
        if batch is not None and record_every == 1:
            used_batches.append(batch)
        record = record_every is not None and k % record_every == 0
        if (record and record_grad_norm) or tol is not None:
            with np.errstate(over="ignore", invalid="ignore"):
                grad = objective.grad(theta)
        if record:
            thetas.append(theta)
            losses.append(new_loss)
            ks.append(k)
            grad_norms.append(norm(grad))
            lrs.append(lr)
            states.append(state)
            last = None
        else:
            last = (k, theta, new_loss, state, lr)
        if tol is not None and np.max(np.abs(grad)) <= tol:
            stop_reason, message = "converged", f"‖∇J‖∞ <= tol = {tol:g} after {k} steps"
            break
        if callback is not None and callback(k, theta, state):
            stop_reason, message = "callback", f"the callback stopped the run after {k} steps"
            break

    if last is not None:                         # the last step is always a row
        k, theta, new_loss, state, lr = last
        with np.errstate(over="ignore", invalid="ignore"):
            grad_norms.append(norm(objective.grad(theta)) if record_grad_norm else np.nan)
        thetas.append(theta)
        losses.append(new_loss)
        ks.append(k)
        lrs.append(lr)
        states.append(state)
    return Trace(thetas=np.array(thetas), losses=np.array(losses),
                 grad_norms=np.array(grad_norms), lrs=np.array(lrs, dtype=float),
                 states=states, stop_reason=stop_reason, message=message,
                 nfev=counts.nfev, ngev=counts.ngev, nhev=counts.nhev,
                 nexamples=counts.nexamples,
                 wall_time=time.perf_counter() - start, batches=used_batches,
                 ks=np.array(ks))
