"""Notebook ``03_sgd_schedules``: SGD (Algorithm 8.1) and its learning-rate schedules (8.3.1).

Every number the notebook prints is computed here, and asserted by
``tests/test_lesson_sgd_schedules.py``:

1. ``cost_per_update``: examples touched per update, SGD against batch gradient descent, as
   the training set grows (and ``time_per_update``, a wall-clock figure only);
2. ``constant_vs_decay``: a constant rate stalls at a noise floor ε·tr(Σ_g)/(4m); decaying
   rates keep improving;
3. the three knobs of eq. 8.14 and the batch size: the explorer, in ``sgd_explorer``;
4. ``best_initial_rate``: the best ε₀ for the final cost is higher than the best ε₀ read
   after the first 100 iterations;
5. ``rate_slopes``: excess error O(1/√k) (convex, ε_k ∝ 1/√k) and O(1/k) (strongly convex,
   ε_k ∝ 1/k) on log-log axes;
6. ``gradient_noise``: the minibatch gradient's error falls as 1/√m;
7. ``epochs_and_shuffling``: one epoch is ⌈n/m⌉ updates; reshuffling, a fixed order and
   sampling with replacement;
8. ``robbins_monro_table``: partial sums for the conditions 8.12–8.13.

The running example and the many-seed runs (``task``, ``sgd_runs``) are in ``sgd_task``.
"""

from __future__ import annotations

import functools
import math
import time

import numpy as np
from matplotlib.ticker import NullLocator

from .. import data, plotting, schedules
from ..optim import SGD
from ..rates import loglog_slope
from ..run import minimize
from .sgd_task import FIGSIZE, RegressionTask, mean_curve, sgd_runs, task

# --- 1. cost per update -----------------------------------------------------------------------

def cost_per_update(sizes=(10**2, 10**3, 10**4, 10**5), batch_size: int = 32,
                    steps: int = 3, lr: float = 0.05) -> list[dict]:
    """Examples touched per update by SGD (minibatch of ``batch_size``) and by batch GD.

    Both run ``steps`` updates through ``minimize`` on training sets of each size; the
    count is the trace's ``nexamples``, the examples in the gradients the optimizer asked for.
    """
    rows = []
    for m in sizes:
        objective = task(int(m)).objective
        counts = {}
        for name, size in (("sgd", batch_size), ("gd", None)):
            trace = minimize(objective, SGD(lr=lr), np.zeros(objective.dim), steps,
                             batch_size=size, rng=0)
            counts[name] = trace.nexamples / trace.n_steps
        rows.append({"m": int(m), "sgd": counts["sgd"], "gd": counts["gd"],
                     "ratio": counts["gd"] / counts["sgd"]})
    return rows


def report_cost(rows: list[dict]) -> str:
    """The table of examples touched per update, as the notebook prints it."""
    lines = [f"{'m (training set)':>17} {'SGD, batch 32':>14} {'batch GD':>10} {'GD / SGD':>9}"]
    for row in rows:
        lines.append(f"{row['m']:>17,} {row['sgd']:>14g} {row['gd']:>10g} {row['ratio']:>9g}")
    return "\n".join(lines)


def time_per_update(sizes=(10**2, 10**3, 10**4, 10**5), batch_size: int = 32,
                    repeats: int = 20) -> dict:
    """Wall-clock seconds of one minibatch gradient and one full gradient (best of repeats).

    Machine-dependent: for a figure, never for a printed or asserted number.
    """
    sgd, gd = [], []
    rng = np.random.default_rng(0)
    for m in sizes:
        objective = task(int(m)).objective
        theta = np.zeros(objective.dim)
        batch = rng.choice(int(m), size=batch_size, replace=False)
        for out, b in ((sgd, batch), (gd, None)):
            best = math.inf
            for _ in range(repeats):
                t0 = time.perf_counter()
                objective.grad(theta, b)
                best = min(best, time.perf_counter() - t0)
            out.append(best)
    return {"m": np.array(sizes, dtype=float), "sgd": np.array(sgd), "gd": np.array(gd)}


