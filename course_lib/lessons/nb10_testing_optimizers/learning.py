"""Notebook 10, §5: learning to learn. The learned rule g_φ meta-trained on random
quadratics, then raced against SGD, momentum and Adam (their ε tuned on the same family) on
held-out problems: of its family, of another family, and past what it was trained for.

``compute_meta_training``: the meta-training curve (on the training batch and on a held-out
batch) and what φ became; ``compute_race``: the race, family by family, over several seeds;
``figure_meta`` and ``figure_race``: the pictures; ``figure_rule``: the learned update as a
function of the gradient, beside SGD's, momentum's and Adam's.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...learned import meta_loss, random_quadratics, readable, small_regressions, steady_update
from ...learned.meta import CAP, FLOOR
from ...learned.rule import LearnedOptimizer
from ...optim import SGD, Adam, Momentum
from ...prototypes import learned_meta
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE
TRAIN_STEPS = 40                 # the unroll the rule was trained on
LONG_STEPS = 200
SEEDS = (1000, 1001, 1002)       # held-out batches: never seen in meta-training (seeds 0…150)
RIVALS = {"SGD": lambda lr: SGD(lr=lr), "momentum": lambda lr: Momentum(lr=lr, alpha=0.9),
          "Adam": lambda lr: Adam(lr=lr)}
TUNING_GRID = tuple(float(x) for x in 10.0 ** np.arange(-4.0, 0.75, 0.25))


# --- meta-training --------------------------------------------------------------------------
@cached
def compute_meta_training(held_out_seed: int = 999) -> dict:
    """The meta-training curve: L(φ_k) on the training batch (what Adam saw) and on a
    held-out batch of the same family, for every iterate φ_k."""
    meta = learned_meta()
    phis = meta.trace.thetas
    held = random_quadratics(size=32, seed=held_out_seed)
    return {"train": meta.trace.losses.copy(), "held_out": meta_loss(phis, held, TRAIN_STEPS),
            "phi": meta.phi.copy(), "readable": readable(meta.phi),
            "start": readable(phis[0]), "iterations": meta.trace.n_steps,
            "unrolls": 2 * meta.objective.pairs * meta.objective.calls,
            "steps": meta.objective.steps}


def report_meta_training(r: dict) -> str:
    q, s = r["readable"], r["start"]
    return "\n".join([
        f"{r['iterations']} iterations of Adam on the ES estimate ({r['unrolls']} unrolls of "
        f"{r['steps']} steps, on a fresh batch of 16 quadratics each time)",
        f"meta-loss (mean decades of excess loss over the unroll): training batch "
        f"{r['train'][0]:.2f} → {r['train'][-1]:.2f}, held-out batch {r['held_out'][0]:.2f} → "
        f"{r['held_out'][-1]:.2f}",
        f"φ learned: step scale η = {q['eta']:.3g} (start {s['eta']:.3g}), momentum share "
        f"a = {q['a']:.2f} ({s['a']:.2f}), normalization power p = {q['p']:.2f} ({s['p']:.2f}), "
        f"clip c = {q['c']:.3g} ({s['c']:.3g})",
    ])


def figure_meta(r: dict):
    fig = plotting.figure(figsize=(8.5, 4.4))
    with plotting.style():
        ax = fig.add_subplot()
        k = np.arange(len(r["train"]))
        ax.plot(k, r["train"], color=PALETTE[0], marker="none", label="training batch")
        ax.plot(k, r["held_out"], color=PALETTE[1], marker="none", linestyle="--",
                label="held-out batch")
        ax.set_xlabel("meta-iteration (one Adam step on φ)")
        ax.set_ylabel(f"meta-loss (mean log₁₀ J_t/J₀, {r['steps']} steps)")
        ax.set_title("meta-training the learned rule")
        ax.legend()
    return fig


# --- the race --------------------------------------------------------------------------------
def families(seed: int) -> dict:
    """The test families for one seed: name → (batch, steps)."""
    return {
        "held-out quadratics": (random_quadratics(size=16, seed=seed), TRAIN_STEPS),
        "small regressions": (small_regressions(size=16, seed=seed), TRAIN_STEPS),
        "held-out quadratics, 200 steps": (random_quadratics(size=16, seed=seed), LONG_STEPS),
        "50-D quadratics, 200 steps": (random_quadratics(size=16, dim=50, seed=seed),
                                       LONG_STEPS),
    }


def _curves(optimizer, batch, steps: int) -> np.ndarray:
    """log₁₀(J_t/J₀) for t = 0..steps on every problem of ``batch``: (steps + 1, B), by one
    ``minimize`` on the stacked batch (exact for a coordinate-wise optimizer)."""
    trace = minimize(batch.stacked(), optimizer, batch.theta0.ravel(), steps, blowup=None,
                     warn=False)
    thetas = trace.thetas.reshape(len(trace.thetas), batch.size, batch.dim)
    with np.errstate(all="ignore"):
        ratio = np.log10(batch.excess(thetas) / batch.excess(batch.theta0))
    out = np.clip(np.where(np.isfinite(ratio), ratio, CAP), -FLOOR, CAP)
    if len(out) < steps + 1:                       # a diverged run: stays at the cap
        out = np.vstack([out, np.full((steps + 1 - len(out), batch.size), CAP)])
    return out


def tuned_rates(seed: int = 0) -> dict:
    """Each rival's ε, chosen on a training batch of the family by the meta-loss itself
    (the mean of log₁₀(J_t/J₀) over the 40-step unroll): a fair race."""
    batch = random_quadratics(size=16, seed=seed)
    out = {}
    for name, make in RIVALS.items():
        scores = [_curves(make(lr), batch, TRAIN_STEPS)[1:].mean() for lr in TUNING_GRID]
        out[name] = TUNING_GRID[int(np.argmin(scores))]
    return out


@cached
def compute_race(seeds=SEEDS) -> dict:
    """Final log₁₀(J/J₀) (mean over each batch's 16 problems) per family, optimizer and seed,
    and the median learning curves of the last seed."""
    rates = tuned_rates()
    phi = learned_meta().phi
    contenders = {"learned": LearnedOptimizer(phi), "SGD, ε = 0.01 (untuned)": SGD(lr=0.01),
                  **{f"{n}, ε = {rates[n]:.2g}": RIVALS[n](rates[n]) for n in RIVALS}}
    finals: dict = {}
    curves: dict = {}
    for seed in seeds:
        for fam, (batch, steps) in families(seed).items():
            for name, opt in contenders.items():
                c = _curves(opt, batch, steps)
                finals.setdefault(fam, {}).setdefault(name, []).append(float(c[-1].mean()))
                curves.setdefault(fam, {})[name] = np.median(c, axis=1)
    summary = {fam: {name: {"mean": float(np.mean(v)), "low": float(np.min(v)),
                            "high": float(np.max(v))} for name, v in per.items()}
               for fam, per in finals.items()}
    leader = {fam: min(per, key=lambda n: per[n]["mean"]) for fam, per in summary.items()}
    return {"rates": rates, "finals": finals, "summary": summary, "curves": curves,
            "leader": leader, "seeds": tuple(seeds), "contenders": list(contenders)}


def report_race(r: dict) -> str:
    lines = [f"final log₁₀(J/J₀), mean over 16 problems, averaged over seeds "
             f"{', '.join(map(str, r['seeds']))} (range in brackets); rivals' ε tuned on the "
             "training family"]
    for fam, per in r["summary"].items():
        lines.append(f"{fam}:")
        for name, s in sorted(per.items(), key=lambda kv: kv[1]["mean"]):
            lines.append(f"  {name:<28} {s['mean']:7.2f}  ({s['low']:.2f} … {s['high']:.2f})")
    return "\n".join(lines)


def figure_race(r: dict, shown=("held-out quadratics, 200 steps", "50-D quadratics, 200 steps")):
    fig = plotting.figure(figsize=(13.0, 5.4))
    with plotting.style():
        axes = fig.subplots(1, len(shown), sharey=True)
        for ax, fam in zip(np.atleast_1d(axes), shown, strict=True):
            for i, (name, curve) in enumerate(r["curves"][fam].items()):
                ax.plot(np.arange(len(curve)), curve, color=PALETTE[i], marker="none",
                        linestyle="-" if name == "learned" else "--",
                        linewidth=3.0 if name == "learned" else 2.0, label=name)
            ax.axvline(TRAIN_STEPS, color="#777777", linewidth=1.2)
            ax.text(TRAIN_STEPS + 3, -9.9, "← trained on\n   40 steps", color="#555555",
                    fontsize=11, va="bottom")
            ax.set_title(fam)
            ax.set_xlabel("step t")
        np.atleast_1d(axes)[0].set_ylabel("median log₁₀(J_t/J₀)")
        handles, labels = np.atleast_1d(axes)[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=11)
    return fig


# --- what φ learned ---------------------------------------------------------------------------
def compute_rule(rates: dict | None = None) -> dict:
    """The learned step under a steady gradient g, beside SGD's εg, momentum's terminal
    εg/(1 − α) and Adam's ε (each at its tuned ε), for |g| from 10⁻⁴ to 10⁸; ``slope``: the
    learned step's log-log slope below |g| = 1 (1 − p if the clip does not act)."""
    rates = tuned_rates() if rates is None else rates
    g = np.logspace(-4, 8, 241)
    phi = learned_meta().phi
    return {"g": g, "learned": np.abs(steady_update(phi, g)), "rates": rates,
            "SGD": rates["SGD"] * g, "momentum": rates["momentum"] * g / (1 - 0.9),
            "Adam": np.full_like(g, rates["Adam"]), "readable": readable(phi),
            "slope": float(np.polyfit(np.log10(g[:60]), np.log10(np.abs(steady_update(
                phi, g[:60]))), 1)[0])}


def figure_rule(r: dict):
    fig = plotting.figure(figsize=(8.5, 5.0))
    with plotting.style():
        ax = fig.add_subplot()
        ax.plot(r["g"], r["learned"], color=PALETTE[0], marker="none", linewidth=3.2,
                label=f"learned (slope {r['slope']:.2f}, clip η·c = "
                      f"{r['readable']['eta'] * r['readable']['c']:.3g})")
        for i, name in enumerate(("SGD", "momentum", "Adam"), start=1):
            ax.plot(r["g"], r[name], color=PALETTE[i], marker="none", linestyle="--",
                    label=f"{name}, ε = {r['rates'][name]:.2g}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(1e-6, 1e3)
        ax.set_xlim(1e-4, 1e8)
        ax.set_xlabel("|g|, the same gradient at every step")
        ax.set_ylabel("|Δθ|, the step it settles to")
        ax.set_title("what φ learned: the step as a function of the gradient")
        ax.legend(fontsize=11, loc="upper left")
    return fig
