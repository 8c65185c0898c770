"""Notebook 01: what the explorer computes, without plotting (the tuning challenge re-runs it).

``compute_risk_curves(m, degree, batch_size, seed)``: ``UPDATES`` updates of minibatch SGD
(``risk_sgd.sgd_risk_curves``, the step size set by the batch size) on ``DRAWS`` training sets
of m examples of ``risk.PolynomialTask`` (training sets ``seed``·1000 + 0 … 4), a polynomial of
the given degree; the median training and true risk (over the training sets) along the run,
and the fits on a grid.
"""

from __future__ import annotations

import numpy as np

from ...risk import PolynomialTask
from ...risk_sgd import sgd_risk_curves

TASK = PolynomialTask()
UPDATES, DRAWS, RECORD_EVERY = 1000, 5, 10
SIZES = (10, 15, 20, 30, 40, 60, 100, 150, 200, 300, 500, 1000)
# "all": the whole training set at every step (gradient descent). Not None: a menu whose
# value is None shows no selection in the browser.
BATCHES = (("1", 1), ("4", 4), ("16", 16), ("64", 64), ("all (GD)", "all"))
SEEDS = (0, 1, 2, 3, 4)
GRID = np.linspace(-1.0, 1.0, 161)


def compute_risk_curves(m: int = 40, degree: int = 20, batch_size: int | str | None = "all",
                        seed: int = 0) -> dict:
    """``UPDATES`` updates of minibatch SGD on ``DRAWS`` training sets of m examples;
    ``batch_size`` ``"all"`` (or None) is the whole training set."""
    batch = None if batch_size == "all" else batch_size
    r = sgd_risk_curves(TASK, m, degree, batch, updates=UPDATES, draws=DRAWS, seed=seed,
                        record_every=RECORD_EVERY)
    # medians over the training sets: one unlucky draw (no example near an end of [−1, 1],
    # where a polynomial is free to swing) should not decide what a setting does
    train, true = np.median(r["train"], axis=0), np.median(r["true"], axis=0)
    return {"m": m, "degree": degree, "batch_size": batch_size, "seed": seed,
            "b": r["batch_size"], "epochs": r["epochs"], "steps": r["steps"],
            "train": train, "true": true, "final_train": float(train[-1]),
            "final_true": float(true[-1]), "gap": float(true[-1] - train[-1]),
            "each_true": r["true"][:, -1], "each_train": r["train"][:, -1], "lr": r["lr"],
            "fits": TASK.features(GRID, degree) @ r["theta"].T,
            "x": r["x"][0], "y": r["y"][0], "bayes": TASK.bayes_risk,
            "best": TASK.best_risk(degree)}


def summary_risk_curves(r: dict) -> str:
    batch = "all (gradient descent)" if r["batch_size"] in (None, "all") else str(r["b"])
    head = (f"m = {r['m']}, degree {r['degree']} ({r['degree'] + 1} parameters), minibatch "
            f"{batch}, training sets {r['seed']}·{DRAWS}: {UPDATES} updates = "
            f"{r['epochs']:.4g} epochs, ε ≈ {np.median(r['lr']):.3g}")
    each = ", ".join(f"{v:.3g}" for v in r["each_true"])
    tail = (f"median over the {DRAWS} sets: training risk J = {r['final_train']:.4f}, true risk "
            f"J* = {r['final_true']:.4f} (each: {each}), gap J* − J = {r['gap']:.4f}\n"
            f"Bayes risk {r['bayes']:.4f}; best degree-{r['degree']} risk {r['best']:.4f}")
    return head + "\n" + tail
