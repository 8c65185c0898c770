"""The cost of one optimizer step on 10⁶ float64 parameters, beside a memory-bound baseline.

    python benchmarks/optimizer_steps.py [--n 1000000] [--repeats 40]

For each first-order optimizer, one ``step`` (the gradient is handed in ready-made, so only
the update is timed) against the least any implementation must do: read g once and update
θ and each state array of the optimizer once, in place (``x += g``: one fused pass per
array). Both are timed interleaved, in the same run, so machine load hits both alike; the
ratio is the figure (target ≤ 3). A script, not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course_lib.optim import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSProp  # noqa: E402

TARGET_RATIO = 3.0
# name → (optimizer, number of arrays a step must write: θ and the state arrays)
OPTIMIZERS = {"SGD": (lambda: SGD(lr=1e-3), 1),
              "Momentum": (lambda: Momentum(lr=1e-3, alpha=0.9), 2),
              "Nesterov": (lambda: Nesterov(lr=1e-3, alpha=0.9), 2),
              "AdaGrad": (lambda: AdaGrad(lr=1e-3), 2),
              "RMSProp": (lambda: RMSProp(lr=1e-3), 2),
              "Adam": (lambda: Adam(lr=1e-3), 3)}


class _Ready:
    """An oracle whose gradient is computed already (read-only, so no step can change it)."""

    def __init__(self, g):
        self.g = g

    def grad(self, theta):
        return self.g


def time_steps(n: int = 10 ** 6, repeats: int = 40) -> list[dict]:
    rng = np.random.default_rng(0)
    g = rng.standard_normal(n)
    g.setflags(write=False)
    oracle = _Ready(g)
    rows = []
    for name, (make, arrays) in OPTIMIZERS.items():
        optimizer = make()
        theta = rng.standard_normal(n)
        holder = {"theta": theta, "state": optimizer.init(theta)}
        buffers = [np.zeros(n) for _ in range(arrays)]

        def step(holder=holder, optimizer=optimizer):
            holder["theta"], holder["state"] = optimizer.step(holder["theta"],
                                                              holder["state"], oracle)

        def baseline(buffers=buffers):
            for x in buffers:
                np.add(x, g, out=x)

        step(), baseline()                            # warm up: page in every buffer
        steps, bases = [], []
        for _ in range(repeats):                      # interleaved: the same load for both
            t0 = time.perf_counter()
            step()
            t1 = time.perf_counter()
            baseline()
            t2 = time.perf_counter()
            steps.append(t1 - t0)
            bases.append(t2 - t1)
        step_ms, base_ms = 1e3 * statistics.median(steps), 1e3 * statistics.median(bases)
        rows.append({"optimizer": name, "arrays": arrays, "step_ms": step_ms,
                     "baseline_ms": base_ms, "ratio": step_ms / base_ms})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10 ** 6)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args(argv)
    rows = time_steps(args.n, args.repeats)
    print(f"| optimizer (n = {args.n:,}) | step | baseline (arrays) | ratio | target |")
    print("|---|---|---|---|---|")
    for r in rows:
        ok = "✓" if r["ratio"] <= TARGET_RATIO else "✗"
        print(f"| {r['optimizer']} | {r['step_ms']:.2f} ms | {r['baseline_ms']:.2f} ms "
              f"({r['arrays']}) | {r['ratio']:.1f}× | ≤ {TARGET_RATIO:g}× {ok} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
