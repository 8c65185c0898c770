"""A task whose difficulty is a real, tunable property of each example: noisy digits.

Each training image of a binary digit task (``course_lib.data.digits``) is corrupted by
Gaussian pixel noise of one of a few standard deviations, its *difficulty level*: level 0 is
the clean image, the top level is barely legible. The target distribution, on which the
model is judged, has every level in equal shares; the test set holds every test image once
at every level (fresh noise), so the test loss is measured over all difficulties at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import digits
from ..validation import as_vector


@dataclass(frozen=True)
class DifficultyTask:
    """Training examples with a difficulty level each, and a test set over all levels."""

    X: np.ndarray            # (m, features) training inputs
    y: np.ndarray            # (m,) labels in {0, 1}
    level: np.ndarray        # (m,) difficulty level of each training example, 0 = easiest
    X_test: np.ndarray
    y_test: np.ndarray
    level_test: np.ndarray
    noise: tuple             # the noise standard deviation of each level
    name: str

    @property
    def n_levels(self) -> int:
        return len(self.noise)

    def counts(self) -> np.ndarray:
        """How many training examples each level has."""
        return np.bincount(self.level, minlength=self.n_levels)


def noisy_digits(classes=(4, 9), noise=(0.0, 0.5, 1.0, 1.5, 2.0), seed: int = 0,
                 fractions=(0.7, 0.0, 0.3)) -> DifficultyTask:
    """The digits ``classes`` (label 1 for the second), each training image at a random level
    of pixel noise ``noise`` (standard deviations, pixels in [0, 1]); the same images for
    every ``seed``, the levels and the noise drawn from it."""
    noise = tuple(float(s) for s in as_vector("noise", noise))
    if len(noise) < 2 or any(s < 0 for s in noise) or list(noise) != sorted(noise):
        raise ValueError(f"noise must be >= 2 increasing standard deviations >= 0, got {noise}")
    split = digits(classes=classes, fractions=fractions, seed=0)
    rng = np.random.default_rng(seed)
    sd = np.array(noise)
    level = rng.integers(0, len(noise), size=len(split.y_train))
    X = split.X_train + sd[level, None] * rng.standard_normal(split.X_train.shape)
    level_test = np.repeat(np.arange(len(noise)), len(split.y_test))
    X_test = np.tile(split.X_test, (len(noise), 1))
    X_test = X_test + sd[level_test, None] * rng.standard_normal(X_test.shape)
    return DifficultyTask(X=X, y=split.y_train.astype(float), level=level, X_test=X_test,
                          y_test=np.tile(split.y_test, len(noise)).astype(float),
                          level_test=level_test, noise=noise,
                          name=f"{classes[0]} against {classes[1]}, pixel noise {noise}")
