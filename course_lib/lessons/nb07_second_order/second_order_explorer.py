"""Notebook ``07_second_order``: the explorer of second-order methods on 2-D landscapes.

Pick a method (Newton with damping α, Newton with an Armijo line search, steepest descent
with a line search, nonlinear CG, BFGS, L-BFGS with memory m, coordinate descent,
Hessian-free), a landscape and a start. The explorer runs at most ``STEPS`` iterations and
shows the path on the contours, the excess loss J − J* per iteration, and how many loss,
gradient and Hessian (or Hessian-vector) evaluations each iteration asked for: the price
of an iteration differs from method to method, and a line search can cost several.

``compute_path`` is pure; ``draw_path`` builds the axes and contours once per landscape and
afterwards moves only animated artists (see ``course_lib.widgets.Explorer``).
"""

from __future__ import annotations

import functools
import weakref

import numpy as np
from matplotlib.ticker import MaxNLocator, NullLocator

from ... import plotting
from ...objectives import CoupledQuadratic, Himmelblau, Quadratic, Rosenbrock, SixHumpCamel
from ...optim import BFGS, LBFGS, ConjugateGradient, CoordinateDescent, HessianFree, Newton
from ...run import Counts, Oracle
from ...widgets import Explorer, dropdown, float_slider, int_slider
from .newton import DoubleWell, clean

STEPS = 60
TOL = 1e-8              # stop as "converged" once ‖∇J‖∞ ≤ TOL
BLOWUP = 1e12           # stop as "diverged" once J > BLOWUP·(1 + |J(θ₀)|)
FIGSIZE = (10.8, 5.2)      # ≤ 10.8 in: the course's 13-pt text stays ≥ 9 px
START_NAMES = ("A", "B", "C")
METHODS = ("Newton", "Newton + line search", "steepest descent + line search",
           "nonlinear CG (FR)", "nonlinear CG (PR+)", "BFGS", "L-BFGS", "coordinate descent",
           "Hessian-free")


# control → the methods it steers; the explorer disables it, with a reason, for the others
USES = {"alpha": ("Newton", "Newton + line search"), "m": ("L-BFGS",)}


def idle_controls(settings: dict) -> dict:
    """{control: why it is disabled} for the controls the chosen method does not use."""
    method = settings.get("method")
    return {name: f"{method} does not use it; " + " and ".join(users) + " do"
            if len(users) > 1 else f"{method} does not use it; only {users[0]} does"
            for name, users in USES.items() if name in settings and method not in users}


def make_optimizer(method: str, alpha: float = 0.0, m: int = 5):
    """The optimizer called ``method``; ``alpha`` is Newton's damping, ``m`` L-BFGS's memory."""
    makers = {
        "Newton": lambda: Newton(alpha=alpha),
        "Newton + line search": lambda: Newton(alpha=alpha, line_search="armijo"),
        # restarting every step keeps d = −g: steepest descent with a strong-Wolfe search
        "steepest descent + line search": lambda: ConjugateGradient(beta="FR", restart=1),
        "nonlinear CG (FR)": lambda: ConjugateGradient(beta="FR"),
        "nonlinear CG (PR+)": lambda: ConjugateGradient(beta="PR+"),
        "BFGS": BFGS,
        "L-BFGS": lambda: LBFGS(m=m),
        "coordinate descent": lambda: CoordinateDescent(mode="exact"),
        "Hessian-free": HessianFree,
    }
    if method not in makers:
        raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}")
    return makers[method]()


