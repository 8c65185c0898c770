"""Notebook 04, §6: Nesterov's O(1/k²) against O(1/k) on a convex problem.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...objectives import FunctionObjective
from ...optim import SGD, Momentum, Nesterov
from ...rates import loglog_slope
from ...run import minimize
from ...schedules import nesterov_alpha

PALETTE = plotting.PALETTE

# --- 6. Nesterov on a convex problem that is not strongly convex -----------------------------
LOGISTIC = FunctionObjective(lambda th: float(np.logaddexp(0.0, -th[0])),
                             lambda th: np.array([-1.0 / (1.0 + np.exp(th[0]))]), dim=1,
                             name="log(1 + e^(−θ))")


def compute_convex_rates(steps: int = 10_000, lr: float = 4.0, alpha: float = 0.5,
                         fit_from: int = 100) -> dict:
    """J(θ) = log(1 + e^(−θ)): convex, L = 1/4, J* = 0 approached only as θ → ∞.

    Gradient descent (ε = 1/L), momentum with a constant α, and Nesterov with
    α_k = (k − 1)/(k + 2), all from θ₀ = 0. The slope of log(J − J*) against log k over
    k = ``fit_from``..``steps`` is the measured exponent (−1 for O(1/k), −2 for O(1/k²)).
    """
    optimizers = {"gradient descent": SGD(lr=lr),
                  f"momentum, α = {alpha:g}": Momentum(lr=lr, alpha=alpha),
                  "Nesterov, α_k = (k−1)/(k+2)": Nesterov(lr=lr, alpha=nesterov_alpha())}
    k = np.arange(1, steps + 1)
    fit = k >= fit_from
    runs = {}
    for name, optimizer in optimizers.items():
        excess = minimize(LOGISTIC, optimizer, [0.0], steps).losses[1:]     # J* = 0
        runs[name] = {"excess": excess, "slope": loglog_slope(k[fit], excess[fit]),
                      "final": float(excess[-1])}
    return {"k": k, "steps": steps, "lr": lr, "fit_from": fit_from, "runs": runs}


def report_convex_rates(r: dict) -> str:
    lines = [f"J(θ) = log(1 + e^(−θ)), ε = {r['lr']:g} = 1/L, θ₀ = 0; slope of log(J − J*) "
             f"against log k over k = {r['fit_from']}..{r['steps']}"]
    for name, run in r["runs"].items():
        lines.append(f"{name:28} slope {run['slope']:7.3f}   J − J* after {r['steps']} "
                     f"steps: {run['final']:.2e}")
    return "\n".join(lines)


def figure_convex_rates(r: dict):
    fig = plotting.figure(figsize=(8.5, 4.8))
    with plotting.style():
        ax = fig.add_subplot()
        k = r["k"]
        for i, (name, run) in enumerate(r["runs"].items()):
            ax.plot(k, run["excess"], color=PALETTE[i], marker=plotting.MARKERS[i],
                    markevery=0.08, label=f"{name} (slope {run['slope']:.2f})")
        anchor = r["runs"]["gradient descent"]["excess"][-1]
        ax.plot(k, anchor * (k[-1] / k), color="black", linestyle="--", marker="none",
                linewidth=1.2, label="1/k and 1/k² guides")
        nest = list(r["runs"].values())[-1]["excess"][-1]
        ax.plot(k, nest * (k[-1] / k) ** 2, color="black", linestyle=":", marker="none",
                linewidth=1.4)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(max(nest / 10, 1e-12), 1.0)
        ax.set_xlabel("step k")
        ax.set_ylabel("J(θ_k) − J*")
        ax.set_title("a convex problem that is not strongly convex")
        ax.legend(loc="lower left", fontsize=11)
    return fig
