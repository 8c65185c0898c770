"""Notebook 08, §1: the deep linear chain ŷ = x w₁ ⋯ w_l and one step on every weight.

With x = 1 and every wᵢ = 1 (so ŷ = 1 and every gᵢ = ∂ŷ/∂wᵢ = 1), a step w ← w − εg with
ε = Δ/l is, to first order, a change of ŷ by −εgᵀg = −Δ. The actual new output is
∏ᵢ(1 − Δ/l) = (1 − Δ/l)^l: the first-order term −Δ, then C(l, 2)(Δ/l)², … . The deeper the
chain, the more of these cross terms, each one a product of several layers' changes: the
"coordination" problem of section 8.7.1. Measured: the actual change against −Δ, the
second-order term, and the identity with the closed form.
"""

from __future__ import annotations

from math import comb

import numpy as np

from ... import plotting
from ...objectives import DeepLinearChain

DEPTHS = (1, 2, 5, 10, 20, 50)
WANTED = (0.5, 1.0, -1.0)    # Δ: how much ŷ falls to first order (−1: it rises by 1)


def compute_chain(depths=DEPTHS, wanted=WANTED) -> dict:
    rows = []
    for delta in wanted:
        for l in depths:
            chain = DeepLinearChain(depth=l)
            effect = chain.step_effect(np.ones(l), delta / l)
            closed = (1.0 - delta / l) ** l
            rows.append({"delta": delta, "depth": l, "actual": effect["actual"] - 1.0,
                         "first_order": effect["first_order"] - 1.0,
                         "second_order": float(effect["terms"][2]) if l > 1 else 0.0,
                         "closed_form": closed - 1.0,
                         "binomial": comb(l, 2) * (delta / l) ** 2,
                         "terms": effect["terms"]})
    return {"depths": tuple(depths), "wanted": tuple(wanted), "rows": rows,
            "limit": {d: float(np.exp(-d) - 1.0) for d in wanted}}


def report_chain(r: dict) -> str:
    lines = ["ŷ = x w₁⋯w_l with x = 1, every wᵢ = 1 (ŷ = 1); step w ← w − εg, ε = Δ/l "
             "(first order: ŷ changes by −Δ)",
             f"{'Δ':>4} {'l':>3} {'first order':>12} {'actual Δŷ':>10} {'actual/first':>13} "
             f"{'2nd-order term':>15} {'closed form':>12}"]
    for row in r["rows"]:
        lines.append(f"{row['delta']:4g} {row['depth']:3d} {row['first_order']:12.4f} "
                     f"{row['actual']:10.4f} {row['actual'] / row['first_order']:13.3f} "
                     f"{row['second_order']:15.4f} {row['closed_form']:12.4f}")
    lines.append("as l → ∞ the actual change tends to e^{−Δ} − 1: "
                 + ", ".join(f"{v:.4f} for Δ = {d:g}" for d, v in r["limit"].items()))
    return "\n".join(lines)


def figure_chain(r: dict):
    fig = plotting.figure(figsize=(12.0, 4.4))
    with plotting.style():
        left, right = fig.subplots(1, 2)
        for i, delta in enumerate(r["wanted"]):
            rows = [row for row in r["rows"] if row["delta"] == delta]
            depths = [row["depth"] for row in rows]
            left.plot(depths, [row["actual"] for row in rows], color=plotting.PALETTE[i],
                      marker=plotting.MARKERS[i], label=f"actual, Δ = {delta:g}")
            left.axhline(-delta, color=plotting.PALETTE[i], linestyle="--", linewidth=1.4,
                         label=f"first order, −Δ = {-delta:g}")
        left.set_xscale("log")
        left.set_xlabel("depth l")
        left.set_ylabel("change of ŷ in one step")
        left.set_title("one step on every weight at once")
        left.legend(fontsize=11)
        row = next(row for row in r["rows"] if row["delta"] == 1.0 and row["depth"] == 10)
        k = np.arange(len(row["terms"]))
        right.bar(k[1:], row["terms"][1:], color=[plotting.PALETTE[0] if t > 0 else
                                                   plotting.PALETTE[3]
                                                   for t in row["terms"][1:]])
        right.axhline(0.0, color="#555555", linewidth=1.0)
        right.set_xlabel("order k of the term (products of k weight changes)")
        right.set_ylabel("k-th term of the expansion")
        right.set_title("l = 10, Δ = 1: the terms of ∏(wᵢ − εgᵢ)")
    return fig
