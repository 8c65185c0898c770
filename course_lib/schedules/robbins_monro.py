"""``robbins_monro(schedule)``: does a schedule meet the sufficient conditions 8.12–8.13 for SGD
to converge, Σ ε_k = ∞ and Σ ε_k² < ∞? Numerically from partial sums and, for the schedules
of this package, exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..validation import check_int
from .base import Schedule, _Callable, as_schedule

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
