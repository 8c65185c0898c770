"""Notebook ``06_adaptive_rates`` (section 8.5), part 2: Adam's bias correction, the
invariance of the adaptive methods to the gradient's scale, and AdaDelta's units.

4. ``bias_correction``: under a constant gradient Adam's corrected step is ε from the first
   step on; without the correction it is (1 − ρ₁ᵗ)/√(1 − ρ₂ᵗ)·ε: 3.16ε at t = 1, then up to
   6.6ε, and still 1.26ε after 1000 steps.
5. ``invariance``: multiplying J by 1000 (or by 1/1000) leaves the paths of AdaGrad,
   RMSProp, Adam and AdaDelta unchanged up to the part played by δ; SGD's path is not.
6. ``units``: measuring θ in other units (θ → θ/c) changes how far every method gets in a
   fixed number of steps, AdaDelta included: δ fixes the size of its first steps.

Same shape as ``course_lib.lessons.adaptive``: ``compute_*``, ``report_*``, ``figure_*``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...objectives import ConstantSlope, FunctionObjective, Quadratic, Rosenbrock
from ...optim import SGD, AdaDelta, AdaGrad, Adam, RMSProp
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE


def scaled_loss(objective, factor: float) -> FunctionObjective:
    """factor·J: the same landscape with every gradient multiplied by ``factor``."""
    return FunctionObjective(lambda th: factor * objective.loss(th),
                             lambda th: factor * objective.grad(th), dim=objective.dim,
                             name=f"{factor:g} × {getattr(objective, 'name', 'J')}")


# --- 4. Adam's bias correction ---------------------------------------------------------------
def compute_bias_correction(g: float = 2.0, lr: float = 0.01, rho1: float = 0.9,
                            rho2: float = 0.999, steps: int = 1000,
                            at=(1, 2, 5, 10, 20, 100, 1000)) -> dict:
    """Adam with and without bias correction on J(θ) = gθ (1-D, a constant gradient).

    With s₀ = r₀ = 0, s_t = (1 − ρ₁ᵗ)g and r_t = (1 − ρ₂ᵗ)g², so the uncorrected step is
    ε(1 − ρ₁ᵗ)/√(1 − ρ₂ᵗ) (δ aside) and the corrected one ε exactly: ŝ = g and r̂ = g².
    Measured: each step over ε, the largest uncorrected step and when it happens, and the
    distance both runs cover in their first 20 steps.
    """
    f = ConstantSlope([g])
    t = np.arange(1, steps + 1)
    out = {"g": g, "lr": lr, "rho1": rho1, "rho2": rho2, "steps": steps, "at": tuple(at),
           "runs": {}}
    for name, correct in (("with correction", True), ("without correction", False)):
        trace = minimize(f, Adam(lr=lr, rho1=rho1, rho2=rho2, bias_correction=correct),
                         [0.0], steps)
        sizes = np.abs(np.diff(trace.thetas[:, 0])) / lr
        theory = np.ones(steps) if correct else (1 - rho1 ** t) / np.sqrt(1 - rho2 ** t)
        out["runs"][name] = {"sizes": sizes, "theory": theory,
                             "first20": float(sizes[:20].sum()),
                             "peak": float(sizes.max()), "peak_t": int(np.argmax(sizes)) + 1}
    return out


def report_bias_correction(r: dict) -> str:
    corrected, raw = r["runs"]["with correction"], r["runs"]["without correction"]
    lines = [f"Adam on a constant gradient g = {r['g']:g}, ε = {r['lr']:g}, ρ₁ = {r['rho1']:g}, "
             f"ρ₂ = {r['rho2']:g}: step |Δθ_t| in units of ε",
             f"{'t':>6} {'corrected':>10} {'uncorrected':>12} {'(1−ρ₁ᵗ)/√(1−ρ₂ᵗ)':>18}"]
    for t in r["at"]:
        i = t - 1
        lines.append(f"{t:6d} {corrected['sizes'][i]:10.4f} {raw['sizes'][i]:12.4f} "
                     f"{raw['theory'][i]:18.4f}")
    lines.append(f"largest uncorrected step: {raw['peak']:.3f} ε at t = {raw['peak_t']}; "
                 f"first 20 steps cover {corrected['first20']:.2f} ε corrected, "
                 f"{raw['first20']:.2f} ε uncorrected")
    return "\n".join(lines)


def figure_bias_correction(r: dict):
    fig = plotting.figure(figsize=(9.0, 4.6))
    with plotting.style():
        ax = fig.add_subplot()
        t = np.arange(1, r["steps"] + 1)
        every = np.unique(np.geomspace(1, r["steps"], 14).astype(int)) - 1
        for i, (name, run) in enumerate(r["runs"].items()):
            ax.plot(t, run["sizes"], color=PALETTE[i], marker="none", label=f"Adam {name}")
            ax.plot(t[every], run["theory"][every], color="black", linestyle="none",
                    marker=plotting.MARKERS[i], markerfacecolor="none", markersize=8,
                    label="theory" if i == 0 else None)
        ax.set_xscale("log")
        ax.set_xlabel("step t")
        ax.set_ylabel("step size |Δθ_t| ÷ ε")
        ax.set_ylim(0, None)
        ax.set_title("the first steps of Adam under a constant gradient")
        ax.legend(loc="upper right")
    return fig


# --- 5. invariance to the scale of the gradient ----------------------------------------------
INVARIANCE_THETA0 = (-1.5, 2.0)


def invariance_optimizers() -> dict:
    return {"SGD, ε = 0.001": SGD(lr=0.001), "AdaGrad, ε = 0.1": AdaGrad(lr=0.1),
            "RMSProp, ε = 0.01": RMSProp(lr=0.01), "Adam, ε = 0.01": Adam(lr=0.01),
            "AdaDelta": AdaDelta()}


@cached
def compute_invariance(factors=(1000.0, 0.001), steps: int = 300) -> dict:
    """Each optimizer on Rosenbrock J and on factor·J from the same start, same settings.

    A method whose step depends on g only through g/√(average of g²) is unchanged by the
    factor, except where δ is not negligible beside √r (AdaGrad, Adam: δ beside |g|;
    RMSProp, AdaDelta: δ beside g²). Measured: the largest distance between the two paths
    (over the steps both runs took) and how each run ended.
    """
    f, theta0 = Rosenbrock(), np.array(INVARIANCE_THETA0)
    rows = []
    for name, optimizer in invariance_optimizers().items():
        base = minimize(f, optimizer, theta0, steps, warn=False)
        row = {"name": name, "stop": base.stop_reason, "gaps": {}, "stops": {}}
        for factor in factors:
            other = minimize(scaled_loss(f, factor), optimizer, theta0, steps, warn=False)
            n = min(len(base.thetas), len(other.thetas))
            row["gaps"][factor] = float(np.max(np.linalg.norm(base.thetas[:n] - other.thetas[:n],
                                                              axis=1)))
            row["stops"][factor] = (other.stop_reason, other.n_steps)
        rows.append(row)
    return {"factors": tuple(factors), "steps": steps, "rows": rows}


def report_invariance(r: dict) -> str:
    head = "".join(f"{f'× {factor:g}':>28}" for factor in r["factors"])
    lines = [f"Rosenbrock from (−1.5, 2), {r['steps']} steps; largest distance between the "
             "path on J and the path on factor × J",
             f"{'':18}{head}"]
    for row in r["rows"]:
        cells = []
        for factor in r["factors"]:
            stop, n = row["stops"][factor]
            note = f" (diverged at step {n + 1})" if stop == "diverged" else ""
            cells.append(f"{row['gaps'][factor]:.1e}{note}")
        lines.append(f"{row['name']:18}" + "".join(f"{cell:>28}" for cell in cells))
    return "\n".join(lines)


def figure_invariance(r: dict):
    fig = plotting.figure(figsize=(10.0, 4.4))
    with plotting.style():
        ax = fig.add_subplot()
        names = [row["name"] for row in r["rows"]]
        x = np.arange(len(names))
        width = 0.38
        for j, factor in enumerate(r["factors"]):
            gaps = [max(row["gaps"][factor], 1e-16) for row in r["rows"]]
            bars = ax.bar(x + (j - 0.5) * width, gaps, width, color=PALETTE[j],
                          label=f"J × {factor:g}")
            for bar, row in zip(bars, r["rows"], strict=True):
                if row["stops"][factor][0] == "diverged":
                    ax.annotate("diverged", (bar.get_x() + bar.get_width() / 2,
                                             bar.get_height()), ha="center", va="bottom",
                                fontsize=12)
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xticks(x, names, fontsize=12)
        ax.set_xlabel("optimizer (same settings on J and on factor × J)")
        ax.set_ylabel("largest gap between the paths")
        ax.set_title("rescaling the gradient")
        ax.legend(loc="upper right")
    return fig


# --- 6. AdaDelta and units -------------------------------------------------------------------
UNITS_LAM = (1.0, 100.0)


def units_optimizers() -> dict:
    return {"SGD, ε = 0.0198": SGD(lr=2 / 101), "Adam, ε = 0.01": Adam(lr=0.01),
            "AdaDelta": AdaDelta()}


def compute_units(scales=(0.1, 1.0, 10.0), steps: int = 200) -> dict:
    """The bowl ½(θ₁² + 100θ₂²) with θ measured in units c times smaller: J_c(θ) =
    ½ Σ λᵢ (θᵢ/c)², started from θ₀ = c·(1, 1), the same physical point for every c.

    A method whose steps carry the units of θ (Newton's −H⁻¹g, the aim of AdaDelta's
    ratio) would make the same relative progress ‖θ_k‖/‖θ₀‖ for every c. Measured: that
    relative distance after ``steps`` steps, and AdaDelta's first step, which is
    √δ·g/√(δ + (1 − ρ)g²) ≈ √(δ/(1 − ρ)) in every coordinate and for every c.
    """
    lam = np.array(UNITS_LAM)
    rows = []
    for c in scales:
        q = Quadratic(lam / c ** 2)
        theta0 = c * np.ones(2)
        row = {"c": float(c), "curves": {}, "final": {}}
        for name, optimizer in units_optimizers().items():
            trace = minimize(q, optimizer, theta0, steps, warn=False)
            rel = np.linalg.norm(trace.thetas, axis=1) / np.linalg.norm(theta0)
            row["curves"][name] = rel
            row["final"][name] = (float(rel[-1]) if trace.stop_reason != "diverged"
                                  else float("inf"))
            if name == "AdaDelta":
                row["first_step"] = np.abs(trace.thetas[1] - theta0)
        rows.append(row)
    d = AdaDelta()
    return {"steps": steps, "rows": rows, "names": list(units_optimizers()),
            "first_theory": float(np.sqrt(d.delta / (1 - d.rho)))}


def report_units(r: dict) -> str:
    names = r["names"]
    lines = [f"½(θ₁² + 100θ₂²) with θ in units c times smaller, from c·(1, 1): "
             f"‖θ_k‖/‖θ₀‖ after {r['steps']} steps",
             f"{'c':>6}" + "".join(f"{name:>18}" for name in names)
             + f"{'AdaDelta 1st step':>20}"]
    for row in r["rows"]:
        cells = "".join(f"{row['final'][name]:18.2e}" if np.isfinite(row["final"][name])
                        else f"{'diverged':>18}" for name in names)
        lines.append(f"{row['c']:6g}{cells}{row['first_step'][0]:20.5f}")
    lines.append(f"AdaDelta's first step in every case: √(δ/(1 − ρ)) = {r['first_theory']:.5f} "
                 "in whatever units θ has")
    return "\n".join(lines)


def figure_units(r: dict):
    fig = plotting.figure(figsize=(10.8, 5.0))      # ≤ 10.8 in: 13-pt text stays ≥ 9 px
    with plotting.style():
        axes = fig.subplots(1, len(r["rows"]), sharey=True)
        for ax, row in zip(axes, r["rows"], strict=True):
            for i, name in enumerate(r["names"]):
                rel = row["curves"][name]
                ax.plot(np.arange(len(rel)), rel, color=PALETTE[i], marker=plotting.MARKERS[i],
                        markevery=max(1, len(rel) // 8), label=name)
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_ylim(1e-8, 1e2)
            ax.set_xlabel("step k")
            ax.set_title(f"units c = {row['c']:g}", fontsize=13)
        axes[0].set_ylabel("‖θₖ‖ / ‖θ₀‖")
        fig.legend(handles=axes[0].get_lines(), loc="outside lower center",
                   ncols=len(r["names"]), fontsize=13)
    return fig
