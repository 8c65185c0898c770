"""Notebook 04, §3: the particle of eqs. 8.18–8.20 with viscous, turbulent and dry drag, and
momentum as the semi-implicit Euler discretization of the viscous particle.

Four experiments: the viscous particle beside momentum (the same points); turbulent drag on
flat ground (the distance grows like log t); turbulent drag in a bowl, where it does settle,
but only like 1/t, against viscous drag's exponential e^(−ct/2); dry friction on a gentle
slope (it stops short of the minimum).
"""

from __future__ import annotations

import math

import numpy as np

from ... import plotting
from ...objectives import FunctionObjective, Quadratic
from ...optim import Momentum
from ...physics import momentum_hyperparameters, simulate
from ...rates import loglog_slope
from ...run import minimize
from ..common.cache import cached

PALETTE = plotting.PALETTE
LEGEND = 11                         # legend font (pt): ≥ 9 px at the notebook's width

# --- 3. the particle and its drag laws (eqs. 8.18–8.20) --------------------------------------
DRAG_BOWL = Quadratic((1.0, 10.0), angle=0.3, name="bowl, eigenvalues 1 and 10")
FLAT = FunctionObjective(lambda th: 0.0, lambda th: np.zeros(2), dim=2, name="flat")
GENTLE = Quadratic((0.1,), name="gentle slope J = 0.05 θ²")
SPRING = Quadratic((1.0,), name="bowl J = ½θ² (ω = 1)")


def swing_peaks(path) -> tuple[np.ndarray, np.ndarray]:
    """(times, |θ|) at the turning points of a 1-D oscillation: how far it still swings."""
    x = np.abs(path.positions[:, 0])
    i = np.flatnonzero((x[1:-1] >= x[:-2]) & (x[1:-1] > x[2:])) + 1
    return path.times[i], x[i]


def turbulent_swing_theory(t, a0: float, c: float, omega: float = 1.0):
    """The swing A(t) of θ'' = −ω²θ − c|θ'|θ' released at rest at A₀, averaged over a cycle:
    the energy ½ω²A² loses c⟨|v|³⟩ = (4/3π) c ω³A³ per unit time, so dA/dt = −(4cω/3π) A²
    and A(t) = A₀/(1 + (4cω/3π) A₀ t): algebraic decay, A ≈ 3π/(4cω t) for large t."""
    return a0 / (1.0 + 4.0 * c * omega * a0 * np.asarray(t, dtype=float) / (3.0 * math.pi))


