"""Seeded data generators: small training sets drawn from distributions we know.

Because the course draws its own data, the *true* risk (the expectation over the data
distribution, section 8.1) can be computed exactly and set beside the empirical risk that
training minimizes. Every generator takes ``seed``: an int or a numpy Generator; the same
int always gives the same data.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .validation import as_vector, check_int, check_positive


def _rng(seed) -> np.random.Generator:
    # None (fresh entropy) is refused on purpose: every data set of the course is replayable.
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer, np.random.Generator)):
        raise ValueError(f"seed must be an int or a numpy Generator, got {seed!r}")
    return np.random.default_rng(seed)


def _covariance(cov, n_features: int) -> np.ndarray:
    if cov is None:
        return np.eye(n_features)
    cov = np.array(cov, dtype=float)
    if cov.shape != (n_features, n_features):
        raise ValueError(f"cov has shape {cov.shape}, but n_features = {n_features} needs "
                         f"({n_features}, {n_features})")
    if not np.allclose(cov, cov.T) or np.linalg.eigvalsh(cov).min() <= 0:
        raise ValueError("cov must be symmetric positive definite")
    return cov


def linear_regression_data(m: int = 100, n_features: int = 2, noise: float = 0.5, seed=0,
                           cov=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, theta_true) with x ~ N(0, Σ), y = xᵀθ_true + noise·ε, ε ~ N(0, 1).

    θ_true is drawn from N(0, I); Σ = ``cov`` (default I). The true risk of any θ under
    the squared loss is then known in closed form: see ``true_risk_linear``.
    """
    m = check_int("m", m, minimum=1)
    n_features = check_int("n_features", n_features, minimum=1)
    noise = check_positive("noise", noise, allow_zero=True)
    cov = _covariance(cov, n_features)
    rng = _rng(seed)
    theta_true = rng.standard_normal(n_features)
    X = rng.standard_normal((m, n_features)) @ np.linalg.cholesky(cov).T
    y = X @ theta_true + noise * rng.standard_normal(m)
    return X, y, theta_true


def true_risk_linear(theta, theta_true, noise: float, cov=None) -> float:
    """E[½ (xᵀθ − y)²] exactly, for the distribution of ``linear_regression_data``.

    With d = θ − θ_true, xᵀθ − y = xᵀd − noise·ε where x and ε are independent with zero
    mean, so the expectation is ½ (dᵀΣd + noise²): the part the model can remove plus
    the noise floor that no θ can (the Bayes error).
    """
    theta_true = as_vector("theta_true", theta_true)
    d = as_vector("theta", theta, theta_true.size) - theta_true
    noise = check_positive("noise", noise, allow_zero=True)
    cov = _covariance(cov, theta_true.size)
    return float(0.5 * (d @ cov @ d + noise ** 2))


