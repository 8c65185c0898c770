"""Notebook 05, §6: initialization as a choice of where to start.

The same network, 8 tanh layers of 32 units on the digits, trained with the same optimizer
(SGD with momentum, ε = 0.02, α = 0.9, minibatches of 64, 200 steps) from each scheme and
three seeds (the seed draws both the start and the minibatches). Measured: the training
loss along the way (every 10 steps), at the end, and the validation accuracy.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ..common.cache import cached
from .task import accuracy, deep_net, digits_task, start, train

DEPTH, WIDTH = 8, 32
# label → (scheme, scale, options)
SCHEMES = {
    "normalized (Glorot)": ("glorot", 1.0, {}),
    "He, s = √2": ("he", 1.0, {}),
    "orthogonal": ("orthogonal", 1.0, {}),
    "sparse, k = 15, σ = 1/√15": ("sparse", 1.0 / np.sqrt(15.0), {"k": 15}),
    "Gaussian, s = 0.3 (too small)": ("gaussian", 0.3, {}),
    "Gaussian, s = 3 (too large)": ("gaussian", 3.0, {}),
}


@cached
def compute_schemes(steps: int = 200, seeds=(0, 1, 2), lr: float = 0.02,
                    alpha: float = 0.9) -> dict:
    net = deep_net(DEPTH, WIDTH, "tanh")
    task = digits_task()
    out = {"steps": steps, "seeds": tuple(seeds), "runs": {}}
    for label, (scheme, scale, options) in SCHEMES.items():
        curves, finals, accs = [], [], []
        for seed in seeds:
            run = train(net, start(net, scheme, seed, scale, **options), steps=steps, lr=lr,
                        alpha=alpha, seed=seed)
            curves.append(run["losses"])
            finals.append(run["losses"][-1])
            accs.append(accuracy(net, run["theta"], task["X_val"], task["y_val"]))
        out["checkpoints"] = run["steps"]
        out["runs"][label] = {"curves": np.array(curves), "final": np.array(finals),
                              "val_accuracy": np.array(accs)}
    return out


def report_schemes(r: dict) -> str:
    lines = [f"{DEPTH} tanh layers of {WIDTH} units, momentum ε = 0.02, α = 0.9, batch 64, "
             f"{r['steps']} steps; seeds {', '.join(map(str, r['seeds']))}",
             f"{'start':30} {'J(θ₀)':>7} {'J after 50':>10} {'J at the end':>19} "
             f"{'val. accuracy':>19}"]
    k50 = list(r["checkpoints"]).index(50)
    for label, run in r["runs"].items():
        c = run["curves"]
        lines.append(f"{label:30} {c[:, 0].mean():7.3f} {c[:, k50].mean():10.3f} "
                     f"{run['final'].mean():8.4f} ± {run['final'].std():.4f} "
                     f"{run['val_accuracy'].mean():10.1%} ± {run['val_accuracy'].std():.1%}")
    lines.append("(mean ± standard deviation over the seeds)")
    return "\n".join(lines)


def figure_schemes(r: dict):
    fig = plotting.figure(figsize=(11.0, 5.0))
    with plotting.style():
        ax = fig.subplots()
        for i, (label, run) in enumerate(r["runs"].items()):
            color = plotting.PALETTE[i]
            for j, curve in enumerate(run["curves"]):
                ax.plot(r["checkpoints"], curve, color=color, marker=plotting.MARKERS[i],
                        markevery=4, linewidth=1.6, label=label if j == 0 else None)
        ax.set_yscale("log")
        ax.set_xlabel("step k")
        ax.set_ylabel("training loss J(θ)")
        ax.set_title("the same network from six starts (one line per seed)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=12)
    return fig
