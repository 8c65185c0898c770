"""Second-order views of a landscape (section 8.2): Hessian spectra, critical points, and
the second-order change of a gradient step.

- ``hessian_matrix`` / ``spectrum``: H at a point, exact where the objective has one,
  else built column by column from Hessian-vector products; its eigenvalues.
- ``classify``: what kind of critical point the eigenvalues say it is — a minimum (all
  > 0), a maximum (all < 0), a saddle (both signs) or degenerate (some are zero and the
  rest share a sign: second-order information cannot decide, as at a monkey saddle).
- ``find_critical_point``: minimize ½‖∇J(θ)‖², whose minima with value 0 are *all* the
  critical points of J, saddles included (Dauphin et al. 2014 located a network's saddles
  this way). Its gradient is H∇J, one Hessian-vector product.
- ``second_order_terms``: along a run, the Taylor prediction of each step's change,
  gᵀΔθ + ½ΔθᵀHΔθ; for a gradient step Δθ = −εg that is −εgᵀg + ½ε²gᵀHg (eq. 4.9's
  reading in section 8.2.2), exact on a quadratic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .run import Trace
from .validation import as_vector, check_int, check_positive

KINDS = ("minimum", "maximum", "saddle", "degenerate")


def hessian_matrix(objective, theta, batch=None) -> np.ndarray:
    """H(θ): ``objective.hessian`` if it has one, else n Hessian-vector products H eᵢ,
    symmetrized (½(H + Hᵀ)), since the finite-difference columns are not exactly so."""
    theta = as_vector("theta", theta, objective.dim)
    try:
        return np.asarray(objective.hessian(theta, batch), dtype=float)
    except NotImplementedError:
        pass
    eye = np.eye(objective.dim)
    H = np.column_stack([objective.hvp(theta, eye[i], batch) for i in range(objective.dim)])
    return 0.5 * (H + H.T)


def spectrum(objective, theta, batch=None) -> np.ndarray:
    """The eigenvalues of H(θ), smallest first."""
    return np.linalg.eigvalsh(hessian_matrix(objective, theta, batch))


def classify(eigenvalues, tol: float = 1e-8) -> str:
    """"minimum", "maximum", "saddle" or "degenerate" from the Hessian's eigenvalues.

    An eigenvalue with |λ| ≤ ``tol`` counts as zero. Both signs present: a saddle (some
    direction goes down, another up, whatever the zero ones do). Otherwise any zero makes
    the point degenerate: the second-order test cannot decide.
    """
    lam = as_vector("eigenvalues", eigenvalues)
    tol = check_positive("tol", tol, allow_zero=True)
    if lam.size == 0:
        raise ValueError("eigenvalues must hold at least one number")
    positive, negative = np.sum(lam > tol), np.sum(lam < -tol)
    if positive and negative:
        return "saddle"
    if positive + negative < lam.size:
        return "degenerate"
    return "minimum" if positive else "maximum"


def classify_hessian(H, tol: float = 1e-8) -> str:
    """``classify`` of the eigenvalues of a symmetric matrix H."""
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a square matrix, got shape {H.shape}")
    return classify(np.linalg.eigvalsh(0.5 * (H + H.T)), tol)


def negative_fraction(eigenvalues, tol: float = 1e-8) -> float:
    """The index α of Dauphin et al.: the share of eigenvalues below −tol."""
    lam = as_vector("eigenvalues", eigenvalues)
    return float(np.mean(lam < -tol))


# --- locating critical points ---------------------------------------------------------------
class GradientNormSquared:
    """The objective ½‖∇J(θ)‖² of any objective J, as an ``Objective``.

    Its gradient is H(θ)∇J(θ) (one ``hvp``), so any optimizer of the course can minimize
    it. Every critical point of J is a global minimum of it (value 0); it also has minima
    with a value > 0 where H∇J = 0 but ∇J ≠ 0, which are not critical points of J.
    """

    def __init__(self, objective):
        self.objective = objective
        self.dim = objective.dim
        self.n_examples = None
        self.name = f"½‖∇J‖² of {getattr(objective, 'name', 'J')}"

    def loss(self, theta, batch=None) -> float:
        g = self.objective.grad(theta)
        return float(0.5 * g @ g)

    def grad(self, theta, batch=None) -> np.ndarray:
        return self.objective.hvp(theta, self.objective.grad(theta))       # H ∇J

    def hvp(self, theta, v, batch=None) -> np.ndarray:
        # Gauss–Newton part H(Hv) only: the third-derivative term is left out.
        return self.objective.hvp(theta, self.objective.hvp(theta, v))


@dataclass
class CriticalPoint:
    """What ``find_critical_point`` found: θ, J(θ), ‖∇J(θ)‖, H's eigenvalues, the kind."""

    theta: np.ndarray
    loss: float
    grad_norm: float
    eigenvalues: np.ndarray
    kind: str
    steps: int
    converged: bool         # ‖∇J‖ ≤ tol: a critical point, not a spurious minimum of ½‖∇J‖²
    kind_tol: float = 1e-8  # |λ| at or below it counted as zero

    @property
    def index(self) -> float:
        """The share of negative eigenvalues (0 at a minimum)."""
        return negative_fraction(self.eigenvalues, self.kind_tol)


