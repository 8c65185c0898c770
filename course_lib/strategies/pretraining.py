"""Greedy supervised layer-wise pretraining of an MLP (section 8.7.4, Bengio et al. 2007).

Instead of training a deep network all at once, train it one hidden layer at a time:

1. train a network with one hidden layer, inputs → h⁽¹⁾ → outputs, on the task;
2. keep its hidden layer, fixed; its outputs h⁽¹⁾(x) are the inputs of the next stage, a
   network h⁽¹⁾ → h⁽²⁾ → outputs trained on the same targets; and so on, one layer a stage;
3. stack the kept hidden layers and the last stage's output layer: the deep network;
4. optionally, fine-tune all layers jointly.

Each stage is a shallow problem, which is the point: every layer is trained where the
gradient is short and strong. The greedy result is a starting point for the deep network,
not necessarily a better end point (section 8.7.4 and the notebook measure this honestly).

``greedy_supervised_pretraining`` returns a ``Pretrained``: θ in ``objectives.MLP``'s layout
for the deep network, and the training losses of each stage and of the fine-tuning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..objectives import MLP
from ..optim import Momentum
from ..run import Oracle, minibatches
from ..validation import check_int
from .initialization import init_mlp


@dataclass
class Pretrained:
    theta: np.ndarray                         # the deep network's θ (MLP layout)
    net: MLP                                  # the deep network, on the training data
    stage_losses: list = field(default_factory=list)   # each stage's losses, every ``every``
    fine_tune_losses: np.ndarray | None = None
    steps: int = 0                            # optimizer steps in total (stages + fine-tuning)
    greedy_theta: np.ndarray | None = None    # θ after the stages, before any fine-tuning


def train_steps(objective, theta, optimizer, steps: int, batch_size: int, rng,
                every: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """(θ, the training losses at steps 0, every, 2·every, …): ``steps`` optimizer steps on
    minibatches, without the full-set evaluations of ``run.minimize`` at every step."""
    theta = np.array(theta, dtype=float)
    state = optimizer.init(theta)
    batches = minibatches(objective.n_examples, min(batch_size, objective.n_examples), rng)
    losses = [objective.loss(theta)]
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            theta, state = optimizer.step(theta, state, Oracle(objective, next(batches)))
            if k % every == 0:
                losses.append(objective.loss(theta))
    return theta, np.array(losses)


def greedy_supervised_pretraining(X, y, hidden, activation: str = "tanh",
                                  loss: str = "softmax", n_classes: int | None = None,
                                  steps_per_layer: int = 200, fine_tune_steps: int = 0,
                                  optimizer=None, batch_size: int = 64, seed: int = 0,
                                  scheme: str = "glorot", every: int = 10) -> Pretrained:
    """Train the MLP X → hidden[0] → … → hidden[-1] → outputs one hidden layer per stage
    (``steps_per_layer`` steps each), then jointly for ``fine_tune_steps`` steps.

    ``optimizer``: any optimizer of ``course_lib.optim`` (default momentum, ε = 0.05,
    α = 0.9); ``scheme``: the initialization of each stage's new layers; ``seed`` draws the
    starts and the minibatches.
    """
    hidden = (hidden,) if np.isscalar(hidden) else tuple(hidden)
    if not hidden:
        raise ValueError("hidden must hold at least one layer width")
    steps_per_layer = check_int("steps_per_layer", steps_per_layer, minimum=1)
    fine_tune_steps = check_int("fine_tune_steps", fine_tune_steps, minimum=0)
    optimizer = Momentum(lr=0.05, alpha=0.9) if optimizer is None else optimizer
    rng = np.random.default_rng(seed)
    deep = MLP(X, y, hidden=hidden, activation=activation, loss=loss, n_classes=n_classes)
    features, kept, stage_losses, output = deep.X, [], [], None
    for width in hidden:                                   # one stage per hidden layer
        shallow = MLP(features, y, hidden=(width,), activation=activation, loss=loss,
                      n_classes=deep.sizes[-1] if loss == "softmax" else None)
        theta0 = init_mlp(shallow, scheme, rng=int(rng.integers(1 << 31)))
        theta, losses = train_steps(shallow, theta0, optimizer, steps_per_layer, batch_size,
                                    rng, every)
        stage_losses.append(losses)
        (W, b), output = shallow.unpack(theta)
        kept.append((W.copy(), b.copy()))
        features = shallow.forward_pass(theta)[1][1]       # h⁽ᵏ⁾(x): the next stage's input
    theta = greedy_theta = deep.pack(kept + [tuple(np.copy(p) for p in output)])
    fine = None
    if fine_tune_steps:
        theta, fine = train_steps(deep, theta, optimizer, fine_tune_steps, batch_size, rng,
                                  every)
    return Pretrained(theta, deep, stage_losses, fine,
                      steps_per_layer * len(hidden) + fine_tune_steps, greedy_theta)
