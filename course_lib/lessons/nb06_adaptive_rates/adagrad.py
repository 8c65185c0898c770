"""Notebook 06, §1–3: why a rate per parameter, AdaGrad, and what RMSProp changes.

1. ``scaling``: on an axis-aligned bowl with curvatures 1 and 100 no single rate serves both
   axes; AdaGrad's per-parameter rates make the steep coordinate retrace the flat one.
2. ``constant_gradient``: under a constant gradient AdaGrad steps ε/√t in every coordinate,
   whatever the gradient's size; RMSProp's step settles at ε.
3. ``stall``: on Rosenbrock's non-convex valley AdaGrad's rates decay early and for good
   while RMSProp, which forgets, keeps moving.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...objectives import ConstantSlope, Quadratic, Rosenbrock
from ...optim import SGD, AdaGrad, RMSProp
from ...rates import steps_to_tolerance
from ...run import minimize
from ..common.cache import cached
from .state_panels import PALETTE, PARAM_STYLES, figure_state, state_arrays


def _stop_when_close(theta_star, theta0, tol):
    goal = tol * np.linalg.norm(np.asarray(theta0) - theta_star)
    return lambda k, theta, state: bool(np.linalg.norm(theta - theta_star) <= goal)


# --- 1. one rate for two axes ----------------------------------------------------------------
SCALED = Quadratic((1.0, 100.0), name="J = ½(θ₁² + 100 θ₂²)")
SCALED_THETA0 = (1.0, 1.0)
SCALED_BOX = (-1.3, 1.3, -1.3, 1.3)


def compute_scaling(lr_adagrad: float = 0.5, tol: float = 1e-6) -> dict:
    """Gradient descent with one rate against AdaGrad on J = ½(θ₁² + 100 θ₂²) from (1, 1).

    - the best single rate ε = 2/(λ₁ + λ₂): both axes contract by (λ₂ − λ₁)/(λ₂ + λ₁);
    - the rate that suits θ₁, ε = 1/λ₁ = 1: θ₂ is multiplied by 1 − 100 = −99, it diverges;
    - AdaGrad: coordinate i moves by −ε λᵢθᵢ/(δ + λᵢ√Σθᵢ²), in which λᵢ cancels (δ aside),
      so from equal starts θ₂ retraces θ₁ and ε_eff,1/ε_eff,2 = λ₂/λ₁.
    Steps are counted until ‖θ − θ*‖ ≤ tol·‖θ₀ − θ*‖.
    """
    q, theta0 = SCALED, np.array(SCALED_THETA0)
    stop = _stop_when_close(q.center, theta0, tol)
    best = q.best_gd_lr
    gd = minimize(q, SGD(lr=best), theta0, 5000, callback=stop)
    flat = minimize(q, SGD(lr=1.0 / q.lam_min), theta0, 50, warn=False)
    adagrad = AdaGrad(lr=lr_adagrad)
    ada = minimize(q, adagrad, theta0, 5000, callback=stop)
    ada_state = state_arrays(adagrad, ada)
    gd_state = state_arrays(SGD(lr=best), gd)
    gd_state["eff"] = np.full((gd.n_steps, 2), best)       # SGD's rate, every coordinate
    last = ada_state["eff"][-1]
    return {
        "lam": tuple(float(x) for x in q.eigenvalues), "tol": tol, "theta0": theta0,
        "best_lr": best, "gd_factor": q.gd_rate(best),
        "gd_steps": steps_to_tolerance(gd.thetas, q.center, tol),
        "flat_lr": 1.0 / q.lam_min, "flat_stop": flat.stop_reason,
        "flat_steps": flat.n_steps + 1,         # the step that blew up is not in the trace
        "lr_adagrad": lr_adagrad,
        "adagrad_steps": steps_to_tolerance(ada.thetas, q.center, tol),
        "retrace_gap": float(np.max(np.abs(ada.thetas[:, 0] - ada.thetas[:, 1]))),
        "eff_ratio": float(last[0] / last[1]),
        "r_ratio": float(ada_state["r"][-1, 1] / ada_state["r"][-1, 0]),
        "runs": {f"gradient descent, ε = {best:.4f}": gd_state,
                 f"AdaGrad, ε = {lr_adagrad:g}": ada_state},
    }


def report_scaling(r: dict) -> str:
    lam1, lam2 = r["lam"]
    return "\n".join([
        f"J = ½({lam1:g} θ₁² + {lam2:g} θ₂²) from θ₀ = (1, 1); steps until ‖θ − θ*‖ ≤ "
        f"{r['tol']:g}·‖θ₀ − θ*‖",
        f"gradient descent, ε = 2/(λ₁ + λ₂) = {r['best_lr']:.4f} (the best single rate): "
        f"{r['gd_steps']} steps, both axes shrink by {r['gd_factor']:.4f} per step",
        f"gradient descent, ε = 1/λ₁ = {r['flat_lr']:g} (right for θ₁): {r['flat_stop']} at "
        f"step {r['flat_steps']} (θ₂ is multiplied by 1 − λ₂ε = {1 - lam2 * r['flat_lr']:g} "
        "per step)",
        f"AdaGrad, ε = {r['lr_adagrad']:g}: {r['adagrad_steps']} steps; θ₂ retraces θ₁ "
        f"(largest |θ₁ − θ₂| on the path: {r['retrace_gap']:.1e})",
        f"  at the end r₂/r₁ = {r['r_ratio']:.1f} = (λ₂/λ₁)² and ε_eff,1/ε_eff,2 = "
        f"{r['eff_ratio']:.2f} = λ₂/λ₁",
    ])


def figure_scaling(r: dict):
    return figure_state(r["runs"], SCALED, SCALED_BOX,
                        title="one rate, or one each")


# --- 2. a constant gradient: ε/√t against ε --------------------------------------------------
CONSTANT_G = (3.0, 0.01)


def compute_constant_gradient(g=CONSTANT_G, lr: float = 0.01, rho: float = 0.9,
                              steps: int = 1000, at=(1, 10, 100, 1000)) -> dict:
    """AdaGrad and RMSProp on J = gᵀθ, g = (3, 0.01): the step of each coordinate over ε.

    AdaGrad: r_t = t gᵢ², so |Δθᵢ| = ε|gᵢ|/(δ + √t|gᵢ|) ≈ ε/√t for both coordinates although
    g₁ is 300 times g₂; after T steps each coordinate has moved ε Σ 1/√t ≈ 2ε√T.
    RMSProp: r_t = (1 − ρᵗ) gᵢ², so |Δθᵢ| = ε/√(1 − ρᵗ) → ε: it never slows down.
    """
    f = ConstantSlope(g)
    out = {"g": tuple(float(x) for x in g), "lr": lr, "rho": rho, "steps": steps,
           "at": tuple(at), "runs": {}}
    t = np.arange(1, steps + 1)
    theory = {"AdaGrad": 1 / np.sqrt(t), "RMSProp": 1 / np.sqrt(1 - rho ** t)}
    for name, optimizer in (("AdaGrad", AdaGrad(lr=lr)), ("RMSProp", RMSProp(lr=lr, rho=rho))):
        trace = minimize(f, optimizer, np.zeros(len(g)), steps)
        sizes = np.abs(np.diff(trace.thetas, axis=0)) / lr        # (steps, dim), in units of ε
        out["runs"][name] = {"sizes": sizes, "theory": theory[name],
                             "travelled": np.abs(trace.thetas[-1] - trace.thetas[0]) / lr,
                             "theory_travelled": float(theory[name].sum())}
    return out


def report_constant_gradient(r: dict) -> str:
    g1, g2 = r["g"]
    lines = [f"J = gᵀθ with g = ({g1:g}, {g2:g}), ε = {r['lr']:g}, ρ = {r['rho']:g}: "
             "the step |Δθᵢ| of each coordinate, in units of ε",
             f"{'t':>6} {'AdaGrad θ₁':>11} {'AdaGrad θ₂':>11} {'1/√t':>7}   "
             f"{'RMSProp θ₁':>11} {'RMSProp θ₂':>11} {'1/√(1−ρᵗ)':>10}"]
    ada, rms = r["runs"]["AdaGrad"], r["runs"]["RMSProp"]
    for t in r["at"]:
        i = t - 1
        lines.append(f"{t:6d} {ada['sizes'][i, 0]:11.4f} {ada['sizes'][i, 1]:11.4f} "
                     f"{ada['theory'][i]:7.4f}   {rms['sizes'][i, 0]:11.4f} "
                     f"{rms['sizes'][i, 1]:11.4f} {rms['theory'][i]:10.4f}")
    lines.append(f"distance moved by each coordinate in {r['steps']} steps, in units of ε: "
                 f"AdaGrad {ada['travelled'][0]:.1f} and {ada['travelled'][1]:.1f} "
                 f"(Σ 1/√t = {ada['theory_travelled']:.1f}), RMSProp {rms['travelled'][0]:.1f} "
                 f"and {rms['travelled'][1]:.1f}")
    return "\n".join(lines)


def figure_constant_gradient(r: dict):
    fig = plotting.figure(figsize=(9.0, 4.6))
    with plotting.style():
        ax = fig.add_subplot()
        t = np.arange(1, r["steps"] + 1)
        for i, (name, run) in enumerate(r["runs"].items()):
            for p in range(2):
                ax.plot(t, run["sizes"][:, p], color=PALETTE[i], linestyle=PARAM_STYLES[p],
                        marker="none", label=f"{name}, θ{'₁₂'[p]} (g = {r['g'][p]:g})")
            ax.plot(t[::max(1, r["steps"] // 12)], run["theory"][::max(1, r["steps"] // 12)],
                    color="black", linestyle="none", marker=plotting.MARKERS[i],
                    markersize=7, markerfacecolor="none",
                    label="theory: " + ("1/√t" if name == "AdaGrad" else "1/√(1 − ρᵗ)"))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step t")
        ax.set_ylabel("step size |Δθᵢ| ÷ ε")
        ax.set_title("constant gradient: AdaGrad slows down, RMSProp not")
        ax.legend(loc="lower left", fontsize=12)
    return fig


# --- 3. AdaGrad stalls on a non-convex valley, RMSProp keeps moving --------------------------
STALL = Rosenbrock()
STALL_THETA0 = (-1.5, 2.0)
STALL_BOX = (-2.0, 2.0, -1.0, 3.0)


@cached
def compute_stall(lr: float = 0.01, steps: int = 600,
                  scan=(0.01, 0.0316, 0.1, 0.316, 1.0, 3.16), leap: float = 1.78) -> dict:
    """AdaGrad and RMSProp (ρ = 0.9) with the same ε on Rosenbrock from (−1.5, 2).

    The first steps cross the steep wall of the valley, where |∇J| is in the hundreds;
    AdaGrad keeps those squared gradients in r for ever, so along the valley floor its
    rates stay hundreds of times below ε. RMSProp forgets them in a few 1/(1 − ρ) steps.
    Measured: the final J, where each run ended, its rates at the last step, and the
    distance it moved in the second half. ``scan``: final J of both methods for a few ε.
    ``leap``: an ε at which AdaGrad does well; its first step moves every coordinate by ε
    (g/√(g ⊙ g) = sign g), and from there it lands near the valley floor.
    """
    theta0 = np.array(STALL_THETA0)
    runs = {}
    for name, optimizer in ((f"AdaGrad, ε = {lr:g}", AdaGrad(lr=lr)),
                            (f"RMSProp, ε = {lr:g}", RMSProp(lr=lr))):
        trace = minimize(STALL, optimizer, theta0, steps)
        run = state_arrays(optimizer, trace)
        half = trace.thetas[steps // 2:]
        run.update(loss=trace.loss, theta=trace.theta.copy(),
                   second_half=float(np.linalg.norm(np.diff(half, axis=0), axis=1).sum()),
                   max_grad=float(trace.grad_norms.max()))
        runs[name] = run
    table = []
    for eps in scan:
        a = minimize(STALL, AdaGrad(lr=eps), theta0, steps, warn=False)
        b = minimize(STALL, RMSProp(lr=eps), theta0, steps, warn=False)
        table.append({"lr": eps, "AdaGrad": a.loss if a.stop_reason != "diverged" else math.inf,
                      "RMSProp": b.loss if b.stop_reason != "diverged" else math.inf})
    lucky = minimize(STALL, AdaGrad(lr=leap), theta0, steps, warn=False)
    return {"lr": lr, "steps": steps, "theta0": theta0, "runs": runs, "scan": table,
            "leap": {"lr": leap, "first": lucky.thetas[1].copy(), "loss": lucky.loss}}


def report_stall(r: dict) -> str:
    lines = [f"Rosenbrock from θ₀ = (−1.5, 2), {r['steps']} steps, the same ε = {r['lr']:g} "
             "(J* = 0 at (1, 1))",
             f"{'':18} {'J at the end':>12} {'ends at':>16} {'ε_eff,1':>9} {'ε_eff,2':>9} "
             f"{'moved in 2nd half':>18}"]
    for name, run in r["runs"].items():
        x, y = run["theta"]
        lines.append(f"{name:18} {run['loss']:12.3g} {f'({x:.2f}, {y:.2f})':>16} "
                     f"{run['eff'][-1, 0]:9.2e} {run['eff'][-1, 1]:9.2e} "
                     f"{run['second_half']:18.3f}")
    lines.append("final J over a grid of ε:  " + "  ".join(f"{row['lr']:>7g}" for row in r["scan"]))
    for name in ("AdaGrad", "RMSProp"):
        lines.append(f"{name:>24}:  " + "  ".join(f"{row[name]:7.3g}" for row in r["scan"]))
    leap = r["leap"]
    x, y = leap["first"]
    lines.append(f"AdaGrad with ε = {leap['lr']:g}: J = {leap['loss']:.2g}, after a first step "
                 f"that lands at ({x:.2f}, {y:.2f})")
    return "\n".join(lines)


def figure_stall(r: dict):
    return figure_state(r["runs"], STALL, STALL_BOX,
                        title=f"Rosenbrock, {r['steps']} steps")
