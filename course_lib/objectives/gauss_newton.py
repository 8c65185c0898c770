"""The Gauss–Newton matrix of a network's loss, as the curvature Hessian-free optimization uses.

For J(θ) = (1/m) Σᵢ L(f(xᵢ; θ), yᵢ) with network outputs z = f(x; θ), the Hessian is

    H = (1/m) Σᵢ Jᵢᵀ H_L Jᵢ  +  (1/m) Σᵢ Σⱼ (∂L/∂zⱼ) ∇²zⱼ,

where Jᵢ = ∂z/∂θ is the Jacobian of the outputs and H_L = ∂²L/∂z² the Hessian of the loss
in the outputs. The Gauss–Newton matrix G keeps the first term only (Martens 2010; Schraudolph
2002). For the losses of ``MLP`` H_L is positive semidefinite (mse: I; logistic: σ(1 − σ);
softmax: diag(p) − ppᵀ), so G is too: the quadratic model gᵀp + ½pᵀ(G + λI)p always has a
minimum, and CG on it never meets negative curvature. The second term, which G drops, is
small near a good fit (it is weighted by the residuals ∂L/∂z) and is where H's negative
eigenvalues come from.

``GaussNewton(model)`` is the model with the same ``loss`` and ``grad`` whose ``hvp`` is the
exact product G v, computed without forming G: a forward pass in the direction v (the
"R-operator", Pearlmutter 1994) gives J v, then H_L, then one backward pass gives Jᵀ(H_L J v).
Its cost is about two gradients; an ``Oracle`` counts it as one Hessian-vector product.
``minimize(GaussNewton(net), HessianFree(), θ₀, ...)`` is Martens' Hessian-free.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_vector
from .mlp import MLP, _sigmoid, _softmax


class GaussNewton:
    """``model`` (an ``MLP``) with ``hvp(θ, v)`` = G v, the Gauss–Newton product (module doc).

    ``loss``, ``grad``, ``dim``, ``n_examples`` and everything else are the model's own.
    ``hessian`` is G itself, formed column by column (for tests and small models only).
    """

    def __init__(self, model):
        if not isinstance(model, MLP):
            raise ValueError(f"model must be an MLP, got {type(model).__name__}")
        self.model = model
        self.name = f"{model.name}, Gauss–Newton curvature"

    def __getattr__(self, name):             # loss, grad, dim, n_examples, ...: the model's
        return getattr(self.model, name)

    def jvp(self, theta, v, batch=None) -> np.ndarray:
        """J v: how the outputs z⁽ᴸ⁾ of the examples of ``batch`` move along v, (B, k)."""
        model = self.model
        X, _ = model._rows(batch)
        layers = model.unpack(theta)
        directions = model.unpack(as_vector("v", v, model.dim))
        pre, act = model._forward(layers, X)
        r_act = np.zeros_like(X)                               # R{a⁽⁰⁾} = 0: x does not move
        for l, ((W, _), (dW, db)) in enumerate(zip(layers, directions, strict=True), 1):
            r_pre = r_act @ W + act[l - 1] @ dW + db           # R{z} = R{a}W + a dW + db
            r_act = r_pre if l == len(layers) else model._g_prime(pre[l - 1]) * r_pre
        return r_act

    def _loss_curvature(self, out, r_out) -> np.ndarray:
        """H_L (J v), divided by the batch size of the mean: the output-side middle factor."""
        B, name = len(out), self.model.loss_name
        if name == "logistic":
            p = _sigmoid(out)
            return p * (1.0 - p) * r_out / B
        if name == "softmax":
            p = _softmax(out)
            return (p * r_out - p * np.sum(p * r_out, axis=1, keepdims=True)) / B
        return r_out / B                                      # mse: H_L = I

    def hvp(self, theta, v, batch=None) -> np.ndarray:
        """G v = (1/B) Σᵢ Jᵢᵀ H_L Jᵢ v, exactly, without forming G or J."""
        model = self.model
        X, _ = model._rows(batch)
        layers = model.unpack(theta)
        pre, act = model._forward(layers, X)
        delta = self._loss_curvature(act[-1], self.jvp(theta, v, batch))
        grads = []
        for l in range(len(layers), 0, -1):                    # backpropagate Jᵀ(·)
            W, _ = layers[l - 1]
            grads.append((act[l - 1].T @ delta, delta.sum(axis=0)))
            if l > 1:
                delta = (delta @ W.T) * model._g_prime(pre[l - 2])
        return model.pack(grads[::-1])

    def hessian(self, theta, batch=None) -> np.ndarray:
        """G as a dense matrix, one product per column (small models only)."""
        eye = np.eye(self.model.dim)
        return np.column_stack([self.hvp(theta, e, batch) for e in eye])
