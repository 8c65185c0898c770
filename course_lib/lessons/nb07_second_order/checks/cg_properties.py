"""What only conjugate gradients does, as ``check_linear_cg`` asks it of an answer.

From the answer's x and its directions d₀ … d_{k−1} on A x = b from x₀ (r₀ = b − Ax₀):

1. x solves the system, in at most n steps (k for k distinct eigenvalues), from d₀ = r₀;
2. the directions are A-conjugate;
3. x is where the directions lead: x₀ plus exact line searches along d₀, d₁, … ("replayed"
   here) ends at x. A direct solve followed by one CG-looking step does not;
4. d_j lies in the Krylov space K_{j+1} = span{r₀, Ar₀, …, Aʲr₀} (an orthonormal basis by
   Arnoldi with full reorthogonalization);
5. the residuals of the replayed iterates are mutually orthogonal;
6. stopped early (``early_stops``: b of unit length, x₀ = 0 and a tol between two of CG's
   residuals, so the loop must stop after exactly k steps), x is CG's k-th iterate, the
   minimizer of ½xᵀAx − bᵀx over x₀ + K_k. Nothing but CG's recurrence returns it.
"""

from __future__ import annotations

import numpy as np

from ....checks.result import fmt

TOL = 1e-10
CONJUGATE = 1e-6
SAME = 1e-6                      # relative A-norm distance that counts as the same point
MARGIN = 1.5                     # residual ratio around an early stop's tol


def a_conjugacy(directions, A) -> float:
    """max over i ≠ j of |d_iᵀAd_j| / √(d_iᵀAd_i · d_jᵀAd_j): 0 for A-conjugate directions."""
    D = np.asarray(directions, dtype=float)
    if len(D) < 2:
        return 0.0
    G = D @ A @ D.T
    scale = np.sqrt(np.diag(G))
    C = np.abs(G / np.outer(scale, scale))
    np.fill_diagonal(C, 0.0)
    return float(C.max())


def krylov_basis(A, r0, k: int) -> np.ndarray:
    """Orthonormal columns spanning K_k(A, r₀); fewer once the space stops growing."""
    V = [r0 / np.linalg.norm(r0)]
    size = np.linalg.norm(A, 2)
    while len(V) < k:
        w = A @ V[-1]
        for _ in range(2):                               # full reorthogonalization, twice
            for v in V:
                w = w - (v @ w) * v
        if np.linalg.norm(w) <= 1e-9 * size:
            break
        V.append(w / np.linalg.norm(w))
    return np.array(V).T


def krylov_minimizer(A, b, x0, k: int) -> np.ndarray:
    """The minimizer of ½xᵀAx − bᵀx over x₀ + K_k(A, r₀): CG's k-th iterate."""
    r0 = b - A @ x0
    V = krylov_basis(A, r0, k)
    return x0 + V @ np.linalg.solve(V.T @ A @ V, V.T @ r0)


def replay(D, A, b, x0) -> list:
    """x₀, x₁, … : exact line searches from x₀ along each direction in turn."""
    xs = [np.asarray(x0, dtype=float)]
    for d in D:
        curvature = d @ A @ d
        eta = (d @ (b - A @ xs[-1])) / curvature if curvature > 0 else 0.0
        xs.append(xs[-1] + eta * d)
    return xs


def a_distance(x, y, A, x_star, x0) -> float:
    """‖x − y‖_A / ‖x* − x₀‖_A."""
    e, ref = x - y, x_star - x0
    return float(np.sqrt(max(e @ A @ e, 0.0) / max(ref @ A @ ref, 1e-300)))


def properties(x, D, A, b, x0, most, where):
    """(what is wrong, kind) for the first property that fails, or None."""
    k = 0 if D is None else len(D)
    if not np.all(np.isfinite(x)) or (D is not None and not np.all(np.isfinite(D))):
        if most == 0:
            return ("x or a direction is NaN or inf although x₀ already solves the system: "
                    "when ‖r₀‖ ≤ tol·‖b‖ no step should be taken (rᵀr = 0 makes η = 0/0)",
                    "nan")
        return "x or a direction contains NaN or inf: look for a division by zero", "nan"
    residual = float(np.linalg.norm(A @ x - b) / np.linalg.norm(b))
    if residual > 100 * TOL:
        return (f"x does not solve Ax = b: ‖Ax − b‖/‖b‖ = {residual:.2e} after {k} steps "
                f"(x = {fmt(x)})", "value")
    if k > max(most, 0):
        why = ("x₀ already solves the system, so no step is needed" if most == 0 else
               f"CG needs at most {most} steps here")
        return (f"x is right, but it took {k} steps: {why}. Are the directions "
                "conjugate (β), and does the loop stop once ‖r‖ ≤ tol·‖b‖?", "steps")
    if k == 0:
        if np.linalg.norm(A @ x0 - b) > TOL * np.linalg.norm(b):
            return ("x solves the system, but the list of directions is empty: append each "
                    "direction d to `directions` when the loop steps along it (x₀ does not "
                    "solve this system, so CG takes at least one step)", "directions")
        return None
    if k >= 2 and np.all(D == D[0]):
        return ("every direction in the list is the same vector: the loop changed d in place "
                "after appending it (`d *= beta`, `d -= r`...), so each entry shows d's last "
                "value. Build a new array, `d = -r + beta * d`, or append `d.copy()`",
                "aliased directions")
    d0 = b - A @ x0
    if not np.allclose(D[0], d0, rtol=1e-8, atol=1e-12 * np.max(np.abs(d0))):
        return (f"the first direction is {fmt(D[0])}, but CG starts with steepest descent, "
                f"d₀ = −r₀ = b − Ax₀ = {fmt(d0)}", "first direction")
    worst = a_conjugacy(D, A)
    if worst > CONJUGATE:
        return (f"the directions are not A-conjugate: max |dᵢᵀAdⱼ| / √(dᵢᵀAdᵢ dⱼᵀAdⱼ) = "
                f"{worst:.2e} for i ≠ j", "conjugacy")
    return only_cg(x, D, A, b, x0)


