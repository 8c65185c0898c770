"""Notebook 02, §3: the critical points of a small network (section 8.2.3, after Dauphin et
al. 2014's figure of the index against the error).

A 2-4-1 tanh network (17 parameters) learns to imitate a fixed random "teacher" network of
the same shape, so that a perfect fit exists. Critical points are located from random
starts by minimizing ½‖∇J‖² (Levenberg–Marquardt, ``hessian_tools.find_critical_point``),
which finds saddles as readily as minima; minima are also found by training (BFGS). At each
point: the loss, and the index, the share of negative Hessian eigenvalues.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...hessian_tools import find_critical_point, negative_fraction, spectrum
from ...objectives import MLP
from ...optim import BFGS, SGD
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE
FLOOR = 1e-6        # the exact fits (J ≈ 1e-17) are drawn at this loss on the log axis


def teacher_network(m: int = 50, hidden: int = 4, seed: int = 0) -> MLP:
    """The student network on data labelled by a random teacher of the same shape."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, 2))
    teacher = MLP(X, np.zeros(m), hidden=(hidden,))
    y = teacher.predict(3.0 * teacher.init_theta(rng=seed + 5))
    return MLP(X, y, hidden=(hidden,))


@cached
def compute_critical_points(n_random: int = 12, n_runs: int = 6, tol: float = 1e-7,
                            seed: int = 0) -> dict:
    """Critical points located from two kinds of start, and the minima training reaches.

    - ``n_random`` random starts (θ₀ scaled by U(0.5, 3)), 60 search steps each;
    - points along ``n_runs`` gradient-descent runs (after 10, 50 and 150 steps), 25 search
      steps each: training passes near saddles, so these find low ones;
    - the end points of the same runs continued by BFGS (minima).

    Only points with ‖∇J‖ ≤ ``tol`` are kept; a search may also stop at a minimum of
    ½‖∇J‖² that is not a critical point (counted in ``rejected``).
    """
    net = teacher_network(seed=seed)
    rng = np.random.default_rng(seed)
    points, rejected = [], 0

    def search(theta0, steps):
        nonlocal rejected
        cp = find_critical_point(net, theta0, steps=steps, tol=tol)
        if cp.converged:
            points.append((cp.loss, cp.index, cp.kind, "search"))
        else:
            rejected += 1

    for _ in range(n_random):
        search(net.init_theta(rng=rng) * rng.uniform(0.5, 3.0), 60)
    for _ in range(n_runs):
        run = minimize(net, SGD(lr=0.1), 2.0 * net.init_theta(rng=rng), 150, warn=False)
        for k in (10, 50, 150):
            search(run.thetas[k], 25)
        end = minimize(net, BFGS(), run.theta, 300, tol=1e-8, warn=False)
        if end.grad_norms[-1] <= 1e-6:
            lam = spectrum(net, end.theta)
            tiny = 1e-6 * np.abs(lam).max()
            points.append((end.loss, negative_fraction(lam, tiny),
                           "minimum" if lam.min() > -tiny else "saddle", "training"))
    loss = np.array([p[0] for p in points])
    index = np.array([p[1] for p in points])
    # losses below 1e-12 are the exact fit J = 0 up to rounding
    distinct = sorted({(float(f"{p[0]:.3g}") if p[0] > 1e-12 else 0.0, round(p[1], 3), p[2])
                       for p in points})
    saddles = index > 0
    return {"dim": net.dim, "loss": loss, "index": index,
            "n_search": sum(p[3] == "search" for p in points),
            "n_trained": sum(p[3] == "training" for p in points), "rejected": rejected,
            "distinct": distinct, "n_saddles": int(saddles.sum()),
            "n_minima": int((~saddles).sum()),
            "corr": float(np.corrcoef(np.log10(np.maximum(loss, 1e-12)), index)[0, 1]),
            "lowest_saddle": float(loss[saddles].min()) if saddles.any() else np.nan,
            "highest_minimum": float(loss[~saddles].max()) if (~saddles).any() else np.nan}


def report_critical_points(r: dict) -> str:
    lines = [f"{r['dim']}-parameter student network: {r['n_search']} critical points from "
             f"the ½‖∇J‖² search ({r['rejected']} searches stopped elsewhere), "
             f"{r['n_trained']} minima from BFGS",
             f"{r['n_saddles']} saddles, {r['n_minima']} minima; distinct points "
             "(loss, index, kind):"]
    lines += [f"  J = {loss:9.3g}   index {index:.3f}   {kind}"
              for loss, index, kind in r["distinct"]]
    lines.append(f"correlation of the index with log₁₀ J: {r['corr']:.2f}; lowest saddle "
                 f"J = {r['lowest_saddle']:.3g}, highest minimum J = {r['highest_minimum']:.3g}")
    return "\n".join(lines)


def figure_critical_points(r: dict):
    fig = plotting.figure(figsize=(8.0, 4.8))
    with plotting.style():
        ax = fig.add_subplot()
        saddle = r["index"] > 0
        jitter = np.random.default_rng(0).uniform(-0.004, 0.004, len(r["index"]))
        x = np.maximum(r["loss"], FLOOR)
        ax.plot(x[saddle], r["index"][saddle] + jitter[saddle], "o",
                color=PALETTE[3], markersize=8, alpha=0.7, label="saddle points")
        ax.plot(x[~saddle], r["index"][~saddle] + jitter[~saddle], "s",
                color=PALETTE[2], markersize=8, alpha=0.7, label="minima")
        ax.set_xscale("log")
        ax.set_xlabel(f"loss J(θ) at the critical point (below {FLOOR:g}: drawn at {FLOOR:g})")
        ax.set_ylabel("index (share of λᵢ < 0)")
        ax.set_title("higher critical points have more ways down")
        ax.legend(loc="upper left")
    return fig
