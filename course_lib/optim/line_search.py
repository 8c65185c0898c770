"""Line searches along a direction d: how far to go, η, once an optimizer knows where.

Section 8.6 of the book (Newton with a step length, conjugate gradients, BFGS) and
``ALGORITHMS.md`` need a step η along d from θ. With φ(η) = J(θ + ηd), φ'(η) = ∇J(θ + ηd)ᵀd
and gᵀd = φ'(0) < 0 (d points downhill):

- **Armijo (sufficient decrease):** φ(η) ≤ φ(0) + c₁ η φ'(0). ``backtracking`` tries
  η = η₀ and shrinks it until this holds (Nocedal & Wright, *Numerical Optimization*,
  2nd ed., Algorithm 3.1). It needs loss values only.
- **Strong Wolfe:** Armijo and |φ'(η)| ≤ c₂ |φ'(0)| (the slope has flattened out, so the
  step is not uselessly short). ``strong_wolfe`` is N&W Algorithms 3.5 (bracketing) and
  3.6 (zoom) with cubic/quadratic interpolation. The safeguards follow scipy's
  ``scipy/optimize/_linesearch.py`` (``scalar_search_wolfe2``, ``_zoom``, ``_cubicmin``,
  ``_quadmin``): the trial point must keep a distance of 20 % (cubic) or 10 % (quadratic)
  of the bracket from its ends, else bisect. Our version adds N&W's Hermite cubic (eq. 3.59)
  when both bracket ends have a slope, and extrapolates by interpolation when growing η.

Every evaluation goes through the oracle, so it is counted (``nfev``, ``ngev``). To keep
gradient evaluations few, ``strong_wolfe`` asks for ∇J at a trial point only once its
loss has passed the Armijo test: a point that fails it is rejected on its value alone.
A direction that does not descend (gᵀd ≥ 0) is a bug in the caller: both searches raise
``ValueError`` for it rather than return a step that cannot exist.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import as_vector, check_int, check_interval, check_positive, check_real


@dataclass(frozen=True, eq=False)
class LineSearchResult:
    eta: float                  # the step length η
    f: float                    # J(θ + ηd)
    g: np.ndarray | None        # ∇J(θ + ηd) if the search computed it, else None
    nfev: int                   # loss evaluations made by this search
    ngev: int                   # gradient evaluations made by this search
    success: bool               # the returned η satisfies the search's conditions
    message: str


def value_and_grad(oracle, theta) -> tuple[float, np.ndarray]:
    """(J(θ), ∇J(θ)) from the oracle: one counted loss and one counted gradient evaluation."""
    return float(oracle.loss(theta)), np.asarray(oracle.grad(theta), dtype=float)


def _check_search(theta, d, f, g) -> tuple[np.ndarray, np.ndarray, float, np.ndarray, float]:
    theta = as_vector("theta", theta)
    d = as_vector("d", d, theta.size)
    g = as_vector("g", g, theta.size)
    f = check_real("f", f)
    slope = float(g @ d)                                    # φ'(0) = gᵀd
    if not slope < 0:
        raise ValueError(f"d must be a descent direction (gᵀd < 0), got gᵀd = {slope:.6g}")
    return theta, d, f, g, slope


def backtracking(oracle, theta, d, f, g, eta0=1.0, c=1e-4, shrink=0.5,
                 max_iter=60) -> LineSearchResult:
    """Armijo backtracking (N&W Algorithm 3.1; ALGORITHMS.md, Newton with a line search).

    Try η = ``eta0``; while J(θ + ηd) > J(θ) + c η gᵀd, set η ← ``shrink``·η. ``f`` and ``g``
    are J(θ) and ∇J(θ), already known (not evaluated again). Uses ``oracle.loss`` only.
    After ``max_iter`` failed trials the last (smallest) η is returned with success=False.
    """
    theta, d, f, g, slope = _check_search(theta, d, f, g)
    eta = check_positive("eta0", eta0)
    c = check_interval("c", c, 0.0, 1.0, closed_low=False)
    shrink = check_interval("shrink", shrink, 0.0, 1.0, closed_low=False)
    max_iter = check_int("max_iter", max_iter, minimum=1)
    for nfev in range(1, max_iter + 1):
        f_eta = float(oracle.loss(theta + eta * d))        # J(θ + ηd)
        if f_eta <= f + c * eta * slope:                    # Armijo: sufficient decrease
            return LineSearchResult(eta, f_eta, None, nfev, 0, True,
                                    f"Armijo holds at eta = {eta:.6g}")
        if nfev < max_iter:
            eta *= shrink                                   # η ← shrink · η
    return LineSearchResult(eta, f_eta, None, max_iter, 0, False,
                            f"no Armijo step after {max_iter} trials (last eta = {eta:.3g})")


# --- interpolation: the minimizer of a model of φ, or None if the model has none ---------

def _hermite_cubic(a, fa, da, b, fb, db):
    """Minimizer of the cubic matching φ and φ' at a and b (N&W eq. 3.59)."""
    with np.errstate(all="ignore"):
        d1 = da + db - 3.0 * (fa - fb) / (a - b)
        radicand = d1 * d1 - da * db
        if not radicand >= 0:
            return None
        d2 = np.copysign(np.sqrt(radicand), b - a)
        x = b - (b - a) * (db + d2 - d1) / (db - da + 2.0 * d2)
    return float(x) if np.isfinite(x) else None


