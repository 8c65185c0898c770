"""Notebook 10, §3: what the matrix says. Each failure linked to the notebook that explains
it, and the robustness of each optimizer over its grid of rates.

``compute_failures``: every failing cell of a sweep with the likely cause and the notebook
(``CAUSES`` for causes specific to one optimizer, else the prototype's own difficulty,
``prototypes.NOTES``); ``compute_robustness``: per optimizer, the share of its grid that
passes, and for each rate how many prototypes it passes (the sensitivity curve).
"""

from __future__ import annotations

from ... import plotting
from ...prototypes import NOTES
from ...prototypes.table import PASS_SHARE

PALETTE = plotting.PALETTE
THIS = "10_testing_optimizers"

# (optimizer, prototype) → (likely cause, notebook that explains it)
CAUSES = {
    ("SGD", "abs"): ("a constant rate bounces ε around the kink: it cannot both arrive and "
                     "settle within 0.01", "03_sgd_schedules"),
    ("SGD", "gauss"): ("steps proportional to a slope of 10⁻⁵ never leave the plateau",
                       "02_challenges"),
    ("SGD", "bowl × 0.001"): ("the gradient is 1000 times smaller: it would need ε ≈ 1000",
                              "06_adaptive_rates"),
    ("SGD", "scale sweep"): ("one rate cannot fit four decades of curvature: stable for the "
                             "steepest coordinate means frozen on the flattest",
                             "06_adaptive_rates"),
    ("SGD", "rotated"): ("κ = 100: the best constant rate removes only 2/(κ + 1) ≈ 2 % of the "
                         "error per step, too slow for 200 steps", "04_momentum_physics"),
    ("SGD", "coupled"): ("the bent valley is ill-conditioned: gradient descent zig-zags",
                         "04_momentum_physics"),
    ("momentum", "gauss"): ("ten times a tiny step is still tiny: the plateau's slope is "
                            "10⁻⁵", "02_challenges"),
    ("momentum", "scale sweep"): ("one rate for four decades of scale, as for SGD",
                                  "06_adaptive_rates"),
    ("AdaGrad", "line"): ("its rates only fall, like ε/√t: 100 steps cover at most 2ε√100 = "
                          "20ε, short of 100 (AdaGrad's stall)", "06_adaptive_rates"),
    ("AdaGrad", "rotated"): ("per-coordinate rates cannot straighten a diagonal valley, and "
                             "they only fall", "06_adaptive_rates"),
    ("AdaGrad", "coupled"): ("per-coordinate rates in a bent valley, falling as 1/√t",
                             "06_adaptive_rates"),
    ("RMSProp", "gauss"): ("δ = 10⁻⁶ inside the root: below |g| ≈ √δ = 10⁻³ its step is "
                           "ε g/√δ, like SGD's, and the plateau's g ≈ 10⁻⁵ barely moves it",
                           "06_adaptive_rates"),
    ("RMSProp", "bowl · sparse"): ("a rare coordinate's r decays between sightings (ρ = 0.9), "
                                   "so the next sighting (g/p, 33 times too large) is divided "
                                   "by almost nothing", "06_adaptive_rates"),
    ("RMSProp", "rotated"): ("per-coordinate rates cannot straighten a diagonal valley",
                             "06_adaptive_rates"),
    ("Adam", "bowl · Cauchy"): ("one huge draw steers s for about 1/(1 − ρ₁) = 10 steps of "
                                "length ε: late outliers leave it far away",
                                "06_adaptive_rates"),
    ("learned", "abs"): ("its steps do not shrink at a kink: a 2-cycle across the minimum",
                         THIS),
    ("learned", "saddle"): ("it settles into a 2-cycle across a well: its meta-loss asked for "
                            "three decades in 40 steps, not for settling", THIS),
}
for _name in ("bowl · additive", "bowl · Cauchy", "bowl · mask-out", "bowl · sparse"):
    CAUSES[("learned", _name)] = ("it was trained on noise-free quadratics and never saw "
                                  "noise", THIS)
CAUSES[("learned", "scale sweep")] = ("its normalization power p < 1: steps still grow with "
                                      "the gradient's scale", THIS)


def cause(optimizer: str, problem: str) -> tuple[str, str]:
    """(the likely cause, the notebook) for a failing cell."""
    return CAUSES.get((optimizer, problem), NOTES.get(problem, ("", "")))


