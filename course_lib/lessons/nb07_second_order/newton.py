"""Notebook 07, §1–3: Newton's method (section 8.6.1, Algorithm 8.8).

1. ``one_step``: on a quadratic bowl one Newton step lands on the minimum (eq. 8.27), in
   2-D and in 100-D, where gradient descent needs thousands of steps.
2. ``quadratic_convergence``: near the minimum of a smooth convex function the number of
   correct digits doubles at every step (logistic regression).
3. ``saddle``: on a double well, Newton's method converges to the saddle point between the
   two minima; gradient descent rolls off it into a minimum.
(§4, damping, is ``damping.py``.)
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...data import two_gaussians
from ...objectives import LogisticRegression, Quadratic, add_bias
from ...objectives.base2d import Function2D, _points
from ...optim import SGD, Newton
from ...rates import steps_to_tolerance
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE


def clean(x: float, decimals: int) -> float:
    """``x`` rounded to ``decimals``, with −0.0 turned into 0.0 (rounding noise prints as 0)."""
    return round(float(x), decimals) + 0.0


# --- 1. one step on a quadratic --------------------------------------------------------------
BOWL = Quadratic((1.0, 100.0), angle=np.pi / 6, center=(1.0, -0.5),
                 name="bowl, eigenvalues 1 and 100")


BOWL_THETA0 = (-2.0, 1.5)
BOWL_BOX = (-2.5, 2.5, -2.0, 2.0)


def random_bowl(n: int = 100, kappa: float = 300.0, seed: int = 0) -> Quadratic:
    """An n-D quadratic with eigenvalues log-spaced in [1, κ], a random rotation and centre."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return Quadratic(np.geomspace(1.0, kappa, n), Q=Q, center=rng.standard_normal(n),
                     name=f"{n}-D bowl, κ = {kappa:g}")


@cached
def compute_one_step(gd_steps: int = 3000, tol: float = 1e-6) -> dict:
    """One Newton step against gradient descent at its best rate, on two bowls.

    For each bowl: the relative error ‖θ₁ − θ*‖/‖θ₀ − θ*‖ after one Newton step, and the
    steps gradient descent with ε = 2/(λ_max + λ_min) needs to shrink the error by ``tol``
    (measured; at most ``gd_steps``), beside the theory's ⌈log tol / log((κ−1)/(κ+1))⌉.
    """
    big = random_bowl()
    rows = []
    for q, theta0 in ((BOWL, np.array(BOWL_THETA0)), (big, np.zeros(big.dim))):
        newton = minimize(q, Newton(), theta0, 1)
        gd = minimize(q, SGD(lr=q.best_gd_lr), theta0, gd_steps)
        error0 = np.linalg.norm(theta0 - q.center)
        kappa = q.condition_number
        rows.append({"name": q.name, "dim": q.dim, "kappa": kappa,
                     "newton_error": float(np.linalg.norm(newton.theta - q.center) / error0),
                     "newton_counts": (newton.ngev, newton.nhev),
                     "gd_steps": steps_to_tolerance(gd.thetas, q.center, tol),
                     "gd_predicted": math.ceil(math.log(tol) / math.log((kappa - 1) / (kappa + 1))),
                     "newton": newton, "gd": gd})
    return {"tol": tol, "rows": rows}


def report_one_step(r: dict) -> str:
    lines = [f"{'bowl':30} {'n':>4} {'κ':>6}  {'Newton: error after 1 step':>27}  "
             f"{'gradient descent: steps to ' + format(r['tol'], 'g'):>32}"]
    for row in r["rows"]:
        exact = "< 1e-12 (exact)" if row["newton_error"] < 1e-12 else f"{row['newton_error']:.1e}"
        gd = f"{row['gd_steps']} (theory {row['gd_predicted']})"
        lines.append(f"{row['name']:30} {row['dim']:4d} {row['kappa']:6g}  {exact:>27}  {gd:>32}")
    lines.append("A Newton step costs one gradient and one Hessian; a gradient step one gradient.")
    return "\n".join(lines)


