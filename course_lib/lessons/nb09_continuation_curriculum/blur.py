"""Notebook 09, §2: the blurred family J_σ of the 1-D function, the minimum tracked from
σ = 3 down to σ = 0 (the early draft's continuation figure), Monte Carlo against the closed
form, and the convexity threshold."""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...global_opt.continuation import continuation
from ...global_opt.landscapes import course_function_1d, local_minima_1d
from ...global_opt.smoothing import convexity_threshold
from ...global_opt.smoothing_mc import MonteCarloSmoothed
from ...objectives import FunctionObjective
from ...optim import SGD
from .basins import LR, PALETTE, STAR, descend_all

SCHEDULE = (3.0, 2.0, 1.5, 1.0, 0.7, 0.5, 0.3, 0.15, 0.0)
START = -4.5
STAGE_STEPS = 200


def compute_blur_family(f=None, sigmas=SCHEDULE, start: float = START,
                        steps: int = STAGE_STEPS, lr: float = LR) -> dict:
    """Continuation on ``f`` (default: the course function) from ``start``; for every σ the
    blurred curve, the tracked minimum and how many local minima J_σ has."""
    f = course_function_1d() if f is None else f
    run = continuation(f, sigmas, [start], SGD(lr=lr), steps)
    t = np.linspace(*f.box, 1200)
    n_minima = [len(local_minima_1d(f.smoothed(s), f.box)[0]) for s in sigmas]
    plain_end = float(descend_all(f, [start], lr, run.ngev)[0])   # the same budget
    return {"f": f, "sigmas": np.array(sigmas), "t": t,
            "curves": np.array([f.smoothed(s).values(t) for s in sigmas]),
            "tracked": run.stage_thetas[1:, 0],
            "tracked_values": np.array([f.smoothed(s).loss([x]) for s, x in
                                        zip(sigmas, run.stage_thetas[1:, 0], strict=True)]),
            "n_minima": n_minima, "theta": float(run.theta[0]), "loss": run.loss,
            "ngev": run.ngev, "start": start, "plain_end": plain_end,
            "plain_loss": f.loss([plain_end]), "global_theta": float(f.minima[0, 0]),
            "global_value": float(f.min_value)}


def report_blur_family(r: dict) -> str:
    lines = [f"continuation from θ₀ = {r['start']:g}: {len(r['sigmas'])} stages of "
             f"{r['ngev'] // len(r['sigmas'])} gradient steps (ε = {LR:g})",
             f"{'σ':>6} {'tracked θ':>10} {'J_σ(θ)':>8} {'minima of J_σ on [−6, 6]':>25}"]
    for s, x, v, n in zip(r["sigmas"], r["tracked"], r["tracked_values"], r["n_minima"],
                          strict=True):
        lines.append(f"{s:6.2f} {x:10.3f} {v:8.3f} {n:25d}")
    lines.append(f"continuation ends at θ = {r['theta']:.3f}, J = {r['loss']:.3f}; the global "
                 f"minimum is θ* = {r['global_theta']:.3f}, J* = {r['global_value']:.3f}")
    lines.append(f"plain gradient descent from θ₀ = {r['start']:g} with the same "
                 f"{r['ngev']} steps ends at θ = {r['plain_end']:.3f}, J = {r['plain_loss']:.3f}")
    return "\n".join(lines)


def figure_blur_family(r: dict):
    """The blurred curves stacked from σ₀ (top) to σ = 0 (bottom), the tracked minima."""
    fig = plotting.figure(figsize=(12.0, 6.4))
    with plotting.style():
        draw_blur_family(fig.add_subplot(), r,
                         "continuation: track the minimum as the blur fades")
    return fig


