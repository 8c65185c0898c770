"""Hints (section 8.7 of the early draft; Gülçehre & Bengio 2013, Romero et al. 2015):
tell an intermediate layer of a deep network what it should compute.

``HintedMLP`` is a deep, thin ``MLP`` with one extra linear head on hidden layer ℓ. The
head reads that layer's activations a⁽ˡ⁾ and is asked to predict a known intermediate
quantity h(x), the *hint* (the concepts the task is built from, or a teacher network's
middle layer as in FitNets):

    J(θ, V, c) = J_task(θ) + λ · (1/m) Σᵢ ½‖a⁽ˡ⁾(x⁽ⁱ⁾) V + c − h(x⁽ⁱ⁾)‖².

The lower layers then get two gradients: the task's, from the output, and the hint's,
straight from layer ℓ, which is much nearer to them. λ = 0 is the plain network (the
head still exists but receives no gradient). Layout of the parameters: the MLP's θ, then
V (n_ℓ × k, row by row), then c (k). ``task_loss`` and ``hint_loss`` give the two parts.
"""

from __future__ import annotations

import numpy as np

from ..objectives.mlp import MLP
from ..objectives.regression import _sigmoid
from ..validation import as_vector, check_int, check_positive


class HintedMLP(MLP):
    """An ``MLP`` plus a hint head on hidden layer ``hint_layer`` (1 = the first hidden)."""

    def __init__(self, X, y, hints, hidden=(6, 6, 6, 6, 6), hint_layer: int = 2,
                 weight: float = 1.0, activation: str = "tanh", loss: str = "logistic"):
        super().__init__(X, y, hidden=hidden, activation=activation, loss=loss)
        hints = np.asarray(hints, dtype=float)
        hints = hints[:, None] if hints.ndim == 1 else hints
        if hints.ndim != 2 or hints.shape[0] != self.X.shape[0]:
            raise ValueError(f"hints must have one row per example of X: X has shape "
                             f"{self.X.shape}, hints {np.shape(hints)}")
        self.hints = hints
        self.hint_layer = check_int("hint_layer", hint_layer, minimum=1)
        if self.hint_layer > len(self.hidden):
            raise ValueError(f"hint_layer must be in [1, {len(self.hidden)}] (a hidden "
                             f"layer), got {hint_layer}")
        self.weight = check_positive("weight", weight, allow_zero=True)
        self.n_hint = hints.shape[1]
        self.width = self.sizes[self.hint_layer]
        self.net_dim = self.dim                               # the MLP's own parameters
        self.dim = self.net_dim + self.width * self.n_hint + self.n_hint
        self.name += f", hint on layer {self.hint_layer} (λ = {self.weight:g})"

    # --- the parameters ---------------------------------------------------------------
    def split(self, theta):
        """θ → (the MLP's θ, V of shape (n_ℓ, k), c of shape (k,))."""
        theta = as_vector("theta", theta, self.dim)
        net, head = theta[:self.net_dim], theta[self.net_dim:]
        V = head[:self.width * self.n_hint].reshape(self.width, self.n_hint)
        return net, V, head[self.width * self.n_hint:]

    def unpack(self, theta):
        """The MLP's layers (the hint head left out): works on the MLP's θ or on the full θ."""
        theta = as_vector("theta", theta)
        if theta.size not in (self.net_dim, self.dim):
            raise ValueError(f"theta has shape {theta.shape}, but the objective expects "
                             f"({self.dim},) (or ({self.net_dim},) without the hint head)")
        dim, self.dim = self.dim, self.net_dim
        try:
            return super().unpack(theta[:self.net_dim])
        finally:
            self.dim = dim

    def init_theta(self, rng=None, method: str = "glorot") -> np.ndarray:
        """The MLP's initialization (section 8.4), then the head: V Glorot-uniform, c = 0."""
        rng = np.random.default_rng(rng)
        net = super().init_theta(rng, method)
        limit = np.sqrt(6.0 / (self.width + self.n_hint)) if method == "glorot" else 0.0
        V = rng.uniform(-limit, limit, size=(self.width, self.n_hint))
        return np.concatenate([net, V.ravel(), np.zeros(self.n_hint)])

    def net_theta(self, theta) -> np.ndarray:
        return self.split(theta)[0]

    # --- the two losses ---------------------------------------------------------------
    def _hint_rows(self, batch) -> np.ndarray:
        return self.hints if batch is None else self.hints[np.asarray(batch)]

    def task_loss(self, theta, batch=None) -> float:
        """J_task: the MLP's loss alone."""
        return self._parts(theta, batch)[0]

    def hint_loss(self, theta, batch=None) -> float:
        """(1/m) Σ ½‖a⁽ˡ⁾V + c − h‖², without the weight λ."""
        return self._parts(theta, batch)[1]

    def _parts(self, theta, batch):
        net, V, c = self.split(theta)
        X, y = self._rows(batch)
        layers = self.unpack(net)
        _, activations = self._forward(layers, X)
        out = activations[-1]
        if self.loss_name == "logistic":
            z = out[:, 0]
            task = float(np.mean(np.logaddexp(0.0, z) - y * z))
        else:
            task = float(0.5 * np.mean(np.sum((out - self._targets(y)) ** 2, axis=1)))
        r = activations[self.hint_layer] @ V + c - self._hint_rows(batch)
        return task, float(0.5 * np.mean(np.sum(r * r, axis=1)))

    def loss(self, theta, batch=None) -> float:
        task, hint = self._parts(theta, batch)
        return task + self.weight * hint

    def grad(self, theta, batch=None) -> np.ndarray:
        """Backpropagation with the hint's gradient added where it enters, at layer ℓ."""
        net, V, c = self.split(theta)
        X, y = self._rows(batch)
        layers = self.unpack(net)
        pre, activations = self._forward(layers, X)
        out, B = activations[-1], len(X)
        if self.loss_name == "logistic":
            delta = (_sigmoid(out) - y[:, None]) / B
        else:
            delta = (out - self._targets(y)) / B
        a_hint = activations[self.hint_layer]
        delta_h = self.weight * (a_hint @ V + c - self._hint_rows(batch)) / B   # ∂J/∂ĥ
        grads = []
        for l in range(len(layers), 0, -1):
            W, _ = layers[l - 1]
            grads.append((activations[l - 1].T @ delta, delta.sum(axis=0)))
            if l > 1:
                upstream = delta @ W.T                     # ∂J/∂a⁽ˡ⁻¹⁾ from above
                if l - 1 == self.hint_layer:
                    upstream = upstream + delta_h @ V.T    # … plus the hint head's share
                delta = upstream * self._g_prime(pre[l - 2])
        net_grad = MLP.pack(self, grads[::-1])
        return np.concatenate([net_grad, (a_hint.T @ delta_h).ravel(), delta_h.sum(axis=0)])

    def predict(self, theta, X=None) -> np.ndarray:
        """The network's output (the hint head plays no part in it)."""
        return super().predict(theta, X)


def concept_parity_task(seed: int = 0, m: int = 900, d: int = 8, k: int = 3):
    """A task built from intermediate concepts, in the spirit of Gülçehre & Bengio's Pentomino:
    x ~ N(0, I_d); k concepts cⱼ = [wⱼᵀx > 0] with random wⱼ; the label is their parity
    (XOR), y = Σⱼ cⱼ mod 2. Each concept alone is a linear cut, their XOR is hard to find.

    Returns (X, y, hints) with hints = 2c − 1 ∈ {−1, 1}ᵏ, the concepts an intermediate
    layer may be asked to predict."""
    m, d, k = (check_int(name, v, minimum=1) for name, v in (("m", m), ("d", d), ("k", k)))
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((d, k))
    X = rng.standard_normal((m, d))
    concepts = (X @ W > 0).astype(float)
    return X, concepts.sum(axis=1) % 2, 2.0 * concepts - 1.0