def compute_failures(sweep: dict) -> dict:
    """Every failing cell of ``sweep`` (from ``matrix.compute_sweep``) with its cause."""
    rows = []
    for (o, p), cell in sweep["cells"].items():
        if not cell["passes"]:
            text, notebook = cause(o, p)
            rows.append({"optimizer": o, "problem": p, "pass_share": cell["pass_share"],
                         "setting": cell["setting"], "cause": text, "notebook": notebook})
    by_notebook: dict = {}
    for row in rows:
        by_notebook.setdefault(row["notebook"], []).append(row)
    return {"rows": rows, "count": len(rows), "by_notebook": by_notebook,
            "cells": len(sweep["cells"])}


def report_failures(r: dict) -> str:
    lines = [f"{r['count']} of {r['cells']} cells fail; each with its likely cause and the "
             "notebook that explains it"]
    for notebook in sorted(r["by_notebook"]):
        lines.append(f"{notebook}:")
        for row in r["by_notebook"][notebook]:
            lines.append(f"  {row['optimizer']} on {row['problem']} "
                         f"({row['pass_share']:.0%} of the seeds at best): {row['cause']}")
    return "\n".join(lines)


# --- robustness ------------------------------------------------------------------------------
def compute_robustness(sweep: dict) -> dict:
    """Per optimizer: prototypes passed, mean share of the grid × seeds that passes, and for
    each rate of the grid the number of prototypes it passes on its own."""
    table = sweep["table"]
    out = {}
    for o in table.optimizers:
        per_rate = {}
        for p in table.problems:
            for option in table.settings(o, p):
                key = option["lr"]
                ok = option["pass_share"] >= PASS_SHARE - 1e-12
                per_rate[key] = per_rate.get(key, 0) + int(ok)
        out[o] = {"passed": len(sweep["passed"][o]), "robustness": table.robustness(o),
                  "per_rate": per_rate, "best_single_rate": max(per_rate.values())}
    return {"optimizers": out, "problems": len(table.problems)}


def report_robustness(r: dict) -> str:
    n = r["problems"]
    lines = [f"{'optimizer':<10} {'passed (best ε each)':>21} {'with one ε for all':>19} "
             f"{'grid × seeds passing':>21}"]
    tuned = {o: s for o, s in r["optimizers"].items() if None not in s["per_rate"]}
    for o, s in sorted(tuned.items(), key=lambda kv: -kv[1]["robustness"]):
        lines.append(f"{o:<10} {s['passed']:>14} of {n} {s['best_single_rate']:>12} of {n} "
                     f"{s['robustness']:>20.0%}")
    for o, s in r["optimizers"].items():
        if o not in tuned:
            lines.append(f"{o:<10} no rate to tune: passes {s['passed']} of {n} "
                         f"({s['robustness']:.0%} of its runs)")
    return "\n".join(lines)


def figure_robustness(r: dict):
    """Left: prototypes passed at each rate (one rate for the whole suite). Right: the share
    of each optimizer's grid × seeds that passes (the ones with a rate to tune)."""
    fig = plotting.figure(figsize=(13.0, 4.8))
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[1.4, 1])
        names = list(r["optimizers"])
        for i, o in enumerate(names):
            per_rate = r["optimizers"][o]["per_rate"]
            if None in per_rate:                       # no rate to tune: a flat line
                left.axhline(per_rate[None], color=PALETTE[i], linestyle="--",
                             label=f"{o} (no ε)")
                continue
            rates = sorted(per_rate)
            left.plot(rates, [per_rate[x] for x in rates], color=PALETTE[i], label=o)
        left.set_xscale("log")
        left.set_xlabel("learning rate ε (the same for every prototype)")
        left.set_ylabel(f"prototypes passed (of {r['problems']})")
        left.set_ylim(0, r["problems"] + 0.5)
        left.legend(fontsize=11, ncol=3, loc="upper left")
        left.set_title("one rate for the whole suite")
        tuned = [o for o in names if None not in r["optimizers"][o]["per_rate"]]
        order = sorted(tuned, key=lambda o: r["optimizers"][o]["robustness"])
        right.barh(order, [100 * r["optimizers"][o]["robustness"] for o in order],
                   color=[PALETTE[names.index(o)] for o in order])
        right.set_xlabel("share of grid × seeds that passes (%)")
        right.set_xlim(0, 100)
        right.set_title("robustness (optimizers with a rate)")
        right.grid(axis="y", visible=False)
    return fig


def winners(sweep: dict) -> dict:
    """The optimizers that pass the most prototypes, how many, and whether any passes all."""
    counts = {o: len(p) for o, p in sweep["passed"].items()}
    top = max(counts.values())
    return {"best": sorted(o for o, c in counts.items() if c == top), "count": top,
            "everywhere": top == len(sweep["problems"])}
