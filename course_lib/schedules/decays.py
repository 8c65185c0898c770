"""The decaying schedules: linear (eq. 8.14), step, exponential, 1/k, 1/√k, cosine, warm-up,
and the momentum ramps (``ramp``, ``nesterov_alpha``), with their lower-case factories.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_int, check_interval, check_positive
from .base import Schedule, as_schedule


class LinearDecay(Schedule):
    """Eq. 8.14: ε_k = (1 − a) ε₀ + a ε_τ with a = k/τ until step τ, then ε_k = ε_τ.

    The book's guidance is ε_τ ≈ ε₀/100, which is the default.
    """

    def __init__(self, eps0: float, tau: float, eps_tau: float | None = None):
        self.eps0 = check_positive("eps0", eps0)
        self.tau = check_positive("tau", tau)
        self.eps_tau = self.eps0 / 100 if eps_tau is None else check_positive("eps_tau", eps_tau)

    def rate(self, k):
        a = np.minimum(k / self.tau, 1.0)             # a = k/τ, held at 1 after step τ
        return (1 - a) * self.eps0 + a * self.eps_tau   # ε_k = (1 − a) ε₀ + a ε_τ

    def series(self):
        return True, False                # constant ε_τ > 0 after τ: like a constant rate

    def __repr__(self) -> str:
        return f"LinearDecay(eps0={self.eps0:g}, tau={self.tau:g}, eps_tau={self.eps_tau:g})"


class StepDecay(Schedule):
    """ε_k = ε₀ · drop^⌊(k − 1)/every⌋: ε₀ for steps 1..every, ε₀·drop for the next ``every``…

    The "divide by 10 every few epochs" schedule. ``k = 0`` gives ε₀ like step 1.
    """

    def __init__(self, eps0: float, every: int, drop: float = 0.1):
        self.eps0 = check_positive("eps0", eps0)
        self.every = check_int("every", every, minimum=1)
        self.drop = check_interval("drop", drop, 0.0, 1.0, closed_low=False, closed_high=True)

    def rate(self, k):
        n_drops = np.floor(np.maximum(k - 1, 0) / self.every)   # ⌊(k − 1)/every⌋
        return self.eps0 * self.drop ** n_drops

    def series(self):
        if self.drop == 1.0:
            return True, False
        return False, True                # blocks of a geometric series: both sums finite

    def __repr__(self) -> str:
        return f"StepDecay(eps0={self.eps0:g}, every={self.every}, drop={self.drop:g})"


class ExponentialDecay(Schedule):
    """ε_k = ε₀ γ^k with 0 < γ ≤ 1."""

    def __init__(self, eps0: float, gamma: float):
        self.eps0 = check_positive("eps0", eps0)
        self.gamma = check_interval("gamma", gamma, 0.0, 1.0, closed_low=False, closed_high=True)

    def rate(self, k):
        return self.eps0 * self.gamma ** k

    def series(self):
        if self.gamma == 1.0:
            return True, False
        return False, True                # Σ ε₀γ^k = ε₀γ/(1 − γ) < ∞: fails 8.12

    def __repr__(self) -> str:
        return f"ExponentialDecay(eps0={self.eps0:g}, gamma={self.gamma:g})"


class InverseTime(Schedule):
    """ε_k = ε₀ / (1 + k/τ): the textbook example that satisfies both 8.12 and 8.13."""

    def __init__(self, eps0: float, tau: float):
        self.eps0 = check_positive("eps0", eps0)
        self.tau = check_positive("tau", tau)

    def rate(self, k):
        return self.eps0 / (1 + k / self.tau)

    def series(self):
        return True, True                 # like Σ 1/k (diverges) and Σ 1/k² (converges)

    def __repr__(self) -> str:
        return f"InverseTime(eps0={self.eps0:g}, tau={self.tau:g})"


class InverseSqrt(Schedule):
    """ε_k = ε₀ / √(1 + k/τ): decays too slowly for 8.13 (Σ ε_k² is like Σ 1/k)."""

    def __init__(self, eps0: float, tau: float):
        self.eps0 = check_positive("eps0", eps0)
        self.tau = check_positive("tau", tau)

    def rate(self, k):
        return self.eps0 / np.sqrt(1 + k / self.tau)

    def series(self):
        return True, False

    def __repr__(self) -> str:
        return f"InverseSqrt(eps0={self.eps0:g}, tau={self.tau:g})"


class Cosine(Schedule):
    """ε_k = ε_min + ½ (ε₀ − ε_min)(1 + cos(π k / total)) for k ≤ total, then ε_min.

    With the default ε_min = 0 the last step of the cycle (k = total) has rate 0.
    """

    def __init__(self, eps0: float, total: int, eps_min: float = 0.0):
        self.eps0 = check_positive("eps0", eps0)
        self.total = check_int("total", total, minimum=1)
        self.eps_min = check_interval("eps_min", eps_min, 0.0, self.eps0)

    def rate(self, k):
        phase = np.minimum(k / self.total, 1.0)
        return self.eps_min + 0.5 * (self.eps0 - self.eps_min) * (1 + np.cos(np.pi * phase))

    def series(self):
        if self.eps_min > 0:
            return True, False
        return False, True                # zero after ``total`` steps: finite sums

    def __repr__(self) -> str:
        return f"Cosine(eps0={self.eps0:g}, total={self.total}, eps_min={self.eps_min:g})"


class WarmUp(Schedule):
    """Linear warm-up: ε_k = (k/w) · inner(k) for k ≤ w = ``warmup_steps``, then inner(k).

    Step 1 uses inner(1)/w; the ramp reaches the wrapped schedule at step w. ``k = 0`` gives
    inner(0)/w, like step 1 (a warm-up never has a zero rate).
    """

    def __init__(self, schedule, warmup_steps: int):
        self.schedule = as_schedule(schedule, "schedule")
        self.warmup_steps = check_int("warmup_steps", warmup_steps, minimum=1)

    def rate(self, k):
        factor = np.minimum(np.maximum(k, 1.0) / self.warmup_steps, 1.0)
        return factor * np.asarray(self.schedule(k), dtype=float)

    def series(self):
        return self.schedule.series()     # a finite prefix changes neither sum's fate

    def __repr__(self) -> str:
        return f"WarmUp({self.schedule!r}, warmup_steps={self.warmup_steps})"


class Ramp(Schedule):
    """A linear ramp from ``start`` to ``end`` over ``steps`` steps, then held at ``end``.

    value_k = start + (end − start) · min(k/steps, 1), the same convention as eq. 8.14.
    Made for momentum (α from 0.5 up to 0.9, say), but any non-negative values work.
    """

    def __init__(self, start: float, end: float, steps: int):
        self.start = check_positive("start", start, allow_zero=True)
        self.end = check_positive("end", end, allow_zero=True)
        self.steps = check_int("steps", steps, minimum=1)

    def rate(self, k):
        a = np.minimum(k / self.steps, 1.0)
        return self.start + (self.end - self.start) * a

    def series(self):
        if self.end > 0:
            return True, False
        return False, True

    def __repr__(self) -> str:
        return f"Ramp(start={self.start:g}, end={self.end:g}, steps={self.steps})"


class NesterovAlpha(Schedule):
    """α_k = (k − 1)/(k + 2): the momentum schedule of Nesterov's method for convex problems.

    α₁ = 0 (the first step is a plain gradient step) and α_k rises towards 1. With
    ε = 1/L it gives the O(1/k²) excess error of section 8.3.3. ``k = 0`` gives 0.
    """

    def rate(self, k):
        return np.maximum(k - 1, 0.0) / (k + 2)

    def series(self):
        return True, False

    def __repr__(self) -> str:
        return "NesterovAlpha()"


def linear_decay(eps0: float, tau: float, eps_tau: float | None = None) -> LinearDecay:
    """The linear decay of eq. 8.14 (ε_τ defaults to ε₀/100)."""
    return LinearDecay(eps0, tau, eps_tau)


def step_decay(eps0: float, every: int, drop: float = 0.1) -> StepDecay:
    """ε₀ · drop^⌊(k − 1)/every⌋."""
    return StepDecay(eps0, every, drop)


def exponential_decay(eps0: float, gamma: float) -> ExponentialDecay:
    """ε₀ γ^k."""
    return ExponentialDecay(eps0, gamma)


def inverse_time(eps0: float, tau: float) -> InverseTime:
    """ε₀ / (1 + k/τ)."""
    return InverseTime(eps0, tau)


def inverse_sqrt(eps0: float, tau: float) -> InverseSqrt:
    """ε₀ / √(1 + k/τ)."""
    return InverseSqrt(eps0, tau)


def cosine(eps0: float, total: int, eps_min: float = 0.0) -> Cosine:
    """Half a cosine from ε₀ down to ε_min over ``total`` steps."""
    return Cosine(eps0, total, eps_min)


def warm_up(schedule, warmup_steps: int) -> WarmUp:
    """Ramp linearly up to ``schedule`` (a number or a schedule) over ``warmup_steps``."""
    return WarmUp(schedule, warmup_steps)


def ramp(start: float, end: float, steps: int) -> Ramp:
    """A linear ramp from ``start`` to ``end`` over ``steps`` steps (e.g. a momentum α_k)."""
    return Ramp(start, end, steps)


def nesterov_alpha() -> NesterovAlpha:
    """Nesterov's momentum schedule α_k = (k − 1)/(k + 2)."""
    return NesterovAlpha()
