"""Notebook 10, §1: the suite drawn, and its noise measured.

``compute_gallery``: every prototype of the default suite with its difficulty and criterion;
``compute_noise``: each noise model sampled at g = 1 and its measured mean, variance (or,
for the Cauchy, median, quartiles and tail index) beside the stated ones;
``figure_shapes``, ``figure_noise``, ``figure_combinations``: the pictures.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...prototypes import GROUPS, NOTES, SHAPES, Additive, Cauchy, MaskOut, Multiplicative, Sparse
from ...prototypes import prototype as make_prototype

PALETTE = plotting.PALETTE
NOISES = {"additive": Additive(1.0), "multiplicative": Multiplicative(2.0),
          "Cauchy": Cauchy(0.05), "mask-out": MaskOut(0.9), "sparse": Sparse(0.1)}


# --- the catalogue ----------------------------------------------------------------------------
def compute_gallery() -> dict:
    """Per prototype: its group, dimension, budget, difficulty, criterion and notebook."""
    rows = []
    for group, names in GROUPS.items():
        for name in names:
            p = make_prototype(name)
            difficulty, notebook = NOTES[name]
            rows.append({"name": name, "group": group, "dim": p.dim, "steps": p.steps,
                         "difficulty": difficulty, "criterion": p.statement(),
                         "notebook": notebook})
    return {"rows": rows, "count": len(rows),
            "groups": {g: len(names) for g, names in GROUPS.items()}}


def report_gallery(r: dict) -> str:
    lines = [f"{r['count']} prototypes: " + ", ".join(f"{n} {g}" for g, n in r["groups"].items())]
    width = max(len(row["name"]) for row in r["rows"])
    for row in r["rows"]:
        lines.append(f"  {row['name']:<{width}}  {row['dim']}-D  {row['difficulty']}")
    return "\n".join(lines)


# --- the noise, measured -------------------------------------------------------------------------
def compute_noise(n: int = 20_000, seed: int = 0) -> dict:
    """``n`` draws of g̃ at g = 1 from each model of ``NOISES``, and the measured statistics."""
    rng = np.random.default_rng(seed)
    g = np.ones(1)
    out = {}
    for name, noise in NOISES.items():
        x = np.array([noise.sample(g, rng)[0] for _ in range(n)])
        stats = {"samples": x, "label": noise.label(), "mean": float(x.mean()),
                 "var": float(x.var()), "stated_var": float(noise.variance(g)[0]),
                 "median": float(np.median(x))}
        if name == "Cauchy":
            q1, q3 = np.percentile(x, [25, 75])
            tail = np.sort(np.abs(x - 1.0))[-n // 100:]
            stats.update(iqr=float(q3 - q1), stated_iqr=2 * noise.gamma,
                         tail_index=float(1.0 / np.mean(np.log(tail / tail[0]))),
                         largest=float(np.max(np.abs(x - 1.0))))
        out[name] = stats
    return {"n": n, "noise": out}


def report_noise(r: dict) -> str:
    lines = [f"{r['n']} draws of g̃ at g = 1 (the stated value in brackets)"]
    for name, s in r["noise"].items():
        if name == "Cauchy":
            lines.append(f"  {name:<15} {s['label']:<9} median {s['median']:.3f} (1), "
                         f"quartile gap {s['iqr']:.3f} ({s['stated_iqr']:g}), tail index "
                         f"{s['tail_index']:.2f} (1), largest |g̃ − g| = {s['largest']:.3g}")
        else:
            lines.append(f"  {name:<15} {s['label']:<9} mean {s['mean']:.3f} (1), variance "
                         f"{s['var']:.3f} ({s['stated_var']:.3g})")
    return "\n".join(lines)


def figure_noise(r: dict, shown: int = 400):
    """``shown`` draws of each model as a strip on a symmetric-log axis: the spread of the
    Gaussian ones, the two values of mask-out and sparse, the far outliers of the Cauchy."""
    fig = plotting.figure(figsize=(12.0, 4.6))
    with plotting.style():
        ax = fig.add_subplot()
        jitter = np.random.default_rng(1).uniform(-0.28, 0.28, shown)
        names = list(r["noise"])
        for i, name in enumerate(names):
            x = r["noise"][name]["samples"][:shown]
            ax.plot(x, len(names) - 1 - i + jitter, marker="o", markersize=4, linestyle="none",
                    color=PALETTE[i], alpha=0.55)
        ax.axvline(1.0, color="black", linestyle="--", linewidth=1.4, label="g = 1, the mean")
        ax.set_xscale("symlog", linthresh=1.0)
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels([f"{n} ({r['noise'][n]['label']})" for n in reversed(names)])
        ax.set_xlabel("g̃, one draw per dot (symmetric log scale beyond ±1)")
        ax.set_title(f"{shown} draws of the noisy gradient at g = 1, for each noise")
        ax.legend(loc="lower right")
        ax.grid(axis="y", visible=False)
    return fig


# --- the shapes and the combinations --------------------------------------------------------------
def figure_shapes():
    """The seven 1-D shapes, the start of each (square) and where a run passes (green)."""
    fig = plotting.figure(figsize=(13.0, 6.4))
    with plotting.style():
        axes = fig.subplots(2, 4).ravel()
        for ax, name in zip(axes, GROUPS["shapes"], strict=False):
            s = SHAPES[name]
            x = np.linspace(*s.box, 600)
            ax.plot(x, s.f(x), color=PALETTE[0], marker="none")
            ok = s.passes(x)
            edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(int), [0]])))
            for a, b in zip(edges[::2], edges[1::2], strict=True):
                ax.axvspan(x[a], x[b - 1] + 1e-9, color=PALETTE[2], alpha=0.35, linewidth=3)
            ax.plot([s.start], [s.f(s.start)], marker="s", markersize=11,
                    markerfacecolor="white", markeredgecolor=PALETTE[3], markeredgewidth=2.2,
                    linestyle="none")
            ax.set_title(name)
            ax.set_xlabel("z")
        axes[-1].axis("off")
        axes[-1].text(0.0, 0.55, "square: the start z₀\ngreen band: where a run\npasses "
                      "(within tol of a\nminimizer, or below the\nlevel)", fontsize=13,
                      transform=axes[-1].transAxes, va="center")
        axes[0].set_ylabel("f(z)")
        axes[4].set_ylabel("f(z)")
    return fig


def figure_combinations():
    """The 2-D combinations on their contours, and the scale sweep's five scales."""
    fig = plotting.figure(figsize=(13.0, 3.9))
    with plotting.style():
        axes = fig.subplots(1, 5)
        for ax, name in zip(axes, GROUPS["combinations"], strict=False):
            p = make_prototype(name).clean()
            start = p.theta0()
            box = (-3.0, 3.0, -3.0, 3.0) if name != "drifting" else (-1.0, 9.0, -1.0, 9.0)
            X, Y = np.meshgrid(np.linspace(box[0], box[1], 120), np.linspace(box[2], box[3], 120))
            Z = p.row_losses(np.column_stack([X.ravel(), Y.ravel()]), 0).reshape(X.shape)
            ax.contour(X, Y, Z - Z.min() + 1e-3, levels=np.geomspace(1e-3, Z.max() - Z.min()
                                                                       + 1e-3, 14),
                       cmap="viridis", linewidths=1.0)
            ax.plot(*start, marker="s", markersize=10, markerfacecolor="white",
                    markeredgecolor=PALETTE[3], markeredgewidth=2.2, linestyle="none")
            if name == "drifting":
                track = np.array([p.center(t) for t in (0, p.steps)])
                ax.plot(*track.T, color=PALETTE[3], linewidth=2.0, marker="none")
                ax.annotate("", xy=track[1], xytext=track[0],
                            arrowprops={"arrowstyle": "->", "color": PALETTE[3], "lw": 2})
            ax.set_title(p.name.split(" (")[0])
            ax.set_xlabel("θ₁")
            ax.set_aspect("equal")
            ax.grid(False)
        axes[0].set_ylabel("θ₂")
        sweep = make_prototype("scale sweep")
        axes[-1].bar(np.arange(1, sweep.dim + 1), sweep.scales, color=PALETTE[0])
        axes[-1].set_yscale("log")
        axes[-1].set_title("scale sweep")
        axes[-1].set_xlabel("coordinate i")
        axes[-1].set_ylabel("scale s_i")
    return fig