def only_cg(x, D, A, b, x0):
    """Properties 3 to 5 (the module's docstring), for an x that solves the system."""
    x_star = np.linalg.solve(A, b)
    xs = replay(D, A, b, x0)
    gap = a_distance(x, xs[-1], A, x_star, x0)
    if gap > SAME:
        reached = np.linalg.norm(A @ xs[-1] - b) / np.linalg.norm(b)
        return (f"x solves the system, but it is not where your {len(D)} direction(s) lead: "
                f"exact line searches from x₀ along them end at a point with ‖Ax − b‖/‖b‖ = "
                f"{reached:.2e} (A-norm distance {gap:.2e} of ‖x* − x₀‖ from your x). The "
                "x you return was found some other way than by these steps (a direct solve?)"
                ": in CG, x moves only along the directions, x ← x + ηd", "not CG's iterate")
    V = krylov_basis(A, b - A @ x0, len(D))
    for j, d in enumerate(D):
        part = V[:, :j + 1]
        off = float(np.linalg.norm(d - part @ (part.T @ d)) / np.linalg.norm(d))
        if off > SAME:
            return (f"direction d{_sub(j)} is not in the Krylov space span{{r₀, Ar₀, …, "
                    f"A{_sup(j)}r₀}} (the part outside it is {off:.2e} of its length): CG "
                    "builds each direction from the new residual and the previous direction, "
                    "d ← −r + βd, and from nothing else", "krylov")
    residuals = [b - A @ xj for xj in xs[:-1]]
    kept = [r / np.linalg.norm(r) for r in residuals
            if np.linalg.norm(r) > 1e-8 * np.linalg.norm(residuals[0])]
    if len(kept) >= 2:
        G = np.abs(np.array(kept) @ np.array(kept).T)
        np.fill_diagonal(G, 0.0)
        if G.max() > 1e-5:
            return (f"the residuals along your steps are not mutually orthogonal (max "
                    f"|rᵢᵀrⱼ|/(‖rᵢ‖‖rⱼ‖) = {G.max():.2e}), as CG's are", "orthogonality")
    return None


def early_stops(cases, systems: int = 2, per_system: int = 3) -> list:
    """(name, A, b, k, tol): stops after exactly k steps, on the first ``systems`` cases that
    take at least 3 steps, with b scaled to length 1 and x₀ = 0 (so that a tol relative to
    ‖b‖, to ‖r₀‖ or absolute all stop at the same step). Only k whose iterate is still far
    from the solution (so that a solution found another way shows)."""
    found, used = [], 0
    for name, A, b, _, most in cases:
        if most < 3 or used == systems:
            continue
        used += 1
        b, zero = b / np.linalg.norm(b), np.zeros(len(b))
        x_star = np.linalg.solve(A, b)
        iterates = [krylov_minimizer(A, b, zero, j) if j else zero for j in range(most)]
        rho = [float(np.linalg.norm(b - A @ x)) for x in iterates]
        ks = [k for k in range(1, most) if min(rho[:k]) >= MARGIN ** 2 * rho[k]
              and a_distance(iterates[k], x_star, A, x_star, zero) > 1e-3]
        for k in sorted({ks[0], ks[len(ks) // 2], ks[-1]} if ks else ())[:per_system]:
            tol = float(np.sqrt(rho[k] * min(rho[:k])))
            found.append((f"{name}, stopped early by tol = {tol:.3g}", A, b, k, tol))
    return found


def early_stop_verdict(x, D, A, b, k, tol):
    """What is wrong with (x, D) as CG's k-th iterate (see ``early_stops``), or None."""
    steps = 0 if D is None else len(D)
    x0 = np.zeros(len(b))
    expected = krylov_minimizer(A, b, x0, k)
    x_star = np.linalg.solve(A, b)
    gap = a_distance(x, expected, A, x_star, x0)
    if gap <= SAME and steps == k:
        return None
    solved = float(np.linalg.norm(A @ x - b))
    if steps != k:
        return (f"with tol = {tol:.3g}, CG's residual first falls to tol·‖b‖ after {k} steps, "
                f"but your loop took {steps}: stop at the first step where ‖r‖ ≤ tol·‖b‖",
                "early stop")
    found = (f"it solves the system (‖Ax − b‖/‖b‖ = {solved:.1e}), which CG cannot do in "
             f"{k} steps here: was x found another way (a direct solve)?"
             if solved <= 1e-8 else f"A-norm distance {gap:.2e} of ‖x*‖ from it")
    return (f"with tol = {tol:.3g}, CG stops after {k} steps at x_{k}, the minimizer of "
            f"½xᵀAx − bᵀx over the Krylov space span{{b, Ab, …, A{_sup(k - 1)}b}}; your x "
            f"is not that point: {found}", "krylov minimizer")


def _sub(j: int) -> str:
    return "".join("₀₁₂₃₄₅₆₇₈₉"[int(c)] for c in str(j))


def _sup(j: int) -> str:
    return "".join("⁰¹²³⁴⁵⁶⁷⁸⁹"[int(c)] for c in str(j))
