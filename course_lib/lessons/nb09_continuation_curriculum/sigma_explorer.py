"""Notebook 09, §4: the σ-schedule explorer on the 2-D ripple landscape, and its challenge.

Choose σ₀, the number of stages, the gradient steps per stage and the shape of the schedule
(linear or geometric, always ending at σ = 0). The explorer runs continuation with gradient
descent (ε = ``LR``) from the start, but never past ``BUDGET`` gradient evaluations: a
schedule that needs more is cut short, wherever it is. Left: the path on the contours of J,
one marker per stage's end. Right: J(θ) − J* against the evaluations used.

``compute_schedule`` is pure; ``draw_schedule`` keeps the axes and the contours between
updates and moves only the animated artists.
"""

from __future__ import annotations

import functools
import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...global_opt.continuation import continuation, geometric_sigmas, linear_sigmas
from ...global_opt.landscapes import RIPPLE_START, ripple_well_2d
from ...optim import SGD
from ...widgets import Explorer, dropdown, float_slider, int_slider

LR, BUDGET, FIGSIZE = 0.2, 200, (12.0, 5.0)
SHAPES = ("linear", "geometric")


@functools.cache
def landscape(shift=(0.0, 0.0)):
    """The ripple landscape with its well moved by ``shift`` (one object per shift, cached)."""
    return ripple_well_2d(shift)


def schedule(sigma0: float, n_stages: int, shape: str) -> np.ndarray:
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}, got {shape!r}")
    return (linear_sigmas if shape == "linear" else geometric_sigmas)(sigma0, n_stages)


def _whole(name: str, value) -> int:
    """An integer setting (a slider's value may arrive as 5.0): ValueError if it is not whole."""
    if isinstance(value, bool) or not float(value).is_integer():
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def compute_schedule(sigma0: float = 0.5, n_stages: int = 2, steps: int = 100,
                     shape: str = "linear", shift=(0.0, 0.0), budget: int = BUDGET) -> dict:
    """Continuation with the schedule, each stage ``steps`` gradient steps, all of it cut at
    ``budget`` evaluations; the path and what it reached."""
    n_stages, steps = _whole("n_stages", n_stages), _whole("steps", steps)
    f = landscape(tuple(float(s) for s in shift))
    sigmas = schedule(sigma0, n_stages, shape)
    planned = [steps] * len(sigmas)
    given, left = [], int(budget)
    for m in planned:                             # the budget runs out where it runs out
        given.append(min(m, left))
        left -= given[-1]
    run = continuation(f, sigmas, RIPPLE_START, SGD(lr=LR), given)
    ends = [trace.grad_norms[-1] for trace in run.traces]
    path_losses = f.values(run.path)
    global_theta = f.minima[0]
    return {"sigmas": sigmas, "given": given, "planned": int(steps) * len(sigmas),
            "path": run.path, "stage_thetas": run.stage_thetas, "losses": path_losses,
            "excess": float(run.loss - f.min_value), "theta": run.theta, "ngev": run.ngev,
            "cut": sum(given) < sum(planned), "stage_grad": np.array(ends),
            "distance": float(np.linalg.norm(run.theta - global_theta)),
            "global_theta": global_theta, "min_value": float(f.min_value),
            "shift": tuple(float(s) for s in shift), "budget": int(budget),
            "ripple_left": float(np.exp(-0.5 * sigmas[0] ** 2 * 9.0)),
            "settings": {"sigma0": float(sigma0), "n_stages": int(n_stages),
                         "steps": int(steps), "shape": shape}}


def summary_schedule(r: dict) -> str:
    s = r["settings"]
    sig = ", ".join(f"{x:.3g}" for x in r["sigmas"])
    head = (f"{s['shape']} schedule σ = ({sig}), {s['steps']} steps per stage: needs "
            f"{r['planned']} gradient evaluations, used {r['ngev']} of {r['budget']}")
    if r["cut"]:
        head += " (cut short by the budget)"
    x, y = r["theta"]
    tail = (f"ends at ({x:.3f}, {y:.3f}), J − J* = {r['excess']:.3g}, "
            f"{r['distance']:.3f} from the global minimum; the first blur keeps "
            f"{r['ripple_left']:.1%} of the ripples' amplitude")
    return head + "\n" + tail


