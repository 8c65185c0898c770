"""Notebook ``04_momentum_physics``: the explorer of gradient descent, momentum and Nesterov.

Pick a method (gradient descent, Algorithm 8.2 momentum, Algorithm 8.3 Nesterov), ε, α, a
landscape and a start; the explorer runs ``STEPS`` steps and shows the path with its
velocity arrows (every ``ARROW_EVERY`` steps) on the contours, and the learning curve.

The arrows are the velocity v_k = θ_k − θ_{k−1}: for momentum and Nesterov that is exactly
the state v of Algorithms 8.2–8.3 (θ ← θ + v); for gradient descent it is the last step −εg.

``compute_path`` is pure; ``draw_path`` reuses the figure's axes and contours between updates
and moves only animated artists, so the explorer redraws just those over a cached
background (see ``course_lib.widgets.Explorer``).
"""

from __future__ import annotations

import functools
import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...objectives import Beale, Quadratic, Rosenbrock, Saddle, SixHumpCamel
from ...optim import SGD, Momentum, Nesterov
from ...run import minimize
from ...widgets import Explorer, dropdown, float_slider

STEPS = 150
ARROW_EVERY = 5
TOL = 1e-6              # stop as "converged" once ‖∇J‖∞ ≤ TOL
FIGSIZE = (11.5, 4.8)
METHODS = ("gradient descent", "momentum", "Nesterov")
START_NAMES = ("A", "B", "C")


class _Bowl(Quadratic):
    """A named ill-conditioned quadratic with a plotting box."""

    box = (-3.0, 3.0, -3.0, 3.0)


# name -> (factory, the starts A, B, C, the plotting box). Every box is square, so the
# explorer's panels keep one layout whichever landscape is shown.
LANDSCAPES = {
    "ill-conditioned quadratic (κ = 20)": (
        lambda: _Bowl((1.0, 20.0), angle=np.pi / 6, name="ill-conditioned quadratic"),
        ((-2.5, 2.0), (2.5, 1.0), (-1.0, -2.8)), (-3.0, 3.0, -3.0, 3.0)),
    "Rosenbrock": (Rosenbrock, ((-1.5, 2.0), (-1.0, -0.5), (1.8, 2.5)), (-2.0, 2.0, -1.0, 3.0)),
    "Beale": (Beale, ((1.0, 1.4), (-1.0, 1.0), (2.0, -1.2)), (-1.5, 4.5, -2.5, 3.5)),
    "six-hump camel": (SixHumpCamel, ((-2.0, 1.0), (1.5, -1.0), (0.3, 1.0)),
                       (-2.2, 2.2, -2.2, 2.2)),
    "saddle": (Saddle, ((1.8, 0.01), (1.5, 0.6), (-1.8, -0.2)), (-2.0, 2.0, -2.0, 2.0)),
}


@functools.cache
def landscape(name: str):
    """The objective called ``name`` (one object per name, so its contour grid is cached)."""
    if name not in LANDSCAPES:
        raise ValueError(f"landscape must be one of {list(LANDSCAPES)}, got {name!r}")
    return LANDSCAPES[name][0]()


def start_point(name: str, start: str) -> np.ndarray:
    if start not in START_NAMES:
        raise ValueError(f"start must be one of {START_NAMES}, got {start!r}")
    return np.array(LANDSCAPES[name][1][START_NAMES.index(start)], dtype=float)


def make_optimizer(method: str, lr: float, alpha: float):
    if method == "gradient descent":
        return SGD(lr=lr)
    if method == "momentum":
        return Momentum(lr=lr, alpha=alpha)
    if method == "Nesterov":
        return Nesterov(lr=lr, alpha=alpha)
    raise ValueError(f"method must be one of {METHODS}, got {method!r}")


