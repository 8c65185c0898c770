"""Checks for the exercises of notebook 07 (section 8.6): a damped Newton step, the L-BFGS
two-loop recursion, and a predict-then-check question on CG's iteration count. The linear
CG exercise has its own module, ``linear_cg_exercise``.

- ``check_newton_step(fn)`` for ``newton_step(theta, g, H, alpha) -> theta``: an
  ``UpdateRule`` on quadratics (whose H is constant, so it is passed as a fixed input), then
  a look at *how* the step was computed: a call to ``np.linalg.inv`` or ``pinv`` is
  reported even when the numbers are right.
- ``check_two_loop(fn)`` for ``two_loop(g, s_list, y_list) -> d``, the direction
  d = −H g (the same convention as ``course_lib.optim.second_order.two_loop``).
- ``check_cg_iterations(answer)``: CG on A = 2I + aaᵀ + ccᵀ (n = 1000, a ⟂ c) needs 3.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import sys
from contextlib import contextmanager

import numpy as np

from ..objectives import Quadratic
from ..optim.second_order.quasi_newton import two_loop as _two_loop
from .diagnose import close
from .numeric import check_number
from .result import describe, error, failed, fmt, never_raises, not_done, passed
from .rules import Case, Mistake, UpdateRule
from .safe_call import safe_call
from .update_rule import check_update_rule

# --- a damped Newton step (Algorithm 8.8, eq. 8.28) -------------------------------------------
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


# --- the L-BFGS two-loop recursion ------------------------------------------------------------
TWO_LOOP_FORMULA = ("q ← g; for i = newest … oldest: αᵢ ← ρᵢ sᵢᵀq, q ← q − αᵢyᵢ; "
                    "r ← γq with γ = sᵀy/yᵀy of the newest pair; for i = oldest … newest: "
                    "β ← ρᵢ yᵢᵀr, r ← r + sᵢ(αᵢ − β); return d = −r (ρᵢ = 1/yᵢᵀsᵢ)")


def _two_loop_variant(*, order_swapped=False, gamma="newest", sign=-1.0, swap_sy=False,
                      alphas_unreversed=False, rho=True, second_loop=True):
    """The two-loop recursion, right by default; each keyword makes one known mistake."""
    def two_loop(g, s_list, y_list):
        s_list, y_list = list(s_list), list(y_list)
        if swap_sy:
            s_list, y_list = y_list, s_list
        q = np.array(g, dtype=float)
        if not s_list:
            return sign * q
        rhos = [1.0 / (y @ s) if rho else 1.0 for s, y in zip(s_list, y_list, strict=True)]
        first = range(len(s_list)) if order_swapped else range(len(s_list) - 1, -1, -1)
        alphas = {}
        for i in first:
            alphas[i] = rhos[i] * (s_list[i] @ q)
            q = q - alphas[i] * y_list[i]
        pick = {"newest": -1, "oldest": 0}
        if gamma in pick:
            s, y = s_list[pick[gamma]], y_list[pick[gamma]]
            scale = (s @ y) / (y @ y)
        elif gamma == "inverted":
            s, y = s_list[-1], y_list[-1]
            scale = (y @ y) / (s @ y)
        else:
            scale = 1.0
        r = scale * q
        if second_loop:
            second = range(len(s_list) - 1, -1, -1) if order_swapped else range(len(s_list))
            order = list(alphas)
            for j, i in enumerate(second):
                a = alphas[order[j]] if alphas_unreversed else alphas[i]
                beta = rhos[i] * (y_list[i] @ r)
                r = r + s_list[i] * (a - beta)
        return sign * r
    return two_loop


TWO_LOOP_MISTAKES = [
    Mistake("loops in the wrong order", _two_loop_variant(order_swapped=True),
            "the loops run in the wrong order: the first loop goes from the newest pair back "
            "to the oldest, the second from the oldest to the newest."),
    Mistake("γ missing", _two_loop_variant(gamma=None),
            "the middle step uses H₀ = I: scale q by γ = sᵀy/yᵀy of the newest pair, "
            "r ← γq, so that the step has the right length."),
    Mistake("γ upside down", _two_loop_variant(gamma="inverted"),
            "γ is upside down: γ = sᵀy/yᵀy (it estimates 1/curvature, so it has s on top)."),
    Mistake("γ from the oldest pair", _two_loop_variant(gamma="oldest"),
            "γ was taken from the oldest pair: use the newest, s_list[-1] and y_list[-1], "
            "the most recent curvature information."),
    Mistake("sign flipped", _two_loop_variant(sign=1.0),
            "the result is +Hg: the function returns the search direction d = −Hg."),
    Mistake("s and y swapped", _two_loop_variant(swap_sy=True),
            "s and y are swapped: that approximates the Hessian itself, not its inverse. "
            "αᵢ uses sᵢᵀq and q moves along yᵢ; β uses yᵢᵀr and r moves along sᵢ."),
    Mistake("αᵢ paired with the wrong pair", _two_loop_variant(alphas_unreversed=True),
            "the second loop used the αᵢ in the order they were computed: the first loop "
            "stores them newest first, so look each αᵢ up by its pair's index i."),
    Mistake("ρ missing", _two_loop_variant(rho=False),
            "ρᵢ = 1/(yᵢᵀsᵢ) is missing from αᵢ and β."),
    Mistake("second loop missing", _two_loop_variant(second_loop=False),
            "the second loop is missing: after r ← γq, go from the oldest pair to the newest "
            "with β ← ρᵢ yᵢᵀr and r ← r + sᵢ(αᵢ − β)."),
]


def _pairs(n: int, m: int, seed: int) -> dict:
    """g and m curvature pairs (s, y = A s) of a random SPD A, oldest first."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * np.geomspace(0.5, 20.0, n)) @ Q.T
    s_list = [rng.standard_normal(n) for _ in range(m)]
    return {"g": rng.standard_normal(n), "s_list": s_list, "y_list": [A @ s for s in s_list]}


