"""Notebook ``06_adaptive_rates``: the explorer of several optimizers at once.

Pick any of SGD, momentum, AdaGrad, RMSProp, RMSProp with Nesterov momentum, Adam and
AdaDelta, their hyperparameters and a 2-D problem; the explorer runs each for ``STEPS``
steps and shows, side by side, the paths on the contours, the learning curves and the
internal state: every method's effective rate for each parameter (θ₁ solid, θ₂ dashed),
read off its state with ``optim.effective_lr``.

Hyperparameters that mean the same thing are shared: one ε for the four methods that divide
by √r (their ε is about the step each parameter takes), one ε for SGD and momentum (it
multiplies the gradient), ρ for the squared-gradient average of RMSProp, RMSProp+Nesterov and
AdaDelta, α for the momentum of momentum and RMSProp+Nesterov; Adam has its own ρ₁, ρ₂ and
the bias-correction switch. AdaDelta has no ε to set (Zeiler's method, ε = 1). A control
that no selected method uses is greyed out, with the methods it would steer (``USES``).

``compute_runs`` (in ``runs``) is pure; ``draw_runs`` keeps the axes and contours between
updates and moves only animated artists, so slider changes are blitted
(``course_lib.widgets``).
"""

from __future__ import annotations

import weakref

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import NullLocator

from ... import plotting
from ...widgets import Explorer, dropdown, float_slider
from .runs import (  # noqa: F401 - the explorer's compute side, re-exported for notebook and tests
    COLORS,
    LR_ADAPTIVE,
    METHODS,
    PROBLEMS,
    START_NAMES,
    STEPS,
    USES,
    compute_runs,
    describe,
    idle_controls,
    landscape,
    make_optimizer,
    min_value,
    start_point,
    summary_runs,
)

FIGSIZE = (10.8, 5.0)      # ≤ 10.8 in: the course's 13-pt text stays ≥ 9 px


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
    if r["methods"]:           # one legend under the panels: the methods, then θ₁ / θ₂
        handles = [artists[method, "loss"] for method in r["methods"]]
        handles += [Line2D([], [], color="black", linestyle=style, marker="none",
                           label=f"{name} (right)") for name, style in (("θ₁", "-"),
                                                                         ("θ₂", "--"))]
        fig.legend(handles=handles, loc="outside lower center",
                   ncols=min(len(handles), 5), fontsize=13)
    for ax in (loss_ax, eff_ax):
        ax.set_xlim(0, r["steps"])
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step k")
    loss_ax.set_ylabel("J(θₖ) − J*")
    loss_ax.set_title("learning curves")
    eff_ax.set_ylabel("effective rate εᵢ")
    eff_ax.set_title("each parameter's rate")
    path_ax.title.set_fontsize(13)
    for artist in [*artists.values(), path_ax.title]:
        artist.set_animated(True)
    return {"axes": [path_ax, loss_ax, eff_ax], "key": (r["problem"], r["methods"], r["steps"]),
            "artists": artists}


# --- the explorer ----------------------------------------------------------------------------
def adaptive_explorer(methods=("AdaGrad", "RMSProp", "Adam"), problem: str = "Rosenbrock",
                      start: str = "A", lr_adaptive: float = LR_ADAPTIVE, lr_sgd: float = 0.001,
                      rho: float = 0.9, alpha: float = 0.9, rho1: float = 0.9,
                      rho2: float = 0.999, bias_correction: bool = True,
                      challenge=None) -> Explorer:
    """A list of methods (ctrl/shift-click for several), the problem and start, the sliders.

    ``challenge``: a ``lessons.common.challenge.Challenge`` on ``compute_runs`` (the tuning
    exercise's ``checks.TUNING``): the explorer then shows its badge and the line to paste.
    Labels: "ε (adaptive)" is the ε of AdaGrad, RMSProp, RMSProp+Nesterov and Adam,
    "ε (SGD, mom.)" that of SGD and momentum, "ρ (RMSProp)" the ρ of RMSProp,
    RMSProp+Nesterov and AdaDelta.
    """
    controls = {
        "methods": widgets.SelectMultiple(options=list(METHODS), value=tuple(methods),
                                          rows=len(METHODS), description="methods",
                                          layout=dict(width="min(32em, 100%)"),
                                          style=dict(description_width="8em")),
        "problem": dropdown(list(PROBLEMS), problem, "problem"),
        "start": dropdown(list(START_NAMES), start, "start"),
        "lr_adaptive": float_slider(lr_adaptive, 1e-4, 3.0, 0.1, "ε (adaptive)", log=True),
        "lr_sgd": float_slider(lr_sgd, 1e-5, 1.0, 0.1, "ε (SGD, mom.)", log=True),
        "rho": float_slider(rho, 0.0, 0.999, 0.001, "ρ (RMSProp)"),
        "alpha": float_slider(alpha, 0.0, 0.99, 0.01, "α (momentum)"),
        "rho1": float_slider(rho1, 0.0, 0.99, 0.01, "ρ₁ (Adam)"),
        "rho2": float_slider(rho2, 0.0, 0.999, 0.001, "ρ₂ (Adam)"),
        "bias_correction": widgets.Checkbox(value=bias_correction, description="bias-correct",
                                            indent=False),
    }
    return Explorer(compute_runs, draw_runs, controls,
                    title="Adaptive learning rates: several optimizers side by side",
                    summary=summary_runs, figsize=FIGSIZE, clear=False,
                    badge=None if challenge is None else challenge.badge,
                    record=None if challenge is None else challenge.record,
                    disabled=idle_controls)


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_runs, compute_runs(**settings), FIGSIZE)
