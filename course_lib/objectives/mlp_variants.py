"""``DeepNet``: the MLP with batch normalization and skip connections (sections 8.7.1, 8.7.5).

A hidden layer l with input a (a⁽⁰⁾ = x) computes

    z = a W⁽ˡ⁾ (+ b⁽ˡ⁾)                   the affine part; no bias with batch norm (β replaces it)
    u = BN(z; γ⁽ˡ⁾, β⁽ˡ⁾)  or  u = z       batch normalization over the minibatch's rows
    h = g(u)                              the non-linearity
    a ← a + h  (skip)  or  a ← h          a skip connection adds the layer's input back

(the skip needs equal widths, so the first hidden layer, from the inputs, never has one);
the output layer is affine, with the losses of ``MLP`` (mse, logistic, softmax). With a
skip connection the gradient reaches a lower layer by two roads: through the layer, and
directly along the identity, which shortens the path of back-propagation.

Layout of θ, layer by layer from the input: W⁽ˡ⁾ (row by row), then b⁽ˡ⁾, or with batch
norm γ⁽ˡ⁾ and β⁽ˡ⁾; the output layer has W and b. ``init_theta`` draws the weights as
``MLP`` does (normalized initialization) with γ = 1, β = 0.

Batch norm makes J(θ) depend on the minibatch: ``loss`` and ``grad`` are in training mode
(the statistics of the rows of ``batch``). Inference uses fixed statistics: ``predict(θ, X,
stats=...)`` with the running averages of ``batch_statistics`` (see
``strategies.batch_norm.RunningStats``), or, with ``stats=None``, the statistics of X
itself: the training mode, which is wrong for one example at a time.
"""

from __future__ import annotations

import numpy as np

from ..strategies.batch_norm import (
    DELTA,
    batch_norm_backward,
    batch_norm_inference,
    forward_unchecked,
)
from ..validation import as_vector
from .mlp import MLP, _sigmoid, _softmax


