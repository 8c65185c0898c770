"""The damped Newton step exercise (Algorithm 8.8, eq. 8.28).

``check_newton_step(fn)`` for ``newton_step(theta, g, H, alpha) -> theta``: an ``UpdateRule``
on quadratics (whose H is constant, so it is passed as a fixed input), then a look at *how*
the step was computed: a call to ``np.linalg.inv`` or ``pinv`` is reported even when the
numbers are right. ``check_newton_step_random``: the same on random rotated quadratics of
dimension 3, 4, 6 or 7 (the hidden test).
"""

from __future__ import annotations

import dataclasses
import sys
from contextlib import contextmanager

import numpy as np

from ....checks import Case, Mistake, UpdateRule, check_update_rule
from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import failed, never_raises
from ....checks.safe_call import safe_call
from ....objectives import Quadratic

# --- a damped Newton step (Algorithm 8.8, eq. 8.28) ------------------------------------------
NEWTON_FORMULA = "θ ← θ − (H + αI)⁻¹ g, computed as np.linalg.solve(H + α I, g)"


def _newton_step(theta, g, H, alpha):
    n = len(g)
    return theta - np.linalg.solve(H + alpha * np.eye(n), g)     # θ ← θ − (H + αI)⁻¹g


def _solve(H, g):
    return np.linalg.solve(H, g)


def _bowl_case(name, eigenvalues, angle, theta0, alpha, steps=3, Q=None):
    q = Quadratic(eigenvalues, angle=angle, Q=Q)
    return Case(name, q, {"theta": np.array(theta0, dtype=float)},
                {"H": q.A.copy(), "alpha": alpha}, steps)


_Q4, _ = np.linalg.qr(np.arange(1.0, 17.0).reshape(4, 4) ** 0.5)

NEWTON_STEP = UpdateRule(
    name="newton_step", signature=("theta", "g", "H", "alpha"), outputs=("theta",),
    reference=_newton_step, formula=NEWTON_FORMULA, symbols={"H": "H"},
    cases=[
        # α > 0 first, on a rotated bowl: every damping mistake shows at step 1.
        _bowl_case("rotated bowl, α = 0.5", (1.0, 4.0), np.pi / 6, (2.0, -1.0), 0.5),
        _bowl_case("4-D bowl, α = 0: one step to the minimum", (0.5, 1.0, 3.0, 8.0), 0.0,
                   (1.0, -2.0, 0.5, 3.0), 0.0, steps=2, Q=_Q4),
        _bowl_case("saddle (λ = 2, −1), α = 3", (2.0, -1.0), np.pi / 3, (0.5, 0.8), 3.0),
        _bowl_case("ill-conditioned bowl, α = 0.01", (0.01, 10.0), 0.4, (3.0, 1.0), 0.01),
        _bowl_case("integer-looking inputs", (2.0, 4.0), 0.0, (2, -3), 1, steps=2),
    ],
    mistakes=[
        Mistake("sign flipped", lambda theta, g, H, alpha:
                theta + np.linalg.solve(H + alpha * np.eye(len(g)), g),
                "it moved uphill, by the right amount: the step is −(H + αI)⁻¹g."),
        Mistake("damping missing", lambda theta, g, H, alpha: theta - _solve(H, g),
                "that is the undamped step −H⁻¹g: α was left out. Add α to the diagonal of "
                "H: `np.linalg.solve(H + alpha * np.eye(len(g)), g)` (eq. 8.28)."),
        Mistake("α added to every entry of H", lambda theta, g, H, alpha:
                theta - _solve(H + alpha, g),
                "`H + alpha` adds α to *every* entry of H (numpy broadcasts the number), not "
                "only to the diagonal: use `H + alpha * np.eye(len(g))`."),
        Mistake("α subtracted", lambda theta, g, H, alpha:
                theta - _solve(H - alpha * np.eye(len(g)), g),
                "the step uses H − αI: damping adds α to the diagonal, H + αI."),
        Mistake("α multiplies H", lambda theta, g, H, alpha: theta - _solve(alpha * H, g),
                "the step uses αH: damping *adds* αI to H (eq. 8.28), it does not scale it."),
        Mistake("α added to g", lambda theta, g, H, alpha: theta - _solve(H, g + alpha),
                "α was added to the gradient: it belongs on the diagonal of the Hessian, "
                "(H + αI)⁻¹g."),
        Mistake("α added to θ", lambda theta, g, H, alpha: theta + alpha - _solve(H, g),
                "α was added to θ: it belongs on the diagonal of the Hessian, θ − (H + αI)⁻¹g."),
        Mistake("H instead of H⁻¹", lambda theta, g, H, alpha:
                theta - (H + alpha * np.eye(len(g))) @ g,
                "the step multiplies g by H + αI: Newton divides by the curvature, it solves "
                "(H + αI)Δ = g for Δ (np.linalg.solve)."),
        Mistake("element-wise inverse", lambda theta, g, H, alpha:
                theta - (1.0 / (H + alpha * np.eye(len(g)))) @ g,
                "`1 / (H + αI)` inverts each entry, which is not the inverse matrix: "
                "solve the linear system with np.linalg.solve."),
        Mistake("diagonal only", lambda theta, g, H, alpha:
                theta - g / (np.diag(H) + alpha),
                "the step divides g by the diagonal of H + αI, ignoring the off-diagonal "
                "entries (the rotation of the bowl): solve with the whole matrix."),
        Mistake("returns the step", lambda theta, g, H, alpha:
                -np.linalg.solve(H + alpha * np.eye(len(g)), g),
                "it returned the step Δθ = −(H + αI)⁻¹g instead of the new point θ + Δθ."),
    ],
)