def figure_cost(rows: list[dict], times: dict | None = None):
    """Left: examples per update against m. Right (if ``times``): seconds per update."""
    fig = plotting.figure(figsize=FIGSIZE)
    with plotting.style():
        axes = fig.subplots(1, 2 if times is not None else 1, squeeze=False)[0]
        m = [r["m"] for r in rows]
        axes[0].loglog(m, [r["gd"] for r in rows], label="batch gradient descent",
                       color=plotting.PALETTE[3], marker="s")
        axes[0].loglog(m, [r["sgd"] for r in rows], label=f"SGD, minibatch {rows[0]['sgd']:g}",
                       color=plotting.PALETTE[0], marker="o")
        axes[0].set_xlabel("training-set size m")
        axes[0].set_ylabel("examples per update")
        axes[0].set_title("counted")
        axes[0].legend()
        if times is not None:
            axes[1].loglog(times["m"], 1e3 * times["gd"], label="full gradient",
                           color=plotting.PALETTE[3], marker="s")
            axes[1].loglog(times["m"], 1e3 * times["sgd"], label="minibatch gradient",
                           color=plotting.PALETTE[0], marker="o")
            axes[1].set_xlabel("training-set size m")
            axes[1].set_ylabel("milliseconds per gradient")
            axes[1].set_title("timed on this machine")
            axes[1].legend()
    return fig


# --- 2. constant rate against decaying rates ------------------------------------------------

def noise_floor(task: RegressionTask, lr: float, batch_size: int) -> float:
    """The plateau E[J − J*] of SGD with a constant rate ε on least squares, predicted.

    The classic analysis of the LMS algorithm, for Gaussian inputs with covariance H
    (eigenvalues λᵢ), label noise of variance σ² and minibatches of m examples: at
    stationarity E[J − J*] = ½ σ² a/(1 − a) with a = (ε/m) Σᵢ λᵢ / (2 − ελᵢ(1 + 1/m)).
    For small ε this is ε σ² tr(H)/(4m) = ε tr(Σ_g)/(4m): proportional to ε and to the
    gradient noise, inversely to the minibatch size. Here H and σ² = 2J* are the training
    set's own.
    """
    lam = np.linalg.eigvalsh(task.H)
    a = lr / batch_size * float(np.sum(lam / (2.0 - lr * lam * (1.0 + 1.0 / batch_size))))
    if not 0 < a < 1:
        return math.inf
    return 0.5 * (2.0 * task.j_star) * a / (1.0 - a)


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
            "floor_small_lr": noise_floor_small_lr(t, lr, batch_size),
            "schedules": decay_schedules(lr, steps)}


