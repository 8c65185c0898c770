"""Notebook 01, §1: the empirical risk J against the true risk J* as the training set grows.

The empirical risk minimizer of a degree-d polynomial (p = d + 1 parameters) on m examples of
``risk.PolynomialTask`` (x ∼ U(−1, 1), y = sin 2πx + 0.3ε). J* is exact. For large m the gap
J*(θ̂) − J(θ̂) shrinks like 2 J*_best · p / m, J*_best = min_θ J*(θ) for that degree (for the
well-specified case, σ²p/m): twice the best risk, shared among the p parameters, over m.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...risk import PolynomialTask, risk_vs_size
from ..common.cache import cached

PALETTE = plotting.PALETTE
TASK = PolynomialTask()
DEGREES = (3, 9, 15)
SIZES = (20, 50, 100, 200, 500, 1000, 2000)
LAW_FROM = 200              # the gap law is compared with the measurement from this m on


@cached
def compute_risk_gap(degrees=DEGREES, sizes=SIZES, draws: int = 200, seed: int = 0) -> dict:
    """For each degree: the median J and J* over ``draws`` training sets of each size, the
    mean gap, the law 2 J*_best p/m and their ratio (mean gap over the law)."""
    rows = []
    for degree in degrees:
        r = risk_vs_size(TASK, sizes, degree, draws=draws, seed=seed)
        gap = (r["true"] - r["train"]).mean(axis=0)
        law = 2 * TASK.best_risk(degree) * (degree + 1) / r["sizes"]
        rows.append({"degree": degree, "p": degree + 1, "best": TASK.best_risk(degree),
                     "train": np.median(r["train"], axis=0),
                     "true": np.median(r["true"], axis=0), "mean_true": r["mean_true"],
                     "gap": gap, "law": law, "ratio": gap / law})
    return {"sizes": np.array(sizes), "draws": draws, "rows": rows, "bayes": TASK.bayes_risk,
            "noise": TASK.noise}


def report_risk_gap(r: dict) -> str:
    sizes = r["sizes"]
    lines = [f"y = sin 2πx + {r['noise']:g}ε, x ~ U(−1, 1); Bayes risk ½σ² = {r['bayes']:.4f}; "
             f"medians over {r['draws']} training sets per m",
             f"{'m':>6} " + " ".join(f"{'d = ' + str(row['degree']) + ': J, J*':>22}"
                                     for row in r["rows"])]
    for i, m in enumerate(sizes):
        lines.append(f"{m:6d} " + " ".join(f"{row['train'][i]:10.4f} {_short(row['true'][i])}"
                                           for row in r["rows"]))
    lines.append(f"mean gap J* − J ÷ (2 J*best p/m), from m = {LAW_FROM}:")
    keep = sizes >= LAW_FROM
    for row in r["rows"]:
        ratios = " ".join(f"{x:.2f}" for x in row["ratio"][keep])
        lines.append(f"  d = {row['degree']:2d} (p = {row['p']:2d}, J*best = {row['best']:.4f}):"
                     f" {ratios}")
    return "\n".join(lines)


def _short(x: float) -> str:
    return f"{x:11.4f}" if x < 1e4 else f"{x:11.2e}"


def figure_risk_gap(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.8))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        sizes = r["sizes"]
        for i, row in enumerate(r["rows"]):
            color, marker = PALETTE[i], plotting.MARKERS[i]
            left.plot(sizes, row["train"], color=color, marker=marker, linestyle="--")
            left.plot(sizes, row["true"], color=color, marker=marker,
                      label=f"degree {row['degree']}")
            keep = np.isfinite(row["gap"]) & (row["gap"] > 0) & (sizes >= 50)
            right.plot(sizes[keep], row["gap"][keep], color=color, marker=marker,
                       label=f"degree {row['degree']}")
            right.plot(sizes, row["law"], color=color, linestyle=":", linewidth=1.8)
        left.axhline(r["bayes"], color="black", linewidth=1.2)
        left.text(sizes[-1], r["bayes"] * 0.85, "Bayes risk ½σ²", fontsize=12, va="top",
                  ha="right")
        left.set_ylim(0.005, 2.0)
        left.set_title("median J (dashed) and J* (solid)")
        left.set_ylabel("risk")
        right.set_ylim(2e-4, 1.0)
        right.set_title("mean gap J* − J (dotted: 2 J*best p / m)")
        right.set_ylabel("J* − J")
        for ax in (left, right):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_xlabel("training examples m")
        left.legend(loc="upper right")
    return fig


def compute_overfit_example(m: int = 20, degree: int = 15, seed: int = 0) -> dict:
    """One training set, the empirical risk minimizer: J, J* and the Bayes risk."""
    x, y = TASK.sample(m, seed=seed)
    theta = TASK.fit(x, y, degree)
    return {"m": m, "degree": degree, "train": TASK.empirical_risk(theta, x, y),
            "true": TASK.true_risk(theta), "bayes": TASK.bayes_risk}


def report_overfit_example(r: dict) -> str:
    return (f"degree {r['degree']} ({r['degree'] + 1} parameters) fitted to m = {r['m']} "
            f"examples: training risk J = {r['train']:.4f}, true risk J* = {r['true']:.4g} "
            f"(Bayes risk {r['bayes']:.4f})")
