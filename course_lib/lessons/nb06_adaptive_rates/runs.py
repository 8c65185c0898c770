"""Notebook ``06_adaptive_rates``: what the explorers compute (no drawing, no widgets).

The 2-D problems and their starts, the optimizers with the explorers' shared
hyperparameters (``make_optimizer``), ``compute_runs`` (every selected method run from the
chosen start, with its effective rates read off its state) and its summary, and which
control steers which method (``USES``, ``idle_controls``). ``adaptive_explorer`` draws it;
``tuning.py`` runs one method of it for the tuning exercise.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ... import data, plotting
from ...objectives import Beale, LogisticRegression, Quadratic, Rosenbrock, SixHumpCamel
from ...optim import (
    SGD,
    AdaDelta,
    AdaGrad,
    Adam,
    Momentum,
    RMSProp,
    RMSPropNesterov,
    effective_lrs,
)
from ...run import minimize

STEPS = 120
METHODS = ("SGD", "momentum", "AdaGrad", "RMSProp", "RMSProp+Nesterov", "Adam", "AdaDelta")
COLORS = dict(zip(METHODS, plotting.PALETTE, strict=False))
START_NAMES = ("A", "B", "C")


def _logistic_2d():
    """Logistic regression with two weights (no bias) on two Gaussian classes, the second
    input ten times larger than the first: curvatures about 0.09 and 10 along the axes."""
    X, y = data.two_gaussians(200, seed=0, separation=2.0)
    f = LogisticRegression(X * np.array([1.0, 10.0]), y)
    f.name = "logistic regression, 2 weights"
    return f


# name -> (factory, starts A, B, C, square plotting box)
PROBLEMS = {
    "Rosenbrock": (Rosenbrock, ((-1.0, -0.5), (-1.5, 2.0), (1.8, 2.5)), (-2.0, 2.0, -1.0, 3.0)),
    "bowl κ = 100, axis-aligned": (lambda: Quadratic((1.0, 100.0)),
                                   ((2.0, 1.0), (-2.5, -2.0), (0.5, 2.5)),
                                   (-3.0, 3.0, -3.0, 3.0)),
    "bowl κ = 100, rotated 30°": (lambda: Quadratic((1.0, 100.0), angle=math.pi / 6),
                                  ((2.0, 1.0), (-2.5, -2.0), (0.5, 2.5)),
                                  (-3.0, 3.0, -3.0, 3.0)),
    "Beale": (Beale, ((1.0, 1.4), (-1.0, 1.0), (2.0, -1.2)), (-1.5, 4.5, -2.5, 3.5)),
    "six-hump camel": (SixHumpCamel, ((-2.0, 1.0), (1.5, -1.0), (0.3, 1.0)),
                       (-2.2, 2.2, -2.2, 2.2)),
    "logistic regression, 2 weights": (_logistic_2d, ((-0.5, 1.5), (2.8, -1.5), (0.0, 0.0)),
                                       (-1.0, 3.0, -2.0, 2.0)),
}


@functools.cache
def landscape(name: str):
    """The objective called ``name`` (one object per name, so its contour grid is cached)."""
    if name not in PROBLEMS:
        raise ValueError(f"problem must be one of {list(PROBLEMS)}, got {name!r}")
    return PROBLEMS[name][0]()


@functools.cache
def min_value(name: str) -> float:
    """J* of the problem: known for the test functions; for the logistic regression, Adam
    with the decaying rate 0.05/√t run until ‖∇J‖∞ ≤ 1e-8 (the loss is convex)."""
    f = landscape(name)
    known = getattr(f, "min_value", None)
    if isinstance(known, float) and math.isfinite(known):
        return known
    trace = minimize(f, Adam(lr=lambda t: 0.05 / math.sqrt(t)), np.zeros(2), 20_000, tol=1e-8)
    return float(trace.loss)


def start_point(name: str, start: str) -> np.ndarray:
    if start not in START_NAMES:
        raise ValueError(f"start must be one of {START_NAMES}, got {start!r}")
    landscape(name)                      # validates the name
    return np.array(PROBLEMS[name][1][START_NAMES.index(start)], dtype=float)


# control → the methods it steers; with none of them selected it is disabled, with a reason
USES = {"lr_adaptive": ("AdaGrad", "RMSProp", "RMSProp+Nesterov", "Adam"),
        "lr_sgd": ("SGD", "momentum"),
        "rho": ("RMSProp", "RMSProp+Nesterov", "AdaDelta"),
        "alpha": ("momentum", "RMSProp+Nesterov"),
        "rho1": ("Adam",), "rho2": ("Adam",), "bias_correction": ("Adam",)}
LR_ADAPTIVE = 10 ** -1.5        # 0.0316: on the log slider's grid (ten points per decade)


def idle_controls(settings: dict) -> dict:
    """{control: why it is disabled} for the controls that no selected method uses."""
    chosen = set(settings.get("methods", ()))
    return {name: "no selected method uses it; select " + " or ".join(users)
            for name, users in USES.items() if name in settings and not chosen & set(users)}


def make_optimizer(method: str, lr_adaptive=LR_ADAPTIVE, lr_sgd=0.001, rho=0.9, alpha=0.9,
                   rho1=0.9, rho2=0.999, bias_correction=True):
    """The optimizer called ``method`` with the explorer's shared hyperparameters."""
    makers = {
        "SGD": lambda: SGD(lr=lr_sgd),
        "momentum": lambda: Momentum(lr=lr_sgd, alpha=alpha),
        "AdaGrad": lambda: AdaGrad(lr=lr_adaptive),
        "RMSProp": lambda: RMSProp(lr=lr_adaptive, rho=rho),
        "RMSProp+Nesterov": lambda: RMSPropNesterov(lr=lr_adaptive, rho=rho, alpha=alpha),
        "Adam": lambda: Adam(lr=lr_adaptive, rho1=rho1, rho2=rho2,
                             bias_correction=bool(bias_correction)),
        "AdaDelta": lambda: AdaDelta(rho=rho),
    }
    if method not in makers:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return makers[method]()