def _rosenbrock_pairs() -> dict:
    """The pairs L-BFGS (m = 3) holds after 6 steps on Rosenbrock from (−1.2, 1)."""
    from ..objectives import Rosenbrock
    from ..optim import LBFGS
    from ..run import minimize
    trace = minimize(Rosenbrock(), LBFGS(m=3), [-1.2, 1.0], 6)
    state = trace.states[-1]
    return {"g": np.array(state.g), "s_list": [np.array(s) for s in state.s],
            "y_list": [np.array(y) for y in state.y]}


TWO_LOOP_CASES = [("three pairs, n = 4", lambda: _pairs(4, 3, 1)),
                  ("one pair, n = 3", lambda: _pairs(3, 1, 2)),
                  ("five pairs, n = 6", lambda: _pairs(6, 5, 3)),
                  ("pairs from an L-BFGS run on Rosenbrock", _rosenbrock_pairs),
                  ("no pairs yet: d = −g", lambda: {"g": np.array([1.5, -2.0, 0.5]),
                                                    "s_list": [], "y_list": []})]


def _same_inputs(before: dict, after: dict) -> str | None:
    """The name of an input changed in place, or None."""
    if not np.array_equal(before["g"], after["g"]):
        return "g"
    for name in ("s_list", "y_list"):
        if len(before[name]) != len(after[name]) or not all(
                np.array_equal(a, b) for a, b in zip(before[name], after[name], strict=True)):
            return name
    return None


def random_two_loop_cases(seed: int, n: int = 4) -> list:
    """``n`` random cases for hidden tests: (name, make) with 2 to 6 pairs in 3 to 8 dims."""
    rng = np.random.default_rng(seed)
    return [(f"random case {i + 1}", functools.partial(
        _pairs, int(rng.integers(3, 9)), int(rng.integers(2, 7)), int(rng.integers(1 << 30))))
        for i in range(n)]


