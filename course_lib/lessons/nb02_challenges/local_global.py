"""Notebook 02, §7: poor correspondence between local and global structure (section 8.2.7,
the book's figure 8.4).

A round bowl with its minimum at the origin, and a mountain (a Gaussian bump) standing
between the start and the minimum. Local descent only sees the slope under its feet: from
behind the mountain it must walk around it, a path much longer than the straight line and
taking many more steps than the same distance in the open. Started exactly on the line
through the peak it cannot even decide which way to go: it stops where the mountain's slope
balances the bowl's, on a saddle of the landscape.
"""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...hessian_tools import classify, spectrum
from ...objectives.base2d import Function2D, _points
from ...optim import SGD
from ...run import minimize

PALETTE = plotting.PALETTE


class Mountain(Function2D):
    """J = ½‖θ‖² + h exp(−‖θ − m‖²/(2s²)): a bowl with a bump of height h at m."""

    name = "bowl behind a mountain"
    box = (-5.0, 1.5, -2.5, 2.5)

    def __init__(self, height: float = 4.0, peak=(-2.0, 0.0), width: float = 0.7):
        self.height, self.peak, self.width = float(height), np.array(peak, dtype=float), width
        # The bump's tail pushes the minimum off the origin, along the axis through the
        # peak: Newton's method on that line from 0 (a few steps reach machine precision).
        direction = -self.peak / max(np.linalg.norm(self.peak), 1e-300)
        t = 0.0
        for _ in range(50):
            x, y = t * direction
            gx, gy = self._gradient(x, y)
            (hxx, hxy), (_, hyy) = self._hess(x, y)
            slope = gx * direction[0] + gy * direction[1]
            curve = (hxx * direction[0] ** 2 + 2 * hxy * direction[0] * direction[1]
                     + hyy * direction[1] ** 2)
            t -= slope / curve
        self.minima = _points([t * direction])
        self.min_value = float(self._value(*self.minima[0]))

    def _bump(self, x, y):
        dx, dy = x - self.peak[0], y - self.peak[1]
        return self.height * np.exp(-(dx ** 2 + dy ** 2) / (2 * self.width ** 2)), dx, dy

    def _value(self, x, y):
        return 0.5 * (x ** 2 + y ** 2) + self._bump(x, y)[0]

    def _gradient(self, x, y):
        bump, dx, dy = self._bump(x, y)
        s2 = self.width ** 2
        return x - bump * dx / s2, y - bump * dy / s2

    def _hess(self, x, y):
        bump, dx, dy = self._bump(x, y)
        s2 = self.width ** 2
        return ((1 + bump * (dx ** 2 / s2 - 1) / s2, bump * dx * dy / s2 ** 2),
                (bump * dx * dy / s2 ** 2, 1 + bump * (dy ** 2 / s2 - 1) / s2))


MOUNTAIN = Mountain()
OPEN = Mountain(height=0.0)


def _path_length(thetas) -> float:
    return float(np.sum(np.linalg.norm(np.diff(thetas, axis=0), axis=1)))


def compute_mountain(lr: float = 0.1, steps: int = 400, tol: float = 1e-6,
                     behind=(-4.0, 0.05), on_line=(-4.0, 0.0)) -> dict:
    """Gradient descent from behind the mountain, from the same point with no mountain,
    and from exactly on the line through the peak."""
    runs = {"behind the mountain": minimize(MOUNTAIN, SGD(lr=lr), behind, steps, tol=tol),
            "same start, no mountain": minimize(OPEN, SGD(lr=lr), behind, steps, tol=tol),
            "on the line through the peak": minimize(MOUNTAIN, SGD(lr=lr), on_line, steps,
                                                     tol=tol)}
    out = {"lr": lr, "steps": steps, "tol": tol,
           "straight": float(np.linalg.norm(np.asarray(behind) - MOUNTAIN.minima[0])),
           "runs": {}}
    for name, trace in runs.items():
        f = OPEN if "no mountain" in name else MOUNTAIN
        out["runs"][name] = {"thetas": trace.thetas, "steps": trace.n_steps,
                             "stop": trace.stop_reason, "length": _path_length(trace.thetas),
                             "end": trace.theta.copy(),
                             "distance": float(np.linalg.norm(trace.theta - f.minima[0])),
                             "kind": classify(spectrum(f, trace.theta), 1e-8)}
    return out


def report_mountain(r: dict) -> str:
    lines = [f"gradient descent, ε = {r['lr']:g}, until ‖∇J‖∞ ≤ {r['tol']:g}; the straight "
             f"line to the minimum is {r['straight']:.2f} long",
             f"{'':30} {'steps':>6} {'path length':>12} {'ends at':>16} {'‖θ − θ*‖':>9} "
             "  kind of point"]
    for name, run in r["runs"].items():
        x, y = np.round(run["end"], 2) + 0.0          # no "-0.00" from rounding noise
        lines.append(f"{name:30} {run['steps']:6d} {run['length']:12.2f} "
                     f"{f'({x:.2f}, {y:.2f})':>16} {run['distance']:9.2e}    {run['kind']}")
    return "\n".join(lines)


def figure_mountain(r: dict):
    fig = plotting.figure(figsize=(8.5, 5.2))
    with plotting.style():
        ax = fig.add_subplot()
        plotting.contour(MOUNTAIN, ax=ax, n=140)
        for i, (name, run) in enumerate(r["runs"].items()):
            if name == "same start, no mountain":
                continue
            plotting.trajectory(ax, run["thetas"][::2], label=f"{name}: {run['steps']} steps",
                                color=PALETTE[i], marker=plotting.MARKERS[i], markersize=3)
        ax.plot(*MOUNTAIN.peak, marker="^", markersize=14, color=PALETTE[3],
                linestyle="none", label="peak")
        ax.set_title("the way down goes around the mountain")
        ax.legend(loc="lower left", fontsize=10)
    return fig
