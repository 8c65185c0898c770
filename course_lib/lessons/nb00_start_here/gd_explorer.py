"""The explorer of notebook 00: gradient descent zig-zags down an ill-conditioned bowl.

Gradient descent (Algorithm 8.1 on a plain function) on J(θ) = ½ (θ − θ*)ᵀ H (θ − θ*) with
eigenvalues λ_min = 1 and λ_max = κ. Each eigen-component of θ − θ* is multiplied by
(1 − ελᵢ) per step, so ‖θ_k − θ*‖ shrinks like (max |1 − ελᵢ|)^k: the steep direction
(λ_max) sets the largest stable ε < 2/λ_max, the flat one (λ_min) then moves slowly, and
the best constant ε = 2/(λ_max + λ_min) gives the rate (κ − 1)/(κ + 1).

The ε slider is logarithmic, from 10⁻³ to 10^0.4 ≈ 2.5 in steps of 1/40 of a decade: past
2/λ_max for every κ (2 for κ = 1), so divergence can be seen, with 1 and 0.1 on its grid.
The right panel names the best ε and draws its learning curve beside the chosen one.
"""

from __future__ import annotations

import functools
import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...objectives import Quadratic
from ...optim import SGD
from ...rates import distances
from ...run import minimize
from ...widgets import Explorer, float_slider, int_slider

THETA0 = (-2.5, 2.0)     # mostly along the steep eigenvector: the zig-zag shows at once
ANGLE = np.pi / 6        # rotated, so the zig-zag is not along the axes
BOX = (-3.0, 3.0, -3.0, 3.0)
FIGSIZE = (10.5, 4.6)    # 13-pt text shows at ≥ 9 px in a 7.5-in wide notebook
LR_MIN, LR_MAX, LR_STEP = 1e-3, 10 ** 0.4, 0.025     # the log slider: decades, 40 per decade
DEFAULT_LR = 10 ** -0.825                           # 0.1496, a point of that grid ("0.150")


def lr_text(lr: float) -> str:
    """ε as the explorer writes it: 3 decimals (0.150), 2 significant digits below 0.01."""
    return f"{lr:.3f}" if lr >= 0.01 else f"{lr:.2g}"


@functools.lru_cache(maxsize=64)
def bowl(kappa: float) -> Quadratic:
    """The explorer's bowl: eigenvalues (1, κ), rotated by π/6, minimum at 0.

    Cached, so redrawing with the same κ reuses the same object and its contour grid
    (``Quadratic.loss_grid`` computes that grid without a loop).
    """
    return Quadratic.with_condition(kappa, lam_min=1.0, angle=ANGLE)


def compute_gd(lr: float, kappa: float, steps: int = 60) -> dict:
    """Run gradient descent with ε = ``lr`` on the bowl of condition number κ.

    Returns the path and losses beside the measured contraction per step
    (‖θ_K − θ*‖/‖θ₀ − θ*‖)^(1/K), the theory's numbers, and the losses of the run at the
    best constant ε = 2/(λ_min + λ_max) (``best_losses``). ``diverged`` is True when the
    run blew up (``minimize`` stopped it; the rate is then measured over the finite part)
    or moved away from θ* (measured rate > 1).
    """
    q = bowl(float(kappa))
    # The trace's stop_reason says it; an explorer should not print a warning.
    trace = minimize(q, SGD(lr=lr), THETA0, steps, warn=False)
    d = distances(trace.thetas, q.center)
    K = trace.n_steps
    if K == 0:
        rate = float("inf")                 # blew up on the very first step
    elif d[-1] == 0:
        rate = 0.0                          # landed exactly on θ* (κ = 1, ε = 1)
    else:
        rate = float((d[-1] / d[0]) ** (1.0 / K))
    blew_up = trace.stop_reason == "diverged"
    best = minimize(q, SGD(lr=q.best_gd_lr), THETA0, steps, warn=False)
    return {
        "thetas": trace.thetas,
        "losses": trace.losses,
        "distances": d,
        "theta_star": q.center.copy(),
        "min_value": q.min_value,
        "lr": float(lr),
        "kappa": float(kappa),
        "steps": int(steps),
        "steps_run": K,
        "stop_reason": trace.stop_reason,
        "diverged": bool(blew_up or rate > 1.0 + 1e-12),
        "rate": rate,
        "theory_rate": q.gd_rate(lr),
        "best_lr": q.best_gd_lr,
        "best_losses": best.losses,
        "best_rate": q.best_gd_rate,
        "largest_stable_lr": 2.0 / q.lam_max,
        "lam_max": q.lam_max,
        "lam_min": q.lam_min,
    }


