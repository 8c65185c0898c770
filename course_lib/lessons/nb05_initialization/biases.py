"""Notebook 05, §5: choosing the biases.

- The output bias from the targets' marginal statistics: on the imbalanced task "is this
  digit a 0?" (about 10 % positives), a logistic output with bias b = log(p/(1 − p))
  starts at the loss of the best constant guess, the entropy H(p), instead of log 2.
- ReLU units with bias 0.1 instead of 0: the share of (example, unit) pairs that are active
  at the start, in a deep ReLU network with He weights.
- The LSTM forget gate with bias 1: the share of the cell state kept after t steps at the
  start, σ(b_f)ᵗ.
"""

from __future__ import annotations

import numpy as np

from ...objectives import MLP
from ...strategies.initialization import init_mlp, lstm_forget_bias
from .task import deep_net, digits_task, one_thread, train


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@one_thread
def compute_biases(steps: int = 60, seeds=(0, 1, 2)) -> dict:
    task = digits_task()
    y = (task["y_train"] == 0).astype(float)
    p = float(y.mean())
    net = MLP(task["X_train"], y, hidden=(16,), loss="logistic")
    runs = {}
    for name, marginal in (("output bias 0", False), ("output bias log(p/(1 − p))", True)):
        curves = [train(net, init_mlp(net, "glorot", rng=s, marginal_output_bias=marginal),
                        steps=steps, lr=0.02, alpha=0.9, seed=s, every=10)["losses"]
                  for s in seeds]
        runs[name] = np.mean(curves, axis=0)
    relu = {}
    for kind in ("zero", "relu"):
        deep = deep_net(10, 64, "relu", rows=256)
        back = deep.forward_pass(init_mlp(deep, "he", rng=0, bias=kind))[1]
        relu[kind] = [float(np.mean(back[l] > 0)) for l in (1, 5, 10)]
    forget = {b: [float(_sigmoid(b) ** t) for t in (1, 10, 20)]
              for b in (0.0, float(lstm_forget_bias(1)[1]))}
    return {"p": p, "entropy": float(-p * np.log(p) - (1 - p) * np.log(1 - p)),
            "bias": float(np.log(p / (1 - p))), "steps": steps, "every": 10, "runs": runs,
            "relu": relu, "forget": forget}


def report_biases(r: dict) -> str:
    lines = [f"'is it a 0?': p = {r['p']:.4f} positives, b = log(p/(1 − p)) = {r['bias']:.3f}, "
             f"H(p) = {r['entropy']:.4f}, log 2 = {np.log(2):.4f}; mean over 3 seeds",
             f"{'':28} {'J at step 0':>11} {'10':>7} {'20':>7} {r['steps']:>7}"]
    for name, curve in r["runs"].items():
        lines.append(f"{name:28} {curve[0]:11.4f} {curve[1]:7.4f} {curve[2]:7.4f} "
                     f"{curve[-1]:7.4f}")
    lines.append("deep ReLU network (He weights), share of active units a > 0 in layers 1, 5, 10:")
    for kind, label in (("zero", "bias 0  "), ("relu", "bias 0.1")):
        lines.append(f"  {label}: " + ", ".join(f"{x:.1%}" for x in r["relu"][kind]))
    lines.append("LSTM forget gate, share of the cell state kept after 1, 10, 20 steps, σ(b_f)ᵗ:")
    for b, kept in r["forget"].items():
        lines.append(f"  b_f = {b:g}: " + ", ".join(f"{x:.3g}" for x in kept))
    return "\n".join(lines)
