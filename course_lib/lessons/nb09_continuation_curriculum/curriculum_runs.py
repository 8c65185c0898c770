"""Notebook 09, §6–7: curriculum learning on noisy digits (4 against 9, five levels of pixel
noise), five samplers with the same budget of examples, over several seeds; and the
curriculum as a reweighting of the examples, stage by stage.

Each seed is a full replicate: new noise on the images, a new initialization, new
minibatches. The samplers share the seed, so their differences are paired.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...global_opt.curriculum import SAMPLERS, make_sampler, train_with_curriculum
from ...global_opt.curriculum_task import noisy_digits
from ...objectives import MLP
from ...optim import Momentum
from ..common.cache import cached
from .basins import PALETTE

STEPS, BATCH, PACE, MIX, START = 300, 16, 0.5, 0.25, 0.3
HIDDEN, LR, ALPHA = (8,), 0.1, 0.9
SEEDS = tuple(range(6))


def extra_for(name: str, mix: float = MIX, start: float = START) -> dict:
    return {"stochastic": {"mix": mix}, "self-paced": {"start": start}}.get(name, {})


def train_one(name: str, seed: int, steps: int = STEPS, pace: float = PACE, mix: float = MIX,
              start: float = START, n_checkpoints: int = 10):
    """One run of the sampler ``name`` on replicate ``seed``: (the task, the run)."""
    task = noisy_digits(seed=seed)
    f = MLP(task.X, task.y, hidden=HIDDEN, loss="logistic")
    sampler = make_sampler(name, task.level, steps, BATCH, pace, **extra_for(name, mix, start))
    run = train_with_curriculum(f, Momentum(lr=LR, alpha=ALPHA), f.init_theta(seed), sampler,
                                seed=seed, X_test=task.X_test, y_test=task.y_test,
                                n_checkpoints=n_checkpoints)
    return task, run


@cached
def compute_curricula(names=tuple(SAMPLERS), seeds=SEEDS, steps: int = STEPS) -> dict:
    """Final test loss and accuracy of every sampler on every seed, and the paired
    differences against the uniform baseline."""
    loss, acc, curves, counts = {}, {}, {}, {}
    for name in names:
        runs = [train_one(name, s, steps)[1] for s in seeds]
        loss[name] = np.array([run.test_loss[-1] for run in runs])
        acc[name] = np.array([run.test_accuracy[-1] for run in runs])
        curves[name] = np.array([run.test_loss for run in runs])
        counts[name] = runs[0].level_counts
        budget = runs[0].nexamples
    checkpoints = runs[0].checkpoints
    base = loss["uniform"]
    diff = {name: loss[name] - base for name in names}
    lowest = {name: curves[name].mean(0).min() for name in names}
    when = {name: int(checkpoints[np.argmin(curves[name].mean(0))]) * BATCH for name in names}
    return {"names": list(names), "seeds": list(seeds), "loss": loss, "acc": acc,
            "lowest": lowest, "lowest_at": when,
            "curves": curves, "checkpoints": checkpoints, "counts": counts,
            "budget": budget, "diff": diff,
            "best": min(names, key=lambda n: loss[n].mean())}


def _se(x) -> float:
    return float(np.std(x, ddof=1) / np.sqrt(len(x)))


def report_curricula(r: dict) -> str:
    n = len(r["seeds"])
    lines = [f"{r['budget']} training examples per run ({STEPS} steps of {BATCH}), "
             f"curriculum over the first {PACE:.0%} of them; {n} seeds; mean ± standard "
             "deviation over seeds",
             f"{'sampler':>16} {'test loss':>16} {'test accuracy':>16} "
             f"{'loss − uniform (paired)':>26}"]
    for name in r["names"]:
        lo, ac, d = r["loss"][name], r["acc"][name], r["diff"][name]
        paired = "—" if name == "uniform" else f"{d.mean():+.3f} ± {_se(d):.3f} (SE)"
        lines.append(f"{name:>16} {lo.mean():8.3f} ± {lo.std(ddof=1):.3f} "
                     f"{ac.mean():9.1%} ± {ac.std(ddof=1):.1%} {paired:>26}")
    best = r["best"]
    d = r["diff"][best]
    verdict = ("within two standard errors of the baseline: no sampler is clearly better"
               if best == "uniform" or abs(d.mean()) < 2 * _se(d) else
               f"{best} is ahead of uniform by more than two standard errors")
    lines.append(f"lowest final test loss: {best}; {verdict}")
    lines.append("lowest mean test loss at any checkpoint (examples seen):  " + ";  ".join(
        f"{name} {r['lowest'][name]:.3f} ({r['lowest_at'][name]})" for name in r["names"]))
    return "\n".join(lines)


def figure_curricula(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.8))
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[1.4, 1])
        x = r["checkpoints"] * BATCH
        for i, name in enumerate(r["names"]):
            c = r["curves"][name]
            left.plot(x, c.mean(0), color=PALETTE[i], marker=plotting.MARKERS[i],
                      markersize=5, label=name)
            left.fill_between(x, c.min(0), c.max(0), color=PALETTE[i], alpha=0.12)
        left.axvline(PACE * STEPS * BATCH, color="#777777", linestyle=":",
                     label="curriculum ends")
        left.set_xlabel("training examples seen")
        left.set_ylabel("test loss (all noise levels)")
        left.set_title("mean over seeds, band = min … max")
        left.legend(loc="upper right", fontsize=10)
        for i, name in enumerate(r["names"]):
            d = r["diff"][name]
            right.plot(np.full(len(d), i), d, "o", color=PALETTE[i], alpha=0.6)
            right.errorbar([i], [d.mean()], yerr=[2 * _se(d)], color="#000000", capsize=6,
                           marker="_", markersize=18)
        right.axhline(0.0, color="#555555", linewidth=1.0)
        right.set_xticks(range(len(r["names"])), r["names"], rotation=30, ha="right")
        right.set_ylabel("test loss − uniform's (same seed)")
        right.set_title("paired differences, ± 2 SE")
    return fig


# --- §7: the curriculum as a reweighting of the examples ---------------------------------
def compute_weights(names=("uniform", "deterministic", "stochastic", "anti-curriculum",
                           "self-paced"), seed: int = 0, n_stages: int = 10,
                    curricula: dict | None = None) -> dict:
    """The share of each noise level in the minibatches, per tenth of the budget: expected
    (the sampler's weights w_k) for the fixed samplers, drawn for the self-paced one (taken
    from ``curricula``, the runs of ``compute_curricula``, when given: its first seed)."""
    task = noisy_digits(seed=seed)
    shares = {}
    for name in names:
        if name == "self-paced":
            reuse = curricula is not None and seed == curricula["seeds"][0] and \
                n_stages == len(curricula["checkpoints"]) - 1
            counts = curricula["counts"][name] if reuse else \
                train_one(name, seed, n_checkpoints=n_stages)[1].level_counts
            shares[name] = counts / counts.sum(axis=1, keepdims=True)
            continue
        sampler = make_sampler(name, task.level, STEPS, BATCH, PACE, **extra_for(name))
        edges = np.linspace(0, STEPS, n_stages + 1).astype(int)
        shares[name] = np.array([np.mean([sampler.level_shares(k) for k in range(a, b)],
                                         axis=0) for a, b in zip(edges[:-1], edges[1:],
                                                                 strict=True)])
    return {"names": list(names), "shares": shares, "noise": task.noise,
            "target": task.counts() / task.counts().sum(), "n_stages": n_stages}


def report_weights(r: dict) -> str:
    lines = ["share of the hardest level (noise σ = "
             f"{r['noise'][-1]:g}) in each tenth of the budget; the data hold "
             f"{r['target'][-1]:.0%}"]
    for name in r["names"]:
        row = " ".join(f"{s:4.0%}" for s in r["shares"][name][:, -1])
        lines.append(f"{name:>16}: {row}")
    return "\n".join(lines)


def figure_weights(r: dict):
    names = r["names"]
    fig = plotting.figure(figsize=(13.0, 4.4))
    with plotting.style():
        axes = fig.subplots(1, len(names), sharey=True)
        stages = np.arange(r["n_stages"])
        greys = [plotting.PALETTE[i] for i in (2, 5, 6, 1, 3)]
        for ax, name in zip(axes, names, strict=True):
            bottom = np.zeros(r["n_stages"])
            for level, share in enumerate(r["shares"][name].T):
                ax.bar(stages + 1, share, bottom=bottom, color=greys[level], width=0.85,
                       label=f"σ = {r['noise'][level]:g}")
                bottom += share
            ax.set_title(name, fontsize=13)
            ax.set_xlabel("tenth of the budget")
            ax.set_xticks([1, 5, 10])
            ax.grid(False)
        axes[0].set_ylabel("share of the minibatches")
        axes[-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=10,
                        title="noise level", title_fontsize=10)
    return fig