def two_gaussians(m: int = 200, seed=0, separation: float = 2.0
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(X, y): two round Gaussian clouds in 2-D, labels 0 and 1, for logistic regression.

    Class 0 is centred at −(separation/2)·u and class 1 at +(separation/2)·u, with
    u = (1, 1)/√2 and unit covariance; half the examples (rounded down) have label 1.
    Small ``separation`` gives overlapping classes, a large one separable data (on which
    the logistic loss has no minimizer: ‖θ‖ grows for ever).
    """
    m = check_int("m", m, minimum=2)
    separation = check_positive("separation", separation, allow_zero=True)
    rng = _rng(seed)
    y = rng.permutation(np.arange(m) < m // 2).astype(float)
    direction = np.array([1.0, 1.0]) / np.sqrt(2.0)
    X = rng.standard_normal((m, 2)) + np.outer(y - 0.5, separation * direction)
    return X, y


def two_moons(m: int = 200, noise: float = 0.1, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """(X, y): two interleaved half circles in 2-D, labels 0 and 1: no line separates them.

    Class 0 lies on the upper unit half circle, class 1 on a lower one shifted by (1, 0.5);
    ``noise`` is the standard deviation of Gaussian jitter added to every point.
    """
    m = check_int("m", m, minimum=2)
    noise = check_positive("noise", noise, allow_zero=True)
    rng = _rng(seed)
    y = rng.permutation(np.arange(m) < m // 2).astype(float)
    angle = rng.uniform(0.0, np.pi, size=m)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    X = np.where(y[:, None] == 1, lower, upper) + noise * rng.standard_normal((m, 2))
    return X, y


def xor_blobs(m: int = 200, noise: float = 0.3, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """(X, y): four Gaussian blobs at (±1, ±1), label 1 where the signs differ (XOR).

    The classic problem a linear model cannot solve and one hidden layer can.
    """
    m = check_int("m", m, minimum=4)
    noise = check_positive("noise", noise, allow_zero=True)
    rng = _rng(seed)
    signs = rng.choice([-1.0, 1.0], size=(m, 2))
    X = signs + noise * rng.standard_normal((m, 2))
    y = (signs[:, 0] != signs[:, 1]).astype(float)
    return X, y


def sine_regression(m: int = 100, noise: float = 0.1, seed=0
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) with x ~ U(−π, π) as an (m, 1) array and y = sin x + noise·ε, ε ~ N(0, 1).

    A 1-D regression task for a small MLP: the fit can be drawn as a curve.
    """
    m = check_int("m", m, minimum=1)
    noise = check_positive("noise", noise, allow_zero=True)
    rng = _rng(seed)
    x = rng.uniform(-np.pi, np.pi, size=m)
    return x[:, None], np.sin(x) + noise * rng.standard_normal(m)


# --- a small real data set ------------------------------------------------------------------
@dataclass(frozen=True)
class Split:
    """A seeded train / validation / test split: arrays of features X (rows) and labels y."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    classes: tuple

    def __repr__(self) -> str:
        return (f"Split(train={len(self.y_train)}, val={len(self.y_val)}, "
                f"test={len(self.y_test)}, features={self.X_train.shape[1]}, "
                f"classes={self.classes})")


@functools.lru_cache(maxsize=1)
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    # scikit-learn ships the 1,797 8×8 images inside the package: nothing is downloaded.
    # The file is read directly, without importing scikit-learn (which takes a second or
    # two); load_digits is the fallback should the file move in a later release.
    package = importlib.util.find_spec("sklearn")
    path = (Path(package.origin).parent / "datasets" / "data" / "digits.csv.gz"
            if package is not None and package.origin else None)
    if path is not None and path.is_file():
        table = np.loadtxt(path, delimiter=",")
        pixels, target = table[:, :-1], table[:, -1]
    else:
        from sklearn.datasets import load_digits

        bunch = load_digits()
        pixels, target = bunch.data, bunch.target
    X, y = pixels / 16.0, target.astype(int)    # pixels in [0, 1]
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def digits(classes=None, fractions=(0.6, 0.2, 0.2), seed=0) -> Split:
    """The 8×8 handwritten digits (UCI, as bundled with scikit-learn), split with a seed.

    ``classes``: None for all ten digits (labels 0…9), or a tuple of digits to keep, whose
    labels become 0, 1, … in the order given: ``digits(classes=(3, 8))`` is a binary task
    with label 1 for an 8. Pixels are scaled to [0, 1] (64 features). ``fractions``: the
    shares of train, validation and test examples (they must add up to 1); the split is
    stratified, so every part has each class in the same proportion.
    """
    X, y = _digits_arrays()
    if classes is None:
        classes = tuple(range(10))
    classes = tuple(int(c) for c in classes)
    if len(classes) < 2 or len(set(classes)) != len(classes) or not set(classes) <= set(range(10)):
        raise ValueError(f"classes must be None or two or more distinct digits 0-9, got {classes}")
    fractions = tuple(float(f) for f in fractions)
    if len(fractions) != 3 or min(fractions) < 0 or abs(sum(fractions) - 1.0) > 1e-9:
        raise ValueError(f"fractions must be three shares >= 0 adding up to 1, got {fractions}")
    rng = _rng(seed)
    parts = ([], [], [])
    for label, digit in enumerate(classes):
        rows = rng.permutation(np.flatnonzero(y == digit))
        n_train = round(fractions[0] * len(rows))
        n_val = round(fractions[1] * len(rows))
        for part, chunk in zip(parts, np.split(rows, [n_train, n_train + n_val]), strict=True):
            part.append((chunk, label))
    arrays = []
    for part in parts:
        rows = np.concatenate([chunk for chunk, _ in part])
        labels = np.concatenate([np.full(len(chunk), label) for chunk, label in part])
        order = rng.permutation(len(rows))         # classes interleaved, not in blocks
        arrays += [X[rows[order]].copy(), labels[order].astype(int)]
    return Split(*arrays, classes=classes)
