"""Notebook 04, §4–5: choosing ε and α on a quadratic.

``rate_map``: the contraction rate of the heavy ball over (ε, α), computed exactly from the
spectral radius of its iteration matrix, with the theory's optimum; ``steps_table``: steps to
a tolerance grow like κ for gradient descent, like √κ for tuned momentum.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
from matplotlib.colors import LogNorm

from ... import plotting
from ...objectives import Quadratic
from ...optim import SGD, Momentum
from ...rates import (
    heavy_ball_radius,
    loglog_slope,
    predicted_steps,
    steps_vs_condition,
    tuned_heavy_ball,
)
from ..common.cache import cached

PALETTE = plotting.PALETTE


# --- the theory of the heavy ball on a quadratic ---------------------------------------------
def tuned_momentum(q: Quadratic) -> Momentum:
    """Momentum with the heavy-ball optimum (ε*, α*) for the quadratic ``q``."""
    best = tuned_heavy_ball(q.lam_max, q.lam_min)
    return Momentum(lr=best["lr"], alpha=best["alpha"])




# --- 4. the rate map over (ε, α) -------------------------------------------------------------
RATE_KAPPA = 100.0


def compute_rate_map(kappa: float = RATE_KAPPA, n_lr: int = 401, n_alpha: int = 400) -> dict:
    """The exact heavy-ball rate on the 2-D quadratic with eigenvalues (1, κ), on a grid.

    ε runs over (0, 4/λ_max] (past 2(1 + α)/λ_max the steep direction diverges) and α over
    [0, 1). Returns the grid, the grid's best point and the theory's optimum.
    """
    lam = np.array([1.0, float(kappa)])
    lrs = np.linspace(4.0 / lam[1] / n_lr, 4.0 / lam[1], n_lr)
    alphas = np.linspace(0.0, 1.0, n_alpha, endpoint=False)
    LR, ALPHA = np.meshgrid(lrs, alphas)
    rate = heavy_ball_radius(LR, ALPHA, lam)
    i, j = np.unravel_index(np.argmin(rate), rate.shape)
    theory = tuned_heavy_ball(lam[1], lam[0])
    gd_row = rate[0]                                   # α = 0: gradient descent
    q = Quadratic(lam)
    return {"kappa": float(kappa), "lrs": lrs, "alphas": alphas, "rate": rate,
            "best_lr": float(LR[i, j]), "best_alpha": float(ALPHA[i, j]),
            "best_rate": float(rate[i, j]), "theory": theory,
            "theory_check": float(heavy_ball_radius(theory["lr"], theory["alpha"], lam)),
            "gd_best_rate": float(gd_row.min()), "gd_theory_rate": q.best_gd_rate}


def report_rate_map(r: dict) -> str:
    t = r["theory"]
    return "\n".join([
        f"κ = {r['kappa']:g}: exact per-step rate of momentum on a {len(r['lrs'])} × "
        f"{len(r['alphas'])} grid of (ε, α)",
        f"grid's best:  ε = {r['best_lr']:.4f}, α = {r['best_alpha']:.4f}, "
        f"rate {r['best_rate']:.4f}",
        f"theory:       ε = {t['lr']:.4f}, α = {t['alpha']:.4f}, rate (√κ−1)/(√κ+1) = "
        f"{t['rate']:.4f} (the matrix gives {r['theory_check']:.4f})",
        f"gradient descent (α = 0 row): best rate {r['gd_best_rate']:.4f}; theory "
        f"(κ−1)/(κ+1) = {r['gd_theory_rate']:.4f}",
    ])


def figure_rate_map(r: dict):
    fig = plotting.figure(figsize=(9.5, 5.2))
    with plotting.style():
        ax = fig.add_subplot()
        rate = np.clip(r["rate"], 1e-3, None)
        # 1 − rate: the share of the error removed per step; blank where the run diverges
        share = np.ma.masked_where(rate >= 1.0, np.clip(1.0 - rate, 1e-3, 1.0))
        cmap = mpl.colormaps["viridis"].with_extremes(bad="#d9d9d9")
        mesh = ax.pcolormesh(r["lrs"], r["alphas"], share, shading="auto",
                             norm=LogNorm(vmin=1e-3, vmax=1.0), cmap=cmap)
        bar = fig.colorbar(mesh, ax=ax)
        bar.set_label("1 − rate (error removed per step)")
        ax.contour(r["lrs"], r["alphas"], r["rate"], levels=[0.85, 0.9, 0.95, 0.99],
                   colors="white", linewidths=0.9)
        t = r["theory"]
        ax.plot([t["lr"]], [t["alpha"]], marker="*", markersize=20, color=PALETTE[1],
                markeredgecolor="black", linestyle="none",
                label=f"theory's optimum: rate {t['rate']:.3f}")
        ax.plot([r["best_lr"]], [r["best_alpha"]], marker="o", markersize=9,
                markerfacecolor="none", markeredgecolor="white", markeredgewidth=2,
                linestyle="none", label=f"grid's best: rate {r['best_rate']:.3f}")
        ax.set_xlabel("learning rate ε")
        ax.set_ylabel("momentum α")
        ax.text(0.93 * r["lrs"][-1], 0.25, "diverges\n(rate > 1)", ha="right",
                color="#333333", fontsize=13)
        ax.set_title(f"momentum on a quadratic with κ = {r['kappa']:g} "
                     "(white: rate 0.85, 0.9, 0.95, 0.99)")
        ax.legend(loc="lower right", fontsize=11)
        ax.grid(False)
    return fig


# --- 5. steps against the condition number ---------------------------------------------------
@cached
def compute_steps_table(kappas=(10, 30, 100, 300, 1000), tol: float = 1e-6) -> dict:
    """Steps to shrink ‖θ − θ*‖ by ``tol``: best gradient descent and tuned momentum."""
    gd = steps_vs_condition(lambda q: SGD(lr=q.best_gd_lr), kappas, tol=tol)
    mom = steps_vs_condition(tuned_momentum, kappas, tol=tol)
    rows = []
    for g, m in zip(gd, mom, strict=True):
        kappa, root = g["kappa"], math.sqrt(g["kappa"])
        rows.append({"kappa": kappa, "gd": g["steps"], "momentum": m["steps"],
                     "gd_predicted": predicted_steps((kappa - 1) / (kappa + 1), tol),
                     "momentum_predicted": predicted_steps((root - 1) / (root + 1), tol)})
    k = np.array([row["kappa"] for row in rows])
    return {"tol": tol, "rows": rows,
            "gd_slope": loglog_slope(k, [row["gd"] for row in rows]),
            "momentum_slope": loglog_slope(k, [row["momentum"] for row in rows])}


def report_steps_table(r: dict) -> str:
    lines = [f"steps to shrink ‖θ − θ*‖ by {r['tol']:g} (measured; theory's count in brackets)",
             f"{'κ':>6} {'gradient descent':>20} {'tuned momentum':>18} {'GD/κ':>6} "
             f"{'mom./√κ':>8}"]
    for row in r["rows"]:
        gd = f"{row['gd']} ({row['gd_predicted']})"
        mom = f"{row['momentum']} ({row['momentum_predicted']})"
        lines.append(f"{row['kappa']:6g} {gd:>20} {mom:>18} {row['gd'] / row['kappa']:6.2f} "
                     f"{row['momentum'] / math.sqrt(row['kappa']):8.2f}")
    lines.append(f"log-log slope of steps against κ: gradient descent {r['gd_slope']:.3f}, "
                 f"momentum {r['momentum_slope']:.3f}")
    return "\n".join(lines)


def figure_steps_table(r: dict):
    fig = plotting.figure(figsize=(8.0, 4.6))
    with plotting.style():
        ax = fig.add_subplot()
        k = np.array([row["kappa"] for row in r["rows"]])
        ax.plot(k, [row["gd"] for row in r["rows"]], color=PALETTE[0], marker="o",
                label=f"gradient descent (slope {r['gd_slope']:.2f})")
        ax.plot(k, [row["momentum"] for row in r["rows"]], color=PALETTE[1], marker="s",
                label=f"tuned momentum (slope {r['momentum_slope']:.2f})")
        ax.plot(k, [row["gd_predicted"] for row in r["rows"]], color=PALETTE[0],
                linestyle="--", marker="none", linewidth=1.4, label="theory")
        ax.plot(k, [row["momentum_predicted"] for row in r["rows"]], color=PALETTE[1],
                linestyle="--", marker="none", linewidth=1.4)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("condition number κ")
        ax.set_ylabel(f"steps to a {r['tol']:g} reduction")
        ax.set_title("κ steps for gradient descent, √κ for momentum")
        ax.legend(loc="upper left")
    return fig
