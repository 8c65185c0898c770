"""Notebook ``04_momentum_physics``: momentum and Nesterov momentum (sections 8.3.2–8.3.3).

Each demonstration is a pure ``compute_*`` function (settings → a dict of arrays and the
measured numbers), a ``report_*`` function (the lines the notebook prints) and a
``figure_*`` function (a pyplot Figure). The tests in ``tests/test_lesson_momentum.py``
assert every number the notebook prints.

1. ``canyon``: gradient descent zig-zags across a narrow quadratic canyon; momentum with the
   same ε runs along it (the book's figure 8.5).
2. ``terminal_velocity``: under a constant gradient the step size tends to ε‖g‖/(1 − α)
   (eq. 8.17).
3. ``drag_laws``: the particle of eqs. 8.18–8.20 with viscous, turbulent and dry drag, and
   momentum as the Euler discretization of the viscous particle.
4. ``rate_map``: the contraction rate of the heavy ball over (ε, α), computed exactly from
   the spectral radius of its iteration matrix, with the theory's optimum.
5. ``steps_table``: steps to a tolerance grow like κ for gradient descent, like √κ for
   tuned momentum.
6. ``convex_rates``: Nesterov's O(1/k²) against O(1/k) on a convex problem without a
   minimizer (not strongly convex).

The explorer lives in ``course_lib.lessons.momentum_explorer``.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import NullLocator

from .. import plotting
from ..objectives import FunctionObjective, Quadratic
from ..optim import SGD, Momentum, Nesterov
from ..physics import momentum_hyperparameters, simulate
from ..rates import loglog_slope, predicted_steps, steps_vs_condition
from ..run import minimize
from ..schedules import nesterov_alpha

PALETTE = plotting.PALETTE


# --- the theory of the heavy ball on a quadratic ----------------------------------------------
def tuned_hyperparameters(lam_max: float, lam_min: float) -> dict:
    """The heavy-ball optimum on a quadratic with curvatures in [λ_min, λ_max].

    ε* = (2/(√λ_max + √λ_min))², α* = ((√κ − 1)/(√κ + 1))², rate (√κ − 1)/(√κ + 1) = √α*.
    """
    root_kappa = math.sqrt(lam_max / lam_min)
    rate = (root_kappa - 1) / (root_kappa + 1)
    return {"lr": (2 / (math.sqrt(lam_max) + math.sqrt(lam_min))) ** 2, "alpha": rate ** 2,
            "rate": rate}


def tuned_momentum(q: Quadratic) -> Momentum:
    """Momentum with the heavy-ball optimum (ε*, α*) for the quadratic ``q``."""
    best = tuned_hyperparameters(q.lam_max, q.lam_min)
    return Momentum(lr=best["lr"], alpha=best["alpha"])


def heavy_ball_radius(lr, alpha, eigenvalues) -> np.ndarray:
    """The exact per-step contraction of momentum on a quadratic (any array shapes).

    Along eigenvector i one step maps (θᵢ, vᵢ) linearly: v' = αv − ελᵢθ, θ' = θ + v',
    i.e. by the matrix [[1 − ελᵢ, α], [−ελᵢ, α]]. Its eigenvalues z solve
    z² − (1 + α − ελᵢ) z + α = 0; the rate is the largest |z| over both roots and all i
    (the spectral radius). Complex roots (an under-damped oscillator) have |z| = √α.
    """
    lr, alpha = np.asarray(lr, dtype=float), np.asarray(alpha, dtype=float)
    radius = np.zeros(np.broadcast(lr, alpha).shape)
    for lam in np.atleast_1d(np.asarray(eigenvalues, dtype=float)):
        b = 1 + alpha - lr * lam
        root = np.sqrt((b * b - 4 * alpha).astype(complex))
        z = np.maximum(np.abs((b + root) / 2), np.abs((b - root) / 2))
        radius = np.maximum(radius, z)
    return radius


# --- helpers ---------------------------------------------------------------------------------
def _constant_gradient(g) -> FunctionObjective:
    """J(θ) = gᵀθ: the same gradient g everywhere (a ball on an endless slope)."""
    g = np.asarray(g, dtype=float)
    return FunctionObjective(lambda th: float(g @ th), lambda th: g.copy(), dim=g.size,
                             name="constant slope")


# --- 1. the canyon (figure 8.5) ----------------------------------------------------------------
CANYON = Quadratic((0.5, 20.0), name="canyon: eigenvalues 0.5 (along) and 20 (across)")
CANYON_THETA0 = (-8.0, 1.0)
CANYON_BOX = (-9.0, 2.0, -2.0, 2.0)


def compute_canyon(steps: int = 40, alpha: float = 0.5) -> dict:
    """Gradient descent and momentum with the same ε = 2/(λ_max + λ_min) in the canyon.

    The canyon J = ½(0.5 θ₁² + 20 θ₂²) is steep across (θ₂) and flat along (θ₁). Measured
    for each run: the loss after ``steps`` steps, how often the steep component θ₂ changes
    sign (the zig-zag), and the distance travelled across (Σ|Δθ₂|) and along (θ₁ gained).
    """
    q = CANYON
    lr = q.best_gd_lr
    runs = {"gradient descent": minimize(q, SGD(lr=lr), CANYON_THETA0, steps),
            f"momentum, α = {alpha:g}": minimize(q, Momentum(lr=lr, alpha=alpha),
                                                 CANYON_THETA0, steps)}
    out = {"lr": lr, "alpha": alpha, "steps": steps, "runs": {}}
    for name, trace in runs.items():
        across = trace.thetas[:, 1]
        out["runs"][name] = {
            "thetas": trace.thetas, "losses": trace.losses, "loss": trace.loss,
            "sign_changes": int(np.sum(np.sign(across[1:]) != np.sign(across[:-1]))),
            "across": float(np.sum(np.abs(np.diff(across)))),
            "along": float(trace.thetas[-1, 0] - trace.thetas[0, 0]),
        }
    return out


def report_canyon(r: dict) -> str:
    lines = [f"ε = 2/(λ_max + λ_min) = {r['lr']:.4f} for both runs, {r['steps']} steps "
             f"from θ₀ = {CANYON_THETA0}",
             f"{'':18} {'J(θ) after':>11} {'θ₂ sign changes':>16} {'Σ|Δθ₂| across':>14} "
             f"{'Δθ₁ along':>10}"]
    for name, run in r["runs"].items():
        lines.append(f"{name:18} {run['loss']:11.2e} {run['sign_changes']:16d} "
                     f"{run['across']:14.2f} {run['along']:10.2f}")
    return "\n".join(lines)


def figure_canyon(r: dict):
    fig = plotting.figure(figsize=(12.0, 7.4))
    with plotting.style():
        top, bottom = fig.subplots(2, 1, height_ratios=[1.5, 1])
        plotting.contour(CANYON, ax=top, box=CANYON_BOX, minima=True)
        for i, (name, run) in enumerate(r["runs"].items()):
            plotting.trajectory(top, run["thetas"], label=name, color=PALETTE[i],
                                marker=plotting.MARKERS[i])
        top.set_title(f"the canyon: {r['steps']} steps with ε = {r['lr']:.4f}")
        top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=12)
        plotting.learning_curve(bottom, [run["losses"] for run in r["runs"].values()],
                                labels=list(r["runs"]), min_value=0.0)
        bottom.set_title("J(θ_k) − J*")
    return fig


# --- 2. terminal velocity (eq. 8.17) -----------------------------------------------------------
TERMINAL_G = (3.0, 4.0)     # ‖g‖ = 5
TERMINAL_LR = 0.01


def compute_terminal_velocity(alphas=(0.5, 0.9, 0.99), lr: float = TERMINAL_LR,
                              g=TERMINAL_G) -> dict:
    """Momentum on J = gᵀθ (a constant gradient) until α^k ≤ 10⁻⁷ for the largest α.

    For each α: the step sizes ‖θ_k − θ_{k−1}‖, the last one in units of a gradient step
    ε‖g‖ (the measured factor), the theory's 1/(1 − α), and ``rise``: the first step whose
    size reaches 1 − 1/e ≈ 63 % of the terminal one. The k-th step is (1 − αᵏ) times the
    terminal step, so ``rise`` is ⌈1/ln(1/α)⌉ ≈ 1/(1 − α): the velocity remembers about that
    many past gradients.
    """
    f = _constant_gradient(g)
    gnorm = float(np.linalg.norm(g))
    steps = math.ceil(math.log(1e-7) / math.log(max(alphas)))
    rows = []
    for alpha in alphas:
        trace = minimize(f, Momentum(lr=lr, alpha=alpha), np.zeros(len(g)), steps,
                         blowup=None)
        sizes = np.linalg.norm(np.diff(trace.thetas, axis=0), axis=1)
        rows.append({"alpha": float(alpha), "sizes": sizes,
                     "measured": float(sizes[-1] / (lr * gnorm)),
                     "theory": 1.0 / (1.0 - alpha),
                     "terminal": float(sizes[-1]),
                     "rise": int(np.argmax(sizes >= (1 - 1 / math.e) * sizes[-1])) + 1})
    return {"lr": lr, "gnorm": gnorm, "steps": steps, "rows": rows}


def report_terminal_velocity(r: dict) -> str:
    lines = [f"constant gradient, ‖g‖ = {r['gnorm']:g}, ε = {r['lr']:g}: a gradient step is "
             f"ε‖g‖ = {r['lr'] * r['gnorm']:g}; {r['steps']} steps",
             f"{'α':>5} {'last step':>10} {'÷ ε‖g‖ (measured)':>18} {'1/(1 − α)':>10} "
             f"{'steps to 63 %':>14}"]
    for row in r["rows"]:
        lines.append(f"{row['alpha']:5g} {row['terminal']:10.4f} {row['measured']:18.3f} "
                     f"{row['theory']:10.3f} {row['rise']:14d}")
    return "\n".join(lines)


def figure_terminal_velocity(r: dict):
    fig = plotting.figure(figsize=(9.0, 4.4))
    with plotting.style():
        ax = fig.add_subplot()
        unit = r["lr"] * r["gnorm"]
        for i, row in enumerate(r["rows"]):
            k = np.arange(1, len(row["sizes"]) + 1)
            ax.plot(k, row["sizes"] / unit, color=PALETTE[i], marker=plotting.MARKERS[i],
                    markevery=0.1, label=f"α = {row['alpha']:g}")
            ax.axhline(row["theory"], color=PALETTE[i], linestyle="--", linewidth=1.4)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step k")
        ax.set_ylabel("step size ÷ ε‖g‖")
        ax.set_title("momentum under a constant gradient (dashed: 1/(1 − α))")
        ax.legend(loc="upper left")
    return fig


# --- 3. the particle and its drag laws (eqs. 8.18–8.20) ----------------------------------------
DRAG_BOWL = Quadratic((1.0, 10.0), angle=0.3, name="bowl, eigenvalues 1 and 10")
FLAT = FunctionObjective(lambda th: 0.0, lambda th: np.zeros(2), dim=2, name="flat")
GENTLE = Quadratic((0.1,), name="gentle slope J = 0.05 θ²")


def compute_drag_laws() -> dict:
    """The three drags of section 8.3.2, each where it shows its character.

    - viscous, c = 1, dt = 0.05 on a bowl from θ₀ = (1, −2) at rest, for t = 100; and the
      momentum run with (ε, α) = ``momentum_hyperparameters(c, dt)`` beside it;
    - turbulent, c = 0.5, on flat ground from v₀ = (3, 4): distance against log t;
    - dry friction, c = 0.2, on the gentle slope J = 0.05 θ², released at rest at θ = 5.
    """
    c, dt, steps = 1.0, 0.05, 2000
    viscous = simulate(DRAG_BOWL, [1.0, -2.0], drag="viscous", c=c, dt=dt, steps=steps)
    lr, alpha = momentum_hyperparameters(c, dt)
    momentum = minimize(DRAG_BOWL, Momentum(lr=lr, alpha=alpha), [1.0, -2.0], steps)
    momentum_v = np.array([state.v for state in momentum.states])

    c_turb = 0.5
    turbulent = simulate(FLAT, [0.0, 0.0], v0=[3.0, 4.0], drag="turbulent", c=c_turb,
                         dt=0.05, steps=20_000)
    late = turbulent.times >= 100.0
    slope, intercept = np.polyfit(np.log(turbulent.times[late]), turbulent.distances[late], 1)

    c_dry = 0.2
    dry = simulate(GENTLE, [5.0], drag="dry", c=c_dry, dt=0.01, steps=3000)
    moving = np.flatnonzero(dry.velocities[:, 0] != 0)
    stop = int(moving[-1] + 1)
    return {
        "viscous": viscous, "momentum": momentum, "c": c, "dt": dt, "lr": lr, "alpha": alpha,
        "viscous_distance": float(np.linalg.norm(viscous.position - DRAG_BOWL.center)),
        "viscous_energy": float(viscous.energies[-1]),
        "euler_gap": float(max(np.max(np.abs(viscous.positions - momentum.thetas)),
                               np.max(np.abs(dt * viscous.velocities[1:] - momentum_v)))),
        "turbulent": turbulent, "c_turbulent": c_turb, "slope": float(slope),
        "intercept": float(intercept),
        "turbulent_distance": float(turbulent.distances[-1]),
        "dry": dry, "c_dry": c_dry, "stop_index": stop,
        "stop_time": float(dry.times[stop]), "stop_position": float(dry.position[0]),
        "stop_grad": float(abs(GENTLE.grad(dry.position)[0])),
        "stop_hold": c_dry / GENTLE.lam_max,      # |θ| where the slope equals c
    }


def report_drag_laws(r: dict) -> str:
    t_end = r["viscous"].times[-1]
    same = "yes" if r["euler_gap"] < 1e-12 else "no"
    return "\n".join([
        f"viscous   (c = {r['c']:g}): after t = {t_end:g}, ‖θ − θ*‖ = "
        f"{r['viscous_distance']:.0e}, energy {r['viscous_energy']:.0e}: it settles at the "
        "minimum",
        f"  momentum with ε = dt² = {r['lr']:g}, α = 1 − c·dt = {r['alpha']:g} gives the same "
        f"points and dt × the velocities (max gap < 1e-12: {same})",
        f"turbulent (c = {r['c_turbulent']:g}): distance grows like log t, fitted slope "
        f"{r['slope']:.3f} (theory 1/c = {1 / r['c_turbulent']:g}); "
        f"{r['turbulent_distance']:.2f} travelled by t = {r['turbulent'].times[-1]:g}",
        f"dry       (c = {r['c_dry']:g}): released at θ = 5, stops for good at t = "
        f"{r['stop_time']:.2f}, at θ = {r['stop_position']:.3f} (the minimum is θ* = 0)",
        f"  there |∇J| = {r['stop_grad']:.3f} ≤ c = {r['c_dry']:g}: friction holds it "
        f"anywhere with |θ| ≤ c/λ = {r['stop_hold']:g}",
    ])


def figure_drag_laws(r: dict):
    fig = plotting.figure(figsize=(14.0, 4.6))
    with plotting.style():
        a, b, c = fig.subplots(1, 3, width_ratios=[1, 1.1, 1.1])
        plotting.contour(DRAG_BOWL, ax=a, box=(-2.2, 2.2, -2.2, 2.2))
        a.plot(*r["viscous"].positions.T, color=PALETTE[0], marker="none",
               label="particle, viscous drag")
        a.plot(*r["momentum"].thetas[:400:8].T, color=PALETTE[1], marker="o", markersize=5,
               linestyle="none", label="momentum (every 8th step)")
        a.set_title("viscous: settles at θ*")
        a.legend(loc="lower left", fontsize=10)

        turb = r["turbulent"]
        b.plot(turb.times[1:], turb.distances[1:], color=PALETTE[2], marker="none",
               label="turbulent drag, flat ground")
        t = turb.times[turb.times >= 100.0]
        b.plot(t, r["slope"] * np.log(t) + r["intercept"], color="black", linestyle="--",
               marker="none", linewidth=1.6, label=f"fit: {r['slope']:.2f} · log t + const")
        b.set_xscale("log")
        b.set_xlabel("time t")
        b.set_ylabel("distance from start ‖θ(t) − θ(0)‖")
        b.set_title("turbulent: drifts on forever")
        b.legend(loc="upper left", fontsize=10)

        dry = r["dry"]
        c.axhspan(-r["stop_hold"], r["stop_hold"], color=PALETTE[5], alpha=0.25,
                  label="|∇J| ≤ c: friction holds")
        c.plot(dry.times, dry.positions[:, 0], color=PALETTE[3], marker="none",
               label="dry friction")
        c.axhline(0.0, color="black", linewidth=1.2, linestyle=":", label="minimum θ* = 0")
        c.plot([r["stop_time"]], [r["stop_position"]], marker="X", markersize=12,
               color=PALETTE[3], linestyle="none")
        c.set_xlabel("time t")
        c.set_ylabel("position θ(t)")
        c.set_title("dry friction: stops short of θ*")
        c.legend(loc="upper right", fontsize=10)
    return fig


# --- 4. the rate map over (ε, α) ---------------------------------------------------------------
RATE_KAPPA = 100.0


def compute_rate_map(kappa: float = RATE_KAPPA, n_lr: int = 401, n_alpha: int = 400) -> dict:
    """The exact heavy-ball rate on the 2-D quadratic with eigenvalues (1, κ), on a grid.

    ε runs over (0, 4/λ_max] (past 2(1 + α)/λ_max the steep direction diverges) and α over
    [0, 1). Returns the grid, the grid's best point and the theory's optimum.
    """
    lam = np.array([1.0, float(kappa)])
    lrs = np.linspace(4.0 / lam[1] / n_lr, 4.0 / lam[1], n_lr)
    alphas = np.linspace(0.0, 1.0, n_alpha, endpoint=False)
    LR, ALPHA = np.meshgrid(lrs, alphas)
    rate = heavy_ball_radius(LR, ALPHA, lam)
    i, j = np.unravel_index(np.argmin(rate), rate.shape)
    theory = tuned_hyperparameters(lam[1], lam[0])
    gd_row = rate[0]                                   # α = 0: gradient descent
    q = Quadratic(lam)
    return {"kappa": float(kappa), "lrs": lrs, "alphas": alphas, "rate": rate,
            "best_lr": float(LR[i, j]), "best_alpha": float(ALPHA[i, j]),
            "best_rate": float(rate[i, j]), "theory": theory,
            "theory_check": float(heavy_ball_radius(theory["lr"], theory["alpha"], lam)),
            "gd_best_rate": float(gd_row.min()), "gd_theory_rate": q.best_gd_rate}


def report_rate_map(r: dict) -> str:
    t = r["theory"]
    return "\n".join([
        f"κ = {r['kappa']:g}: exact per-step rate of momentum on a {len(r['lrs'])} × "
        f"{len(r['alphas'])} grid of (ε, α)",
        f"grid's best:  ε = {r['best_lr']:.4f}, α = {r['best_alpha']:.4f}, "
        f"rate {r['best_rate']:.4f}",
        f"theory:       ε = {t['lr']:.4f}, α = {t['alpha']:.4f}, rate (√κ−1)/(√κ+1) = "
        f"{t['rate']:.4f} (the matrix gives {r['theory_check']:.4f})",
        f"gradient descent (α = 0 row): best rate {r['gd_best_rate']:.4f}; theory "
        f"(κ−1)/(κ+1) = {r['gd_theory_rate']:.4f}",
    ])


def figure_rate_map(r: dict):
    fig = plotting.figure(figsize=(9.5, 5.2))
    with plotting.style():
        ax = fig.add_subplot()
        rate = np.clip(r["rate"], 1e-3, None)
        # 1 − rate: the share of the error removed per step; blank where the run diverges
        share = np.ma.masked_where(rate >= 1.0, np.clip(1.0 - rate, 1e-3, 1.0))
        cmap = mpl.colormaps["viridis"].with_extremes(bad="#d9d9d9")
        mesh = ax.pcolormesh(r["lrs"], r["alphas"], share, shading="auto",
                             norm=LogNorm(vmin=1e-3, vmax=1.0), cmap=cmap)
        bar = fig.colorbar(mesh, ax=ax)
        bar.set_label("1 − rate (error removed per step)")
        ax.contour(r["lrs"], r["alphas"], r["rate"], levels=[0.85, 0.9, 0.95, 0.99],
                   colors="white", linewidths=0.9)
        t = r["theory"]
        ax.plot([t["lr"]], [t["alpha"]], marker="*", markersize=20, color=PALETTE[1],
                markeredgecolor="black", linestyle="none",
                label=f"theory's optimum: rate {t['rate']:.3f}")
        ax.plot([r["best_lr"]], [r["best_alpha"]], marker="o", markersize=9,
                markerfacecolor="none", markeredgecolor="white", markeredgewidth=2,
                linestyle="none", label=f"grid's best: rate {r['best_rate']:.3f}")
        ax.set_xlabel("learning rate ε")
        ax.set_ylabel("momentum α")
        ax.text(0.93 * r["lrs"][-1], 0.25, "diverges\n(rate > 1)", ha="right",
                color="#333333", fontsize=13)
        ax.set_title(f"momentum on a quadratic with κ = {r['kappa']:g} "
                     "(white: rate 0.85, 0.9, 0.95, 0.99)")
        ax.legend(loc="lower right", fontsize=11)
        ax.grid(False)
    return fig


# --- 5. steps against the condition number -----------------------------------------------------
def compute_steps_table(kappas=(10, 30, 100, 300, 1000), tol: float = 1e-6) -> dict:
    """Steps to shrink ‖θ − θ*‖ by ``tol``: best gradient descent and tuned momentum."""
    gd = steps_vs_condition(lambda q: SGD(lr=q.best_gd_lr), kappas, tol=tol)
    mom = steps_vs_condition(tuned_momentum, kappas, tol=tol)
    rows = []
    for g, m in zip(gd, mom, strict=True):
        kappa, root = g["kappa"], math.sqrt(g["kappa"])
        rows.append({"kappa": kappa, "gd": g["steps"], "momentum": m["steps"],
                     "gd_predicted": predicted_steps((kappa - 1) / (kappa + 1), tol),
                     "momentum_predicted": predicted_steps((root - 1) / (root + 1), tol)})
    k = np.array([row["kappa"] for row in rows])
    return {"tol": tol, "rows": rows,
            "gd_slope": loglog_slope(k, [row["gd"] for row in rows]),
            "momentum_slope": loglog_slope(k, [row["momentum"] for row in rows])}


def report_steps_table(r: dict) -> str:
    lines = [f"steps to shrink ‖θ − θ*‖ by {r['tol']:g} (measured; theory's count in brackets)",
             f"{'κ':>6} {'gradient descent':>20} {'tuned momentum':>18} {'GD/κ':>6} "
             f"{'mom./√κ':>8}"]
    for row in r["rows"]:
        gd = f"{row['gd']} ({row['gd_predicted']})"
        mom = f"{row['momentum']} ({row['momentum_predicted']})"
        lines.append(f"{row['kappa']:6g} {gd:>20} {mom:>18} {row['gd'] / row['kappa']:6.2f} "
                     f"{row['momentum'] / math.sqrt(row['kappa']):8.2f}")
    lines.append(f"log-log slope of steps against κ: gradient descent {r['gd_slope']:.3f}, "
                 f"momentum {r['momentum_slope']:.3f}")
    return "\n".join(lines)


def figure_steps_table(r: dict):
    fig = plotting.figure(figsize=(8.0, 4.6))
    with plotting.style():
        ax = fig.add_subplot()
        k = np.array([row["kappa"] for row in r["rows"]])
        ax.plot(k, [row["gd"] for row in r["rows"]], color=PALETTE[0], marker="o",
                label=f"gradient descent (slope {r['gd_slope']:.2f})")
        ax.plot(k, [row["momentum"] for row in r["rows"]], color=PALETTE[1], marker="s",
                label=f"tuned momentum (slope {r['momentum_slope']:.2f})")
        ax.plot(k, [row["gd_predicted"] for row in r["rows"]], color=PALETTE[0],
                linestyle="--", marker="none", linewidth=1.4, label="theory")
        ax.plot(k, [row["momentum_predicted"] for row in r["rows"]], color=PALETTE[1],
                linestyle="--", marker="none", linewidth=1.4)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("condition number κ")
        ax.set_ylabel(f"steps to a {r['tol']:g} reduction")
        ax.set_title("κ steps for gradient descent, √κ for momentum")
        ax.legend(loc="upper left")
    return fig


# --- 6. Nesterov on a convex problem that is not strongly convex -------------------------------
LOGISTIC = FunctionObjective(lambda th: float(np.logaddexp(0.0, -th[0])),
                             lambda th: np.array([-1.0 / (1.0 + np.exp(th[0]))]), dim=1,
                             name="log(1 + e^(−θ))")


def compute_convex_rates(steps: int = 10_000, lr: float = 4.0, alpha: float = 0.5,
                         fit_from: int = 100) -> dict:
    """J(θ) = log(1 + e^(−θ)): convex, L = 1/4, J* = 0 approached only as θ → ∞.

    Gradient descent (ε = 1/L), momentum with a constant α, and Nesterov with
    α_k = (k − 1)/(k + 2), all from θ₀ = 0. The slope of log(J − J*) against log k over
    k = ``fit_from``..``steps`` is the measured exponent (−1 for O(1/k), −2 for O(1/k²)).
    """
    optimizers = {"gradient descent": SGD(lr=lr),
                  f"momentum, α = {alpha:g}": Momentum(lr=lr, alpha=alpha),
                  "Nesterov, α_k = (k−1)/(k+2)": Nesterov(lr=lr, alpha=nesterov_alpha())}
    k = np.arange(1, steps + 1)
    fit = k >= fit_from
    runs = {}
    for name, optimizer in optimizers.items():
        excess = minimize(LOGISTIC, optimizer, [0.0], steps).losses[1:]     # J* = 0
        runs[name] = {"excess": excess, "slope": loglog_slope(k[fit], excess[fit]),
                      "final": float(excess[-1])}
    return {"k": k, "steps": steps, "lr": lr, "fit_from": fit_from, "runs": runs}


def report_convex_rates(r: dict) -> str:
    lines = [f"J(θ) = log(1 + e^(−θ)), ε = {r['lr']:g} = 1/L, θ₀ = 0; slope of log(J − J*) "
             f"against log k over k = {r['fit_from']}..{r['steps']}"]
    for name, run in r["runs"].items():
        lines.append(f"{name:28} slope {run['slope']:7.3f}   J − J* after {r['steps']} "
                     f"steps: {run['final']:.2e}")
    return "\n".join(lines)


def figure_convex_rates(r: dict):
    fig = plotting.figure(figsize=(8.5, 4.8))
    with plotting.style():
        ax = fig.add_subplot()
        k = r["k"]
        for i, (name, run) in enumerate(r["runs"].items()):
            ax.plot(k, run["excess"], color=PALETTE[i], marker=plotting.MARKERS[i],
                    markevery=0.08, label=f"{name} (slope {run['slope']:.2f})")
        anchor = r["runs"]["gradient descent"]["excess"][-1]
        ax.plot(k, anchor * (k[-1] / k), color="black", linestyle="--", marker="none",
                linewidth=1.2, label="1/k and 1/k² guides")
        nest = list(r["runs"].values())[-1]["excess"][-1]
        ax.plot(k, nest * (k[-1] / k) ** 2, color="black", linestyle=":", marker="none",
                linewidth=1.4)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(max(nest / 10, 1e-12), 1.0)
        ax.set_xlabel("step k")
        ax.set_ylabel("J(θ_k) − J*")
        ax.set_title("a convex problem that is not strongly convex")
        ax.legend(loc="lower left", fontsize=11)
    return fig