def summary_gd(result: dict) -> str:
    """The measured rate beside the theory's, as two lines of text."""
    r = result
    head = f"ε = {lr_text(r['lr'])}, κ = {r['kappa']:g}: "
    if r["stop_reason"] == "diverged":
        head += f"diverged (blew up after step {r['steps_run']}); "
        head += f"measured growth {r['rate']:.3f} per step"
    elif r["diverged"]:
        head += f"diverged: measured growth {r['rate']:.3f} per step"
    else:
        head += f"measured rate {r['rate']:.3f} per step"
    head += f"; theory max|1 − ελᵢ| = {r['theory_rate']:.3f}"
    tail = (f"best constant ε = 2/(λ_min+λ_max) = {r['best_lr']:.3f} gives "
            f"(κ−1)/(κ+1) = {r['best_rate']:.3f} per step")
    return head + "\n" + tail


def draw_gd(result: dict, fig) -> None:
    """Left: the path on the contours. Right: J(θ_k) − J* on a log scale against k.

    Called again on the same figure (the explorer's), it keeps the axes, the contours of
    an unchanged κ and the y-range when it still fits, and only moves the *animated*
    curves and titles: the explorer then redraws just those over a cached background.
    """
    r = result
    panels = _PANELS.get(fig)
    if panels is None or panels["axes"] != fig.axes:
        panels = _PANELS[fig] = _build_panels(fig, r["steps"])
    left, right = panels["axes"]

    if panels["kappa"] != r["kappa"]:           # the contours of a new bowl
        stale = fig.stale
        for artist in panels["contour"]:
            artist.remove()
        before = set(left.get_children())
        plotting.contour(bowl(r["kappa"]), ax=left, box=BOX)
        panels["contour"] = [a for a in left.get_children() if a not in before]
        for z, artist in enumerate(panels["contour"]):
            # Animated too, so a new κ does not re-render the axes; in their own order,
            # under the path (zorder 2) but the star of the minimum on top.
            artist.set_animated(True)
            if artist.get_label() != "minimum":
                artist.set_zorder(1 + z / 10)
        # Swapping animated artists (and re-setting the same limits and labels) changes
        # nothing of the cached background: say so, unless it was stale already.
        fig.stale = stale
        panels["kappa"] = r["kappa"]

    k = np.arange(len(r["losses"]))
    excess = _excess(r["losses"], r["min_value"])
    best = _excess(r["best_losses"], r["min_value"])
    # J − J* shrinks like rate^(2k) once the slowest component dominates: the theory's
    # line, anchored at the last point so the two slopes can be compared.
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        theory = excess[-1] * r["theory_rate"] ** (2.0 * (k - k[-1]))
    theory = np.where(np.isfinite(theory) & (theory > 0), theory, np.nan)
    lines = panels["lines"]
    hidden = bool(r.get("hidden", False))     # a prediction not yet revealed: no run shown
    for artist in [*(lines[name] for name in ("path", "measured", "theory", "best")),
                   panels["legend"]]:
        artist.set_visible(not hidden)
    lines["path"].set_data(r["thetas"][:, 0], r["thetas"][:, 1])
    lines["start"].set_data(r["thetas"][:1, 0], r["thetas"][:1, 1])
    lines["measured"].set_data(k, excess)
    lines["theory"].set_data(k, theory)
    lines["best"].set_data(np.arange(len(best)), best)
    panels["best_label"].set_text(f"best ε = 2/(λ_min+λ_max) = {r['best_lr']:.3f}")
    ylim = plotting.decade_range(np.concatenate([excess, best]), 6, 3, lowest=-30)
    if not hidden and right.get_ylim() != ylim:     # only then is a full redraw needed
        right.set_ylim(*ylim)
    # title.set_text, not set_title: set_title also touches the (static) side titles.
    if hidden:
        left.title.set_text(f"your prediction: ε = {lr_text(r['lr'])}, κ = {r['kappa']:g}")
        right.title.set_text("J(θ_k) − J*: turn on reveal to see it")
        return
    left.title.set_text(f"ε = {lr_text(r['lr'])}, κ = {r['kappa']:g}")
    state = "diverged" if r["diverged"] else f"rate {r['rate']:.3f}/step"
    right.title.set_text(f"J(θ_k) − J*: {state}")