def _cubic3(a, fa, da, b, fb, c, fc):
    """Minimizer of the cubic through (a, fa), (b, fb), (c, fc) with slope da at a."""
    with np.errstate(all="ignore"):
        # p(a + t) = fa + da t + B t² + A t³; two value conditions fix B and A (Cramer).
        tb, tc = b - a, c - a
        rb, rc = fb - fa - da * tb, fc - fa - da * tc
        det = tb * tb * tc * tc * (tc - tb)
        B = (rb * tc ** 3 - rc * tb ** 3) / det
        A = (rc * tb * tb - rb * tc * tc) / det
        radicand = B * B - 3.0 * A * da
        if not radicand >= 0 or A == 0:
            return None
        x = a + (-B + np.sqrt(radicand)) / (3.0 * A)         # the root where p'' > 0
    return float(x) if np.isfinite(x) else None


def _quadratic(a, fa, da, b, fb):
    """Minimizer of the parabola through (a, fa), (b, fb) with slope da at a."""
    with np.errstate(all="ignore"):
        B = (fb - fa - da * (b - a)) / (b - a) ** 2
        if not B > 0:
            return None
        x = a - da / (2.0 * B)
    return float(x) if np.isfinite(x) else None


def _inside(x, a, b, margin) -> bool:
    lo, hi = min(a, b), max(a, b)
    width = hi - lo
    return x is not None and lo + margin * width <= x <= hi - margin * width


def strong_wolfe(oracle, theta, d, f, g, eta0=1.0, c1=1e-4, c2=0.9, eta_max=1e10,
                 max_iter=50) -> LineSearchResult:
    """A step η satisfying the strong Wolfe conditions (N&W Algorithms 3.5 and 3.6).

    Conditions, with φ(η) = J(θ + ηd): φ(η) ≤ φ(0) + c₁ηφ'(0) and |φ'(η)| ≤ c₂|φ'(0)|,
    0 < c₁ < c₂ < 1. ``f`` and ``g`` are J(θ) and ∇J(θ), already known. ``eta0`` is the
    first trial; ``eta_max`` caps η; ``max_iter`` caps the number of trial points.
    The returned ``g`` is ∇J(θ + ηd), so the caller need not evaluate it again.
    On failure (budget spent, or the bracket shrank to rounding level) the best Armijo point
    seen is returned with success=False (η = 0 and the inputs f, g if there is none).
    """
    theta, d, f0, g0, slope0 = _check_search(theta, d, f, g)
    eta_max = check_positive("eta_max", eta_max)
    eta = min(check_positive("eta0", eta0), eta_max)
    c1 = check_interval("c1", c1, 0.0, 1.0, closed_low=False)
    c2 = check_interval("c2", c2, c1, 1.0, closed_low=False)
    max_iter = check_int("max_iter", max_iter, minimum=1)
    count = {"f": 0, "g": 0}

    def phi(eta):                                           # φ(η) = J(θ + ηd)
        count["f"] += 1
        return float(oracle.loss(theta + eta * d))

    def dphi(eta):                                          # ∇J(θ + ηd) and φ'(η)
        count["g"] += 1
        g_eta = np.asarray(oracle.grad(theta + eta * d), dtype=float)
        return g_eta, float(g_eta @ d)

    def armijo(eta, f_eta):
        return f_eta <= f0 + c1 * eta * slope0

    def result(eta, f_eta, g_eta, success, message):
        return LineSearchResult(eta, f_eta, g_eta, count["f"], count["g"], success, message)

    # Algorithm 3.5: grow η until [η_prev, η] brackets a strong-Wolfe step.
    prev = (0.0, f0, slope0, g0)                            # (η, φ, φ', ∇J) of the last point
    for i in range(max_iter):
        f_eta = phi(eta)
        if not armijo(eta, f_eta) or (i > 0 and f_eta >= prev[1]):
            # φ rose above the Armijo line (or above the last point): a step is in between.
            return _zoom(prev, (eta, f_eta, None, None), None, phi, dphi, armijo,
                         c2 * -slope0, max_iter - i - 1, result)
        g_eta, s_eta = dphi(eta)
        if abs(s_eta) <= c2 * -slope0:                      # strong Wolfe holds: done
            return result(eta, f_eta, g_eta, True, f"strong Wolfe holds at eta = {eta:.6g}")
        if s_eta >= 0:                                      # the slope turned: bracket found
            return _zoom((eta, f_eta, s_eta, g_eta), prev, None, phi, dphi, armijo,
                         c2 * -slope0, max_iter - i - 1, result)
        if eta >= eta_max:
            return result(eta, f_eta, g_eta, False, f"reached eta_max = {eta_max:g}")
        # Still descending steeply: extrapolate with the Hermite cubic, kept in [2η, 10η].
        guess = _hermite_cubic(prev[0], prev[1], prev[2], eta, f_eta, s_eta)
        new = 2.0 * eta if guess is None else min(max(guess, 2.0 * eta), 10.0 * eta)
        prev, eta = (eta, f_eta, s_eta, g_eta), min(new, eta_max)
    best = prev if prev[0] > 0 else (0.0, f0, slope0, g0)
    return result(best[0], best[1], best[3], False, f"no strong-Wolfe step in {max_iter} trials")


