"""The running example of notebook ``03_sgd_schedules``, and many SGD runs at once.

Linear regression with noisy labels (``task``), and ``sgd_runs``: a vectorized copy of
``minimize(objective, SGD(lr), ...)`` for linear regression that runs many seeds (and many
learning rates) at once. With the same seed it draws the same minibatches and gives the same
iterates as ``minimize`` (a test checks this), only a hundred times faster, which the
notebook's many-seed sweeps need.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np

from ... import data
from ...objectives import LinearRegression
from ...run import minibatches

FIGSIZE = (10.5, 4.4)      # 13-pt text shows at ≥ 9 px in a 7.5-in wide notebook


# The running example: linear regression with noisy labels. Three well-scaled input
# directions and one weak one (variance 0.03): the weak direction is what a small learning
# rate never finishes, the noise is what a large constant rate never gets rid of.
FEATURE_EIGENVALUES = (1.0, 1.0, 1.0, 0.03)
NOISE = 1.0
N_TRAIN = 1000
DATA_SEED = 0
START_OFFSET = 2.5      # θ₀ = θ* − 2.5 in every coordinate


@dataclass(frozen=True, eq=False)
class RegressionTask:
    """A linear-regression training set, its minimizer θ* and everything derived from it.

    ``H = XᵀX/n`` is the Hessian, so J(θ) − J* = ½ (θ − θ*)ᵀ H (θ − θ*) exactly: the
    excess training loss of many runs at once costs one small matrix product.
    """

    objective: LinearRegression
    X: np.ndarray
    y: np.ndarray
    H: np.ndarray
    theta_star: np.ndarray
    j_star: float
    theta0: np.ndarray
    grad_cov_trace: float       # tr Σ_g: per-example gradient variance at θ* (summed)

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def dim(self) -> int:
        return self.X.shape[1]

    def excess(self, thetas) -> np.ndarray:
        """J(θ) − J* for θ of shape (..., dim)."""
        D = np.asarray(thetas, dtype=float) - self.theta_star
        return 0.5 * np.einsum("...i,ij,...j->...", D, self.H, D)


def _covariance(eigenvalues) -> np.ndarray:
    d = len(eigenvalues)
    Q, _ = np.linalg.qr(np.random.default_rng(123).standard_normal((d, d)))
    return Q @ np.diag(eigenvalues) @ Q.T


@functools.lru_cache(maxsize=16)
def task(n: int = N_TRAIN, seed: int = DATA_SEED, eigenvalues=FEATURE_EIGENVALUES,
         noise: float = NOISE) -> RegressionTask:
    """The running example (cached: treat its arrays as read-only)."""
    X, y, _ = data.linear_regression_data(n, len(eigenvalues), noise, seed,
                                          cov=_covariance(eigenvalues))
    objective = LinearRegression(X, y)
    H = X.T @ X / n
    theta_star = np.linalg.solve(H, X.T @ y / n)
    residual = X @ theta_star - y
    per_example = X * residual[:, None]           # ∇L⁽ⁱ⁾ at θ*; their mean is 0
    return RegressionTask(objective=objective, X=X, y=y, H=H, theta_star=theta_star,
                          j_star=objective.loss(theta_star),
                          theta0=theta_star - START_OFFSET,
                          grad_cov_trace=float(np.mean(np.sum(per_example ** 2, axis=1))))


def batch_indices(n: int, batch_size: int, seed: int, steps: int,
                  sampling: str = "replacement") -> list[np.ndarray]:
    """The first ``steps`` minibatches ``minimize(..., rng=seed, sampling=...)`` draws."""
    if sampling == "replacement":       # the same stream, drawn in one call
        rng = np.random.default_rng(seed)
        rng.permutation(n)
        return list(rng.integers(0, n, size=(steps, batch_size)))
    return list(itertools.islice(minibatches(n, batch_size, np.random.default_rng(seed),
                                             sampling), steps))


def sgd_runs(task: RegressionTask, lrs, batch_size: int, seeds, steps: int,
             sampling: str = "replacement", theta0=None, record=None) -> np.ndarray:
    """Algorithm 8.1 on ``task`` for many runs at once; returns J(θ_k) − J*.

    - ``lrs``: a schedule (every run uses it) or an array (runs, steps) of ε_k, one row
      per run; ``seeds``: one per run (the minibatch stream of ``minimize(rng=seed)``).
    - ``record``: the steps k at which to record (default: every step, 0..steps).

    Returns an array (len(record), runs). A run that blows up gives inf or nan, no warning.
    """
    seeds = list(seeds)
    runs = len(seeds)
    if callable(lrs):
        lrs = np.tile(np.asarray(lrs(np.arange(1, steps + 1, dtype=float))), (runs, 1))
    lrs = np.asarray(lrs, dtype=float)
    if lrs.shape != (runs, steps):
        raise ValueError(f"lrs must have shape (runs, steps) = ({runs}, {steps}), "
                         f"got {lrs.shape}")
    record = np.arange(steps + 1) if record is None else np.asarray(record, dtype=int)
    wanted = set(record.tolist())
    X, y = task.X, task.y
    per_run = [batch_indices(task.n, batch_size, s, steps, sampling) for s in seeds]
    same_size = sampling == "replacement" or task.n % batch_size == 0
    if same_size:
        all_batches = np.stack([np.asarray(b) for b in per_run], axis=1)  # (steps, runs, B)
    theta = np.tile(task.theta0 if theta0 is None else np.asarray(theta0, float), (runs, 1))
    out, found = np.full((len(record), runs), np.nan), {}
    if 0 in wanted:
        found[0] = task.excess(theta)
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            index = all_batches[k - 1] if same_size else np.stack([b[k - 1] for b in per_run])
            Xb = X[index]                                                # (runs, B, d)
            residual = np.einsum("rbd,rd->rb", Xb, theta) - y[index]
            g = np.einsum("rbd,rb->rd", Xb, residual) / index.shape[1]   # minibatch gradient
            theta = theta - lrs[:, k - 1:k] * g                          # θ ← θ − ε_k g
            if k in wanted:
                found[k] = task.excess(theta)
    for i, k in enumerate(record):
        out[i] = found[int(k)]
    return out


def mean_curve(excess: np.ndarray) -> np.ndarray:
    """The average over runs (axis 1); a run that blew up makes the average inf."""
    with np.errstate(all="ignore"):
        return np.where(np.all(np.isfinite(excess), axis=1), np.mean(excess, axis=1), np.inf)


def describe_task(t: RegressionTask) -> str:
    """Two lines: the size of the running example, its Hessian's eigenvalues, J* and J(θ₀)."""
    return (f"n = {t.n} examples, {t.dim} parameters; eigenvalues of H = XᵀX/n: "
            f"{np.round(np.linalg.eigvalsh(t.H), 3)}\n"
            f"J* = {t.j_star:.4f}, J(θ₀) − J* = {t.excess(t.theta0):.3f}")