def find_critical_point(objective, theta0, *, optimizer=None, steps: int = 100,
                        tol: float = 1e-8, damping: float = 1e-3,
                        kind_tol: float | None = None) -> CriticalPoint:
    """A critical point of J near θ₀, found by minimizing ½‖∇J(θ)‖².

    Default (``optimizer=None``): Levenberg–Marquardt on the residual r(θ) = ∇J(θ), whose
    Jacobian is H: solve (H² + λI)Δ = −H g, accept the step if ‖∇J‖ falls (then λ ← λ/3),
    else λ ← 4λ and retry. Near a non-degenerate critical point this is Newton's step
    −H⁻¹g, which converges to saddles as readily as to minima. With ``optimizer``, that
    course optimizer runs ``steps`` steps on ``GradientNormSquared(objective)``.
    ``kind_tol``: |λ| below it counts as zero in ``classify`` (default 1e-6·max|λ|).
    """
    theta = as_vector("theta0", theta0, objective.dim)
    steps = check_int("steps", steps, minimum=0)
    tol = check_positive("tol", tol, allow_zero=True)
    lam = check_positive("damping", damping)
    done = 0
    if optimizer is not None:
        from .run import minimize

        trace = minimize(GradientNormSquared(objective), optimizer, theta, steps, warn=False)
        theta, done = trace.theta, trace.n_steps
    else:
        g = objective.grad(theta)
        for done in range(1, steps + 1):                   # noqa: B007 - kept as the count
            if np.linalg.norm(g) <= tol:
                done -= 1
                break
            H = hessian_matrix(objective, theta)
            gnorm = np.linalg.norm(g)
            while lam < 1e12:
                delta = np.linalg.solve(H @ H + lam * np.eye(len(g)), -H @ g)
                g_new = objective.grad(theta + delta)
                if np.linalg.norm(g_new) < gnorm:          # accept: trust the model more
                    theta, g, lam = theta + delta, g_new, max(lam / 3.0, 1e-12)
                    break
                lam *= 4.0                                  # reject: a shorter, safer step
            else:
                break
    g = objective.grad(theta)
    eigenvalues = spectrum(objective, theta)
    if kind_tol is None:
        kind_tol = 1e-6 * max(1.0, float(np.max(np.abs(eigenvalues))))
    return CriticalPoint(theta=theta, loss=float(objective.loss(theta)),
                         grad_norm=float(np.linalg.norm(g)), eigenvalues=eigenvalues,
                         kind=classify(eigenvalues, kind_tol), steps=done,
                         converged=bool(np.linalg.norm(g) <= tol), kind_tol=kind_tol)


# --- the second-order change of a step ------------------------------------------------------
def predicted_change(g, Hg, lr: float) -> float:
    """½ε²gᵀHg − εgᵀg: the second-order Taylor change of J for the step −εg.

    ``Hg`` is the Hessian-vector product H g. The step lowers J (to second order) only
    while ½ε²gᵀHg < εgᵀg, i.e. ε < 2gᵀg/(gᵀHg) when gᵀHg > 0.
    """
    g, Hg = np.asarray(g, dtype=float), np.asarray(Hg, dtype=float)
    return float(0.5 * lr ** 2 * (g @ Hg) - lr * (g @ g))


def largest_decreasing_lr(g, Hg) -> float:
    """The ε at which ½ε²gᵀHg = εgᵀg: steps shorter than it lower a quadratic; ∞ if
    gᵀHg ≤ 0 (every step along −g goes down)."""
    g, Hg = np.asarray(g, dtype=float), np.asarray(Hg, dtype=float)
    curvature = float(g @ Hg)
    return 2.0 * float(g @ g) / curvature if curvature > 0 else np.inf


def second_order_terms(objective, trace: Trace) -> dict:
    """For each step k of a run: the first-order term gᵀΔθ, the second-order term
    ½ΔθᵀHΔθ (one ``hvp``), their sum, and the actual change J(θ_k) − J(θ_{k−1}).

    g and H are taken at θ_{k−1} on the whole training set. For gradient descent
    (Δθ = −εg) the terms are −εgᵀg and ½ε²gᵀHg; ``"eps_gg"`` is εgᵀg = −first for it.
    On a quadratic the sum equals the actual change exactly (the Taylor series stops).
    """
    thetas = np.asarray(trace.thetas, dtype=float)
    first, second = np.empty(len(thetas) - 1), np.empty(len(thetas) - 1)
    for k in range(1, len(thetas)):
        step = thetas[k] - thetas[k - 1]
        g = objective.grad(thetas[k - 1])
        first[k - 1] = g @ step                                        # gᵀΔθ
        second[k - 1] = 0.5 * step @ objective.hvp(thetas[k - 1], step)   # ½ΔθᵀHΔθ
    actual = np.diff(np.asarray(trace.losses, dtype=float))
    return {"first": first, "second": second, "predicted": first + second,
            "actual": actual, "eps_gg": -first}
