"""Notebook ``07_second_order``: our quasi-Newton and CG methods against scipy.optimize.

1. ``compare_with_scipy``: BFGS against scipy's ``BFGS``, L-BFGS against ``L-BFGS-B`` and
   PR+ conjugate gradients against ``CG`` on three problems (Rosenbrock from (−1.2, 1), the
   100-D extended Rosenbrock from its standard start, and an L2-regularized logistic
   regression with 20 features), all run to ‖∇J‖∞ ≤ 1e-5 from the same start. The cost that
   matters is the number of gradient evaluations (ours: ``Trace.ngev``, scipy: ``njev``).
2. ``lbfgs_large``: L-BFGS on the extended Rosenbrock function with 10⁵ parameters, where
   BFGS's n × n matrix would need 80 GB and L-BFGS's 2m vectors need 16 MB.

scipy is needed by ``compare_with_scipy`` only (it is in ``requirements-dev.txt``).
The tests in ``tests/test_scipy_comparison.py`` assert the printed numbers.
"""

from __future__ import annotations

import time

import numpy as np

from ...data import linear_regression_data
from ...objectives import ExtendedRosenbrock, LogisticRegression, Rosenbrock
from ...optim import BFGS, LBFGS, ConjugateGradient
from ...run import Oracle, minimize
from ...validation import check_int, check_positive

# (our name, our optimizer, scipy's method)
PAIRS = (("BFGS", BFGS, "BFGS"), ("L-BFGS", LBFGS, "L-BFGS-B"),
         ("CG (PR+)", ConjugateGradient, "CG"))


def logistic_problem(m: int = 300, n_features: int = 20, l2: float = 1e-3,
                     seed: int = 0) -> tuple[LogisticRegression, np.ndarray]:
    """An L2-regularized logistic regression and its start θ₀ = 0.

    Inputs x ~ N(0, I) and a true θ from ``data.linear_regression_data``; labels drawn as
    y ~ Bernoulli(σ(xᵀθ_true)), so the classes overlap (not separable) and, with the
    weight decay ``l2``, the loss has one minimizer.
    """
    m = check_int("m", m, minimum=2)
    X, _, theta_true = linear_regression_data(m=m, n_features=n_features, seed=seed)
    u = np.random.default_rng(seed + 1).random(m)
    y = (u < 0.5 * (1.0 + np.tanh(0.5 * X @ theta_true))).astype(float)
    return LogisticRegression(X, y, l2=l2), np.zeros(X.shape[1])


def problems() -> dict:
    """name → (objective, θ₀) for the comparison."""
    big = ExtendedRosenbrock(100)
    return {"Rosenbrock 2-D": (Rosenbrock(), np.array([-1.2, 1.0])),
            "Rosenbrock 100-D": (big, big.standard_start()),
            "logistic 20-D": logistic_problem()}


def _scipy_run(objective, theta0, method: str, tol: float, max_steps: int):
    try:        # scipy is a maintainer's dependency (requirements-dev.txt), not a learner's
        from scipy.optimize import minimize as scipy_minimize
    except ImportError as err:
        raise ImportError("compare_with_scipy needs scipy: pip install scipy") from err

    options = {"gtol": tol, "maxiter": max_steps}
    if method == "L-BFGS-B":    # stop on the gradient only, like the others
        options.update(ftol=0.0, maxfun=10 * max_steps)
    return scipy_minimize(objective.loss, theta0, jac=objective.grad, method=method,
                          options=options)


def compare_with_scipy(tol: float = 1e-5, max_steps: int = 10_000) -> dict:
    """Run each (ours, scipy) pair on each problem to ‖∇J‖∞ ≤ ``tol``; one row per run pair.

    Each row: ``problem``, ``method``, ``scipy_method``; for ours ``ngev``, ``nfev``,
    ``steps``, ``loss``, ``gmax`` (final ‖∇J‖∞), ``converged``; the same with a ``scipy_``
    prefix (``scipy_ngev`` is scipy's ``njev``; its ‖∇J‖∞ is recomputed here, and it counts
    as converged when scipy reports success *and* that norm is ≤ ``tol``).
    """
    tol = check_positive("tol", tol)
    max_steps = check_int("max_steps", max_steps, minimum=1)
    rows = []
    for problem, (objective, theta0) in problems().items():
        for method, make, scipy_method in PAIRS:
            trace = minimize(objective, make(), theta0, steps=max_steps, tol=tol)
            res = _scipy_run(objective, theta0, scipy_method, tol, max_steps)
            scipy_gmax = float(np.max(np.abs(objective.grad(res.x))))
            rows.append({
                "problem": problem, "method": method, "scipy_method": scipy_method,
                "ngev": trace.ngev, "nfev": trace.nfev, "steps": trace.n_steps,
                "loss": trace.loss,
                "gmax": float(np.max(np.abs(objective.grad(trace.theta)))),
                "converged": trace.stop_reason == "converged",
                "scipy_ngev": int(res.njev), "scipy_nfev": int(res.nfev),
                "scipy_steps": int(res.nit), "scipy_loss": float(res.fun),
                "scipy_gmax": scipy_gmax,
                "scipy_converged": bool(res.success) and scipy_gmax <= tol})
    return {"tol": tol, "rows": rows}


