"""The runner: every optimizer × every setting of its grid × every prototype × every seed.

``run_suite`` returns a ``ResultTable`` with one record per (optimizer, setting, problem,
seed): the final (noise-free) loss, whether the run passed the problem's stated criterion,
whether it diverged, and the evaluations it used. A run is ``steps`` calls of the
optimizer's ``step`` (the problem's own budget by default) from ``problem.theta0(seed)``,
with the problem's noise seeded by ``seed``: ``run_one`` repeats any row of the table on
its own, and records the path for plots.

Speed: a *separable* optimizer (coordinate-wise, ``OptimizerSpec.separable``) runs all the
seeds of one problem at once, on a ``SeedStack``: the seeds' copies of the problem side by
side as one problem of dimension seeds × dim, each copy with its own noise generator. Row
r of that run is exactly the run of seed r alone, at a fraction of the cost. When its
``make`` also takes a rate applied element-wise (``OptimizerSpec.vector_lr``), the whole
grid of rates joins the stack: one row per (rate, seed), each row's coordinates with their
own ε (``RowRates``). Other optimizers (line searches, hypergradient descent's dot product)
run seed by seed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np

from ..objectives.base import Objective
from ..run import Counts, Oracle
from ..schedules.base import Schedule
from .catalog import default_suite
from .contenders import OptimizerSpec, default_contenders
from .problem import Prototype
from .table import ResultTable

DEFAULT_SEEDS = (0, 1, 2, 3, 4)
BLOWUP = 1e12           # a final loss above BLOWUP × (1 + |J(θ₀)|) counts as diverged


class SeedStack(Objective):
    """Copies of ``problem`` for several seeds, side by side: θ = (θ_seed₀, θ_seed₁, ...).

    The gradient of each copy is drawn from its own generator (the one
    ``problem.with_seed(seed)`` would use) and the copies share the clock of a drifting
    optimum, so each block of a run is the run of that seed alone.
    """

    n_examples = None

    def __init__(self, problem: Prototype, seeds):
        self.problem, self.seeds = problem, tuple(int(s) for s in seeds)
        self.rngs = [np.random.default_rng(s) for s in self.seeds]
        self.rows, self.width = len(self.seeds), problem.dim
        self.dim, self.t = self.rows * self.width, 0
        self.name = f"{problem.name} × {self.rows} seeds"

    def split(self, theta) -> np.ndarray:
        return np.asarray(theta, dtype=float).reshape(self.rows, self.width)

    def loss(self, theta, batch=None) -> float:
        return float(self.problem.row_losses(self.split(theta), self.t).sum())

    def grad(self, theta, batch=None) -> np.ndarray:
        g = self.problem.row_grads(self.split(theta), self.rngs, self.t).ravel()
        self.t += 1
        return g

    def hessian(self, theta, batch=None) -> np.ndarray:
        H = np.zeros((self.dim, self.dim))
        for r, row in enumerate(self.split(theta)):
            block = slice(r * self.width, (r + 1) * self.width)
            H[block, block] = self.problem.hessian_at(row, self.t)
        return H


class RowRates(Schedule):
    """ε_k = one rate per coordinate of a stacked run, the same at every step k."""

    def __init__(self, rates):
        self.rates = np.asarray(rates, dtype=float)

    def rate(self, k):
        return self.rates

    def __repr__(self) -> str:
        return f"RowRates({len(self.rates)} coordinates)"


def _loop(objective, optimizer, theta0: np.ndarray, steps: int, path: list | None):
    """``steps`` steps of ``optimizer`` on ``objective`` (the loop of ``minimize`` without
    its record); returns the final θ and the evaluation counts."""
    counts, theta = Counts(), np.array(theta0, dtype=float)
    state = optimizer.init(theta)
    with np.errstate(all="ignore"):
        for _ in range(steps):
            theta, state = optimizer.step(theta, state, Oracle(objective, None, counts))
            theta = np.asarray(theta, dtype=float)
            if path is not None:
                path.append((theta.copy(), getattr(objective, "t", 0)))
    return theta, counts


def _outcome(problem: Prototype, Theta, t: int, start_losses, counts: Counts) -> list[dict]:
    """One dict per row of final points: loss, pass, divergence, evaluations."""
    losses = problem.row_losses(Theta, t)
    finite = np.all(np.isfinite(Theta), axis=1) & np.isfinite(losses)
    diverged = ~finite | (losses > BLOWUP * (1.0 + np.abs(start_losses)))
    passed = problem.row_passes(np.where(finite[:, None], Theta, np.nan),
                                np.where(finite, losses, np.nan), t) & ~diverged
    out = []
    for r in range(len(Theta)):
        loss = float(losses[r]) if finite[r] else float("inf")
        excess = loss - problem.min_value if np.isfinite(problem.min_value) else None
        out.append({"final_loss": loss, "excess": excess, "passed": bool(passed[r]),
                    "diverged": bool(diverged[r]), "nfev": counts.nfev, "ngev": counts.ngev,
                    "nhev": counts.nhev, "evaluations": counts.nfev + counts.ngev + counts.nhev,
                    "theta": Theta[r].copy()})
    return out


def run_one(optimizer, problem: Prototype, seed: int = 0, steps: int | None = None,
            record: bool = False) -> dict:
    """One run, as a row of the table (plus ``theta``, and with ``record`` the path:
    ``thetas`` (steps + 1, dim) and the noise-free ``losses`` along it)."""
    steps = problem.steps if steps is None else int(steps)
    run = problem.with_seed(seed)
    theta0 = problem.theta0(seed)
    path = [] if record else None
    theta, counts = _loop(run, optimizer, theta0, steps, path)
    row = _outcome(problem, theta[None, :], run.t, problem.row_losses(theta0[None, :], 0),
                   counts)[0]
    row.update(problem=problem.name, seed=int(seed), steps=steps)
    if record:
        thetas = np.vstack([theta0] + [p[0] for p in path])
        times = [0] + [p[1] for p in path]
        row["thetas"] = thetas
        with np.errstate(all="ignore"):
            row["losses"] = np.array([problem.row_losses(th[None, :], t)[0]
                                      for th, t in zip(thetas, times, strict=True)])
        row["centers"] = np.array([problem.center(t) for t in times])
    return row


def _run_stacked(optimizer, problem: Prototype, seeds, steps: int) -> list[dict]:
    stack = SeedStack(problem, seeds)
    starts = np.vstack([problem.theta0(s) for s in seeds])
    theta, counts = _loop(stack, optimizer, starts.ravel(), steps, None)
    rows = _outcome(problem, stack.split(theta), stack.t, problem.row_losses(starts, 0), counts)
    for row, seed in zip(rows, seeds, strict=True):
        row.update(problem=problem.name, seed=int(seed), steps=steps)
    return rows


def _run_grid_stacked(s: OptimizerSpec, problem: Prototype, seeds, steps: int) -> list:
    """Every (setting, seed) of a ``vector_lr`` spec as one stacked run: (index, setting,
    rows) per setting, rows in the order of ``seeds``."""
    grid = list(s.grid)
    rows_seeds = [seed for _ in grid for seed in seeds]
    rates = np.repeat([g["lr"] for g in grid for _ in seeds], problem.dim)
    stack = SeedStack(problem, rows_seeds)
    starts = np.vstack([problem.theta0(seed) for seed in rows_seeds])
    theta, counts = _loop(stack, s.make(lr=RowRates(rates)), starts.ravel(), steps, None)
    rows = _outcome(problem, stack.split(theta), stack.t, problem.row_losses(starts, 0), counts)
    for row, seed in zip(rows, rows_seeds, strict=True):
        row.update(problem=problem.name, seed=int(seed), steps=steps)
    n = len(seeds)
    return [(i, g, rows[i * n:(i + 1) * n]) for i, g in enumerate(grid)]


def run_suite(optimizers: dict | None = None, problems: dict | None = None,
              seeds=DEFAULT_SEEDS, steps: int | None = None,
              progress: bool | Callable = False) -> ResultTable:
    """Sweep ``optimizers`` ({name: OptimizerSpec}, default ``default_contenders()``) over
    ``problems`` ({name: Prototype}, default ``default_suite()``) and ``seeds``.

    ``steps``: one budget for every problem (default: each problem's own ``steps``).
    ``progress``: True prints one line per problem to stderr; a callable gets
    ``(runs done, runs in all, problem name)``. Nothing prints by default.
    """
    optimizers = default_contenders() if optimizers is None else dict(optimizers)
    problems = default_suite() if problems is None else dict(problems)
    for name, s in optimizers.items():
        if not isinstance(s, OptimizerSpec):
            raise ValueError(f"optimizers[{name!r}] must be an OptimizerSpec (see "
                             f"prototypes.spec), got {s!r}")
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    report = progress if callable(progress) else _print_progress if progress else None
    total = len(seeds) * len(problems) * sum(len(s.grid) for s in optimizers.values())
    records, done = [], 0
    for key, problem in problems.items():
        budget = problem.steps if steps is None else int(steps)
        for name, s in optimizers.items():
            if s.separable and s.vector_lr and all(set(g) == {"lr"} for g in s.grid):
                blocks = _run_grid_stacked(s, problem, seeds, budget)
            elif s.separable:
                blocks = [(i, g, _run_stacked(s.make(**g), problem, seeds, budget))
                          for i, g in enumerate(s.grid)]
            else:
                blocks = [(i, g, [run_one(s.make(**g), problem, seed, budget) for seed in seeds])
                          for i, g in enumerate(s.grid)]
            for index, setting, rows in blocks:
                for row in rows:
                    del row["theta"]
                    records.append({"optimizer": name, "setting": s.label(setting),
                                    "setting_index": index, "lr": setting.get("lr"),
                                    "hyper": dict(setting), "problem": key,
                                    **{k: v for k, v in row.items() if k != "problem"}})
                done += len(rows)
        if report is not None:
            report(done, total, key)
    statements = {key: p.statement() for key, p in problems.items()}
    return ResultTable(records, statements=statements, seeds=seeds,
                       notebooks={n: s.notebook for n, s in optimizers.items()})


def _print_progress(done: int, total: int, name: str) -> None:
    print(f"suite: {done}/{total} runs ({100 * done / total:.0f} %), done {name}",
          file=sys.stderr)
