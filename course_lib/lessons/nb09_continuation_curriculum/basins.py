"""Notebook 09, §1: gradient descent from many starts on a 1-D function with eight local
minima, and where each start ends (the histogram of final values)."""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...global_opt.landscapes import course_function_1d, local_minima_1d

PALETTE = plotting.PALETTE
STAR = dict(marker="*", markersize=18, color="#000000", markeredgecolor="white",
            markeredgewidth=1.2, linestyle="none", zorder=5)
LR = 0.1
STEPS = 500


def descend_all(f, starts, lr: float = LR, steps: int = STEPS) -> np.ndarray:
    """Gradient descent θ ← θ − ε∇J(θ) (Algorithm 8.1 on the whole function) from every start
    at once; the final points. ``tests`` check it against ``run.minimize`` start by start."""
    theta = np.asarray(starts, dtype=float).copy()
    for _ in range(steps):
        theta = theta - lr * f.grads(theta)[:, 0]
    return theta


def compute_basins(n_starts: int = 241, lr: float = LR, steps: int = STEPS) -> dict:
    """Starts evenly spread over [−6, 6]; which local minimum each one reaches."""
    f = course_function_1d()
    starts = np.linspace(*f.box, n_starts)
    finals = descend_all(f, starts, lr, steps)
    minima, values = local_minima_1d(f, f.box)
    which = np.argmin(np.abs(finals[:, None] - minima[None, :]), axis=1)
    best = int(np.argmin(values))
    return {"f": f, "starts": starts, "finals": finals, "final_values": f.values(finals),
            "minima": minima, "values": values, "counts": np.bincount(which, minlength=len(minima)),
            "which": which, "best": best, "lr": lr, "steps": steps,
            "share_global": float(np.mean(which == best)),
            "stuck": float(np.max(np.abs(f.grads(finals))))}


def report_basins(r: dict) -> str:
    lines = [f"gradient descent, ε = {r['lr']:g}, {r['steps']} steps, from {len(r['starts'])} "
             f"starts evenly spread over [−6, 6] (largest final |J′| = {r['stuck']:.1e})",
             f"{'local minimum θ':>16} {'J(θ)':>8} {'starts ending there':>20}"]
    for i, (x, v, n) in enumerate(zip(r["minima"], r["values"], r["counts"], strict=True)):
        mark = "  ← global" if i == r["best"] else ""
        lines.append(f"{x:16.3f} {v:8.3f} {n:20d}{mark}")
    lines.append(f"share of starts that find the global minimum: {r['share_global']:.0%}")
    return "\n".join(lines)


def figure_basins(r: dict):
    f = r["f"]
    fig = plotting.figure(figsize=(12.0, 4.6))
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[1.5, 1])
        t = np.linspace(*f.box, 1200)
        left.plot(t, f.values(t), color=PALETTE[0], marker="none", label="J(θ)")
        left.plot(r["minima"], r["values"], "o", color=PALETTE[1], markersize=9,
                  label="local minima")
        left.plot(f.minima[0], [f.min_value], **STAR, label="global minimum")
        left.set_xlabel("θ")
        left.set_ylabel("J(θ)")
        left.set_title("eight local minima")
        left.legend(loc="upper center", fontsize=11)
        labels = [f"{x:.2f}" for x in r["minima"]]
        colors = [PALETTE[2] if i == r["best"] else PALETTE[5] for i in range(len(labels))]
        right.bar(labels, r["counts"], color=colors)
        right.set_xlabel("final θ (the local minimum reached)")
        right.set_ylabel("number of starts")
        right.set_title(f"where {len(r['starts'])} starts end")
        right.tick_params(axis="x", labelrotation=45)
    return fig
