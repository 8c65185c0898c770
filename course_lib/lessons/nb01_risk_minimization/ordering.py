"""Notebook 01, §5: why shuffle (8.1.3). The digits 3 and 8 as a data set might be stored:
every 3 first, then every 8.

``compute_ordering``: the minibatch gradients at θ = 0 of consecutive slices of the stored
order against a shuffled order (their RMS error against the full gradient, beside σ/√b with
the finite-population factor), and SGD for a few epochs on the three orders of
``minibatch_stats.stream_batches``: the training loss and 0-1 error at the end of every epoch.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...data import digits
from ...minibatch_stats import (
    gradient_spread,
    per_example_gradients,
    run_on_batches,
    standard_error,
    stream_batches,
)
from ...objectives import LogisticRegression, add_bias
from ...optim import SGD

PALETTE = plotting.PALETTE
ORDERS = ("as given", "shuffle once", "shuffled")


def sorted_task() -> LogisticRegression:
    """Logistic regression on the digits 3 (label 0) and 8 (label 1), sorted by label."""
    split = digits(classes=(3, 8))
    order = np.argsort(split.y_train, kind="stable")
    return LogisticRegression(add_bias(split.X_train[order]), split.y_train[order])


def compute_ordering(batch_size: int = 20, epochs: int = 5, lr: float = 0.5,
                     seed: int = 0) -> dict:
    f = sorted_task()
    n = f.n_examples
    theta0 = np.zeros(f.dim)
    rows = per_example_gradients(f, theta0)
    g = rows.mean(axis=0)
    theory = (gradient_spread(rows) / np.sqrt(batch_size)
              * np.sqrt((n - batch_size) / (n - 1)))
    errors = {}
    for order in ("as given", "shuffled"):
        batches = stream_batches(n, batch_size, order, epochs=20, rng=seed)
        full = [b for b in batches if len(b) == batch_size]          # equal sizes only
        errors[order] = standard_error([rows[b].mean(axis=0) for b in full], g)
    per_epoch = -(-n // batch_size)
    runs = {}
    for order in ORDERS:
        batches = stream_batches(n, batch_size, order, epochs=epochs, rng=seed)
        run = run_on_batches(f, SGD(lr=lr), theta0, batches)
        ends = np.arange(1, epochs + 1) * per_epoch
        runs[order] = {"losses": run["losses"], "epoch_loss": run["losses"][ends],
                       "epoch_error": np.array([f.zero_one_loss(run["thetas"][k])
                                                for k in ends]),
                       "last_batch_labels": f.y[batches[-1]]}
    return {"n": n, "batch_size": batch_size, "epochs": epochs, "lr": lr,
            "per_epoch": per_epoch, "errors": errors, "theory": float(theory),
            "grad_norm": float(np.linalg.norm(g)), "runs": runs,
            "share_8": float(f.y.mean())}


def report_ordering(r: dict) -> str:
    b = r["batch_size"]
    lines = [f"digits 3 and 8 stored by class ({r['n']} images: the 3s, then the 8s); "
             f"minibatches of {b} consecutive images",
             f"RMS error of the minibatch gradient at θ = 0 (‖g‖ = {r['grad_norm']:.3f}): "
             f"stored order {r['errors']['as given']:.3f}, shuffled "
             f"{r['errors']['shuffled']:.3f}, σ/√b·√((n − b)/(n − 1)) = {r['theory']:.3f}",
             f"SGD, ε = {r['lr']:g}, {r['epochs']} epochs: training loss (0-1 error) at the "
             "end of each epoch"]
    for order, run in r["runs"].items():
        cells = "  ".join(f"{loss:.3f} ({err:.0%})" for loss, err in
                          zip(run["epoch_loss"], run["epoch_error"], strict=True))
        lines.append(f"{order:>13}: {cells}")
    return "\n".join(lines)


def figure_ordering(r: dict):
    fig = plotting.figure(figsize=(11.0, 4.4))
    with plotting.style():
        ax = fig.add_subplot()
        for i, (order, run) in enumerate(r["runs"].items()):
            epochs = np.arange(len(run["losses"])) / r["per_epoch"]
            ax.plot(epochs, run["losses"], color=PALETTE[i], marker=plotting.MARKERS[i],
                    markevery=r["per_epoch"], label=order)
        for e in range(1, r["epochs"]):
            ax.axvline(e, color="grey", linewidth=0.8, linestyle=":")
        ax.set_ylim(0.0, 2.0)
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss J(θ)")
        ax.set_title("SGD on a data set stored by class")
        ax.legend(loc="upper right")
    return fig
