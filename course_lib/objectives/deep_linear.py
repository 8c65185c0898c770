"""The book's deep linear chain ŷ = x w₁ w₂ … w_l (section 8.7.1), with one weight per layer.

Its output is a product, so a gradient step that moves every wᵢ at once changes ŷ by more
than the sum of the single-weight changes the first-order (Taylor) view predicts:

    ŷ(w − εg) = x ∏ᵢ (wᵢ − εgᵢ) = ŷ − ε gᵀg + ε² Σ_{i<j} gᵢgⱼ x∏_{k∉{i,j}} w_k − …

with g = ∇_w ŷ, gᵢ = x ∏_{j≠i} w_j. The k-th term of the expansion involves products of k
gradients and l − k weights; with many layers there are many such terms and they need not be
small. ``step_polynomial`` gives their exact coefficients (ŷ(w + ηd) as a polynomial in η),
``step_effect`` the actual change, the first-order prediction and the terms, for one step.

As an ``Objective``: J(w) = ½(ŷ − y)² for the single example (x, y), with exact gradient
and Hessian.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_vector, check_int, check_real
from .base import Objective


class DeepLinearChain(Objective):
    """J(w) = ½(x w₁⋯w_l − y)² (one scalar weight per layer, one example)."""

    def __init__(self, depth: int = 5, x: float = 1.0, y: float = 0.0):
        self.depth = check_int("depth", depth, minimum=1)
        self.x, self.y = check_real("x", x), check_real("y", y)
        self.dim = self.depth
        self.n_examples = None
        self.name = f"deep linear chain, l = {self.depth}"

    def output(self, w) -> float:
        """ŷ = x ∏ᵢ wᵢ."""
        return float(self.x * np.prod(as_vector("w", w, self.dim)))

    def output_gradient(self, w) -> np.ndarray:
        """g = ∇_w ŷ, gᵢ = x ∏_{j≠i} w_j (prefix and suffix products: no division by wᵢ)."""
        w = as_vector("w", w, self.dim)
        before = np.concatenate([[1.0], np.cumprod(w)[:-1]])            # ∏_{j<i} w_j
        after = np.concatenate([np.cumprod(w[::-1])[::-1][1:], [1.0]])   # ∏_{j>i} w_j
        return self.x * before * after

    def output_hessian(self, w) -> np.ndarray:
        """∂²ŷ/∂wᵢ∂w_j = x ∏_{k∉{i,j}} w_k for i ≠ j, 0 on the diagonal."""
        w = as_vector("w", w, self.dim)
        H = np.zeros((self.dim, self.dim))
        for i in range(self.dim):
            for j in range(i + 1, self.dim):
                H[i, j] = H[j, i] = self.x * np.prod(np.delete(w, [i, j]))
        return H

    def loss(self, theta, batch=None) -> float:
        return 0.5 * (self.output(theta) - self.y) ** 2

    def grad(self, theta, batch=None) -> np.ndarray:
        return (self.output(theta) - self.y) * self.output_gradient(theta)

    def hessian(self, theta, batch=None) -> np.ndarray:
        g = self.output_gradient(theta)
        return np.outer(g, g) + (self.output(theta) - self.y) * self.output_hessian(theta)

    # --- one step, expanded -----------------------------------------------------------
    def step_polynomial(self, w, d) -> np.ndarray:
        """c₀ … c_l with ŷ(w + ηd) = Σ_k c_k η^k exactly: the product ∏ᵢ (wᵢ + η dᵢ)
        multiplied out (c₀ = ŷ, c₁ = gᵀd, c₂ = Σ_{i<j} dᵢd_j x∏_{k∉{i,j}} w_k, …)."""
        w, d = as_vector("w", w, self.dim), as_vector("d", d, self.dim)
        coefficients = np.array([self.x])
        for wi, di in zip(w, d, strict=True):          # multiply by (wᵢ + η dᵢ)
            coefficients = np.concatenate([coefficients * wi, [0.0]]) + np.concatenate(
                [[0.0], coefficients * di])
        return coefficients

    def step_effect(self, w, eps: float, direction=None) -> dict:
        """w ← w + ε d (default d = −g = −∇_w ŷ: every weight at once, down the output's
        gradient): the actual new ŷ, the first-order prediction ŷ + ε gᵀd and the terms
        c_k ε^k of the expansion (they add up to the actual change)."""
        w = as_vector("w", w, self.dim)
        eps = check_real("eps", eps)
        g = self.output_gradient(w)
        d = -g if direction is None else as_vector("direction", direction, self.dim)
        terms = self.step_polynomial(w, d) * eps ** np.arange(self.dim + 1)
        y_hat = self.output(w)
        return {"y_hat": y_hat, "actual": self.output(w + eps * d),
                "first_order": y_hat + eps * float(g @ d), "terms": terms,
                "g": g, "direction": d}
