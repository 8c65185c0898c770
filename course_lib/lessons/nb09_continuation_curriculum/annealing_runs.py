"""Notebook 09, §5: simulated annealing on the 1-D function, slow against fast cooling.

Every run cools geometrically from T₀ = 2 to T_end = 0.005 in K steps (T_k = T₀αᵏ with
α = (T_end/T₀)^{1/K}); a chain succeeds if it *ends* in the global minimum's basin. The
cost of a chain is K loss evaluations. The logarithmic schedule of the convergence proofs
is shown beside them: after the longest budget it is still far from cold.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...global_opt.annealing import anneal, geometric_cooling, logarithmic_cooling
from ...global_opt.landscapes import course_function_1d
from ..common.cache import cached
from .basins import PALETTE

T0, T_END, STEP = 2.0, 0.005, 0.5
BUDGETS = (30, 100, 300, 1000)
LOG_STEPS = 3000
BASIN = 0.6            # the global minimum's basin: |θ − θ*| < 0.6 (the next maxima are
                       # 0.77 and 1.11 away)


@cached
def compute_annealing(budgets=BUDGETS, n_chains: int = 100, start: float = -4.5,
                      seed: int = 0) -> dict:
    f = course_function_1d()
    theta_star = float(f.minima[0, 0])
    rows, examples = [], {}
    for K in budgets:
        alpha = (T_END / T0) ** (1.0 / K)
        run = anneal(f, [start], geometric_cooling(T0, alpha), K, STEP, seed=seed,
                     n_chains=n_chains)
        ends = run.theta[:, 0]
        rows.append({"K": K, "alpha": alpha,
                     "success": float(np.mean(np.abs(ends - theta_star) < BASIN)),
                     "excess": float(np.mean(run.losses[:, -1] - f.min_value)),
                     "acceptance": float(run.acceptance_rate.mean()), "nfev": run.nfev})
        examples[K] = run.losses[:3]
    K = LOG_STEPS
    log_run = anneal(f, [start], logarithmic_cooling(T0), K, STEP, seed=seed,
                     n_chains=n_chains)
    return {"rows": rows, "examples": examples, "n_chains": n_chains, "start": start,
            "theta_star": theta_star, "log_success": float(np.mean(
                np.abs(log_run.theta[:, 0] - theta_star) < BASIN)),
            "log_T_end": float(log_run.temperatures[-1]), "log_K": K,
            "log_temperatures": log_run.temperatures,
            "min_value": float(f.min_value)}


def report_annealing(r: dict) -> str:
    lines = [f"simulated annealing from θ₀ = {r['start']:g}, proposal θ′ = θ + {STEP:g}·z, "
             f"T from {T0:g} to {T_END:g} geometrically; {r['n_chains']} chains per row",
             f"{'steps K':>8} {'α':>8} {'ends in global basin':>21} {'mean J − J*':>12} "
             f"{'accepted':>9} {'evals, all chains':>18}"]
    for row in r["rows"]:
        lines.append(f"{row['K']:8d} {row['alpha']:8.5f} {row['success']:21.0%} "
                     f"{row['excess']:12.3f} {row['acceptance']:9.0%} {row['nfev']:18,d}")
    lines.append(f"logarithmic cooling T_k = T₀ ln 2/ln(k + 2), {r['log_K']} steps: ends at "
                 f"T = {r['log_T_end']:.3f}, {r['log_success']:.0%} of chains in the "
                 "global basin")
    return "\n".join(lines)


def figure_annealing(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.6))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        K = [row["K"] for row in r["rows"]]
        left.semilogx(K, [100 * row["success"] for row in r["rows"]], color=PALETTE[0],
                      marker="o", label="geometric cooling")
        left.axhline(100 * r["log_success"], color=PALETTE[1], linestyle="--",
                     label=f"logarithmic, {r['log_K']} steps")
        left.set_xlabel("cooling length K (loss evaluations per chain)")
        left.set_ylabel("chains ending at the global minimum (%)")
        left.set_ylim(-5, 105)
        left.set_title("slow cooling succeeds, at a price")
        left.legend(loc="lower right", fontsize=11)
        for i, k in enumerate((K[0], K[1], K[-1])):
            losses = r["examples"][k][0] - r["min_value"]
            right.plot(np.arange(len(losses)) / (len(losses) - 1), losses, marker="none",
                       color=PALETTE[i], linewidth=1.6, label=f"K = {k}")
        right.set_xlabel("fraction of the cooling done, k/K")
        right.set_ylabel("J(θ_k) − J* (one chain)")
        right.set_title("one chain per cooling length")
        right.legend(loc="upper right", fontsize=11)
    return fig
