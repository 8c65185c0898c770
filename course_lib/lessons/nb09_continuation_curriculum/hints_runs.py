"""Notebook 09, §8: hints. A deep, thin network (six tanh layers of six units) learns the
parity of three linear concepts, with and without a hint that asks its second layer to
predict the concepts; the same budget, several seeds."""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...global_opt.curriculum import Uniform, train_with_curriculum
from ...global_opt.hints import HintedMLP, concept_parity_task
from ...optim import Adam
from ..common.cache import cached
from .basins import PALETTE

HIDDEN, LAYER, WEIGHT = (6,) * 6, 2, 1.0
N_TRAIN, N_TEST, STEPS, BATCH, LR = 400, 500, 600, 32, 0.01
SEEDS = tuple(range(5))


def train_hinted(weight: float, seed: int, steps: int = STEPS):
    """(the objective, the run) for one seed; weight 0 is the plain network."""
    X, y, H = concept_parity_task(seed=seed, m=N_TRAIN + N_TEST)
    f = HintedMLP(X[:N_TRAIN], y[:N_TRAIN], H[:N_TRAIN], hidden=HIDDEN, hint_layer=LAYER,
                  weight=weight)
    run = train_with_curriculum(f, Adam(lr=LR), f.init_theta(seed),
                                Uniform(np.zeros(N_TRAIN, dtype=int), steps, BATCH),
                                seed=seed, X_test=X[N_TRAIN:], y_test=y[N_TRAIN:],
                                n_checkpoints=6)
    return f, run


@cached
def compute_hints(seeds=SEEDS, weight: float = WEIGHT) -> dict:
    out = {}
    for label, w in (("without hint", 0.0), (f"hint, λ = {weight:g}", weight)):
        acc, task, hint = [], [], []
        for s in seeds:
            f, run = train_hinted(w, s)
            acc.append(run.test_accuracy[-1])
            task.append(f.task_loss(run.theta))
            hint.append(f.hint_loss(run.theta))
        out[label] = {"acc": np.array(acc), "task": np.array(task), "hint": np.array(hint),
                      "weight": w}
    labels = list(out)
    gain = out[labels[1]]["acc"] - out[labels[0]]["acc"]
    return {"runs": out, "labels": labels, "seeds": list(seeds), "gain": gain,
            "wins": int(np.sum(gain > 0))}


def report_hints(r: dict) -> str:
    lines = [f"parity of 3 concepts in 8-D, network 8-{'-'.join(map(str, HIDDEN))}-1 "
             f"(tanh), hint on layer {LAYER}; Adam ε = {LR:g}, {STEPS} steps of {BATCH} "
             f"examples; {len(r['seeds'])} seeds, mean ± standard deviation",
             f"{'':>14} {'test accuracy':>16} {'training task loss':>19} "
             f"{'hint loss':>14}"]
    for label in r["labels"]:
        run = r["runs"][label]
        lines.append(f"{label:>14} {run['acc'].mean():9.1%} ± {run['acc'].std(ddof=1):.1%} "
                     f"{run['task'].mean():11.3f} ± {run['task'].std(ddof=1):.3f} "
                     f"{run['hint'].mean():7.3f} ± {run['hint'].std(ddof=1):.3f}")
    lines.append(f"the hint raises test accuracy on {r['wins']} of {len(r['seeds'])} seeds, "
                 f"by {r['gain'].mean():+.1%} on average")
    return "\n".join(lines)


def figure_hints(r: dict):
    fig = plotting.figure(figsize=(7.5, 4.2))
    with plotting.style():
        ax = fig.add_subplot()
        for i, label in enumerate(r["labels"]):
            acc = 100 * r["runs"][label]["acc"]
            ax.plot(np.full(len(acc), i), acc, "o", color=PALETTE[i], markersize=9, alpha=0.7)
            ax.errorbar([i + 0.12], [acc.mean()], yerr=[acc.std(ddof=1)], color="#000000",
                        capsize=6, marker="D", markersize=7)
        for a, b in zip(*(100 * r["runs"][label]["acc"] for label in r["labels"]),
                        strict=True):
            ax.plot([0, 1], [a, b], color="#999999", linewidth=1.0, marker="none")
        ax.set_xticks([0, 1], r["labels"])
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylabel("test accuracy (%)")
        ax.set_title("the same network, the same budget")
    return fig
