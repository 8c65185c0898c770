"""Notebook 10, §2: a reduced sweep of the suite and its results matrix.

``compute_sweep`` runs six optimizers over every prototype of the default suite, with the
default grid of eight rates and five seeds: a second or two, where the full default sweep
(``prototypes.run_suite()``: ten optimizers, hypergradient descent among them, which runs
seed by seed) is the benchmark's job. ``figure_matrix`` draws optimizers as rows and
prototypes as columns, coloured by the pass share of each cell's best setting, with that
setting written in.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

from ... import plotting
from ...prototypes import (
    DEFAULT_SEEDS,
    GROUPS,
    LR_GRID,
    default_contenders,
    default_suite,
    run_suite,
    spec,
)
from ...prototypes.table import PASS_SHARE
from ..common.cache import cached

OPTIMIZERS = ("SGD", "momentum", "AdaGrad", "RMSProp", "Adam", "learned")
GRID = LR_GRID
SEEDS = DEFAULT_SEEDS


def reduced_contenders(names=OPTIMIZERS, grid=GRID, extra: dict | None = None) -> dict:
    """The default contenders ``names`` with the coarse ``grid`` of rates (optimizers
    without a rate keep their one setting), plus ``extra`` ({name: OptimizerSpec})."""
    full = default_contenders()
    out = {}
    for name in names:
        s = full[name]
        settings = tuple({"lr": lr} for lr in grid) if "lr" in s.grid[0] else s.grid
        out[name] = spec(name, s.make, grid=settings, separable=s.separable,
                         notebook=s.notebook, vector_lr=s.vector_lr)
    out.update(extra or {})
    return out


@cached
def compute_sweep(names=OPTIMIZERS, grid=GRID, seeds=SEEDS, problems=None,
                  extra: dict | None = None) -> dict:
    """The reduced sweep: its table, each optimizer's passed prototypes, the winners."""
    problems = default_suite() if problems is None else problems
    table = run_suite(reduced_contenders(names, grid, extra), problems, seeds=seeds)
    passed = {o: table.passed_problems(o) for o in table.optimizers}
    cells = table.matrix()
    everyone = [p for p in table.problems if all(cells[(o, p)]["passes"]
                                                 for o in table.optimizers)]
    nobody = [p for p in table.problems if not any(cells[(o, p)]["passes"]
                                                   for o in table.optimizers)]
    return {"table": table, "cells": cells, "passed": passed, "everyone": everyone,
            "nobody": nobody, "runs": len(table), "seeds": tuple(seeds), "grid": tuple(grid),
            "optimizers": table.optimizers, "problems": table.problems}


def report_sweep(r: dict) -> str:
    n = len(r["problems"])
    ranking = sorted(r["passed"].items(), key=lambda kv: -len(kv[1]))
    lines = [f"{r['runs']} runs: {len(r['optimizers'])} optimizers × their settings × {n} "
             f"prototypes × {len(r['seeds'])} seeds; ε from "
             f"{{{', '.join(f'{x:g}' for x in r['grid'])}}}",
             "prototypes passed (a cell passes when its best setting passes on at least "
             f"{PASS_SHARE:.0%} of the seeds):"]
    for name, problems in ranking:
        missed = [p for p in r["problems"] if p not in problems]
        lines.append(f"  {name:<9} {len(problems):>2} of {n}; fails {', '.join(missed)}")
    lines.append(f"passed by every optimizer: {', '.join(r['everyone']) or 'none'}")
    lines.append(f"passed by none: {', '.join(r['nobody']) or 'none'}")
    return "\n".join(lines)


def _column_order(problems) -> list:
    return [p for g in GROUPS.values() for p in g if p in problems] + [
        p for p in problems if not any(p in g for g in GROUPS.values())]


def figure_matrix(r: dict):
    """The results matrix: optimizers × prototypes. Blue: the cell passes (its best setting
    passed on ≥ 80 % of the seeds), orange: it passed on some, vermillion: on none. In each
    cell the best ε and, below it, how many seeds passed."""
    problems = _column_order(r["problems"])
    optimizers = r["optimizers"]
    n_seeds = len(r["seeds"])
    fig = plotting.figure(figsize=(14.0, 0.7 * len(optimizers) + 3.4))
    with plotting.style():
        ax = fig.add_subplot()
        colours = {"pass": "#a9d8f2", "some": "#f7d58b", "none": "#f2a987"}
        for i, o in enumerate(optimizers):
            for j, p in enumerate(problems):
                cell = r["cells"][(o, p)]
                kind = ("pass" if cell["passes"] else "some" if cell["pass_share"] > 0
                        else "none")
                ax.add_patch(mpl.patches.Rectangle((j - 0.5, i - 0.5), 1, 1,
                                                   facecolor=colours[kind], edgecolor="white"))
                lr = "—" if cell["lr"] is None else f"{cell['lr']:.2g}"
                passed = round(cell["pass_share"] * n_seeds)
                ax.text(j, i - 0.14, ("✔ " if kind == "pass" else "") + lr, ha="center",
                        va="center", fontsize=10)
                ax.text(j, i + 0.22, f"{passed}/{n_seeds}", ha="center", va="center",
                        fontsize=9.5, color="#333333")
        ax.set_xlim(-0.5, len(problems) - 0.5)
        ax.set_ylim(len(optimizers) - 0.5, -0.5)
        ax.set_xticks(range(len(problems)))
        ax.set_xticklabels(problems, rotation=50, ha="right", fontsize=11)
        ax.set_yticks(range(len(optimizers)))
        ax.set_yticklabels(optimizers)
        edges = np.cumsum([sum(p in g for p in problems) for g in GROUPS.values()])[:-1]
        for x in edges:
            ax.axvline(x - 0.5, color="black", linewidth=2)
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        ax.grid(False)
        ax.set_title("each cell: the best ε and the seeds it passed on — blue ✔: passes "
                     f"(≥ {PASS_SHARE:.0%} of the seeds), orange: some pass, vermillion: none"
                     "\nshapes | noise | scales | combinations", fontsize=13)
    return fig
