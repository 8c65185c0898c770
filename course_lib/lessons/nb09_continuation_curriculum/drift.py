"""Notebook 09, §3: where continuation fails. The global minimum is a narrow, deep well; a
broad, shallow well holds more of the function's "mass", so the blurred minimum sits there
and continuation tracks it to the wrong place, from every start."""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...global_opt.landscapes import drifting_function_1d
from ..common.cache import cached
from .basins import PALETTE
from .blur import SCHEDULE, compute_blur_family, draw_blur_family

STARTS = (-4.5, 0.0, 4.5)


def blurred_argmin(f, sigma: float) -> float:
    """Where J_σ is lowest on [−6, 6] (a fine grid)."""
    t = np.linspace(*f.box, 6001)
    return float(t[np.argmin(f.smoothed(sigma).values(t))])


@cached
def compute_drift(starts=STARTS, sigmas=None) -> dict:
    """Continuation from each start; the global minimizer of J_σ against σ, and the σ below
    which it jumps into the narrow well."""
    f = drifting_function_1d()
    sigmas = np.geomspace(0.01, 3.0, 120) if sigmas is None else sigmas
    runs = {s: compute_blur_family(f, SCHEDULE, s, steps=100) for s in starts}
    argmins = np.array([blurred_argmin(f, s) for s in sigmas])
    in_narrow = np.abs(argmins - f.minima[0, 0]) < 0.3
    switch = float(sigmas[~in_narrow].min()) if (~in_narrow).any() else 0.0
    return {"f": f, "runs": runs, "sigmas": np.asarray(sigmas), "argmins": argmins,
            "switch": switch, "global_theta": float(f.minima[0, 0]),
            "global_value": float(f.min_value)}


def report_drift(r: dict) -> str:
    lines = [f"global minimum: θ* = {r['global_theta']:.3f}, J* = {r['global_value']:.3f} "
             "(the narrow well)"]
    for start, run in r["runs"].items():
        lines.append(f"continuation from θ₀ = {start:+.1f}: ends at θ = {run['theta']:.3f}, "
                     f"J = {run['loss']:.3f}")
    lines.append(f"the lowest point of J_σ lies in the narrow well only for σ < "
                 f"{r['switch']:.3f}; for every larger σ it is in the broad well")
    return "\n".join(lines)


def figure_drift(r: dict):
    fig = plotting.figure(figsize=(13.0, 6.0))
    with plotting.style():
        left, right = fig.subplots(1, 2, width_ratios=[2.1, 1])
        draw_blur_family(left, r["runs"][STARTS[0]], "the blurred minimum drifts to the "
                                                     "broad well")
        right.semilogx(r["sigmas"], r["argmins"], color=PALETTE[4], marker="none")
        right.axhline(r["global_theta"], color="#000000", linestyle=":", linewidth=1.2,
                      label=f"global minimum θ* = {r['global_theta']:.2f}")
        right.axvline(r["switch"], color=PALETTE[3], linestyle="--", linewidth=1.2,
                      label=f"σ = {r['switch']:.3f}")
        right.set_xlabel("blur σ")
        right.set_ylabel(r"$\arg\min_\theta J_\sigma(\theta)$")
        right.set_title("where J_σ is lowest")
        right.legend(loc="center left", fontsize=11)
    return fig
