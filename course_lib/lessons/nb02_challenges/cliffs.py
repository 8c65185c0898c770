"""Notebook 02, §5: cliffs and gradient clipping (section 8.2.4, the book's figure 8.3).

The cliff: a gentle valley J = ½(0.1x² + y²) that ends, at x = 1, in a wall 10 high and
about 0.4 wide (``objectives.Cliff``, slope up to h s/4 = 25). Started on the high side,
gradient descent walks down to the wall; one step taken *on* the wall is ε‖g‖ long, and
throws θ far out along the gentle floor, from where the climb back takes many steps.
Norm clipping bounds every step by εv and keeps its direction.

``compute_cliff`` is the cliff explorer's compute function, and the tuning challenge's
(exercise 4: settings (ε, v, mode) that reach J − J* ≤ ``TARGET`` within ``BUDGET`` steps,
here and on a nearby cliff, ``nearby_cliff``).
"""

from __future__ import annotations

import functools

import numpy as np

from ...objectives import Cliff
from ...optim import SGD
from ...run import minimize
from ...strategies.clipping import Clipped, clip_by_value

CLIFF_SETTINGS = {"height": 10.0, "steepness": 10.0, "wall": 1.0, "mu": 0.1}
START = (2.0, 1.5)
TARGET = 1e-3           # J − J* to reach ...
BUDGET = 20             # ... within this many steps
MODES = ("norm", "value", "off")


@functools.lru_cache(maxsize=64)
def make_cliff(height: float = 10.0, steepness: float = 10.0, wall: float = 1.0,
               mu: float = 0.1) -> Cliff:
    """The cliff with these settings (one object per setting, so contour grids are cached)."""
    return Cliff(height=height, steepness=steepness, wall=wall, mu=mu)


CLIFF = make_cliff(**CLIFF_SETTINGS)


def make_optimizer(lr: float, threshold: float | None, mode: str = "norm"):
    """SGD, norm- or value-clipped at ``threshold`` (``mode="off"`` or None: no clipping)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if mode == "off" or threshold is None:
        return SGD(lr=lr)
    return Clipped(SGD(lr=lr), threshold, mode)


def run_cliff(lr: float, threshold: float | None, mode: str = "norm", cliff=CLIFF,
              start=START, steps: int = 2 * BUDGET) -> dict:
    """One run of ``steps`` steps on ``cliff``: the path, J − J*, the step lengths, the
    first step within the target (None if none) and whether it is within ``BUDGET``."""
    trace = minimize(cliff, make_optimizer(lr, threshold, mode), start, steps, warn=False)
    return summarize_run(cliff, trace.thetas, trace.losses)


def summarize_run(cliff, thetas, losses) -> dict:
    """The numbers the notebook, the explorer and the checks read from a run."""
    excess = np.asarray(losses, dtype=float) - cliff.min_value
    hit = np.flatnonzero(excess <= TARGET)
    first = int(hit[0]) if hit.size else None
    lengths = np.linalg.norm(np.diff(thetas, axis=0), axis=1)
    return {"thetas": np.asarray(thetas), "excess": excess, "lengths": lengths,
            "first": first, "met": first is not None and first <= BUDGET,
            "longest": float(lengths.max()) if lengths.size else 0.0,
            "longest_at": int(np.argmax(lengths)) + 1 if lengths.size else 0,
            "farthest_x": float(np.min(thetas[:, 0])), "peak": float(np.nanmax(excess[1:])
                                                                     + cliff.min_value)}


def compute_cliff(lr: float = 0.7, threshold: float = 0.25, mode: str = "off",
                  height: float = 10.0, steepness: float = 10.0, wall: float = 1.0,
                  mu: float = 0.1, start=START, steps: int = 2 * BUDGET) -> dict:
    """The cliff explorer's compute: the run with these settings and, for comparison, the
    same ε without clipping, on the cliff (height, steepness, wall, μ) from ``start``.

    ``steps_to_target``: the first step with J − J* ≤ ``TARGET`` (∞ if none): the number
    the tuning challenge is about.
    """
    cliff = make_cliff(float(height), float(steepness), float(wall), float(mu))
    start = tuple(float(x) for x in start)
    run = run_cliff(lr, threshold, mode, cliff, start, steps)
    free = run if mode == "off" else run_cliff(lr, None, "off", cliff, start, steps)
    return {"lr": float(lr), "threshold": float(threshold), "mode": mode, "run": run,
            "free": free, "cliff": cliff, "start": start, "steps": steps,
            "steps_to_target": float(run["first"]) if run["first"] is not None else np.inf}


def nearby_cliff(rng) -> dict:
    """Settings of ``compute_cliff`` for a cliff and a start near the notebook's (hidden
    tests): height 9–12, steepness 8–12, wall at 0.9–1.2, floor curvature μ 0.08–0.12,
    start θ₁ in 1.8–2.4 and |θ₂| in 1–1.5."""
    return {"height": round(float(rng.uniform(9.0, 12.0)), 3),
            "steepness": round(float(rng.uniform(8.0, 12.0)), 3),
            "wall": round(float(rng.uniform(0.9, 1.2)), 3),
            "mu": round(float(rng.uniform(0.08, 0.12)), 4),
            "start": (round(float(rng.uniform(1.8, 2.4)), 3),
                      round(float(rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 1.5)), 3))}


def compute_cliff_step(lr: float = 0.7, threshold: float = 0.25) -> dict:
    """One step from a point on the wall, and whole runs from the start, with and without
    clipping; plus how far value clipping turns the gradient on the wall."""
    on_wall = np.array([CLIFF.wall, 1.0])
    g = CLIFF.grad(on_wall)
    by_value = clip_by_value(g, threshold)
    angle = np.degrees(np.arccos(by_value @ g / np.linalg.norm(by_value) / np.linalg.norm(g)))
    runs = {name: run_cliff(lr, threshold, mode) for name, mode in
            (("no clipping", "off"), (f"norm clipping, v = {threshold:g}", "norm"))}
    return {"lr": lr, "threshold": threshold, "on_wall": on_wall,
            "g_norm": float(np.linalg.norm(g)),
            "free_step": float(lr * np.linalg.norm(g)), "clipped_step": float(lr * threshold),
            "value_angle": float(angle), "runs": runs, "start_loss": float(CLIFF.loss(START)),
            "min_value": CLIFF.min_value}


def report_cliff_step(r: dict) -> str:
    lines = [f"on the wall at θ = ({r['on_wall'][0]:g}, {r['on_wall'][1]:g}): ‖g‖ = "
             f"{r['g_norm']:.2f}; one step with ε = {r['lr']:g} moves θ by {r['free_step']:.2f}, "
             f"clipped at v = {r['threshold']:g} by {r['clipped_step']:.2f}",
             f"value clipping at v = {r['threshold']:g} turns that gradient by "
             f"{r['value_angle']:.1f}°; norm clipping by 0°",
             f"runs from {START} (J = {r['start_loss']:.2f}), ε = {r['lr']:g}, target "
             f"J − J* ≤ {TARGET:g}:",
             f"{'':26} {'longest step':>12} {'thrown to x =':>13} {'highest J':>10} "
             f"{'target at step':>15}"]
    for name, run in r["runs"].items():
        first = "not in 40" if run["first"] is None else str(run["first"])
        lines.append(f"{name:26} {run['longest']:12.2f} {run['farthest_x']:13.2f} "
                     f"{run['peak']:10.2f} {first:>15}")
    return "\n".join(lines)
