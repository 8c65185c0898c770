"""Gradient noise for the prototype problems: what a minibatch does to the gradient, in five
stated distributions (Schaul, Antonoglou & Silver 2014).

A noise model turns the exact derivative g of each coordinate into a random g̃, drawn from
a seeded ``numpy.random.Generator`` at every evaluation (so a run is replayable):

| noise | g̃ | mean | variance |
|---|---|---|---|
| ``Exact()`` | g | g | 0 |
| ``Additive(σ)`` | g + σ ξ, ξ ~ N(0, 1) | g | σ² |
| ``Multiplicative(σ)`` | g (1 + σ ξ) | g | σ² g² |
| ``Cauchy(γ)`` | g + γ C, C standard Cauchy | none (median g) | infinite: tail index 1 |
| ``MaskOut(p)`` | the whole vector g / (1 − p) with probability 1 − p, else 0 | g | g² p/(1 − p) |
| ``Sparse(p)`` | each coordinate g_i / p_i with probability p_i, else 0 | g | g² (1 − p)/p |

Every model is unbiased (Cauchy has no mean: its median is g), so the loss the optimizer is
judged on is the noise-free one. Heavy tails: P(|g̃ − g| > x) ≈ 2γ/(πx) for the Cauchy,
a tail index of 1, so a single draw can be arbitrarily large. ``MaskOut`` drops whole
evaluations (a minibatch that carried no information); ``Sparse`` drops coordinates
independently, each with its own frequency p_i (rare features, AdaGrad's favourite case).
"""

from __future__ import annotations

import numpy as np

from ..validation import check_interval, check_positive


class Noise:
    """Base class: ``sample(g, rng)`` returns g̃ for one evaluation (g: a 1-D array)."""

    name = "exact"

    def sample(self, g: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def sample_rows(self, G: np.ndarray, rngs) -> np.ndarray:
        """``sample`` for each row of G, row r from ``rngs[r]`` (a new array)."""
        out = np.empty_like(G)
        for r, rng in enumerate(rngs):
            out[r] = self.sample(G[r], rng)
        return out

    def mean(self, g):
        """E[g̃] (every model here is unbiased; the Cauchy's is its median)."""
        return np.asarray(g, dtype=float)

    def variance(self, g):
        """Var[g̃], coordinate by coordinate (inf for the Cauchy)."""
        raise NotImplementedError

    def label(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.label()})"


class Exact(Noise):
    """No noise: g̃ = g."""

    name = "exact"

    def sample(self, g, rng):
        return np.array(g, dtype=float)

    def variance(self, g):
        return np.zeros_like(np.asarray(g, dtype=float))


class Additive(Noise):
    """g̃ = g + σ ξ with ξ ~ N(0, 1): the classic minibatch noise, the same size everywhere."""

    name = "additive"

    def __init__(self, sigma: float = 1.0):
        self.sigma = check_positive("sigma", sigma)

    def sample(self, g, rng):
        return g + self.sigma * rng.standard_normal(g.shape)

    def variance(self, g):
        return np.full_like(np.asarray(g, dtype=float), self.sigma ** 2)

    def label(self):
        return f"σ = {self.sigma:g}"


class Multiplicative(Noise):
    """g̃ = g (1 + σ ξ): noise proportional to the gradient, so it vanishes at a minimum."""

    name = "multiplicative"

    def __init__(self, sigma: float = 1.0):
        self.sigma = check_positive("sigma", sigma)

    def sample(self, g, rng):
        return g * (1.0 + self.sigma * rng.standard_normal(g.shape))

    def variance(self, g):
        return self.sigma ** 2 * np.asarray(g, dtype=float) ** 2

    def label(self):
        return f"σ = {self.sigma:g}"


class Cauchy(Noise):
    """g̃ = g + γ C with C standard Cauchy: heavy tails (tail index 1), no mean, no variance;
    the median of g̃ is g and its interquartile range is 2γ."""

    name = "Cauchy"

    def __init__(self, gamma: float = 0.1):
        self.gamma = check_positive("gamma", gamma)

    def sample(self, g, rng):
        return g + self.gamma * rng.standard_cauchy(g.shape)

    def variance(self, g):
        return np.full_like(np.asarray(g, dtype=float), np.inf)

    tail_index = 1.0

    def label(self):
        return f"γ = {self.gamma:g}"


class MaskOut(Noise):
    """With probability p the whole gradient is lost (g̃ = 0), else g̃ = g/(1 − p)."""

    name = "mask-out"

    def __init__(self, p: float = 0.5):
        self.p = check_interval("p", p, 0.0, 1.0)

    def sample(self, g, rng):
        keep = rng.random() >= self.p
        return g / (1.0 - self.p) if keep else np.zeros_like(g)

    def variance(self, g):
        return np.asarray(g, dtype=float) ** 2 * self.p / (1.0 - self.p)

    def label(self):
        return f"p = {self.p:g}"


class Sparse(Noise):
    """Coordinate i is seen with probability p_i (g̃_i = g_i/p_i), else g̃_i = 0.

    ``p``: one frequency for every coordinate, or one per coordinate (rare and frequent
    features side by side).
    """

    name = "sparse"

    def __init__(self, p=0.1):
        p = np.atleast_1d(np.asarray(p, dtype=float))
        if p.ndim != 1 or not np.all((p > 0) & (p <= 1)):
            raise ValueError(f"p must be in (0, 1] (one number or one per coordinate), got {p}")
        self.p = p

    def sample(self, g, rng):
        return np.where(rng.random(g.shape) < self.p, g / self.p, 0.0)

    def variance(self, g):
        g = np.asarray(g, dtype=float)
        p = np.broadcast_to(self.p, g.shape)
        return g ** 2 * (1.0 - p) / p

    def label(self):
        if self.p.size == 1:
            return f"p = {self.p[0]:g}"
        return f"p = {self.p.min():g}…{self.p.max():g}"
