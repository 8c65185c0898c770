"""Products of Jacobians: why gradients vanish or explode through many stages (section 8.2.5).

The Jacobian of a composition f = f_T ∘ … ∘ f_1 is the product of the stages' Jacobians,
J = J_T ⋯ J_1. Backpropagation multiplies by them one after the other, so what reaches
the first stage is the gradient times T factors:

- scalar chain: every factor the same number w gives w^T, which goes to 0 for |w| < 1 and
  to ∞ for |w| > 1 (``scalar_chain``);
- a repeated matrix W = V diag(λ) V⁻¹ gives W^t = V diag(λ)^t V⁻¹: each eigen-direction
  is scaled by λᵢ^t, and the norm grows or shrinks like |λ_max|^t (``matrix_powers``);
- independent random matrices: log‖J_t ⋯ J_1 u‖ is a sum of t independent terms, a
  random walk, so it moves linearly with depth (its mean slope is the top Lyapunov
  exponent) and its spread grows like √t (``random_products``, ``gaussian_lyapunov``);
- a recurrent network applies the *same* W at every time step, through tanh:
  ∂h_T/∂h_t = ∏ diag(1 − h_s²) W (``rnn_state_jacobians``).
"""

from __future__ import annotations

import numpy as np

from .validation import as_vector, check_int, check_positive, check_real


def scalar_chain(w: float, T: int) -> np.ndarray:
    """[w⁰, w¹, …, w^T]: the derivative of x ↦ w^t x through t identical stages."""
    w = check_real("w", w)
    T = check_int("T", T, minimum=0)
    return w ** np.arange(T + 1, dtype=float)


def _square(name: str, W) -> np.ndarray:
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {W.shape}")
    return W


def matrix_powers(W, T: int) -> dict:
    """‖W^t‖₂ for t = 0..T, two ways: repeated products, and V diag(λ)^t V⁻¹.

    ``"norms"`` (by multiplying), ``"norms_eig"`` (from the eigendecomposition, which
    needs W diagonalizable), ``"eigenvalues"`` and ``"radius"`` = max|λᵢ|, the rate
    ‖W^t‖^(1/t) tends to.
    """
    W = _square("W", W)
    T = check_int("T", T, minimum=0)
    lam, V = np.linalg.eig(W)
    V_inv = np.linalg.inv(V)
    P, norms, norms_eig = np.eye(len(W)), [], []
    for t in range(T + 1):
        norms.append(np.linalg.norm(P, 2))
        Pt = (V * lam ** t) @ V_inv                         # V diag(λ)^t V⁻¹
        norms_eig.append(np.linalg.norm(Pt.real, 2))
        P = W @ P
    return {"t": np.arange(T + 1), "norms": np.array(norms), "norms_eig": np.array(norms_eig),
            "eigenvalues": lam, "radius": float(np.max(np.abs(lam)))}


def gaussian_lyapunov(n: int, sigma: float = 1.0) -> dict:
    """Mean and variance per stage of log‖M u‖/‖u‖ for M with N(0, σ²/n) entries.

    M u/‖u‖ has the law of σ/√n times a standard normal vector in ℝⁿ (rotation invariance),
    so log‖Mu‖/‖u‖ = log σ + ½ log(χ²_n/n): mean log σ + ½(ψ(n/2) + log(2/n)) and variance
    ¼ψ′(n/2), ψ the digamma function. This mean is the top Lyapunov exponent of the
    product (Newman 1986): the slope of the log-norm against depth.
    """
    from scipy.special import digamma, polygamma  # here: importing scipy takes a while

    n = check_int("n", n, minimum=1)
    sigma = check_positive("sigma", sigma)
    mean = np.log(sigma) + 0.5 * (digamma(n / 2) + np.log(2.0 / n))
    return {"mean": float(mean), "var": float(0.25 * polygamma(1, n / 2))}


def random_products(n: int, depth: int, sigma: float = 1.0, runs: int = 1, rng=None) -> dict:
    """log‖J_t ⋯ J_1 u‖ for t = 0..depth, J_s with independent N(0, σ²/n) entries.

    ``runs`` independent chains, each from its own random unit vector u. Returns
    ``"log_norms"`` of shape (runs, depth + 1), and the theory's ``"slope"`` and per-stage
    ``"var"`` (``gaussian_lyapunov``).
    """
    n = check_int("n", n, minimum=1)
    depth = check_int("depth", depth, minimum=0)
    runs = check_int("runs", runs, minimum=1)
    sigma = check_positive("sigma", sigma)
    rng = np.random.default_rng(rng)
    u = rng.standard_normal((runs, n))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    logs = np.zeros((runs, depth + 1))
    for t in range(1, depth + 1):
        J = rng.standard_normal((runs, n, n)) * (sigma / np.sqrt(n))
        u = np.einsum("rij,rj->ri", J, u)                      # u ← J_t u
        size = np.linalg.norm(u, axis=1)
        logs[:, t] = logs[:, t - 1] + np.log(size)
        u /= size[:, None]                                     # renormalize: no overflow
    theory = gaussian_lyapunov(n, sigma)
    return {"t": np.arange(depth + 1), "log_norms": logs, "slope": theory["mean"],
            "var": theory["var"]}


def rnn_state_jacobians(W, pre_activations) -> dict:
    """‖∂h_T/∂h_t‖₂ for t = T..0 in a tanh RNN h_t = tanh(a_t), a_t = W h_{t−1} + U x_t + b.

    ``pre_activations``: the (T, n) array of a_1..a_T of one sequence. The stage Jacobian
    is ∂h_t/∂h_{t−1} = diag(1 − tanh²(a_t)) W; ∂h_T/∂h_t is the product of the stages
    after t. ``"norms"[t]`` is ‖∂h_T/∂h_t‖ (so ``norms[T]`` = ‖I‖ = 1), ``"linear"[t]`` is
    the same product without the tanh factors, ‖W^(T−t)‖: the linear RNN.
    """
    W = _square("W", W)
    A = np.asarray(pre_activations, dtype=float)
    if A.ndim != 2 or A.shape[1] != len(W):
        raise ValueError(f"pre_activations must have shape (T, {len(W)}), got {A.shape}")
    T = len(A)
    P, L = np.eye(len(W)), np.eye(len(W))
    norms, linear = np.empty(T + 1), np.empty(T + 1)
    norms[T] = linear[T] = 1.0
    for t in range(T, 0, -1):                        # P = ∂h_T/∂h_{t−1} = ∂h_T/∂h_t · J_t
        P = P @ (np.diag(1.0 - np.tanh(A[t - 1]) ** 2) @ W)
        L = L @ W
        norms[t - 1], linear[t - 1] = np.linalg.norm(P, 2), np.linalg.norm(L, 2)
    return {"t": np.arange(T + 1), "norms": norms, "linear": linear}


def spectral_radius(W) -> float:
    """max |λᵢ(W)|."""
    return float(np.max(np.abs(np.linalg.eigvals(_square("W", W)))))


def with_spectral_radius(W, rho: float) -> np.ndarray:
    """W rescaled so that its spectral radius is ``rho``."""
    rho = check_positive("rho", rho)
    W = _square("W", W)
    return W * (rho / spectral_radius(W))


def fitted_slope(t, log_values) -> float:
    """Least-squares slope of ``log_values`` against ``t`` (a straight line's rate)."""
    t = as_vector("t", t)
    y = as_vector("log_values", log_values, t.size)
    return float(np.polyfit(t, y, 1)[0])
