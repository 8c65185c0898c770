"""The optimizers the suite compares, each with its grid of hyperparameters.

An ``OptimizerSpec`` is a name, a factory ``make(**setting) → Optimizer``, the grid of
settings to try, whether the optimizer is *separable* (coordinate-wise: each parameter's
update reads only its own gradient history, so the suite may run several seeds as one
problem) and the notebook that teaches it. ``default_contenders()`` gives the course's
first-order methods, hypergradient descent and the learned rule.

``from_step`` turns a step function of an exercise (``momentum_step(theta, v, g, lr,
alpha)`` of notebook 04, ``adam_step`` of notebook 06...) into an ``Optimizer``, so a
learner's own code joins the results matrix in one line::

    spec("my momentum", lambda lr: from_step(momentum_step, lr=lr, alpha=0.9, v=0.0))
"""

from __future__ import annotations

import functools
import inspect
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..optim import (
    SGD,
    VSGD,
    AdaDelta,
    AdaGrad,
    Adam,
    HypergradientSGD,
    Momentum,
    Nesterov,
    Optimizer,
    RMSProp,
)

LR_GRID = tuple(float(x) for x in 10.0 ** np.arange(-3.0, 0.75, 0.5))   # 1e-3 … 3.16


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer and the settings to try: ``make(**setting)`` for each of ``grid``.

    ``vector_lr``: ``make(lr=schedule)`` accepts a schedule whose value is an array and
    applies it element-wise (true of the course's SGD, momentum, Nesterov, AdaGrad, RMSProp,
    Adam and AdaDelta): the suite then runs the whole grid of rates (× seeds) as one problem.
    """

    name: str
    make: Callable
    grid: tuple = field(default_factory=lambda: ({},))
    separable: bool = False
    notebook: str = ""
    vector_lr: bool = False

    def label(self, setting: dict) -> str:
        """A setting in the book's symbols, e.g. "ε = 0.01" (or "—" for none)."""
        symbols = {"lr": "ε", "alpha": "α", "beta": "β", "rho": "ρ"}
        return ", ".join(f"{symbols.get(k, k)} = {v:.3g}" for k, v in setting.items()) or "—"


def spec(name: str, make: Callable, grid=None, separable: bool = False,
         notebook: str = "", vector_lr: bool = False) -> OptimizerSpec:
    """An ``OptimizerSpec``; ``grid`` defaults to the learning rates ``LR_GRID`` when
    ``make`` takes ``lr``, else to one setting. ``separable``: the optimizer is
    coordinate-wise (seeds may run side by side); ``vector_lr``: see ``OptimizerSpec``."""
    if not callable(make):
        raise ValueError(f"make must be callable, got {make!r}")
    if grid is None:
        takes_lr = "lr" in inspect.signature(make).parameters
        grid = tuple({"lr": lr} for lr in LR_GRID) if takes_lr else ({},)
    grid = tuple(dict(g) for g in grid)
    if not grid:
        raise ValueError("grid must hold at least one setting")
    return OptimizerSpec(name, make, grid, bool(separable), notebook, bool(vector_lr))