def _zoom(lo, hi, old, phi, dphi, armijo, curvature, budget, result):
    """N&W Algorithm 3.6: shrink the bracket [lo, hi] onto a strong-Wolfe step.

    ``lo`` and ``hi`` are (η, φ, φ', ∇J): ``lo`` satisfies Armijo and has the lowest φ so
    far (up to rounding), and φ'(lo)(hi − lo) < 0, so a step satisfying both conditions
    lies between them. ``hi`` may lack φ' (rejected on its value alone); ``old`` is the
    point ``hi`` replaced, used as the third value of a cubic. ``curvature`` is c₂|φ'(0)|.
    The safeguards are scipy's: a cubic minimizer must keep 20 % of the bracket from both
    ends, a quadratic one 10 %, else bisect.
    """
    for _ in range(budget):
        a, b = lo[0], hi[0]
        if abs(b - a) <= 1e-12 * max(abs(a), abs(b)):
            break                                           # bracket at rounding level
        # Interpolate, best model first; each must land well inside the bracket.
        x = None
        if hi[2] is not None:
            x = _hermite_cubic(a, lo[1], lo[2], b, hi[1], hi[2])
        elif old is not None:
            x = _cubic3(a, lo[1], lo[2], b, hi[1], old[0], old[1])
        if not _inside(x, a, b, 0.2):
            x = _quadratic(a, lo[1], lo[2], b, hi[1])
            if not _inside(x, a, b, 0.1):
                x = 0.5 * (a + b)                           # bisection
        f_x = phi(x)
        # Values within rounding of φ(lo) do not say which side the minimizer is on (near
        # it, φ changes by less than that): let the slope decide instead.
        if not armijo(x, f_x) or f_x > lo[1] + 1e-14 * abs(lo[1]):
            old, hi = hi, (x, f_x, None, None)              # x becomes the new far end
            continue
        g_x, s_x = dphi(x)
        if abs(s_x) <= curvature:
            return result(x, f_x, g_x, True, f"strong Wolfe holds at eta = {x:.6g}")
        if s_x * (hi[0] - lo[0]) >= 0:                      # the minimizer is on lo's side
            old, hi = hi, lo
        else:
            old = lo
        lo = (x, f_x, s_x, g_x)
    if lo[0] > 0:
        return result(lo[0], lo[1], lo[3], False,
                      f"zoom ended without the curvature condition (eta = {lo[0]:.6g})")
    return result(0.0, lo[1], lo[3], False, "zoom found no step that decreases J")
