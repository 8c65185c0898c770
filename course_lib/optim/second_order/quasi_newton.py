"""Quasi-Newton methods of section 8.6.3: BFGS and limited-memory BFGS (L-BFGS).

Newton's method needs H⁻¹g. BFGS instead keeps a matrix M that approximates H⁻¹, built from
what the gradient did along the steps taken: with s = θ_{t+1} − θ_t and y = g_{t+1} − g_t,
the update (ALGORITHMS.md; Nocedal & Wright, *Numerical Optimization*, eq. 6.17)

    ρ = 1/(yᵀs),   M ← (I − ρ s yᵀ) M (I − ρ y sᵀ) + ρ s sᵀ

makes M satisfy the secant equation M y = s and keeps it positive definite as long as
yᵀs > 0, which a strong-Wolfe line search guarantees. L-BFGS stores the last m pairs (s, y)
instead of M (memory O(mn) against O(n²)) and forms d = −M g with the two-loop recursion
(N&W Algorithm 7.4), from M₀ = γI with γ = sᵀy/yᵀy of the newest pair (N&W eq. 7.20).

The initial M of BFGS, decided by measurement. ALGORITHMS.md allows M₀ = I or M₀ scaled by
sᵀy/yᵀy after the first step (N&W eq. 6.20). The scaling estimates 1/curvature along the first
step, which on an ill-conditioned problem is dominated by the stiff directions: M₀ comes out
far too small along the soft ones, and BFGS needs many iterations to grow it there. On a
20-D quadratic with κ = 1000 (eigenvalues log-spaced from 1 to 1000, a random rotation, start
at ones, to ‖∇J‖∞ ≤ 1e-5) BFGS needs 107 gradients with the scaling and 25 with M₀ = I
(scipy's BFGS, M₀ = I: 33). A sweep over M₀ = cI on that quadratic shows why: c too small
costs gradients (171 at c = 1e-4), c too large costs only the line search's loss values
(22 gradients and 351 losses at c = 1e4). On a well-conditioned problem the scaling helps
(logistic regression with 20 features: 17 gradients against 30, scipy 30), on Rosenbrock it
makes no difference (2-D: 38 against 37; 100-D: 498 against 504). The default is M₀ = I,
as in scipy; ``BFGS(scaled_M0=True)`` gives N&W's scaling (``lessons.nb07_second_order``
shows both; ``tests/test_quasi_newton.py`` asserts the gradient counts against scipy).

Each state keeps J(θ) and ∇J(θ) at the current θ, so a step evaluates nothing at θ again:
only the line search's trial points cost evaluations (counted by the oracle). The first
trial step is always η = 1, the step the quasi-Newton model predicts (N&W section 6.1), also
on the first iteration, where d = −g: a too-long trial there costs loss values only, since
``strong_wolfe`` asks for a gradient only at points that pass the Armijo test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...validation import check_int, check_interval
from ..base import Optimizer, frozen
from ..line_search import strong_wolfe, value_and_grad

_TINY = 1e-10       # skip an update when yᵀs ≤ _TINY ‖s‖ ‖y‖: y and s nearly orthogonal


@dataclass(frozen=True, eq=False)
class BFGSState:
    k: int = 0                          # steps taken so far
    f: float | None = None              # J(θ) at the current θ (None before the first step)
    g: np.ndarray | None = None         # ∇J(θ) at the current θ (read-only)
    M: np.ndarray | None = None         # the approximation of H⁻¹ (None: not updated yet, I)
    eta: float = 0.0                    # the last step length η
    skipped: int = 0                    # updates skipped because yᵀs was not > 0


@dataclass(frozen=True, eq=False)
class LBFGSState:
    k: int = 0                          # steps taken so far
    f: float | None = None              # J(θ) at the current θ
    g: np.ndarray | None = None         # ∇J(θ) at the current θ (read-only)
    s: tuple = ()                       # the last ≤ m steps s, oldest first (read-only)
    y: tuple = ()                       # the matching gradient changes y
    eta: float = 0.0                    # the last step length η
    skipped: int = 0                    # pairs not stored because yᵀs was not > 0


def _curvature_ok(s, y) -> bool:
    """yᵀs > 0 (relative to ‖s‖‖y‖): the pair keeps M positive definite."""
    return bool(s @ y > _TINY * np.linalg.norm(s) * np.linalg.norm(y))


def bfgs_update(M, s, y) -> tuple[np.ndarray, bool]:
    """M ← (I − ρ s yᵀ) M (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs): returns (new M, True).

    Returns (M, False), M unchanged, when yᵀs ≤ 0 (up to rounding): the update would lose
    positive definiteness. Expanded so that it costs O(n²), not a matrix product:
    M − ρ (s (My)ᵀ + (My) sᵀ) + (ρ² yᵀMy + ρ) s sᵀ (M is symmetric).
    """
    M, s, y = (np.asarray(a, dtype=float) for a in (M, s, y))
    if not _curvature_ok(s, y):
        return M, False
    rho = 1.0 / (y @ s)                                     # ρ ← 1/(yᵀs)
    My = M @ y
    M = (M - rho * (np.outer(s, My) + np.outer(My, s))
         + (rho * rho * (y @ My) + rho) * np.outer(s, s))   # M ← (I−ρsyᵀ)M(I−ρysᵀ) + ρssᵀ
    return M, True


def two_loop(g, s_list, y_list, gamma=None) -> np.ndarray:
    """d = −M g by the L-BFGS two-loop recursion (N&W Algorithm 7.4).

    M is the approximation of the inverse Hessian H⁻¹ that BFGS updates would build from
    M₀ = γI with the pairs (s, y) of ``s_list``, ``y_list`` (oldest first). ``gamma``
    defaults to sᵀy/yᵀy of the newest pair (N&W eq. 7.20); with no pairs the result is −g
    (steepest descent). O(mn) work and memory.
    """
    q = np.array(g, dtype=float)
    if len(s_list) != len(y_list):
        raise ValueError(f"s_list and y_list must have the same length, "
                         f"got {len(s_list)} and {len(y_list)}")
    if not len(s_list):
        return -q
    rhos = [1.0 / (y @ s) for s, y in zip(s_list, y_list, strict=True)]
    alphas = []
    for s, y, rho in zip(reversed(s_list), reversed(y_list), reversed(rhos), strict=True):
        alpha = rho * (s @ q)                               # αᵢ ← ρᵢ sᵢᵀ q
        q -= alpha * y                                      # q ← q − αᵢ yᵢ
        alphas.append(alpha)
    if gamma is None:
        s, y = s_list[-1], y_list[-1]
        gamma = (s @ y) / (y @ y)                           # γ ← sᵀy / yᵀy
    r = gamma * q                                           # r ← M₀ q
    for s, y, rho, alpha in zip(s_list, y_list, rhos, reversed(alphas), strict=True):
        beta = rho * (y @ r)                                # β ← ρᵢ yᵢᵀ r
        r += (alpha - beta) * s                             # r ← r + sᵢ (αᵢ − β)
    return -r                                               # d = −M g


class _QuasiNewton(Optimizer):
    """What BFGS and L-BFGS share: the Wolfe constants and the line search."""

    def __init__(self, c1=1e-4, c2=0.9):
        self.c1 = check_interval("c1", c1, 0.0, 1.0, closed_low=False)
        self.c2 = check_interval("c2", c2, self.c1, 1.0, closed_low=False)

    @staticmethod
    def _here(theta, state, oracle):
        """J(θ) and ∇J(θ): from the state, or evaluated on the very first step."""
        if state.g is None:
            return value_and_grad(oracle, theta)
        return state.f, state.g

    def _search(self, theta, d, f, g, oracle):
        # η = 1 first: the step a quasi-Newton model predicts (N&W section 6.1).
        return strong_wolfe(oracle, theta, d, f, g, eta0=1.0, c1=self.c1, c2=self.c2)


class BFGS(_QuasiNewton):
    """BFGS with a strong-Wolfe line search (section 8.6.3; ALGORITHMS.md).

    ``c1``, ``c2``: the Wolfe constants (defaults 1e-4 and 0.9). Memory O(n²): M is n × n.
    ``scaled_M0``: False (default) starts from M₀ = I, as scipy does; True rescales it to
    (sᵀy/yᵀy) I before the first update (N&W eq. 6.20). The module docstring has the
    measurement behind the default. If the line search fails (rounding near a minimum), the
    best point it found is taken; if it found none, θ stays and M is reset to I.
    """

    def __init__(self, c1=1e-4, c2=0.9, scaled_M0=False):
        super().__init__(c1=c1, c2=c2)
        if not isinstance(scaled_M0, (bool, np.bool_)):
            raise ValueError(f"scaled_M0 must be True or False, got {scaled_M0!r}")
        self.scaled_M0 = bool(scaled_M0)

    def init(self, theta) -> BFGSState:
        return BFGSState()

    def step(self, theta, state: BFGSState, oracle):
        theta = np.asarray(theta, dtype=float)
        f, g = self._here(theta, state, oracle)
        first = state.M is None                             # M = I, not updated yet
        M = np.eye(theta.size) if first else state.M
        d = -M @ g                                          # d ← −M g
        if not g @ d < 0:
            if not np.any(g):                               # a stationary point: stay
                return theta, BFGSState(state.k + 1, f, frozen(g), state.M, 0.0, state.skipped)
            first, M, d = True, np.eye(theta.size), -g      # M lost definiteness: restart
        ls = self._search(theta, d, f, g, oracle)  # η satisfying strong Wolfe
        if ls.eta == 0.0 or ls.g is None:                   # no progress possible along d
            return theta, BFGSState(state.k + 1, f, frozen(g), None, 0.0, state.skipped)
        new_theta = theta + ls.eta * d                      # θ ← θ + η d
        s = new_theta - theta                               # s ← θ_{t+1} − θ_t
        y = ls.g - g                                        # y ← g_{t+1} − g_t
        if first and self.scaled_M0 and _curvature_ok(s, y):
            M = (s @ y) / (y @ y) * M                       # M₀ ← (sᵀy / yᵀy) I (N&W 6.20)
        M, updated = bfgs_update(M, s, y)                   # skipped when yᵀs ≤ 0
        new_M = frozen(M) if updated else (None if first else state.M)
        return new_theta, BFGSState(state.k + 1, ls.f, frozen(ls.g), new_M, ls.eta,
                                    state.skipped + (not updated))


class LBFGS(_QuasiNewton):
    """Limited-memory BFGS (section 8.6.3; ALGORITHMS.md): the last ``m`` pairs (s, y).

    ``m`` (default 10) pairs of n-vectors replace BFGS's n × n matrix: memory 2mn numbers.
    The direction comes from ``two_loop`` with γ = sᵀy/yᵀy of the newest pair. ``c1``,
    ``c2``: the Wolfe constants (defaults 1e-4 and 0.9).
    """

    def __init__(self, m=10, c1=1e-4, c2=0.9):
        super().__init__(c1=c1, c2=c2)
        self.m = check_int("m", m, minimum=1)

    def init(self, theta) -> LBFGSState:
        return LBFGSState()

    def step(self, theta, state: LBFGSState, oracle):
        theta = np.asarray(theta, dtype=float)
        f, g = self._here(theta, state, oracle)
        s_list, y_list = state.s, state.y
        d = two_loop(g, s_list, y_list)                     # d ← −M g (two-loop recursion)
        if not g @ d < 0:
            if not np.any(g):                               # a stationary point: stay
                return theta, LBFGSState(state.k + 1, f, frozen(g), s_list, y_list, 0.0,
                                         state.skipped)
            s_list, y_list, d = (), (), -g                  # lost definiteness: forget pairs
        ls = self._search(theta, d, f, g, oracle)  # η satisfying strong Wolfe
        if ls.eta == 0.0 or ls.g is None:                   # no progress possible along d
            return theta, LBFGSState(state.k + 1, f, frozen(g), (), (), 0.0, state.skipped)
        new_theta = theta + ls.eta * d                      # θ ← θ + η d
        s = new_theta - theta                               # s ← θ_{t+1} − θ_t
        y = ls.g - g                                        # y ← g_{t+1} − g_t
        skipped = state.skipped
        if _curvature_ok(s, y):                             # keep the newest m pairs
            s_list = (s_list + (frozen(s),))[-self.m:]
            y_list = (y_list + (frozen(y),))[-self.m:]
        else:
            skipped += 1
        return new_theta, LBFGSState(state.k + 1, ls.f, frozen(ls.g), s_list, y_list,
                                     ls.eta, skipped)
