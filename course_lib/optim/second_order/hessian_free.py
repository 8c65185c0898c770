"""Hessian-free optimization (Martens 2010), the truncated-Newton method of section 8.6.

Newton's method needs H, an n × n matrix. Hessian-free never forms it: conjugate gradients
only need products (H + λI)v, and a Hessian-vector product costs about as much as one
gradient (``oracle.hvp``: exact where the objective has it, else a finite difference of
the gradient). Each outer step (ALGORITHMS.md):

1. build the damped quadratic model q(p) = gᵀp + ½pᵀ(H + λI)p of J(θ + p) − J(θ);
2. minimize it approximately with truncated CG (``truncated_cg``), started from
   ``decay``·p_prev, the previous solution shrunk a little (Martens uses 0.95), since the
   next step usually points much the same way; a warm start that the model rates worse
   than p = 0 (q(p₀) ≥ 0) is dropped for p = 0;
3. reduction ratio ρ = (J(θ + p) − J(θ)) / q(p): how much of the promised decrease came;
4. Levenberg–Marquardt rule (``update_lambda``): λ ← 1.5λ if ρ < 1/4 (trust the model
   less), λ ← (2/3)λ if ρ > 3/4 (trust it more);
5. accept θ ← θ + p only if ρ > 0, i.e. J fell; otherwise θ stays and the next step tries
   again with the larger λ. A model that promises no decrease (q(p) ≥ 0, e.g. CG met
   negative curvature at once) counts as ρ = −∞: rejected, λ raised.

The curvature is whatever ``oracle.hvp`` gives. With a plain objective that is the true
Hessian H (exact, or a finite difference of gradients). Martens uses the Gauss–Newton matrix
G instead: wrap a network as ``objectives.gauss_newton.GaussNewton(net)``, whose ``hvp`` is
the exact product G v. G is positive semidefinite, so the model always has a minimum and CG
never stops on negative curvature; H can be indefinite away from a minimum, and then CG stops
early and the damping λ must grow until the model is convex enough to trust (notebook 07,
section 10, measures both on a small network). One simplification against Martens' paper
remains: no CG backtracking (choosing an earlier CG iterate).

CG stops at the first of: ‖r‖ ≤ ``cg_tol``·‖g‖, ``cg_iters`` iterations, negative curvature
(dᵀ(H + λI)d ≤ 0, where q has no minimum along d), or Martens' relative-progress test: at CG
iteration i, with s = max(10, ⌊0.1 i⌋), stop once q_i < 0 and (q_i − q_{i−s}) / q_i <
s·``progress`` (``progress`` = 5e-4 as his ε).

Costs: per outer step one gradient, one or two losses and one Hessian-vector product per CG
iteration (plus one for a warm start). The state counts them (``nfev``, ``ngev``, ``nhev``,
cumulative): ``state.grad_equivalents`` = nfev + ngev + nhev is the x-axis to compare with
gradient descent, one gradient per step. It counts every evaluation as one gradient, a loss
too, as the oracle counts every optimizer's calls; a loss is only a forward pass, so for
Hessian-free this is an upper bound on its cost. With minibatches every product of a step uses
that step's batch, but the method is meant for full batches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...validation import check_int, check_interval, check_positive
from ..base import Optimizer, frozen


@dataclass(frozen=True, eq=False)
class HessianFreeState:
    k: int = 0                      # outer steps taken
    lam: float = 1.0                # λ, the damping of the model for the next step
    p: np.ndarray | None = None     # the last CG solution (read-only), the next warm start
    rho: float = float("nan")       # the reduction ratio ρ of the last step
    accepted: bool = False          # whether the last step moved θ
    cg_iters: int = 0               # CG iterations of the last step
    cg_stop: str = ""               # why that CG stopped
    nfev: int = 0                   # loss evaluations so far (this optimizer's own)
    ngev: int = 0                   # gradient evaluations so far
    nhev: int = 0                   # Hessian-vector products so far

    @property
    def grad_equivalents(self) -> int:
        """nfev + ngev + nhev: the cost so far in gradients, counting a loss and an H v as one
        gradient each (an upper bound: a loss is only a forward pass)."""
        return self.nfev + self.ngev + self.nhev


@dataclass(frozen=True, eq=False)
class TruncatedCG:
    p: np.ndarray       # the approximate minimizer of q
    q: float            # q(p) = gᵀp + ½pᵀBp (≤ 0 unless p = 0)
    n_iter: int         # CG iterations
    n_matvec: int       # products B v used (n_iter, plus one for a warm start)
    stop: str           # "converged", "progress", "maxiter" or "negative curvature"


def update_lambda(lam, rho) -> float:
    """The Levenberg–Marquardt rule: 1.5λ if ρ < 1/4 (or ρ is NaN), (2/3)λ if ρ > 3/4."""
    if not rho >= 0.25:                     # poor agreement (also NaN): damp more
        return 1.5 * lam
    if rho > 0.75:                          # good agreement: damp less
        return lam * 2.0 / 3.0
    return lam


def truncated_cg(matvec, g, p0=None, maxiter=50, tol=1e-6, progress=5e-4) -> TruncatedCG:
    """Approximately minimize q(p) = gᵀp + ½pᵀBp by CG, given only ``matvec(v)`` = Bv.

    Stopping rules as in the module docstring. r = Bp + g is the model's gradient; along
    the way q(p) = ½(gᵀp + pᵀr), so tracking it costs no extra product.
    """
    g = np.asarray(g, dtype=float)
    p, r, n_matvec, q = np.zeros_like(g), g.copy(), 0, 0.0
    if p0 is not None and np.any(p0):
        p0 = np.asarray(p0, dtype=float)
        r0, n_matvec = matvec(p0) + g, 1               # r₀ ← B p₀ + g
        q0 = 0.5 * float(g @ p0 + p0 @ r0)
        if q0 < 0:                                     # keep the warm start only if it helps
            p, r, q = p0, r0, q0
    d = -r                                             # d₀ ← −r₀
    qs, stop, threshold = [q], "maxiter", tol * np.linalg.norm(g)
    for i in range(1, maxiter + 1):
        if np.linalg.norm(r) <= threshold:
            stop = "converged"
            break
        Bd = matvec(d)
        n_matvec += 1
        dBd = float(d @ Bd)
        if not dBd > 0:                                # q unbounded below along d: stop
            stop = "negative curvature"
            break
        eta = float(r @ r) / dBd                       # η ← rᵀr / dᵀBd (exact along d)
        p = p + eta * d                                # p ← p + η d
        r_new = r + eta * Bd                           # r ← r + η B d
        beta = float(r_new @ r_new) / float(r @ r)     # β ← r_newᵀr_new / rᵀr
        d, r = -r_new + beta * d, r_new                # d ← −r + β d
        q = 0.5 * float(g @ p + p @ r)                 # q(p) = ½(gᵀp + pᵀr)
        qs.append(q)
        s = max(10, int(0.1 * i))
        if progress > 0 and i > s and q < 0 and (q - qs[i - s]) / q < s * progress:
            stop = "progress"                          # Martens: too little recent progress
            break
    return TruncatedCG(p=p, q=q, n_iter=len(qs) - 1, n_matvec=n_matvec, stop=stop)


class HessianFree(Optimizer):
    """Hessian-free optimization (Martens 2010; ALGORITHMS.md, section 8.6).

    - ``lam``: the starting damping λ > 0 (adapted every step by ``update_lambda``).
    - ``cg_iters``: at most this many CG iterations per step (default 50).
    - ``cg_tol``: CG stops when ‖(H + λI)p + g‖ ≤ ``cg_tol``·‖g‖ (default 1e-6).
    - ``decay``: the warm start is ``decay`` × the previous p, in [0, 1] (default 0.95;
      0 starts every CG from p = 0).
    - ``progress``: Martens' ε of the relative-progress test, ≥ 0 (0 switches it off).
    """

    def __init__(self, lam=1.0, cg_iters=50, cg_tol=1e-6, decay=0.95, progress=5e-4):
        self.lam = check_positive("lam", lam)
        self.cg_iters = check_int("cg_iters", cg_iters, minimum=1)
        self.cg_tol = check_positive("cg_tol", cg_tol)
        self.decay = check_interval("decay", decay, 0.0, 1.0, closed_high=True)
        self.progress = check_positive("progress", progress, allow_zero=True)

    def init(self, theta) -> HessianFreeState:
        return HessianFreeState(lam=self.lam)

    def step(self, theta, state: HessianFreeState, oracle):
        theta = np.asarray(theta, dtype=float)
        k, lam = state.k + 1, state.lam
        f = float(oracle.loss(theta))                           # J(θ)
        g = np.asarray(oracle.grad(theta), dtype=float)         # g ← ∇J(θ)
        nfev, ngev = state.nfev + 1, state.ngev + 1
        if not np.any(g):                                       # a critical point: stay
            return theta, HessianFreeState(k, lam, state.p, float("nan"), False, 0,
                                           "zero gradient", nfev, ngev, state.nhev)

        def damped_hvp(v):                                      # (H + λI)v, one H v product
            return np.asarray(oracle.hvp(theta, v), dtype=float) + lam * v

        p0 = None if state.p is None else self.decay * state.p  # warm start ζ p_prev
        cg = truncated_cg(damped_hvp, g, p0, self.cg_iters, self.cg_tol, self.progress)
        rho = float("-inf")                                     # no promised decrease
        if cg.q < 0:
            f_new = float(oracle.loss(theta + cg.p))            # J(θ + p)
            nfev += 1
            with np.errstate(invalid="ignore"):
                rho = (f_new - f) / cg.q                        # ρ ← (J(θ + p) − J(θ)) / q(p)
        new_lam = update_lambda(lam, rho)                       # λ ← 1.5λ or (2/3)λ
        accepted = bool(rho > 0)                                # J fell: take the step
        new_theta = theta + cg.p if accepted else theta         # θ ← θ + p
        return new_theta, HessianFreeState(k, new_lam, frozen(cg.p), rho, accepted,
                                           cg.n_iter, cg.stop, nfev, ngev,
                                           state.nhev + cg.n_matvec)
