"""Notebook 01, §3: early stopping (8.1.3, Algorithm 7.1) on digits, a figure like the book's 7.3.

A network with one hidden layer of 32 tanh units, trained by SGD (ε = 0.1, minibatches of 16)
to tell a 1 from an 8 (``data.digits``, 60/20/20 split); the validation loss is measured once
per epoch. The full run goes on for ``EPOCHS`` epochs; early stopping with a patience of p
evaluations halts p epochs after the best one and returns its parameters.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ..common.cache import cached
from .early_stop_run import BATCH, EPOCHS, LR, PAIR, full_run, run, steps_per_epoch, task

PALETTE = plotting.PALETTE


@cached
def compute_early_stopping(patience: int = 10, seed: int = 0) -> dict:
    """The full run's curves per epoch, and early stopping with ``patience`` on the same run."""
    full = full_run(seed)
    stopped = run(patience, seed)
    net = task()[0]
    n = steps_per_epoch()
    best_epoch, stop_epoch = stopped.best_step // n, stopped.stopped_step // n
    return {"patience": patience, "seed": seed, "epochs": EPOCHS, "pair": PAIR,
            "m": net.n_examples, "steps_per_epoch": n,
            "train": full.train_losses, "val": full.val_losses,
            "full_best_epoch": int(np.argmin(full.val_losses)) + 1,
            "full_best": float(full.val_losses.min()), "final_val": float(full.val_losses[-1]),
            "final_train": float(full.train_losses[-1]),
            "best_epoch": best_epoch, "stop_epoch": stop_epoch,
            "best_val": stopped.best_value, "stop_reason": stopped.stop_reason,
            "train_at_best": float(full.train_losses[best_epoch - 1]),
            "train_at_stop": float(full.train_losses[stop_epoch - 1]),
            "grad_at_best": float(np.linalg.norm(net.grad(stopped.theta))),
            "grad_at_end": float(np.linalg.norm(net.grad(full.trace.theta)))}


def report_early_stopping(r: dict) -> str:
    a, b = r["pair"]
    return "\n".join([
        f"digits {a} against {b}: {r['m']} training images, minibatches of {BATCH}, ε = {LR:g},"
        f" {r['steps_per_epoch']} steps per epoch; validation loss once per epoch",
        f"full run, {r['epochs']} epochs: the validation loss is lowest at epoch "
        f"{r['full_best_epoch']} ({r['full_best']:.4f}) and ends at {r['final_val']:.4f}; "
        f"training loss at the end {r['final_train']:.5f}",
        f"early stopping, patience {r['patience']}: best epoch {r['best_epoch']} "
        f"(validation {r['best_val']:.4f}), halted after epoch {r['stop_epoch']}",
        f"training loss still falling when it halted: {r['train_at_best']:.4f} at the best "
        f"epoch, {r['train_at_stop']:.4f} at the halt, {r['final_train']:.5f} at the end",
        f"‖∇J‖ on the training set: {r['grad_at_best']:.3f} at the returned θ*, "
        f"{r['grad_at_end']:.4f} at the end of the full run"])


def figure_early_stopping(r: dict):
    fig = plotting.figure(figsize=(11.0, 4.8))
    with plotting.style():
        ax = fig.add_subplot()
        epochs = np.arange(1, len(r["val"]) + 1)
        ax.plot(epochs, r["train"], color=PALETTE[0], marker="o", markevery=10,
                label="training loss")
        ax.plot(epochs, r["val"], color=PALETTE[1], marker="s", markevery=10,
                label="validation loss")
        ax.axvspan(r["best_epoch"], r["stop_epoch"], color=PALETTE[2], alpha=0.15,
                   label=f"patience: {r['patience']} epochs without improvement")
        ax.plot([r["best_epoch"]], [r["best_val"]], marker="*", markersize=20, color="black",
                linestyle="none", label=f"returned θ* (epoch {r['best_epoch']})")
        ax.axvline(r["stop_epoch"], color=PALETTE[2], linewidth=1.6)
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("negative log-likelihood")
        ax.set_title("early stopping: halt while the training loss still falls")
        ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.62))   # under the validation curve
    return fig
