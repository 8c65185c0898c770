"""Notebook 05, §4: breaking symmetry. Units that start alike stay alike.

A network 64 → 16 tanh units → 10 classes is trained on the digits with full-batch
momentum (300 steps, ε = 0.1, α = 0.9) from three starts: every weight 0; every weight of
a layer equal to 0.1; the normalized initialization. Two hidden units with the same
incoming and outgoing weights compute the same function, receive the same gradient and so
take the same step, for ever: we measure the largest difference between the incoming
weights of any two hidden units, max_{i,j} ‖W⁽¹⁾[:, i] − W⁽¹⁾[:, j]‖∞, and the rank of the
hidden activations (how many different features the layer really computes).
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...objectives import MLP
from ...optim import Momentum
from ...run import Oracle
from ...strategies.initialization import init_mlp
from ..common.cache import cached
from .task import accuracy, digits_task, one_thread

HIDDEN = 16
STARTS = ("all weights 0", "all weights 0.1", "normalized (Glorot)")


def symmetric_net() -> MLP:
    task = digits_task()
    return MLP(task["X_train"], task["y_train"], hidden=(HIDDEN,), loss="softmax",
               n_classes=10)


def start_theta(net: MLP, start: str, seed: int = 0) -> np.ndarray:
    if start == "normalized (Glorot)":
        return init_mlp(net, "glorot", rng=seed)
    value = {"all weights 0": 0.0, "all weights 0.1": 0.1}[start]
    return net.pack([(np.full((n_in, n_out), value), np.zeros(n_out))
                     for n_in, n_out in net.shapes])


def unit_spread(net: MLP, theta) -> float:
    W1 = net.unpack(theta)[0][0]
    return float(np.max(np.abs(W1[:, :, None] - W1[:, None, :])))


@one_thread
@cached
def compute_symmetry(steps: int = 300, lr: float = 0.1, alpha: float = 0.9) -> dict:
    net = symmetric_net()
    task = digits_task()
    out = {"steps": steps, "runs": {}}
    for start in STARTS:
        theta = start_theta(net, start)
        optimizer = Momentum(lr=lr, alpha=alpha)
        state = optimizer.init(theta)
        spreads, losses = [unit_spread(net, theta)], [net.loss(theta)]
        for _ in range(steps):
            theta, state = optimizer.step(theta, state, Oracle(net))
            spreads.append(unit_spread(net, theta))
            losses.append(net.loss(theta))
        hidden = net.forward_pass(theta)[1][1]
        out["runs"][start] = {
            "spreads": np.array(spreads), "losses": np.array(losses),
            "rank": int(np.linalg.matrix_rank(hidden)),
            "train_accuracy": accuracy(net, theta, task["X_train"], task["y_train"]),
            "val_accuracy": accuracy(net, theta, task["X_val"], task["y_val"])}
    return out


def report_symmetry(r: dict) -> str:
    lines = [f"64 → {HIDDEN} tanh → 10 softmax, {r['steps']} steps of full-batch momentum",
             f"{'start':22} {'max unit difference':>20} {'rank of hidden':>15} "
             f"{'J(θ)':>7} {'train acc.':>10} {'val. acc.':>9}"]
    for start, run in r["runs"].items():
        lines.append(f"{start:22} {run['spreads'][-1]:20.3g} {run['rank']:15d} "
                     f"{run['losses'][-1]:7.4f} {run['train_accuracy']:10.1%} "
                     f"{run['val_accuracy']:9.1%}")
    return "\n".join(lines)


def figure_symmetry(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.4))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        for i, (start, run) in enumerate(r["runs"].items()):
            k = np.arange(len(run["losses"]))
            left.plot(k, run["losses"], color=plotting.PALETTE[i], marker=plotting.MARKERS[i],
                      markevery=30, label=start)
            right.plot(k, run["spreads"], color=plotting.PALETTE[i],
                       marker=plotting.MARKERS[i], markevery=30, label=start)
        left.set_yscale("log")
        left.set_xlabel("step k")
        left.set_ylabel("training loss J(θ)")
        left.set_title("learning curves")
        left.legend()
        right.set_xlabel("step k")
        right.set_ylabel("largest difference of two units")
        right.set_title("how different the hidden units are")
    return fig
