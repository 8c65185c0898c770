"""Notebook 10: the explorer of the suite. Pick an optimizer, its hyperparameters, a
prototype and a seed; see the path and the loss curve, and whether the run passes.

The run is ``prototypes.run_one``: exactly a row of the results matrix (same start, same
noise for the same seed). The left panel follows the dimension: a 1-D prototype shows the
iterates on f(z); a 2-D one the path on the contours (for the drifting optimum, in the
optimum's moving frame, θ − c(t)); the n-D ones each coordinate z_i against the step, with
the band a run must end in. The right panel is the loss curve (J − J* on a log scale where
the minimum is known). Axes and contours are built once per prototype; an update moves only
the animated artists, which the explorer blits.
"""

from __future__ import annotations

import weakref

import numpy as np
from matplotlib.ticker import NullLocator

from ... import plotting
from ...learned import LearnedOptimizer
from ...optim import (
    SGD,
    VSGD,
    AdaDelta,
    AdaGrad,
    Adam,
    HypergradientSGD,
    Momentum,
    Nesterov,
    RMSProp,
)
from ...prototypes import PROTOTYPES, Prototype, learned_phi, run_one
from ...prototypes import prototype as make_prototype
from ...widgets import Explorer, dropdown, float_slider, int_slider

FIGSIZE = (12.0, 4.8)
PALETTE = plotting.PALETTE
# Two prototypes that the default suite does not hold: the exercises' new ones.
EXTRA = {"tilted": lambda: Prototype("tilted", name="tilted"),
         "abs × 1000": lambda: Prototype("abs", scales=1000.0, name="abs × 1000")}
PROBLEMS = (*PROTOTYPES, *EXTRA)
OPTIMIZERS = ("SGD", "momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdaDelta", "vSGD",
              "SGD-HD", "learned")
NO_RATE = ("vSGD", "learned")


def problem(name: str) -> Prototype:
    if name in EXTRA:
        return EXTRA[name]()
    if name not in PROTOTYPES:
        raise ValueError(f"problem must be one of {list(PROBLEMS)}, got {name!r}")
    return make_prototype(name)


def make_optimizer(name: str, lr: float, alpha: float = 0.9, beta: float = 0.01):
    """The optimizer called ``name`` with the explorer's settings (α: momentum and Nesterov
    only; β: SGD-HD only; ε: all but vSGD and the learned rule)."""
    makers = {"SGD": lambda: SGD(lr=lr), "momentum": lambda: Momentum(lr=lr, alpha=alpha),
              "Nesterov": lambda: Nesterov(lr=lr, alpha=alpha), "AdaGrad": lambda: AdaGrad(lr=lr),
              "RMSProp": lambda: RMSProp(lr=lr), "Adam": lambda: Adam(lr=lr),
              "AdaDelta": lambda: AdaDelta(lr=lr), "vSGD": VSGD,
              "SGD-HD": lambda: HypergradientSGD(lr=lr, beta=beta),
              "learned": lambda: LearnedOptimizer(np.array(learned_phi()))}
    if name not in makers:
        raise ValueError(f"optimizer must be one of {list(OPTIMIZERS)}, got {name!r}")
    return makers[name]()


def compute_run(optimizer: str = "Adam", lr: float = 0.1, alpha: float = 0.9,
                beta: float = 0.01, problem_name: str = "cliff", seed: int = 0) -> dict:
    """One run of the suite, with its path in the prototype's frame and its verdict."""
    p = problem(problem_name)
    row = run_one(make_optimizer(optimizer, lr, alpha, beta), p, seed=int(seed), record=True)
    with np.errstate(all="ignore"):                        # a diverged run overflows
        frame = row["thetas"] - row["centers"]             # θ − c(t): the optimum's frame
        z = p.to_z(frame, 0)[1]                            # the shapes' coordinates
        steps = np.abs(np.diff(row["thetas"], axis=0))
    drift = None if p.drift is None else float(np.abs(p.drift[0]))
    behind = None
    if drift is not None:
        fast = np.flatnonzero(steps[:, 0] >= drift)
        behind = int(fast[-1] + 1) if fast.size else 0
    return {"optimizer": optimizer, "lr": float(lr), "alpha": float(alpha), "beta": float(beta),
            "problem": problem_name, "seed": int(seed), "dim": p.dim, "frame": frame, "z": z,
            "losses": row["losses"], "min_value": p.min_value, "passed": row["passed"],
            "diverged": row["diverged"], "final_loss": row["final_loss"],
            "evaluations": row["evaluations"], "statement": p.statement(),
            "steps": row["steps"], "drift": drift, "last_fast_step": behind,
            "last_step": float(steps[-1].max()) if len(steps) else 0.0}