def compute_path(method: str = "momentum", lr: float = 10 ** -1.5, alpha: float = 0.9,
                 function: str = "ill-conditioned quadratic (κ = 20)", start: str = "A",
                 steps: int = STEPS) -> dict:
    """Run ``method`` for at most ``steps`` steps; the path, velocities, losses and numbers."""
    f = landscape(function)
    theta0 = start_point(function, start)
    trace = minimize(f, make_optimizer(method, lr, alpha), theta0, steps, tol=TOL, warn=False)
    velocities = np.vstack([np.zeros((1, 2)), np.diff(trace.thetas, axis=0)])   # v₀ = 0
    min_value = getattr(f, "min_value", None)
    finite_min = min_value is not None and np.isfinite(min_value)
    speeds = np.linalg.norm(velocities, axis=1)
    return {
        "method": method, "lr": float(lr), "alpha": float(alpha), "function": function,
        "start": start, "theta0": theta0, "steps": int(steps),
        "thetas": trace.thetas, "velocities": velocities, "losses": trace.losses,
        "min_value": float(min_value) if finite_min else None,
        "steps_run": trace.n_steps, "stop_reason": trace.stop_reason,
        "final_loss": trace.loss, "final_grad": float(trace.grad_norms[-1]),
        "final_theta": trace.theta.copy(), "max_speed": float(speeds.max()),
        "box": LANDSCAPES[function][2],
    }


def summary_path(r: dict) -> str:
    """The measured numbers of a run, in two lines."""
    alpha = "" if r["method"] == "gradient descent" else f", α = {r['alpha']:.2f}"
    stop = {"converged": f"converged (‖∇J‖∞ ≤ {TOL:g}) after {r['steps_run']} steps",
            "diverged": f"diverged after {r['steps_run']} steps (the loss blew up)",
            "steps": f"used all {r['steps_run']} steps"}[r["stop_reason"]]
    x, y = r["theta0"]
    head = (f"{r['method']}, ε = {r['lr']:.3g}{alpha} on {r['function']} from "
            f"{r['start']} = ({x:g}, {y:g}): {stop}")
    fx, fy = r["final_theta"]
    tail = (f"final J = {r['final_loss']:.4g} at ({fx:.4g}, {fy:.4g}), ‖∇J‖ = "
            f"{r['final_grad']:.2e}; top speed ‖v‖ = {r['max_speed']:.3g}")
    if r["method"] != "gradient descent":
        tail += f"; terminal-velocity factor 1/(1 − α) = {1 / (1 - r['alpha']):.3g}"
    return head + "\n" + tail


# --- drawing ---------------------------------------------------------------------------------
_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _excess_mode(r: dict) -> bool:
    return r["min_value"] is not None


def draw_path(r: dict, fig) -> None:
    """Left: path, start and velocity arrows on the contours. Right: the learning curve.

    The axes, contours and legend are built once per landscape; an update moves only the
    animated artists (path, arrows, curve, titles), so the explorer blits them.
    """
    panels = _PANELS.get(fig)
    key = (r["function"], r["steps"])
    if panels is None or panels["axes"] != fig.axes or panels["key"] != key:
        panels = _PANELS[fig] = _build_panels(fig, r)
    left, right = panels["axes"]
    art = panels["artists"]
    thetas, v = r["thetas"], r["velocities"]
    art["path"].set_data(thetas[:, 0], thetas[:, 1])
    art["start"].set_data(thetas[:1, 0], thetas[:1, 1])

    n = panels["n_arrows"]
    idx = np.arange(n) * ARROW_EVERY
    shown = idx < len(thetas)
    safe = np.minimum(idx, len(thetas) - 1)
    offsets = np.where(shown[:, None], thetas[safe], 0.0)
    U = np.ma.masked_array(v[safe, 0], mask=~shown | (idx == 0))
    V = np.ma.masked_array(v[safe, 1], mask=~shown | (idx == 0))
    art["quiver"].set_offsets(offsets)
    art["quiver"].set_UVC(U, V)

    k = np.arange(len(r["losses"]))
    if _excess_mode(r):
        y = r["losses"] - r["min_value"]
        y = np.where(y > 0, y, np.nan)
        ylim = plotting.decade_range(y, 4, 4, lowest=-32, empty=(1e-12, 1e4))
    else:
        y = r["losses"]
        ylim = panels["ylim"]
    art["curve"].set_data(k, y)
    if right.get_ylim() != ylim:
        right.set_ylim(*ylim)
    alpha = "" if r["method"] == "gradient descent" else f", α = {r['alpha']:.2f}"
    left.title.set_text(f"{r['method']}, ε = {r['lr']:.3g}{alpha}")
    stop = {"steps": "all steps used", "converged": "converged",
            "diverged": "diverged"}[r["stop_reason"]]
    right.title.set_text(f"learning curve: {stop} after {r['steps_run']} steps")


