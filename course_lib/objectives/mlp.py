"""A small fully connected network as an ``Objective``, with backpropagation by hand.

The non-convex empirical risk that the chapter is about: J(θ) = (1/m) Σᵢ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
(eq. 8.2) for a multilayer perceptron f. Its parameters form one flat vector θ so that every
optimizer of ``course_lib.optim`` can train it.

Layout of θ, layer by layer from the input: for layer l with nₗ₋₁ inputs and nₗ outputs,
first the weights W⁽ˡ⁾ of shape (nₗ₋₁, nₗ) flattened row by row, then the biases b⁽ˡ⁾ of
length nₗ. A layer maps a row of activations a to a W⁽ˡ⁾ + b⁽ˡ⁾; hidden layers then apply
the activation function, the output layer is linear.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_vector, check_int
from .regression import EmpiricalRisk, _as_matrix, _sigmoid

_ACTIVATIONS = {
    # name: (g(z), g'(z) written with z)
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
}


class MLP(EmpiricalRisk):
    """J(θ) = mean loss of a network with ``hidden`` layer widths on the data (X, y).

    - ``activation``: ``"tanh"`` or ``"relu"`` for the hidden units.
    - ``loss="mse"``: regression, L = ½‖f(x) − y‖² (``y`` of shape (m,) or (m, k)).
    - ``loss="logistic"``: binary classification with y ∈ {0, 1}, one output z and
      L = log(1 + eᶻ) − y z, the negative log-likelihood of p(y = 1 | x) = σ(z).

    ``hessian`` is not available: ``hvp`` then falls back on a finite difference of
    ``grad`` (the base-class default), which is what Hessian-free methods use.
    """

    def __init__(self, X, y, hidden=(8,), activation: str = "tanh", loss: str = "mse"):
        if loss not in ("mse", "logistic"):
            raise ValueError(f"loss must be 'mse' or 'logistic', got {loss!r}")
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be 'tanh' or 'relu', got {activation!r}")
        super().__init__(X, y, labels=(loss == "logistic"), allow_2d_y=(loss == "mse"))
        hidden = (hidden,) if np.isscalar(hidden) else tuple(hidden)
        hidden = tuple(check_int("hidden", width, minimum=1) for width in hidden)
        n_out = self.y.shape[1] if self.y.ndim == 2 else 1
        self.sizes = (self.X.shape[1], *hidden, n_out)
        self.hidden, self.activation, self.loss_name = hidden, activation, loss
        self._g, self._g_prime = _ACTIVATIONS[activation]
        self.shapes = list(zip(self.sizes[:-1], self.sizes[1:], strict=True))
        self.dim = sum(n_in * n_out + n_out for n_in, n_out in self.shapes)
        self.name = f"MLP {'-'.join(map(str, self.sizes))}, {activation}, {loss}"

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

    def predict(self, theta, X=None) -> np.ndarray:
        """The network's output for every row of X (default: the training inputs).

        ``mse``: f(x) (shape (m,) for one output, else (m, k)); ``logistic``: p(y = 1 | x).
        """
        X = self.X if X is None else _as_matrix("X", X)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X has shape {X.shape}, but the network expects "
                             f"{self.sizes[0]} input features")
        out = self._forward(self.unpack(theta), X)[1][-1]
        if self.loss_name == "logistic":
            return _sigmoid(out[:, 0])
        return out[:, 0] if self.y.ndim == 1 else out

    def loss(self, theta, batch=None) -> float:
        X, y = self._rows(batch)
        out = self._forward(self.unpack(theta), X)[1][-1]
        if self.loss_name == "logistic":
            z = out[:, 0]
            return float(np.mean(np.logaddexp(0.0, z) - y * z))
        return float(0.5 * np.mean(np.sum((out - self._targets(y)) ** 2, axis=1)))

    def grad(self, theta, batch=None) -> np.ndarray:
        """Backpropagation (section 6.5): the chain rule applied layer by layer, output first."""
        X, y = self._rows(batch)
        layers = self.unpack(theta)
        pre, activations = self._forward(layers, X)
        out, B = activations[-1], len(X)
        # ∂J/∂(output pre-activation), already divided by the batch size of the mean.
        if self.loss_name == "logistic":
            delta = (_sigmoid(out) - y[:, None]) / B
        else:
            delta = (out - self._targets(y)) / B
        grads = []
        for l in range(len(layers), 0, -1):
            W, _ = layers[l - 1]
            grads.append((activations[l - 1].T @ delta, delta.sum(axis=0)))
            if l > 1:                     # through W⁽ˡ⁾, then through g of layer l − 1
                delta = (delta @ W.T) * self._g_prime(pre[l - 2])
        return self.pack(grads[::-1])

    def hessian(self, theta, batch=None) -> np.ndarray:
        raise NotImplementedError("MLP has no exact Hessian; hvp uses finite differences "
                                  "of grad")
