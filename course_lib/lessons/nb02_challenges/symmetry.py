"""Notebook 02, §2: weight-space symmetry (section 8.2.2, "local minima").

Swap two hidden units of a network (their incoming weights, biases and outgoing weights
together) and the function it computes does not change; with tanh, flipping the signs of
one unit's incoming weights, bias and outgoing weight does not change it either. So every
parameter vector has n!·2ⁿ copies with the same loss: a network has many minima of equal
value, which is why they are not a problem in themselves (model identifiability).
"""

from __future__ import annotations

import math

import numpy as np

from ...optim import SGD
from ...run import minimize
from .ill_conditioning import digits_network


def permute_hidden(net, theta, order, signs=None) -> np.ndarray:
    """θ with the hidden units of a one-hidden-layer ``net`` reordered by ``order`` and
    (optionally) unit i's weights multiplied by ``signs[i]`` = ±1 (tanh is odd)."""
    (W1, b1), (W2, b2) = net.unpack(theta)
    order = np.asarray(order)
    signs = np.ones(len(order)) if signs is None else np.asarray(signs, dtype=float)
    return net.pack([(W1[:, order] * signs, b1[order] * signs),
                     (W2[order] * signs[:, None], b2)])


def compute_symmetry(n_copies: int = 200, train_steps: int = 300, seed: int = 0) -> dict:
    """Train the digits network a little, then make ``n_copies`` random permuted and
    sign-flipped copies of θ: the largest loss difference, and how far apart they are."""
    net = digits_network(seed=seed)
    theta = minimize(net, SGD(lr=0.5), net.init_theta(rng=seed), train_steps,
                     warn=False).theta
    rng = np.random.default_rng(seed)
    J = net.loss(theta)
    n = net.hidden[0]
    diffs, distances = [], []
    for _ in range(n_copies):
        copy = permute_hidden(net, theta, rng.permutation(n), rng.choice([-1.0, 1.0], n))
        diffs.append(abs(net.loss(copy) - J))
        distances.append(np.linalg.norm(copy - theta))
    return {"loss": J, "n_hidden": n, "n_copies": n_copies, "max_diff": float(max(diffs)),
            "min_distance": float(min(distances)), "theta_norm": float(np.linalg.norm(theta)),
            "n_equivalent": math.factorial(n) * 2 ** n}


def report_symmetry(r: dict) -> str:
    return "\n".join([
        f"J(θ) = {r['loss']:.6f} after training; {r['n_copies']} random copies with the "
        f"{r['n_hidden']} hidden units permuted and sign-flipped",
        f"largest |J(copy) − J(θ)| = {r['max_diff']:.1e} (rounding)",
        f"closest copy: ‖copy − θ‖ = {r['min_distance']:.2f}, with ‖θ‖ = "
        f"{r['theta_norm']:.2f}: far apart in weight space",
        f"points with exactly this loss: {r['n_hidden']}!·2^{r['n_hidden']} = "
        f"{r['n_equivalent']:.3e}",
    ])
