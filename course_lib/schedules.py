"""Learning-rate schedules: plain callables k -> ε_k, with k counting steps from 1.

Algorithm 8.1 asks for "a learning rate schedule ε₁, ε₂, …"; step k of an optimizer uses
``schedule(k)``. Every schedule also accepts an array of k (for plotting), and ``k = 0``
gives the starting rate ε₀.

The same callables serve as *momentum* schedules k -> α_k (section 8.3.2: α "begins with a
small value and is later raised"): ``ramp`` and ``nesterov_alpha`` are made for that, and
``as_momentum`` checks that a schedule's values stay in [0, 1).

``robbins_monro(schedule)`` tells, numerically and (for the schedules defined here)
exactly, whether a schedule meets the sufficient conditions 8.12–8.13 for SGD to converge.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .validation import check_int, check_interval, check_positive


class Schedule:
    """Base class. Subclasses implement ``rate(k)`` for an array of step numbers."""

    def __call__(self, k):
        k_array = np.asarray(k, dtype=float)
        if np.any(k_array < 0):
            raise ValueError(f"k must be >= 0, got {k!r}")
        rates = self.rate(k_array)
        return float(rates) if rates.ndim == 0 else rates

    def rate(self, k: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def series(self) -> tuple[bool, bool] | None:
        """The exact answer to eqs. 8.12–8.13, ``(Σ ε_k = ∞, Σ ε_k² < ∞)``, or None if unknown."""
        return None


class Constant(Schedule):
    """ε_k = ε for every k."""

    def __init__(self, eps: float, name: str = "lr"):
        self.eps = check_positive(name, eps)

    def rate(self, k):
        return np.full_like(k, self.eps, dtype=float)

    def series(self):
        return True, False                # ε + ε + … diverges, and so does ε² + ε² + …

    def __repr__(self) -> str:
        return f"Constant(eps={self.eps:g})"


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


# --- lower-case factories -------------------------------------------------------------------
def constant(eps: float) -> Constant:
    """A constant learning rate ε."""
    return Constant(eps)


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


# --- turning what a user passes into a schedule -------------------------------------------------
def as_schedule(lr, name: str = "lr") -> Schedule:
    """Turn a number into a ``Constant`` schedule; pass schedules (any callable) through."""
    if isinstance(lr, Schedule):
        return lr
    if callable(lr):
        return _Callable(lr, name)
    if isinstance(lr, numbers.Real) and not isinstance(lr, bool):
        return Constant(lr, name)
    raise ValueError(f"{name} must be > 0 or a schedule (a callable k -> rate), got {lr!r}")


def as_momentum(alpha, name: str = "alpha") -> Schedule:
    """Validate a momentum coefficient α: a number in [0, 1) or a schedule k -> α_k.

    A number is checked at once; a schedule's values are checked each time it is called
    (``alpha schedule must give values in [0, 1), got …``).
    """
    if isinstance(alpha, _UnitInterval):
        return alpha
    if isinstance(alpha, Schedule):
        return _UnitInterval(alpha, name)
    if callable(alpha):
        return _UnitInterval(_Callable(alpha, name, positive=False), name)
    if isinstance(alpha, numbers.Real) and not isinstance(alpha, bool):
        return _Fixed(check_interval(name, alpha, 0.0, 1.0), name)
    raise ValueError(f"{name} must be in [0, 1) or a schedule (a callable k -> {name}), "
                     f"got {alpha!r}")


class _Callable(Schedule):
    """A learner's own function k -> ε_k, checked when it is called."""

    def __init__(self, fn, name: str, positive: bool = True):
        self.fn, self.name, self.positive = fn, name, positive

    def rate(self, k):
        rates = np.asarray(np.vectorize(lambda kk: float(self.fn(int(kk))))(k), dtype=float)
        if self.positive and (np.any(~np.isfinite(rates)) or np.any(rates <= 0)):
            raise ValueError(f"{self.name} schedule must give rates > 0, got {rates!r}")
        return rates

    def __repr__(self) -> str:
        return f"schedule({getattr(self.fn, '__name__', 'custom')})"