# --- a learner's step function as an Optimizer ----------------------------------------------
class StepFunction(Optimizer):
    """``fn(theta, <state...>, g, <hyperparameters...>)`` → (theta, <state...>) as an
    ``Optimizer``: the names before ``g`` (after ``theta``) are the state, the names after
    it the hyperparameters. ``state``: the start of each state name, a float (an array of
    that value, shaped like θ) or an int (a counter such as Adam's t)."""

    def __init__(self, fn: Callable, state: dict, hyper: dict):
        if not callable(fn):
            raise ValueError(f"fn must be callable, got {fn!r}")
        names = list(inspect.signature(fn).parameters)
        if names[:1] != ["theta"] or "g" not in names:
            raise ValueError(f"fn must take (theta, <state...>, g, <hyperparameters...>), "
                             f"got ({', '.join(names)})")
        self.state_names = tuple(names[1:names.index("g")])
        self.hyper_names = tuple(names[names.index("g") + 1:])
        missing = sorted(set(self.state_names) - set(state))
        unknown = sorted(set(hyper) - set(self.hyper_names))
        if missing or unknown or set(self.hyper_names) - set(hyper):
            raise ValueError(f"fn's state {self.state_names} needs a start for each (missing "
                             f"{missing}); its hyperparameters are {self.hyper_names} "
                             f"(given {sorted(hyper)})")
        self.fn, self.start, self.hyper = fn, dict(state), dict(hyper)

    def lr_at(self, k: int) -> float:
        return float(self.hyper.get("lr", np.nan))

    def init(self, theta):
        theta = np.asarray(theta, dtype=float)
        return tuple(value if isinstance(value, numbers.Integral)
                     else np.full_like(theta, float(value)) for value in
                     (self.start[name] for name in self.state_names))

    def step(self, theta, state, oracle):
        g = oracle.grad(theta)
        out = self.fn(np.array(theta), *[np.copy(s) if isinstance(s, np.ndarray) else s
                                          for s in state], g,
                      *[self.hyper[name] for name in self.hyper_names])
        if not self.state_names:
            return np.asarray(out, dtype=float), ()
        return np.asarray(out[0], dtype=float), tuple(out[1:])


def from_step(fn: Callable, **values) -> StepFunction:
    """``fn`` (an exercise's step function) as an ``Optimizer``; ``values`` give its
    hyperparameters and the start of its state, by name (e.g. ``lr=0.1, alpha=0.9,
    v=0.0``)."""
    names = list(inspect.signature(fn).parameters) if callable(fn) else []
    cut = names.index("g") if "g" in names else len(names)
    state = {k: v for k, v in values.items() if k in names[1:cut]}
    return StepFunction(fn, state, {k: v for k, v in values.items() if k not in state})


# --- the course's contenders ---------------------------------------------------------------
@functools.cache
def learned_meta():
    """The learned rule's meta-training (``course_lib.learned.meta_train()`` with its
    defaults: seeded, about a second), done once per session; its ``MetaResult``."""
    from ..learned import meta_train
    return meta_train()


def learned_phi() -> tuple:
    """φ of the learned rule that the suite runs (see ``learned_meta``)."""
    return tuple(float(x) for x in learned_meta().phi)


def _learned(**_):
    from ..learned import LearnedOptimizer
    return LearnedOptimizer(np.array(learned_phi()))


HD_BETA = 0.01


def default_contenders() -> dict:
    """{name: OptimizerSpec} for the suite's default sweep."""
    adadelta_grid = tuple({"lr": float(x)} for x in 10.0 ** np.arange(-1.0, 1.75, 0.5))
    fast = {"separable": True, "vector_lr": True}
    specs = [
        spec("SGD", lambda lr: SGD(lr=lr), notebook="03_sgd_schedules", **fast),
        spec("momentum", lambda lr: Momentum(lr=lr, alpha=0.9), notebook="04_momentum_physics",
             **fast),
        spec("Nesterov", lambda lr: Nesterov(lr=lr, alpha=0.9), notebook="04_momentum_physics",
             **fast),
        spec("AdaGrad", lambda lr: AdaGrad(lr=lr), notebook="06_adaptive_rates", **fast),
        spec("RMSProp", lambda lr: RMSProp(lr=lr), notebook="06_adaptive_rates", **fast),
        spec("Adam", lambda lr: Adam(lr=lr), notebook="06_adaptive_rates", **fast),
        spec("AdaDelta", lambda lr: AdaDelta(lr=lr), grid=adadelta_grid,
             notebook="06_adaptive_rates", **fast),
        spec("vSGD", lambda: VSGD(), separable=True, notebook="06_adaptive_rates"),
        spec("SGD-HD", lambda lr: HypergradientSGD(lr=lr, beta=HD_BETA),
             notebook="10_testing_optimizers"),
        spec("learned", _learned, separable=True, notebook="10_testing_optimizers"),
    ]
    return {s.name: s for s in specs}
