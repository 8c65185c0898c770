"""The tuning challenge, solved with the cliff explorer: settings (ε, v, mode) with which
gradient descent from the start on the high side of the cliff reaches J − J* ≤ 10⁻³ within
20 steps (``cliffs.TARGET``, ``cliffs.BUDGET``).

The answer is a plain dict, ``cliff_settings = {'lr': ..., 'threshold': ..., 'mode': ...}``
(the explorer prints the line to paste). ``check_cliff_settings`` re-runs it on the
notebook's cliff and explains a miss (thrown off the wall, too slow, diverged);
``check_cliff_settings_nearby`` is the hidden twin: the same settings must also work on
three cliffs near this one (other heights, steepness, wall positions and starts), so a
robust choice passes and a lucky one does not.
"""

from __future__ import annotations

import numbers

import numpy as np

from ....checks.hidden import current_seed, hidden_check, hidden_result
from ....checks.result import error, failed, never_raises, not_done, passed
from ..cliffs import BUDGET, CLIFF, MODES, START, TARGET, nearby_cliff, run_cliff

KEYS = ("lr", "threshold", "mode")
EXAMPLE = "cliff_settings = {'lr': ..., 'threshold': ..., 'mode': 'norm'}"


def _settings(answer):
    """(lr, threshold, mode) or a result saying what is wrong with the answer."""
    if answer is None or answer is Ellipsis:
        return not_done("cliff_settings: not done yet. Find settings with the explorer, then "
                        f"paste the line it prints, of the form {EXAMPLE} (numbers in "
                        "place of the dots).", kind="not done")
    if not isinstance(answer, dict) or set(answer) != set(KEYS):
        got = sorted(answer) if isinstance(answer, dict) else type(answer).__name__
        return error(f"cliff_settings should be a dict with the keys {list(KEYS)}, got {got}. "
                     f"The form: {EXAMPLE}.", kind="type")
    lr, v, mode = answer["lr"], answer["threshold"], answer["mode"]
    if mode not in MODES:
        return error(f"cliff_settings['mode'] should be one of {list(MODES)}, got {mode!r}.",
                     kind="type")
    if not isinstance(lr, numbers.Real) or isinstance(lr, bool) or not 0 < lr < 10:
        return error(f"cliff_settings['lr'] should be a number ε in (0, 10), got {lr!r}.",
                     kind="type")
    if mode != "off" and (not isinstance(v, numbers.Real) or isinstance(v, bool) or v <= 0):
        return error(f"cliff_settings['threshold'] should be a number v > 0 (or None with "
                     f"mode 'off'), got {v!r}.", kind="type")
    return float(lr), (None if mode == "off" else float(v)), mode


def _miss(run, lr, v, mode, where) -> str:
    """Why a run missed the target, in words."""
    excess = run["excess"][:BUDGET + 1]
    if not np.all(np.isfinite(excess)) or run["peak"] > 1e6:
        return (f"the run blew up {where}: with ε = {lr:g} the steep direction θ₂ (curvature "
                "1) overshoots by more than it corrects once ε ≥ 2. Take a smaller ε.")
    if run["farthest_x"] < -2.0:
        cause = ("there is no clipping" if mode == "off" else
                 f"v = {v:g} lets a step of up to ε·v = {lr * v:.3g} through" if mode == "norm"
                 else f"value clipping at v = {v:g} still allows steps of ε·v·√2 = "
                      f"{lr * v * np.sqrt(2):.3g}")
        return (f"a step on the wall threw θ out to θ₁ = {run['farthest_x']:.3g} {where} "
                f"(the longest step was {run['longest']:.3g}), because {cause}; the climb back "
                "along the gentle floor takes many steps. Clip harder (a smaller v).")
    best = float(np.nanmin(excess))
    return (f"the run is too slow {where}: after {BUDGET} steps J − J* is still "
            f"{excess[-1]:.3g} (at best {best:.3g}; the target is {TARGET:g}). With ε·v = "
            f"{lr * (v if v else np.inf):.3g} per step it takes long to walk down the wall "
            "and along the floor: a larger ε (below 2), or a larger v.")


def _run(settings, cliff, start):
    lr, v, mode = settings
    return run_cliff(lr, v, mode, cliff=cliff, start=start, steps=BUDGET)


@never_raises
def check_cliff_settings(answer):
    """Re-run the recorded settings on the notebook's cliff from its start."""
    settings = _settings(answer)
    if not isinstance(settings, tuple):
        return settings
    lr, v, mode = settings
    run = _run(settings, CLIFF, START)
    if run["met"]:
        clip = "no clipping" if mode == "off" else f"v = {v:g} by {mode}"
        return passed(f"cliff_settings reach J − J* ≤ {TARGET:g} at step {run['first']} of "
                      f"{BUDGET} (ε = {lr:g}, {clip}; longest step {run['longest']:.3g}).",
                      first=run["first"])
    return failed("cliff_settings miss the target: " + _miss(run, lr, v, mode,
                                                             "on the notebook's cliff"),
                  kind="miss")


@hidden_check
@never_raises
def check_cliff_settings_nearby(answer, *, n: int = 3, seed: int | None = None):
    """The same settings on ``n`` cliffs near the notebook's (``cliffs.nearby_cliff``)."""
    seed = current_seed() if seed is None else int(seed)
    settings = _settings(answer)
    if not isinstance(settings, tuple):
        return hidden_result(settings, f"{n} nearby cliffs", seed)
    lr, v, mode = settings
    rng = np.random.default_rng(seed)
    for i in range(n):
        cliff, start = nearby_cliff(rng)
        run = _run(settings, cliff, start)
        if not run["met"]:
            where = (f"on nearby cliff {i + 1} (height {cliff.height:.3g}, steepness "
                     f"{cliff.steepness:.3g}, wall at {cliff.wall:.3g}, start "
                     f"({start[0]:.3g}, {start[1]:.3g}))")
            return hidden_result(failed("cliff_settings are not robust: "
                                        + _miss(run, lr, v, mode, where), kind="miss"),
                                 f"{n} nearby cliffs", seed)
    return hidden_result(passed(f"cliff_settings also reach the target on {n} nearby cliffs."),
                         f"{n} nearby cliffs", seed)