def report_comparison(r: dict) -> str:
    """The comparison table, ours / scipy in each cell: gradient and loss evaluations,
    final loss, final ‖∇J‖∞ and whether the run converged."""
    def pair(a, b, fmt):
        return f"{format(a, fmt)} / {format(b, fmt)}"

    lines = [f"Each run to ‖∇J‖∞ ≤ {r['tol']:g}; every cell is ours / scipy's. ngev = gradient "
             "evaluations (scipy's njev), nfev = loss evaluations.",
             f"{'problem':<16} {'method':<20} {'ngev':>11} {'nfev':>11} {'final J':>17} "
             f"{'final ‖∇J‖∞':>17}  converged"]
    for row in r["rows"]:
        done = ("yes" if row["converged"] else "NO") + " / " + (
            "yes" if row["scipy_converged"] else "NO")
        lines.append(
            f"{row['problem']:<16} {row['method'] + ' / ' + row['scipy_method']:<20} "
            f"{pair(row['ngev'], row['scipy_ngev'], '4d'):>11} "
            f"{pair(row['nfev'], row['scipy_nfev'], '4d'):>11} "
            f"{pair(row['loss'], row['scipy_loss'], '.1e'):>17} "
            f"{pair(row['gmax'], row['scipy_gmax'], '.1e'):>17}  {done}")
    fewer = sum(row["ngev"] <= row["scipy_ngev"] for row in r["rows"])
    lines.append(f"Ours used no more gradient evaluations than scipy in {fewer} of "
                 f"{len(r['rows'])} runs.")
    return "\n".join(lines)


def lbfgs_large(n: int = 100_000, m: int = 10, tol: float = 1e-5, spread: float = 0.5,
                seed: int = 0, max_steps: int = 1000) -> dict:
    """L-BFGS on ``ExtendedRosenbrock(n)`` from a random start, with the memory arithmetic.

    The start is θ₀ = 1 + ``spread``·u, u ~ U(−1, 1)ⁿ (seeded): from the standard start
    (−1.2, 1, …) the chained terms pass the correction along roughly one coordinate per
    step, so the step count grows with n (thousands of steps at n = 1000), too slow here.
    The loop calls ``step`` directly instead of ``minimize``, whose trace would store every
    θ (800 kB per step at n = 10⁵). Memory: BFGS's n × n float64 matrix is 8n² bytes;
    L-BFGS keeps m pairs (s, y), 16mn bytes, measured from the final state.
    """
    n = check_int("n", n, minimum=2)
    max_steps = check_int("max_steps", max_steps, minimum=1)
    tol = check_positive("tol", tol)
    spread = check_positive("spread", spread)
    objective = ExtendedRosenbrock(n)
    theta = 1.0 + spread * np.random.default_rng(seed).uniform(-1.0, 1.0, n)
    optimizer, oracle = LBFGS(m=m), Oracle(objective)
    state = optimizer.init(theta)
    start = time.perf_counter()
    gmax = float(np.max(np.abs(objective.grad(theta))))
    steps = 0
    while gmax > tol and steps < max_steps:
        theta, state = optimizer.step(theta, state, oracle)
        gmax = float(np.max(np.abs(state.g)))
        steps += 1
    return {"n": n, "m": m, "tol": tol, "steps": steps, "ngev": oracle.counts.ngev,
            "nfev": oracle.counts.nfev, "gmax": gmax, "loss": float(state.f),
            "max_error": float(np.max(np.abs(theta - 1.0))), "converged": gmax <= tol,
            "bfgs_bytes": 8 * n * n, "lbfgs_bytes": 16 * m * n,
            "lbfgs_state_bytes": sum(a.nbytes for a in state.s + state.y),
            "seconds": time.perf_counter() - start}


def report_lbfgs_large(r: dict) -> str:
    """The large run's memory arithmetic and convergence (wall time is not printed)."""
    return "\n".join([
        f"Extended Rosenbrock, n = {r['n']:,} parameters; L-BFGS with m = {r['m']}.",
        f"BFGS would store M, n × n float64: 8·n² = {r['bfgs_bytes'] / 1e9:.0f} GB.",
        f"L-BFGS stores m pairs (s, y): 2·m·n·8 = {r['lbfgs_bytes'] / 1e6:.0f} MB "
        f"(measured in the final state: {r['lbfgs_state_bytes'] / 1e6:.0f} MB).",
        f"Converged: {'yes' if r['converged'] else 'no'}, after {r['steps']} steps, "
        f"{r['ngev']} gradient and {r['nfev']} loss evaluations; final ‖∇J‖∞ = "
        f"{r['gmax']:.1e}, J = {r['loss']:.1e}, max |θᵢ − 1| = {r['max_error']:.1e}."])
