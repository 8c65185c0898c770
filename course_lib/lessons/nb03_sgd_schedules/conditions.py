"""Notebook 03, §8: partial sums of Σε_k and Σε_k² for the conditions 8.12–8.13.
"""

from __future__ import annotations

from ... import schedules


def table_schedules() -> dict:
    """The schedules of the Robbins–Monro table, by a short label."""
    return {
        "constant 0.1": schedules.Constant(0.1),
        "linear (8.14)": schedules.LinearDecay(0.1, 1000, 0.001),
        "0.1/(1+k/100)": schedules.InverseTime(0.1, 100),
        "0.1/√(1+k/100)": schedules.InverseSqrt(0.1, 100),
        "0.1·0.999^k": schedules.ExponentialDecay(0.1, 0.999),
    }


def robbins_monro_table(horizons=(10**2, 10**4, 10**6)) -> list[dict]:
    """Partial sums Σ ε_k and Σ ε_k² at the horizons, and the exact verdicts, per schedule."""
    rows = []
    for label, schedule in table_schedules().items():
        report = schedules.robbins_monro(schedule, horizons=horizons)
        rows.append({"label": label, "horizons": report.horizons, "sums": report.sums,
                     "sums_sq": report.sums_sq, "holds_8_12": report.exact_8_12,
                     "holds_8_13": report.exact_8_13, "numeric_8_12": report.holds_8_12,
                     "numeric_8_13": report.holds_8_13})
    return rows


def format_robbins_monro(rows: list[dict]) -> str:
    """The table as fixed-width text."""
    horizons = rows[0]["horizons"]
    head = "".join(f"{'Σε  N=' + f'{n:.0e}':>13}" for n in horizons)
    head_sq = "".join(f"{'Σε² N=' + f'{n:.0e}':>13}" for n in horizons)
    lines = [f"{'schedule':<16}{head}{head_sq}   8.12  8.13"]
    for r in rows:
        sums = "".join(f"{s:>13.4g}" for s in r["sums"])
        sums_sq = "".join(f"{q:>13.4g}" for q in r["sums_sq"])
        yes = {True: "yes", False: "no"}
        lines.append(f"{r['label']:<16}{sums}{sums_sq}   {yes[r['holds_8_12']]:<5} "
                     f"{yes[r['holds_8_13']]}")
    return "\n".join(lines)
