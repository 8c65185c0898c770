"""Notebook 07, §9: BFGS's initial matrix M₀, decided by measurement.

BFGS needs a first approximation M₀ of H⁻¹. Two common choices: M₀ = I (scipy's BFGS), or I
rescaled by sᵀy/yᵀy after the first step (Nocedal & Wright eq. 6.20), an estimate of
1/curvature along that step. On an ill-conditioned problem the first step runs mostly along
the stiff directions, so the rescaled M₀ is far too small along the soft ones.

1. ``compute_start_sweep``: BFGS from M₀ = cI for c over seven decades on a 20-D quadratic
   with κ = 1000 (eigenvalues log-spaced from 1 to 1000, a random rotation, start at ones),
   beside the rescaled start and scipy: a too-small M₀ costs gradients, a too-large one only
   the line search's loss values.
2. ``compute_start_choice``: M₀ = I against the rescaled start and scipy on well- and
   ill-conditioned problems: the course's default (``BFGS()``, M₀ = I) is the one that never
   needs more gradients than scipy's.

Every run stops at ‖∇J‖∞ ≤ 1e-5.
"""

from __future__ import annotations

import numpy as np

from ...objectives import Quadratic, Rosenbrock
from ...optim import BFGS
from ...optim.base import frozen
from ...optim.second_order.quasi_newton import BFGSState
from ...run import minimize
from ..common.cache import cached
from .scipy_comparison import logistic_problem

TOL = 1e-5
SCALES = (1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1000.0)


class StartedBFGS(BFGS):
    """BFGS from a given M₀ = cI instead of the identity (for the sweep only)."""

    def __init__(self, c: float):
        super().__init__()
        self.c = float(c)

    def init(self, theta) -> BFGSState:
        return BFGSState(M=frozen(self.c * np.eye(np.size(theta))))


def ill_conditioned(n: int = 20, kappa: float = 1000.0, seed: int = 0) -> Quadratic:
    """Eigenvalues log-spaced from 1 to κ, eigenvectors a random rotation (seeded)."""
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return Quadratic(np.geomspace(1.0, kappa, n), Q=Q)


def _ours(objective, theta0, optimizer) -> dict:
    trace = minimize(objective, optimizer, theta0, 5000, tol=TOL, warn=False)
    return {"ngev": trace.ngev, "nfev": trace.nfev, "steps": trace.n_steps,
            "converged": trace.stop_reason == "converged"}


def _scipy(objective, theta0) -> dict:
    from scipy.optimize import minimize as scipy_minimize  # a maintainer's dependency

    res = scipy_minimize(objective.loss, theta0, jac=objective.grad, method="BFGS",
                         options={"gtol": TOL, "maxiter": 5000})
    return {"ngev": int(res.njev), "nfev": int(res.nfev), "steps": int(res.nit),
            "converged": bool(res.success)}


@cached
def compute_start_sweep(scales=SCALES) -> dict:
    """BFGS from M₀ = cI for each c, from the rescaled M₀ and scipy, on the κ = 1000 quadratic."""
    f, theta0 = ill_conditioned(), np.ones(20)
    eig = np.linalg.eigvalsh(f.A)
    return {"scales": tuple(scales), "inverse_eigenvalues": (1 / eig.max(), 1 / eig.min()),
            "runs": {c: _ours(f, theta0, StartedBFGS(c)) for c in scales},
            "scaled": _ours(f, theta0, BFGS(scaled_M0=True)), "scipy": _scipy(f, theta0)}


def report_start_sweep(r: dict) -> str:
    lo, hi = r["inverse_eigenvalues"]
    lines = [f"BFGS on a 20-D quadratic, eigenvalues 1 … 1000 (so H⁻¹'s lie in [{lo:g}, "
             f"{hi:g}]), from M₀ = cI; to ‖∇J‖∞ ≤ {TOL:g}",
             f"{'M₀':>26} {'gradients':>10} {'loss values':>12} {'iterations':>11}"]
    for c, run in r["runs"].items():
        mark = "  (the default, I)" if c == 1.0 else ""
        lines.append(f"{'c = ' + format(c, 'g') + mark:>26} {run['ngev']:10d} "
                     f"{run['nfev']:12d} {run['steps']:11d}")
    for name, run in (("rescaled by sᵀy/yᵀy", r["scaled"]), ("scipy's BFGS (M₀ = I)",
                                                              r["scipy"])):
        lines.append(f"{name:>26} {run['ngev']:10d} {run['nfev']:12d} {run['steps']:11d}")
    return "\n".join(lines)


def start_problems() -> dict:
    """name → (objective, θ₀): well and ill conditioned, quadratic and not."""
    return {"quadratic 20-D, κ = 10": (ill_conditioned(kappa=10.0), np.ones(20)),
            "quadratic 20-D, κ = 1000": (ill_conditioned(), np.ones(20)),
            "logistic 20-D": logistic_problem(),
            "Rosenbrock 2-D": (Rosenbrock(), np.array([-1.2, 1.0]))}


def compute_start_choice() -> dict:
    """Gradients of BFGS with M₀ = I and with the rescaled M₀, and scipy's, per problem."""
    rows = []
    for name, (f, theta0) in start_problems().items():
        rows.append({"problem": name, "identity": _ours(f, theta0, BFGS()),
                     "scaled": _ours(f, theta0, BFGS(scaled_M0=True)),
                     "scipy": _scipy(f, theta0)})
    return {"rows": rows}


def report_start_choice(r: dict) -> str:
    lines = [f"gradients to ‖∇J‖∞ ≤ {TOL:g} (loss values in brackets)",
             f"{'problem':<26} {'M₀ = I':>12} {'rescaled M₀':>13} {'scipy (M₀ = I)':>15}"]
    for row in r["rows"]:
        cells = [f"{row[k]['ngev']} ({row[k]['nfev']})" for k in ("identity", "scaled", "scipy")]
        lines.append(f"{row['problem']:<26} {cells[0]:>12} {cells[1]:>13} {cells[2]:>15}")
    return "\n".join(lines)