# --- drawing ---------------------------------------------------------------------------------
_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_schedule(r: dict, fig) -> None:
    panels = _PANELS.get(fig)
    if panels is None or panels["axes"] != fig.axes or panels["key"] != r["shift"]:
        panels = _PANELS[fig] = _build(fig, r)
    left, right = panels["axes"]
    art = panels["artists"]
    path = r["path"]
    art["path"].set_data(path[:, 0], path[:, 1])
    art["ends"].set_data(r["stage_thetas"][1:, 0], r["stage_thetas"][1:, 1])
    k = np.arange(len(r["losses"]))
    excess = np.maximum(r["losses"] - r["min_value"], 1e-12)
    art["curve"].set_data(k, excess)
    bounds = np.cumsum(r["given"])[:-1]
    xs = np.repeat(bounds, 3).astype(float)
    ys = np.tile([1e-12, 1e3, np.nan], len(bounds))
    xs[2::3] = np.nan
    art["stages"].set_data(xs, ys)
    state = "cut by the budget" if r["cut"] else f"{r['ngev']} evaluations"
    left.title.set_text(f"{len(r['sigmas'])} stages, σ₀ = {r['sigmas'][0]:.3g} ({state})")
    right.title.set_text(f"J(θ) − J* = {r['excess']:.2g} at the end")


def _build(fig, r: dict) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1.05, 1])
    f = landscape(r["shift"])
    plotting.contour(f, ax=left, box=f.box, n=120, levels=16, log_levels=False)
    path, = left.plot([], [], color=plotting.PALETTE[0], marker="o", markersize=3,
                      linewidth=1.6, label="path θ_k")
    ends, = left.plot([], [], linestyle="none", marker="D", markersize=8,
                      color=plotting.PALETTE[3], label="end of a stage")
    left.plot(*RIPPLE_START, marker="s", markersize=11, linestyle="none",
              markerfacecolor="white", markeredgecolor=plotting.PALETTE[0],
              markeredgewidth=2.2, label="start")
    left.legend(loc="lower left", fontsize=10)
    curve, = right.plot([], [], color=plotting.PALETTE[0], marker="none")
    stages, = right.plot([], [], color="#777777", linestyle=":", linewidth=1.2,
                         marker="none", label="a new stage")
    right.axvline(r["budget"], color=plotting.PALETTE[3], linestyle="--", linewidth=1.4,
                  label=f"budget: {r['budget']}")
    right.axhline(1e-4, color=plotting.PALETTE[2], linestyle="-.", linewidth=1.2,
                  label="target 10⁻⁴")
    right.set_yscale("log")
    right.yaxis.set_minor_locator(NullLocator())
    right.set_ylim(1e-10, 10.0)
    right.set_xlim(0, r["budget"] * 1.05)
    right.set_xlabel("gradient evaluations")
    right.set_ylabel("J(θ_k) − J*")
    right.legend(loc="upper right", fontsize=10)
    for artist in (path, ends, curve, stages, left.title, right.title):
        artist.set_animated(True)
    return {"axes": [left, right], "key": r["shift"],
            "artists": {"path": path, "ends": ends, "curve": curve, "stages": stages}}


def sigma_explorer(sigma0: float = 0.5, n_stages: int = 2, steps: int = 100,
                   shape: str = "linear", challenge=None) -> Explorer:
    """Sliders for σ₀ (log), the stages and the steps per stage; a menu for the shape.
    ``challenge``: the exercise's ``Challenge`` (``checks.SIGMA_SCHEDULE``): the badge and
    the line to paste."""
    controls = {
        "sigma0": float_slider(sigma0, 0.1, 5.0, 0.05, "first blur σ₀", log=True),
        "n_stages": int_slider(n_stages, 2, 12, 1, "stages"),
        "steps": int_slider(steps, 5, 100, 5, "steps/stage"),
        "shape": dropdown(list(SHAPES), shape, "schedule"),
    }
    return Explorer(compute_schedule, draw_schedule, controls,
                    title=f"Continuation in 2-D: a σ schedule within {BUDGET} gradient "
                          "evaluations",
                    summary=summary_schedule, figsize=FIGSIZE, clear=False,
                    badge=None if challenge is None else challenge.badge,
                    record=None if challenge is None else challenge.record)


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_schedule, compute_schedule(**settings), FIGSIZE)
