"""Notebook 08, §7: skip connections and the gradient that reaches the first layers (8.7.5).

A network of ``DEPTH`` tanh layers of 32 units on the digits, from the normalized start, with
and without skip connections a ← a + g(u) (``objectives.mlp_variants.DeepNet``): at the start,
the norm of the gradient of each layer's weights, ‖∂J/∂W⁽ˡ⁾‖; then ``STEPS`` steps of momentum
(ε = 0.01, α = 0.9) from the same seeds.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator, NullLocator

from ... import plotting
from ...objectives.mlp_variants import DeepNet
from ..common.cache import cached
from .task import digits_task, one_thread, train

DEPTH, STEPS = 20, 100


def net(skip: bool, depth: int = DEPTH) -> DeepNet:
    task = digits_task()
    return DeepNet(task["X_train"], task["y_train"], hidden=(32,) * depth, loss="softmax",
                   n_classes=10, skip=skip)


@one_thread
@cached
def compute_skip(seeds=(0, 1, 2), steps: int = STEPS) -> dict:
    out = {"seeds": tuple(seeds), "steps": steps, "runs": {}}
    for skip in (False, True):
        model = net(skip)
        norms = np.array([[np.linalg.norm(layer["W"])
                           for layer in model.backward_pass(model.init_theta(seed))["grads"]]
                          for seed in seeds])
        finals = [train(model, model.init_theta(seed), steps=steps, lr=0.01, seed=seed,
                        every=steps)["losses"][-1] for seed in seeds]
        out["runs"][skip] = {"norms": norms, "final": np.array(finals)}
    return out


def report_skip(r: dict) -> str:
    lines = [f"{DEPTH} tanh layers of 32 (normalized start); ‖∂J/∂W⁽ˡ⁾‖ at the start (mean over "
             f"seeds) and the training loss after {r['steps']} steps of momentum",
             f"{'':22} {'layer 1':>9} {'layer 10':>9} {'layer 20':>9} {'output':>9} "
             f"{'layer 1 / layer 20':>19} {'J after training (each seed)':>30}"]
    for skip, run in r["runs"].items():
        n = run["norms"].mean(axis=0)
        each = " ".join(f"{x:.3f}" for x in run["final"])
        lines.append(f"{'with skip connections' if skip else 'plain':22} {n[0]:9.2e} "
                     f"{n[9]:9.2e} {n[19]:9.2e} {n[-1]:9.2e} {n[0] / n[19]:19.3g} {each:>30}")
    return "\n".join(lines)


def figure_skip(r: dict):
    fig = plotting.figure(figsize=(10.0, 4.4))
    with plotting.style():
        ax = fig.subplots()
        for i, (skip, run) in enumerate(r["runs"].items()):
            n = run["norms"].mean(axis=0)
            ax.plot(np.arange(1, len(n) + 1), n, color=plotting.PALETTE[3 * i],
                    marker=plotting.MARKERS[i],
                    label="with skip connections" if skip else "plain")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("layer l (the last one is the output layer)")
        ax.set_ylabel("‖∂J/∂W⁽ˡ⁾‖ at the start")
        ax.set_title(f"the gradient each layer receives, {DEPTH} tanh layers")
        ax.legend()
    return fig
