"""Notebook 08, §5: Polyak averaging and the exponential moving average (section 8.7.3).

The noisy quadratic: linear regression in 2-D (200 examples, x ~ N(0, diag(1, 4)), noise
0.5), trained by SGD with a constant learning rate on single examples. The iterate never
settles: each step's gradient is one example's, which is not zero at the minimizer θ*, so
θ keeps wandering in a cloud around θ*. ``run_averaging`` runs SGD wrapped in
``PolyakAveraging`` and, on the same minibatches, reads off the exponential moving average
(``strategies.averaging``); we measure the distance to θ* of the last iterate, of the
average of the iterates after a burn-in, and of the moving average.

The non-convex case: a small network (2 tanh layers of 32 units) on the digits trained by
SGD with a constant rate, whose exponential moving average θ̂ (α = 0.95) is evaluated beside
the last iterate, over seeds.
"""

from __future__ import annotations

import functools

import numpy as np

from ... import plotting
from ...objectives import MLP, LinearRegression
from ...optim import SGD
from ...run import Oracle, minibatches, minimize
from ...strategies.averaging import ExponentialAveraging, PolyakAveraging, averaged
from ...strategies.initialization import init_mlp
from ..common.cache import cached
from .task import accuracy, digits_task, one_thread

THETA0 = (3.0, -3.0)


@functools.cache
def noisy_quadratic(data_seed: int = 0) -> LinearRegression:
    rng = np.random.default_rng(data_seed)
    X = rng.standard_normal((200, 2)) * np.array([1.0, 2.0])
    y = X @ np.array([1.0, -0.5]) + 0.5 * rng.standard_normal(200)
    return LinearRegression(X, y)