def _build_panels(fig, r: dict) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1.15, 1])
    f = landscape(r["function"])
    box = r["box"]
    plotting.contour(f, ax=left, box=box, n=100)
    path = plotting.trajectory(left, np.full((1, 2), np.nan), label="path θ_k",
                               color=plotting.PALETTE[0], markersize=3.5)
    start = left.lines[-1]
    n_arrows = r["steps"] // ARROW_EVERY + 1
    quiver = left.quiver(np.zeros(n_arrows), np.zeros(n_arrows), np.ones(n_arrows),
                         np.ones(n_arrows), angles="xy", scale_units="xy", scale=1.0,
                         color=plotting.PALETTE[3], width=0.006, zorder=6,
                         label=f"velocity v (every {ARROW_EVERY} steps)")
    left.set_xlim(box[0], box[1])
    left.set_ylim(box[2], box[3])
    legend_left = left.legend(loc="lower left", fontsize=11)

    curve, = right.plot([], [], color=plotting.PALETTE[0], marker="o", markevery=10,
                        markersize=4)
    right.set_xlim(0, r["steps"])
    right.set_xlabel("step k")
    ylim = None
    if _excess_mode(r):
        right.set_yscale("log")
        right.yaxis.set_minor_locator(NullLocator())
        right.set_ylabel("J(θ_k) − J*")
    else:
        right.set_yscale("symlog", linthresh=1.0)
        right.yaxis.set_minor_locator(NullLocator())
        right.set_ylabel("J(θ_k) (no minimum)")
        ylim = (-1e6, 10.0)
        right.set_ylim(*ylim)
    for artist in [path, start, quiver, curve, left.title, right.title]:
        artist.set_animated(True)
    return {"axes": [left, right], "key": (r["function"], r["steps"]), "ylim": ylim,
            "n_arrows": n_arrows, "legend": legend_left,
            "artists": {"path": path, "start": start, "quiver": quiver, "curve": curve}}


# --- the explorer ----------------------------------------------------------------------------
def momentum_explorer(method: str = "momentum", lr: float = 10 ** -1.5, alpha: float = 0.9,
                      function: str = "ill-conditioned quadratic (κ = 20)",
                      start: str = "A", challenge=None) -> Explorer:
    """Dropdowns for the method, landscape and start; sliders for ε (log) and α.

    ``challenge``: a ``lessons.common.challenge.Challenge`` (the exercise's, ``checks.TUNING``)
    whose live badge and answer line the explorer shows.
    """
    controls = {
        "method": dropdown(list(METHODS), method, "method"),
        "lr": float_slider(lr, 1e-4, 1.0, 0.1, "ε (lr)", log=True),
        "alpha": float_slider(alpha, 0.0, 0.99, 0.01, "α (momentum)"),
        "function": dropdown(list(LANDSCAPES), function, "landscape"),
        "start": dropdown(list(START_NAMES), start, "start"),
    }
    return Explorer(compute_path, draw_path, controls,
                    title="Gradient descent, momentum and Nesterov on 2-D landscapes",
                    summary=summary_path, figsize=FIGSIZE, clear=False,
                    badge=None if challenge is None else challenge.badge,
                    record=None if challenge is None else challenge.record,
                    disabled=_idle_controls)


def _idle_controls(settings: dict) -> dict:
    """α does nothing for gradient descent: greyed out, with the reason."""
    if settings["method"] == "gradient descent":
        return {"alpha": "gradient descent has no velocity (α is used by momentum and Nesterov)"}
    return {}


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_path, compute_path(**settings), FIGSIZE)
