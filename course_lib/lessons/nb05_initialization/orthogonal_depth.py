"""Notebook 05, §2: orthogonal starts in a deep linear network (Saxe et al. 2013).

A deep linear network ŷ = x W⁽¹⁾ W⁽²⁾ … W⁽ᵈ⁾ (``MLP`` with ``activation="linear"`` gives
the same function; the data are centred, so its biases would get zero gradient and stay 0,
and the loop below leaves them out) learns a linear map
A: ℝ¹⁶ → ℝ⁴ with singular values from 1 to 2 from 64 whitened inputs. Gradient descent runs
with ε = ε₀/d, the scaling of the rate with depth d that Saxe et al. analyse, from an
orthogonal start (every W⁽ˡ⁾ with all singular values 1) and from a scaled Gaussian one
(W ~ N(0, 1/m): the same variance). Measured: the steps until the loss falls below 1 % of
its initial value, and how far the product W⁽¹⁾…W⁽ᵈ⁾ of the hidden layers is from
preserving norms (the ratio of its largest to its smallest singular value).
"""

from __future__ import annotations

import functools

import numpy as np

from ... import plotting
from ...objectives import MLP
from ...strategies.initialization import init_mlp
from ..common.cache import cached
from .task import one_thread

N_IN, N_OUT, M = 16, 4, 64
DEPTHS = (2, 5, 10, 20, 30)
SEEDS = (0, 1, 2, 3, 4)
LR0 = 0.3
TOL = 0.01
MAX_STEPS = 1000


