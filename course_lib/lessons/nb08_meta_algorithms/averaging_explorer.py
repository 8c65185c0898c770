"""Notebook ``08_meta_algorithms``: the explorer of Polyak averaging and the moving average.

SGD with a constant learning rate on the noisy quadratic of ``polyak`` (2-D linear regression,
minibatches drawn with a seed), ``STEPS`` steps from θ₀ = (3, −3). Controls: ε (log), the
batch size, the step after which the Polyak average starts, and the moving average's α.
Left: the iterates near θ*, the Polyak average and the moving average; right: the distance
of each to θ* against the step. The text gives the final distances.

``compute_averaging`` is pure; ``draw_averaging`` builds the axes once and then only moves
the curves (animated artists, blitted).
"""

from __future__ import annotations

import weakref

import numpy as np

from ... import plotting
from ...widgets import Explorer, float_slider, int_slider
from .polyak import run_averaging

STEPS = 500
FIGSIZE = (12.0, 4.8)
ZOOM = 0.6
DIST_LIM = (1e-4, 10.0)
COLORS = {"iterate": plotting.PALETTE[5], "polyak": plotting.PALETTE[3],
          "ema": plotting.PALETTE[2]}
LABELS = {"iterate": "SGD iterate θ", "polyak": "Polyak average", "ema": "moving average"}


def compute_averaging(lr: float = 0.01, batch_size: int = 1, start: int = 0,
                      alpha: float = 0.99, seed: int = 0) -> dict:
    """``polyak.run_averaging`` for ``STEPS`` steps (``seed`` draws the minibatches)."""
    return run_averaging(lr=float(lr), batch_size=int(batch_size), start=int(start),
                         alpha=float(alpha), steps=STEPS, seed=int(seed))


def summary_averaging(r: dict) -> str:
    f = r["final"]
    stop = "" if r["stop_reason"] != "diverged" else " (SGD diverged: ε is too large)"
    return (f"ε = {r['lr']:.3g}, batch {r['batch_size']}, Polyak average from step "
            f"{r['start']}, moving average α = {r['alpha']:.3g}{stop}\n"
            f"after {r['steps']} steps ‖θ − θ*‖: last iterate {f['iterate']:.4f}, Polyak "
            f"average {f['polyak']:.4f}, moving average {f['ema']:.4f}")


_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_averaging(r: dict, fig) -> None:
    panels = _PANELS.get(fig)
    if panels is None or panels["axes"] != fig.axes:
        panels = _PANELS[fig] = _build(fig, r)
    art = panels["artists"]
    paths = {"iterate": r["thetas"], "polyak": r["polyak"], "ema": r["ema"]}
    for key, path in paths.items():
        first = r["start"] if key == "polyak" else 0     # no average before it starts
        art[key].set_data(path[first:, 0], path[first:, 1])
        art[key + "_dist"].set_data(np.arange(first, len(r["dist"][key])),
                                    np.clip(r["dist"][key][first:], *DIST_LIM))
    art["start"].set_data([r["start"], r["start"]], list(DIST_LIM))
    art["title"].set_text(f"distance to θ*: Polyak {r['final']['polyak']:.3g}, "
                          f"last {r['final']['iterate']:.3g}")


def _build(fig, r: dict) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.3])
    star = r["theta_star"]
    art = {}
    for key in ("iterate", "ema", "polyak"):
        art[key], = left.plot([], [], color=COLORS[key], marker="none",
                              linewidth=0.8 if key == "iterate" else 2.2, label=LABELS[key])
        art[key + "_dist"], = right.plot([], [], color=COLORS[key], marker="none",
                                         linewidth=1.2 if key == "iterate" else 2.2,
                                         label=LABELS[key])
    art["star"], = left.plot(*star, marker="*", markersize=18, color="black",
                             markeredgecolor="white", linestyle="none", label="θ*", zorder=10)
    left.set_xlim(star[0] - ZOOM, star[0] + ZOOM)
    left.set_ylim(star[1] - ZOOM, star[1] + ZOOM)
    left.set_aspect("equal", adjustable="box")
    left.set_xlabel("θ₁")
    left.set_ylabel("θ₂")
    left.set_title("near the minimizer θ*")
    left.legend(fontsize=10, loc="lower left")
    art["start"], = right.plot([], [], color="#777777", linestyle=":", marker="none",
                               linewidth=1.2)
    right.set_yscale("log")
    right.set_ylim(*DIST_LIM)
    right.set_xlim(0, r["steps"])
    right.set_xlabel("step k (dotted: where the Polyak average starts)")
    right.set_ylabel("‖θ − θ*‖")
    right.legend(fontsize=10, loc="upper right")
    art["title"] = right.set_title(" ", fontsize=13)
    for artist in art.values():
        artist.set_animated(True)
    return {"axes": [left, right], "artists": art}


def averaging_explorer(lr: float = 0.01, batch_size: int = 1, start: int = 0,
                       alpha: float = 0.99, challenge=None) -> Explorer:
    """Sliders for ε (log), the batch size, the averaging start and α.

    ``challenge``: a ``lessons.common.challenge.Challenge`` (``checks.AVERAGING_CHALLENGE``)
    whose live badge and answer line the explorer shows.
    """
    controls = {
        "lr": float_slider(lr, 1e-3, 0.3, 0.05, "ε (lr)", log=True),
        "batch_size": int_slider(batch_size, 1, 32, 1, "batch size"),
        "start": int_slider(start, 0, 450, 10, "average from"),
        "alpha": float_slider(alpha, 0.8, 0.999, 0.001, "α (moving)"),
    }
    return Explorer(compute_averaging, draw_averaging, controls,
                    title="SGD with a constant rate: the iterate, its Polyak average and its "
                          "moving average",
                    summary=summary_averaging, figsize=FIGSIZE, clear=False,
                    badge=None if challenge is None else challenge.badge,
                    record=None if challenge is None else challenge.record)


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_averaging, compute_averaging(**settings), FIGSIZE)
