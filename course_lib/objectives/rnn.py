"""A small vanilla recurrent network as an ``Objective``, with backpropagation through time
written by hand (section 8.2.5; chapter 10 of the book).

For a sequence x_1..x_T (each x_t ∈ ℝᵈ) and a target y ∈ ℝ:

    h_0 = 0,   a_t = W h_{t−1} + U x_t + b,   h_t = tanh(a_t),   ŷ = vᵀh_T + c,
    L = ½(ŷ − y)²,  J(θ) = (1/m) Σᵢ L⁽ⁱ⁾.

The same W multiplies the state at every time step, so the gradient that reaches step t
from the loss at step T is multiplied by ∂h_T/∂h_t = ∏_{s>t} diag(1 − h_s²) W: it
vanishes or explodes with T − t (``state_jacobian_norms``).

Layout of θ: W (n×n, row by row), U (n×d), b (n), v (n), c (1).
``first_input_task`` makes data whose target is the first input of each sequence: a
long-term dependency, which only a gradient that survives T − 1 steps can learn.
"""

from __future__ import annotations

import numpy as np

from ..jacobians import rnn_state_jacobians, with_spectral_radius
from ..validation import as_vector, check_int, check_positive
from .base import Objective


def first_input_task(m: int = 64, T: int = 10, d: int = 1, seed: int = 0):
    """(X, y): X of shape (m, T, d) with N(0, 1) entries, y = the first coordinate of x_1."""
    m = check_int("m", m, minimum=1)
    T = check_int("T", T, minimum=1)
    d = check_int("d", d, minimum=1)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, T, d))
    return X, X[:, 0, 0].copy()


