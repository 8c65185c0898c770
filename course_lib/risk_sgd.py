"""Minibatch SGD on the polynomial task of ``course_lib.risk``, on several training sets at once.

What the notebook's explorer runs: Algorithm 8.1 on the squared loss of a degree-d polynomial,
vectorized over independent draws of the training set, with the empirical risk J and the true
risk J* (exact, ``PolynomialTask.true_risk``) recorded along the way. The step size adapts to
the batch size (``batch_lr``), so every setting is stable without tuning.
"""

from __future__ import annotations

import numpy as np

from .risk import PolynomialTask, _seed
from .validation import check_int


def batch_lr(features: np.ndarray, batch_size: int) -> float:
    """A step size that is stable for minibatches of ``batch_size`` examples of least squares:
    ε(b) = b / (β + (b − 1) λ₁), with β = maxᵢ ‖φ(x⁽ⁱ⁾)‖² and λ₁ the largest eigenvalue of
    the Hessian ΦᵀΦ/m (Ma, Bassily & Belkin 2018). b = 1 gives 1/β, which no single example
    can make unstable; b = m gives about 1/λ₁, gradient descent's safe rate."""
    m = features.shape[0]
    beta = float(np.max(np.sum(features * features, axis=1)))
    lam1 = float(np.linalg.eigvalsh(features.T @ features / m)[-1])
    return batch_size / (beta + (batch_size - 1) * lam1)


def sgd_risk_curves(task: PolynomialTask, m: int, degree: int, batch_size: int | None,
                    updates: int = 1500, draws: int = 5, seed=0, record_every: int = 15) -> dict:
    """Algorithm 8.1 (minibatch SGD, θ₀ = 0, ε = ``batch_lr``) on ``draws`` training sets of
    m examples at once; the empirical and the true risk every ``record_every`` updates.

    ``batch_size`` None (or ≥ m) is the whole training set: gradient descent. Minibatches are
    consecutive slices of a new random order every epoch, as in ``run.minibatches``.
    Returns ``steps`` (records,), ``train`` and ``true`` (draws, records), the final ``theta``
    (draws, d + 1), ``lr`` (draws,), the data ``x``, ``y`` (draws, m) and ``epochs`` (passes
    over the training set, ⌈m/b⌉ updates each).
    """
    m, degree = check_int("m", m, minimum=1), check_int("degree", degree, minimum=0)
    updates = check_int("updates", updates, minimum=1)
    record_every = check_int("record_every", record_every, minimum=1)
    b = m if batch_size is None else min(check_int("batch_size", batch_size, minimum=1), m)
    x, y = task.samples(m, draws, seed)
    phi = task.features(x, degree)                                   # (draws, m, p)
    H = np.einsum("rmp,rmq->rpq", phi, phi) / m                      # Hessian of J, per draw
    q = np.einsum("rmp,rm->rp", phi, y) / m                          # Φᵀy/m
    half_y2 = 0.5 * np.mean(y * y, axis=1)
    lr = np.array([batch_lr(phi[r], b) for r in range(len(phi))])
    rows = np.arange(len(phi))[:, None]
    rng = np.random.default_rng([_seed(seed), m, b])
    theta = np.zeros((len(phi), degree + 1))

    def empirical(theta):      # J(θ) = ½θᵀHθ − θᵀq + ½ mean y², without touching the data
        return 0.5 * np.einsum("rp,rpq,rq->r", theta, H, theta) - np.sum(theta * q, 1) + half_y2

    steps, train, true = [0], [empirical(theta)], [task.true_risk(theta)]
    start = m
    for k in range(1, updates + 1):
        if b == m:
            g = (H @ theta[:, :, None])[:, :, 0] - q                     # the whole training set
        else:
            if start >= m:                                           # a new epoch, a new order
                order = np.argsort(rng.random(phi.shape[:2]), axis=1)
                phi_epoch, y_epoch, start = phi[rows, order], y[rows, order], 0
            phi_b = phi_epoch[:, start:start + b]                    # sample a minibatch
            residual = (phi_b @ theta[:, :, None])[:, :, 0] - y_epoch[:, start:start + b]
            g = (residual[:, None, :] @ phi_b)[:, 0] / phi_b.shape[1]   # g ← (1/b) Σ ∇L
            start += b
        theta = theta - lr[:, None] * g                              # θ ← θ − ε g
        if k % record_every == 0 or k == updates:
            steps.append(k)
            train.append(empirical(theta))
            true.append(task.true_risk(theta))
    return {"m": m, "degree": degree, "batch_size": b, "updates": updates,
            "steps": np.array(steps), "train": np.array(train).T, "true": np.array(true).T,
            "theta": theta, "lr": lr, "x": x, "y": y, "epochs": updates / -(-m // b)}
