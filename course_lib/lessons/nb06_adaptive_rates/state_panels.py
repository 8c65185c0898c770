"""Notebook 06: what every adaptive demonstration draws beside its path, the internal state
(accumulators r and the effective rate of each parameter), and the constant-slope objective.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import NullLocator

from ... import plotting
from ...optim import effective_lrs

PALETTE = plotting.PALETTE
PARAM_STYLES = ("-", "--")          # θ₁ solid, θ₂ dashed, in every state panel


# --- helpers ---------------------------------------------------------------------------------
def state_arrays(optimizer, trace) -> dict:
    """The path, the accumulator r (if the optimizer has one) and the effective rates."""
    states = trace.states
    r = np.array([s.r for s in states]) if states and hasattr(states[0], "r") else None
    return {"thetas": trace.thetas, "losses": trace.losses, "r": r,
            "eff": effective_lrs(optimizer, trace), "stop_reason": trace.stop_reason}


# --- the internal state beside the path ------------------------------------------------------
def figure_state(runs: dict, objective, box, title: str = "", min_value=None):
    """Path on the contours | accumulators rᵢ | effective rates ε_eff,i, against the step.

    ``runs``: name → ``state_arrays(...)``. Colours tell the methods apart, line styles the
    parameters (θ₁ solid, θ₂ dashed). A run without an accumulator is left out of the middle.
    """
    fig = plotting.figure(figsize=(10.8, 5.2))      # ≤ 10.8 in: 13-pt text stays ≥ 9 px
    with plotting.style():
        path_ax, r_ax, eff_ax = fig.subplots(1, 3, width_ratios=[1.15, 1, 1])
        plotting.contour(objective, ax=path_ax, box=box, n=100)
        handles = []
        for i, (name, run) in enumerate(runs.items()):
            color = PALETTE[i % len(PALETTE)]
            handles.append(plotting.trajectory(path_ax, run["thetas"], label=name, color=color,
                                               marker=plotting.MARKERS[i], markersize=3.5,
                                               markevery=max(1, len(run["thetas"]) // 100)))
            k = np.arange(1, len(run["eff"]) + 1)
            for p in range(2):
                if run["r"] is not None:
                    r_ax.plot(k, run["r"][:, p], color=color, linestyle=PARAM_STYLES[p],
                              marker="none")
                eff_ax.plot(k, run["eff"][:, p], color=color, linestyle=PARAM_STYLES[p],
                            marker="none")
        path_ax.set_xlim(box[0], box[1])
        path_ax.set_ylim(box[2], box[3])
        path_ax.set_title(title or "paths", fontsize=13)
        for ax, ylabel, heading in ((r_ax, "accumulator rᵢ", "what each remembers"),
                                    (eff_ax, "effective rate εᵢ", "each parameter's rate")):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_xlabel("step k")
            ax.set_ylabel(ylabel)
            ax.set_title(heading, fontsize=13)
        handles += [Line2D([], [], color="black", linestyle=style, marker="none",
                           label=f"{name} (right panels)")
                    for name, style in zip(("θ₁", "θ₂"), PARAM_STYLES, strict=True)]
        fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=13)
    return fig