def report_default_vs_best(result: dict) -> str:
    """The explorer's default run beside the run at the best ε, as the notebook prints it:
    their measured rates, the theory's, and the first step from which the best is lower."""
    r = result
    ahead = np.flatnonzero(_excess(r["best_losses"], r["min_value"])
                           < _excess(r["losses"], r["min_value"]))
    caught = (f"the best ε's run is lower from step {ahead[0]} on" if ahead.size
              else "the best ε's run is never lower in these steps")
    best_rate = r["best_rate"]
    return (f"ε = {lr_text(r['lr'])}: measured rate {r['rate']:.3f} per step, theory "
            f"{r['theory_rate']:.3f}\n"
            f"best ε = {r['best_lr']:.3f}: theory (κ−1)/(κ+1) = {best_rate:.3f} per step; "
            f"{caught}")


def _excess(losses, min_value) -> np.ndarray:
    """J − J*, with NaN where it is not positive (a log axis cannot show it)."""
    excess = np.asarray(losses, dtype=float) - min_value
    return np.where(excess > 0, excess, np.nan)


def _build_panels(fig, steps: int) -> dict:
    """The two axes and the artists that updates move (animated: drawn over the rest)."""
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.25])
    path = plotting.trajectory(left, np.full((1, 2), np.nan), label="gradient descent",
                               color=plotting.PALETTE[0])
    start = left.lines[-1]
    right.set_yscale("log")
    right.yaxis.set_minor_locator(NullLocator())
    measured, = right.plot([], [], color=plotting.PALETTE[0], marker="o", markevery=5,
                           label="measured")
    theory, = right.plot([], [], color=plotting.PALETTE[1], linestyle="--", marker="none",
                         linewidth=2.2, label="theory ∝ max|1 − ελᵢ|^(2k)")
    best, = right.plot([], [], color=plotting.PALETTE[2], linestyle=":", marker="^",
                       markevery=10, linewidth=2.2, label="best ε = 2/(λ_min+λ_max)")
    right.set_xlim(0, steps)
    left.set_title(" ")      # title font and place from the style; the text comes later
    right.set_title(" ")
    right.set_xlabel("step k")
    right.set_ylabel("J(θ) − J*")
    # The legends are animated, drawn over the curves; only the best ε's entry changes.
    plotting.contour(bowl(1.0), ax=left, box=BOX)   # so the legend gets its star; replaced
    legends = [left.legend(loc="upper right"), right.legend(loc="best")]
    for artist in [path, start, measured, theory, best, left.title, right.title, *legends]:
        artist.set_animated(True)
    contour = [a for a in left.get_children() if a not in (path, start, *legends)
               and type(a).__name__ in ("QuadContourSet", "Line2D")]
    return {"axes": [left, right], "kappa": 1.0, "contour": contour,
            "best_label": legends[1].get_texts()[-1], "legend": legends[1],
            "lines": {"path": path, "start": start, "measured": measured, "theory": theory,
                      "best": best}}


# Each figure's panels, so that a redraw can reuse them; forgotten with the figure.
_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def lr_slider(lr: float):
    """The log slider for ε: 10⁻³ … 10^0.4 ≈ 2.5, 40 stops per decade."""
    return float_slider(lr, LR_MIN, LR_MAX, LR_STEP, "ε (lr)", log=True)


def gd_explorer(lr: float = DEFAULT_LR, kappa: float = 10, steps: int = 60) -> Explorer:
    """Sliders for ε (log) and κ; the path, the learning curve and the measured rate update."""
    controls = {
        "lr": lr_slider(lr),
        "kappa": int_slider(int(kappa), 1, 50, 1, "κ"),
    }
    return Explorer(lambda lr, kappa: compute_gd(lr, kappa, steps), draw_gd, controls,
                    title="Gradient descent on an ill-conditioned quadratic",
                    summary=summary_gd, figsize=FIGSIZE, clear=False)


def companion_figure(lr: float = DEFAULT_LR, kappa: float = 10, steps: int = 60):
    """The explorer's figure at its default settings, for exported notebooks.

    A pyplot Figure: the inline backend shows it once (assign it, ``fig = companion_figure()``).
    """
    return plotting.static_figure(draw_gd, compute_gd(lr, kappa, steps), FIGSIZE)
