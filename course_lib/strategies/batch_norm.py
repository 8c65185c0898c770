"""Batch normalization (section 8.7.1, Ioffe & Szegedy 2015).

For a minibatch of activations H (one row per example, one column per unit):

    μ = (1/m) Σᵢ Hᵢ,:                       the mean of each unit over the minibatch
    σ = √(δ + (1/m) Σᵢ (H − μ)ᵢ²)           its standard deviation (δ keeps σ > 0)
    H′ = (H − μ) / σ                        every unit with mean 0 and variance ≈ 1
    out = γ ⊙ H′ + β                        a learned scale and shift per unit

The gradient flows through μ and σ too (they depend on every row of H): that is what makes
the layer stop the lower layers from simply moving the mean or the scale of H. At test time
there is no minibatch to average over (or one example at a time), so inference uses running
averages of μ and σ collected during training: μ̄ ← ρμ̄ + (1 − ρ)μ, σ̄ ← ρσ̄ + (1 − ρ)σ.

``batch_norm_forward`` / ``batch_norm_backward`` are the two passes (pure functions; the
backward pass is checked against finite differences in the tests); ``BatchNorm`` keeps the
running averages and switches between the training and inference modes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_interval, check_positive

DELTA = 1e-5


def _matrix(H) -> np.ndarray:
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] < 1:
        raise ValueError(f"H must be a 2-D array (examples × units), got shape {H.shape}")
    return H


def _per_unit(name: str, value, n: int) -> np.ndarray:
    value = np.broadcast_to(np.asarray(value, dtype=float), (n,)) if np.ndim(value) == 0 \
        else np.asarray(value, dtype=float)
    if value.shape != (n,):
        raise ValueError(f"{name} must have one entry per unit, shape ({n},), "
                         f"got {value.shape}")
    return value


def batch_norm_forward(H, gamma=1.0, beta=0.0, delta: float = DELTA):
    """(out, cache): the training-mode pass with the minibatch's own μ and σ."""
    H = _matrix(H)
    n = H.shape[1]
    gamma, beta = _per_unit("gamma", gamma, n), _per_unit("beta", beta, n)
    return forward_unchecked(H, gamma, beta, check_positive("delta", delta, allow_zero=True))


def forward_unchecked(H, gamma, beta, delta):
    """``batch_norm_forward`` without the input checks, for a network's inner loop."""
    mu = H.mean(axis=0)                                  # μ = mean over the rows
    centred = H - mu
    sigma = np.sqrt(delta + np.mean(centred ** 2, axis=0))   # σ = √(δ + mean((H − μ)²))
    H_hat = centred / sigma                              # H′ = (H − μ)/σ
    out = gamma * H_hat + beta                           # γ ⊙ H′ + β
    return out, {"H_hat": H_hat, "sigma": sigma, "mu": mu, "gamma": gamma}


def batch_norm_backward(d_out, cache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(∂J/∂H, ∂J/∂γ, ∂J/∂β) from ∂J/∂out, through μ and σ.

    With ĝ = γ ⊙ ∂J/∂out (the gradient with respect to H′), per unit:
    ∂J/∂H = (ĝ − mean(ĝ) − H′ ⊙ mean(ĝ ⊙ H′)) / σ: the mean removes what a shift of every
    row would do (μ absorbs it), the last term what a common rescaling would do (σ absorbs it).
    """
    d_out = _matrix(d_out)
    H_hat, sigma, gamma = cache["H_hat"], cache["sigma"], cache["gamma"]
    if d_out.shape != H_hat.shape:
        raise ValueError(f"d_out has shape {d_out.shape}, the forward pass had {H_hat.shape}")
    d_gamma = np.sum(d_out * H_hat, axis=0)
    d_beta = np.sum(d_out, axis=0)
    g = d_out * gamma                                    # ∂J/∂H′
    d_H = (g - g.mean(axis=0) - H_hat * np.mean(g * H_hat, axis=0)) / sigma
    return d_H, d_gamma, d_beta


def batch_norm_inference(H, mu, sigma, gamma=1.0, beta=0.0) -> np.ndarray:
    """The inference-mode pass: γ ⊙ (H − μ̄)/σ̄ + β with fixed (running) statistics."""
    H = _matrix(H)
    n = H.shape[1]
    mu, sigma = _per_unit("mu", mu, n), _per_unit("sigma", sigma, n)
    if np.any(sigma <= 0):
        raise ValueError("sigma must be > 0 for every unit")
    return _per_unit("gamma", gamma, n) * (H - mu) / sigma + _per_unit("beta", beta, n)


@dataclass
class RunningStats:
    """Running averages μ̄, σ̄ of one layer's batch statistics (μ̄ = 0, σ̄ = 1 at the start)."""

    mu: np.ndarray
    sigma: np.ndarray
    updates: int = 0

    @classmethod
    def start(cls, n_units: int) -> RunningStats:
        return cls(np.zeros(n_units), np.ones(n_units))

    def update(self, mu, sigma, rho: float) -> None:
        """μ̄ ← ρμ̄ + (1 − ρ)μ, σ̄ ← ρσ̄ + (1 − ρ)σ."""
        self.mu = rho * self.mu + (1.0 - rho) * np.asarray(mu, dtype=float)
        self.sigma = rho * self.sigma + (1.0 - rho) * np.asarray(sigma, dtype=float)
        self.updates += 1


class BatchNorm:
    """A batch-normalization layer of ``n_units`` with its running averages.

    ``forward(H, gamma, beta, training=True)``: in training mode normalizes with the
    minibatch's μ and σ and updates the running averages (decay ``rho``); in inference
    mode uses the running averages and changes nothing. ``backward(d_out)`` follows the
    last training-mode forward pass.
    """

    def __init__(self, n_units: int, rho: float = 0.9, delta: float = DELTA):
        self.rho = check_interval("rho", rho, 0.0, 1.0)
        self.delta = check_positive("delta", delta, allow_zero=True)
        self.running = RunningStats.start(int(n_units))
        self._cache = None

    def forward(self, H, gamma=1.0, beta=0.0, training: bool = True) -> np.ndarray:
        if not training:
            return batch_norm_inference(H, self.running.mu, self.running.sigma, gamma, beta)
        out, self._cache = batch_norm_forward(H, gamma, beta, self.delta)
        self.running.update(self._cache["mu"], self._cache["sigma"], self.rho)
        return out

    def backward(self, d_out):
        if self._cache is None:
            raise ValueError("backward needs a training-mode forward pass first")
        return batch_norm_backward(d_out, self._cache)