def run_averaging(lr: float = 0.02, batch_size: int = 1, start: int = 100,
                  alpha: float = 0.99, steps: int = 500, seed: int = 0,
                  data_seed: int = 0) -> dict:
    """SGD (constant ε) with Polyak averaging after ``start`` steps and the moving average."""
    f = noisy_quadratic(data_seed)
    theta_star = f.solution()
    # Every step is a row, for the paths; their ‖∇J‖ (a full-batch gradient each) go unused.
    trace = minimize(f, PolyakAveraging(SGD(lr=lr), start=start), THETA0, steps,
                     batch_size=batch_size, rng=seed, warn=False, record_grad_norm=False)
    polyak = averaged(trace)
    ema = np.empty_like(trace.thetas)
    ema[0] = trace.thetas[0]
    for t in range(1, len(ema)):                       # θ̂ ← αθ̂ + (1 − α)θ
        ema[t] = alpha * ema[t - 1] + (1.0 - alpha) * trace.thetas[t]
    dist = {name: np.linalg.norm(path - theta_star, axis=1)
            for name, path in (("iterate", trace.thetas), ("polyak", polyak), ("ema", ema))}
    late = dist["iterate"][len(dist["iterate"]) // 2:]
    return {"lr": lr, "batch_size": batch_size, "start": start, "alpha": alpha,
            "steps": steps, "seed": seed, "theta_star": theta_star, "thetas": trace.thetas,
            "polyak": polyak, "ema": ema, "dist": dist, "stop_reason": trace.stop_reason,
            "final": {k: float(v[-1]) for k, v in dist.items()},
            "cloud": float(np.sqrt(np.mean(late ** 2)))}


@one_thread
@cached
def compute_polyak(seeds=(0, 1, 2, 3, 4), steps: int = 2000, lr: float = 0.02,
                   start: int = 200) -> dict:
    runs = [run_averaging(lr=lr, start=start, steps=steps, seed=s) for s in seeds]
    finals = {k: np.array([r["final"][k] for r in runs]) for k in ("iterate", "polyak", "ema")}
    return {"runs": runs, "finals": finals, "seeds": tuple(seeds), "steps": steps, "lr": lr,
            "start": start, "cloud": np.array([r["cloud"] for r in runs])}


def report_polyak(r: dict) -> str:
    lines = [f"SGD, ε = {r['lr']}, one example per step, {r['steps']} steps; Polyak average "
             f"of the iterates after step {r['start']}; moving average α = 0.99",
             f"{'seed':>5} {'‖θ − θ*‖ last':>14} {'Polyak':>8} {'moving avg':>11} "
             f"{'rms ‖θ − θ*‖, 2nd half':>23}"]
    for seed, run in zip(r["seeds"], r["runs"], strict=True):
        f = run["final"]
        lines.append(f"{seed:5d} {f['iterate']:14.4f} {f['polyak']:8.4f} {f['ema']:11.4f} "
                     f"{run['cloud']:23.4f}")
    m = {k: v.mean() for k, v in r["finals"].items()}
    lines.append(f"{'mean':>5} {m['iterate']:14.4f} {m['polyak']:8.4f} {m['ema']:11.4f} "
                 f"{r['cloud'].mean():23.4f}")
    return "\n".join(lines)


def figure_polyak(r: dict):
    run = r["runs"][0]
    fig = plotting.figure(figsize=(12.0, 4.6))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        star = run["theta_star"]
        left.plot(run["thetas"][:, 0], run["thetas"][:, 1], color=plotting.PALETTE[5],
                  marker="none", linewidth=0.8, label="SGD iterates θ")
        left.plot(run["polyak"][:, 0], run["polyak"][:, 1], color=plotting.PALETTE[3],
                  marker="none", linewidth=2.2, label="Polyak average θ̂")
        left.plot(run["ema"][:, 0], run["ema"][:, 1], color=plotting.PALETTE[2],
                  marker="none", linewidth=1.6, label="moving average")
        left.plot(*star, marker="*", markersize=18, color="black", linestyle="none",
                  label="θ*")
        left.set_xlim(star[0] - 0.5, star[0] + 0.5)
        left.set_ylim(star[1] - 0.5, star[1] + 0.5)
        left.set_aspect("equal", adjustable="box")
        left.set_xlabel("θ₁")
        left.set_ylabel("θ₂")
        left.set_title("near θ* (seed 0)")
        left.legend(fontsize=10, loc="lower left")
        for i, (key, label) in enumerate((("iterate", "last iterate"), ("polyak", "Polyak"),
                                          ("ema", "moving average"))):
            right.plot(run["dist"][key], color=[plotting.PALETTE[5], plotting.PALETTE[3],
                                               plotting.PALETTE[2]][i],
                       marker="none", linewidth=1.4 if key == "iterate" else 2.2, label=label)
        right.set_yscale("log")
        right.set_xlabel("step k")
        right.set_ylabel("‖θ − θ*‖")
        right.set_title("distance to the minimizer")
        right.legend(fontsize=11)
    return fig


# --- the non-convex case: a network's moving average --------------------------------------
@one_thread
@cached
def compute_network_ema(settings=((0.1, 16), (0.3, 8)), seeds=(0, 1, 2), steps: int = 400,
                        alpha: float = 0.98) -> dict:
    """For each (ε, batch size): the last iterate and its moving average, over ``seeds``."""
    task = digits_task()
    net = MLP(task["X_train"], task["y_train"], hidden=(32, 32), loss="softmax", n_classes=10)
    val = MLP(task["X_val"], task["y_val"], hidden=(32, 32), loss="softmax", n_classes=10)
    rows = []
    for lr, batch_size in settings:
        for seed in seeds:
            optimizer = ExponentialAveraging(SGD(lr=lr), alpha=alpha)
            theta = init_mlp(net, "glorot", rng=seed)
            state = optimizer.init(theta)
            batches = minibatches(net.n_examples, batch_size, np.random.default_rng(seed))
            for _ in range(steps):
                theta, state = optimizer.step(theta, state, Oracle(net, next(batches)))
            hat = state.theta_hat
            rows.append({"lr": lr, "batch_size": batch_size, "seed": seed,
                         "train_raw": net.loss(theta), "train_ema": net.loss(hat),
                         "val_raw": val.loss(theta), "val_ema": val.loss(hat),
                         "acc_raw": accuracy(net, theta, task["X_val"], task["y_val"]),
                         "acc_ema": accuracy(net, hat, task["X_val"], task["y_val"])})
    return {"rows": rows, "steps": steps, "alpha": alpha}


def report_network_ema(r: dict) -> str:
    lines = [f"64 → 32 → 32 → 10 tanh network, SGD with a constant ε, {r['steps']} steps; "
             f"moving average α = {r['alpha']} (J: loss, acc: validation accuracy)",
             f"{'ε':>4} {'batch':>5} {'seed':>4} {'train J last':>12} {'train J avg':>12} "
             f"{'val J last':>11} {'val J avg':>10} {'acc last':>9} {'acc avg':>8}"]
    for row in r["rows"]:
        lines.append(f"{row['lr']:4g} {row['batch_size']:5d} {row['seed']:4d} "
                     f"{row['train_raw']:12.4f} {row['train_ema']:12.4f} {row['val_raw']:11.4f} "
                     f"{row['val_ema']:10.4f} {row['acc_raw']:9.1%} {row['acc_ema']:8.1%}")
    return "\n".join(lines)
