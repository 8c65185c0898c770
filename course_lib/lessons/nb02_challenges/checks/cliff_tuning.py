"""The tuning challenge, solved with the cliff explorer (``lessons.common.challenge``): settings
(ε, v, mode) with which gradient descent from the start on the high side of the cliff reaches
J − J* ≤ 10⁻³ within 20 steps (``cliffs.TARGET``, ``cliffs.BUDGET``).

The answer is the line the explorer prints, ``cliff_settings = {'lr': …, 'threshold': …,
'mode': …}``. ``check_cliff_settings`` re-runs it on the notebook's cliff and explains a miss
(thrown off the wall, too slow, diverged); ``check_cliff_settings_nearby`` is the hidden
twin: the same settings on a cliff near this one (another height, steepness, wall position,
floor and start), so a robust choice passes and a lucky one may not.
"""

from __future__ import annotations

import numpy as np

from ...common.challenge import Challenge, make_challenge_checks
from ..cliffs import BUDGET, TARGET, compute_cliff, nearby_cliff


def _explain(settings: dict, result: dict, value: float) -> str:
    """Why the run missed the target, in words."""
    run, lr, v, mode = result["run"], settings["lr"], settings["threshold"], settings["mode"]
    excess = run["excess"][:BUDGET + 1]
    if not np.all(np.isfinite(excess)) or run["peak"] > 1e6:
        return (f"the run blew up: with ε = {lr:g} the steep direction θ₂ (curvature 1) "
                "overshoots by more than it corrects once ε ≥ 2. Take a smaller ε.")
    if run["farthest_x"] < -2.0:
        cause = ("there is no clipping" if mode == "off" else
                 f"v = {v:g} lets steps of up to ε·v = {lr * v:.3g} through" if mode == "norm"
                 else f"value clipping at v = {v:g} still lets steps of up to "
                      f"ε·v·√2 = {lr * v * np.sqrt(2):.3g} through")
        return (f"step {run['longest_at']}, taken on the wall, threw θ out to θ₁ = "
                f"{run['farthest_x']:.3g} (it was {run['longest']:.3g} long), because "
                f"{cause}; the climb back along the gentle floor takes many steps. Clip "
                "harder (a smaller v).")
    per_step = lr * v if mode != "off" else np.inf
    return (f"the run is too slow: after {BUDGET} steps J − J* is still {excess[-1]:.3g} "
            f"(the target is {TARGET:g}). With steps of at most ε·v = {per_step:.3g} it takes "
            "long to walk down the wall and along the floor: a larger ε (below 2) or a larger "
            "v, as long as the steps on the wall stay short.")


CLIFF_TUNING = Challenge(
    answer="cliff_settings",
    goal=f"J − J* ≤ {TARGET:g} within {BUDGET} steps",
    compute=compute_cliff,
    measure=lambda result: result["steps_to_target"],
    target=BUDGET, below=True,
    free={"lr": (0.05, 2.0), "threshold": (0.05, 50.0), "mode": ["off", "norm", "value"]},
    quantity="steps to J − J* ≤ 10⁻³",
    explain=_explain,
    nearby=nearby_cliff)
check_cliff_settings, check_cliff_settings_nearby = make_challenge_checks(CLIFF_TUNING)