def draw_blur_family(ax, r: dict, title: str) -> None:
    gap = 1.6
    n = len(r["sigmas"])
    for i, (s, curve) in enumerate(zip(r["sigmas"], r["curves"], strict=True)):
        offset = (n - 1 - i) * gap
        color = PALETTE[i % 2 * 5]
        ax.plot(r["t"], curve - curve.min() + offset, color=color, marker="none",
                linewidth=2.0)
        ax.text(r["t"][-1] + 0.15, offset + 0.2, f"σ = {s:g}", fontsize=12,
                va="center")
        y = r["tracked_values"][i] - curve.min() + offset
        ax.plot([r["tracked"][i]], [y], "o", color=PALETTE[3], markersize=8,
                label="tracked minimum" if i == 0 else None, zorder=4)
    ax.plot(r["tracked"], [r["tracked_values"][i] - r["curves"][i].min()
                           + (n - 1 - i) * gap for i in range(n)],
            color=PALETTE[3], linestyle="--", marker="none", linewidth=1.4)
    ax.plot([r["global_theta"]], [r["global_value"] - r["curves"][-1].min()], **STAR,
            label="global minimum of J")
    ax.axvline(r["start"], color="#777777", linestyle=":", linewidth=1.4,
               label=f"start θ₀ = {r['start']:g}")
    ax.set_xlim(r["t"][0], r["t"][-1] + 1.3)
    ax.set_yticks([])
    ax.set_xlabel("θ")
    ax.set_ylabel(r"$J_\sigma(\theta)$, shifted (σ falls downwards)")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=11)


# --- Monte Carlo against the closed form -------------------------------------------------
def compute_monte_carlo(sigma: float = 1.0, theta: float = 0.5, n_samples: int = 64,
                        seed: int = 0) -> dict:
    """Ĵ_σ(θ) ± standard error with the three estimators, beside the exact J_σ(θ)."""
    f = course_function_1d()
    plain = FunctionObjective(f.loss, f.grad, 1, name="J without its closed form")
    rows = {}
    for method in ("plain", "antithetic", "control"):
        value, se = MonteCarloSmoothed(plain, sigma, n_samples, seed, method).estimate([theta])
        rows[method] = (value, se)
    exact = f.smoothed(sigma).loss([theta])
    return {"sigma": sigma, "theta": theta, "n": n_samples, "exact": exact, "rows": rows,
            "z": {m: (v - exact) / se for m, (v, se) in rows.items()}}


def report_monte_carlo(r: dict) -> str:
    lines = [f"J_σ(θ) at θ = {r['theta']:g}, σ = {r['sigma']:g}: exact (closed form) "
             f"{r['exact']:.4f}; Monte Carlo with {r['n']} samples:",
             f"{'estimator':>11} {'estimate':>9} {'std. error':>11} {'error / SE':>11}"]
    for method, (value, se) in r["rows"].items():
        lines.append(f"{method:>11} {value:9.4f} {se:11.4f} {r['z'][method]:11.2f}")
    return "\n".join(lines)


# --- the convexity threshold -------------------------------------------------------------
def compute_convexity(sigmas=None) -> dict:
    """min over θ ∈ [−6, 6] of J_σ″(θ), against σ, and the threshold above which it is > 0."""
    f = course_function_1d()
    sigmas = np.linspace(0.0, 2.0, 81) if sigmas is None else sigmas
    grid = np.linspace(*f.box, 2001)
    curvature = np.array([f.smoothed(s).second(grid).min() for s in sigmas])
    threshold = convexity_threshold(f, f.box)
    return {"sigmas": np.asarray(sigmas), "min_curvature": curvature, "threshold": threshold,
            "just_below": float(f.smoothed(threshold - 0.01).second(grid).min()),
            "just_above": float(f.smoothed(threshold + 0.01).second(grid).min()),
            "bowl": 0.16}


def report_convexity(r: dict) -> str:
    return (f"convexity threshold: J_σ″ > 0 on all of [−6, 6] for every σ ≥ σ* = "
            f"{r['threshold']:.3f}\n"
            f"  min J_σ″ at σ* − 0.01: {r['just_below']:+.4f};  at σ* + 0.01: "
            f"{r['just_above']:+.4f};  as σ → ∞ it tends to the bowl's 2·0.08 = {r['bowl']:g}")


def figure_convexity(r: dict):
    fig = plotting.figure(figsize=(9.0, 4.2))
    with plotting.style():
        ax = fig.add_subplot()
        ax.plot(r["sigmas"], r["min_curvature"], color=PALETTE[0], marker="none")
        ax.axhline(0.0, color="#555555", linewidth=1.0)
        ax.axvline(r["threshold"], color=PALETTE[3], linestyle="--",
                   label=f"σ* = {r['threshold']:.3f}")
        ax.set_yscale("symlog", linthresh=0.1)
        ax.set_xlabel("blur σ")
        ax.set_ylabel(r"min over θ of $J_\sigma''(\theta)$")
        ax.set_title("large blur makes J convex")
        ax.legend(loc="lower right")
    return fig
