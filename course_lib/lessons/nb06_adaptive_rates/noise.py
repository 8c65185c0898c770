"""Notebook ``06_adaptive_rates`` (section 8.5), part 3: delta-bar-delta, the early
per-parameter heuristic, and what minibatch noise does to it; vSGD, which sets its rates
from measured curvature and noise.

7. ``delta_bar_delta``: on a linear regression with one weak input direction,
   delta-bar-delta with the whole training set grows its rates until the steep coordinate
   starts to oscillate, and converges; with minibatches of 10 the signs it compares are
   noise, so each rate settles where its additive growth ξ (Jacobs' κ; the course keeps κ
   for the condition number) balances its multiplicative cuts (ε ≈ ξ·p_grow/(β·p_cut)),
   whatever the curvature. vSGD, with no rate to tune, gets the
   same gradient evaluations on the same minibatches.

Same shape as ``course_lib.lessons.adaptive``: ``compute_*``, ``report_*``, ``figure_*``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator

from ... import data, plotting
from ...objectives import LinearRegression
from ...optim import SGD, VSGD, DeltaBarDelta, effective_lrs
from ...run import minimize
from .state_panels import PARAM_STYLES

PALETTE = plotting.PALETTE
INPUT_SCALES = (1.0, 0.1)


def regression_task(m: int = 200, noise: float = 0.5, seed: int = 0) -> LinearRegression:
    """Linear regression whose second input is ten times smaller: curvatures ≈ 1 and 0.01."""
    X, y, _ = data.linear_regression_data(m, 2, noise=noise, seed=seed)
    return LinearRegression(X * np.array(INPUT_SCALES), y)


def _rate_moves(optimizer, trace) -> dict:
    """Per parameter: the rates of every step, and the share of steps that cut or grew them."""
    rates = effective_lrs(optimizer, trace)
    before = np.vstack([np.full(rates.shape[1], optimizer.eps0), rates[:-1]])
    return {"rates": rates, "cut": np.mean(rates < before, axis=0),
            "grown": np.mean(rates > before, axis=0)}


def compute_delta_bar_delta(lr: float = 0.1, increment: float = 0.005, beta: float = 0.1,
                            phi: float = 0.7, steps: int = 500, batch_size: int = 10,
                            seed: int = 0) -> dict:
    """Delta-bar-delta with the whole training set and with minibatches (same settings).

    Reference runs: SGD with ε = ``lr`` both ways, and vSGD (finite-difference curvature,
    two gradients per step) on the same minibatches with the same number of gradient
    evaluations. ``noise_theory``: over the second half of the minibatch run, the rate at
    which ξ·(share of steps that grew it) = β·ε·(share that cut it), ξ = ``increment``.
    """
    f = regression_task()
    j_star = f.min_value
    theta0 = np.zeros(2)
    dbd = DeltaBarDelta(lr=lr, increment=increment, beta=beta, phi=phi)
    runs, ways = {}, (("full batch", None), (f"minibatches of {batch_size}", batch_size))
    for name, batch in ways:
        trace = minimize(f, dbd, theta0, steps, batch_size=batch, rng=seed, warn=False)
        runs[f"delta-bar-delta, {name}"] = {"excess": trace.losses - j_star,
                                            "stop": trace.stop_reason, **_rate_moves(dbd, trace)}
    for name, batch in ways:
        sgd = minimize(f, SGD(lr=lr), theta0, steps, batch_size=batch, rng=seed, warn=False)
        runs[f"SGD ε = {lr:g}, {name}"] = {"excess": sgd.losses - j_star,
                                           "stop": sgd.stop_reason}
    noisy = runs[f"delta-bar-delta, minibatches of {batch_size}"]
    late = noisy["rates"][steps // 2:]
    before = noisy["rates"][steps // 2 - 1:-1]
    grown, cut = np.mean(late > before, axis=0), np.mean(late < before, axis=0)
    vsgd_opt = VSGD(curvature="fd")
    vsgd = minimize(f, vsgd_opt, theta0, steps // 2, batch_size=batch_size, rng=seed,
                    warn=False)
    runs[f"vSGD (no ε), minibatches of {batch_size}"] = {
        "excess": np.repeat(vsgd.losses - j_star, 2)[1:], "stop": vsgd.stop_reason,
        "rates": effective_lrs(vsgd_opt, vsgd), "ngev": vsgd.ngev}
    return {"lr": lr, "increment": increment, "beta": beta, "phi": phi, "steps": steps,
            "batch_size": batch_size, "curvatures": np.diag(f.hessian(theta0)).copy(),
            "runs": runs, "noisy": f"delta-bar-delta, minibatches of {batch_size}",
            "noise_mean": late.mean(axis=0), "noise_theory": increment * grown / (beta * cut)}


def report_delta_bar_delta(r: dict) -> str:
    h1, h2 = r["curvatures"]
    lines = [f"linear regression, inputs scaled (1, 0.1): curvatures {h1:.3f} and {h2:.4f}; "
             f"ε₀ = {r['lr']:g}, ξ = {r['increment']:g}, β = {r['beta']:g}, φ = {r['phi']:g}, "
             f"{r['steps']} gradient evaluations",
             f"{'':42} {'rates at the end':>18} {'steps that cut them':>20} {'J − J*':>9}"]
    for name, run in r["runs"].items():
        if "cut" in run:
            rates = f"({run['rates'][-1, 0]:.3g}, {run['rates'][-1, 1]:.3g})"
            cut = f"{100 * run['cut'][0]:.1f} %, {100 * run['cut'][1]:.1f} %"
        elif "rates" in run:
            rates = f"({run['rates'][-1, 0]:.3g}, {run['rates'][-1, 1]:.3g})"
            cut = ""
        else:
            rates = cut = ""
        lines.append(f"{name:42} {rates:>18} {cut:>20} {run['excess'][-1]:9.2e}")
    m, t = r["noise_mean"], r["noise_theory"]
    lines.append(f"with minibatches, mean rates over the second half ({m[0]:.3f}, {m[1]:.3f}); "
                 f"where ξ·p_grow = β·ε·p_cut: ({t[0]:.3f}, {t[1]:.3f})")
    return "\n".join(lines)


def figure_delta_bar_delta(r: dict):
    fig = plotting.figure(figsize=(10.8, 6.6))      # ≤ 10.8 in: 13-pt text stays ≥ 9 px
    with plotting.style():
        left, right = fig.subplots(1, 2)
        k = np.arange(1, r["steps"] + 1)
        dbd = [name for name, run in r["runs"].items() if "cut" in run]
        for i, name in enumerate(dbd):
            for p in range(2):
                left.plot(k, r["runs"][name]["rates"][:, p], color=PALETTE[i],
                          linestyle=PARAM_STYLES[p], marker="none",
                          label=f"{name.removeprefix('delta-bar-delta, ')}: ε{'₁₂'[p]}")
        for p in range(2):
            left.axhline(r["noise_theory"][p], color="black", linestyle=":", linewidth=1.4,
                         label="ξ·p_grow = β·ε·p_cut" if p == 0 else None)
        left.set_yscale("log")
        left.yaxis.set_minor_locator(NullLocator())
        left.set_xlabel("step k")
        left.set_ylabel("rate εᵢ")
        left.set_title("delta-bar-delta's rates")
        left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=13)
        for i, (name, run) in enumerate(r["runs"].items()):
            y = np.where(run["excess"] > 0, run["excess"], np.nan)
            right.plot(np.arange(len(y)), y, color=PALETTE[i % len(PALETTE)],
                       marker=plotting.MARKERS[i % 8], markevery=max(1, len(y) // 10),
                       markersize=5, label=name.replace(", minibatches of", ", batch"))
        right.set_yscale("log")
        right.yaxis.set_minor_locator(NullLocator())
        right.set_xlabel("gradient evaluations")
        right.set_ylabel("J(θ) − J*")
        right.set_title("training loss")
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=13)
    return fig
