"""Notebook 03, §7: one epoch is ⌈n/m⌉ updates; reshuffling every epoch, a fixed order and
sampling with replacement compared.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting, schedules
from ...optim import SGD
from ...run import minimize
from .running_example import sgd_runs, task


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
