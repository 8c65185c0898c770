"""Notebook 01, §2: surrogate losses (8.1.2), and what the logistic loss does after the
training 0-1 error reaches zero.

``compute_margin_losses``: the four losses of the margin and their slopes. ``compute_separable``:
gradient descent with the logistic and the hinge loss on 40 examples of
``risk.GaussianClasses``, whose true 0-1 risk is exact. ``compute_digits``: the same on
the digits 3 and 8 (30 % of the images to train, 70 % to test). ``compute_pair_scan``: the
logistic run on all 45 pairs of digits at once, counting the test errors when the training
error first reaches 0 and at the end.
"""

from __future__ import annotations

import itertools

import numpy as np

from ... import plotting
from ...data import digits
from ...objectives import add_bias
from ...objectives.regression import _sigmoid
from ...objectives.surrogate import margin_loss, margin_loss_derivative, train_classifier
from ...optim import SGD
from ...risk import GaussianClasses
from ..common.cache import cached

PALETTE = plotting.PALETTE
LOSSES = ("zero_one", "logistic", "hinge", "squared")
LABELS = {"zero_one": "0-1", "logistic": "logistic (NLL)", "hinge": "hinge",
          "squared": "squared"}
TABLE_Z = (-1.0, 0.0, 0.5, 1.0, 2.0, 4.0)
FRACTIONS = (0.3, 0.0, 0.7)


def compute_margin_losses(z=TABLE_Z) -> dict:
    grid = np.linspace(-2.0, 3.0, 501)
    return {"z": np.array(z), "grid": grid,
            "values": {n: margin_loss(n, np.array(z)) for n in LOSSES},
            "slopes": {n: margin_loss_derivative(n, np.array(z)) for n in LOSSES},
            "curves": {n: margin_loss(n, grid) for n in LOSSES},
            "curve_slopes": {n: margin_loss_derivative(n, grid) for n in LOSSES}}


def report_margin_losses(r: dict) -> str:
    head = f"{'margin z':>16} " + " ".join(f"{z:7g}" for z in r["z"])
    lines = [head]
    for n in LOSSES:
        lines.append(f"{LABELS[n] + ' L':>16} " + " ".join(f"{v:7.3f}" for v in r["values"][n]))
        lines.append(f"{'dL/dz':>16} " + " ".join(f"{v + 0.0:7.3f}" for v in r["slopes"][n]))
    return "\n".join(lines)


def figure_margin_losses(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.4))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        for i, n in enumerate(LOSSES):
            style = dict(color=PALETTE[i], label=LABELS[n], linewidth=2.6 if i == 0 else 2.2,
                         marker=plotting.MARKERS[i], markevery=(10 * i, 50))
            left.plot(r["grid"], r["curves"][n], **style)
            right.plot(r["grid"], r["curve_slopes"][n], **style)
        left.set_ylim(-0.1, 3.5)
        right.set_ylim(-3.0, 1.0)
        left.set_title("loss L(z) of the margin z = ỹ f(x)")
        right.set_title("its slope dL/dz (what a gradient sees)")
        for ax in (left, right):
            ax.axvline(0.0, color="black", linewidth=1.0)
            ax.set_xlabel("margin z")
        left.legend(loc="upper right")
    return fig


# --- separable synthetic data ------------------------------------------------------------------
CLASSES = GaussianClasses()
SEPARABLE_LR = {"logistic": 1.0, "hinge": 0.3}


def _summary(run: dict, errors: np.ndarray) -> dict:
    """k₀ (the first step with no training error), errors there, at the end and their least;
    the step at which the gradient became exactly 0 (the run froze), if it did."""
    k0 = int(np.argmax(run["train_error"] == 0)) if np.any(run["train_error"] == 0) else None
    norms = run["trace"].grad_norms
    frozen = int(np.argmax(norms == 0)) if np.any(norms == 0) else None
    return {"k0": k0, "at_k0": None if k0 is None else float(errors[k0]),
            "end": float(errors[-1]), "least_after": None if k0 is None else
            float(errors[k0:].min()), "frozen": frozen, "errors": errors,
            "train_error": run["train_error"], "min_margin": run["min_margin"],
            "norm": run["norm"], "theta": run["trace"].thetas, "loss": run["surrogate"]}