class DeepNet(MLP):
    """``MLP(X, y, hidden, activation, loss)`` plus ``batch_norm`` and ``skip`` (booleans)."""

    def __init__(self, X, y, hidden=(8,), activation: str = "tanh", loss: str = "mse",
                 n_classes: int | None = None, batch_norm: bool = False, skip: bool = False,
                 delta: float = DELTA):
        super().__init__(X, y, hidden, activation, loss, n_classes)
        for name, flag in (("batch_norm", batch_norm), ("skip", skip)):
            if not isinstance(flag, bool):
                raise ValueError(f"{name} must be True or False, got {flag!r}")
        self.batch_norm, self.skip, self.delta = batch_norm, skip, float(delta)
        n_hidden = len(self.shapes) - 1
        self.skips = [skip and l > 0 and n_in == n_out
                      for l, (n_in, n_out) in enumerate(self.shapes[:n_hidden])]
        self.dim = sum(n_in * n_out + n_out * (2 if self._normed(l) else 1)
                       for l, (n_in, n_out) in enumerate(self.shapes))
        parts = [self.name] + (["batch norm"] if batch_norm else []) + (
            ["skip connections"] if skip else [])
        self.name = ", ".join(parts)

    def _normed(self, l: int) -> bool:
        return self.batch_norm and l < len(self.shapes) - 1

    # --- θ as a flat vector ------------------------------------------------------------
    def unpack(self, theta) -> list[dict]:
        """θ → [{"W", "b"} or {"W", "gamma", "beta"} per layer], views into a copy of θ."""
        theta = as_vector("theta", theta, self.dim)
        layers, start = [], 0
        for l, (n_in, n_out) in enumerate(self.shapes):
            layer = {"W": theta[start:start + n_in * n_out].reshape(n_in, n_out)}
            start += n_in * n_out
            for key in (("gamma", "beta") if self._normed(l) else ("b",)):
                layer[key] = theta[start:start + n_out]
                start += n_out
            layers.append(layer)
        return layers

    def pack(self, layers) -> np.ndarray:
        layers = list(layers)
        if len(layers) != len(self.shapes):
            raise ValueError(f"layers must hold {len(self.shapes)} layers, got {len(layers)}")
        parts = []
        for l, (layer, (n_in, n_out)) in enumerate(zip(layers, self.shapes, strict=True)):
            keys = ("W", "gamma", "beta") if self._normed(l) else ("W", "b")
            for key in keys:
                value = np.asarray(layer[key], dtype=float)
                shape = (n_in, n_out) if key == "W" else (n_out,)
                if value.shape != shape:
                    raise ValueError(f"layer {l + 1}: {key} has shape {value.shape}, "
                                     f"expected {shape}")
                parts.append(value.ravel())
        return np.concatenate(parts)

    def init_theta(self, rng=None, method: str = "glorot") -> np.ndarray:
        """The weights as ``MLP.init_theta`` draws them (the same ones for the same seed);
        biases and β zero, γ one."""
        if method not in ("glorot", "zeros"):
            raise ValueError(f"method must be 'glorot' or 'zeros', got {method!r}")
        rng = np.random.default_rng(rng)
        layers = []
        for l, (n_in, n_out) in enumerate(self.shapes):
            limit = np.sqrt(6.0 / (n_in + n_out)) if method == "glorot" else 0.0
            W = rng.uniform(-limit, limit, size=(n_in, n_out))
            layers.append({"W": W, "gamma": np.ones(n_out), "beta": np.zeros(n_out)}
                          if self._normed(l) else {"W": W, "b": np.zeros(n_out)})
        return self.pack(layers)

    # --- forward and backward ----------------------------------------------------------
    def _forward(self, layers, X, stats=None):
        """(pre, activations, caches): ``pre`` holds u⁽ˡ⁾ (after batch norm) of every hidden
        layer and the output z; ``stats``: fixed (μ, σ) per hidden layer (inference)."""
        activations, pre, caches = [X], [], []
        last = len(layers) - 1
        for l, layer in enumerate(layers):
            a = activations[-1]
            z = a @ layer["W"]
            if l == last:
                pre.append(z + layer["b"])
                activations.append(pre[-1])
                break
            cache = None
            if not self._normed(l):
                u = z + layer["b"]
            elif stats is None:
                u, cache = forward_unchecked(z, layer["gamma"], layer["beta"], self.delta)
            else:
                u = batch_norm_inference(z, *stats[l], layer["gamma"], layer["beta"])
            pre.append(u)
            caches.append(cache)
            h = self._g(u)
            activations.append(a + h if self.skips[l] else h)
        return pre, activations, caches

    def forward_pass(self, theta, X=None, batch=None, stats=None) -> tuple[list, list]:
        pre, act, _ = self._forward(self.unpack(theta), self._inputs(X, batch), stats)
        return pre, act

    def batch_statistics(self, theta, X=None, batch=None) -> list[tuple]:
        """[(μ, σ) of each hidden layer's z] on the rows of X (or of ``batch``)."""
        if not self.batch_norm:
            return []
        _, _, caches = self._forward(self.unpack(theta), self._inputs(X, batch))
        return [(c["mu"], c["sigma"]) for c in caches]

    def predict(self, theta, X=None, stats=None) -> np.ndarray:
        """Outputs as ``MLP.predict``; with batch norm, ``stats`` are the (running) statistics
        to normalize with (inference mode); ``stats=None`` normalizes with the rows of X."""
        out = self.forward_pass(theta, X, stats=stats)[1][-1]
        if self.loss_name == "logistic":
            return _sigmoid(out[:, 0])
        if self.loss_name == "softmax":
            return _softmax(out)
        return out[:, 0] if self.y.ndim == 1 else out

    def backward_pass(self, theta, batch=None) -> dict:
        """As ``MLP.backward_pass``; ``delta`` holds ∂J/∂u⁽ˡ⁾ (after batch norm) of the hidden
        layers and ∂J/∂z of the output, ``grads`` one dict per layer as ``unpack``."""
        X, y = self._rows(batch)
        layers = self.unpack(theta)
        pre, act, caches = self._forward(layers, X)
        d_out = self._output_delta(act[-1], y)
        last = len(layers) - 1
        grads = [None] * len(layers)
        deltas = [None] * len(layers)
        deltas[last] = d_out
        grads[last] = {"W": act[last].T @ d_out, "b": d_out.sum(axis=0)}
        d_a = d_out @ layers[last]["W"].T                      # ∂J/∂a⁽ᴸ⁻¹⁾
        for l in range(last - 1, -1, -1):
            d_u = d_a * self._g_prime(pre[l])                  # through g
            deltas[l] = d_u
            if self._normed(l):
                d_z, d_gamma, d_beta = batch_norm_backward(d_u, caches[l])
                grads[l] = {"gamma": d_gamma, "beta": d_beta}
            else:
                d_z = d_u
                grads[l] = {"b": d_z.sum(axis=0)}
            grads[l]["W"] = act[l].T @ d_z
            through = d_z @ layers[l]["W"].T
            d_a = through + d_a if self.skips[l] else through  # the skip adds the identity
        return {"pre": pre, "act": act, "delta": deltas, "grads": grads}

    def grad(self, theta, batch=None) -> np.ndarray:
        return self.pack(self.backward_pass(theta, batch)["grads"])