def report_constant_vs_decay(r: dict) -> str:
    """The plateau of the constant rate beside the theory, and each schedule's final loss."""
    lines = [f"constant ε = 0.1: plateau (mean of steps 2000–4000) J − J* = {r['plateau']:.4f}",
             f"   predicted by the LMS theory:                        {r['floor_theory']:.4f}",
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
        left.legend(fontsize=11)
        right.set_yscale("log")
        right.yaxis.set_minor_locator(NullLocator())
        right.set_xlabel("step k")
        right.set_ylabel("ε_k")
        right.set_title("the schedules")
    return fig


# --- 4. the best initial rate: early against final --------------------------------------------

def best_initial_rate(eps0s=None, steps: int = 1000, early: int = 100, batch_size: int = 1,
                      seeds=range(32)) -> dict:
    """Sweep ε₀ of the linear schedule (ε_τ = ε₀/100, τ = ``steps``).

    For every ε₀ the mean J − J* over ``seeds`` at step ``early`` and at the last step; the
    best ε₀ by each. Runs that blow up count as +inf.
    """
    eps0s = np.geomspace(0.005, 0.5, 21) if eps0s is None else np.asarray(eps0s, float)
    seeds = list(seeds)
    k = np.arange(1, steps + 1, dtype=float)
    lrs = np.concatenate([np.tile(schedules.LinearDecay(e, steps, e / 100)(k),
                                  (len(seeds), 1)) for e in eps0s])
    excess = sgd_runs(task(), lrs, batch_size, seeds * len(eps0s), steps,
                      record=[early, steps])
    by_rate = excess.reshape(2, len(eps0s), len(seeds))
    with np.errstate(all="ignore"):
        means = np.where(np.all(np.isfinite(by_rate), axis=2), by_rate.mean(axis=2), np.inf)
    at_early, at_final = means
    return {"eps0s": eps0s, "early": at_early, "final": at_final, "early_step": early,
            "steps": steps, "best_early": float(eps0s[np.argmin(at_early)]),
            "best_final": float(eps0s[np.argmin(at_final)]),
            "n_seeds": len(seeds)}


def report_best_initial_rate(r: dict) -> str:
    """The best ε₀ judged early and at the end, and what the early choice costs."""
    i_early = int(np.argmin(r["early"]))
    return "\n".join([
        f"best ε₀ judged after {r['early_step']} steps: {r['best_early']:.3f}",
        f"best ε₀ judged at the end ({r['steps']} steps): {r['best_final']:.3f}",
        f"ratio: {r['best_final'] / r['best_early']:.1f}",
        f"with the early choice the run ends at J − J* = {r['final'][i_early]:.4f}, "
        f"with the final choice at {r['final'].min():.4f}"])


def figure_best_initial_rate(result: dict):
    """J − J* after ``early`` steps and at the end, against ε₀, each best marked."""
    fig = plotting.figure(figsize=(11.0, 4.4))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        for ax, key, step, color, best in (
                (left, "early", result["early_step"], plotting.PALETTE[1], "best_early"),
                (right, "final", result["steps"], plotting.PALETTE[0], "best_final")):
            y = np.where(np.isfinite(result[key]), result[key], np.nan)
            ax.loglog(result["eps0s"], y, color=color, marker="o")
            ax.axvline(result[best], color="#555555", linestyle=":", marker="none",
                       linewidth=1.5)
            ax.set_xlabel("initial learning rate ε₀")
            ax.set_ylabel(f"J(θ_k) − J* at k = {step}")
            ax.set_title(f"after {step} steps: best ε₀ = {result[best]:.3g}")
    return fig


# --- 5. rates: O(1/√k) convex, O(1/k) strongly convex --------------------------------------

@functools.lru_cache(maxsize=4)
def absolute_error_task(n: int = 2000, dim: int = 4, seed: int = 1):
    """Noiseless data for least absolute deviations: J(θ) = mean |xᵀθ − y|, J* = 0.

    J is convex but not strongly convex: it grows like a cone (linearly) away from θ*, and
    its per-example gradients sign(xᵀθ − y) x do not shrink near θ*.
    """
    X, y, theta_true = data.linear_regression_data(n, dim, 0.0, seed)
    return X, y, theta_true


WELL_CONDITIONED = (1.0, 1.0, 0.5, 0.5)


def rate_slopes(steps: int = 10_000, runs: int = 64, fit_from: int = 100, k0: int = 20,
                c: float = 2.0, convex_eps0: float = 0.2) -> dict:
    """Mean excess error of SGD (minibatch 1, sampled with replacement) at log-spaced k.

    - strongly convex: linear regression with feature variances ``WELL_CONDITIONED``
      (μ = λ_min(H) ≈ 0.46), ε_k = c/(μ (k + k₀)), i.e. ``InverseTime(c/(μ k₀), k₀)``;
    - convex, not strongly convex: least absolute deviations on noiseless data, with
      ε_k = ε₀/√k, excess measured at the last iterate.

    Slopes are least-squares fits of log(excess) on log(k) for k ≥ ``fit_from``.
    """
    record = np.unique(np.geomspace(1, steps, 40).astype(int))
    seeds = range(runs)
    # strongly convex
    t = task(eigenvalues=WELL_CONDITIONED)
    mu = float(np.linalg.eigvalsh(t.H)[0])
    strong_schedule = schedules.InverseTime(c / (mu * k0), k0)
    strong = mean_curve(sgd_runs(t, strong_schedule, 1, seeds, steps, record=record))
    # convex: least absolute deviations, last iterate
    X, y, theta_true = absolute_error_task()
    eps0 = convex_eps0
    rng = np.random.default_rng(0)
    index = rng.integers(0, X.shape[0], size=(steps, runs))
    theta = np.zeros((runs, X.shape[1]))
    convex, wanted = [], set(record.tolist())
    for k in range(1, steps + 1):
        Xb = X[index[k - 1]]                                  # (runs, d)
        g = np.sign(np.einsum("rd,rd->r", Xb, theta) - y[index[k - 1]])[:, None] * Xb
        theta = theta - eps0 / math.sqrt(k) * g               # θ ← θ − ε_k g
        if k in wanted:
            convex.append(np.mean(np.abs(theta @ X.T - y)))   # J(θ_k) − J*, J* = 0
    convex = np.array(convex)
    fit = record >= fit_from
    return {"k": record, "strong": strong, "convex": convex, "mu": mu,
            "strong_slope": loglog_slope(record[fit], strong[fit]),
            "convex_slope": loglog_slope(record[fit], convex[fit]),
            "fit_from": fit_from, "runs": runs, "strong_schedule": strong_schedule,
            "convex_eps0": eps0}


def report_rate_slopes(r: dict) -> str:
    """The fitted log-log slopes beside the theory's −1 and −1/2."""
    return "\n".join([
        f"strongly convex, ε_k = 2/(μ(k + 20)), μ = {r['mu']:.3f}: "
        f"fitted slope {r['strong_slope']:.3f}   (theory −1)",
        f"convex, ε_k = {r['convex_eps0']:g}/√k, last iterate:          "
        f"fitted slope {r['convex_slope']:.3f}   (theory −0.5)"])


def figure_rate_slopes(result: dict):
    """Both excess errors on log-log axes, with reference lines of slope −1/2 and −1."""
    fig = plotting.figure(figsize=FIGSIZE)
    with plotting.style():
        ax = fig.subplots()
        k = result["k"]
        for key, color, marker, label, slope in (
                ("convex", plotting.PALETTE[3], "s", "convex (absolute error), ε_k ∝ 1/√k",
                 result["convex_slope"]),
                ("strong", plotting.PALETTE[0], "o",
                 "strongly convex (least squares), ε_k ∝ 1/k", result["strong_slope"])):
            ax.loglog(k, result[key], color=color, marker=marker, linestyle="-",
                      label=f"{label}: slope {slope:.2f}")
            anchor = result[key][-1]
            ref = -0.5 if key == "convex" else -1.0
            ax.loglog(k, anchor * (k / k[-1]) ** ref, color=color, linestyle=":",
                      marker="none", linewidth=1.5)
        ax.axvline(result["fit_from"], color="#999999", linestyle="--", marker="none",
                   linewidth=1)
        ax.set_xlabel("step k")
        ax.set_ylabel("J(θ_k) − J*  (mean of runs)")
        ax.set_title("excess error; dotted: slopes −1/2 and −1")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.legend(fontsize=11)
    return fig


# --- 6. gradient noise against the minibatch size -------------------------------------------

def gradient_noise(batch_sizes=(1, 4, 16, 64, 256), draws: int = 2000, seed: int = 0) -> dict:
    """RMS distance between a minibatch gradient and the full gradient, at θ₀.

    Each minibatch holds distinct examples (drawn without replacement, as within an epoch),
    so the variance is σ²/m times the finite-population correction (n − m)/(n − 1), where
    σ² = tr Cov(∇L⁽ⁱ⁾) over the n training examples. ``slope``: the fitted log-log slope of
    the measured RMS error against m; ``slope_corrected``: the same after dividing out
    √((n − m)/(n − 1)).
    """
    t = task()
    theta = t.theta0
    per_example = t.X * (t.X @ theta - t.y)[:, None]          # ∇θ L⁽ⁱ⁾ at θ
    full = per_example.mean(axis=0)
    sigma2 = float(np.mean(np.sum((per_example - full) ** 2, axis=1)))
    rng = np.random.default_rng(seed)
    n = t.n
    rms, theory, fpc = [], [], []
    for m in batch_sizes:
        index = np.argsort(rng.random((draws, n)), axis=1)[:, :m]   # distinct examples
        errors = per_example[index].mean(axis=1) - full
        rms.append(float(np.sqrt(np.mean(np.sum(errors ** 2, axis=1)))))
        fpc.append(math.sqrt((n - m) / (n - 1)))
        theory.append(math.sqrt(sigma2 / m) * fpc[-1])
    rms, fpc = np.array(rms), np.array(fpc)
    sizes = np.array(batch_sizes, dtype=float)
    fits = len(sizes) >= 2 and np.all(rms > 0)
    return {"batch_sizes": sizes, "rms": rms, "theory": np.array(theory), "fpc": fpc,
            "sigma": math.sqrt(sigma2), "n": n, "draws": draws,
            "slope": loglog_slope(sizes, rms) if fits else math.nan,
            "slope_corrected": loglog_slope(sizes, rms / fpc) if fits else math.nan}


def report_gradient_noise(r: dict) -> str:
    """The measured error of the minibatch gradient beside σ/√m, with and without the
    finite-population correction, and the fitted slopes."""
    lines = [f"σ (one example) = {r['sigma']:.3f}, n = {r['n']}",
             f"{'m':>5} {'measured':>9} {'σ/√m':>7} {'with (n−m)/(n−1)':>17}"]
    for m, rms, fpc in zip(r["batch_sizes"], r["rms"], r["fpc"], strict=True):
        lines.append(f"{m:5.0f} {rms:9.3f} {r['sigma'] / np.sqrt(m):7.3f} "
                     f"{r['sigma'] / np.sqrt(m) * fpc:17.3f}")
    lines.append(f"fitted slope: {r['slope']:.3f}; after dividing out the correction: "
                 f"{r['slope_corrected']:.3f}   (theory −0.5)")
    return "\n".join(lines)


def figure_gradient_noise(result: dict):
    """The measured RMS error against m, with σ/√m and σ/√m · √((n−m)/(n−1))."""
    fig = plotting.figure(figsize=(7.5, 4.6))
    with plotting.style():
        ax = fig.subplots()
        m = result["batch_sizes"]
        ax.loglog(m, result["rms"], color=plotting.PALETTE[0], marker="o", linestyle="none",
                  markersize=9, label=f"measured (slope {result['slope']:.3f})")
        ax.loglog(m, result["sigma"] / np.sqrt(m), color=plotting.PALETTE[1], marker="none",
                  linestyle="--", label="σ/√m")
        ax.loglog(m, result["theory"], color=plotting.PALETTE[2], marker="none",
                  linestyle=":", label="σ/√m · √((n−m)/(n−1))")
        ax.set_xlabel("minibatch size m")
        ax.set_ylabel("RMS ‖ĝ − g‖")
        ax.set_title("gradient noise")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.legend(fontsize=11)
    return fig


# --- 7. epochs and reshuffling ----------------------------------------------------------------

def updates_per_epoch(n: int, batch_size: int) -> int:
    """⌈n/m⌉: ``minibatches`` keeps the last, shorter batch of each epoch."""
    return -(-int(n) // int(batch_size))


def epoch_coverage(batches, n: int, batch_size: int) -> list[dict]:
    """Per epoch: distinct examples seen, and the most visits of one example."""
    per_epoch = updates_per_epoch(n, batch_size)
    rows = []
    for e in range(len(batches) // per_epoch):
        index = np.concatenate(batches[e * per_epoch:(e + 1) * per_epoch])
        visits = np.bincount(index, minlength=n)
        rows.append({"epoch": e + 1, "distinct": int(np.count_nonzero(visits)),
                     "max_visits": int(visits.max()), "examples": int(index.size)})
    return rows


SAMPLINGS = ("reshuffle", "fixed", "replacement")


def epochs_and_shuffling(batch_size: int = 10, epochs: int = 5, lr: float = 0.1,
                         seeds=range(64)) -> dict:
    """SGD for a few epochs under the three samplings of ``minibatches``.

    The coverage of every epoch (distinct examples, most visits of one example) is read
    off the batches a ``minimize`` run used (seed 0); the learning curves and the final
    excess losses (mean and its standard error over ``seeds``) come from ``sgd_runs``, which
    draws the same minibatches as ``minimize``.
    """
    t = task()
    per_epoch = updates_per_epoch(t.n, batch_size)
    steps = epochs * per_epoch
    seeds = list(seeds)
    finals, errors, coverage, curves = {}, {}, {}, {}
    for sampling in SAMPLINGS:
        trace = minimize(t.objective, SGD(lr=lr), t.theta0, steps, batch_size=batch_size,
                         rng=seeds[0], sampling=sampling)
        coverage[sampling] = epoch_coverage(trace.batches, t.n, batch_size)
        excess = sgd_runs(t, schedules.Constant(lr), batch_size, seeds, steps,
                          sampling=sampling)
        curves[sampling] = excess.mean(axis=1)
        finals[sampling] = float(excess[-1].mean())
        errors[sampling] = float(excess[-1].std(ddof=1) / math.sqrt(len(seeds)))
    return {"finals": finals, "errors": errors, "coverage": coverage, "curves": curves,
            "steps": steps, "per_epoch": per_epoch, "epochs": epochs, "n": t.n,
            "batch_size": batch_size, "lr": lr, "n_seeds": len(seeds)}


def report_epochs(r: dict) -> str:
    """Updates per epoch, each sampling's coverage of the data, and its final loss."""
    lines = [f"n = {r['n']}, m = {r['batch_size']}: {r['per_epoch']} updates per epoch, "
             f"{r['steps']} updates in {r['epochs']} epochs"]
    for sampling in SAMPLINGS:
        coverage = r["coverage"][sampling]
        distinct = ", ".join(str(row["distinct"]) for row in coverage)
        most = max(row["max_visits"] for row in coverage)
        lines.append(f"{sampling:>11}: distinct examples per epoch {distinct}; most visits of "
                     f"one example in an epoch {most}")
    for sampling in SAMPLINGS:
        lines.append(f"{sampling:>11}: final J − J* = {r['finals'][sampling]:.4f} "
                     f"± {r['errors'][sampling]:.4f} (standard error)")
    return "\n".join(lines)


def figure_epochs(result: dict):
    """Mean J − J* per step under each sampling, epoch boundaries dotted."""
    fig = plotting.figure(figsize=(9.0, 4.4))
    with plotting.style():
        ax = fig.subplots()
        for i, (sampling, curve) in enumerate(result["curves"].items()):
            ax.plot(np.arange(len(curve)), curve, color=plotting.PALETTE[i],
                    marker=plotting.MARKERS[i], markevery=result["per_epoch"] // 2,
                    linewidth=1.4, label=sampling)
        for e in range(1, result["epochs"]):
            ax.axvline(e * result["per_epoch"], color="#999999", linestyle=":",
                       marker="none", linewidth=1)
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step k (dotted: epoch boundaries)")
        ax.set_ylabel("J(θ_k) − J*")
        ax.set_title(f"minibatch {result['batch_size']}, ε = {result['lr']:g}")
        ax.legend()
    return fig


# --- 8. the conditions 8.12–8.13 --------------------------------------------------------------

def table_schedules() -> dict:
    """The schedules of the Robbins–Monro table, by a short label."""
    return {
        "constant 0.1": schedules.Constant(0.1),
        "linear (8.14)": schedules.LinearDecay(0.1, 1000, 0.001),
        "0.1/(1+k/100)": schedules.InverseTime(0.1, 100),
        "0.1/√(1+k/100)": schedules.InverseSqrt(0.1, 100),
        "0.1·0.999^k": schedules.ExponentialDecay(0.1, 0.999),
    }


def robbins_monro_table(horizons=(10**2, 10**4, 10**6)) -> list[dict]:
    """Partial sums Σ ε_k and Σ ε_k² at the horizons, and the exact verdicts, per schedule."""
    rows = []
    for label, schedule in table_schedules().items():
        report = schedules.robbins_monro(schedule, horizons=horizons)
        rows.append({"label": label, "horizons": report.horizons, "sums": report.sums,
                     "sums_sq": report.sums_sq, "holds_8_12": report.exact_8_12,
                     "holds_8_13": report.exact_8_13, "numeric_8_12": report.holds_8_12,
                     "numeric_8_13": report.holds_8_13})
    return rows


def format_robbins_monro(rows: list[dict]) -> str:
    """The table as fixed-width text."""
    horizons = rows[0]["horizons"]
    head = "".join(f"{'Σε  N=' + f'{n:.0e}':>13}" for n in horizons)
    head_sq = "".join(f"{'Σε² N=' + f'{n:.0e}':>13}" for n in horizons)
    lines = [f"{'schedule':<16}{head}{head_sq}   8.12  8.13"]
    for r in rows:
        sums = "".join(f"{s:>13.4g}" for s in r["sums"])
        sums_sq = "".join(f"{q:>13.4g}" for q in r["sums_sq"])
        yes = {True: "yes", False: "no"}
        lines.append(f"{r['label']:<16}{sums}{sums_sq}   {yes[r['holds_8_12']]:<5} "
                     f"{yes[r['holds_8_13']]}")
    return "\n".join(lines)
