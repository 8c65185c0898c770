"""Notebook 09, §7: the curriculum-pace explorer.

Pick a sampler, the pace (the share of the budget the curriculum takes), the stochastic
curriculum's mix and the self-paced start, and a seed. The explorer trains the network of
§6 once with those settings (the same budget of examples) and shows, left, the share of
each noise level in the minibatches per tenth of the budget (the curriculum's weights w_k:
the objective J_k it is really minimizing) and, right, its test loss beside the uniform
baseline on the same seed.
"""

from __future__ import annotations

import functools
import weakref

import numpy as np

from ... import plotting
from ...global_opt.curriculum import SAMPLERS
from ...widgets import Explorer, dropdown, float_slider, int_slider
from .curriculum_runs import BATCH, STEPS, train_one

FIGSIZE = (12.0, 4.6)
LEVEL_COLOURS = [plotting.PALETTE[i] for i in (2, 5, 6, 1, 3)]


@functools.lru_cache(maxsize=64)
def _run(name: str, seed: int, pace: float, mix: float, start: float):
    task, run = train_one(name, seed, pace=pace, mix=mix, start=start)
    return task.noise, run


def compute_pace(sampler: str = "stochastic", pace: float = 0.5, mix: float = 0.25,
                 start: float = 0.3, seed: int = 0) -> dict:
    """One training run with the chosen curriculum, and the uniform baseline (same seed)."""
    if sampler not in SAMPLERS:
        raise ValueError(f"sampler must be one of {list(SAMPLERS)}, got {sampler!r}")
    noise, run = _run(sampler, int(seed), float(pace), float(mix), float(start))
    _, base = _run("uniform", int(seed), 0.5, 0.25, 0.3)
    shares = run.level_counts / run.level_counts.sum(axis=1, keepdims=True)
    return {"sampler": sampler, "pace": float(pace), "mix": float(mix), "start": float(start),
            "seed": int(seed), "noise": noise, "shares": shares,
            "examples": run.checkpoints * BATCH, "loss": run.test_loss,
            "base_loss": base.test_loss, "accuracy": float(run.test_accuracy[-1]),
            "base_accuracy": float(base.test_accuracy[-1]), "budget": run.nexamples,
            "ranking": run.nranking, "best": float(run.test_loss.min()),
            "base_best": float(base.test_loss.min())}


def summary_pace(r: dict) -> str:
    extra = {"stochastic": f", mix = {r['mix']:.2f}",
             "self-paced": f", start = {r['start']:.2f}"}.get(r["sampler"], "")
    head = (f"{r['sampler']}, pace = {r['pace']:.2f}{extra}, seed {r['seed']}: "
            f"{r['budget']} training examples")
    if r["ranking"]:
        head += f" (+ {r['ranking']} read only to rank them by loss)"
    return (head + f"\nfinal test loss {r['loss'][-1]:.3f} (uniform: {r['base_loss'][-1]:.3f}); "
            f"lowest along the way {r['best']:.3f} (uniform: {r['base_best']:.3f}); "
            f"test accuracy {r['accuracy']:.1%} (uniform: {r['base_accuracy']:.1%})")


_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_pace(r: dict, fig) -> None:
    panels = _PANELS.get(fig)
    if panels is None or panels["axes"] != fig.axes:
        panels = _PANELS[fig] = _build(fig, r)
    left, right = panels["axes"]
    bottom = np.zeros(len(r["shares"]))
    for bars, share in zip(panels["bars"], r["shares"].T, strict=True):
        for rect, h, b in zip(bars, share, bottom, strict=True):
            rect.set_height(h)
            rect.set_y(b)
        bottom += share
    panels["curve"].set_data(r["examples"], r["loss"])
    panels["base"].set_data(r["examples"], r["base_loss"])
    panels["end"].set_xdata([r["pace"] * STEPS * BATCH] * 2)
    left.title.set_text(f"{r['sampler']}: share of each noise level")
    right.title.set_text(f"test loss: {r['loss'][-1]:.3f} (uniform {r['base_loss'][-1]:.3f})")


def _build(fig, r: dict) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1.1, 1])
    n = len(r["shares"])
    bars = [left.bar(np.arange(1, n + 1), np.zeros(n), width=0.85, color=colour,
                     label=f"σ = {sd:g}") for colour, sd in zip(LEVEL_COLOURS, r["noise"],
                                                                 strict=False)]
    left.set_ylim(0, 1)
    left.set_xlabel("tenth of the budget")
    left.set_ylabel("share of the minibatches")
    left.grid(False)
    left.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=10, title="noise")
    base, = right.plot([], [], color="#777777", marker="s", markersize=5, label="uniform")
    curve, = right.plot([], [], color=plotting.PALETTE[0], marker="o", markersize=5,
                        label="this curriculum")
    end = right.axvline(0, color=plotting.PALETTE[3], linestyle=":", label="curriculum ends")
    right.set_xlim(0, STEPS * BATCH)
    right.set_ylim(0.3, 2.0)
    right.set_xlabel("training examples seen")
    right.set_ylabel("test loss (all noise levels)")
    right.legend(loc="upper right", fontsize=10)
    artists = [rect for group in bars for rect in group] + [base, curve, end, left.title,
                                                            right.title]
    for artist in artists:
        artist.set_animated(True)
    return {"axes": [left, right], "bars": bars, "curve": curve, "base": base, "end": end}


def pace_explorer(sampler: str = "stochastic", pace: float = 0.5, mix: float = 0.25,
                  start: float = 0.3, seed: int = 0) -> Explorer:
    """A menu for the sampler; sliders for the pace, the mix, the self-paced start, the seed."""
    controls = {
        "sampler": dropdown(list(SAMPLERS), sampler, "sampler"),
        "pace": float_slider(pace, 0.1, 1.0, 0.05, "pace"),
        "mix": float_slider(mix, 0.05, 1.0, 0.05, "mix (stoch.)"),
        "start": float_slider(start, 0.1, 1.0, 0.05, "first pool"),
        "seed": int_slider(seed, 0, 5, 1, "seed"),
    }

    def disabled(settings):
        off = {}
        if settings["sampler"] != "stochastic":
            off["mix"] = "mix is the stochastic curriculum's share drawn from all examples"
        if settings["sampler"] != "self-paced":
            off["start"] = "first pool: the share the self-paced sampler starts from"
        if settings["sampler"] == "uniform":
            off["pace"] = "the uniform sampler has no curriculum to pace"
        return off

    return Explorer(compute_pace, draw_pace, controls,
                    title="Curriculum pace: which examples, when, and what it does to the "
                          "test loss",
                    summary=summary_pace, figsize=FIGSIZE, clear=False, disabled=disabled)


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_pace, compute_pace(**settings), FIGSIZE)
