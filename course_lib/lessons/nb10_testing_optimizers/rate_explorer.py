"""Notebook 10: your ``hypergradient_step`` in the explorer, beside the reference.

The learner's function runs on a 2-D problem from a chosen starting rate ε₀ and
hypergradient rate β (``lessons.common.plug_in``): both paths on the contours with a ring
where they part, and on the right the rate each run actually used at every step,
ε_k = −Δθ_k · g_k/‖g_k‖² (the step divided by the gradient it was taken along), so a sign
error shows as a rate that falls where it should rise. The check's diagnosis is under the
plot. A mistake in the rate's update is invisible at β = 0 (SGD-HD is then SGD) and in the
first step (g₀ = 0): move β and watch.
"""

from __future__ import annotations

import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...checks.rules import Case
from ...objectives import Quadratic
from ...prototypes import prototype
from ...widgets import Explorer, dropdown, float_slider
from ..common.learner_panels import set_paths
from ..common.plug_in import run_learner
from .checks import HYPERGRADIENT_STEP

STEPS = 60
FIGSIZE = (12.0, 4.8)
PALETTE = plotting.PALETTE
PROBLEMS = {
    "bowl (curvatures 1, 2)": lambda: Quadratic((1.0, 2.0)),
    "rotated bowl (κ = 100)": lambda: prototype("rotated").clean(),
    "saddle": lambda: prototype("saddle").clean(),
    "coupled (banana valley)": lambda: prototype("coupled").clean(),
}
STARTS = {"bowl (curvatures 1, 2)": (3.0, 3.0)}


def _problem(name: str):
    if name not in PROBLEMS:
        raise ValueError(f"problem must be one of {list(PROBLEMS)}, got {name!r}")
    objective = PROBLEMS[name]()
    start = STARTS.get(name)
    theta0 = np.array(start, dtype=float) if start else objective.theta0()
    return objective, theta0


def used_rates(objective, path: np.ndarray) -> np.ndarray:
    """ε_k = −Δθ_k · g_k/‖g_k‖², g_k the gradient at θ_{k−1}: the rate each step used."""
    rates = []
    with np.errstate(all="ignore"):
        for before, after in zip(path[:-1], path[1:], strict=True):
            g = objective.grad(before)
            rates.append(-(after - before) @ g / (g @ g) if g @ g > 0 else np.nan)
    return np.array(rates)


def compute_rates(learner=None, lr0: float = 1e-3, beta: float = 1e-3,
                  problem_name: str = "bowl (curvatures 1, 2)", steps: int = STEPS) -> dict:
    objective, theta0 = _problem(problem_name)
    case = Case(problem_name, objective, {"theta": theta0, "lr": float(lr0),
                                          "g_prev": np.zeros(2)}, {"beta": float(beta)}, steps)
    with np.errstate(all="ignore"):        # a large β can make both runs blow up
        run = run_learner(learner, HYPERGRADIENT_STEP, case)
    return {"run": run, "lr0": float(lr0), "beta": float(beta), "problem": problem_name,
            "steps": int(steps), "theta0": theta0,
            "reference_rates": used_rates(objective, run.reference),
            "learner_rates": used_rates(objective, run.path)}


def summary_rates(r: dict) -> str:
    run = r["run"]
    ref = r["reference_rates"]
    head = f"ε₀ = {r['lr0']:.3g}, β = {r['beta']:.3g} on {r['problem']}: "
    if np.all(np.isfinite(r["run"].reference)) and np.isfinite(ref[-1]):
        head += f"the reference's rate goes to {ref[-1]:.3g} in {r['steps']} steps"
    else:
        head += "the reference's run blows up (β is too large for gradients this size)"
    return f"{head}\nhypergradient_step: {run.headline}\n{run.message}"


_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_rates(r: dict, fig) -> None:
    with np.errstate(all="ignore"):
        panels = _PANELS.get(fig)
        if panels is None or panels["axes"] != fig.axes or panels["problem"] != r["problem"]:
            panels = _PANELS[fig] = _build(fig, r)
        art, run = panels["artists"], r["run"]
        set_paths(art, run)
        for name in ("reference", "learner"):
            rates = np.abs(r[f"{name}_rates"])
            rates = np.where((rates > 0) & (rates < 1e6), rates, np.nan)
            art[f"{name}_rate"].set_data(np.arange(1, len(rates) + 1), rates)
        left, right = panels["axes"]
        left.title.set_text(f"ε₀ = {r['lr0']:.3g}, β = {r['beta']:.3g}")
        right.title.set_text(run.headline.removeprefix("your function ")[:46])


