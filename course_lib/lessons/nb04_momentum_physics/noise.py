"""Notebook 04, §7: momentum under noisy gradients is not a noise reducer.

On J(θ) = ½ Σ λᵢ θᵢ² with the gradient plus Gaussian noise, g̃ = ∇J(θ) + σξ (ξ ~ N(0, I),
fresh at every evaluation: the simplest model of minibatch noise), a constant-rate method
does not converge: it settles at a *noise floor*, a stationary spread of J around J* = 0.
Momentum with (ε, α) takes, in the flat directions, steps like SGD with the effective rate
ε/(1 − α) (eq. 8.17), and its floor is that of SGD at that rate: averaging past gradients in
v does not average the noise away, because v adds the noisy gradients up as well.

The theory is exact for this model: every eigen-direction is a linear recursion
x_{k+1} = M x_k + b ξ_k in x = (θ_k, θ_{k−1}), whose stationary covariance P solves
P = M P Mᵀ + b bᵀ (a discrete Lyapunov equation); the floor is Σ ½ λᵢ P₀₀.

The runs are measured over ``SEEDS`` independent noise sequences at once: the copies sit side
by side in one vector (J is separable and every method here acts coordinate by coordinate,
so each copy is exactly an independent run), with the same seeds for every method.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator
from scipy.linalg import solve_discrete_lyapunov

from ... import plotting
from ...objectives import FunctionObjective
from ...optim import SGD, Momentum, Nesterov
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE
LAMBDAS = (0.1, 1.0)            # the bowl's curvatures
SIGMA = 1.0                     # noise per coordinate
SEEDS = 200
THETA0 = (5.0, 5.0)


def noisy_copies(lam, sigma: float, copies: int, seed: int):
    """``copies`` side-by-side copies of ½ Σ λᵢθᵢ² whose gradient carries N(0, σ²) noise
    (one rng, seeded, drawn once per gradient evaluation), and the curvature vector."""
    lam_all = np.tile(np.asarray(lam, dtype=float), copies)
    rng = np.random.default_rng(seed)
    return FunctionObjective(lambda th: float(0.5 * np.dot(lam_all, th * th)),
                             lambda th: lam_all * th + sigma * rng.standard_normal(th.size),
                             dim=lam_all.size, name="noisy bowl, copies side by side"), lam_all


def floor_theory(method: str, lr: float, alpha: float = 0.0, lam=LAMBDAS,
                 sigma: float = SIGMA) -> float:
    """E[J] in the stationary state of ``method`` ("sgd", "momentum", "nesterov") on the noisy
    bowl, from the discrete Lyapunov equation of each eigen-direction."""
    if method == "sgd":
        method, alpha = "momentum", 0.0
    if method not in ("momentum", "nesterov"):
        raise ValueError(f"method must be 'sgd', 'momentum' or 'nesterov', got {method!r}")
    total = 0.0
    for x in np.asarray(lam, dtype=float):
        shrink = 1.0 - lr * x if method == "nesterov" else 1.0     # the look-ahead's (1 − ελ)
        a = alpha * shrink
        first = (1.0 + alpha) * (1.0 - lr * x) if method == "nesterov" else 1.0 + alpha - lr * x
        M = np.array([[first, -a], [1.0, 0.0]])            # θ_{k+1} = first·θ_k − a·θ_{k−1} − εσξ
        b = np.array([[-lr * sigma], [0.0]])
        total += 0.5 * x * solve_discrete_lyapunov(M, b @ b.T)[0, 0]
    return float(total)


@cached
def compute_noise_floor(lr: float = 0.1, alpha: float = 0.9, steps: int = 3000,
                        settle: int = 1000, seeds: int = SEEDS, seed: int = 0) -> dict:
    """SGD with ε = ``lr``; momentum and Nesterov with α and ε = lr·(1 − α) (the same effective
    rate); momentum with the same ε as SGD (ten times the effective rate for α = 0.9, the
    last run).

    Per run: the mean learning curve over the seeds, the floor (each seed's average of J over
    the steps after ``settle``, then the mean over seeds, with its standard error) and the
    theory's floor."""
    small = lr * (1.0 - alpha)
    settings = [("SGD", "sgd", SGD(lr=lr), lr, 0.0),
                ("momentum", "momentum", Momentum(lr=small, alpha=alpha), small, alpha),
                ("Nesterov", "nesterov", Nesterov(lr=small, alpha=alpha), small, alpha),
                ("momentum", "momentum", Momentum(lr=lr, alpha=alpha), lr, alpha)]
    runs = {}
    for label, method, optimizer, eps, a in settings:
        J, lam_all = noisy_copies(LAMBDAS, SIGMA, seeds, seed)
        per_seed = []

        def record(_k, theta, _state, per_seed=per_seed, lam_all=lam_all):
            per_seed.append((0.5 * lam_all * theta * theta).reshape(seeds, -1).sum(axis=1))

        minimize(J, optimizer, np.tile(THETA0, seeds), steps, record_every=None,
                 callback=record, warn=False)
        curves = np.array(per_seed)                          # (steps, seeds)
        floors = curves[settle:].mean(axis=0)                # one time-average per seed
        name = (f"{label}, ε = {eps:g}" if method == "sgd" else
                f"{label}, ε = {eps:g}, α = {a:g}")
        runs[name] = {"method": method, "lr": eps, "alpha": a, "effective": eps / (1.0 - a),
                      "mean_curve": curves.mean(axis=1), "floors": floors,
                      "floor": float(floors.mean()),
                      "stderr": float(floors.std(ddof=1) / np.sqrt(seeds)),
                      "theory": floor_theory(method, eps, a)}
        below = np.flatnonzero(runs[name]["mean_curve"] <= 2.0 * runs[name]["theory"])
        runs[name]["reach"] = int(below[0]) + 1 if below.size else None   # first k at 2 × floor
    names = list(runs)
    sgd, mom = runs[names[0]], runs[names[1]]
    ratios = mom["floors"] / sgd["floors"]
    return {"lr": lr, "alpha": alpha, "steps": steps, "settle": settle, "seeds": seeds,
            "runs": runs, "ratio": float(mom["floor"] / sgd["floor"]),
            "ratio_stderr": float(ratios.std(ddof=1) / np.sqrt(seeds)),
            "ratio_theory": mom["theory"] / sgd["theory"],
            "small_rate_floor": 0.25 * lr * SIGMA ** 2 * len(LAMBDAS)}    # ηλ ≪ 1: ησ²n/4