class RNN(Objective):
    """J(θ) = mean ½(ŷ − y)² of a tanh RNN with ``hidden`` units read out at the last step.

    ``X``: inputs of shape (m, T, d); ``y``: targets of shape (m,). Minibatches are index
    arrays. ``hessian`` is not available: ``hvp`` falls back on finite differences of the
    exact gradient (the base-class default).
    """

    def __init__(self, X, y, hidden: int = 8):
        X = np.array(X, dtype=float)
        if X.ndim != 3:
            raise ValueError(f"X must have shape (m, T, d), got {X.shape}")
        y = np.array(y, dtype=float)
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
            raise ValueError("X and y must hold finite numbers only")
        self.X, self.y = X, y
        self.n_examples, self.T, self.d = X.shape
        self.n = check_int("hidden", hidden, minimum=1)
        n, d = self.n, self.d
        self.shapes = {"W": (n, n), "U": (n, d), "b": (n,), "v": (n,), "c": (1,)}
        self.dim = n * n + n * d + 2 * n + 1
        self.name = f"RNN {d}-{n}-1, T = {self.T}"

    # --- θ as a flat vector ----------------------------------------------------------------
    def unpack(self, theta) -> dict:
        """θ → {"W", "U", "b", "v", "c"} (copies; layout in the module doc)."""
        theta = as_vector("theta", theta, self.dim)
        parts, start = {}, 0
        for name, shape in self.shapes.items():
            size = int(np.prod(shape))
            parts[name] = theta[start:start + size].reshape(shape)
            start += size
        return parts

    def pack(self, W, U, b, v, c) -> np.ndarray:
        given = {"W": W, "U": U, "b": b, "v": v, "c": np.atleast_1d(c)}
        parts = []
        for name, shape in self.shapes.items():
            array = np.asarray(given[name], dtype=float)
            if array.shape != shape:
                raise ValueError(f"{name} has shape {array.shape}, expected {shape}")
            parts.append(array.ravel())
        return np.concatenate(parts)

    def init_theta(self, rng=None, spectral_radius: float = 0.9, input_scale: float = 1.0,
                   readout_scale: float = 0.5) -> np.ndarray:
        """A random θ whose W has the given spectral radius (b = 0, c = 0)."""
        rho = check_positive("spectral_radius", spectral_radius)
        rng = np.random.default_rng(rng)
        n, d = self.n, self.d
        W = with_spectral_radius(rng.standard_normal((n, n)) / np.sqrt(n), rho)
        U = input_scale * rng.standard_normal((n, d)) / np.sqrt(d)
        v = readout_scale * rng.standard_normal(n) / np.sqrt(n)
        return self.pack(W, U, np.zeros(n), v, 0.0)

    # --- forward and backward ------------------------------------------------------------
    def _rows(self, batch):
        if batch is None:
            return self.X, self.y
        return self.X[batch], self.y[batch]

    def forward(self, theta, X=None) -> dict:
        """Pre-activations a (m, T, n), states h (m, T + 1, n) with h_0 = 0, outputs ŷ (m,)."""
        p = self.unpack(theta)
        X = self.X if X is None else np.asarray(X, dtype=float)
        m = len(X)
        h = np.zeros((m, self.T + 1, self.n))
        a = np.zeros((m, self.T, self.n))
        for t in range(1, self.T + 1):
            a[:, t - 1] = h[:, t - 1] @ p["W"].T + X[:, t - 1] @ p["U"].T + p["b"]
            h[:, t] = np.tanh(a[:, t - 1])                  # h_t = tanh(W h_{t−1} + U x_t + b)
        return {"a": a, "h": h, "y_hat": h[:, self.T] @ p["v"] + p["c"][0]}

    def loss(self, theta, batch=None) -> float:
        X, y = self._rows(batch)
        return float(0.5 * np.mean((self.forward(theta, X)["y_hat"] - y) ** 2))

    def grad(self, theta, batch=None) -> np.ndarray:
        """Backpropagation through time: δ_t = ∂L/∂a_t from t = T down to 1."""
        X, y = self._rows(batch)
        p = self.unpack(theta)
        f = self.forward(theta, X)
        h, m = f["h"], len(X)
        e = (f["y_hat"] - y) / m                            # ∂J/∂ŷ, per example
        grads = {name: np.zeros(shape) for name, shape in self.shapes.items()}
        grads["v"] = h[:, self.T].T @ e                      # ∂J/∂v = Σ e h_T
        grads["c"][0] = e.sum()
        dh = np.outer(e, p["v"])                             # ∂J/∂h_T
        for t in range(self.T, 0, -1):
            delta = dh * (1.0 - h[:, t] ** 2)                # ∂J/∂a_t = ∂J/∂h_t ⊙ tanh′
            grads["W"] += delta.T @ h[:, t - 1]
            grads["U"] += delta.T @ X[:, t - 1]
            grads["b"] += delta.sum(axis=0)
            dh = delta @ p["W"]                              # ∂J/∂h_{t−1} = Wᵀδ_t
        return np.concatenate([grads[name].ravel() for name in self.shapes])

    # --- the gradient through time --------------------------------------------------------
    def state_jacobian_norms(self, theta, example: int = 0) -> dict:
        """‖∂h_T/∂h_t‖ for t = T..0 on one training sequence (``jacobians.rnn_state_jacobians``)."""
        example = check_int("example", example, minimum=0)
        if example >= self.n_examples:
            raise ValueError(f"example must be < {self.n_examples}, got {example}")
        p = self.unpack(theta)
        a = self.forward(theta, self.X[example:example + 1])["a"][0]
        return rnn_state_jacobians(p["W"], a)

    def gradient_through_time(self, theta, batch=None) -> np.ndarray:
        """‖∂J/∂h_t‖ for t = 0..T: how much of the loss's gradient reaches each time step
        (the norm over the batch of the backpropagated state gradients)."""
        X, y = self._rows(batch)
        p = self.unpack(theta)
        f = self.forward(theta, X)
        e = (f["y_hat"] - y) / len(X)
        dh = np.outer(e, p["v"])
        norms = np.empty(self.T + 1)
        for t in range(self.T, 0, -1):
            norms[t] = np.linalg.norm(dh)
            dh = (dh * (1.0 - f["h"][:, t] ** 2)) @ p["W"]
        norms[0] = np.linalg.norm(dh)
        return norms
