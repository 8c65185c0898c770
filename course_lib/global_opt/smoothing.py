"""Section 8.7.6, continuation: the Gaussian-smoothed objective J_σ(θ) = E[J(θ′)], θ′ ~ N(θ, σ²I).

Blurring J with a Gaussian of width σ is a convolution. For three kinds of terms the
convolution has a closed form, so J_σ, its gradient and its Hessian are exact:

- a Gaussian bump a·exp(−‖θ − μ‖²/2s²) stays a bump, wider and lower:
  a·(s²/(s² + σ²))^{d/2}·exp(−‖θ − μ‖²/2(s² + σ²));
- a cosine a·cos(ωᵀθ + φ) keeps its phase and loses amplitude: a·e^{−σ²‖ω‖²/2}·cos(ωᵀθ + φ);
- a polynomial Σ c_k t^k in one coordinate t = θ_j: E[(t + σz)^k] = Σ_i C(k, i) t^{k−i} σ^i E[z^i],
  with E[z^i] = (i − 1)!! for even i and 0 for odd i.

``SmoothableSum`` is a sum of such terms with a blur ``sigma`` (0: J itself); ``smoothed(σ)``
blurs it further (two blurs of σ₁ and σ₂ make one of √(σ₁² + σ₂²)). Any other objective
is blurred by seeded Monte Carlo (``smoothing_mc.MonteCarloSmoothed``);
``gaussian_smoothing`` picks the exact form when there is one. ``convexity_threshold``
finds, for a 1-D J, the smallest σ above which J_σ″ > 0 everywhere on an interval.
"""

from __future__ import annotations

from math import comb

import numpy as np
from numpy.polynomial import polynomial as P

from ..objectives.base import Objective
from ..validation import as_vector, check_int, check_positive, check_real


def _dfact_moment(i: int) -> float:
    """E[zⁱ] for z ~ N(0, 1): (i − 1)!! for even i, 0 for odd i."""
    if i % 2:
        return 0.0
    return float(np.prod(np.arange(i - 1, 0, -2))) if i else 1.0


def _horner(coefs: np.ndarray, t):
    """Σ_k c_k t^k by Horner's rule (coefficients lowest degree first)."""
    v = np.zeros_like(t) + coefs[-1]
    for c in coefs[-2::-1]:
        v = v * t + c
    return v


class GaussianBump:
    """a·exp(−‖θ − μ‖²/(2s²)); a < 0 makes a well."""

    def __init__(self, a: float, mu, s: float):
        self.a = check_real("a", a)
        self.mu = as_vector("mu", mu)
        self.s = check_positive("s", s)

    def evaluate(self, theta: np.ndarray, sigma: float, order: int = 2):
        """(value, gradient, Hessian) of the blurred bump at θ of shape (..., d), up to the
        derivative ``order`` (0: the value alone)."""
        d = self.mu.size
        S2 = self.s ** 2 + sigma ** 2                   # widths add in quadrature
        r = theta - self.mu
        v = self.a * (self.s ** 2 / S2) ** (d / 2) * np.exp(-np.sum(r * r, -1) / (2 * S2))
        if order == 0:
            return (v,)
        g = -v[..., None] * r / S2
        if order == 1:
            return v, g
        H = v[..., None, None] * (r[..., :, None] * r[..., None, :] / S2 ** 2
                                  - np.eye(d) / S2)
        return v, g, H


class Cosine:
    """a·cos(ωᵀθ + φ)."""

    def __init__(self, a: float, omega, phi: float = 0.0):
        self.a = check_real("a", a)
        self.omega = as_vector("omega", omega)
        self.phi = check_real("phi", phi)

    def evaluate(self, theta: np.ndarray, sigma: float, order: int = 2):
        decay = np.exp(-0.5 * sigma ** 2 * self.omega @ self.omega)   # e^{−σ²‖ω‖²/2}
        u = theta @ self.omega + self.phi
        v = self.a * decay * np.cos(u)
        if order == 0:
            return (v,)
        g = -(self.a * decay * np.sin(u))[..., None] * self.omega
        if order == 1:
            return v, g
        H = -v[..., None, None] * np.outer(self.omega, self.omega)
        return v, g, H