def _build(fig, r: dict) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1.1, 1])
    objective, theta0 = _problem(r["problem"])
    span = float(np.abs(theta0).max()) * 1.4 + 0.5
    box = (-span, span, -span, span)
    X, Y = np.meshgrid(np.linspace(-span, span, 100), np.linspace(-span, span, 100))
    Z = np.array([objective.loss(p) for p in np.column_stack([X.ravel(), Y.ravel()])])
    Z = Z.reshape(X.shape)
    left.contour(X, Y, Z - Z.min() + 1e-3, levels=np.geomspace(1e-3, Z.max() - Z.min() + 1e-3,
                                                                 16),
                 cmap="viridis", linewidths=1.0)
    empty = ([], [])
    reference, = left.plot(*empty, color=PALETTE[7], linewidth=1.6, marker="none", alpha=0.8,
                           label="reference", zorder=3)
    learner, = left.plot(*empty, color=PALETTE[3], linestyle="--", linewidth=2.2,
                         marker="none", label="your hypergradient_step", zorder=4)
    ring, = left.plot(*empty, marker="o", markersize=16, markerfacecolor="none",
                      markeredgecolor=PALETTE[3], markeredgewidth=2.5, linestyle="none",
                      zorder=6, label="where they part")
    left.set_xlim(box[0], box[1])
    left.set_ylim(box[2], box[3])
    left.set_xlabel("θ₁")
    left.set_ylabel("θ₂")
    left.grid(False)
    left.legend(loc="lower left", fontsize=10)
    ref_rate, = right.plot(*empty, color=PALETTE[7], marker="none", label="reference")
    my_rate, = right.plot(*empty, color=PALETTE[3], linestyle="--", marker="none",
                          label="yours")
    right.set_yscale("log")
    right.set_ylim(1e-5, 1e2)
    right.yaxis.set_minor_locator(NullLocator())
    right.set_xlim(0, r["steps"])
    right.set_xlabel("step k")
    right.set_ylabel("|ε_k| used by the step")
    right.legend(loc="lower right", fontsize=10)
    for artist in (reference, learner, ring, ref_rate, my_rate, left.title, right.title):
        artist.set_animated(True)
    return {"axes": [left, right], "problem": r["problem"],
            "artists": {"reference": reference, "learner": learner, "ring": ring,
                        "reference_rate": ref_rate, "learner_rate": my_rate}}


def rate_explorer(hypergradient_step=None, lr0: float = 1e-3, beta: float = 1e-3,
                  problem_name: str = "bowl (curvatures 1, 2)") -> Explorer:
    """Your ``hypergradient_step`` beside the reference: sliders for ε₀ and β (log), a menu
    for the problem."""
    controls = {
        "lr0": float_slider(lr0, 1e-4, 1.0, 0.25, "ε₀ (start)", log=True),
        "beta": float_slider(beta, 1e-5, 1e-1, 0.25, "β (rate of ε)", log=True),
        "problem_name": dropdown(list(PROBLEMS), problem_name, "problem"),
    }

    def compute(**settings):
        return compute_rates(hypergradient_step, **settings)

    return Explorer(compute, draw_rates, controls,
                    title="Your hypergradient_step beside the reference",
                    summary=summary_rates, figsize=FIGSIZE, clear=False)


def reference_plugged_in() -> Explorer:
    """The explorer with the reference rule plugged in (for the benchmark and the tests)."""
    return rate_explorer(HYPERGRADIENT_STEP.reference)


def companion_figure(hypergradient_step=None, **settings):
    """The explorer's figure for ``settings`` (the reference plugged in by default)."""
    learner = HYPERGRADIENT_STEP.reference if hypergradient_step is None else hypergradient_step
    return plotting.static_figure(draw_rates, compute_rates(learner, **settings), FIGSIZE)
