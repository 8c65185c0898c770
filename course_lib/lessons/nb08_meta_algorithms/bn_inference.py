"""Notebook 08, §3: batch norm at test time, and the mistakes made there.

The batch-normed network of §2 (weights × 1, seed 0) after training, with the running
averages of μ and σ collected during training. Validation accuracy when it is evaluated

- in inference mode with the running averages (the right way);
- in inference mode with the statistics of the whole training set (the "population"
  statistics: the running averages should be close to them);
- in training mode, the whole validation set as one batch (it works here, but every
  prediction then depends on which other examples share the batch);
- in training mode, one example at a time (each example normalized by itself: every unit's
  output is β, and the network gives every example the same answer);
- in inference mode with running averages that were never updated (μ̄ = 0, σ̄ = 1).
"""

from __future__ import annotations

import numpy as np

from .task import accuracy, digits_task, one_thread


@one_thread
def compute_bn_inference(bn_runs: dict) -> dict:
    from .bn_training import deep_net

    net = deep_net(True)
    run = bn_runs["runs"][(1.0, True)]["last_run"]
    theta, running = run["theta"], run["running"]
    task = digits_task()
    X, y = task["X_val"], task["y_val"]
    population = net.batch_statistics(theta, task["X_train"])
    never = [(np.zeros_like(mu), np.ones_like(sigma)) for mu, sigma in running]
    one_by_one = np.vstack([net.predict(theta, X[i:i + 1]) for i in range(len(X))])
    answers = np.argmax(one_by_one, axis=1)
    shifted = net.predict(theta, np.vstack([X[:1], X[y == y[0]][:31]]))[0]
    alone_in_mixed = net.predict(theta, X[:32])[0]
    gap = max(float(np.max(np.abs(mu_r - mu_p))) for (mu_r, _), (mu_p, _)
              in zip(running, population, strict=True))
    return {
        "running": accuracy(net, theta, X, y, stats=running),
        "population": accuracy(net, theta, X, y, stats=population),
        "train_batch": accuracy(net, theta, X, y),
        "train_one": float(np.mean(answers == y)),
        "distinct_one": int(len(np.unique(answers))),
        "never": accuracy(net, theta, X, y, stats=never),
        "batch_effect": float(np.max(np.abs(shifted - alone_in_mixed))),
        "running_gap": gap, "n_val": len(y)}


def report_bn_inference(r: dict) -> str:
    return "\n".join([
        f"validation accuracy of the batch-normed network ({r['n_val']} examples):",
        f"  inference mode, running averages               {r['running']:6.1%}",
        f"  inference mode, whole-training-set statistics  {r['population']:6.1%}",
        f"  training mode, the validation set as one batch {r['train_batch']:6.1%}",
        f"  training mode, one example at a time           {r['train_one']:6.1%}  "
        f"({r['distinct_one']} different answer(s) in all)",
        f"  inference mode, running averages never updated {r['never']:6.1%}",
        f"largest |μ̄ − μ_population| over the layers: {r['running_gap']:.3f}",
        f"training mode: one example's class probabilities change by up to "
        f"{r['batch_effect']:.3f} when its batch-mates change"])