class Polynomial:
    """Σ_k c_k t^k in the coordinate t = θ[axis] (``coefs`` lowest degree first)."""

    def __init__(self, coefs, axis: int = 0):
        self.coefs = as_vector("coefs", coefs)
        self.axis = check_int("axis", axis)
        self._cache: dict = {}                  # σ → blurred coefficients

    def blurred_coefs(self, sigma: float) -> np.ndarray:
        """The coefficients of t ↦ E[p(t + σz)]: q_j = Σ_k c_k C(k, j) σ^{k−j} E[z^{k−j}]."""
        q = np.zeros_like(self.coefs)
        for k, c in enumerate(self.coefs):
            for j in range(k + 1):
                q[j] += c * comb(k, j) * sigma ** (k - j) * _dfact_moment(k - j)
        return q

    def evaluate(self, theta: np.ndarray, sigma: float, order: int = 2):
        d = theta.shape[-1]
        if self.axis >= d:
            raise ValueError(f"axis must be < dim = {d}, got {self.axis}")
        if sigma not in self._cache:           # the blurred polynomial and its derivatives
            q = self.blurred_coefs(sigma)
            self._cache[sigma] = (q, P.polyder(q), P.polyder(q, 2))
        q, dq, ddq = self._cache[sigma]
        t = theta[..., self.axis]
        e = np.zeros(d)
        e[self.axis] = 1.0
        v = _horner(q, t)
        if order == 0:
            return (v,)
        g = _horner(dq, t)[..., None] * e
        if order == 1:
            return v, g
        H = _horner(ddq, t)[..., None, None] * np.outer(e, e)
        return v, g, H


class SmoothableSum(Objective):
    """J(θ) = Σ terms, blurred by ``sigma`` (exact): J_σ(θ) = E[J(θ + σz)], z ~ N(0, I).

    ``minima``/``min_value``: the global minimum of the *unblurred* J where known;
    ``box``: a plotting box (2-D) or interval (1-D). ``values(thetas)``, ``grads`` and
    ``second`` evaluate many points at once (rows of an (n, d) array).
    """

    n_examples = None

    def __init__(self, terms, dim: int, sigma: float = 0.0, name: str = "sum of terms",
                 box=None, minima=None, min_value=None):
        self.terms = tuple(terms)
        if not self.terms:
            raise ValueError("terms must hold at least one term")
        self.dim = check_int("dim", dim, minimum=1)
        self.sigma = check_positive("sigma", sigma, allow_zero=True)
        self.name, self.box = name, box
        self.minima = None if minima is None else np.atleast_2d(np.asarray(minima, float))
        self.min_value = min_value
        self._last = None                       # (θ's bytes, its value and derivatives)

    def smoothed(self, sigma: float) -> SmoothableSum:
        """J blurred by a further σ: Gaussian blurs compose, σ_total² = self.sigma² + σ²."""
        sigma = check_positive("sigma", sigma, allow_zero=True)
        total = float(np.hypot(self.sigma, sigma))
        label = self.name.split(" blurred")[0]
        return SmoothableSum(self.terms, self.dim, total,
                             f"{label} blurred (σ = {total:g})" if total else label,
                             self.box, self.minima, self.min_value if total == 0 else None)

    def _sum(self, theta, order: int = 2):
        theta = np.asarray(theta, dtype=float)
        single = theta.ndim == 1
        if single:
            # An optimizer asks for J and ∇J at the same θ several times (``minimize`` records
            # both after every step): the last point's value and gradient are kept.
            key = theta.tobytes()
            if self._last is not None and self._last[0] == key and len(self._last[1]) > order:
                return self._last[1]
            order = max(order, 1)
        parts = [term.evaluate(theta, self.sigma, order) for term in self.terms]
        out = tuple(sum(p[i] for p in parts) for i in range(order + 1))
        if single:
            self._last = (key, out)
        return out

    def values(self, thetas) -> np.ndarray:
        """J_σ at each row of ``thetas`` (shape (n, d); a 1-D array of θ's when dim = 1)."""
        return self._sum(self._rows(thetas), 0)[0]

    def grads(self, thetas) -> np.ndarray:
        return self._sum(self._rows(thetas), 1)[1]

    def second(self, thetas) -> np.ndarray:
        """J_σ″ at each point of a 1-D problem (the 1 × 1 Hessian), shape (n,)."""
        if self.dim != 1:
            raise ValueError(f"second is for 1-D objectives, this one has dim = {self.dim}")
        return self._sum(self._rows(thetas))[2][:, 0, 0]

    def _rows(self, thetas) -> np.ndarray:
        thetas = np.asarray(thetas, dtype=float)
        if self.dim == 1 and thetas.ndim == 1:
            thetas = thetas[:, None]
        if thetas.ndim != 2 or thetas.shape[1] != self.dim:
            raise ValueError(f"thetas must have shape (n, {self.dim}), got {thetas.shape}")
        return thetas

    def loss(self, theta, batch=None) -> float:
        return float(self._sum(as_vector("theta", theta, self.dim), 0)[0])

    def grad(self, theta, batch=None) -> np.ndarray:
        return np.array(self._sum(as_vector("theta", theta, self.dim), 1)[1], dtype=float)

    def hessian(self, theta, batch=None) -> np.ndarray:
        return np.array(self._sum(as_vector("theta", theta, self.dim))[2], dtype=float)

    def loss_grid(self, X, Y) -> np.ndarray:
        """J_σ on a meshgrid (2-D objectives), for contour plots."""
        if self.dim != 2:
            raise ValueError(f"loss_grid is for 2-D objectives, this one has dim = {self.dim}")
        return self._sum(np.stack([np.asarray(X, float), np.asarray(Y, float)], -1), 0)[0]


