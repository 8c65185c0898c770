"""Notebook 04, §6: what makes Nesterov's O(1/k²)? The look-ahead and the growing α, apart.

The problem: J(θ) = ½ Σᵢ λᵢ θᵢ² (θ* = 0, J* = 0), ``N_CURVATURES`` curvatures log-spaced
over (10⁻⁹, 1] (L = 1), and a start θ₀ᵢ = √(Δλᵢ/λᵢ) that gives every slice dλ of curvatures
the initial excess ½ dλ. Gradient descent with ε = 1/L then has the excess error
½ Σ Δλᵢ (1 − λᵢ)^{2k} ≈ ½ ∫₀¹ (1 − λ)^{2k} dλ = 1/(2(2k + 1)) ≈ 1/(4k): the O(1/k) of a
convex problem that is not (usefully) strongly convex, on a problem with a minimizer.

Five runs, all with ε = 1/L: gradient descent; momentum and Nesterov with a constant α
(in the flat directions both act like gradient descent with ε/(1 − α): excess (1 − α)/(4k));
momentum and Nesterov with α_k = (k − 1)/(k + 2). Both scheduled runs follow, while the
steps are small against the curvature, the same ODE θ'' + (3/t)θ' + ∇J(θ) = 0 with t = k√ε
(Su, Boyd & Candès 2016), whose solution here is θᵢ(t) = θ₀ᵢ · 2J₁(√λᵢ t)/(√λᵢ t) and whose
excess error (4/t²) ∫₀ᵗ J₁(s)²/s ds tends to 2/t²: the O(1/k²).

The look-ahead shows in the steep directions: per step the heavy ball keeps the share √α of
a steep direction's swing, Nesterov √(α(1 − ελ)). With α_k → 1 the heavy ball's steep error
falls only like Π α_j = 6/(k(k + 1)(k + 2)); Nesterov's collapses.

``compute_lessard``: the heavy ball with Polyak's tuned constants cycles forever on a smooth,
strongly convex function (Lessard, Recht & Packard 2016); Nesterov converges on it.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...objectives import FunctionObjective
from ...optim import SGD, Momentum, Nesterov
from ...rates import loglog_slope
from ...run import minimize
from ...schedules import nesterov_alpha
from ..common.cache import cached

PALETTE = plotting.PALETTE
N_CURVATURES = 300
STEEP = 0.01                    # "steep" directions: λ ≥ STEEP · L


def spread_problem(n: int = N_CURVATURES, lowest: float = 1e-9):
    """(J, λ, θ₀): the diagonal quadratic with curvatures log-spaced over (``lowest``, 1]."""
    edges = np.geomspace(lowest, 1.0, n + 1)
    lam = np.sqrt(edges[1:] * edges[:-1])              # one curvature per slice
    theta0 = np.sqrt(np.diff(edges) / lam)             # ½ λᵢ θ₀ᵢ² = ½ Δλᵢ
    J = FunctionObjective(lambda th: float(0.5 * np.dot(lam, th * th)), lambda th: lam * th,
                          dim=n, name=f"½ Σ λᵢ θᵢ², {n} curvatures in ({lowest:g}, 1]")
    return J, lam, theta0


def run_names(alpha: float) -> list[str]:
    return ["gradient descent", f"momentum, α = {alpha:g}", f"Nesterov, α = {alpha:g}",
            "momentum, αₖ = (k−1)/(k+2)", "Nesterov, αₖ = (k−1)/(k+2)"]


@cached
def compute_convex_rates(steps: int = 3000, alpha: float = 0.5, fit_from: int = 100) -> dict:
    """The five runs for ``steps`` steps with ε = 1/L = 1; per run the excess error J(θ_k)
    at every k, its part in the steep directions (λ ≥ ``STEEP``), the slope of log(J − J*)
    against log k over k = ``fit_from``..``steps``, and the theory's prediction."""
    J, lam, theta0 = spread_problem()
    steep = lam >= STEEP
    names = run_names(alpha)
    schedule = nesterov_alpha()
    optimizers = [SGD(lr=1.0), Momentum(lr=1.0, alpha=alpha), Nesterov(lr=1.0, alpha=alpha),
                  Momentum(lr=1.0, alpha=schedule), Nesterov(lr=1.0, alpha=schedule)]
    # theory: (slope, the constant C of J − J* ≈ C/k^|slope|)
    theory = [(-1.0, 0.25), (-1.0, 0.25 * (1 - alpha)), (-1.0, 0.25 * (1 - alpha)),
              (-2.0, 2.0), (-2.0, 2.0)]
    k = np.arange(1, steps + 1)
    fit = k >= fit_from
    runs = {}
    for name, optimizer, (slope, const) in zip(names, optimizers, theory, strict=True):
        excess, steep_part = [], []

        def record(_k, theta, _state, excess=excess, steep_part=steep_part):
            w = 0.5 * lam * theta * theta
            excess.append(float(w.sum()))
            steep_part.append(float(w[steep].sum()))

        minimize(J, optimizer, theta0, steps, record_every=None, callback=record)
        excess, steep_part = np.array(excess), np.array(steep_part)
        runs[name] = {"excess": excess, "steep": steep_part,
                      "slope": loglog_slope(k[fit], excess[fit]),
                      "final": float(excess[-1]),
                      "constant": float(excess[-1] * steps ** -slope),
                      "theory_slope": slope, "theory_constant": const,
                      "steep_final": float(steep_part[-1])}
    return {"k": k, "steps": steps, "alpha": alpha, "fit_from": fit_from, "runs": runs,
            "lam": lam, "theta0": theta0, "distance2": float(theta0 @ theta0),
            "J0": float(J.loss(theta0)), "steep_share": float(steep.mean()),
            # Nesterov's theorem, ε = 1/L: J(θ_k) − J* ≤ 2‖θ₀ − θ*‖²/(ε (k + 1)²)
            "bound": 2.0 * float(theta0 @ theta0) / (k + 1.0) ** 2,
            "ring_theory": 6.0 / (k * (k + 1.0) * (k + 2.0))}       # Π_{j≤k} α_j


