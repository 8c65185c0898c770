"""Notebook ``07_second_order``, part 2: conjugate gradients (section 8.6.2, Algorithm 8.9).

``compute_*`` functions return dicts of measured numbers, ``report_*`` the printed lines,
``figure_*`` the figures; ``tests/test_lesson_second_order.py`` asserts every printed number.

1. ``zigzag``: steepest descent with exact line searches on a quadratic: every direction is
   at right angles to the one before (the book's figure 8.6); CG finishes in 2 steps.
2. ``termination``: linear CG solves an n × n SPD system in n steps (at most).
3. ``distinct``: ... and in k steps when the matrix has only k distinct eigenvalues.
4. ``nonlinear_cg``: Fletcher–Reeves against Polak–Ribière (and PR+), with and without
   restarts, on the 10-D extended Rosenbrock function.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...objectives import ExtendedRosenbrock, Quadratic
from ...optim import ConjugateGradient, linear_cg, steepest_descent_exact
from ...run import minimize
from ..common.cache import cached
from .checks.linear_cg import a_conjugacy, spd_matrix
from .newton import clean

PALETTE = plotting.PALETTE


# --- 1. the zig-zag of steepest descent (figure 8.6) -----------------------------------------
ZIGZAG = Quadratic((1.0, 10.0), angle=np.pi / 5, name="bowl, eigenvalues 1 and 10")


# The slowest start for steepest descent: error components ∝ 1/λᵢ along the eigenvectors,
# which makes every step shrink the error by exactly (κ − 1)/(κ + 1).
ZIGZAG_X0 = tuple(-(ZIGZAG.Q @ np.array([2.0, 0.2])))
ZIGZAG_BOX = (-1.8, 0.8, -1.6, 0.8)


def compute_zigzag(steps: int = 8, tol: float = 1e-6) -> dict:
    """Steepest descent with exact line searches and linear CG from the same start.

    Per step of steepest descent: the dot product d_kᵀd_{k+1} (0: at right angles), the
    angle between them, and the angle between d_k and d_{k+2} (0°: the zig-zag repeats).
    Also the steps each method needs to shrink ‖x − x*‖ by ``tol``.
    """
    A, b = ZIGZAG.A, ZIGZAG.A @ ZIGZAG.center
    sd = steepest_descent_exact(A, b, ZIGZAG_X0, steps)
    long = steepest_descent_exact(A, b, ZIGZAG_X0, 200)
    cg = linear_cg(A, b, ZIGZAG_X0)
    D = sd.directions
    unit = D / np.linalg.norm(D, axis=1, keepdims=True)
    rows = []
    for k in range(len(D) - 1):
        cos_next = float(unit[k] @ unit[k + 1])
        row = {"k": k, "dot": float(D[k] @ D[k + 1]), "norm": float(np.linalg.norm(D[k])),
               "angle": float(np.degrees(np.arccos(np.clip(cos_next, -1, 1)))),
               "angle2": None}
        if k + 2 < len(D):
            cos2 = float(np.clip(unit[k] @ unit[k + 2], -1, 1))
            row["angle2"] = float(np.degrees(np.arccos(cos2)))
        rows.append(row)
    err = np.linalg.norm(long.xs - ZIGZAG.center, axis=1)
    sd_steps = int(np.argmax(err <= tol * err[0]))
    norms = np.linalg.norm(D, axis=1)
    return {"rows": rows, "sd": sd, "cg": cg, "sd_steps": sd_steps, "tol": tol,
            "shrink": float(np.mean(norms[1:] / norms[:-1])),
            "theory_shrink": (ZIGZAG.condition_number - 1) / (ZIGZAG.condition_number + 1),
            "cg_steps": cg.n_iter, "cg_error": float(np.linalg.norm(cg.x - ZIGZAG.center)),
            "cg_conjugacy": float(cg.directions[0] @ A @ cg.directions[1]),
            "cg_cos": float(cg.directions[0] @ cg.directions[1]
                            / np.prod(np.linalg.norm(cg.directions, axis=1)))}


def report_zigzag(r: dict) -> str:
    lines = ["steepest descent with exact line searches on a bowl with κ = 10",
             f"{'k':>3} {'‖d_k‖':>8} {'d_kᵀd_(k+1)':>12} {'angle(d_k, d_(k+1))':>20} "
             f"{'angle(d_k, d_(k+2))':>20}"]
    for row in r["rows"]:
        a2 = "" if row["angle2"] is None else f"{clean(row['angle2'], 3):.3f}°"
        lines.append(f"{row['k']:3d} {row['norm']:8.4f} {clean(row['dot'], 10):12.10f} "
                     f"{clean(row['angle'], 3):19.3f}° {a2:>20}")
    cos = clean(r["cg_cos"], 3)
    lines.append(f"each ‖d_(k+1)‖/‖d_k‖ = {r['shrink']:.4f}; (κ − 1)/(κ + 1) = "
                 f"{r['theory_shrink']:.4f}")
    lines.append(f"steps to shrink the error by {r['tol']:g}: steepest descent {r['sd_steps']}, "
                 f"conjugate gradients {r['cg_steps']} (error after them "
                 f"{'< 1e-12' if r['cg_error'] < 1e-12 else format(r['cg_error'], '.1e')})")
    lines.append(f"CG's two directions: d₀ᵀAd₁ = {clean(r['cg_conjugacy'], 10):.10f} "
                 f"(A-conjugate), while cos(d₀, d₁) = {cos:.3f} (not orthogonal)")
    return "\n".join(lines)


def figure_zigzag(r: dict):
    fig = plotting.figure(figsize=(9.0, 6.2))
    with plotting.style():
        ax = fig.add_subplot()
        plotting.contour(ZIGZAG, ax=ax, box=ZIGZAG_BOX)
        plotting.trajectory(ax, r["sd"].xs, label="steepest descent, exact line search",
                            color=PALETTE[0])
        plotting.trajectory(ax, r["cg"].xs, label="conjugate gradients", color=PALETTE[1],
                            marker="s", linewidth=2.4)
        ax.set_title("each steepest-descent step is at right angles to the last")
        ax.legend(loc="upper left", fontsize=12)
    return fig


# --- 2. n-step termination -------------------------------------------------------------------
def compute_termination(ns=(2, 5, 10, 20, 50), kappa: float = 100.0, tol: float = 1e-10
                        ) -> dict:
    """Linear CG on random n × n SPD systems, eigenvalues evenly spread over [1, κ].

    Per n: the iterations until ‖r‖ ≤ ``tol``·‖b‖, the relative residual one step before
    the end, and the A-conjugacy of the directions (``a_conjugacy``).
    """
    rows = []
    for n in ns:
        A, b = spd_matrix(n, np.linspace(1.0, kappa, n), seed=n)
        run = linear_cg(A, b, tol=tol)
        rel = run.residual_norms / np.linalg.norm(b)
        rows.append({"n": n, "iterations": run.n_iter, "before_last": float(rel[-2]),
                     "last": float(rel[-1]), "conjugacy": a_conjugacy(run.directions, A),
                     "residuals": rel, "error": float(np.linalg.norm(A @ run.x - b)
                                                      / np.linalg.norm(b))})
    return {"kappa": kappa, "tol": tol, "rows": rows}


def report_termination(r: dict) -> str:
    lines = [f"linear CG on random SPD systems, eigenvalues evenly spread over [1, {r['kappa']:g}]"
             f", stopped at ‖r‖ ≤ {r['tol']:g}·‖b‖",
             f"{'n':>4} {'iterations':>10} {'‖r‖/‖b‖ one step before':>25} "
             f"{'directions A-conjugate (< 1e-6)':>32}"]
    for row in r["rows"]:
        ok = "yes" if row["conjugacy"] < 1e-6 else f"no ({row['conjugacy']:.0e})"
        lines.append(f"{row['n']:4d} {row['iterations']:10d} {row['before_last']:25.1e} {ok:>32}")
    return "\n".join(lines)


# --- 3. k distinct eigenvalues ---------------------------------------------------------------
def compute_distinct(n: int = 100, ks=(1, 2, 4, 6), tol: float = 1e-10,
                     sd_steps: int = 2000) -> dict:
    """CG on n × n matrices whose eigenvalues take only k distinct values (evenly spread
    over [1, 10], each repeated), against steepest descent with exact line searches."""
    rows = []
    for k in ks:
        values = np.linspace(1.0, 10.0, k)
        A, b = spd_matrix(n, np.resize(values, n), seed=k)
        run = linear_cg(A, b, tol=tol)
        sd = steepest_descent_exact(A, b, np.zeros(n), sd_steps)
        sd_rel = sd.residual_norms / np.linalg.norm(b)
        reached = np.flatnonzero(sd_rel <= tol)
        rows.append({"k": k, "distinct": int(np.unique(np.round(np.linalg.eigvalsh(A), 8)).size),
                     "iterations": run.n_iter,
                     "residuals": run.residual_norms / np.linalg.norm(b),
                     "sd_steps": int(reached[0]) if reached.size else None})
    return {"n": n, "tol": tol, "rows": rows}


def report_distinct(r: dict) -> str:
    lines = [f"n = {r['n']}, eigenvalues take k distinct values; stop at ‖r‖ ≤ {r['tol']:g}·‖b‖",
             f"{'k':>3} {'CG iterations':>14} {'steepest descent steps':>23}"]
    for row in r["rows"]:
        lines.append(f"{row['k']:3d} {row['iterations']:14d} {str(row['sd_steps']):>23}")
    return "\n".join(lines)


def figure_cg_residuals(termination: dict, distinct: dict):
    fig = plotting.figure(figsize=(10.8, 5.0))      # ≤ 10.8 in: 13-pt text stays ≥ 9 px
    with plotting.style():
        left, right = fig.subplots(1, 2)
        for i, row in enumerate(termination["rows"]):
            left.plot(row["residuals"], color=PALETTE[i], marker=plotting.MARKERS[i],
                      markevery=max(1, row["iterations"] // 8), label=f"n = {row['n']}")
        left.set_title(f"random SPD systems, κ = {termination['kappa']:g}")
        for i, row in enumerate(distinct["rows"]):
            right.plot(row["residuals"], color=PALETTE[i], marker=plotting.MARKERS[i],
                       label=f"k = {row['k']}")
        right.set_title(f"n = {distinct['n']}, k distinct eigenvalues")
        for ax in (left, right):
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_xlabel("CG iteration")
            ax.set_ylabel("‖r‖ / ‖b‖")
            ax.legend(loc="lower left", fontsize=13)
            ax.title.set_fontsize(13)
    return fig


# --- 4. nonlinear CG: FR against PR, with and without restarts -------------------------------
@cached
def compute_nonlinear_cg(n: int = 10, steps: int = 2000, tol: float = 1e-5) -> dict:
    """``ConjugateGradient`` with β = FR, PR, PR+, restarting every n steps or never (the
    descent check still restarts when gᵀd ≥ 0), on ``ExtendedRosenbrock(n)`` from its
    standard start, until ‖∇J‖∞ ≤ ``tol`` or ``steps`` steps."""
    f = ExtendedRosenbrock(n)
    rows = []
    for beta in ("FR", "PR", "PR+"):
        for restart, label in ((None, f"every n = {n}"), (0, "never")):
            trace = minimize(f, ConjugateGradient(beta=beta, restart=restart), f.standard_start(),
                             steps, tol=tol, warn=False)
            rows.append({"beta": beta, "restart": label, "steps": trace.n_steps,
                         "converged": trace.stop_reason == "converged", "ngev": trace.ngev,
                         "nfev": trace.nfev, "restarts": trace.states[-1].restarts,
                         "loss": trace.loss, "grad_norms": trace.grad_norms})
    return {"n": n, "steps": steps, "tol": tol, "rows": rows}


def report_nonlinear_cg(r: dict) -> str:
    lines = [f"nonlinear CG on the {r['n']}-D extended Rosenbrock function, until ‖∇J‖∞ ≤ "
             f"{r['tol']:g} (at most {r['steps']} steps)",
             f"{'β':>4} {'restart':>12} {'steps':>6} {'gradients':>10} {'losses':>7} "
             f"{'restarts':>9} {'final J':>9}  converged"]
    for row in r["rows"]:
        lines.append(f"{row['beta']:>4} {row['restart']:>12} {row['steps']:6d} {row['ngev']:10d} "
                     f"{row['nfev']:7d} {row['restarts']:9d} {row['loss']:9.1e}  "
                     f"{'yes' if row['converged'] else 'NO'}")
    return "\n".join(lines)


def figure_nonlinear_cg(r: dict):
    fig = plotting.figure(figsize=(9.0, 4.8))
    with plotting.style():
        ax = fig.add_subplot()
        for i, row in enumerate(r["rows"]):
            ax.plot(row["grad_norms"], color=PALETTE[i // 2],
                    linestyle="-" if row["restart"] != "never" else "--", marker="none",
                    label=f"{row['beta']}, restart {row['restart']}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step")
        ax.set_ylabel("‖∇J(θ)‖")
        ax.set_title(f"nonlinear CG, {r['n']}-D Rosenbrock (dashed: no restarts)")
        ax.legend(loc="lower left", fontsize=12, ncols=2)
    return fig