@never_raises
def check_two_loop(fn, *, cases=None, timeout: float = 2.0):
    """Check ``two_loop(g, s_list, y_list)``, which returns d = −Hg, on five cases.
    ``cases``: other (name, make) cases instead (e.g. ``random_two_loop_cases``)."""
    cases = TWO_LOOP_CASES if cases is None else cases
    if not callable(fn):
        return error(f"two_loop should be a function taking (g, s_list, y_list), but the "
                     f"check got {describe(fn)}. Pass the function itself: "
                     "check_two_loop(two_loop).", kind="not callable")
    try:
        inspect.signature(fn).bind("g", "s_list", "y_list")
    except TypeError:
        return error("two_loop should take the three arguments (g, s_list, y_list).",
                     kind="signature")
    except ValueError:
        pass
    for name, make in cases:
        inputs = make()
        given = copy.deepcopy(inputs)
        expected = _two_loop(inputs["g"], inputs["s_list"], inputs["y_list"])
        outcome = safe_call(fn, [given["g"], given["s_list"], given["y_list"]], timeout)
        where = f"in case '{name}'"
        if outcome.kind == "timeout":
            return error(f"two_loop took longer than {timeout:g} s {where}: is there a loop "
                         "that never ends? Each loop runs once over the stored pairs.",
                         kind="timeout", case=name)
        if outcome.kind == "raised":
            err = outcome.error
            if isinstance(err, NotImplementedError):
                return not_done("two_loop: not done yet, it still raises NotImplementedError. "
                                f"Write the recursion: {TWO_LOOP_FORMULA}.", kind="not done")
            line = f", {outcome.where}" if outcome.where else ""
            return error(f"two_loop raised {type(err).__name__}: {err}\n  {where}{line}",
                         kind="exception", case=name)
        value = outcome.value
        if value is None or value is Ellipsis:
            return not_done("two_loop: not done yet, it returned "
                            f"{describe(value)}. End it with `return d`, d = −Hg.",
                            kind="not done")
        try:
            got = np.asarray(value, dtype=float)
        except Exception:   # noqa: BLE001 - whatever the learner returned, say what it is
            return error(f"two_loop should return one array d, got {describe(value)} {where}.",
                         kind="type", case=name)
        if got.shape != expected.shape:
            return failed(f"two_loop returned shape {got.shape}, but d has the shape of g, "
                          f"{expected.shape}, {where}.", kind="shape", case=name)
        if not np.all(np.isfinite(got)):
            return failed(f"two_loop returned NaN or inf {where}: look for a division by "
                          "zero (ρᵢ = 1/yᵢᵀsᵢ, γ = sᵀy/yᵀy).", kind="nan", case=name)
        changed = _same_inputs(inputs, given)
        if changed:
            hint = (" `q = g` does not copy the array: start with `q = g.copy()` (or "
                    "`q = np.array(g)`)." if changed == "g" else
                    " Iterate over the pairs (e.g. with reversed(...)) instead of reordering "
                    "or changing the lists.")
            return failed(f"two_loop changed its input `{changed}` in place {where}.{hint}",
                          kind="mutation", input=changed, case=name)
        scale = max(1.0, float(np.max(np.abs(inputs["g"]))))
        if close(got, expected, scale):
            continue
        shown = (f"\n  g = {fmt(inputs['g'])}, {len(inputs['s_list'])} pair(s)\n"
                 f"  expected: d = {fmt(expected)}\n  got:      d = {fmt(got)}")
        for mistake in TWO_LOOP_MISTAKES:
            wrong = mistake.fn(inputs["g"], inputs["s_list"], inputs["y_list"])
            if not close(wrong, expected, scale) and close(got, wrong, scale):
                return failed(f"two_loop: d differs {where}.{shown}\n  Likely cause: "
                              f"{mistake.hint}", kind="value", mistake=mistake.name, case=name)
        return failed(f"two_loop: d differs {where}.{shown}\n  The recursion: "
                      f"{TWO_LOOP_FORMULA}.", kind="value", mistake=None, case=name)
    return passed(f"two_loop matches the reference on {len(cases)} cases, leaving its inputs "
                  "unchanged. It costs about 4mn multiplications for m pairs of n-vectors, "
                  "against n² for BFGS's matrix.", cases=len(cases))


# --- predict-then-check: CG iterations for 3 distinct eigenvalues ----------------------------
@never_raises
def check_cg_iterations(answer, n: int = 1000):
    """A = 2I + aaᵀ + ccᵀ (n × n, a ⟂ c, ‖a‖ ≠ ‖c‖): how many CG iterations from x₀ = 0 for
    a generic b, in exact arithmetic? The eigenvalues are 2 (n − 2 times), 2 + ‖a‖² and
    2 + ‖c‖²: three distinct values, so 3."""
    return check_number(
        answer, 3, name=f"CG iterations for A = 2I + aaᵀ + ccᵀ (n = {n})", rtol=0.0, atol=0.1,
        hint_low=("Count A's distinct eigenvalues: a and c are eigenvectors (eigenvalues "
                  "2 + ‖a‖² and 2 + ‖c‖²), and every vector orthogonal to both is an "
                  "eigenvector too, with eigenvalue 2."),
        hint_high=(f"n = {n} steps is only the worst case. CG needs one step per distinct "
                   "eigenvalue: what are A's eigenvalues along a, along c, and orthogonal "
                   "to both?"),
        note=("The eigenvalues are 2 (with multiplicity n − 2), 2 + ‖a‖² and 2 + ‖c‖²: three "
              "distinct values, so after 3 steps the residual is exactly 0. Check it with "
              "course_lib.optim.linear_cg."))
