"""Notebook 05, §1: how the initial scale spreads through a deep network, layer by layer.

A network of ``DEPTH`` hidden layers of ``WIDTH`` units meets 256 standardized digits. For
each layer l we measure the spread of the pre-activations z⁽ˡ⁾ = a⁽ˡ⁻¹⁾W⁽ˡ⁾ + b⁽ˡ⁾ and of
the back-propagated gradients ∂J/∂z⁽ˡ⁾ (times the batch size, so that it is one example's
gradient), the share of saturated tanh units (|a| > 0.97) or of silent ReLU units (a = 0),
and histograms of the activations a⁽ˡ⁾.

Where the units are in their linear regime the theory is simple: with W ~ N(0, s²/m) the
variance of z is multiplied by s² per layer (by s²/2 behind a ReLU, which zeroes half of
its inputs), so the standard deviation by s (or s/√2): the measured per-layer factor is
compared with that prediction.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

from ... import plotting
from .task import deep_net, one_thread, start

DEPTH = 15
ROWS = 256
BINS = {"tanh": np.linspace(-1.0, 1.0, 41), "relu": np.linspace(0.0, 3.0, 41),
        "linear": np.linspace(-3.0, 3.0, 41)}
SATURATED = 0.97

# (scheme, scale, label) of the settings compared in the notebook
SETTINGS = (("gaussian", 0.5, "Gaussian, s = 0.5 (too small)"),
            ("glorot", 1.0, "normalized (Glorot)"),
            ("he", 1.0, "He, s = √2"),
            ("gaussian", 2.0, "Gaussian, s = 2 (too large)"))


def effective_scale(scheme: str, scale: float, width: int) -> float:
    """The s of W ~ N(0, s²/m) with the same variance, for a layer of m = n = ``width``."""
    if scheme == "glorot":                 # U(−l, l): l²/3 = 2/(m + n) = 1/m when m = n
        return scale
    if scheme == "he":
        return np.sqrt(2.0) * scale
    if scheme in ("gaussian", "orthogonal"):
        return scale
    return float("nan")


@one_thread
def layer_statistics(depth: int = DEPTH, activation: str = "tanh", scheme: str = "glorot",
                     scale: float = 1.0, seed: int = 0, width: int = 64,
                     rows: int = ROWS) -> dict:
    """Per-layer spreads of z and ∂J/∂z, saturation and histograms at initialization."""
    net = deep_net(depth, width, activation, rows=rows)
    theta = start(net, scheme, seed, scale)
    with np.errstate(all="ignore"):
        back = net.backward_pass(theta)
    hidden = range(depth)                          # z⁽¹⁾ … z⁽ᴰ⁾ of the hidden layers
    z_std = np.array([back["pre"][l].std() for l in hidden])
    grad_std = np.array([back["delta"][l].std() * rows for l in hidden])
    acts = [back["act"][l + 1] for l in hidden]
    if activation == "tanh":
        stuck = np.array([np.mean(np.abs(a) > SATURATED) for a in acts])
    elif activation == "relu":
        stuck = np.array([np.mean(np.all(a == 0, axis=0)) for a in acts])
    else:
        stuck = np.zeros(depth)
    bins = BINS[activation]
    hist = np.array([np.histogram(np.clip(a, bins[0], bins[-1]), bins=bins)[0] for a in acts])
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(z_std[1:])
    # From layer 2 on (layer 1 reflects the inputs): two layers give no ratio to average.
    factor = (float("nan") if len(logs) < 2 else
              float(np.exp(np.mean(np.diff(logs)))) if np.all(np.isfinite(logs)) else 0.0)
    s = effective_scale(scheme, scale, width)
    theory = {"linear": s, "relu": s / np.sqrt(2.0), "tanh": s if s < 1 else float("nan")}
    return {"depth": depth, "activation": activation, "scheme": scheme, "scale": scale,
            "z_std": z_std, "grad_std": grad_std, "stuck": stuck, "bins": bins,
            "hist": hist / rows / width, "factor": factor, "theory": theory[activation]}


def compute_spread(depth: int = DEPTH, seed: int = 0) -> dict:
    """``layer_statistics`` for every (non-linearity, setting) of ``SETTINGS``."""
    return {"depth": depth, "runs": {
        (activation, label): layer_statistics(depth, activation, scheme, scale, seed)
        for activation in ("tanh", "relu") for scheme, scale, label in SETTINGS}}


def report_spread(r: dict) -> str:
    d = r["depth"]
    lines = [f"{d} hidden layers of 64 units, 256 digits; std = standard deviation over "
             "examples and units",
             f"{'':5} {'initialization':31} {'std z⁽¹⁾':>9} {f'std z⁽{d}⁾':>10} "
             f"{'factor/layer':>12} {'theory':>7} {'grad z⁽¹⁾':>10} {f'grad z⁽{d}⁾':>11} "
             f"{'stuck':>6}"]
    for (activation, label), run in r["runs"].items():
        theory = "" if np.isnan(run["theory"]) else f"{run['theory']:.3f}"
        stuck = f"{100 * run['stuck'][-1]:5.1f}%"
        lines.append(f"{activation:5} {label:31} {run['z_std'][0]:9.3f} {run['z_std'][-1]:10.2e} "
                     f"{run['factor']:12.3f} {theory:>7} {run['grad_std'][0]:10.2e} "
                     f"{run['grad_std'][-1]:11.2e} {stuck:>6}")
    lines.append("stuck: share of saturated tanh units (|a| > 0.97) or of ReLU units that "
                 f"are 0 for every example, in layer {d}")
    return "\n".join(lines)


def figure_spread(r: dict):
    """Top: histograms of the tanh activations, layer by layer, for three scales.
    Bottom: std of z⁽ˡ⁾ (solid) and of ∂J/∂z⁽ˡ⁾ (dashed) against the layer."""
    fig = plotting.figure(figsize=(13.0, 8.4))
    with plotting.style():
        top = fig.subfigures(2, 1, height_ratios=[1, 1.15])
        hist_axes = top[0].subplots(1, 3, sharey=True)
        shown = [label for _, _, label in SETTINGS if "He" not in label]
        cmap = mpl.colormaps["viridis"]
        for ax, label in zip(hist_axes, shown, strict=True):
            run = r["runs"][("tanh", label)]
            centres = 0.5 * (run["bins"][1:] + run["bins"][:-1])
            for l in range(0, run["depth"], 2):
                ax.plot(centres, run["hist"][l], color=cmap(l / (run["depth"] - 1)),
                        marker="none", linewidth=1.6, label=f"layer {l + 1}")
            ax.set_title(f"tanh, {label}", fontsize=13)
            ax.set_xlabel("activation a")
            ax.set_xticks([-1.0, -0.5, 0.0, 0.5, 1.0])     # five ticks: no overlapping labels
        hist_axes[0].set_ylabel("share of values")
        hist_axes[0].set_yscale("log")
        hist_axes[-1].legend(fontsize=10, loc="upper center", ncol=2)
        line_axes = top[1].subplots(1, 2, sharey=True)
        for ax, activation in zip(line_axes, ("tanh", "relu"), strict=True):
            for i, (_, _, label) in enumerate(SETTINGS):
                run = r["runs"][(activation, label)]
                layers = np.arange(1, run["depth"] + 1)
                color = plotting.PALETTE[i]
                ax.plot(layers, run["z_std"], color=color, marker=plotting.MARKERS[i],
                        label=label)
                ax.plot(layers, run["grad_std"], color=color, marker=plotting.MARKERS[i],
                        linestyle="--", markerfacecolor="white")
            ax.set_yscale("log")
            ax.set_xlabel("layer l")
            ax.set_title(f"{activation}: std z⁽ˡ⁾ (solid), std ∂J/∂z⁽ˡ⁾ (dashed)", fontsize=13)
        line_axes[0].set_ylabel("standard deviation")
        line_axes[1].legend(fontsize=11, loc="lower left")
    return fig