# name -> (factory, the starts A, B, C, the plotting box); the boxes are square.
LANDSCAPES = {
    "ill-conditioned quadratic (κ = 50)": (
        lambda: Quadratic((1.0, 50.0), angle=np.pi / 6, name="ill-conditioned quadratic"),
        ((-2.5, 2.0), (2.5, 1.0), (-1.0, -2.8)), (-3.0, 3.0, -3.0, 3.0)),
    "Rosenbrock": (Rosenbrock, ((-1.2, 1.0), (-1.0, -0.5), (1.8, 2.5)), (-2.0, 2.0, -1.0, 3.0)),
    "double well (a saddle at 0)": (DoubleWell, ((1.0, 0.3), (-1.2, 0.05), (0.5, 1.3)),
                                    (-1.5, 1.5, -1.5, 1.5)),
    "coupled quadratic (α = 0.02)": (lambda: CoupledQuadratic(0.02),
                                     ((-1.5, 1.0), (1.8, 1.2), (0.3, -1.6)),
                                     (-2.0, 2.0, -2.0, 2.0)),
    "six-hump camel": (SixHumpCamel, ((-1.5, 0.8), (1.2, -0.2), (0.3, 0.6)),
                       (-2.2, 2.2, -2.2, 2.2)),
    "Himmelblau": (Himmelblau, ((0.0, 0.0), (-1.0, 4.0), (4.5, -4.5)), (-5.0, 5.0, -5.0, 5.0)),
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
    landscape(name)
    return np.array(LANDSCAPES[name][1][START_NAMES.index(start)], dtype=float)


def run_counted(f, optimizer, theta0, steps: int = STEPS, tol: float = TOL) -> dict:
    """Run ``optimizer`` like ``run.minimize``, recording each iteration's evaluations.

    Returns thetas, losses, the per-iteration counts (rows: nfev, ngev, nhev), and the
    stop reason: "converged", "steps", "diverged" (non-finite or blown-up loss) or
    "failed" (the step raised, e.g. H + αI singular), with a message.
    """
    theta = np.asarray(theta0, dtype=float)
    state, counts = optimizer.init(theta), Counts()
    loss0 = f.loss(theta)
    thetas, losses, per_step = [theta], [loss0], []
    stop, message = "steps", f"used all {steps} iterations"
    if np.max(np.abs(f.grad(theta))) <= tol:
        return _result(thetas, losses, per_step, "converged", "‖∇J‖∞ ≤ tol at the start")
    for k in range(1, steps + 1):
        before = np.array([counts.nfev, counts.ngev, counts.nhev])
        try:
            with np.errstate(all="ignore"):
                new, state = optimizer.step(theta, state, Oracle(f, None, counts))
                new = np.asarray(new, dtype=float)
                loss = f.loss(new) if np.all(np.isfinite(new)) else np.nan
        except (np.linalg.LinAlgError, ValueError) as err:
            stop, message = "failed", f"iteration {k} failed: {err}"
            break
        per_step.append(np.array([counts.nfev, counts.ngev, counts.nhev]) - before)
        if not np.isfinite(loss) or loss > BLOWUP * (1 + abs(loss0)):
            stop, message = "diverged", f"diverged at iteration {k}"
            break
        theta = new
        thetas.append(theta)
        losses.append(loss)
        if np.max(np.abs(f.grad(theta))) <= tol:
            stop, message = "converged", f"‖∇J‖∞ ≤ {tol:g} after {k} iterations"
            break
    return _result(thetas, losses, per_step, stop, message)


def _result(thetas, losses, per_step, stop, message) -> dict:
    return {"thetas": np.array(thetas), "losses": np.array(losses),
            "counts": np.array(per_step, dtype=int).reshape(-1, 3), "stop_reason": stop,
            "message": message}


def compute_path(method: str = "BFGS", alpha: float = 0.0, m: int = 5,
                 function: str = "Rosenbrock", start: str = "A", steps: int = STEPS) -> dict:
    """Run ``method`` from ``start`` on ``function``; the path, losses and counts."""
    f = landscape(function)
    theta0 = start_point(function, start)
    run = run_counted(f, make_optimizer(method, alpha, m), theta0, steps)
    totals = run["counts"].sum(axis=0)
    return {**run, "method": method, "alpha": float(alpha), "m": int(m),
            "function": function, "start": start, "theta0": theta0, "steps": int(steps),
            "min_value": float(f.min_value), "iterations": len(run["counts"]),
            "nfev": int(totals[0]), "ngev": int(totals[1]), "nhev": int(totals[2]),
            "final_loss": float(run["losses"][-1]), "final_theta": run["thetas"][-1].copy(),
            "box": LANDSCAPES[function][2]}


def _label(r: dict) -> str:
    if r["method"].startswith("Newton"):
        return f"{r['method']}, α = {r['alpha']:.2g}"
    if r["method"] == "L-BFGS":
        return f"L-BFGS, m = {r['m']}"
    return r["method"]


def summary_path(r: dict) -> str:
    """The measured numbers of a run, in two lines."""
    x, y = r["theta0"]
    stop = {"converged": f"converged (‖∇J‖∞ ≤ {TOL:g}) after {r['iterations']} iterations",
            "steps": f"used all {r['iterations']} iterations",
            "diverged": f"diverged at iteration {r['iterations']}",
            "failed": r["message"]}[r["stop_reason"]]
    fx, fy = r["final_theta"]
    per = r["iterations"] or 1
    excess = r["final_loss"] - r["min_value"]
    # below 1e-12 the excess is rounding noise: say so rather than print its digits
    final = ("J − J* < 1e-12" if excess < 1e-12 else
             f"J = {r['final_loss']:.6g} (J − J* = {excess:.3g})")
    return (f"{_label(r)} on {r['function']} from {r['start']} = ({x:g}, {y:g}): {stop}\n"
            f"evaluations: {r['nfev']} losses, {r['ngev']} gradients, {r['nhev']} Hessians or "
            f"H v products ({(r['nfev'] + r['ngev'] + r['nhev']) / per:.1f} per iteration); "
            f"final {final} at ({clean(fx, 4):.4g}, {clean(fy, 4):.4g})")


# --- drawing ---------------------------------------------------------------------------------
_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


COUNT_LABELS = ("losses", "gradients", "Hessians / H v")


def draw_path(r: dict, fig) -> None:
    """Path on the contours; J − J* per iteration; evaluations per iteration."""
    panels = _PANELS.get(fig)
    key = (r["function"], r["steps"])
    if panels is None or panels["axes"] != fig.axes or panels["key"] != key:
        panels = _PANELS[fig] = _build_panels(fig, r)
    left, middle, right = panels["axes"]
    art = panels["artists"]
    thetas = r["thetas"]
    art["path"].set_data(thetas[:, 0], thetas[:, 1])
    art["start"].set_data(thetas[:1, 0], thetas[:1, 1])

    excess = r["losses"] - r["min_value"]
    excess = np.where(excess > 0, excess, np.nan)
    art["curve"].set_data(np.arange(len(excess)), excess)
    ylim = plotting.decade_range(excess, 4, 4, lowest=-32, empty=(1e-12, 1e4))
    if middle.get_ylim() != ylim:
        middle.set_ylim(*ylim)

    k = np.arange(1, len(r["counts"]) + 1)
    for i, line in enumerate(art["counts"]):
        line.set_data(k, r["counts"][:, i] if len(k) else [])
    top = max(int(r["counts"].max()) if r["counts"].size else 0, 1)
    ceiling = next(c for c in (4, 8, 16, 32, 64, 128, 10 ** 9) if top <= c)
    if right.get_ylim() != (0, ceiling + 0.5):
        right.set_ylim(0, ceiling + 0.5)
    left.title.set_text(_label(r))
    stop = {"steps": "all iterations used", "converged": "converged",
            "diverged": "diverged", "failed": "failed"}[r["stop_reason"]]
    middle.title.set_text(f"J − J*: {stop} after {r['iterations']}")
    right.title.set_text(f"evaluations: {r['nfev']} + {r['ngev']} + {r['nhev']}")


def _build_panels(fig, r: dict) -> dict:
    fig.clear()
    left, middle, right = fig.subplots(1, 3, width_ratios=[1.1, 1, 1])
    f = landscape(r["function"])
    box = r["box"]
    plotting.contour(f, ax=left, box=box, n=100)
    path = plotting.trajectory(left, np.full((1, 2), np.nan), label="path θₖ",
                               color=plotting.PALETTE[0], markersize=3.5)
    start = left.lines[-1]
    left.set_xlim(box[0], box[1])
    left.set_ylim(box[2], box[3])
    left.legend(loc="upper left", fontsize=13)

    curve, = middle.plot([], [], color=plotting.PALETTE[0], marker="o", markersize=4)
    middle.set_xlim(0, r["steps"])
    middle.set_yscale("log")
    middle.yaxis.set_minor_locator(NullLocator())
    middle.set_xlabel("iteration k")
    middle.set_ylabel("J(θₖ) − J*")

    counts = [right.plot([], [], drawstyle="steps-mid", color=plotting.PALETTE[i + 1],
                         marker=plotting.MARKERS[i + 1], markersize=4, label=label)[0]
              for i, label in enumerate(COUNT_LABELS)]
    right.set_xlim(0, r["steps"] + 1)
    right.set_ylim(0, 4.5)
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_xlabel("iteration k")
    right.set_ylabel("evaluations in iteration k")
    fig.legend(handles=counts, loc="outside lower center", ncols=3, fontsize=13)
    for ax in (left, middle, right):
        ax.title.set_fontsize(13)
    for artist in [path, start, curve, *counts, left.title, middle.title, right.title]:
        artist.set_animated(True)
    return {"axes": [left, middle, right], "key": (r["function"], r["steps"]),
            "artists": {"path": path, "start": start, "curve": curve, "counts": counts}}


# --- the explorer ----------------------------------------------------------------------------
def second_order_explorer(method: str = "BFGS", alpha: float = 0.0, m: int = 5,
                          function: str = "Rosenbrock", start: str = "A",
                          challenge=None) -> Explorer:
    """Dropdowns for the method, landscape and start; sliders for α (Newton) and m (L-BFGS),
    each disabled (with the reason shown) when the chosen method does not use it.

    ``challenge``: a ``lessons.common.challenge.Challenge`` on ``compute_path`` (the tuning
    exercise's ``checks.DAMPING``): the explorer then shows its badge and the line to paste.
    """
    controls = {
        "method": dropdown(list(METHODS), method, "method"),
        "alpha": float_slider(alpha, 0.0, 20.0, 0.1, "α (Newton)"),
        "m": int_slider(m, 1, 10, 1, "m (L-BFGS)"),
        "function": dropdown(list(LANDSCAPES), function, "landscape"),
        "start": dropdown(list(START_NAMES), start, "start"),
    }
    return Explorer(compute_path, draw_path, controls,
                    title="Second-order methods on 2-D landscapes",
                    summary=summary_path, figsize=FIGSIZE, clear=False,
                    badge=None if challenge is None else challenge.badge,
                    record=None if challenge is None else challenge.record,
                    disabled=idle_controls)


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_path, compute_path(**settings), FIGSIZE)
