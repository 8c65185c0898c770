"""Newton's method (section 8.6.1, Algorithm 8.8) and its damped form (eq. 8.28).

Near θ₀ the second-order Taylor model J(θ₀) + (θ − θ₀)ᵀg + ½(θ − θ₀)ᵀH(θ − θ₀) (eq. 8.26) has
its critical point at θ₀ − H⁻¹g (eq. 8.27). Newton's method jumps there, takes a new model,
and jumps again. On a quadratic bowl one jump lands on the minimum; near a minimum of a
smooth function the error is squared at every step (quadratic convergence).

The Levenberg–Marquardt form (eq. 8.28) adds α ≥ 0 to the diagonal: Δθ = −(H + αI)⁻¹g.
A small α keeps H + αI invertible when H is nearly singular; a large α makes
Δθ ≈ −g/α, a gradient step with rate 1/α. A modest α cannot repair a Hessian with large
negative eigenvalues: the Newton step then heads for the saddle or maximum nearby, which is
why the book calls Newton's method attracted to saddle points (section 8.2.3).

Every linear system is solved with ``np.linalg.solve`` (an LU factorization): forming H⁻¹
would cost as much and lose accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...validation import as_vector, check_interval, check_positive
from ..base import Optimizer
from ..line_search import backtracking

LINE_SEARCHES = (None, "armijo")


@dataclass(frozen=True)
class NewtonState:
    k: int = 0              # steps taken so far
    eta: float = 1.0        # the step length η of the last step (1: the full Newton step)
    fallbacks: int = 0      # steps that used −g because the Newton step did not descend


def newton_direction(g, H, alpha=0.0) -> np.ndarray:
    """Δθ = −(H + αI)⁻¹g, by solving (H + αI)Δθ = −g (eqs. 8.27 and 8.28).

    ``g``: the gradient, shape (n,); ``H``: the Hessian, shape (n, n); ``alpha``: α ≥ 0.
    Raises ``numpy.linalg.LinAlgError`` if H + αI is singular (then raise α).
    """
    g = as_vector("g", g)
    H = np.asarray(H, dtype=float)
    if H.shape != (g.size, g.size):
        raise ValueError(f"H has shape {H.shape}, but g has shape {g.shape}: H must be "
                         f"({g.size}, {g.size})")
    alpha = check_positive("alpha", alpha, allow_zero=True)
    try:
        return np.linalg.solve(H + alpha * np.eye(g.size), -g)
    except np.linalg.LinAlgError as err:
        raise np.linalg.LinAlgError(f"H + alpha I is singular (alpha = {alpha:g}); "
                                    "use alpha > 0 (eq. 8.28)") from err


class Newton(Optimizer):
    """Algorithm 8.8, Newton's method, with the damping of eq. 8.28 and an optional search.

    - ``alpha``: α ≥ 0 added to the diagonal of H (0: the plain Newton step).
    - ``line_search``: None (default) takes the full step θ ← θ + Δθ, as Algorithm 8.8 does.
      ``"armijo"`` takes θ ← θ + ηΔθ with η from Armijo backtracking: try η = 1 and halve
      until J(θ + ηΔθ) ≤ J(θ) + c η gᵀΔθ (``c`` = 1e-4). Backtracking can only shorten a
      step that goes downhill, so when the Newton step does not (gᵀΔθ ≥ 0, possible when
      H + αI is not positive definite, e.g. near a saddle) or H + αI is singular, this
      step uses Δθ = −g instead and counts it in ``state.fallbacks``. If no η passes the
      test within 60 halvings (rounding, right at a minimum), θ stays where it is.

    Each step asks the oracle for g and H (one gradient, one exact Hessian: the objective
    must provide ``hessian``), plus the losses of the line search. Use it on the whole
    training set (``batch_size=None``), as the algorithm says: a minibatch Hessian is a
    poor, often indefinite, estimate.
    """

    def __init__(self, alpha=0.0, line_search=None, c=1e-4):
        self.alpha = check_positive("alpha", alpha, allow_zero=True)
        if line_search not in LINE_SEARCHES:
            raise ValueError(f"line_search must be None or 'armijo', got {line_search!r}")
        self.line_search = line_search
        self.c = check_interval("c", c, 0.0, 1.0, closed_low=False)

    def init(self, theta) -> NewtonState:
        return NewtonState()

    def step(self, theta, state: NewtonState, oracle):
        theta = np.asarray(theta, dtype=float)
        k = state.k + 1
        g = np.asarray(oracle.grad(theta), dtype=float)     # g ← (1/m) Σᵢ ∇θ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
        H = np.asarray(oracle.hessian(theta), dtype=float)  # H ← (1/m) Σᵢ ∇²θ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)
        if self.line_search is None:
            delta = newton_direction(g, H, self.alpha)      # Δθ ← −(H + αI)⁻¹g (a solve)
            return theta + delta, NewtonState(k, 1.0, state.fallbacks)     # θ ← θ + Δθ
        return self._searched_step(theta, state, oracle, g, H)

    def _searched_step(self, theta, state, oracle, g, H):
        k, fallbacks = state.k + 1, state.fallbacks
        if not np.any(g):                                   # a critical point: nowhere to go
            return theta, NewtonState(k, 0.0, fallbacks)
        try:
            delta = newton_direction(g, H, self.alpha)      # Δθ ← −(H + αI)⁻¹g
        except np.linalg.LinAlgError:
            delta = None
        if delta is None or not g @ delta < 0:              # not a descent direction:
            delta, fallbacks = -g, fallbacks + 1            # fall back to steepest descent
        f = float(oracle.loss(theta))                       # J(θ), the Armijo reference
        ls = backtracking(oracle, theta, delta, f, g, eta0=1.0, c=self.c, shrink=0.5)
        if not ls.success:                                  # rounding level: stay
            return theta, NewtonState(k, 0.0, fallbacks)
        return theta + ls.eta * delta, NewtonState(k, ls.eta, fallbacks)   # θ ← θ + ηΔθ
