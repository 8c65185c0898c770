"""A small fully connected network as an ``Objective``, with backpropagation by hand.

The non-convex empirical risk that the chapter is about: J(θ) = (1/m) Σᵢ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
(eq. 8.2) for a multilayer perceptron f. Its parameters form one flat vector θ so that every
optimizer of ``course_lib.optim`` can train it.

Layout of θ, layer by layer from the input: for layer l with nₗ₋₁ inputs and nₗ outputs,
first the weights W⁽ˡ⁾ of shape (nₗ₋₁, nₗ) flattened row by row, then the biases b⁽ˡ⁾ of
length nₗ. A layer maps a row of activations a to a W⁽ˡ⁾ + b⁽ˡ⁾; hidden layers then apply
the activation function, the output layer is linear.

``forward_pass`` and ``backward_pass`` give every layer's pre-activations, activations and
back-propagated gradients ∂J/∂z⁽ˡ⁾, for looking inside the network (section 8.4).
"""

from __future__ import annotations

import numpy as np

from ..validation import as_vector, check_int
from .regression import EmpiricalRisk, _as_matrix, _sigmoid

_ACTIVATIONS = {
    # name: (g(z), g'(z) written with z)
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
}
_LOSSES = ("mse", "logistic", "softmax")


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)            # the same softmax, without overflow
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class MLP(EmpiricalRisk):
    """J(θ) = mean loss of a network with ``hidden`` layer widths on the data (X, y).

    - ``activation``: ``"tanh"``, ``"relu"`` or ``"linear"`` (the identity: a deep linear
      network) for the hidden units.
    - ``loss="mse"``: regression, L = ½‖f(x) − y‖² (``y`` of shape (m,) or (m, k)).
    - ``loss="logistic"``: binary classification with y ∈ {0, 1}, one output z and
      L = log(1 + eᶻ) − y z, the negative log-likelihood of p(y = 1 | x) = σ(z).
    - ``loss="softmax"``: k classes with labels y ∈ {0, …, k − 1}, k outputs z and
      L = log Σⱼ e^{zⱼ} − z_y, the negative log-likelihood of p(y = j | x) = softmax(z)ⱼ;
      k is ``n_classes`` (default: the largest label + 1).

    ``hessian`` is not available: ``hvp`` then falls back on a finite difference of
    ``grad`` (the base-class default), which is what Hessian-free methods use.
    """

    def __init__(self, X, y, hidden=(8,), activation: str = "tanh", loss: str = "mse",
                 n_classes: int | None = None):
        if loss not in _LOSSES:
            raise ValueError(f"loss must be 'mse' or 'logistic' (or 'softmax'), got {loss!r}")
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be 'tanh' or 'relu' (or 'linear'), "
                             f"got {activation!r}")
        super().__init__(X, y, labels=(loss == "logistic"), allow_2d_y=(loss == "mse"))
        hidden = (hidden,) if np.isscalar(hidden) else tuple(hidden)
        hidden = tuple(check_int("hidden", width, minimum=1) for width in hidden)
        n_out = self.y.shape[1] if self.y.ndim == 2 else 1
        if loss == "softmax":
            n_out = self._check_classes(n_classes)
        self.sizes = (self.X.shape[1], *hidden, n_out)
        self.hidden, self.activation, self.loss_name = hidden, activation, loss
        self._g, self._g_prime = _ACTIVATIONS[activation]
        self.shapes = list(zip(self.sizes[:-1], self.sizes[1:], strict=True))
        self.dim = sum(n_in * n_out + n_out for n_in, n_out in self.shapes)
        self.name = f"MLP {'-'.join(map(str, self.sizes))}, {activation}, {loss}"

    def _check_classes(self, n_classes) -> int:
        """The number of classes k, with every label an integer in [0, k − 1]."""
        labels = self.y
        if np.any(labels != np.round(labels)) or labels.min() < 0:
            raise ValueError("y must hold integer class labels 0, 1, ... for loss='softmax', "
                             f"got values {np.unique(labels)[:5]}")
        k = int(labels.max()) + 1 if n_classes is None else check_int("n_classes", n_classes,
                                                                      minimum=2)
        if labels.max() >= k:
            raise ValueError(f"n_classes = {k}, but y holds the label {int(labels.max())}")
        self.n_classes = k
        self._labels = labels.astype(int)
        return k

    # --- θ as a flat vector ------------------------------------------------------------
    def unpack(self, theta) -> list[tuple[np.ndarray, np.ndarray]]:
        """θ → [(W⁽¹⁾, b⁽¹⁾), (W⁽²⁾, b⁽²⁾), …], views into a copy of θ (layout: module doc)."""
        theta = as_vector("theta", theta, self.dim)
        layers, start = [], 0
        for n_in, n_out in self.shapes:
            W = theta[start:start + n_in * n_out].reshape(n_in, n_out)
            start += n_in * n_out
            layers.append((W, theta[start:start + n_out]))
            start += n_out
        return layers

    def pack(self, layers) -> np.ndarray:
        """[(W⁽¹⁾, b⁽¹⁾), …] → θ, the inverse of ``unpack``."""
        layers = list(layers)
        if len(layers) != len(self.shapes):
            raise ValueError(f"layers must hold {len(self.shapes)} (W, b) pairs, "
                             f"got {len(layers)}")
        parts = []
        for l, ((W, b), (n_in, n_out)) in enumerate(zip(layers, self.shapes, strict=True), 1):
            W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
            if W.shape != (n_in, n_out) or b.shape != (n_out,):
                raise ValueError(f"layer {l}: W has shape {W.shape} and b {b.shape}, expected "
                                 f"({n_in}, {n_out}) and ({n_out},)")
            parts += [W.ravel(), b]
        return np.concatenate(parts)

    def init_theta(self, rng=None, method: str = "glorot") -> np.ndarray:
        """A starting θ (section 8.4); biases are zero.

        ``"glorot"``: the normalized initialization W ~ U(−√(6/(m+n)), √(6/(m+n))) for a
        layer with m inputs and n outputs (Glorot & Bengio 2010), which keeps activation
        and gradient variances about equal across layers. ``"zeros"``: all weights zero,
        to show that identical units stay identical (the symmetry to break).
        ``rng``: a seed or a numpy Generator.
        """
        if method not in ("glorot", "zeros"):
            raise ValueError(f"method must be 'glorot' or 'zeros', got {method!r}")
        rng = np.random.default_rng(rng)
        layers = []
        for n_in, n_out in self.shapes:
            limit = np.sqrt(6.0 / (n_in + n_out)) if method == "glorot" else 0.0
            layers.append((rng.uniform(-limit, limit, size=(n_in, n_out)), np.zeros(n_out)))
        return self.pack(layers)

    # --- forward and backward ----------------------------------------------------------
    def _forward(self, layers, X):
        """Pre-activations z⁽ˡ⁾ and activations a⁽ˡ⁾ of every layer (a⁽⁰⁾ = X)."""
        activations, pre = [X], []
        for l, (W, b) in enumerate(layers, 1):
            z = activations[-1] @ W + b
            pre.append(z)
            activations.append(z if l == len(layers) else self._g(z))
        return pre, activations

    def _targets(self, y) -> np.ndarray:
        return y if y.ndim == 2 else y[:, None]

    def _inputs(self, X, batch):
        if X is None:
            return self._rows(batch)[0]
        X = _as_matrix("X", X)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X has shape {X.shape}, but the network expects "
                             f"{self.sizes[0]} input features")
        return X

    def forward_pass(self, theta, X=None, batch=None) -> tuple[list, list]:
        """(pre-activations [z⁽¹⁾, …, z⁽ᴸ⁾], activations [a⁽⁰⁾ = X, …, a⁽ᴸ⁾]) on the rows of
        ``X`` (default: the training examples of ``batch``); a⁽ᴸ⁾ is the linear output."""
        return self._forward(self.unpack(theta), self._inputs(X, batch))

    def predict(self, theta, X=None) -> np.ndarray:
        """The network's output for every row of X (default: the training inputs).

        ``mse``: f(x) (shape (m,) for one output, else (m, k)); ``logistic``: p(y = 1 | x);
        ``softmax``: the (m, k) class probabilities.
        """
        out = self.forward_pass(theta, X)[1][-1]
        if self.loss_name == "logistic":
            return _sigmoid(out[:, 0])
        if self.loss_name == "softmax":
            return _softmax(out)
        return out[:, 0] if self.y.ndim == 1 else out

    def loss(self, theta, batch=None) -> float:
        X, y = self._rows(batch)
        out = self._forward(self.unpack(theta), X)[1][-1]
        return self._loss(out, y)

    def _loss(self, out, y) -> float:
        if self.loss_name == "logistic":
            z = out[:, 0]
            return float(np.mean(np.logaddexp(0.0, z) - y * z))
        if self.loss_name == "softmax":
            z = out - out.max(axis=1, keepdims=True)
            picked = z[np.arange(len(y)), y.astype(int)]
            return float(np.mean(np.log(np.exp(z).sum(axis=1)) - picked))
        return float(0.5 * np.mean(np.sum((out - self._targets(y)) ** 2, axis=1)))

    def _output_delta(self, out, y) -> np.ndarray:
        """∂J/∂(output pre-activation), already divided by the batch size of the mean."""
        B = len(out)
        if self.loss_name == "logistic":
            return (_sigmoid(out) - y[:, None]) / B
        if self.loss_name == "softmax":
            p = _softmax(out)
            p[np.arange(B), y.astype(int)] -= 1.0
            return p / B
        return (out - self._targets(y)) / B

    def backward_pass(self, theta, batch=None) -> dict:
        """Backpropagation (section 6.5), keeping what it computes on the way.

        Returns ``pre`` and ``act`` (as ``forward_pass``), ``delta``: [∂J/∂z⁽¹⁾, …, ∂J/∂z⁽ᴸ⁾]
        for the mean loss J of the minibatch, and ``grads``: [(∂J/∂W⁽ˡ⁾, ∂J/∂b⁽ˡ⁾), …].
        """
        X, y = self._rows(batch)
        layers = self.unpack(theta)
        pre, activations = self._forward(layers, X)
        delta = self._output_delta(activations[-1], y)
        grads, deltas = [], [delta]
        for l in range(len(layers), 0, -1):
            W, _ = layers[l - 1]
            grads.append((activations[l - 1].T @ delta, delta.sum(axis=0)))
            if l > 1:                     # through W⁽ˡ⁾, then through g of layer l − 1
                delta = (delta @ W.T) * self._g_prime(pre[l - 2])
                deltas.append(delta)
        return {"pre": pre, "act": activations, "delta": deltas[::-1], "grads": grads[::-1]}

    def grad(self, theta, batch=None) -> np.ndarray:
        """Backpropagation (section 6.5): the chain rule applied layer by layer, output first."""
        return self.pack(self.backward_pass(theta, batch)["grads"])

    def hessian(self, theta, batch=None) -> np.ndarray:
        raise NotImplementedError("MLP has no exact Hessian; hvp uses finite differences "
                                  "of grad")