@functools.cache
def linear_task(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(X, Y): 64 centred, whitened inputs (XᵀX/m = I) and Y = X A."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((M, N_IN))
    X -= X.mean(axis=0)
    U, _, _ = np.linalg.svd(X, full_matrices=False)
    X = U * np.sqrt(M)                                 # XᵀX/m = I
    Q1, _ = np.linalg.qr(rng.standard_normal((N_IN, N_OUT)))
    Q2, _ = np.linalg.qr(rng.standard_normal((N_OUT, N_OUT)))
    A = (Q1 * np.linspace(1.0, 2.0, N_OUT)) @ Q2.T
    return X, X @ A


def _layers(depth: int, scheme: str, seed: int) -> list[np.ndarray]:
    """W⁽¹⁾ … W⁽ᵈ⁾ of the 16 → 16 → … → 16 → 4 network, as ``init_mlp`` draws them."""
    X, Y = linear_task()
    net = MLP(X, Y, hidden=(N_IN,) * (depth - 1), activation="linear")
    return [W.copy() for W, _ in net.unpack(init_mlp(net, scheme, rng=seed))]


def loss_and_grads(Ws, X, Y) -> tuple[float, list[np.ndarray]]:
    """J = (1/2m) Σᵢ ‖ŷ⁽ⁱ⁾ − y⁽ⁱ⁾‖² of ŷ = x W⁽¹⁾…W⁽ᵈ⁾ and [∂J/∂W⁽¹⁾, …]: backpropagation
    through the product, by hand (the MLP's gradient without biases)."""
    m = len(X)
    acts = [X]
    for W in Ws:                                       # a⁽ˡ⁾ = a⁽ˡ⁻¹⁾ W⁽ˡ⁾
        acts.append(acts[-1] @ W)
    delta = (acts[-1] - Y) / m                         # ∂J/∂ŷ
    loss = 0.5 * m * float(np.sum(delta ** 2))
    grads = []
    for l in range(len(Ws) - 1, -1, -1):
        grads.append(acts[l].T @ delta)                # ∂J/∂W⁽ˡ⁾ = a⁽ˡ⁻¹⁾ᵀ δ⁽ˡ⁾
        delta = delta @ Ws[l].T                        # δ⁽ˡ⁻¹⁾ = δ⁽ˡ⁾ W⁽ˡ⁾ᵀ
    return loss, grads[::-1]


def steps_to_learn(depth: int, scheme: str, seed: int, lr0: float = LR0, tol: float = TOL,
                   max_steps: int = MAX_STEPS) -> int | None:
    """Gradient steps with ε = ε₀/d until J < tol·J(θ₀); None if not within ``max_steps``."""
    X, Y = linear_task()
    Ws = _layers(depth, scheme, seed)
    lr, target = lr0 / depth, None
    for k in range(max_steps + 1):
        loss, grads = loss_and_grads(Ws, X, Y)
        target = tol * loss if target is None else target
        if loss < target:
            return k
        Ws = [W - lr * g for W, g in zip(Ws, grads, strict=True)]
    return None


def product_spread(depth: int, scheme: str, seed: int) -> float:
    """σ_max/σ_min of W⁽¹⁾…W⁽ᵈ⁻¹⁾, the square 16 × 16 layers at the start (1: norms kept)."""
    product = np.eye(N_IN)
    for W in _layers(depth, scheme, seed)[:-1]:
        product = product @ W
    s = np.linalg.svd(product, compute_uv=False)
    return float(s[0] / s[-1])


@one_thread
@cached
def compute_depth_speed(depths=DEPTHS, seeds=SEEDS) -> dict:
    out = {"depths": tuple(depths), "seeds": tuple(seeds), "runs": {}}
    for scheme in ("orthogonal", "gaussian"):
        steps = np.array([[np.nan if (s := steps_to_learn(d, scheme, seed)) is None else s
                           for seed in seeds] for d in depths], dtype=float)
        spread = np.array([np.median([product_spread(d, scheme, seed) for seed in seeds])
                           if d > 1 else 1.0 for d in depths])
        out["runs"][scheme] = {"steps": steps, "median": np.median(steps, axis=1),
                               "spread": spread}
    return out


def _steps(x) -> str:
    return f"> {MAX_STEPS}" if np.isnan(x) else f"{x:.0f}"


def report_depth_speed(r: dict) -> str:
    lines = [f"deep linear network 16 → 16 → … → 4, gradient descent with ε = {LR0}/d; "
             f"steps until J < {TOL:g}·J(θ₀), median over {len(r['seeds'])} seeds "
             "(σ_max/σ_min: of the product of the square layers at the start)",
             f"{'depth d':>8} {'orthogonal':>11} {'σmax/σmin':>10} {'Gaussian':>9} "
             f"{'σmax/σmin':>10}"]
    o, g = r["runs"]["orthogonal"], r["runs"]["gaussian"]
    for i, d in enumerate(r["depths"]):
        lines.append(f"{d:8d} {_steps(o['median'][i]):>11} {o['spread'][i]:10.3g} "
                     f"{_steps(g['median'][i]):>9} {g['spread'][i]:10.3g}")
    return "\n".join(lines)


def figure_depth_speed(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.6))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        for i, (scheme, label) in enumerate((("orthogonal", "orthogonal"),
                                             ("gaussian", "Gaussian N(0, 1/m)"))):
            run = r["runs"][scheme]
            capped = np.where(np.isnan(run["steps"]), MAX_STEPS, run["steps"])
            for j in range(capped.shape[1]):
                left.plot(r["depths"], capped[:, j], color=plotting.PALETTE[i], marker="none",
                          linewidth=0.8, alpha=0.5)
            left.plot(r["depths"], np.where(np.isnan(run["median"]), MAX_STEPS,
                                            run["median"]),
                      color=plotting.PALETTE[i], marker=plotting.MARKERS[i], label=label)
            right.plot(r["depths"], run["spread"], color=plotting.PALETTE[i],
                       marker=plotting.MARKERS[i], label=label)
        left.axhline(MAX_STEPS, color="#555555", linestyle=":", linewidth=1.2)
        left.set_yscale("log")
        left.set_xlabel("depth d (weight matrices)")
        left.set_ylabel(f"steps to J < {TOL:g}·J(θ₀)")
        left.set_title(f"training time, ε = {LR0}/d (thin: each seed)")
        left.legend()
        right.set_yscale("log")
        right.set_xlabel("depth d")
        right.set_ylabel("σ_max / σ_min")
        right.set_title("singular-value spread of the start")
    return fig
