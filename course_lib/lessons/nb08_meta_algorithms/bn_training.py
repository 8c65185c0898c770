"""Notebook 08, §2: training a deep network with and without batch normalization.

The network: ``DEPTH`` tanh layers of 32 units on the digits, trained by momentum (ε = 0.01,
α = 0.9, minibatches of 64) for ``STEPS`` steps, from the normalized initialization with its
weights multiplied by a factor f ∈ {0.5, 1, 2}: the same seeds (start and minibatches) with
and without batch norm. Measured: the training loss along the way and at the end, and the
spread of the last hidden layer's pre-activations u⁽ᴸ⁾ at the start (with batch norm it is
1 whatever f: γ = 1).
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...objectives.mlp_variants import DeepNet
from ..common.cache import cached
from .task import digits_task, one_thread, train

DEPTH, WIDTH, STEPS, LR, EVERY = 10, 32, 120, 0.01, 20
FACTORS = (0.5, 1.0, 2.0)
SEEDS = (0, 1, 2)


def deep_net(batch_norm: bool, depth: int = DEPTH, skip: bool = False) -> DeepNet:
    task = digits_task()
    return DeepNet(task["X_train"], task["y_train"], hidden=(WIDTH,) * depth,
                   activation="tanh", loss="softmax", n_classes=10, batch_norm=batch_norm,
                   skip=skip)


def scaled_start(net: DeepNet, seed: int, factor: float) -> np.ndarray:
    layers = net.unpack(net.init_theta(seed))
    for layer in layers:
        layer["W"] = factor * layer["W"]
    return net.pack(layers)


@one_thread
@cached
def compute_bn_training(factors=FACTORS, seeds=SEEDS, steps: int = STEPS) -> dict:
    out = {"factors": tuple(factors), "seeds": tuple(seeds), "steps": steps, "runs": {}}
    for factor in factors:
        for bn in (False, True):
            net = deep_net(bn)
            curves, spreads, runs = [], [], []
            for seed in seeds:
                theta0 = scaled_start(net, seed, factor)
                spreads.append(float(net.forward_pass(theta0)[0][-2].std()))
                run = train(net, theta0, steps=steps, lr=LR, seed=seed, every=EVERY,
                            track=bn and factor == 1.0 and seed == seeds[0])
                curves.append(run["losses"])
                runs.append(run)
            out["checkpoints"] = runs[0]["steps"]
            out["runs"][(factor, bn)] = {"curves": np.array(curves), "spread": np.array(spreads),
                                         "final": np.array([c[-1] for c in curves]),
                                         "last_run": runs[0]}
    return out


def report_bn_training(r: dict) -> str:
    lines = [f"{DEPTH} tanh layers of {WIDTH}, momentum ε = {LR}, α = 0.9, batch 64, "
             f"{r['steps']} steps; normalized start with W × f; seeds "
             f"{', '.join(map(str, r['seeds']))} (the same with and without batch norm)",
             f"{'f':>4} {'batch norm':>10} {'std u⁽ᴸ⁾ at start':>18} {'J after 40':>10} "
             f"{'J at the end, each seed':>24} {'mean':>7}"]
    k40 = list(r["checkpoints"]).index(40)
    for (factor, bn), run in r["runs"].items():
        each = " ".join(f"{x:.3f}" for x in run["final"])
        lines.append(f"{factor:4g} {'yes' if bn else 'no':>10} {run['spread'].mean():18.3g} "
                     f"{run['curves'][:, k40].mean():10.3f} {each:>24} "
                     f"{run['final'].mean():7.3f}")
    return "\n".join(lines)


def figure_bn_training(r: dict):
    fig = plotting.figure(figsize=(13.0, 4.4))
    with plotting.style():
        axes = fig.subplots(1, len(r["factors"]), sharey=True)
        for ax, factor in zip(axes, r["factors"], strict=True):
            for i, bn in enumerate((False, True)):
                run = r["runs"][(factor, bn)]
                for j, curve in enumerate(run["curves"]):
                    ax.plot(r["checkpoints"], curve, color=plotting.PALETTE[3 * i],
                            marker=plotting.MARKERS[i], markevery=1, linewidth=1.6,
                            label=("with batch norm" if bn else "without") if j == 0 else None)
            ax.set_yscale("log")
            ax.set_xlabel("step k")
            ax.set_title(f"weights × {factor:g}")
        axes[0].set_ylabel("training loss J(θ)")
        axes[0].legend(fontsize=11)
    return fig
