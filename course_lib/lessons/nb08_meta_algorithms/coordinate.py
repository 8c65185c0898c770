"""Notebook 08, §4: coordinate descent and block coordinate descent (section 8.7.2).

Exact (block) coordinate descent, ``course_lib.optim.CoordinateDescent``, on quadratics
J(x) = ½xᵀAx in 6 dimensions, from x₀ = (1, …, 1), until ‖x‖ ≤ 10⁻⁶‖x₀‖:

- separable: A diagonal (curvatures 1 to 100): each coordinate's minimum does not depend on
  the others, so one sweep solves the problem;
- three coupled pairs: A block-diagonal, each 2 × 2 block the book's hard case
  (x₁ − x₂)² + α(x₁² + x₂²) with α = 0.01. Single coordinates crawl; blocks that hold each
  pair together solve it in one sweep. The art is in choosing the blocks.

And the book's bad case itself, f(x) = (x₁ − x₂)² + α(x₁² + x₂²) for α = 1, 0.1, 0.01: one
sweep shrinks x by exactly (1 + α)⁻², so the sweeps needed follow the closed form
⌈ln(ratio)/(2 ln(1 + α))⌉ and grow like 1/α (notebook 07, section 11, has the full story).
"""

from __future__ import annotations

import math

import numpy as np

from ...objectives import CoupledQuadratic, Quadratic
from ...optim import CoordinateDescent
from ...run import minimize
from .task import one_thread

TOL = 1e-6
ALPHA_PAIR = 0.01
X0_BAD = (-1.5, 1.0)


def coupled_pairs(alpha: float = ALPHA_PAIR) -> Quadratic:
    """½xᵀAx with A = three copies of [[2 + 2α, −2], [−2, 2 + 2α]] on the diagonal."""
    c = 1.0 / np.sqrt(2.0)
    R = np.array([[c, -c], [c, c]])                 # eigenvectors (1, 1) and (−1, 1)
    Q = np.kron(np.eye(3), R)
    return Quadratic(np.tile([2 * alpha, 4 + 2 * alpha], 3), Q=Q, name="three coupled pairs")


def _sweeps(f, x0, block, max_sweeps: int) -> dict:
    x0 = np.asarray(x0, dtype=float)
    radius = TOL * np.linalg.norm(x0)
    trace = minimize(f, CoordinateDescent(mode="exact", block=block), x0, max_sweeps,
                     callback=lambda k, theta, state: np.linalg.norm(theta) <= radius)
    return {"sweeps": trace.n_steps, "reached": trace.stop_reason == "callback",
            "gradients": trace.ngev}


def predicted_sweeps(alpha: float, tol: float = TOL, x0=X0_BAD) -> int:
    """After sweep k: x₂ = x₂⁽⁰⁾(1 + α)^(−2k), x₁ = (1 + α)x₂; the first k with ‖x‖ ≤ tol‖x₀‖."""
    c = 1.0 + alpha
    ratio = abs(x0[1]) * math.sqrt(1.0 + c * c) / (tol * math.hypot(*x0))
    return max(1, math.ceil(math.log(ratio) / (2.0 * math.log(c)) - 1e-12))


@one_thread
def compute_coordinate(alphas=(1.0, 0.1, 0.01)) -> dict:
    ones = np.ones(6)
    separable = Quadratic(np.geomspace(1.0, 100.0, 6), name="separable")
    pairs = coupled_pairs()
    good = {
        ("separable", "single coordinates"): _sweeps(separable, ones, 1, 50),
        ("coupled pairs", "single coordinates"): _sweeps(pairs, ones, 1, 5000),
        ("coupled pairs", "blocks = the pairs"): _sweeps(pairs, ones, 2, 50),
    }
    bad = [{"alpha": a, **_sweeps(CoupledQuadratic(a), X0_BAD, 1, 20_000),
            "predicted": predicted_sweeps(a)} for a in alphas]
    return {"good": good, "bad": bad, "tol": TOL}


def report_coordinate(r: dict) -> str:
    lines = [f"exact (block) coordinate descent until ‖x‖ ≤ {r['tol']:g}·‖x₀‖",
             f"{'problem':16} {'blocks':22} {'sweeps':>7} {'gradients':>10}"]
    for (problem, blocks), row in r["good"].items():
        lines.append(f"{problem:16} {blocks:22} {row['sweeps']:7d} {row['gradients']:10d}")
    lines.append(f"f(x) = (x₁ − x₂)² + α(x₁² + x₂²) from x₀ = {X0_BAD}, single coordinates:")
    lines.append(f"{'α':>8} {'sweeps':>7} {'closed form':>12}")
    for row in r["bad"]:
        lines.append(f"{row['alpha']:8g} {row['sweeps']:7d} {row['predicted']:12d}")
    return "\n".join(lines)