def report_noise_floor(r: dict) -> str:
    lines = [f"noisy bowl, curvatures {LAMBDAS}, σ = {SIGMA:g}; floor = mean of J over steps "
             f"{r['settle'] + 1}..{r['steps']}, {r['seeds']} seeds (± standard error)",
             f"{'run':34} {'ε/(1−α)':>8} {'floor measured':>20} {'theory':>8} "
             f"{'k at 2×floor':>13}"]
    for name, run in r["runs"].items():
        lines.append(f"{name:34} {run['effective']:8.3g} {run['floor']:11.4f} ± "
                     f"{run['stderr']:.4f} {run['theory']:9.4f} {run['reach']:13d}")
    lines.append(f"momentum's floor / SGD's at the same ε/(1 − α): {r['ratio']:.3f} ± "
                 f"{r['ratio_stderr']:.3f} (theory {r['ratio_theory']:.3f}); small-rate "
                 f"rule ε/(1 − α)·σ²·n/4 = {r['small_rate_floor']:.4f}")
    return "\n".join(lines)


def figure_noise_floor(r: dict):
    fig = plotting.figure(figsize=(9.0, 4.8))
    with plotting.style():
        ax = fig.add_subplot()
        k = np.arange(1, r["steps"] + 1)
        styles = [(PALETTE[7], "-"), (PALETTE[0], "-"), (PALETTE[2], "--"), (PALETTE[3], "-")]
        for i, (name, run) in enumerate(r["runs"].items()):
            color, line = styles[i]
            ax.plot(k, run["mean_curve"], color=color, linestyle=line,
                    marker=plotting.MARKERS[i], markevery=(0.02 * i, 0.1), label=name)
            ax.axhline(run["theory"], color=color, linestyle=":", linewidth=1.3)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step k")
        ax.set_ylabel(f"J(θₖ), mean over {r['seeds']} seeds")
        ax.set_title("noisy gradients: the floor follows ε/(1 − α) (dotted: theory)")
        ax.legend(loc="lower left", fontsize=11)
    return fig