def report_convex_rates(r: dict) -> str:
    n, steps = len(r["lam"]), r["steps"]
    lines = [f"J = ½ Σ λᵢθᵢ², {n} curvatures in (1e-09, 1], ε = 1/L = 1; slope of log(J − J*) "
             f"against log k over k = {r['fit_from']}..{steps}",
             f"{'run':28} {'slope':>6} {'theory':>7}   {'J − J* at k = ' + str(steps):>20}   "
             "k^p·(J − J*) (theory)"]
    for name, run in r["runs"].items():
        p = -run["theory_slope"]
        lines.append(f"{name:28} {run['slope']:6.3f} {run['theory_slope']:7.0f}   "
                     f"{run['final']:20.2e}   k^{p:.0f}·(J − J*) = {run['constant']:.3f} "
                     f"({run['theory_constant']:g})")
    nest = list(r["runs"].values())[-1]
    ratio = float(np.min(r["bound"] / np.maximum(nest["excess"], 1e-300)))
    lines.append(f"Nesterov's bound 2‖θ₀ − θ*‖²/(ε(k + 1)²) holds at every k, by a factor "
                 f"≥ {ratio:.0f} (‖θ₀ − θ*‖² = {r['distance2']:.1f})")
    return "\n".join(lines)


def report_steep(r: dict) -> str:
    """The steep directions' error of the two scheduled runs: the look-ahead at work."""
    runs = list(r["runs"].values())
    heavy, nest = runs[3], runs[4]
    k = r["k"]
    fit = k >= r["fit_from"]
    slope = loglog_slope(k[fit], heavy["steep"][fit])
    kk = [100, 1000, r["steps"]]
    cells = "   ".join(f"k = {x}: {heavy['steep'][x - 1]:.1e} vs {nest['steep'][x - 1]:.1e}"
                       for x in kk)
    return (f"error in the steep directions (λ ≥ {STEEP:g} L) with αₖ = (k−1)/(k+2), "
            f"momentum vs Nesterov:\n  {cells}\n"
            f"  momentum's falls like k^{slope:.2f} (theory: Π α_j = 6/(k(k+1)(k+2)), k^-3)")


def steep_slope(r: dict) -> float:
    k, heavy = r["k"], list(r["runs"].values())[3]["steep"]
    fit = k >= r["fit_from"]
    return loglog_slope(k[fit], heavy[fit])