def describe(method: str, s: dict) -> str:
    """The method with the hyperparameters it uses, e.g. "Adam, ε = 0.01, ρ₁ = 0.9, …"."""
    parts = {"SGD": [f"ε = {s['lr_sgd']:.3g}"],
             "momentum": [f"ε = {s['lr_sgd']:.3g}", f"α = {s['alpha']:.2f}"],
             "AdaGrad": [f"ε = {s['lr_adaptive']:.3g}"],
             "RMSProp": [f"ε = {s['lr_adaptive']:.3g}", f"ρ = {s['rho']:.3f}"],
             "RMSProp+Nesterov": [f"ε = {s['lr_adaptive']:.3g}", f"ρ = {s['rho']:.3f}",
                                  f"α = {s['alpha']:.2f}"],
             "Adam": [f"ε = {s['lr_adaptive']:.3g}", f"ρ₁ = {s['rho1']:.2f}",
                      f"ρ₂ = {s['rho2']:.3f}"]
             + ([] if s["bias_correction"] else ["no bias correction"]),
             "AdaDelta": [f"ρ = {s['rho']:.3f}"]}[method]
    return f"{method}, " + ", ".join(parts)


def compute_runs(methods=("AdaGrad", "RMSProp", "Adam"), problem: str = "Rosenbrock",
                 start: str = "A", lr_adaptive: float = LR_ADAPTIVE, lr_sgd: float = 0.001,
                 rho: float = 0.9, alpha: float = 0.9, rho1: float = 0.9, rho2: float = 0.999,
                 bias_correction: bool = True, steps: int = STEPS) -> dict:
    """Run every selected method for at most ``steps`` steps from the chosen start."""
    f, theta0 = landscape(problem), start_point(problem, start)
    settings = dict(lr_adaptive=lr_adaptive, lr_sgd=lr_sgd, rho=rho, alpha=alpha, rho1=rho1,
                    rho2=rho2, bias_correction=bool(bias_correction))
    j_star = min_value(problem)
    runs = {}
    for method in METHODS:                 # the order of METHODS, whatever the selection order
        if method not in methods:
            continue
        optimizer = make_optimizer(method, **settings)
        trace = minimize(f, optimizer, theta0, steps, warn=False)
        runs[method] = {"label": describe(method, settings), "thetas": trace.thetas,
                        "excess": trace.losses - j_star, "eff": effective_lrs(optimizer, trace),
                        "stop_reason": trace.stop_reason, "steps_run": trace.n_steps,
                        "final_excess": float(trace.losses[-1] - j_star)}
    return {"problem": problem, "start": start, "theta0": theta0, "steps": int(steps),
            "methods": tuple(runs), "runs": runs, "box": PROBLEMS[problem][2], **settings}


def summary_runs(r: dict) -> str:
    """One line per method: how its run ended, J − J*, where, and its final rates."""
    x, y = r["theta0"]
    lines = [f"{r['problem']} from {r['start']} = ({x:g}, {y:g}), at most {r['steps']} steps"]
    if not r["runs"]:
        lines.append("no method selected: pick one or more in the list")
    for run in r["runs"].values():
        end = {"steps": "all steps used", "converged": "converged",
               "diverged": f"diverged after {run['steps_run']} steps"}[run["stop_reason"]]
        fx, fy = run["thetas"][-1]
        rates = (f"; rates at the end ({run['eff'][-1, 0]:.2g}, {run['eff'][-1, 1]:.2g})"
                 if len(run["eff"]) else "")
        lines.append(f"{run['label']}: {end}, J − J* = {run['final_excess']:.3g} at "
                     f"({fx:.3g}, {fy:.3g}){rates}")
    return "\n".join(lines)
