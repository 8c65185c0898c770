"""Notebook ``06_adaptive_rates``: the explorer of several optimizers at once.

Pick any of SGD, momentum, AdaGrad, RMSProp, RMSProp with Nesterov momentum, Adam and
AdaDelta, their hyperparameters and a 2-D problem; the explorer runs each for ``STEPS``
steps and shows, side by side, the paths on the contours, the learning curves and the
internal state: every method's effective rate for each parameter (θ₁ solid, θ₂ dashed),
read off its state with ``optim.effective_lr``.

Hyperparameters that mean the same thing are shared: one ε for the four methods that divide
by √r (their ε is about the step each parameter takes), one ε for SGD and momentum (it
multiplies the gradient), ρ for the squared-gradient average of RMSProp and AdaDelta, α
for the momentum of momentum and RMSProp+Nesterov; Adam has its own ρ₁, ρ₂ and the
bias-correction switch. AdaDelta has no ε to set (Zeiler's method, ε = 1).

``compute_runs`` is pure; ``draw_runs`` keeps the axes and contours between updates and
moves only animated artists, so slider changes are blitted (``course_lib.widgets``).
"""

from __future__ import annotations

import functools
import math
import weakref

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import NullLocator

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
from ...widgets import Explorer, dropdown, float_slider

STEPS = 120
FIGSIZE = (14.0, 4.6)
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


def make_optimizer(method: str, lr_adaptive=0.03, lr_sgd=0.001, rho=0.9, alpha=0.9,
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
                 start: str = "A", lr_adaptive: float = 0.03, lr_sgd: float = 0.001,
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


# --- drawing ---------------------------------------------------------------------------------
_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_runs(r: dict, fig) -> None:
    """Paths | J − J* | effective rates. Axes, contours and legends are built once per
    (problem, selection); an update moves only the animated lines and titles."""
    panels = _PANELS.get(fig)
    key = (r["problem"], r["methods"], r["steps"])
    if panels is None or panels["axes"] != fig.axes or panels["key"] != key:
        panels = _PANELS[fig] = _build_panels(fig, r)
    path_ax, loss_ax, eff_ax = panels["axes"]
    art = panels["artists"]
    excess, rates = [], []
    for method in r["methods"]:
        run = r["runs"][method]
        art[method, "path"].set_data(run["thetas"][:, 0], run["thetas"][:, 1])
        y = np.where(run["excess"] > 0, run["excess"], np.nan)
        art[method, "loss"].set_data(np.arange(len(y)), y)
        excess.append(y)
        k = np.arange(1, len(run["eff"]) + 1)
        for p in range(2):
            art[method, "eff", p].set_data(k, run["eff"][:, p])
        rates.append(run["eff"].ravel())
    for ax, values, lowest in ((loss_ax, excess, -30), (eff_ax, rates, -12)):
        values = np.concatenate(values) if values else np.array([1.0])
        values = values[np.isfinite(values) & (values > 0)]
        ylim = plotting.decade_range(values, 4, 2, lowest=lowest, empty=(1e-6, 1e2))
        if ax.get_ylim() != ylim:
            ax.set_ylim(*ylim)
    path_ax.title.set_text(f"{r['problem']}, start {r['start']}")


def _build_panels(fig, r: dict) -> dict:
    fig.clear()
    path_ax, loss_ax, eff_ax = fig.subplots(1, 3, width_ratios=[1.1, 1, 1])
    box = r["box"]
    plotting.contour(landscape(r["problem"]), ax=path_ax, box=box, n=90)
    path_ax.set_xlim(box[0], box[1])
    path_ax.set_ylim(box[2], box[3])
    path_ax.plot(*r["theta0"], marker="s", markersize=11, linestyle="none",
                 markerfacecolor="white", markeredgecolor="black", markeredgewidth=2.0,
                 zorder=4)
    artists = {}
    for method in r["methods"]:
        color, marker = COLORS[method], plotting.MARKERS[METHODS.index(method)]
        artists[method, "path"], = path_ax.plot([], [], color=color, marker=marker,
                                                markersize=3.5, linewidth=1.6, label=method)
        artists[method, "loss"], = loss_ax.plot([], [], color=color, marker=marker,
                                                markevery=12, markersize=5, label=method)
        for p in range(2):
            artists[method, "eff", p], = eff_ax.plot([], [], color=color, marker="none",
                                                     linestyle=("-", "--")[p], linewidth=2.0)
    if r["methods"]:
        loss_ax.legend(loc="lower left", fontsize=10)
        eff_ax.plot([], [], color="black", linestyle="-", marker="none", label="θ₁")
        eff_ax.plot([], [], color="black", linestyle="--", marker="none", label="θ₂")
        eff_ax.legend(loc="lower left", fontsize=10)
    for ax in (loss_ax, eff_ax):
        ax.set_xlim(0, r["steps"])
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step k")
    loss_ax.set_ylabel("J(θ_k) − J*")
    loss_ax.set_title("learning curves")
    eff_ax.set_ylabel("effective rate ε_eff,i")
    eff_ax.set_title("each parameter's rate")
    for artist in [*artists.values(), path_ax.title]:
        artist.set_animated(True)
    return {"axes": [path_ax, loss_ax, eff_ax], "key": (r["problem"], r["methods"], r["steps"]),
            "artists": artists}


# --- the explorer ----------------------------------------------------------------------------
def adaptive_explorer(methods=("AdaGrad", "RMSProp", "Adam"), problem: str = "Rosenbrock",
                      start: str = "A", lr_adaptive: float = 0.03, lr_sgd: float = 0.001,
                      rho: float = 0.9, alpha: float = 0.9, rho1: float = 0.9,
                      rho2: float = 0.999, bias_correction: bool = True) -> Explorer:
    """A list of methods (ctrl/shift-click for several), the problem and start, the sliders."""
    controls = {
        "methods": widgets.SelectMultiple(options=list(METHODS), value=tuple(methods),
                                          rows=len(METHODS), description="methods",
                                          layout=dict(width="min(32em, 100%)"),
                                          style=dict(description_width="8em")),
        "problem": dropdown(list(PROBLEMS), problem, "problem"),
        "start": dropdown(list(START_NAMES), start, "start"),
        "lr_adaptive": float_slider(lr_adaptive, 1e-4, 3.0, 0.1, "ε (AdaGrad, RMSProp, Adam)",
                                    log=True),
        "lr_sgd": float_slider(lr_sgd, 1e-5, 1.0, 0.1, "ε (SGD, momentum)", log=True),
        "rho": float_slider(rho, 0.0, 0.999, 0.001, "ρ (RMSProp, AdaDelta)"),
        "alpha": float_slider(alpha, 0.0, 0.99, 0.01, "α (momentum)"),
        "rho1": float_slider(rho1, 0.0, 0.99, 0.01, "ρ₁ (Adam)"),
        "rho2": float_slider(rho2, 0.0, 0.999, 0.001, "ρ₂ (Adam)"),
        "bias_correction": widgets.Checkbox(value=bias_correction,
                                            description="Adam's bias correction"),
    }
    return Explorer(compute_runs, draw_runs, controls,
                    title="Adaptive learning rates: several optimizers side by side",
                    summary=summary_runs, figsize=FIGSIZE, clear=False)


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_runs, compute_runs(**settings), FIGSIZE)
