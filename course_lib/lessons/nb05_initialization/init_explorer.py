"""Notebook ``05_initialization``: the explorer of per-layer statistics at initialization.

Pick the depth, the non-linearity, the initialization scheme and its scale s (the gain of
the normalized and orthogonal schemes, the s of W ~ N(0, s²/m), He's factor on √2, the σ of
the sparse scheme's non-zero weights). The explorer builds the network (``WIDTH`` units per
hidden layer), feeds it 256 standardized digits and shows, layer by layer, the histogram of
the activations (left) and the spread of the pre-activations and of the back-propagated
gradients (right), with the numbers in the text.

``compute_layers`` is pure; ``draw_layers`` builds the axes once; a new depth or
non-linearity moves their limits and the image's extent (a full render, no new axes), and
any other change only updates the image and the curves (animated artists, blitted).
"""

from __future__ import annotations

import weakref

import matplotlib as mpl
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import MaxNLocator, NullFormatter

from ... import plotting
from ...strategies.initialization import SCHEMES
from ...widgets import Explorer, dropdown, float_slider, int_slider
from .spread import layer_statistics

FIGSIZE = (12.5, 4.8)
WIDTH = 32
YLIM = (1e-8, 1e3)


def compute_layers(depth: int = 20, activation: str = "tanh", scheme: str = "gaussian",
                   scale: float = 1.0, seed: int = 0) -> dict:
    """``spread.layer_statistics`` for a network of ``depth`` layers of ``WIDTH`` units, plus
    the ratio of the gradient's spread at layer 1 to that at the last layer."""
    r = layer_statistics(int(depth), activation, scheme, float(scale), int(seed), width=WIDTH)
    g = r["grad_std"]
    r["grad_ratio"] = float(g[0] / g[-1]) if g[-1] > 0 else 0.0
    r["width"] = WIDTH
    return r


def summary_layers(r: dict) -> str:
    d = r["depth"]
    stuck = "saturated (|a| > 0.97)" if r["activation"] == "tanh" else "silent (a = 0 always)"
    factor = (f"factor {r['factor']:.3f} per layer" if np.isfinite(r["factor"]) else
              "a factor per layer needs 3 layers or more")
    line1 = (f"{r['activation']}, {r['scheme']}, s = {r['scale']:.3g}, {d} layers of "
             f"{r['width']}: std z⁽¹⁾ = {r['z_std'][0]:.3g}, std z⁽{d}⁾ = {r['z_std'][-1]:.3g} "
             f"({factor})")
    line2 = (f"gradient spread: layer 1 {r['grad_std'][0]:.3g}, layer {d} "
             f"{r['grad_std'][-1]:.3g}, ratio first/last = {r['grad_ratio']:.3g}; "
             f"{100 * r['stuck'][-1]:.1f}% of layer {d}'s units {stuck}")
    return line1 + "\n" + line2


_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_layers(r: dict, fig) -> None:
    panels = _PANELS.get(fig)
    if panels is None or panels["axes"] != fig.axes:
        panels = _PANELS[fig] = _build(fig)
    key = (r["depth"], r["activation"])
    if panels["key"] != key:
        # Keeping the axes keeps their ticks: building them again is most of a rebuild.
        _fit(panels, r)
        panels["key"] = key
    art = panels["artists"]
    hist = np.where(r["hist"] > 0, r["hist"], np.nan)
    art["image"].set_data(hist)
    layers = np.arange(1, r["depth"] + 1)
    art["z"].set_data(layers, np.clip(r["z_std"], *YLIM))
    art["grad"].set_data(layers, np.clip(r["grad_std"], *YLIM))
    art["left_title"].set_text(f"activations per layer ({r['scheme']}, s = {r['scale']:.3g})")
    art["right_title"].set_text(f"spread per layer: gradient ratio first/last "
                                f"{r['grad_ratio']:.3g}")


def _build(fig) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1.1, 1])
    cmap = mpl.colormaps["viridis"].with_extremes(bad="white")
    image = left.imshow(np.full((1, 1), np.nan), aspect="auto", origin="lower", cmap=cmap,
                        norm=LogNorm(1e-4, 1.0), interpolation="nearest")
    colorbar = fig.colorbar(image, ax=left, label="share of values", fraction=0.05)
    left.set_ylabel("layer l")
    left.grid(False)
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    z, = right.plot([], [], color=plotting.PALETTE[0], marker="o",
                    label="std of z⁽ˡ⁾ (forward)")
    grad, = right.plot([], [], color=plotting.PALETTE[3], marker="s",
                       linestyle="--", label="std of ∂J/∂z⁽ˡ⁾ (backward)")
    right.set_yscale("log")
    right.set_ylim(*YLIM)
    right.set_xlabel("layer l")
    right.set_ylabel("standard deviation")
    right.xaxis.set_major_locator(MaxNLocator(integer=True))
    right.legend(loc="lower left", fontsize=11)
    # These log axes span 4 and 11 decades: their minor ticks never carry a label, and
    # formatting ~50 empty ones several times a draw is a twentieth of a full re-render.
    for axis in (colorbar.ax.yaxis, right.yaxis):
        axis.set_minor_formatter(NullFormatter())
    left_title = left.set_title(" ", fontsize=13)
    right_title = right.set_title(" ", fontsize=13)
    for artist in (image, z, grad, left_title, right_title):
        artist.set_animated(True)
    return {"key": None, "axes": [left, right, *fig.axes[2:]],
            "artists": {"image": image, "z": z, "grad": grad, "left_title": left_title,
                        "right_title": right_title}}


def _fit(panels: dict, r: dict) -> None:
    """The image's extent, both panels' limits and the activation's name for ``r``'s depth
    and non-linearity (its histogram bins)."""
    left, right = panels["axes"][:2]
    bins, depth = r["bins"], r["depth"]
    panels["artists"]["image"].set_extent((bins[0], bins[-1], 0.5, depth + 0.5))
    left.set_xlim(bins[0], bins[-1])
    left.set_ylim(0.5, depth + 0.5)
    left.set_xlabel(f"activation a ({r['activation']})")
    right.set_xlim(0.5, depth + 0.5)


def init_explorer(depth: int = 20, activation: str = "tanh", scheme: str = "gaussian",
                  scale: float = 1.0, challenge=None) -> Explorer:
    """Sliders for the depth and the scale s (log), menus for the non-linearity and scheme.

    ``challenge``: a ``lessons.common.challenge.Challenge`` (the exercise's,
    ``checks.SCALE_CHALLENGE``) whose live badge and answer line the explorer shows.
    """
    controls = {
        "depth": int_slider(depth, 2, 30, 1, "depth"),
        "activation": dropdown(["tanh", "relu", "linear"], activation, "non-linearity"),
        "scheme": dropdown(list(SCHEMES), scheme, "scheme"),
        "scale": float_slider(scale, 0.1, 10.0, 0.01, "scale s", log=True),
    }
    return Explorer(compute_layers, draw_layers, controls,
                    title="Activations and gradients, layer by layer, at initialization",
                    summary=summary_layers, figsize=FIGSIZE, clear=False,
                    badge=None if challenge is None else challenge.badge,
                    record=None if challenge is None else challenge.record)


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_layers, compute_layers(**settings), FIGSIZE)