def figure_one_step(r: dict):
    row = r["rows"][0]
    fig = plotting.figure(figsize=(8.5, 6.2))
    with plotting.style():
        ax = fig.add_subplot()
        plotting.contour(BOWL, ax=ax, box=BOWL_BOX)
        plotting.trajectory(ax, row["gd"].thetas[:30], label="gradient descent (30 steps)",
                            color=PALETTE[0], markersize=3.5)
        plotting.trajectory(ax, row["newton"].thetas, label="Newton (1 step)",
                            color=PALETTE[1], marker="s", linewidth=2.6)
        ax.set_title("a quadratic: Newton jumps to the minimum")
        ax.legend(loc="lower left", fontsize=12)
    return fig


# --- 2. quadratic convergence ----------------------------------------------------------------
def logistic_problem() -> LogisticRegression:
    """Logistic regression on two overlapping Gaussian classes (m = 200), with a bias."""
    X, y = two_gaussians(m=200, seed=0, separation=2.0)
    return LogisticRegression(add_bias(X), y)


def compute_quadratic_convergence(steps: int = 12, shown_above: float = 1e-13) -> dict:
    """Newton from θ₀ = 0 on ``logistic_problem``; the error e_k = ‖θ_k − θ*‖ per step.

    θ* is Newton's own last iterate after ``steps`` steps (converged to rounding). Rows are
    kept while e_k > ``shown_above`` (below that the error is rounding noise): the correct
    digits −log₁₀ e_k and the ratio e_k/e_{k−1}², which tends to a constant under
    quadratic convergence. Gradient descent (ε = 2/(λ_max + λ_min) of the Hessian at θ*)
    runs as many steps as rows, for comparison.
    """
    f = logistic_problem()
    trace = minimize(f, Newton(), np.zeros(f.dim), steps)
    star = trace.theta
    errors = np.linalg.norm(trace.thetas - star, axis=1)
    rows = []
    for k, e in enumerate(errors):
        if e <= shown_above:
            break
        rows.append({"k": k, "error": float(e), "digits": float(-math.log10(e)),
                     "ratio": float(e / errors[k - 1] ** 2) if k else None})
    lam = np.linalg.eigvalsh(f.hessian(star))
    lr = 2.0 / (lam[0] + lam[-1])
    gd = minimize(f, SGD(lr=lr), np.zeros(f.dim), len(rows) - 1)
    gd_errors = np.linalg.norm(gd.thetas - star, axis=1)
    return {"rows": rows, "errors": errors, "theta_star": star, "gd_lr": float(lr),
            "gd_errors": gd_errors, "gd_digits": float(-math.log10(gd_errors[-1])),
            "steps": len(rows) - 1}


def report_quadratic_convergence(r: dict) -> str:
    lines = ["Newton on logistic regression (3 parameters, 200 examples) from θ₀ = 0",
             f"{'k':>3} {'‖θ_k − θ*‖':>11} {'correct digits':>15} {'e_k / e_(k−1)²':>15}"]
    for row in r["rows"]:
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.3f}"
        lines.append(f"{row['k']:3d} {row['error']:11.2e} {row['digits']:15.2f} {ratio:>15}")
    lines.append(f"gradient descent (ε = {r['gd_lr']:.2f}, its best rate at θ*) after "
                 f"{r['steps']} steps: {r['gd_digits']:.2f} correct digits")
    return "\n".join(lines)


def figure_quadratic_convergence(r: dict):
    fig = plotting.figure(figsize=(8.0, 4.6))
    with plotting.style():
        ax = fig.add_subplot()
        n = len(r["rows"])
        ax.plot(np.arange(n), r["errors"][:n], color=PALETTE[1], marker="s",
                label="Newton: digits double")
        ax.plot(np.arange(n), r["gd_errors"], color=PALETTE[0], marker="o",
                label="gradient descent: a few digits per many steps")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step k")
        ax.set_ylabel("‖θ_k − θ*‖")
        ax.set_title("quadratic convergence near the minimum")
        ax.legend(loc="lower left")
    return fig


