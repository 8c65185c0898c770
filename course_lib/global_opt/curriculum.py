"""Section 8.7.6, curriculum learning (Bengio et al. 2009): which examples, in which order.

A curriculum is a sampler: at step k of a budget of K steps it draws the minibatch from a
distribution w_k over the training examples. Training then follows the gradient of

    J_k(θ) = Σᵢ w_k(i) L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾),

a family of objectives that starts on the easy examples and ends at the target J (w uniform):
a continuation method in which the reweighting plays the part of the blur. Every sampler
here knows its ``probabilities(k)`` (the weights w_k) and its ``level_shares(k)``.

- ``Uniform``: the baseline, w_k uniform from the start;
- ``Deterministic``: easy to hard in order: stage s of the curriculum draws only from
  difficulty level s (the "naive" strategy of Zaremba & Sutskever 2014);
- ``Stochastic`` (Zaremba & Sutskever's mixed strategy): every minibatch mixes a share
  ``mix`` drawn from all examples with the rest drawn from the levels unlocked so far, so
  hard examples are always present and their expected share rises stage by stage;
- ``SelfPaced`` (Kumar, Packer & Koller 2010): the model chooses: the pool is the fraction
  of examples with the smallest current loss, growing to all of them;
- ``AntiCurriculum``: ``Deterministic`` with the levels reversed, hard first.

The curriculum occupies the first ``pace``·K steps, in equal stages, one per level; after it
every sampler draws uniformly (the target distribution). ``train_with_curriculum`` trains
a logistic model with any course optimizer on the sampler's minibatches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..run import Counts, Oracle
from ..validation import check_int, check_interval


class Sampler:
    """Uniform sampling, and what every curriculum shares (levels, stages, the budget)."""

    name = "uniform"
    needs_losses = False

    def __init__(self, level, steps: int, batch_size: int, pace: float = 0.5):
        level = np.asarray(level)
        if level.ndim != 1 or level.size == 0 or level.dtype.kind not in "iu" or level.min() < 0:
            raise ValueError("level must be a non-empty 1-D array of integer levels >= 0")
        self.level = level
        self.n_levels = int(level.max()) + 1
        self.steps = check_int("steps", steps, minimum=1)
        self.batch_size = check_int("batch_size", batch_size, minimum=1)
        self.pace = check_interval("pace", pace, 0.0, 1.0, closed_low=False, closed_high=True)
        self.n = level.size
        self._cdf: dict = {}                     # stage → cumulative weights

    def stage(self, k: int) -> int | None:
        """The curriculum stage (0 … L − 1) of step k = 0 … K − 1, None once it is over."""
        end = self.pace * self.steps
        if k >= end:
            return None
        return min(self.n_levels - 1, int(k * self.n_levels / end))

    def _uniform_over(self, mask: np.ndarray) -> np.ndarray:
        return mask / mask.sum()

    def probabilities(self, k: int, losses=None) -> np.ndarray:
        """w_k: the probability of each training example at step k (the curriculum's weights)."""
        return np.full(self.n, 1.0 / self.n)

    def level_shares(self, k: int, losses=None) -> np.ndarray:
        """The expected share of each difficulty level in the minibatch of step k."""
        return np.bincount(self.level, weights=self.probabilities(k, losses),
                           minlength=self.n_levels)

    def batch(self, k: int, rng: np.random.Generator, losses=None) -> np.ndarray:
        """The example indices of the minibatch of step k, drawn with replacement from w_k
        (inverse transform sampling: u ~ U[0, 1) looked up in the cumulative weights)."""
        if self.needs_losses:
            cdf = np.cumsum(self.probabilities(k, losses))
        else:                                    # w_k is constant within a stage
            key = self.stage(k)
            if key not in self._cdf:
                self._cdf[key] = np.cumsum(self.probabilities(k))
            cdf = self._cdf[key]
        u = rng.random(self.batch_size) * cdf[-1]
        return np.minimum(np.searchsorted(cdf, u, side="right"), self.n - 1)


Uniform = Sampler


class Deterministic(Sampler):
    """Stage s draws only from level s, easiest first; the target distribution afterwards."""

    name = "deterministic"
    reverse = False

    def probabilities(self, k, losses=None):
        s = self.stage(k)
        if s is None:
            return super().probabilities(k)
        wanted = self.n_levels - 1 - s if self.reverse else s
        return self._uniform_over(self.level == wanted)


class AntiCurriculum(Deterministic):
    """Hard to easy: stage s draws only from level L − 1 − s."""

    name = "anti-curriculum"
    reverse = True


class Stochastic(Sampler):
    """w_k = (1 − mix)·(uniform over the levels ≤ stage) + mix·(uniform over all examples)."""

    name = "stochastic"

    def __init__(self, level, steps, batch_size, pace=0.5, mix: float = 0.25):
        super().__init__(level, steps, batch_size, pace)
        self.mix = check_interval("mix", mix, 0.0, 1.0, closed_low=False, closed_high=True)

    def probabilities(self, k, losses=None):
        s = self.stage(k)
        uniform = super().probabilities(k)
        if s is None:
            return uniform
        return (1 - self.mix) * self._uniform_over(self.level <= s) + self.mix * uniform


class SelfPaced(Sampler):
    """The pool is the share f_k of examples with the smallest current loss, f_k rising
    linearly from ``start`` to 1 over the curriculum; uniform within the pool."""

    name = "self-paced"
    needs_losses = True

    def __init__(self, level, steps, batch_size, pace=0.5, start: float = 0.3):
        super().__init__(level, steps, batch_size, pace)
        self.start = check_interval("start", start, 0.0, 1.0, closed_low=False,
                                    closed_high=True)

    def share(self, k: int) -> float:
        return min(1.0, self.start + (1 - self.start) * k / (self.pace * self.steps))

    def probabilities(self, k, losses=None):
        if losses is None:
            raise ValueError("the self-paced sampler needs the current per-example losses")
        size = int(np.ceil(self.share(k) * self.n))
        pool = np.zeros(self.n, dtype=bool)
        pool[np.argsort(np.asarray(losses), kind="stable")[:size]] = True
        return self._uniform_over(pool)


SAMPLERS = {"uniform": Uniform, "deterministic": Deterministic, "stochastic": Stochastic,
            "self-paced": SelfPaced, "anti-curriculum": AntiCurriculum}


def make_sampler(name: str, level, steps: int, batch_size: int, pace: float = 0.5, **extra):
    """The sampler called ``name`` (a key of ``SAMPLERS``)."""
    if name not in SAMPLERS:
        raise ValueError(f"name must be one of {list(SAMPLERS)}, got {name!r}")
    if name == "uniform":
        return Uniform(level, steps, batch_size, pace)
    return SAMPLERS[name](level, steps, batch_size, pace, **extra)


def example_losses(objective, theta, X=None, y=None) -> np.ndarray:
    """Per-example negative log-likelihood of a logistic model (``predict`` gives p(y = 1|x))."""
    X = objective.X if X is None else X
    y = objective.y if y is None else np.asarray(y, dtype=float)
    p = np.clip(objective.predict(theta, X), 1e-12, 1 - 1e-12)
    return -(y * np.log(p) + (1 - y) * np.log1p(-p))


@dataclass
class CurriculumRun:
    """One training run on a sampler's minibatches."""

    theta: np.ndarray
    checkpoints: np.ndarray     # steps at which the test set was measured
    test_loss: np.ndarray       # mean test NLL at each checkpoint
    test_accuracy: np.ndarray   # test accuracy at each checkpoint
    level_counts: np.ndarray    # (checkpoints − 1, L): examples drawn from each level
                                # between consecutive checkpoints
    nexamples: int              # examples read by the gradients (the training budget)
    nranking: int               # examples read only to rank them (self-paced), not trained on


def train_with_curriculum(objective, optimizer, theta0, sampler: Sampler, seed=0,
                          X_test=None, y_test=None, n_checkpoints: int = 10,
                          refresh: int = 10) -> CurriculumRun:
    """Train ``objective`` (a logistic model) for ``sampler.steps`` steps of ``optimizer``
    on the sampler's minibatches; measure the test loss at ``n_checkpoints`` + 1 evenly
    spaced steps. A self-paced sampler ranks the examples by their loss every ``refresh``
    steps (those reads are counted apart, in ``nranking``)."""
    rng = np.random.default_rng(seed)
    theta, counts = np.array(theta0, dtype=float), Counts()
    state = optimizer.init(theta)
    K = sampler.steps
    marks = set(np.linspace(0, K, check_int("n_checkpoints", n_checkpoints, minimum=1) + 1)
                .round().astype(int).tolist())
    refresh = check_int("refresh", refresh, minimum=1)
    X_test = objective.X if X_test is None else X_test
    y_test = objective.y if y_test is None else y_test
    checkpoints, test_loss, test_acc = [], [], []
    level_counts = np.zeros((len(marks) - 1, sampler.n_levels), dtype=int)
    losses, nranking = None, 0
    for k in range(K + 1):
        if k in marks:
            p = objective.predict(theta, X_test)
            checkpoints.append(k)
            test_loss.append(float(example_losses(objective, theta, X_test, y_test).mean()))
            test_acc.append(float(np.mean((p > 0.5) == (np.asarray(y_test) > 0.5))))
        if k == K:
            break
        if sampler.needs_losses and k % refresh == 0:
            losses = example_losses(objective, theta)
            nranking += sampler.n
        batch = sampler.batch(k, rng, losses)
        level_counts[len(checkpoints) - 1] += np.bincount(sampler.level[batch],
                                                          minlength=sampler.n_levels)
        theta, state = optimizer.step(theta, state, Oracle(objective, batch, counts))
    return CurriculumRun(theta=theta, checkpoints=np.array(checkpoints),
                         test_loss=np.array(test_loss), test_accuracy=np.array(test_acc),
                         level_counts=level_counts, nexamples=counts.nexamples,
                         nranking=nranking)
