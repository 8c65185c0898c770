"""Linear conjugate gradients and steepest descent with exact line searches (section 8.6.2).

Both minimize the quadratic f(x) = ½xᵀAx − bᵀx with A symmetric positive definite, whose
gradient is the residual r = Ax − b, and both step to the exact minimizer along their
direction d: η = −rᵀd / dᵀAd.

- **Steepest descent** takes d = −r. The exact step makes the new gradient orthogonal to the
  old direction, so successive directions are at right angles: the zig-zag of the book's
  figure 8.6, slow when A is badly conditioned.
- **Conjugate gradients** take d_k = −r_k + β_k d_{k−1} with β_k = r_kᵀr_k / r_{k−1}ᵀr_{k−1}
  (Fletcher–Reeves; on a quadratic with exact steps it equals Polak–Ribière). The
  directions are then A-conjugate, d_iᵀAd_j = 0 for i ≠ j, so minimizing along one never
  undoes the others: in exact arithmetic CG reaches the minimum in at most n steps, and in
  k steps when A has only k distinct eigenvalues (Nocedal & Wright, *Numerical
  Optimization*, Algorithm 5.2 and Theorem 5.4).

A ``Quadratic`` objective J(θ) = ½(θ − θ*)ᵀA(θ − θ*) is this f with b = Aθ* (plus a
constant): pass ``q.A`` and ``q.A @ q.center``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...validation import as_vector, check_int, check_positive


@dataclass(frozen=True, eq=False)
class QuadraticRun:
    """What an iterative method did on ½xᵀAx − bᵀx; row i belongs to iteration i."""

    x: np.ndarray               # the final iterate
    xs: np.ndarray              # iterates x_0 … x_k, shape (k + 1, n)
    residuals: np.ndarray       # r_i = A x_i − b (the gradient), shape (k + 1, n)
    directions: np.ndarray      # the search directions d_0 … d_{k−1}, shape (k, n)
    etas: np.ndarray            # the exact step lengths η_0 … η_{k−1}, shape (k,)
    n_iter: int                 # k, the number of steps taken
    converged: bool             # ‖r_k‖ ≤ tol · ‖b‖ (CG only; False for steepest descent)
    message: str

    @property
    def residual_norms(self) -> np.ndarray:
        """‖r_i‖ for i = 0 … k."""
        return np.linalg.norm(self.residuals, axis=1)

    def gram(self, A=None) -> np.ndarray:
        """The matrix of d_iᵀ A d_j (A = None: plain dot products d_iᵀd_j)."""
        D = self.directions
        return D @ D.T if A is None else D @ np.asarray(A, dtype=float) @ D.T


def _check_problem(A, b, x0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    b = as_vector("b", b)
    A = np.asarray(A, dtype=float)
    if A.shape != (b.size, b.size):
        raise ValueError(f"A has shape {A.shape}, but b has shape {b.shape}: A must be "
                         f"({b.size}, {b.size})")
    if not np.allclose(A, A.T, rtol=1e-10, atol=1e-12 * np.max(np.abs(A), initial=0.0)):
        raise ValueError("A must be symmetric (A = Aᵀ), got a matrix that is not")
    x0 = np.zeros(b.size) if x0 is None else as_vector("x0", x0)
    if x0.shape != b.shape:
        raise ValueError(f"x0 has shape {x0.shape}, but b has shape {b.shape}")
    return A, b, x0


def _curvature(d, Ad, i) -> float:
    """dᵀAd, which must be > 0 for the exact step to be a minimum."""
    dAd = float(d @ Ad)
    if not dAd > 0:
        raise ValueError(f"A must be positive definite: dᵀAd = {dAd:.3g} <= 0 "
                         f"at iteration {i}")
    return dAd


def linear_cg(A, b, x0=None, tol=1e-10, maxiter=None) -> QuadraticRun:
    """Conjugate gradients for Ax = b, i.e. min ½xᵀAx − bᵀx, A symmetric positive definite.

    Stops when ‖r‖ ≤ ``tol`` · ‖b‖ (``tol`` itself when b = 0), or after ``maxiter`` steps
    (default 10n, scipy's choice: rounding can cost a few steps beyond n). ``x0`` defaults
    to 0. Raises ``ValueError`` if A is not symmetric or a direction shows dᵀAd ≤ 0.
    """
    A, b, x = _check_problem(A, b, x0)
    tol = check_positive("tol", tol)
    maxiter = 10 * b.size if maxiter is None else check_int("maxiter", maxiter, minimum=0)
    threshold = tol * np.linalg.norm(b) if np.any(b) else tol
    r = A @ x - b                                       # r₀ ← A x₀ − b
    d = -r                                              # d₀ ← −r₀
    xs, rs, ds, etas = [x], [r], [], []
    converged = bool(np.linalg.norm(r) <= threshold)
    while not converged and len(ds) < maxiter:
        Ad = A @ d
        eta = float(r @ r) / _curvature(d, Ad, len(ds))  # η_k ← r_kᵀr_k / d_kᵀAd_k
        x = x + eta * d                                 # x_{k+1} ← x_k + η_k d_k
        r_new = r + eta * Ad                            # r_{k+1} ← r_k + η_k A d_k
        beta = float(r_new @ r_new) / float(r @ r)      # β_{k+1} ← r_{k+1}ᵀr_{k+1} / r_kᵀr_k
        ds.append(d)
        etas.append(eta)
        d = -r_new + beta * d                           # d_{k+1} ← −r_{k+1} + β_{k+1} d_k
        r = r_new
        xs.append(x)
        rs.append(r)
        converged = bool(np.linalg.norm(r) <= threshold)
    k = len(ds)
    message = (f"‖r‖ <= {tol:g}·‖b‖ after {k} iterations" if converged
               else f"reached maxiter = {maxiter} with ‖r‖ = {np.linalg.norm(r):.3g}")
    return QuadraticRun(x=x, xs=np.array(xs), residuals=np.array(rs),
                        directions=np.array(ds).reshape(k, b.size), etas=np.array(etas),
                        n_iter=k, converged=converged, message=message)


def steepest_descent_exact(A, b, x0, steps) -> QuadraticRun:
    """Steepest descent with exact line searches on ½xᵀAx − bᵀx, for ``steps`` steps.

    d_k = −r_k and η_k = r_kᵀr_k / r_kᵀAr_k, the minimizer of f along d_k. Each gradient is
    computed afresh as A x_k − b (not by CG's recursion), so the right angles shown are
    those of the true gradients. It stops early only if the gradient is exactly 0.
    ``converged`` is always False: this function is for watching the zig-zag
    (``run.gram()`` shows d_{k+1}ᵀd_k = 0), not for solving.
    """
    A, b, x = _check_problem(A, b, x0)
    steps = check_int("steps", steps, minimum=0)
    r = A @ x - b                                       # r₀ ← A x₀ − b
    xs, rs, ds, etas = [x], [r], [], []
    while len(ds) < steps and np.any(r):
        d = -r                                          # d_k ← −r_k
        Ad = A @ d
        eta = float(r @ r) / _curvature(d, Ad, len(ds))  # η_k ← r_kᵀr_k / d_kᵀAd_k
        x = x + eta * d                                 # x_{k+1} ← x_k + η_k d_k
        r = A @ x - b                                   # r_{k+1} ← A x_{k+1} − b (afresh)
        ds.append(d)
        etas.append(eta)
        xs.append(x)
        rs.append(r)
    k = len(ds)
    return QuadraticRun(x=x, xs=np.array(xs), residuals=np.array(rs),
                        directions=np.array(ds).reshape(k, b.size), etas=np.array(etas),
                        n_iter=k, converged=False,
                        message=f"took {k} exact steepest-descent steps")