def settings_text(r: dict) -> str:
    if r["optimizer"] in NO_RATE:
        return "no rate to tune"
    text = f"ε = {r['lr']:.3g}"
    if r["optimizer"] in ("momentum", "Nesterov"):
        text += f", α = {r['alpha']:.2f}"
    if r["optimizer"] == "SGD-HD":
        text += f", β = {r['beta']:.3g}"
    return text


def summary_run(r: dict) -> str:
    verdict = "PASSES" if r["passed"] else "diverged" if r["diverged"] else "fails"
    lines = [f"{r['optimizer']} ({settings_text(r)}) on {r['problem']}, seed {r['seed']}: "
             f"{verdict}; test: {r['statement']}",
             f"final J = {r['final_loss']:.4g} after {r['steps']} steps "
             f"({r['evaluations']} evaluations)"]
    if r["drift"] is not None:
        lines.append(f"the optimum moves {r['drift']:g} per step in each coordinate; this run's "
                     f"step in θ₁ was at least that long until step {r['last_fast_step']}")
    return "\n".join(lines)


# --- drawing ------------------------------------------------------------------------------------
_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_run(r: dict, fig) -> None:
    with np.errstate(all="ignore"):                 # a diverged run has overflowing values
        _draw(r, fig)


def _finite(x, limit: float = 1e12):
    """Values matplotlib can draw: NaN for inf, NaN and anything beyond ±``limit``."""
    x = np.asarray(x, dtype=float)
    return np.where(np.abs(x) < limit, x, np.nan)


def _draw(r: dict, fig) -> None:
    r = {**r, "z": _finite(r["z"]), "frame": _finite(r["frame"]), "losses": _finite(r["losses"])}
    panels = _PANELS.get(fig)
    key = (r["problem"], r["steps"])
    if panels is None or panels["axes"] != fig.axes or panels["key"] != key:
        panels = _PANELS[fig] = _build(fig, r)
    left, right = panels["axes"]
    art = panels["artists"]
    if r["dim"] == 1:
        z = r["z"][:, 0]
        art["path"].set_data(z, problem(r["problem"]).shapes[0].f(z))
    elif r["dim"] == 2:
        art["path"].set_data(r["frame"][:, 0], r["frame"][:, 1])
    else:
        for i, line in enumerate(art["coords"]):
            line.set_data(np.arange(len(r["z"])), r["z"][:, i])
    k = np.arange(len(r["losses"]))
    if np.isfinite(r["min_value"]):
        y = r["losses"] - r["min_value"]
        y = np.where((y > 0) & (y < 1e24), y, np.nan)        # a diverged run leaves the plot
        ylim = plotting.decade_range(y, 4, 4, lowest=-32, empty=(1e-12, 1e4))
        if right.get_ylim() != ylim:
            right.set_ylim(*ylim)
    else:
        y = r["losses"]
    art["curve"].set_data(k, y)
    verdict = "passes" if r["passed"] else "diverged" if r["diverged"] else "fails"
    left.title.set_text(f"{r['optimizer']}, {settings_text(r)}")
    right.title.set_text(f"{r['problem']}, seed {r['seed']}: {verdict}")