# --- 3. the saddle ---------------------------------------------------------------------------
class DoubleWell(Function2D):
    """J(θ) = ½θ₁² + ¼(θ₂² − 1)²: minima (0, ±1) with J = 0, a saddle at (0, 0), J = ¼.

    Hessian diag(1, 3θ₂² − 1): negative curvature along θ₂ while |θ₂| < 1/√3.
    """

    name = "double well"
    minima = _points([[0.0, -1.0], [0.0, 1.0]])
    min_value = 0.0
    critical_points = _points([[0.0, 0.0]])
    box = (-1.5, 1.5, -1.5, 1.5)

    def _value(self, x, y):
        return 0.5 * x ** 2 + 0.25 * (y ** 2 - 1.0) ** 2

    def _gradient(self, x, y):
        return x, y ** 3 - y

    def _hess(self, x, y):
        return ((1.0 + 0.0 * x, 0.0 * x), (0.0 * x, 3.0 * y ** 2 - 1.0))


WELL = DoubleWell()
WELL_THETA0 = (1.0, 0.3)


def compute_saddle(lr: float = 0.2, alpha: float = 2.0, tol: float = 1e-8,
                   steps: int = 500) -> dict:
    """Newton, damped Newton (α = ``alpha``) and gradient descent (ε = ``lr``) from (1, 0.3)
    on the double well, each until ‖∇J‖∞ ≤ ``tol``. For each: the steps, the end point,
    J there, ‖∇J‖ and the Hessian's eigenvalues there (one negative: a saddle)."""
    runs = {"Newton": Newton(), f"damped Newton, α = {alpha:g}": Newton(alpha=alpha),
            f"gradient descent, ε = {lr:g}": SGD(lr=lr)}
    runs = {name: minimize(WELL, opt, WELL_THETA0, steps, tol=tol) for name, opt in runs.items()}
    out = {"runs": {}, "theta0": WELL_THETA0, "tol": tol}
    for name, trace in runs.items():
        out["runs"][name] = {"trace": trace, "steps": trace.n_steps, "theta": trace.theta,
                             "loss": trace.loss, "grad_norm": float(trace.grad_norms[-1]),
                             "eigenvalues": np.linalg.eigvalsh(WELL.hessian(trace.theta))}
    return out


def report_saddle(r: dict) -> str:
    lines = [f"double well J = ½θ₁² + ¼(θ₂² − 1)², from θ₀ = {r['theta0']}: minima (0, ±1) "
             "with J = 0, saddle (0, 0) with J = 0.25",
             f"{'':26} {'steps to ‖∇J‖∞ ≤ ' + format(r['tol'], 'g'):>20} {'ends at':>18} "
             f"{'J':>8} {'‖∇J‖':>9} {'eigenvalues of H there':>23}  verdict"]
    for name, run in r["runs"].items():
        x, y = (clean(v, 4) for v in run["theta"])
        lam = run["eigenvalues"]
        verdict = "saddle" if lam[0] < 0 < lam[-1] else "minimum"
        lines.append(f"{name:26} {run['steps']:20d} {f'({x:.4f}, {y:.4f})':>18} "
                     f"{clean(run['loss'], 4):8.4f} {_small(run['grad_norm']):>9} "
                     f"{f'{lam[0]:.2f}, {lam[-1]:.2f}':>23}  {verdict}")
    return "\n".join(lines)


def _small(x: float, floor: float = 1e-8) -> str:
    """A norm that may be rounding noise: "< 1e-08" below ``floor``, else 1 digit."""
    return f"< {floor:.0e}" if x < floor else f"{x:.1e}"


def figure_saddle(r: dict):
    fig = plotting.figure(figsize=(8.0, 6.4))
    with plotting.style():
        ax = fig.add_subplot()
        plotting.contour(WELL, ax=ax, box=WELL.box)
        ax.plot([0.0], [0.0], marker="X", markersize=14, color=PALETTE[3], linestyle="none",
                label="saddle")
        for i, (name, run) in enumerate(r["runs"].items()):
            plotting.trajectory(ax, run["trace"].thetas[:40], label=name, color=PALETTE[i],
                                marker=plotting.MARKERS[i], markersize=4)
        ax.set_title("Newton is drawn to the saddle, gradient descent is not")
        ax.legend(loc="lower left", fontsize=11)
    return fig