def gaussian_smoothing(objective, sigma: float, **monte_carlo):
    """J_σ as an Objective: exact if ``objective`` has ``smoothed`` (a ``SmoothableSum``),
    else ``MonteCarloSmoothed(objective, sigma, **monte_carlo)``. σ = 0 returns J itself."""
    sigma = check_positive("sigma", sigma, allow_zero=True)
    if hasattr(objective, "smoothed"):
        return objective.smoothed(sigma)
    if sigma == 0:
        return objective
    from .smoothing_mc import MonteCarloSmoothed
    return MonteCarloSmoothed(objective, sigma, **monte_carlo)


def convexity_threshold(objective: SmoothableSum, interval, sigma_max: float = 10.0,
                        n_grid: int = 2001, n_scan: int = 400, tol: float = 1e-6) -> float:
    """The smallest σ such that J_σ″(θ) > 0 at every θ of ``interval`` for σ and every larger
    σ up to ``sigma_max`` (1-D objectives; θ on a grid of ``n_grid`` points).

    A scan over σ finds the last σ where some curvature is ≤ 0; bisection then pins the
    crossing to ``tol``. Raises ValueError if J_σ is still not convex at ``sigma_max``.
    """
    low, high = (float(x) for x in interval)
    if not high > low:
        raise ValueError(f"interval must be (low, high) with low < high, got {interval}")
    grid = np.linspace(low, high, check_int("n_grid", n_grid, minimum=3))

    def convex(sigma):
        return bool(np.min(objective.smoothed(sigma).second(grid)) > 0)

    sigmas = np.linspace(0.0, check_positive("sigma_max", sigma_max), n_scan + 1)
    flags = np.array([convex(s) for s in sigmas])
    if not flags[-1]:
        raise ValueError(f"J_σ is not convex on {interval} even at sigma_max = {sigma_max:g}")
    if flags.all():
        return 0.0
    last_bad = int(np.flatnonzero(~flags)[-1])
    a, b = sigmas[last_bad], sigmas[last_bad + 1]
    while b - a > tol:                         # invariant: not convex at a, convex at b
        m = 0.5 * (a + b)
        a, b = (a, m) if convex(m) else (m, b)
    return float(b)