@cached
def compute_separable(m: int = 40, seed: int = 0, steps: int = 3000) -> dict:
    """Logistic and hinge loss by gradient descent from θ = 0; the exact true 0-1 risk."""
    X, y = CLASSES.sample(m, seed=seed)
    runs = {}
    for name, lr in SEPARABLE_LR.items():
        run = train_classifier(add_bias(X), y, name, SGD(lr=lr), steps)
        runs[name] = _summary(run, CLASSES.error_rate(run["trace"].thetas))
    stuck = train_classifier(add_bias(X), y, "zero_one", SGD(lr=1.0), 10)
    return {"X": X, "y": y, "m": m, "steps": steps, "runs": runs, "lr": SEPARABLE_LR,
            "bayes": CLASSES.bayes_error, "bayes_direction": CLASSES.bayes_direction,
            "zero_one_moved": bool(np.any(stuck["trace"].thetas != 0))}


def report_separable(r: dict) -> str:
    lines = [f"{r['m']} examples of two long thin Gaussian classes, gradient descent from θ = 0, "
             f"{r['steps']} steps; Bayes error {r['bayes']:.2e}",
             f"{'loss':>9} {'ε':>4} {'k₀':>4} {'true 0-1 at k₀':>15} {'at the end':>11} "
             f"{'min margin':>11} {'‖θ‖':>6}  gradient exactly 0"]
    for name, run in r["runs"].items():
        frozen = "never" if run["frozen"] is None else f"from step {run['frozen']}"
        lines.append(f"{name:>9} {r['lr'][name]:4g} {run['k0']:4d} {run['at_k0']:15.2e} "
                     f"{run['end']:11.2e} {run['min_margin'][-1]:11.2f} "
                     f"{run['norm'][-1]:6.2f}  {frozen}")
    moved = "moved" if r["zero_one_moved"] else "never moved: its gradient is 0"
    lines.append(f"(k₀: the first step with training 0-1 error 0.) Gradient descent on the "
                 f"0-1 loss itself {moved}.")
    return "\n".join(lines)


def figure_separable(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.8))
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.2])
        X, y = r["X"], r["y"]
        for label, marker, color in ((0, "o", PALETTE[5]), (1, "s", PALETTE[1])):
            pts = X[y == label]
            left.plot(pts[:, 0], pts[:, 1], marker, color=color, markersize=6,
                      linestyle="none", label=f"class {label}")
        xs = np.array([-4.0, 4.0])
        logistic = r["runs"]["logistic"]
        lines = [("logistic at k₀", logistic["theta"][logistic["k0"]], PALETTE[3], ":"),
                 ("logistic at the end", logistic["theta"][-1], PALETTE[3], "-"),
                 ("Bayes", np.append(r["bayes_direction"], 0.0), "black", "--")]
        for label, theta, color, style in lines:
            w1, w2, b = theta
            left.plot(xs, -(w1 * xs + b) / w2, color=color, linestyle=style, marker="none",
                      label=label)
        left.set_xlim(-4, 4)
        left.set_ylim(-3, 3)
        left.set_xlabel("x₁")
        left.set_ylabel("x₂")
        left.legend(loc="lower right", fontsize=10)
        left.set_title("decision boundaries")
        for i, (name, run) in enumerate(r["runs"].items()):
            k = np.arange(len(run["errors"]))
            right.plot(k[1:], run["errors"][1:], color=PALETTE[3 + 2 * i],
                       marker=plotting.MARKERS[i], markevery=0.1, label=f"{name}: true 0-1")
            right.axvline(run["k0"], color=PALETTE[3 + 2 * i], linestyle=":", linewidth=1.4)
        right.axhline(r["bayes"], color="black", linestyle="--", linewidth=1.2, label="Bayes")
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlabel("step k (dotted: k₀, training 0-1 error reaches 0)")
        right.set_ylabel("true 0-1 error")
        right.set_title("after k₀ the training 0-1 error stays 0")
        right.legend(loc="upper right", fontsize=11)
    return fig


# --- digits --------------------------------------------------------------------------------------
DIGITS_LR = {"logistic": 2.0, "hinge": 0.5}


