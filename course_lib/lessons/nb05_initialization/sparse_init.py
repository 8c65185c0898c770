"""Notebook 05, §3: sparse initialization (Martens 2010), exactly k incoming weights per unit.

With dense N(0, σ²) weights a unit sums m terms, so its input grows like σ√m with the
fan-in m, and keeping it fixed forces σ ~ 1/√m: each weight becomes tiny as layers get
wide. Sparse initialization gives every unit exactly k non-zero incoming weights instead,
so the input's scale is σ√k whatever m, with weights of ordinary size. Measured on
standard-normal inputs (2000 rows) for fan-ins from 16 to 1024.
"""

from __future__ import annotations

import numpy as np

from ...strategies.initialization import glorot_uniform, scaled_gaussian, sparse
from .task import one_thread

FAN_INS = (16, 64, 256, 1024)
K = 15
UNITS = 32


@one_thread
def compute_sparse(fan_ins=FAN_INS, k: int = K, rows: int = 2000, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    out = {"fan_ins": tuple(fan_ins), "k": k, "rows": {}}
    for m in fan_ins:
        x = rng.standard_normal((rows, m))
        dense = scaled_gaussian(m, UNITS, rng, scale=np.sqrt(m))       # N(0, 1): σ = 1
        W_sparse = sparse(m, UNITS, k=k, rng=rng)                       # k of N(0, 1)
        W_glorot = glorot_uniform(m, UNITS, rng)
        out["rows"][m] = {
            "dense_std": float((x @ dense).std()), "sparse_std": float((x @ W_sparse).std()),
            "glorot_std": float((x @ W_glorot).std()),
            "glorot_weight": float(np.abs(W_glorot).mean()),
            "sparse_weight": float(np.abs(W_sparse[W_sparse != 0]).mean()),
            "nonzero": sorted(set(np.count_nonzero(W_sparse, axis=0).tolist()))}
    return out


def report_sparse(r: dict) -> str:
    k = r["k"]
    lines = [f"std of a unit's input x·W for standard-normal inputs x; sparse: exactly k = "
             f"{k} non-zero N(0, 1) weights per unit (√{k} = {np.sqrt(k):.2f})",
             f"{'fan-in m':>8} {'dense N(0,1)':>13} {'√m':>6} {'sparse k=' + str(k):>11} "
             f"{'non-zeros/unit':>15} {'Glorot':>7} {'mean |w| Glorot':>16} "
             f"{'mean |w| sparse':>16}"]
    for m, row in r["rows"].items():
        nz = ",".join(map(str, row["nonzero"]))
        lines.append(f"{m:8d} {row['dense_std']:13.2f} {np.sqrt(m):6.1f} "
                     f"{row['sparse_std']:11.2f} {nz:>15} {row['glorot_std']:7.2f} "
                     f"{row['glorot_weight']:16.3f} {row['sparse_weight']:16.3f}")
    return "\n".join(lines)
