"""Notebook 05's tuning challenge, solved with the explorer: a scale at which a deep tanh
network trains.

The network: 20 tanh layers of 32 units, W ~ N(0, s²/m), biases 0, on the digits. The
learner moves the explorer's scale s until the back-propagated gradient reaches the first
layer with about the spread it has at the last one (within a factor 2 either way): then
neither vanishing nor exploding gradients stand in the way of training. The visible check
re-runs the recorded s; the hidden tests run it on other random weights of the same network
(``nearby``) and train the network from it (``check_trainable_scale_trains``).
"""

from __future__ import annotations

import numpy as np

from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import failed, never_raises, passed
from ...common.challenge import Challenge, make_challenge_checks

DEPTH = 20
FACTOR = 2.0
TRAIN_STEPS, TRAIN_TARGET = 150, 0.5


def _factor(result: dict) -> float:
    ratio = result["grad_ratio"]
    return float(max(ratio, 1.0 / ratio)) if ratio > 0 else float("inf")


def _explain(settings: dict, result: dict, value: float) -> str:
    if result["grad_ratio"] < 1.0:
        return (f"the gradient shrinks on its way down: at layer 1 it is {result['grad_ratio']:.3g}"
                f" times its size at layer {DEPTH}. With s = {settings['scale']:.3g} each tanh "
                "layer passes back less than it receives (tanh′ ≤ 1 takes its share too): "
                "raise s.")
    share = 100 * result["stuck"][-1]
    return (f"the gradient grows on its way down, to {result['grad_ratio']:.3g} times its size "
            f"at layer {DEPTH}, and {share:.1f}% of the last layer's units are saturated: s is "
            "too large, lower it.")


SCALE_CHALLENGE = Challenge(
    answer="trainable_scale",
    goal=(f"the gradient's spread at layer 1 within a factor {FACTOR:g} of its spread at "
          f"layer {DEPTH}"),
    compute="course_lib.lessons.nb05_initialization.init_explorer:compute_layers",
    measure=_factor, target=FACTOR,
    fixed={"depth": DEPTH, "activation": "tanh", "scheme": "gaussian"},
    free={"scale": (0.1, 10.0)},
    quantity=f"the factor between the gradient spreads at layers 1 and {DEPTH}",
    explain=_explain,
    nearby=lambda rng: {"seed": int(rng.integers(1, 1000))})
check_trainable_scale, check_trainable_scale_nearby = make_challenge_checks(SCALE_CHALLENGE)


@hidden_check
@never_raises
def check_trainable_scale_trains(answer, seed: int | None = None, runs: int = 2):
    """Train the 20-layer tanh network from the recorded scale (new weights and minibatches
    from ``seed``): the training loss must fall below 0.5 within 150 steps in every run."""
    from ..task import deep_net, start, train  # imported here: the digits load lazily

    seed = current_seed() if seed is None else int(seed)
    settings, problem = SCALE_CHALLENGE.problem_with(answer)
    what = f"training the network from your scale, {TRAIN_STEPS} steps"
    if problem is not None:
        return hidden_result(problem, what, seed)
    scale = float(settings["scale"])
    net = deep_net(DEPTH, 32, "tanh")
    rng = np.random.default_rng(seed)
    finals = []
    for _ in range(runs):
        run_seed = int(rng.integers(1 << 30))
        run = train(net, start(net, "gaussian", run_seed, scale), steps=TRAIN_STEPS,
                    lr=0.02, alpha=0.9, seed=run_seed, every=TRAIN_STEPS)
        finals.append(float(run["losses"][-1]))
    shown = ", ".join(f"{x:.3g}" for x in finals)
    if all(np.isfinite(x) and x < TRAIN_TARGET for x in finals):
        verdict = passed(f"from s = {scale:.3g} the network trains: J = {shown} after "
                         f"{TRAIN_STEPS} steps (target < {TRAIN_TARGET:g}).", losses=finals)
    else:
        verdict = failed(f"from s = {scale:.3g} the network does not train well enough: J = "
                         f"{shown} after {TRAIN_STEPS} steps, the target is < {TRAIN_TARGET:g} "
                         "(it starts at log 10 ≈ 2.3).", losses=finals)
    return hidden_result(verdict, what, seed)