def _build(fig, r: dict) -> dict:
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[1.15, 1])
    p = problem(r["problem"]).clean()
    art = {}
    if r["dim"] == 1:
        s = p.shapes[0]
        x = np.linspace(*s.box, 400)
        left.plot(x, s.f(x), color="#777777", marker="none", linewidth=1.6)
        ok = s.passes(x)
        left.fill_between(x, np.nanmin(s.f(x)), np.nanmax(s.f(x)), where=ok,
                          color=PALETTE[2], alpha=0.3, linewidth=0, label="passes here")
        art["path"], = left.plot([], [], color=PALETTE[0], marker="o", markersize=4,
                                 linewidth=1.0, label="iterates (z_k, f(z_k))")
        left.set_xlim(*s.box)
        left.set_xlabel("z")
        left.set_ylabel("f(z)")
    elif r["dim"] == 2:
        span = np.abs(r["frame"][0]).max() * 1.5 + 0.5
        box = (-span, span, -span, span)
        X, Y = np.meshgrid(np.linspace(-span, span, 100), np.linspace(-span, span, 100))
        Z = p.row_losses(np.column_stack([X.ravel(), Y.ravel()]), 0).reshape(X.shape)
        left.contour(X, Y, Z - Z.min() + 1e-3, levels=np.geomspace(1e-3, Z.max() - Z.min()
                                                                   + 1e-3, 16),
                     cmap="viridis", linewidths=1.0)
        art["path"], = left.plot([], [], color=PALETTE[3], marker="o", markersize=3,
                                 linewidth=1.2, label="θ_k − c(t)" if p.drift is not None
                                 else "θ_k")
        left.plot(*r["frame"][0], marker="s", markersize=10, markerfacecolor="white",
                  markeredgecolor=PALETTE[3], markeredgewidth=2, linestyle="none")
        left.set_xlim(box[0], box[1])
        left.set_ylim(box[2], box[3])
        left.set_xlabel("θ₁")
        left.set_ylabel("θ₂")
        left.grid(False)
    else:
        tol = p.shapes[0].tol
        left.axhspan(-tol, tol, color=PALETTE[2], alpha=0.3, label=f"|z_i| ≤ {tol:g}")
        art["coords"] = [left.plot([], [], color=PALETTE[i % 7], marker="none",
                                   label=f"z_{i + 1}")[0] for i in range(r["dim"])]
        left.set_xlim(0, r["steps"])
        left.set_yscale("symlog", linthresh=0.05)
        left.set_ylim(-10, 10)
        ticks = [-10, -1, -tol, 0, tol, 1, 10]
        left.set_yticks(ticks, [f"{t:g}" for t in ticks])
        left.yaxis.set_minor_locator(NullLocator())
        left.set_xlabel("step k")
        left.set_ylabel("z_i")
    left.legend(loc="lower left", fontsize=10, ncol=2 if r["dim"] > 2 else 1)
    art["curve"], = right.plot([], [], color=PALETTE[0], marker="none")
    right.set_xlim(0, r["steps"])
    right.set_xlabel("step k")
    if np.isfinite(r["min_value"]):
        right.set_yscale("log")
        right.yaxis.set_minor_locator(NullLocator())
        right.set_ylabel("J(θ_k) − J* (noise-free)")
    else:
        right.set_ylabel("J(θ_k) (no minimum)")
        x = p.shapes[0]
        right.set_ylim(x.level - 0.2 * abs(x.level) - 0.1, float(x.f(x.start)) + 0.5)
        right.axhline(x.level, color=PALETTE[2], linestyle="--", label="the level to reach")
        right.legend(loc="upper right", fontsize=10)
    for artist in [*art.get("coords", []), art.get("path"), art["curve"], left.title,
                   right.title]:
        if artist is not None:
            artist.set_animated(True)
    return {"axes": [left, right], "key": (r["problem"], r["steps"]), "artists": art}


# --- the explorer -------------------------------------------------------------------------------
def disabled(settings: dict) -> dict:
    """The controls that do nothing with these settings, and why."""
    out = {}
    name = settings["optimizer"]
    if name in NO_RATE:
        out["lr"] = f"{name} has no learning rate to tune"
    if name not in ("momentum", "Nesterov"):
        out["alpha"] = f"{name} has no momentum α"
    if name != "SGD-HD":
        out["beta"] = "β is hypergradient descent's rate of the rate"
    return out


def testing_explorer(optimizer: str = "Adam", lr: float = 0.1, alpha: float = 0.9,
                     beta: float = 0.01, problem_name: str = "cliff", seed: int = 0) -> Explorer:
    """Menus for the optimizer and the prototype; sliders for ε (log), α, β (log), seed."""
    controls = {
        "optimizer": dropdown(list(OPTIMIZERS), optimizer, "optimizer"),
        "lr": float_slider(lr, 1e-4, 10.0, 0.25, "ε (lr)", log=True),
        "alpha": float_slider(alpha, 0.0, 0.99, 0.01, "α (momentum)"),
        "beta": float_slider(beta, 1e-4, 1.0, 0.25, "β (SGD-HD)", log=True),
        "problem_name": dropdown(list(PROBLEMS), problem_name, "prototype"),
        "seed": int_slider(seed, 0, 9, 1, "seed"),
    }
    return Explorer(compute_run, draw_run, controls,
                    title="The suite, one run at a time: optimizer × setting × prototype × seed",
                    summary=summary_run, figsize=FIGSIZE, clear=False, disabled=disabled)


def companion_figure(**settings):
    """The explorer's figure at its default settings (or ``settings``), for static copies."""
    return plotting.static_figure(draw_run, compute_run(**settings), FIGSIZE)
