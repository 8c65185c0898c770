"""Notebook 10, §4: hypergradient descent, the simplest learned rule (Baydin et al. 2018).

``compute_rise``: SGD-HD from a rate a thousand times too small on a quadratic, beside SGD
at that rate and at the best fixed rate; ``compute_fall``: from a rate that overshoots;
``compute_start_robustness``: over a grid of starting rates, how often SGD-HD passes a few
prototypes, against SGD with the same rates fixed.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...objectives import Quadratic
from ...optim import SGD, HypergradientSGD
from ...prototypes import LR_GRID, prototype, run_suite, spec
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE
BOWL = Quadratic((1.0, 2.0), name="bowl with curvatures 1 and 2")
THETA0 = np.array([3.0, 3.0])


def compute_rise(lr0: float = 1e-3, beta: float = 1e-3, steps: int = 60) -> dict:
    """ε_k of SGD-HD from ε₀ = ``lr0`` on ``BOWL``; losses beside SGD at ε₀ and at the best
    fixed rate 2/(λ_max + λ_min)."""
    hd = minimize(BOWL, HypergradientSGD(lr=lr0, beta=beta), THETA0, steps)
    slow = minimize(BOWL, SGD(lr=lr0), THETA0, steps)
    best = minimize(BOWL, SGD(lr=BOWL.best_gd_lr), THETA0, steps)
    rates = np.array([lr0] + [s.lr for s in hd.states])
    return {"lr0": lr0, "beta": beta, "steps": steps, "rates": rates, "hd": hd.losses,
            "slow": slow.losses, "best": best.losses, "best_lr": BOWL.best_gd_lr,
            "rate_at": {k: float(rates[k]) for k in (1, 5, 10, steps)},
            "rise": float(rates[-1] / lr0)}


def compute_fall(lr0: float = 1.9, beta: float = 0.05, steps: int = 30) -> dict:
    """SGD-HD from ε₀ = 1.9 on J = θ²/2, where 1 − ε₀ < 0 flips the gradient's sign each step."""
    q = Quadratic((1.0,))
    hd = minimize(q, HypergradientSGD(lr=lr0, beta=beta), np.array([2.0]), steps)
    fixed = minimize(q, SGD(lr=lr0), np.array([2.0]), steps)
    rates = np.array([lr0] + [s.lr for s in hd.states])
    return {"lr0": lr0, "beta": beta, "rates": rates, "final_rate": float(rates[-1]),
            "hd_loss": hd.loss, "fixed_loss": fixed.loss}


def report_hypergradient(rise: dict, fall: dict) -> str:
    at = rise["rate_at"]
    return "\n".join([
        f"from ε₀ = {rise['lr0']:g} (β = {rise['beta']:g}) on the bowl with curvatures 1 and 2:",
        f"  ε after 1, 5, 10, {rise['steps']} steps: {at[1]:.3g}, {at[5]:.3g}, {at[10]:.3g}, "
        f"{at[rise['steps']]:.3g} ({rise['rise']:.0f} times ε₀)",
        f"  J after {rise['steps']} steps: SGD-HD {rise['hd'][-1]:.2e}, SGD at ε₀ "
        f"{rise['slow'][-1]:.3g}, SGD at the best fixed ε = {rise['best_lr']:.3g}: "
        f"{rise['best'][-1]:.2e}",
        f"from ε₀ = {fall['lr0']:g} (β = {fall['beta']:g}) on θ²/2, where each step overshoots: "
        f"ε falls to {fall['final_rate']:.3g}; J after 30 steps {fall['hd_loss']:.2e} "
        f"(fixed ε₀: {fall['fixed_loss']:.2e})",
    ])


def figure_rise(rise: dict):
    fig = plotting.figure(figsize=(12.0, 4.4))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        k = np.arange(len(rise["rates"]))
        left.plot(k, rise["rates"], color=PALETTE[0], marker="none", label="SGD-HD's ε_k")
        left.axhline(rise["lr0"], color=PALETTE[1], linestyle="--", label="ε₀")
        left.axhline(rise["best_lr"], color=PALETTE[2], linestyle=":",
                     label="best fixed ε = 2/(λ_max + λ_min)")
        left.set_yscale("log")
        left.set_xlabel("step k")
        left.set_ylabel("learning rate ε_k")
        left.legend(fontsize=11)
        left.set_title("the rate learns itself")
        for i, (name, label) in enumerate((("hd", "SGD-HD from ε₀"), ("slow", "SGD at ε₀"),
                                           ("best", "SGD at the best fixed ε"))):
            y = np.where(rise[name] > 0, rise[name], np.nan)
            right.plot(np.arange(len(y)), y, color=PALETTE[i], marker="none", label=label)
        right.set_yscale("log")
        right.set_xlabel("step k")
        right.set_ylabel("J(θ_k)")
        right.legend(fontsize=11)
        right.set_title("the loss")
    return fig


# --- is the start still a hyperparameter? --------------------------------------------------------
ROBUSTNESS_PROBLEMS = ("bowl", "cliff", "ridge", "bowl × 1000")


@cached
def compute_start_robustness(problems=ROBUSTNESS_PROBLEMS, seeds=(0, 1, 2),
                             beta: float = 0.01) -> dict:
    """How many starting rates of ``LR_GRID`` pass each prototype, SGD against SGD-HD."""
    specs = {"SGD": spec("SGD", lambda lr: SGD(lr=lr), separable=True, vector_lr=True),
             "SGD-HD": spec("SGD-HD", lambda lr: HypergradientSGD(lr=lr, beta=beta))}
    table = run_suite(specs, {p: prototype(p) for p in problems}, seeds=seeds)
    counts = {}
    for o in specs:
        counts[o] = {p: sum(opt["pass_share"] >= 0.8 - 1e-12 for opt in table.settings(o, p))
                     for p in problems}
    return {"counts": counts, "grid": len(LR_GRID), "problems": problems, "beta": beta}


def report_start_robustness(r: dict) -> str:
    lines = [f"starting rates (of {r['grid']}, 0.001 to 3.2) that pass, β = {r['beta']:g}:"]
    width = max(len(p) for p in r["problems"])
    lines.append(f"  {'':<{width}}  SGD  SGD-HD")
    for p in r["problems"]:
        lines.append(f"  {p:<{width}}  {r['counts']['SGD'][p]:>3}  {r['counts']['SGD-HD'][p]:>6}")
    return "\n".join(lines)
