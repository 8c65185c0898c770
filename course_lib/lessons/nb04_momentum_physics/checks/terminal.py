"""Exercise 3 of notebook 04, predict then check: the terminal-velocity factor of eq. 8.17,
and its hidden twin that measures it by iterating the velocity update."""

from __future__ import annotations

import numpy as np

from ....checks import check_number
from ....checks.hidden import check_recomputed, hidden_check
from ....checks.result import never_raises


@never_raises
def check_terminal_velocity(answer, alpha: float = 0.95):
    """Predict-then-check: the terminal step size in units of ε‖g‖ is 1/(1 − α) (eq. 8.17)."""
    expected = 1.0 / (1.0 - alpha)
    return check_number(
        answer, expected, name=f"terminal-velocity factor for α = {alpha:g}", rtol=0.01,
        hint_low=("Each step adds a fresh −εg to v and removes only the share "
                  "(1 − α) of v, so v keeps growing until the two balance."),
        hint_high=("v stops growing once the share it loses per step, "
                   "(1 − α)‖v‖, equals what it gains, ε‖g‖."),
        note=(f"v settles where v = αv − εg, that is v = −εg/(1 − α): {expected:g} times a "
              "gradient step (eq. 8.17)."))


@hidden_check
@never_raises
def check_terminal_velocity_by_running(answer, alpha: float = 0.95, rtol: float = 0.01,
                                       seed: int | None = None):
    """The terminal step in units of ε‖g‖, measured by iterating v ← αv − εg with a random
    constant g and ε until v stops changing."""
    def measure(rng):
        g, lr = rng.standard_normal(3), float(10.0 ** rng.uniform(-3.0, -1.0))
        v = np.zeros(3)
        for _ in range(int(np.ceil(40.0 / (1.0 - alpha)))):   # α^steps < e^-40
            v = alpha * v - lr * g
        return np.linalg.norm(v) / (lr * np.linalg.norm(g))

    return check_recomputed(answer, measure, name=f"terminal-velocity factor for α = {alpha:g}",
                            rtol=rtol, what="by running the velocity update", seed=seed)