@cached
def compute_digits(pair=(3, 8), steps: int = 4000, seed: int = 0) -> dict:
    """Logistic and hinge loss on two digits: 30 % of the images to train, 70 % to test."""
    split = digits(classes=pair, fractions=FRACTIONS, seed=seed)
    X, Xt = add_bias(split.X_train), add_bias(split.X_test)
    runs = {}
    for name, lr in DIGITS_LR.items():
        run = train_classifier(X, split.y_train, name, SGD(lr=lr), steps, Xt, split.y_test)
        runs[name] = _summary(run, np.rint(run["test_error"] * len(split.y_test)))
    return {"pair": tuple(pair), "m": len(split.y_train), "n_test": len(split.y_test),
            "steps": steps, "runs": runs, "lr": DIGITS_LR}


def report_digits(r: dict) -> str:
    a, b = r["pair"]
    lines = [f"digits {a} against {b}: {r['m']} training and {r['n_test']} test images, "
             f"{r['steps']} steps of gradient descent from θ = 0",
             f"{'loss':>9} {'k₀':>4} {'test errors at k₀':>18} {'at the end':>11} "
             f"{'fewest after k₀':>16}  gradient exactly 0"]
    for name, run in r["runs"].items():
        frozen = "never" if run["frozen"] is None else f"from step {run['frozen']}"
        lines.append(f"{name:>9} {run['k0']:4d} {run['at_k0']:18.0f} {run['end']:11.0f} "
                     f"{run['least_after']:16.0f}  {frozen}")
    return "\n".join(lines)


@cached
def compute_pair_scan(steps: int = 2000, lr: float = 2.0, seed: int = 0) -> dict:
    """Logistic-loss gradient descent on all 45 pairs of digits at once (one batched loop):
    for each pair, the test errors at k₀ and after ``steps`` steps."""
    pairs = list(itertools.combinations(range(10), 2))
    splits = [digits(classes=p, fractions=FRACTIONS, seed=seed) for p in pairs]
    n = max(len(s.y_train) for s in splits)
    X = np.zeros((len(pairs), n, 65))
    y = np.zeros((len(pairs), n))
    weight = np.zeros((len(pairs), n))          # 1/m on real examples, 0 on the padding
    for i, s in enumerate(splits):
        X[i, :len(s.y_train)], y[i, :len(s.y_train)] = add_bias(s.X_train), s.y_train
        weight[i, :len(s.y_train)] = 1.0 / len(s.y_train)
    theta = np.zeros((len(pairs), 65))
    k0, theta_k0 = np.full(len(pairs), -1), np.zeros_like(theta)
    for k in range(steps + 1):
        z = np.matmul(X, theta[:, :, None])[..., 0]
        wrong = np.sum(((z > 0) != (y == 1)) * weight, axis=1)
        first = (wrong == 0) & (k0 < 0)
        k0[first], theta_k0[first] = k, theta[first]
        if k < steps:                           # θ ← θ − ε (1/m) Xᵀ(σ(z) − y)
            theta = theta - lr * np.matmul(((_sigmoid(z) - y) * weight)[:, None, :], X)[:, 0]
    at_k0, end = [], []
    for i, s in enumerate(splits):
        Xt = add_bias(s.X_test)
        at_k0.append(int(np.sum((Xt @ theta_k0[i] > 0) != (s.y_test == 1))))
        end.append(int(np.sum((Xt @ theta[i] > 0) != (s.y_test == 1))))
    at_k0, end = np.array(at_k0), np.array(end)
    return {"pairs": pairs, "k0": k0, "at_k0": at_k0, "end": end, "steps": steps,
            "fell": int(np.sum(end < at_k0)), "rose": int(np.sum(end > at_k0)),
            "same": int(np.sum(end == at_k0)), "separated": int(np.sum(k0 >= 0)),
            "n_test": int(sum(len(s.y_test) for s in splits))}


def report_pair_scan(r: dict) -> str:
    rose = ", ".join(f"{a}-{b}" for (a, b), e0, e1 in zip(r["pairs"], r["at_k0"], r["end"],
                                                         strict=True) if e1 > e0)
    return (f"all 45 pairs of digits, logistic loss, {r['steps']} steps: {r['separated']} "
            f"training sets separated (training 0-1 error 0)\n"
            f"test errors summed over the pairs ({r['n_test']} test images): "
            f"{r['at_k0'].sum()} at k₀, {r['end'].sum()} at the end\n"
            f"after k₀ the test error fell on {r['fell']} pairs, stayed on {r['same']}, "
            f"rose on {r['rose']} ({rose})")