class _Fixed(Schedule):
    """A constant momentum coefficient (0 allowed, unlike a learning rate)."""

    def __init__(self, value: float, name: str):
        self.value, self.name = value, name

    def rate(self, k):
        return np.full_like(k, self.value, dtype=float)

    def __repr__(self) -> str:
        return f"Constant({self.name}={self.value:g})"


class _UnitInterval(Schedule):
    """Wraps a schedule whose values must lie in [0, 1) (a momentum α_k)."""

    def __init__(self, schedule: Schedule, name: str):
        self.schedule, self.name = schedule, name

    def rate(self, k):
        values = np.asarray(self.schedule(k), dtype=float)
        if np.any(~np.isfinite(values)) or np.any(values < 0) or np.any(values >= 1):
            raise ValueError(f"{self.name} schedule must give values in [0, 1), "
                             f"got {values!r}")
        return values

    def __repr__(self) -> str:
        return repr(self.schedule)


# --- the Robbins–Monro conditions 8.12–8.13 ---------------------------------------------------
DIVERGES_ABOVE = 1e-2      # relative growth per decade above which a partial sum "diverges"
CONVERGES_BELOW = 1e-3     # ... and below which it "converges"; in between: "undecided"
_CHUNK = 1 << 16


@dataclass(frozen=True)
class RobbinsMonroReport:
    """Partial sums Σ_{k≤N} ε_k and Σ_{k≤N} ε_k² at the horizons N, and the verdicts.

    ``holds_8_12`` / ``holds_8_13`` are the numerical verdicts: "yes", "no" or "undecided".
    ``exact_8_12`` / ``exact_8_13`` are the closed-form answers (None when unknown).
    ``growth`` and ``growth_sq`` are the relative growths per decade over the last interval
    (the numbers the verdicts are read from); see ``robbins_monro`` for the rule.
    """

    schedule: str
    horizons: tuple
    sums: tuple
    sums_sq: tuple
    growth: float
    growth_sq: float
    holds_8_12: str
    holds_8_13: str
    exact_8_12: bool | None
    exact_8_13: bool | None

    @property
    def holds(self) -> bool | None:
        """Both conditions: the exact answer when known, else the numerical one (None if unsure)."""
        a = self.exact_8_12 if self.exact_8_12 is not None else _as_bool(self.holds_8_12)
        b = self.exact_8_13 if self.exact_8_13 is not None else _as_bool(self.holds_8_13)
        return None if a is None or b is None else (a and b)

    def __repr__(self) -> str:
        def exact(value):
            return "unknown" if value is None else ("yes" if value else "no")

        width = max(9, len(f"{self.horizons[-1]:,}"))
        lines = [f"Robbins–Monro conditions for {self.schedule}",
                 f"{'N':>{width}}  {'Σ ε_k':>14}  {'Σ ε_k²':>14}"]
        for n, s, q in zip(self.horizons, self.sums, self.sums_sq, strict=True):
            lines.append(f"{n:>{width},}  {s:>14.6g}  {q:>14.6g}")
        lines.append(f"8.12  Σ ε_k = ∞ : numerically {self.holds_8_12:<9} "
                     f"(growth per decade {self.growth:.2e}); exactly {exact(self.exact_8_12)}")
        lines.append(f"8.13  Σ ε_k² < ∞: numerically {self.holds_8_13:<9} "
                     f"(growth per decade {self.growth_sq:.2e}); "
                     f"exactly {exact(self.exact_8_13)}")
        return "\n".join(lines)


def _as_bool(verdict: str) -> bool | None:
    return {"yes": True, "no": False}.get(verdict)


def _partial_sums(schedule: Schedule, horizons) -> tuple[np.ndarray, np.ndarray]:
    """Σ ε_k and Σ ε_k² for k = 1..N at each horizon N, in vectorized chunks."""
    sums, sums_sq, parts, parts_sq, start = [], [], [], [], 1
    for n in horizons:
        while start <= n:
            stop = min(start + _CHUNK, n + 1)
            eps = np.asarray(schedule(np.arange(start, stop, dtype=float)), dtype=float)
            if np.any(~np.isfinite(eps)) or np.any(eps < 0):
                raise ValueError(f"schedule must give finite rates >= 0, got {eps!r}")
            parts.append(float(np.sum(eps)))
            parts_sq.append(float(np.sum(eps * eps)))
            start = stop
        sums.append(math.fsum(parts))
        sums_sq.append(math.fsum(parts_sq))
    return np.array(sums), np.array(sums_sq)


