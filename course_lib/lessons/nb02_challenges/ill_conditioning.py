"""Notebook 02, §1: ill-conditioning on a real network (section 8.2.2, the book's figure 8.1).

A small tanh network learns to tell 3s from 8s in the 8×8 digits, by full-batch gradient
descent with a fixed ε. A fifth of the training labels are flipped (seeded), so that the
network has something hard to fit for a long time, as on a large real task; without that
the two digits are separated in a few dozen steps and the gradient simply dies away.
Along the run we measure, at every step, the two terms of the second-order change of the
loss, −εgᵀg + ½ε²gᵀHg (one Hessian-vector product each), beside the actual change.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...data import digits
from ...hessian_tools import second_order_terms
from ...objectives import MLP
from ...optim import SGD
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE

CLASSES = (3, 8)
NOISE = 0.2
HIDDEN = 16
LR = 0.25
STEPS = 1000
LATE = 200          # "late in training": the last LATE steps


def digits_network(classes=CLASSES, noise: float = NOISE, hidden: int = HIDDEN,
                   seed: int = 0) -> MLP:
    """The binary digits task with a share ``noise`` of the training labels flipped."""
    split = digits(classes=classes, seed=seed)
    y = split.y_train.astype(float)
    flip = np.random.default_rng(seed).random(len(y)) < noise
    y[flip] = 1.0 - y[flip]
    return MLP(split.X_train, y, hidden=(hidden,), activation="tanh", loss="logistic")


@cached
def compute_ill_conditioning(lr: float = LR, steps: int = STEPS, seed: int = 0) -> dict:
    """Gradient descent on the digits network; the Taylor terms of every step.

    ``ratio`` = ½ε²gᵀHg / εgᵀg per step: the share of the first-order gain that the
    curvature term takes back (above 1 the quadratic model says the step raises J).
    """
    net = digits_network(seed=seed)
    trace = minimize(net, SGD(lr=lr), net.init_theta(rng=seed), steps, warn=False)
    terms = second_order_terms(net, trace)
    ratio = terms["second"] / terms["eps_gg"]
    g = trace.grad_norms
    k_low = int(np.argmin(g[: steps // 2]))          # where ‖g‖ is smallest early on
    late = slice(steps - LATE, steps)
    k_peak = k_low + int(np.argmax(trace.losses[k_low:]))    # the burst after the quiet start
    return {
        "lr": lr, "steps": steps, "dim": net.dim, "m": net.n_examples, "losses": trace.losses,
        "grad_norms": g, "eps_gg": terms["eps_gg"], "second": terms["second"],
        "actual": terms["actual"], "predicted": terms["predicted"], "ratio": ratio,
        "k_low": k_low, "g_low": float(g[k_low]), "g_end": float(g[-1]),
        "loss_start": float(trace.losses[0]), "loss_low": float(trace.losses[k_low]),
        "loss_end": float(trace.losses[-1]), "k_peak": k_peak,
        "loss_peak": float(trace.losses[k_peak]), "g_peak": float(np.max(g[k_low:])),
        "ratio_late": float(np.median(ratio[late])),
        "rises_late": float(np.mean(terms["actual"][late] > 0)),
        "taylor_error_late": float(np.median(np.abs(terms["predicted"][late]
                                                    - terms["actual"][late])
                                             / np.abs(terms["eps_gg"][late]))),
    }


def report_ill_conditioning(r: dict) -> str:
    lines = [
        f"{r['dim']}-parameter network, {r['m']} training digits, gradient descent with "
        f"ε = {r['lr']:g} for {r['steps']} steps",
        f"{'':22} {'step':>6} {'J(θ)':>8} {'‖∇J(θ)‖':>9}",
        f"{'start':22} {0:6d} {r['loss_start']:8.3f} {r['grad_norms'][0]:9.3f}",
        f"{'smallest gradient':22} {r['k_low']:6d} {r['loss_low']:8.3f} {r['g_low']:9.3f}",
        f"{'highest loss after it':22} {r['k_peak']:6d} {r['loss_peak']:8.3f} "
        f"{r['grad_norms'][r['k_peak']]:9.3f}",
        f"{'end':22} {r['steps']:6d} {r['loss_end']:8.3f} {r['g_end']:9.3f}",
        f"over the last {LATE} steps: median ½ε²gᵀHg / εgᵀg = {r['ratio_late']:.2f}; "
        f"{100 * r['rises_late']:.0f} % of the steps raise J",
        f"second-order prediction vs actual change (last {LATE} steps): median error "
        f"{100 * r['taylor_error_late']:.1f} % of εgᵀg",
    ]
    return "\n".join(lines)


def figure_ill_conditioning(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.8))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        k = np.arange(len(r["losses"]))
        left.plot(k, r["losses"], color=PALETTE[0], marker="none", label="loss J(θ_k)")
        left.plot(k, r["grad_norms"], color=PALETTE[3], marker="none", linewidth=1.4,
                  label="gradient norm ‖∇J(θ_k)‖")
        left.axvline(r["k_low"], color="#555555", linestyle=":", linewidth=1.4)
        left.set_xlabel("step k")
        left.set_title("the loss falls while ‖g‖ grows")
        left.legend(loc="upper right", fontsize=12)
        steps = np.arange(1, len(r["losses"]))
        right.plot(steps, r["eps_gg"], color=PALETTE[0], marker="none", linewidth=1.6,
                   label="first-order gain εgᵀg")
        right.plot(steps, np.clip(r["second"], 1e-12, None), color=PALETTE[1],
                   marker="none", linewidth=1.2, label="curvature cost ½ε²gᵀHg")
        right.set_yscale("log")
        right.set_ylim(1e-9, 10.0)
        right.set_xlabel("step k")
        right.set_title("the curvature term catches up")
        right.legend(loc="lower right", fontsize=12)
    return fig