def figure_convex_rates(r: dict):
    fig = plotting.figure(figsize=(11.0, 4.9))
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[1.25, 1])
        k = r["k"]
        styles = [(PALETTE[7], "-"), (PALETTE[0], "-"), (PALETTE[2], "--"), (PALETTE[1], "-"),
                  (PALETTE[3], "--")]
        for i, (name, run) in enumerate(r["runs"].items()):
            color, line = styles[i]
            left.plot(k, run["excess"], color=color, linestyle=line, marker=plotting.MARKERS[i],
                      markevery=(0.03 * i, 0.12), label=f"{name} ({run['slope']:.2f})")
        left.plot(k, 0.25 / k, color="black", linestyle=":", marker="none", linewidth=1.4,
                  label="1/(4k) and 2/k²")
        left.plot(k[9:], 2.0 / k[9:] ** 2, color="black", linestyle=":", marker="none",
                  linewidth=1.4)
        left.set_xscale("log")
        left.set_yscale("log")
        left.yaxis.set_minor_locator(NullLocator())
        left.set_ylim(1e-7, 1.0)
        left.set_xlabel("step k")
        left.set_ylabel("J(θₖ) − J*")
        left.set_title("excess error (measured slope)")
        left.legend(loc="lower left", fontsize=10.5)

        runs = list(r["runs"].values())
        right.plot(k, runs[3]["steep"], color=PALETTE[1], marker=plotting.MARKERS[3],
                   markevery=0.12, label="momentum, αₖ")
        right.plot(k, np.where(runs[4]["steep"] > 0, runs[4]["steep"], np.nan),
                   color=PALETTE[3], linestyle="--", marker=plotting.MARKERS[4],
                   markevery=0.12, label="Nesterov, αₖ")
        scale = runs[3]["steep"][-1] / r["ring_theory"][-1]
        right.plot(k, scale * r["ring_theory"], color="black", linestyle=":", marker="none",
                   linewidth=1.4, label="∝ Π αⱼ ≈ 6/k³")
        right.set_xscale("log")
        right.set_yscale("log")
        right.yaxis.set_minor_locator(NullLocator())
        right.set_ylim(1e-30, 1.0)
        right.set_xlabel("step k")
        right.set_ylabel(f"part of J in λ ≥ {STEEP:g}")
        right.set_title("steep directions: the look-ahead")
        right.legend(loc="lower left", fontsize=11)
    return fig


# --- the heavy ball outside quadratics: Lessard, Recht & Packard (2016), §4.6 ----------------
def _lessard_grad(x):
    x = x[0]
    return np.array([25.0 * x if x < 1 else x + 24.0 if x < 2 else 25.0 * x - 24.0])


def _lessard_loss(x):
    x = x[0]
    return float(12.5 * x * x if x < 1 else 0.5 * x * x + 24.0 * x - 12.0 if x < 2
                 else 12.5 * x * x - 24.0 * x + 36.0)


LESSARD = FunctionObjective(_lessard_loss, _lessard_grad, dim=1,
                            name="Lessard–Recht–Packard: m = 1, L = 25")


def compute_lessard(theta0: float = 3.3, steps: int = 300) -> dict:
    """Heavy ball with Polyak's tuned (ε, α) for m = 1, L = 25 (section 4's formulas) against
    Nesterov with ε = 1/L and α = (√κ − 1)/(√κ + 1), on a function whose curvature jumps
    between 1 and 25. The heavy ball settles into a cycle of three points."""
    m, L = 1.0, 25.0
    root = math.sqrt(L / m)
    lr, alpha = 4.0 / (math.sqrt(L) + math.sqrt(m)) ** 2, ((root - 1) / (root + 1)) ** 2
    heavy = minimize(LESSARD, Momentum(lr=lr, alpha=alpha), [theta0], steps)
    nest = minimize(LESSARD, Nesterov(lr=1.0 / L, alpha=(root - 1) / (root + 1)), [theta0], steps)
    cycle = sorted({round(float(x), 6) for x in heavy.thetas[-6:, 0]})
    return {"lr": lr, "alpha": alpha, "theta0": theta0, "steps": steps,
            "heavy_losses": heavy.losses, "nesterov_losses": nest.losses, "cycle": cycle,
            "cycle_losses": sorted(LESSARD.loss([x]) for x in cycle),
            "period3": bool(np.allclose(heavy.thetas[-3:, 0], heavy.thetas[-6:-3, 0])),
            "heavy_final": float(heavy.loss), "nesterov_final": float(nest.loss),
            "nesterov_exact": int(np.argmax(nest.losses == 0.0)) if nest.loss == 0.0 else None}


def report_lessard(r: dict) -> str:
    cycle = ", ".join(f"{x:.3f}" for x in r["cycle"])
    values = ", ".join(f"{x:.2f}" for x in r["cycle_losses"])
    return (f"Lessard–Recht–Packard function (strongly convex, m = 1, L = 25), θ₀ = "
            f"{r['theta0']:g}, {r['steps']} steps:\n"
            f"  momentum with Polyak's tuned ε = {r['lr']:.4f}, α = {r['alpha']:.4f}: "
            f"cycles through θ = {cycle} (J = {values}) for ever\n"
            f"  Nesterov with ε = 1/L, α = (√κ−1)/(√κ+1) = 2/3: " + (
                f"J = {r['nesterov_final']:.1e}" if r["nesterov_exact"] is None else
                f"J = 0 from step {r['nesterov_exact']} on (a step of 1/L from a look-ahead "
                "point where the curvature is L lands on θ* exactly)"))
