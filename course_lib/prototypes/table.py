"""``ResultTable``: the suite's tidy table (one record per run) and the summaries read from it.

Plain records, no dependency: ``table.records`` is a list of dicts with the keys
``optimizer``, ``setting`` (its label, e.g. "ε = 0.01"), ``setting_index``, ``lr``,
``hyper``, ``problem``, ``seed``, ``final_loss`` (noise-free; inf if the run diverged),
``excess`` (minus the problem's minimum, None where it has none), ``passed``, ``diverged``,
``nfev``, ``ngev``, ``nhev``, ``evaluations`` and ``steps``.

Summaries: a *cell* is one (optimizer, problem) pair; its *best setting* is the one that
passed on the most seeds (ties: the lowest median final loss, then the first in the grid);
the cell *passes* when its best setting passed on at least ``PASS_SHARE`` (80 %) of the
seeds: a test of a stochastic method is itself statistical, and one unlucky final iterate
in five does not fail it. The *robustness* of a cell is
the share of all its runs (every setting, every seed) that passed: how much of the grid
works, i.e. how little tuning the optimizer needs there.
"""

from __future__ import annotations

import numpy as np

PASS_SHARE = 0.8
FIELDS = ("optimizer", "setting", "problem", "seed", "final_loss", "passed", "diverged",
          "evaluations")


def _unique(values) -> list:
    return list(dict.fromkeys(values))


class ResultTable:
    """The suite's records with ``where``, ``best``, ``matrix``, ``robustness`` and text."""

    def __init__(self, records, statements: dict | None = None, seeds=(),
                 notebooks: dict | None = None):
        self.records = list(records)
        self.statements = dict(statements or {})
        self.seeds = tuple(seeds)
        self.notebooks = dict(notebooks or {})

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self):
        return iter(self.records)

    def __getitem__(self, i):
        return self.records[i]

    def __repr__(self) -> str:
        return (f"ResultTable({len(self)} runs: {len(self.optimizers)} optimizers × "
                f"{len(self.problems)} problems × {len(self.seeds)} seeds)")

    def where(self, **conditions) -> ResultTable:
        """The records whose fields equal the given values (or satisfy a given predicate)."""
        def ok(record):
            return all(cond(record[k]) if callable(cond) else record[k] == cond
                       for k, cond in conditions.items())
        return ResultTable([r for r in self.records if ok(r)], self.statements, self.seeds,
                           self.notebooks)

    def column(self, name: str) -> list:
        return [r[name] for r in self.records]

    @property
    def optimizers(self) -> list:
        return _unique(self.column("optimizer"))

    @property
    def problems(self) -> list:
        return _unique(self.column("problem"))

    # --- summaries --------------------------------------------------------------------------
    def settings(self, optimizer: str, problem: str) -> list[dict]:
        """Per setting of ``optimizer`` on ``problem``: label, lr, pass share, median loss."""
        rows = [r for r in self.records if r["optimizer"] == optimizer and r["problem"] == problem]
        out = []
        for index in _unique(r["setting_index"] for r in rows):
            runs = [r for r in rows if r["setting_index"] == index]
            losses = np.array([r["final_loss"] for r in runs])
            out.append({"setting": runs[0]["setting"], "setting_index": index,
                        "lr": runs[0]["lr"], "hyper": runs[0]["hyper"],
                        "pass_share": float(np.mean([r["passed"] for r in runs])),
                        "diverged_share": float(np.mean([r["diverged"] for r in runs])),
                        "median_loss": float(np.median(losses)), "runs": len(runs),
                        "evaluations": int(np.median([r["evaluations"] for r in runs]))})
        return out

    def best(self, optimizer: str, problem: str) -> dict:
        """The best setting of a cell (see the module docstring), with ``passes``."""
        options = self.settings(optimizer, problem)
        if not options:
            raise ValueError(f"no runs of {optimizer!r} on {problem!r}")
        top = min(options, key=lambda o: (-o["pass_share"], o["median_loss"],
                                          o["setting_index"]))
        return {**top, "passes": top["pass_share"] >= PASS_SHARE - 1e-12,
                "robustness": self.robustness(optimizer, problem)}

    def matrix(self) -> dict:
        """{(optimizer, problem): best setting} for every cell."""
        return {(o, p): self.best(o, p) for o in self.optimizers for p in self.problems}

    def robustness(self, optimizer: str, problem: str | None = None) -> float:
        """The share of the runs (all settings × seeds) that passed, on ``problem`` or, with
        none given, averaged over the problems."""
        if problem is None:
            return float(np.mean([self.robustness(optimizer, p) for p in self.problems]))
        runs = [r["passed"] for r in self.records
                if r["optimizer"] == optimizer and r["problem"] == problem]
        return float(np.mean(runs)) if runs else float("nan")

    def passed_problems(self, optimizer: str) -> list:
        """The problems whose cell passes for ``optimizer``."""
        return [p for p in self.problems if self.best(optimizer, p)["passes"]]

    # --- text -------------------------------------------------------------------------------
    def to_text(self, fields=FIELDS, limit: int | None = None) -> str:
        """The records as an aligned text table (the first ``limit`` rows)."""
        rows = self.records if limit is None else self.records[:limit]

        def cell(value):
            if isinstance(value, (bool, np.bool_)):
                return "yes" if value else "no"
            if isinstance(value, float):
                return f"{value:.3g}"
            return str(value)

        body = [[cell(r[f]) for f in fields] for r in rows]
        widths = [max([len(f)] + [len(b[i]) for b in body]) for i, f in enumerate(fields)]
        lines = ["  ".join(f.ljust(w) for f, w in zip(fields, widths, strict=True))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)) for b in body]
        if limit is not None and len(self.records) > limit:
            lines.append(f"... ({len(self.records) - limit} more rows)")
        return "\n".join(lines)

    def matrix_text(self, width: int = 7) -> str:
        """Optimizers as rows, problems as columns: each cell's best pass share (✔ when the
        cell passes), with the problems' names numbered underneath."""
        problems = self.problems
        name_w = max(len(o) for o in self.optimizers)
        head = " " * name_w + "".join(f"{i + 1:>{width}}" for i in range(len(problems)))
        lines = [head]
        for o in self.optimizers:
            cells = []
            for p in problems:
                b = self.best(o, p)
                mark = "✔" if b["passes"] else f"{b['pass_share']:.1f}"
                cells.append(f"{mark:>{width}}")
            lines.append(o.ljust(name_w) + "".join(cells))
        lines.append("")
        lines += [f"{i + 1:>3}. {p}" for i, p in enumerate(problems)]
        return "\n".join(lines)
