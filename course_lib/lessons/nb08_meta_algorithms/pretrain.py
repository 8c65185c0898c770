"""Notebook 08, §6: greedy supervised pretraining against training from scratch (8.7.4).

The deep network: 64 → 5 tanh layers of 32 → 10 classes on the digits. Three ways to spend
about the same number of optimizer steps (momentum, ε = 0.02, α = 0.9, batches of 64):

- greedy: ``strategies.pretraining``, one hidden layer per stage, ``STAGE`` steps each;
- greedy, then ``FINE`` steps of joint fine-tuning of all layers;
- from scratch: the whole network from the normalized initialization for as many steps as
  the greedy run plus fine-tuning.

Measured over seeds: the final training loss and the validation accuracy of each. A stage
costs less than a step of the whole network (a shallow network on fixed features), so
"the same number of steps" favours the greedy runs slightly in computation, not in data seen.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...objectives import MLP
from ...optim import Momentum
from ...strategies.initialization import init_mlp
from ...strategies.pretraining import greedy_supervised_pretraining, train_steps
from ..common.cache import cached
from .task import accuracy, digits_task, one_thread

HIDDEN = (32,) * 5
STAGE, FINE = 80, 100


@one_thread
@cached
def compute_pretraining(seeds=(0, 1, 2), stage: int = STAGE, fine: int = FINE) -> dict:
    task = digits_task()
    X, y, Xv, yv = task["X_train"], task["y_train"], task["X_val"], task["y_val"]
    total = stage * len(HIDDEN) + fine
    runs = {"greedy": [], "greedy + fine-tuning": [], "from scratch": []}
    curves = []
    for seed in seeds:
        tuned = greedy_supervised_pretraining(X, y, HIDDEN, steps_per_layer=stage,
                                              fine_tune_steps=fine, seed=seed,
                                              optimizer=Momentum(lr=0.02, alpha=0.9))
        net = MLP(X, y, hidden=HIDDEN, loss="softmax", n_classes=10)
        theta, scratch = train_steps(net, init_mlp(net, "glorot", rng=seed),
                                     Momentum(lr=0.02, alpha=0.9), total, 64,
                                     np.random.default_rng(seed), every=10)
        for name, (model, th) in (("greedy", (tuned.net, tuned.greedy_theta)),
                                  ("greedy + fine-tuning", (tuned.net, tuned.theta)),
                                  ("from scratch", (net, theta))):
            runs[name].append({"train": model.loss(th), "val": accuracy(model, th, Xv, yv)})
        curves.append({"stages": [s for s in tuned.stage_losses], "fine": tuned.fine_tune_losses,
                       "scratch": scratch})
    return {"runs": runs, "curves": curves, "seeds": tuple(seeds), "stage": stage,
            "fine": fine, "total": total}


def report_pretraining(r: dict) -> str:
    lines = [f"64 → {len(HIDDEN)} × 32 tanh → 10; greedy: {r['stage']} steps per layer "
             f"({r['stage'] * len(HIDDEN)} in all), fine-tuning {r['fine']}; from scratch "
             f"{r['total']} steps; seeds {', '.join(map(str, r['seeds']))}",
             f"{'':22} {'training loss (each seed)':>27} {'mean':>7} "
             f"{'val. accuracy (each seed)':>27} {'mean':>7}"]
    for name, rows in r["runs"].items():
        train = " ".join(f"{row['train']:.3f}" for row in rows)
        val = " ".join(f"{row['val']:.1%}" for row in rows)
        lines.append(f"{name:22} {train:>27} {np.mean([x['train'] for x in rows]):7.3f} "
                     f"{val:>27} {np.mean([x['val'] for x in rows]):7.1%}")
    return "\n".join(lines)


def figure_pretraining(r: dict):
    fig = plotting.figure(figsize=(11.0, 4.6))
    with plotting.style():
        ax = fig.subplots()
        for j, curve in enumerate(r["curves"]):
            start = 0
            for i, stage in enumerate(curve["stages"]):
                k = start + 10 * np.arange(len(stage))
                ax.plot(k, stage, color=plotting.PALETTE[0], marker="none", linewidth=1.5,
                        alpha=0.5 + 0.5 * (i == len(curve["stages"]) - 1),
                        label="greedy: stage by stage" if j == 0 and i == 0 else None)
                start = k[-1]
            k = start + 10 * np.arange(len(curve["fine"]))
            ax.plot(k, curve["fine"], color=plotting.PALETTE[2], marker="none", linewidth=2.0,
                    label="fine-tuning all layers" if j == 0 else None)
            ax.plot(10 * np.arange(len(curve["scratch"])), curve["scratch"],
                    color=plotting.PALETTE[3], marker="none", linewidth=2.0,
                    label="from scratch" if j == 0 else None)
        for s in range(1, len(HIDDEN)):
            ax.axvline(s * r["stage"], color="#999999", linewidth=0.8, linestyle=":")
        ax.set_yscale("log")
        ax.set_xlabel("optimizer steps")
        ax.set_ylabel("training loss (of the network trained at that step)")
        ax.set_title("greedy layer-wise pretraining against training from scratch")
        ax.legend(fontsize=11)
    return fig