@cached
def compute_drag_laws() -> dict:
    """The three drags of section 8.3.2, each where it shows its character.

    - viscous, c = 1, dt = 0.05 on a bowl from θ₀ = (1, −2) at rest, for t = 100; and the
      momentum run with (ε, α) = ``momentum_hyperparameters(c, dt)`` beside it;
    - turbulent, c = 0.5, on flat ground from v₀ = (3, 4): distance against log t;
    - turbulent and viscous, c = 0.5, dt = 0.05, in the bowl J = ½θ² released at rest at
      θ = 2, for t = 500: the swing at each turning point, and the exponent of its decay
      fitted over t ≥ 50;
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

    a0, t_end = 2.0, 500.0
    settle = {name: simulate(SPRING, [a0], drag=name, c=c_turb, dt=0.05,
                             steps=int(round(t_end / 0.05))) for name in ("turbulent", "viscous")}
    t_turb, a_turb = swing_peaks(settle["turbulent"])
    t_visc, a_visc = swing_peaks(settle["viscous"])
    fit = t_turb >= 50.0

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
        "settle_a0": a0, "settle_t": t_end, "swing_times": t_turb, "swings": a_turb,
        "viscous_swing_times": t_visc, "viscous_swings": a_visc,
        "settle_exponent": loglog_slope(t_turb[fit], a_turb[fit]),
        "settle_last": float(a_turb[-1]), "settle_last_t": float(t_turb[-1]),
        "settle_theory_last": float(turbulent_swing_theory(t_turb[-1], a0, c_turb)),
        "settle_limit": 3.0 * math.pi / (4.0 * c_turb),          # A·t → 3π/(4cω)
        "viscous_last": float(np.max(np.abs(settle["viscous"].positions[-200:, 0]))),
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
        f"turbulent (c = {r['c_turbulent']:g}), flat ground: distance grows like log t, fitted "
        f"slope {r['slope']:.3f} (theory 1/c = {1 / r['c_turbulent']:g}); "
        f"{r['turbulent_distance']:.2f} travelled by t = {r['turbulent'].times[-1]:g}",
        f"turbulent (c = {r['c_turbulent']:g}), bowl J = ½θ² from θ = {r['settle_a0']:g}: the "
        f"swing shrinks like t^{r['settle_exponent']:.2f} (t ≥ 50; theory 1/t)",
        f"  at t = {r['settle_last_t']:.0f} it still swings ±{r['settle_last']:.4f} (theory "
        f"{r['settle_theory_last']:.4f}; swing × t = {r['settle_last'] * r['settle_last_t']:.2f}"
        f" → 3π/(4c) = {r['settle_limit']:.2f}); viscous drag with the same c: "
        f"±{r['viscous_last']:.0e}",
        f"dry       (c = {r['c_dry']:g}): released at θ = 5, stops for good at t = "
        f"{r['stop_time']:.2f}, at θ = {r['stop_position']:.3f} (the minimum is θ* = 0)",
        f"  there |∇J| = {r['stop_grad']:.3f} ≤ c = {r['c_dry']:g}: friction holds it "
        f"anywhere with |θ| ≤ c/λ = {r['stop_hold']:g}",
    ])


def figure_drag_laws(r: dict):
    """2 × 2 panels: viscous (with momentum's points), turbulent on flat ground, turbulent
    against viscous in a bowl (log-log), dry friction."""
    fig = plotting.figure(figsize=(11.0, 8.8))
    with plotting.style():
        (a, b), (s, c) = fig.subplots(2, 2)
        plotting.contour(DRAG_BOWL, ax=a, box=(-2.2, 2.2, -2.2, 2.2))
        a.plot(*r["viscous"].positions.T, color=PALETTE[0], marker="none",
               label="particle, viscous drag")
        a.plot(*r["momentum"].thetas[:400:8].T, color=PALETTE[1], marker="o", markersize=5,
               linestyle="none", label="momentum (every 8th step)")
        a.set_title("viscous: settles at θ*")
        a.legend(loc="lower left", fontsize=LEGEND)

        turb = r["turbulent"]
        b.plot(turb.times[1:], turb.distances[1:], color=PALETTE[2], marker="none",
               label="turbulent, flat ground")
        t = turb.times[turb.times >= 100.0]
        b.plot(t, r["slope"] * np.log(t) + r["intercept"], color="black", linestyle="--",
               marker="none", linewidth=1.6, label=f"fit: {r['slope']:.2f} · log t + const")
        b.set_xscale("log")
        b.set_xlabel("time t")
        b.set_ylabel("distance ‖θ(t) − θ(0)‖")
        b.set_title("turbulent: drifts on forever")
        b.legend(loc="upper left", fontsize=LEGEND)

        s.plot(r["swing_times"], r["swings"], color=PALETTE[2], marker="o", markersize=3,
               linestyle="none", label=f"turbulent, fit t^{r['settle_exponent']:.2f}")
        grid = np.geomspace(r["swing_times"][0], r["settle_t"], 200)
        s.plot(grid, turbulent_swing_theory(grid, r["settle_a0"], r["c_turbulent"]),
               color="black", linestyle="--", marker="none", linewidth=1.4,
               label="theory A₀/(1 + 4cA₀t/3π)")
        s.plot(r["viscous_swing_times"], r["viscous_swings"], color=PALETTE[0], marker="s",
               markersize=3, linestyle="none", label="viscous: e^(−ct/2)")
        s.set_xscale("log")
        s.set_yscale("log")
        s.set_ylim(1e-4, 5.0)
        s.set_xlabel("time t")
        s.set_ylabel("swing |θ| at turning points")
        s.set_title("in a bowl: turbulent settles like 1/t")
        s.legend(loc="upper right", fontsize=LEGEND)

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
        c.legend(loc="upper right", fontsize=LEGEND)
    return fig
