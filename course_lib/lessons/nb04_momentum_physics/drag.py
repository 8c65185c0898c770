"""Notebook 04, §3: the particle of eqs. 8.18–8.20 with viscous, turbulent and dry drag, and
momentum as the Euler discretization of the viscous particle.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...objectives import FunctionObjective, Quadratic
from ...optim import Momentum
from ...physics import momentum_hyperparameters, simulate
from ...run import minimize

PALETTE = plotting.PALETTE

# --- 3. the particle and its drag laws (eqs. 8.18–8.20) --------------------------------------
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