@contextmanager
def _watching_inverses(fn, calls: list):
    """Within the block, calls to np.linalg.inv / pinv (and scipy.linalg.inv if loaded),
    also through names the learner's function imported, are recorded in ``calls``."""
    originals = {"inv": np.linalg.inv, "pinv": np.linalg.pinv}
    scipy_linalg = sys.modules.get("scipy.linalg")
    if scipy_linalg is not None:
        originals["scipy inv"] = scipy_linalg.inv

    def spy(label, original):
        def wrapper(*args, **kwargs):
            calls.append(label)
            return original(*args, **kwargs)
        return wrapper

    spies = {label: spy(label, f) for label, f in originals.items()}
    places = [(np.linalg, "inv", "inv"), (np.linalg, "pinv", "pinv")]
    if scipy_linalg is not None:
        places.append((scipy_linalg, "inv", "scipy inv"))
    module_globals = getattr(fn, "__globals__", {})
    for name in getattr(getattr(fn, "__code__", None), "co_names", ()):
        for label, original in originals.items():
            if module_globals.get(name) is original:      # `from numpy.linalg import inv`
                places.append((module_globals, name, label))
    saved = []
    try:
        for place, name, label in places:
            if isinstance(place, dict):
                saved.append((place, name, place[name]))
                place[name] = spies[label]
            else:
                saved.append((place, name, getattr(place, name)))
                setattr(place, name, spies[label])
        yield
    finally:
        for place, name, value in reversed(saved):
            if isinstance(place, dict):
                place[name] = value
            else:
                setattr(place, name, value)


def random_newton_cases(seed: int, n: int = 4) -> list[Case]:
    """``n`` random cases for hidden tests: rotated quadratics of dimension 3, 4, 6 or 7
    (sometimes a saddle), a random θ₀ and α ∈ [0.1, 3] large enough that H + αI is
    positive definite."""
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        dim = (3, 4, 6, 7)[i % 4]
        lam = 10.0 ** rng.uniform(-1.0, 1.0, size=dim)
        if rng.random() < 0.5:
            lam[rng.integers(dim)] *= -1.0
        Q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
        alpha = float(max(-lam.min(), 0.0) + rng.uniform(0.1, 3.0))
        q = Quadratic(lam, Q=Q, center=rng.standard_normal(dim))
        cases.append(Case(f"random case {i + 1} ({dim}-D, α = {alpha:.3g})", q,
                          {"theta": 2.0 * rng.standard_normal(dim)},
                          {"H": q.A.copy(), "alpha": alpha}, int(rng.integers(2, 5))))
    return cases


@never_raises
def check_newton_step(fn, *, cases=None, timeout: float = 2.0):
    """Check ``newton_step(theta, g, H, alpha)`` against θ − (H + αI)⁻¹g, then how it
    solves: an explicit inverse (np.linalg.inv or pinv) fails with the reason.
    ``cases``: other cases instead of the visible ones (e.g. ``random_newton_cases``)."""
    rule = NEWTON_STEP if cases is None else dataclasses.replace(NEWTON_STEP, cases=cases)
    result = check_update_rule(fn, rule, timeout=timeout)
    if not result.passed:
        return result
    case = rule.cases[0]
    theta = case.state["theta"].copy()
    args = [theta, case.objective.grad(theta), case.hyper["H"].copy(), case.hyper["alpha"]]
    calls: list = []
    with _watching_inverses(fn, calls):
        safe_call(fn, args, timeout)
    if calls:
        used = "np.linalg.pinv" if "pinv" in calls else (
            "scipy.linalg.inv" if "scipy inv" in calls else "np.linalg.inv")
        return failed(
            f"newton_step gives the right numbers, but it forms the inverse matrix with "
            f"{used}. Solve the system instead: `np.linalg.solve(H + alpha * np.eye(len(g)), "
            "g)`. A solve factorizes the matrix once (about n³/3 to 2n³/3 flops) and never "
            "builds the inverse, which costs about three times as much and loses accuracy "
            "when H + αI is ill-conditioned. Algorithm 8.8 writes H⁻¹ for brevity; no "
            "program should compute it.", kind="explicit inverse", used=used)
    return result


@hidden_check
@never_raises
def check_newton_step_random(fn, *, n: int = 4, seed: int | None = None,
                             timeout: float = 2.0):
    """``check_newton_step`` on ``n`` random quadratics instead of the visible ones."""
    seed = current_seed() if seed is None else int(seed)
    result = check_newton_step(fn, cases=random_newton_cases(seed, n), timeout=timeout)
    return hidden_result(result, f"{n} new random quadratics", seed)