def _growth(sums: np.ndarray, horizons) -> tuple[float, float | None]:
    """Relative growth per decade over the last interval, and over the one before it."""
    def rel(i):
        if sums[i] == 0:
            return 0.0
        return (sums[i] - sums[i - 1]) / sums[i] / math.log10(horizons[i] / horizons[i - 1])

    return rel(-1), (rel(-2) if len(sums) >= 3 else None)


def _verdict_diverges(last: float, before: float | None) -> str:
    falling_fast = before is not None and last < 0.5 * before
    if last <= CONVERGES_BELOW or (last < DIVERGES_ABOVE and falling_fast):
        return "converges"
    if last >= DIVERGES_ABOVE and not falling_fast:
        return "diverges"
    return "undecided"


def robbins_monro(schedule, horizons=(10**2, 10**3, 10**4, 10**5, 10**6)) -> RobbinsMonroReport:
    """Does ``schedule`` satisfy eqs. 8.12 (Σ ε_k = ∞) and 8.13 (Σ ε_k² < ∞)?

    The partial sums S(N) = Σ_{k=1}^{N} ε_k and Q(N) = Σ ε_k² are computed at each horizon
    N exactly (every term, summed in vectorized chunks; 10⁶ terms take milliseconds).

    **The numerical rule.** Over the last interval (N', N] the *relative growth per decade*
    is g = (S(N) − S(N')) / S(N) / log₁₀(N/N'). A sum that grows at least like log N keeps
    g ≳ 1/log₁₀ N (Σ 1/k at 10⁶: g ≈ 0.16; a constant rate: g ≈ 0.9), while a convergent
    sum's g falls to its tail's share, and keeps falling decade after decade (Σ 1/k² at 10⁶:
    g ≈ 5·10⁻⁶, ten times less each decade). Calling g "falling fast" when it is less than
    half the previous interval's g, the verdict is: g ≥ 10⁻² and not falling fast →
    "diverges"; g ≤ 10⁻³, or g < 10⁻² and falling fast → "converges"; else "undecided".

    **Its limits.** This is a diagnosis from finitely many terms, not a proof. Series at
    the border are misjudged at any practical horizon: Σ k^(−1.1) converges but still
    grows by 8 % per decade at 10⁶ ("diverges"); Σ 1/(k log² k) is similar. A schedule
    whose own time scale (τ, ``total``, ``every``) is near or beyond the last horizon is
    judged on its transient: choose horizons well past it. For the schedules of this
    module the report also carries the exact answer (``exact_8_12``, ``exact_8_13``);
    trust it over the numerical one.
    """
    if isinstance(schedule, Schedule):
        sched = schedule
    elif callable(schedule):
        sched = _Callable(schedule, "schedule", positive=False)
    else:
        sched = as_schedule(schedule, "schedule")
    try:
        horizons = tuple(sorted({check_int("horizons", n, minimum=1) for n in horizons}))
    except TypeError as err:
        raise ValueError(f"horizons must be integers >= 1, got {horizons!r}") from err
    if len(horizons) < 2:
        raise ValueError(f"horizons must hold at least 2 distinct step counts, got {horizons!r}")
    sums, sums_sq = _partial_sums(sched, horizons)
    growth, growth_before = _growth(sums, horizons)
    growth_sq, growth_sq_before = _growth(sums_sq, horizons)
    sum_verdict = _verdict_diverges(growth, growth_before)
    sq_verdict = _verdict_diverges(growth_sq, growth_sq_before)
    exact = sched.series()
    return RobbinsMonroReport(
        schedule=repr(sched), horizons=horizons,
        sums=tuple(float(s) for s in sums), sums_sq=tuple(float(q) for q in sums_sq),
        growth=float(growth), growth_sq=float(growth_sq),
        holds_8_12={"diverges": "yes", "converges": "no"}.get(sum_verdict, "undecided"),
        holds_8_13={"diverges": "no", "converges": "yes"}.get(sq_verdict, "undecided"),
        exact_8_12=None if exact is None else exact[0],
        exact_8_13=None if exact is None else exact[1])
