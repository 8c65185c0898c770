"""The explorer of notebook ``03_sgd_schedules``: eq. 8.14's three knobs and the batch size.

SGD on the notebook's running example (``sgd_task.task``) with the linear schedule against a
constant ε₀, averaged over a few seeds; sliders for ε₀, ε_τ and τ, a menu for the minibatch.
"""

from __future__ import annotations

import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting, schedules
from ...widgets import Explorer, dropdown, float_slider, int_slider
from .running_example import FIGSIZE, mean_curve, sgd_runs, task

EXPLORER_STEPS = 1000
EXPLORER_SEEDS = 4


def compute_linear(eps0: float, eps_tau: float, tau: int, batch_size: int,
                   steps: int = EXPLORER_STEPS, seeds: int = EXPLORER_SEEDS,
                   first_seed: int = 0) -> dict:
    """SGD with the linear schedule (eq. 8.14) against a constant ε₀, averaged over the
    minibatch streams of seeds ``first_seed``, …, ``first_seed + seeds − 1``."""
    t = task()
    schedule = schedules.LinearDecay(eps0, tau, eps_tau)
    k = np.arange(1, steps + 1, dtype=float)
    lrs = np.vstack([np.tile(schedule(k), (seeds, 1)), np.full((seeds, steps), float(eps0))])
    streams = list(range(int(first_seed), int(first_seed) + seeds))
    excess = sgd_runs(t, lrs, int(batch_size), streams * 2, steps)
    linear, constant = mean_curve(excess[:, :seeds]), mean_curve(excess[:, seeds:])
    last = max(1, steps // 20)
    return {"k": np.arange(steps + 1), "linear": linear, "constant": constant,
            "rates": schedule(k), "eps0": float(eps0), "eps_tau": float(eps_tau),
            "tau": int(tau), "batch_size": int(batch_size), "steps": steps,
            "final": float(np.mean(linear[-last:])),
            "final_constant": float(np.mean(constant[-last:])),
            "start": float(linear[0]), "examples": int(steps * batch_size)}


def summary_linear(r: dict) -> str:
    """The measured final excess losses, as two lines ("diverged": ended above the start)."""
    def fmt(x):
        if not np.isfinite(x):
            return "diverged"
        return f"{x:.3g}" + (" (diverged)" if x > r["start"] else "")

    return (f"ε₀ = {r['eps0']:.3g}, ε_τ = {r['eps_tau']:.3g}, τ = {r['tau']}, minibatch "
            f"{r['batch_size']}: final J − J* = {fmt(r['final'])} (linear schedule) vs "
            f"{fmt(r['final_constant'])} (constant ε₀)\n"
            f"{r['steps']} updates, {r['examples']} examples touched; "
            f"mean of {EXPLORER_SEEDS} runs over the last {max(1, r['steps'] // 20)} steps")


_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_linear(r: dict, fig) -> None:
    """Left: J(θ_k) − J* on a log scale. Right: the schedule ε_k. Reuses its axes."""
    panels = _PANELS.get(fig)
    if panels is None or panels["axes"] != fig.axes:
        fig.clear()
        left, right = fig.subplots(1, 2, width_ratios=[1.4, 1])
        lines = {
            "linear": left.plot([], [], color=plotting.PALETTE[0], marker="o",
                                markevery=max(1, r["steps"] // 10),
                                label="linear schedule (8.14)")[0],
            "constant": left.plot([], [], color=plotting.PALETTE[1], marker="s",
                                  markevery=max(1, r["steps"] // 10), linestyle="--",
                                  linewidth=1.6, label="constant ε₀")[0],
            "rates": right.plot([], [], color=plotting.PALETTE[0], marker="none")[0],
            "tau": right.axvline(0, color="#555555", linestyle=":", marker="none",
                                 linewidth=1.5),
        }
        for ax in (left, right):
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_xlim(0, r["steps"])
            ax.set_xlabel("step k")
        left.set_ylabel("J(θ_k) − J*")
        right.set_ylabel("ε_k")
        right.set_title("the schedule (dotted: k = τ)")
        legend = left.legend(loc="upper right")
        # Animated artists are drawn over a cached background: a change that moves only
        # them (and keeps the y-ranges) redraws just them.
        for artist in [*lines.values(), left.title, legend]:
            artist.set_animated(True)
        panels = _PANELS[fig] = {"axes": [left, right], "lines": lines}
    left, right = panels["axes"]
    lines = panels["lines"]
    for name in ("linear", "constant"):
        y = np.where(np.isfinite(r[name]) & (r[name] > 0), r[name], np.nan)
        lines[name].set_data(r["k"], y)
    lines["rates"].set_data(r["k"][1:], r["rates"])
    lines["tau"].set_xdata([r["tau"], r["tau"]])
    finite = np.concatenate([r["linear"], r["constant"]])
    finite = finite[np.isfinite(finite) & (finite > 0)]
    low = 10.0 ** np.floor(np.log10(finite.min())) if finite.size else 1e-4
    high = 10.0 ** np.ceil(np.log10(finite.max())) if finite.size else 1e2
    _set_ylim(left, (max(low, 1e-6), min(max(high, 10 * low), 1e4)))
    _set_ylim(right, (10.0 ** np.floor(np.log10(r["rates"].min())),
                      10.0 ** np.ceil(np.log10(r["rates"].max()) + 1e-9)))
    final = ("diverged" if not np.isfinite(r["final"]) or r["final"] > r["start"]
             else f"{r['final']:.3g}")
    left.title.set_text(f"learning curve: final J − J* = {final}")


def _set_ylim(ax, limits) -> None:
    """Change the y-range only when it differs (a change forces a full redraw)."""
    if tuple(ax.get_ylim()) != tuple(limits):
        ax.set_ylim(*limits)


EPS0_MIN = 10 ** -2.5     # the ε₀ slider: 10^-2.5 … 1 in tenths of a decade (0.1 on its grid)


def linear_explorer(eps0: float = 0.1, eps_tau: float = 0.001, tau: int = 800,
                    batch_size: int = 1, challenge=None) -> Explorer:
    """Sliders for ε₀, ε_τ, τ and a menu for the minibatch size.

    ``challenge``: a ``lessons.common.challenge.Challenge`` (Exercise 3's, ``checks.TUNING``)
    whose live badge and answer line the explorer shows.
    """
    controls = {
        "eps0": float_slider(eps0, EPS0_MIN, 1.0, 0.1, "ε₀", log=True),
        "eps_tau": float_slider(eps_tau, 1e-4, 1.0, 0.1, "ε_τ", log=True),
        "tau": int_slider(int(tau), 50, EXPLORER_STEPS, 50, "τ (steps)"),
        "batch_size": dropdown([1, 4, 16, 64], int(batch_size), "minibatch m"),
    }
    return Explorer(compute_linear, draw_linear, controls,
                    title="SGD with the linear schedule of eq. 8.14", summary=summary_linear,
                    figsize=FIGSIZE, clear=False,
                    badge=None if challenge is None else challenge.badge,
                    record=None if challenge is None else challenge.record)


def tuning_explorer() -> Explorer:
    """The explorer of Exercise 3: its badge and answer line for ``checks.TUNING``."""
    from . import checks

    return linear_explorer(challenge=checks.TUNING)


def linear_companion_figure(eps0: float = 0.1, eps_tau: float = 0.001, tau: int = 800,
                            batch_size: int = 1):
    """The explorer's figure at its default settings (a pyplot Figure)."""
    fig = plotting.figure(figsize=FIGSIZE)
    with plotting.style():
        draw_linear(compute_linear(eps0, eps_tau, tau, batch_size), fig)
    return fig
