"""Empirical risk against true risk, on data drawn from a distribution we know (section 8.1.1).

Training minimizes the empirical risk J(θ) = (1/m) Σᵢ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾) (eqs. 8.1, 8.3);
what we care about is the true risk J*(θ) = E_{(x, y)∼p_data} L(f(x; θ), y) (eq. 8.2). Here
p_data is known, so J* is computed exactly and set beside J.

The task (``PolynomialTask``): x ∼ U(−1, 1), y = f*(x) + σε with ε ∼ N(0, 1), by default
f*(x) = sin(2πx), and the squared loss L = ½ (f − y)². The model is a polynomial of degree d,
f(x; θ) = Σ_{j=0}^{d} θⱼ φⱼ(x), whose features are the normalized Legendre polynomials
φⱼ = √(2j + 1) Pⱼ. They are orthonormal under p(x), E[φᵢ(x) φⱼ(x)] = δᵢⱼ, so

    J*(θ) = ½ (‖θ − c‖² + Σ_{j>d} cⱼ² + σ²),   ∇J*(θ) = θ − c,   cⱼ = E[φⱼ(x) f*(x)]

exactly: the part training can remove, the part degree d cannot represent (the bias), and
the noise no model can remove (the Bayes risk ½σ²). The coefficients cⱼ come from
Gauss–Legendre quadrature, exact to rounding for a smooth f*. The degree is the capacity:
d + 1 parameters, enough to fit d + 1 points exactly (and to overfit them).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.polynomial import legendre

from .objectives import LinearRegression
from .validation import as_vector, check_int, check_positive

QUADRATURE_NODES = 256          # Gauss–Legendre nodes: exact for polynomials up to degree 511


def _seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an int, got {seed!r}")
    return int(seed)


class PolynomialTask:
    """Regression with a known data distribution: x ∼ U(−1, 1), y = f*(x) + σε (module doc).

    ``noise`` is σ (≥ 0); ``target`` is f*, a vectorized function on [−1, 1] (default
    sin(2πx)); ``name`` describes it in reports.
    """

    def __init__(self, noise: float = 0.3, target=None, name: str | None = None):
        self.noise = check_positive("noise", noise, allow_zero=True)
        if target is not None and not callable(target):
            raise ValueError(f"target must be a function of x or None, got {target!r}")
        self.target = target if target is not None else (lambda x: np.sin(2 * np.pi * x))
        self.name = name or ("sin 2πx" if target is None else "custom target")
        nodes, weights = legendre.leggauss(QUADRATURE_NODES)
        self._nodes, self._weights = nodes, weights / 2.0      # expectations under U(−1, 1)
        self._f_nodes = np.asarray(self.target(nodes), dtype=float)
        self.target_power = float(self._weights @ self._f_nodes ** 2)     # E[f*(x)²]

    @property
    def bayes_risk(self) -> float:
        """½σ²: the true risk of f* itself, which no model can beat."""
        return 0.5 * self.noise ** 2

    # --- the model -------------------------------------------------------------------------
    @staticmethod
    def features(x, degree: int) -> np.ndarray:
        """φ₀(x) … φ_d(x) along a new last axis: normalized Legendre polynomials √(2j+1) Pⱼ."""
        degree = check_int("degree", degree, minimum=0)
        x = np.asarray(x, dtype=float)
        if x.size and (np.abs(x).max() > 1.0 or not np.all(np.isfinite(x))):
            raise ValueError("x must lie in [-1, 1]")
        return legendre.legvander(x, degree) * np.sqrt(2.0 * np.arange(degree + 1) + 1.0)

    @functools.lru_cache(maxsize=64)    # noqa: B019 - a few tasks live for the whole session
    def _coefficients(self, degree: int) -> np.ndarray:
        phi = self.features(self._nodes, degree)
        return phi.T @ (self._weights * self._f_nodes)

    def coefficients(self, degree: int) -> np.ndarray:
        """c₀ … c_d, cⱼ = E[φⱼ(x) f*(x)]: the best θ of degree d (the minimizer of J*)."""
        return self._coefficients(check_int("degree", degree, minimum=0)).copy()

    def approximation_error(self, degree: int) -> float:
        """½ Σ_{j>d} cⱼ² = ½ (E[f*²] − Σ_{j≤d} cⱼ²): the bias of the best degree-d model."""
        c = self._coefficients(check_int("degree", degree, minimum=0))
        return 0.5 * max(self.target_power - float(c @ c), 0.0)

    def best_risk(self, degree: int) -> float:
        """min_θ J*(θ) for degree d: the Bayes risk plus the approximation error."""
        return self.bayes_risk + self.approximation_error(degree)

    # --- data --------------------------------------------------------------------------------
    def sample(self, m: int, seed=0) -> tuple[np.ndarray, np.ndarray]:
        """(x, y), m examples drawn i.i.d. from p_data; the same seed always gives the same
        data, and a larger m extends a smaller one (the first m examples are shared)."""
        m = check_int("m", m, minimum=1)
        x_stream, noise_stream = np.random.SeedSequence(_seed(seed)).spawn(2)
        x = np.random.default_rng(x_stream).uniform(-1.0, 1.0, size=m)
        eps = np.random.default_rng(noise_stream).standard_normal(m)
        return x, self.target(x) + self.noise * eps

    def samples(self, m: int, draws: int, seed=0) -> tuple[np.ndarray, np.ndarray]:
        """``draws`` independent training sets of size m, as (draws, m) arrays; draw r is
        ``sample(m, seed=seed * 1000 + r)``."""
        draws = check_int("draws", draws, minimum=1)
        pairs = [self.sample(m, seed=_seed(seed) * 1000 + r) for r in range(draws)]
        return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])

    # --- risks and gradients -----------------------------------------------------------------
    def _theta(self, theta) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        if theta.ndim == 0 or theta.shape[-1] < 1 or not np.all(np.isfinite(theta)):
            raise ValueError("theta must be a finite array whose last axis holds d + 1 "
                             f"coefficients, got shape {theta.shape}")
        return theta

    def true_risk(self, theta):
        """J*(θ) = ½ (‖θ − c‖² + Σ_{j>d} cⱼ² + σ²), exactly; θ may be stacked (…, d + 1)."""
        theta = self._theta(theta)
        degree = theta.shape[-1] - 1
        d = theta - self._coefficients(degree)
        risk = 0.5 * np.sum(d * d, axis=-1) + self.best_risk(degree)
        return float(risk) if np.ndim(risk) == 0 else risk

    def true_grad(self, theta) -> np.ndarray:
        """∇J*(θ) = θ − c (eq. 8.8 with p_data known): E[φφᵀ] = I, E[φ y] = c."""
        theta = self._theta(theta)
        return theta - self._coefficients(theta.shape[-1] - 1)

    def empirical_risk(self, theta, x, y) -> float:
        """J(θ) = (1/m) Σᵢ ½ (f(x⁽ⁱ⁾; θ) − y⁽ⁱ⁾)² on the examples (x, y) (eq. 8.3)."""
        theta = as_vector("theta", theta)
        residual = self.features(x, theta.size - 1) @ theta - np.asarray(y, dtype=float)
        return float(0.5 * np.mean(residual ** 2))

    def per_example_grads(self, theta, x, y) -> np.ndarray:
        """∇θ L for each example, one row each: φ(x)(φ(x)ᵀθ − y)."""
        theta = as_vector("theta", theta)
        phi = self.features(x, theta.size - 1)
        return phi * (phi @ theta - np.asarray(y, dtype=float))[:, None]

    def gradient_variance(self, theta) -> float:
        """σ² = E‖∇θL − ∇J*(θ)‖² for one fresh example, exactly (quadrature over x, the noise
        averaged in closed form): the variance whose root, over √m, is the standard error of
        a minibatch gradient of m fresh examples."""
        theta = as_vector("theta", theta)
        phi = self.features(self._nodes, theta.size - 1)
        r = phi @ theta - self._f_nodes                       # the error of f without noise
        sq_norm = np.sum(phi * phi, axis=1)                   # ‖φ(x)‖²
        second_moment = self._weights @ (sq_norm * (r * r + self.noise ** 2))
        g = self.true_grad(theta)
        return float(second_moment - g @ g)

    def objective(self, x, y, degree: int) -> LinearRegression:
        """The empirical risk of the degree-d model on (x, y) as an ``Objective``: a
        ``LinearRegression`` on the features φ(x), for every optimizer and ``minimize``."""
        return LinearRegression(self.features(x, degree), y)

    def fit(self, x, y, degree: int) -> np.ndarray:
        """The empirical risk minimizer (least squares; the minimum-norm θ when m ≤ d).

        With m ≥ 2(d + 1) examples the normal equations ΦᵀΦθ = Φᵀy are solved directly: the
        features are orthonormal under p(x), so ΦᵀΦ/m is close to I and well conditioned,
        and this is far cheaper than an SVD. Fewer examples go through ``np.linalg.lstsq``.
        """
        phi, y = self.features(x, degree), np.asarray(y, dtype=float)
        if phi.shape[0] >= 2 * phi.shape[1]:
            return np.linalg.solve(phi.T @ phi, phi.T @ y)
        return np.linalg.lstsq(phi, y, rcond=None)[0]

    def __repr__(self) -> str:
        return f"PolynomialTask({self.name}, noise={self.noise:g})"


def risk_vs_size(task: PolynomialTask, sizes, degree: int, draws: int = 20, seed=0) -> dict:
    """Empirical and true risk of the empirical risk minimizer for each training-set size.

    For each m of ``sizes`` and each of ``draws`` training sets (nested in m: the examples of
    a smaller set are the first ones of a larger one), fit θ̂ by least squares and record
    J(θ̂) and J*(θ̂). Returns ``sizes``, ``train`` and ``true`` as (draws, len(sizes)) arrays,
    and their means over draws, ``mean_train`` and ``mean_true``.
    """
    sizes = np.array([check_int("sizes", int(m), minimum=1) for m in sizes])
    draws = check_int("draws", draws, minimum=1)
    train = np.zeros((draws, len(sizes)))
    true = np.zeros_like(train)
    for r in range(draws):
        x_all, y_all = task.sample(int(sizes.max()), seed=_seed(seed) * 1000 + r)
        for i, m in enumerate(sizes):
            theta = task.fit(x_all[:m], y_all[:m], degree)
            train[r, i] = task.empirical_risk(theta, x_all[:m], y_all[:m])
            true[r, i] = task.true_risk(theta)
    return {"sizes": sizes, "degree": degree, "train": train, "true": true,
            "mean_train": train.mean(axis=0), "mean_true": true.mean(axis=0)}



# --- classification: two Gaussian classes, with the exact 0-1 risk ---------------------------
def _normal_cdf(z) -> np.ndarray:
    return 0.5 * np.vectorize(math.erfc)(-np.asarray(z, dtype=float) / math.sqrt(2.0))


class GaussianClasses:
    """Two Gaussian classes with a shared covariance: x | y ∼ N((2y − 1) μ, Σ), P(y = 1) = ½.

    The true 0-1 risk of a linear classifier, predict 1 when wᵀx + b > 0, is exact: wᵀx is
    normal with mean ±wᵀμ and standard deviation s = √(wᵀΣw), so
    P(error) = ½ Φ(−(wᵀμ + b)/s) + ½ Φ(−(wᵀμ − b)/s). The best classifier, w = Σ⁻¹μ, b = 0,
    errs with probability Φ(−√(μᵀΣ⁻¹μ)) (the Bayes error). The default: long thin clouds
    (Σ = 4uuᵀ + 0.02 vvᵀ, u at 30° from the x₁-axis, v ⟂ u) a little apart, μ = (0, 0.6):
    the direction between the class means is a poor separator, the narrow gap a good one.
    """

    def __init__(self, mean=(0.0, 0.6), cov=None):
        self.mean = as_vector("mean", mean)
        if cov is None:
            u = np.array([math.cos(math.pi / 6), math.sin(math.pi / 6)])
            v = np.array([-u[1], u[0]])
            cov = 4.0 * np.outer(u, u) + 0.02 * np.outer(v, v)
        cov = np.array(cov, dtype=float)
        n = self.mean.size
        if cov.shape != (n, n) or not np.allclose(cov, cov.T) or np.linalg.eigvalsh(cov)[0] <= 0:
            raise ValueError(f"cov must be a symmetric positive definite ({n}, {n}) matrix")
        self.cov = cov
        self.dim = n

    @property
    def bayes_direction(self) -> np.ndarray:
        return np.linalg.solve(self.cov, self.mean)

    @property
    def bayes_error(self) -> float:
        return float(_normal_cdf(-math.sqrt(self.mean @ self.bayes_direction)))

    def sample(self, m: int, seed=0) -> tuple[np.ndarray, np.ndarray]:
        """(X, y): m examples, half of them (rounded down) of class 1, in random order."""
        m = check_int("m", m, minimum=2)
        rng = np.random.default_rng(_seed(seed))
        y = rng.permutation(np.arange(m) < m // 2).astype(float)
        noise = rng.standard_normal((m, self.dim)) @ np.linalg.cholesky(self.cov).T
        return noise + np.outer(2 * y - 1, self.mean), y

    def error_rate(self, theta):
        """The exact 0-1 risk of θ = (w, b) (bias last, as with ``objectives.add_bias``);
        θ may be stacked, (…, dim + 1). θ = 0 predicts class 0 everywhere: error ½."""
        theta = np.asarray(theta, dtype=float)
        if theta.shape[-1] != self.dim + 1:
            raise ValueError(f"theta must end with {self.dim + 1} entries (w, b), "
                             f"got shape {theta.shape}")
        w, b = theta[..., :-1], theta[..., -1]
        s = np.sqrt(np.einsum("...i,ij,...j->...", w, self.cov, w))
        a = w @ self.mean
        with np.errstate(divide="ignore", invalid="ignore"):
            err = 0.5 * _normal_cdf(-(a + b) / s) + 0.5 * _normal_cdf(-(a - b) / s)
        err = np.where(s > 0, err, 0.5)                  # w = 0: one class everywhere
        return float(err) if np.ndim(err) == 0 else err
