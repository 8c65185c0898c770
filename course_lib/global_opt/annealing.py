"""Section 8.7.6, simulated annealing (Kirkpatrick, Gelatt & Vecchi 1983).

A random walk that may go uphill. At temperature T:

    propose θ′ = θ + s·z, z ~ N(0, I)                     (a Gaussian random-walk proposal)
    ΔJ ← J(θ′) − J(θ)
    accept θ′ if ΔJ ≤ 0, else with probability exp(−ΔJ/T)  (the Metropolis rule)
    lower T on a schedule

At a fixed T the walk samples the Boltzmann distribution ∝ exp(−J/T): hot, it roams over
every barrier; cold, it sits in one basin. Cooled slowly enough (logarithmically) it ends in
a global minimum with probability 1; cooled fast, it freezes in whichever basin it is in.

``acceptance_probability`` and ``metropolis_accept`` are the rule; ``geometric_cooling``,
``logarithmic_cooling`` and ``linear_cooling`` are schedules k → T_k; ``anneal`` runs one
or many seeded chains at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..schedules.base import Schedule
from ..validation import as_vector, check_int, check_interval, check_positive


def acceptance_probability(delta, T):
    """min(1, exp(−ΔJ/T)): 1 for ΔJ ≤ 0 (downhill or level), exp(−ΔJ/T) uphill; at T = 0
    only moves that do not go up (a greedy search). Works on arrays."""
    delta = np.asarray(delta, dtype=float)
    T = np.asarray(T, dtype=float)
    if np.any(T < 0) or not np.all(np.isfinite(T)):
        raise ValueError(f"T must be finite and >= 0, got {T}")
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        uphill = np.where(T > 0, np.exp(-np.maximum(delta, 0.0) / np.where(T > 0, T, 1.0)), 0.0)
    p = np.where(delta <= 0, 1.0, uphill)
    return float(p) if p.ndim == 0 else p


def metropolis_accept(delta, T, u):
    """Accept the move? ``u`` is a uniform draw in [0, 1): accept iff u < min(1, e^{−ΔJ/T}).

    A downhill or level move (ΔJ ≤ 0) is always accepted, since u < 1."""
    accept = np.asarray(u, dtype=float) < acceptance_probability(delta, T)
    return bool(accept) if accept.ndim == 0 else accept


class GeometricCooling(Schedule):
    """T_k = T₀ αᵏ: fast cooling, the usual choice in practice."""

    def __init__(self, T0: float, alpha: float):
        self.T0 = check_positive("T0", T0)
        self.alpha = check_interval("alpha", alpha, 0.0, 1.0, closed_low=False)

    def rate(self, k):
        return self.T0 * self.alpha ** k


class LogarithmicCooling(Schedule):
    """T_k = T₀ ln 2 / ln(k + 2): the slow cooling of the convergence proofs (Geman & Geman)."""

    def __init__(self, T0: float):
        self.T0 = check_positive("T0", T0)

    def rate(self, k):
        return self.T0 * np.log(2.0) / np.log(k + 2.0)


class LinearCooling(Schedule):
    """T_k = T₀ (1 − k/K) for k ≤ K, 0 after: a fixed budget of K steps."""

    def __init__(self, T0: float, K: int):
        self.T0 = check_positive("T0", T0)
        self.K = check_int("K", K, minimum=1)

    def rate(self, k):
        return self.T0 * np.clip(1.0 - k / self.K, 0.0, None)


def geometric_cooling(T0: float, alpha: float) -> GeometricCooling:
    return GeometricCooling(T0, alpha)


def logarithmic_cooling(T0: float) -> LogarithmicCooling:
    return LogarithmicCooling(T0)


def linear_cooling(T0: float, K: int) -> LinearCooling:
    return LinearCooling(T0, K)


@dataclass
class AnnealingResult:
    """Chains of simulated annealing; arrays have a leading chain axis (c chains)."""

    thetas: np.ndarray         # (c, steps + 1, d)
    losses: np.ndarray         # (c, steps + 1)
    temperatures: np.ndarray   # (steps,) T_k used at step k = 1 … steps
    accepted: np.ndarray       # (c, steps) bool
    best_theta: np.ndarray     # (c, d) the lowest point each chain visited
    best_loss: np.ndarray      # (c,)
    nfev: int                  # loss evaluations over all chains (no gradients at all)

    @property
    def theta(self) -> np.ndarray:
        """(c, d): where each chain ended."""
        return self.thetas[:, -1]

    @property
    def acceptance_rate(self) -> np.ndarray:
        return self.accepted.mean(axis=1)


def _values(objective, points: np.ndarray) -> np.ndarray:
    if hasattr(objective, "values"):              # many points at once where J allows it
        return np.asarray(objective.values(points), dtype=float)
    return np.array([objective.loss(p) for p in points])


def anneal(objective, theta0, temperature, steps: int, step_size: float, seed=0,
           n_chains: int = 1) -> AnnealingResult:
    """Run ``n_chains`` independent chains of simulated annealing from ``theta0``.

    ``temperature``: a schedule k → T_k (T_k ≥ 0; step k uses T_k, k = 1 … steps) or a
    number (a constant T). ``step_size``: s of the proposal θ′ = θ + s·z. ``seed``: a seed
    or a numpy Generator; the same seed gives the same chains.
    """
    steps = check_int("steps", steps, minimum=0)
    step_size = check_positive("step_size", step_size)
    c = check_int("n_chains", n_chains, minimum=1)
    if callable(temperature):
        temps = np.array([float(temperature(k)) for k in range(1, steps + 1)])
    else:
        temps = np.full(steps, check_positive("temperature", temperature, allow_zero=True))
    if np.any(temps < 0) or not np.all(np.isfinite(temps)):
        raise ValueError("temperature must give finite values T_k >= 0")
    rng = np.random.default_rng(seed)
    theta = np.tile(as_vector("theta0", theta0, objective.dim), (c, 1))
    J = _values(objective, theta)
    thetas, losses = [theta], [J]
    accepted = np.zeros((c, steps), dtype=bool)
    for k in range(1, steps + 1):
        proposal = theta + step_size * rng.standard_normal(theta.shape)   # θ′ = θ + s·z
        J_new = _values(objective, proposal)
        u = rng.random(c)
        ok = metropolis_accept(J_new - J, temps[k - 1], u)               # Metropolis rule
        theta = np.where(ok[:, None], proposal, theta)
        J = np.where(ok, J_new, J)
        accepted[:, k - 1] = ok
        thetas.append(theta)
        losses.append(J)
    thetas, losses = np.stack(thetas, axis=1), np.stack(losses, axis=1)
    best = np.argmin(losses, axis=1)
    return AnnealingResult(thetas=thetas, losses=losses, temperatures=temps, accepted=accepted,
                           best_theta=thetas[np.arange(c), best], best_loss=losses.min(axis=1),
                           nfev=c * (steps + 1))
