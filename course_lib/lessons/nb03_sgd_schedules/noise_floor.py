"""Notebook 03, §2: a constant rate stalls at a noise floor ε·tr(Σ_g)/(4m); decaying rates
keep improving.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting, schedules
from .running_example import FIGSIZE, RegressionTask, mean_curve, sgd_runs, task


def noise_floor(task: RegressionTask, lr: float, batch_size: int) -> float:
    """The plateau E[J − J*] of SGD with a constant rate ε on least squares, predicted.

    The classic analysis of the LMS algorithm, for Gaussian inputs with covariance H
    (eigenvalues λᵢ), label noise of variance σ² and minibatches of m examples: at
    stationarity E[J − J*] = ½ σ² a/(1 − a) with a = (ε/m) Σᵢ λᵢ / (2 − ελᵢ(1 + 1/m)).
    For small ε this is ε σ² tr(H)/(4m) = ε tr(Σ_g)/(4m): proportional to ε and to the
    gradient noise, inversely to the minibatch size. Here H and σ² = 2J* are the training
    set's own.
    """
    a = lms_load(task, lr, batch_size)
    if not 0 < a < 1:
        return math.inf
    return 0.5 * (2.0 * task.j_star) * a / (1.0 - a)


def lms_load(task: RegressionTask, lr: float, batch_size: int) -> float:
    """a = (ε/m) Σᵢ λᵢ / (2 − ελᵢ(1 + 1/m)), the LMS theory's share of the noise that stays."""
    lam = np.linalg.eigvalsh(task.H)
    return lr / batch_size * float(np.sum(lam / (2.0 - lr * lam * (1.0 + 1.0 / batch_size))))


def noise_floor_small_lr(task: RegressionTask, lr: float, batch_size: int) -> float:
    """The small-ε limit of ``noise_floor``: ε tr(Σ_g)/(4m)."""
    return lr * task.grad_cov_trace / (4.0 * batch_size)


def decay_schedules(lr: float = 0.1, steps: int = 4000) -> dict:
    """The schedules compared in section 2, by label."""
    return {
        f"constant ε = {lr:g}": schedules.Constant(lr),
        f"linear decay (8.14), ε₀ = {lr:g} → {lr / 100:g} at τ = {steps}":
            schedules.LinearDecay(lr, steps, lr / 100),
        f"1/k decay, ε₀/(1 + k/{steps // 40})": schedules.InverseTime(lr, steps // 40),
    }


def constant_vs_decay(lr: float = 0.1, steps: int = 4000, batch_size: int = 1,
                      seeds=range(16)) -> dict:
    """Mean J(θ_k) − J* over ``seeds`` for a constant rate and two decaying schedules.

    ``plateau``: the constant run's mean over its second half (it has settled by then);
    ``finals``: each schedule's mean excess over the last 5 % of the steps.
    """
    t = task()
    curves, finals = {}, {}
    last = max(1, steps // 20)
    for label, schedule in decay_schedules(lr, steps).items():
        curve = mean_curve(sgd_runs(t, schedule, batch_size, seeds, steps))
        curves[label] = curve
        finals[label] = float(np.mean(curve[-last:]))
    constant = next(iter(curves))
    return {"curves": curves, "finals": finals, "lr": lr, "steps": steps,
            "batch_size": batch_size, "plateau": float(np.mean(curves[constant][steps // 2:])),
            "floor_theory": noise_floor(t, lr, batch_size),
            "lms_a": lms_load(t, lr, batch_size), "sigma2": 2.0 * t.j_star,
            "floor_small_lr": noise_floor_small_lr(t, lr, batch_size),
            "schedules": decay_schedules(lr, steps)}


def report_constant_vs_decay(r: dict) -> str:
    """The plateau of the constant rate beside the theory, and each schedule's final loss."""
    lines = [f"constant ε = 0.1: plateau (mean of steps 2000–4000) J − J* = {r['plateau']:.4f}",
             f"   predicted by the LMS theory, ½σ²a/(1 − a):            {r['floor_theory']:.4f}",
             f"      with a = (ε/m) Σᵢ λᵢ/(2 − ελᵢ(1 + 1/m)) = {r['lms_a']:.4f}, "
             f"σ² = 2J* = {r['sigma2']:.4f}, m = {r['batch_size']}",
             f"   its small-ε limit ε tr(Σ_g)/(4m):                   {r['floor_small_lr']:.4f}"]
    lines += [f"{label}: final J − J* = {value:.4f}" for label, value in r["finals"].items()]
    linear = next(v for label, v in r["finals"].items() if label.startswith("linear"))
    lines.append(f"the linear schedule ends {r['plateau'] / linear:.0f} times below the "
                 "constant plateau")
    return "\n".join(lines)


def figure_constant_vs_decay(result: dict):
    """Left: the learning curves (log scale). Right: the schedules ε_k."""
    fig = plotting.figure(figsize=FIGSIZE)
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[1.4, 1])
        k = np.arange(result["steps"] + 1)
        for i, (label, curve) in enumerate(result["curves"].items()):
            left.plot(k, curve, color=plotting.PALETTE[i], marker=plotting.MARKERS[i],
                      markevery=result["steps"] // 8, linewidth=1.6, label=label.split(",")[0])
            right.plot(k[1:], result["schedules"][label](k[1:].astype(float)),
                       color=plotting.PALETTE[i], marker=plotting.MARKERS[i],
                       markevery=result["steps"] // 8)
        left.axhline(result["floor_theory"], color="#555555", linestyle=":", marker="none",
                     linewidth=1.5, label="predicted plateau (LMS theory)")
        left.set_yscale("log")
        left.yaxis.set_minor_locator(NullLocator())
        left.set_xlabel("step k")
        left.set_ylabel("J(θ_k) − J*  (mean of runs)")
        left.set_title("learning curves")
        left.legend()
        right.set_yscale("log")
        right.yaxis.set_minor_locator(NullLocator())
        right.set_xlabel("step k")
        right.set_ylabel("ε_k")
        right.set_title("the schedules")
    return fig
