"""Meta-training the learned rule g_φ by evolution strategies (ES), with the course's Adam.

The meta-loss of φ on a batch of problems is how far the rule gets, on average over an
unroll of T steps, in decades of excess loss:

    L(φ) = mean over problems b and steps t = 1..T of log₁₀((J_b(θ_t) − J*_b)/(J_b(θ₀) − J*_b)),

each term clipped to [−``floor``, ``cap``] (a diverged run counts as ``cap`` decades worse,
a solved one cannot earn more than ``floor``). The mean over the unroll rewards getting
low early *and* staying low.

Its gradient is estimated by antithetic ES (Salimans et al. 2017): draw K directions
εₖ ~ N(0, I), run the rule at φ ± σεₖ on the same fresh batch of problems, and take

    ∇L ≈ (1/(2Kσ)) Σₖ (L(φ + σεₖ) − L(φ − σεₖ)) εₖ.

ES needs no derivative of the unroll (no back-propagation through T steps of the rule,
no hand-written adjoint), works with the clipped, non-smooth meta-loss, and has no
truncation bias. ``MetaObjective`` is the meta-loss in the ``Objective`` shape, with this
estimate as its (noisy) gradient, so meta-training is ``minimize(MetaObjective(...),
Adam(...), φ₀, steps)``: the course's Adam learns the optimizer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..objectives.base import Objective
from ..optim import Adam
from ..run import Trace, minimize
from ..validation import check_int, check_positive
from .families import QuadraticBatch, random_quadratics
from .rule import N_PHI, from_readable, update

FLOOR, CAP = 12.0, 3.0


def unroll(phi, batch: QuadraticBatch, steps: int, record: bool = False):
    """Run g_φ for ``steps`` steps on every problem of ``batch``.

    ``phi``: shape (4,) or (P, 4) (P rules at once). Returns the log₁₀ excess-loss ratios,
    clipped, of shape (P, steps, B) (or (steps, B) for one φ); with ``record``, also the
    iterates θ_t of shape (..., steps + 1, B, n).
    """
    phi = np.asarray(phi, dtype=float)
    single = phi.ndim == 1
    phis = np.atleast_2d(phi)[:, None, None, :]                    # (P, 1, 1, 4)
    theta = np.broadcast_to(batch.theta0, (len(phis),) + batch.theta0.shape).copy()
    s, r = np.zeros_like(theta), np.zeros_like(theta)
    start = batch.excess(theta)
    ratios, path = [], [theta.copy()] if record else None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(1, steps + 1):
            delta, s, r = update(phis, batch.grad(theta), s, r, t)
            theta = theta + delta
            ratios.append(np.log10(batch.excess(theta) / start))
            if record:
                path.append(theta.copy())
    out = np.stack(ratios, axis=1)
    out = np.clip(np.where(np.isfinite(out), out, CAP), -FLOOR, CAP)
    if single:
        out = out[0]
    if record:
        path = np.stack(path, axis=1)
        return out, (path[0] if single else path)
    return out


def meta_loss(phi, batch: QuadraticBatch, steps: int) -> np.ndarray:
    """L(φ) (see the module docstring) for one φ (a number) or for P of them (P,)."""
    return unroll(phi, batch, steps).mean(axis=(-2, -1))


class MetaObjective(Objective):
    """The meta-loss of the rule as an ``Objective`` in φ (dim 4).

    ``loss(φ)``: L on a fixed batch (``train``); ``grad(φ)``: the antithetic ES estimate on
    a fresh batch drawn by ``family(seed)`` at every call (seeds from ``seed`` on), with
    ``pairs`` directions of size ``sigma``. Each gradient costs 2·``pairs`` unrolls, all
    run at once. Asked twice in a row at the same φ (``minimize`` asks once for its record,
    then once for the next step), it returns the same estimate instead of a second one.
    """

    dim = N_PHI
    name = "meta-loss of the learned rule"

    def __init__(self, family: Callable, steps: int = 40, pairs: int = 8, sigma: float = 0.1,
                 seed: int = 0, train: QuadraticBatch | None = None):
        self.family = family
        self.steps = check_int("steps", steps, minimum=1)
        self.pairs = check_int("pairs", pairs, minimum=1)
        self.sigma = check_positive("sigma", sigma)
        self.seed = int(seed)
        self.rng = np.random.default_rng([self.seed, 0])
        self.train = family(self.seed) if train is None else train
        self.calls = 0
        self._last = (None, None)

    def loss(self, theta, batch=None) -> float:
        return float(meta_loss(theta, self.train, self.steps))

    def grad(self, theta, batch=None) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        key = theta.tobytes()
        if self._last[0] == key:
            return self._last[1].copy()
        self.calls += 1
        problems = self.family(self.seed + self.calls)      # a fresh batch every call
        eps = self.rng.standard_normal((self.pairs, N_PHI))
        phis = np.concatenate([theta + self.sigma * eps, theta - self.sigma * eps])
        losses = meta_loss(phis, problems, self.steps)
        diff = losses[:self.pairs] - losses[self.pairs:]
        estimate = (diff[:, None] * eps).sum(axis=0) / (2 * self.pairs * self.sigma)
        self._last = (key, estimate)
        return estimate.copy()


def training_family(dim: int = 8, size: int = 16) -> Callable:
    """seed → a batch of ``random_quadratics`` (the family the rule learns on)."""
    return lambda seed: random_quadratics(size=size, dim=dim, seed=seed)


# A neutral start: half momentum, half normalized, a loose clip, a small step.
PHI0 = from_readable(eta=0.01, a=0.5, p=0.5, c=10.0)


@dataclass(frozen=True, eq=False)
class MetaResult:
    """What meta-training found: ``phi`` and the run of the meta-optimizer (``trace``:
    ``trace.losses`` is the meta-training curve, ``trace.thetas`` the path of φ)."""

    phi: np.ndarray
    trace: Trace
    objective: MetaObjective


def meta_train(family: Callable | None = None, iterations: int = 150, steps: int = 40,
               pairs: int = 8, sigma: float = 0.1, lr: float = 0.05, seed: int = 0,
               phi0=None) -> MetaResult:
    """Learn φ on ``family`` (default ``training_family()``): ``iterations`` steps of Adam
    (ε = ``lr``) on the ES estimate of ∇L, each on a fresh batch, unrolls of ``steps``
    steps. Seeded: the same arguments give the same φ. Returns a ``MetaResult``."""
    family = training_family() if family is None else family
    objective = MetaObjective(family, steps=steps, pairs=pairs, sigma=sigma, seed=seed)
    start = PHI0 if phi0 is None else np.asarray(phi0, dtype=float)
    trace = minimize(objective, Adam(lr=lr), start, check_int("iterations", iterations),
                     blowup=None, warn=False)
    return MetaResult(phi=trace.theta.copy(), trace=trace, objective=objective)
