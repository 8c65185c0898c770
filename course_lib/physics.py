"""The physics of momentum (section 8.3.2, eqs. 8.18–8.20): a particle sliding on J.

A particle of unit mass sits at position θ(t) with velocity v(t) = ∂θ/∂t (eq. 8.19). The
force on it is f(t) = ∂v/∂t = ∂²θ/∂t² (eqs. 8.18, 8.20), the sum of the downhill pull of
the cost and a drag that opposes the motion:

    f = −∇J(θ) + drag(v),

with one of the drag laws

    ``"viscous"``    −c v            (proportional to the speed: what momentum uses)
    ``"turbulent"``  −c ‖v‖ v        (the square of the speed: too weak near rest; on flat
                                      ground a moving particle never stops, and in a bowl
                                      its swing dies out only like 1/t, not exponentially)
    ``"dry"``        −c v / ‖v‖      (constant magnitude c: too strong near a minimum)
    ``"none"``       0               (no drag: the energy is (nearly) conserved)

**Integration.** ``simulate`` takes ``steps`` steps of length ``dt`` of a first-order
Euler method (the book's "Euler's method"; which variant matters, see below). The default
``scheme="semi-implicit"`` (the symplectic Euler, or Euler–Cromer, method) updates the
velocity first and moves with the new velocity:

    v_{n+1} = v_n + dt · f(θ_n, v_n)
    θ_{n+1} = θ_n + dt · v_{n+1}

``scheme="explicit"`` moves with the old velocity, θ_{n+1} = θ_n + dt · v_n (the textbook
forward Euler; without drag its energy grows every step).

**Momentum is the viscous case.** With f = −∇J(θ) − c v the semi-implicit step reads

    v_{n+1} = (1 − c·dt) v_n − dt ∇J(θ_n),     θ_{n+1} = θ_n + dt v_{n+1}.

Multiply the first line by dt and write u_n = dt · v_n for the displacement per step:

    u_{n+1} = (1 − c·dt) u_n − dt² ∇J(θ_n),    θ_{n+1} = θ_n + u_{n+1}.

That is Algorithm 8.2, v ← αv − εg, θ ← θ + v, with the velocity of the algorithm being
u = dt · v (a displacement per step, not per unit time) and

    α = 1 − c·dt,      ε = dt²      (conversely dt = √ε, c = (1 − α)/√ε).

So α ∈ [0, 1) asks for 0 < c·dt ≤ 1; α → 1 is weak drag or a fine time step, and a small
ε is a small time step. ``momentum_hyperparameters`` and ``particle_parameters`` convert
between the two views, and the tests check the identity step by step against
``course_lib.optim.Momentum``. (The explicit scheme gives θ ← θ + v *before* updating v,
which is not Algorithm 8.2.)

**Dry friction and sticking.** The Coulomb force −c v/‖v‖ is undefined at v = 0, and taken
literally (explicitly) it makes a slow particle chatter around v = 0: each step overshoots
zero velocity and flips the friction's sign. ``simulate`` treats the friction implicitly,
the standard time-stepping rule of non-smooth mechanics (Moreau's method): first the
velocity the other forces would give, w = v + dt · (−∇J(θ)); then

    v_{n+1} = max(0, 1 − c·dt / ‖w‖) · w,

i.e. friction removes up to c·dt of speed along w, and if that is enough to stop the
particle it stops exactly (v = 0). In particular a particle at rest stays at rest while
‖∇J(θ)‖ ≤ c (static friction balances the slope), and starts to slide, with net force of
magnitude ‖∇J‖ − c, when the slope is steeper. So the particle really stops, possibly
before the minimum: anywhere the slope is gentler than c.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import as_vector, check_int, check_interval, check_positive

DRAGS = ("viscous", "turbulent", "dry", "none")
SCHEMES = ("semi-implicit", "explicit")


@dataclass(frozen=True, eq=False)
class ParticlePath:
    """Where the particle was: row n is time t_n = n · dt (row 0 is the start)."""

    times: np.ndarray        # (steps + 1,)
    positions: np.ndarray    # θ(t), (steps + 1, dim)
    velocities: np.ndarray   # v(t), (steps + 1, dim)
    potential: np.ndarray    # J(θ(t)), (steps + 1,)
    kinetic: np.ndarray      # ½‖v(t)‖² (unit mass), (steps + 1,)
    drag: str
    c: float
    dt: float

    @property
    def energies(self) -> np.ndarray:
        """Total mechanical energy J(θ) + ½‖v‖²."""
        return self.potential + self.kinetic

    @property
    def distances(self) -> np.ndarray:
        """‖θ(t) − θ(0)‖: how far the particle has gone from its start."""
        return np.linalg.norm(self.positions - self.positions[0], axis=1)

    @property
    def position(self) -> np.ndarray:
        return self.positions[-1]

    @property
    def velocity(self) -> np.ndarray:
        return self.velocities[-1]

    def __repr__(self) -> str:
        return (f"ParticlePath({len(self.times) - 1} steps of dt={self.dt:g}, drag={self.drag!r}, "
                f"c={self.c:g}, final energy={self.energies[-1]:.6g})")


def drag_force(v: np.ndarray, drag: str, c: float) -> np.ndarray:
    """The drag force on a particle with velocity v (for "dry", zero at v = 0)."""
    speed = np.linalg.norm(v)
    if drag == "viscous":
        return -c * v
    if drag == "turbulent":
        return -c * speed * v
    if drag == "dry":
        return -c * v / speed if speed > 0 else np.zeros_like(v)
    if drag == "none":
        return np.zeros_like(v)
    raise ValueError(f"drag must be one of {', '.join(map(repr, DRAGS))}, got {drag!r}")


def simulate(objective, theta0, v0=None, drag: str = "viscous", c: float = 1.0,
             dt: float = 0.01, steps: int = 1000, scheme: str = "semi-implicit") -> ParticlePath:
    """Slide a unit-mass particle on ``objective`` from θ(0) = ``theta0``, v(0) = ``v0``.

    Force −∇J(θ) + drag(v) (see the module docstring for the drag laws, the Euler scheme,
    the stick rule of dry friction, and why the viscous case is Algorithm 8.2). ``c`` ≥ 0
    is the drag coefficient, ``dt`` > 0 the time step, ``steps`` the number of steps.
    """
    if drag not in DRAGS:
        raise ValueError(f"drag must be one of {', '.join(map(repr, DRAGS))}, got {drag!r}")
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(map(repr, SCHEMES))}, "
                         f"got {scheme!r}")
    c = check_positive("c", c, allow_zero=True)
    dt = check_positive("dt", dt)
    steps = check_int("steps", steps, minimum=0)
    theta = as_vector("theta0", theta0, getattr(objective, "dim", None))
    v = np.zeros_like(theta) if v0 is None else as_vector("v0", v0, theta.size)

    positions, velocities = [theta], [v]
    for _ in range(steps):
        grad = objective.grad(theta)
        if drag == "dry":                        # friction treated implicitly: stick rule
            w = v + dt * (-grad)                 # the velocity without friction
            speed = np.linalg.norm(w)
            v_next = max(0.0, 1.0 - c * dt / speed) * w if speed > 0 else np.zeros_like(w)
        else:
            v_next = v + dt * (-grad + drag_force(v, drag, c))      # v ← v + dt·f
        theta = theta + dt * (v_next if scheme == "semi-implicit" else v)   # θ ← θ + dt·v
        v = v_next
        positions.append(theta)
        velocities.append(v)

    positions, velocities = np.array(positions), np.array(velocities)
    potential = np.array([objective.loss(p) for p in positions], dtype=float)
    kinetic = 0.5 * np.sum(velocities ** 2, axis=1)
    return ParticlePath(times=dt * np.arange(steps + 1), positions=positions,
                        velocities=velocities, potential=potential, kinetic=kinetic,
                        drag=drag, c=c, dt=dt)


def momentum_hyperparameters(c: float, dt: float) -> tuple[float, float]:
    """(ε, α) of the momentum run that *is* the viscous particle: ε = dt², α = 1 − c·dt.

    Momentum's velocity is then dt times the particle's (a displacement per step).
    """
    c = check_positive("c", c)
    dt = check_positive("dt", dt)
    check_interval("c*dt", c * dt, 0.0, 1.0, closed_low=False, closed_high=True)
    return dt * dt, 1.0 - c * dt


def particle_parameters(lr: float, alpha: float) -> tuple[float, float]:
    """(c, dt) of the viscous particle that momentum with ε = ``lr``, α = ``alpha`` simulates:
    dt = √ε, c = (1 − α)/√ε."""
    lr = check_positive("lr", lr)
    alpha = check_interval("alpha", alpha, 0.0, 1.0)
    dt = float(np.sqrt(lr))
    return (1.0 - alpha) / dt, dt
