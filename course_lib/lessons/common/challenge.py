"""Tuning challenges: a target a learner reaches by moving an explorer's controls.

A ``Challenge`` names the explorer's compute function, the settings it fixes (the problem),
the settings the learner chooses (with the ranges the controls allow) and a target on one
measured number. From it come

- the explorer's live badge and the line to paste: ``Explorer(..., badge=challenge.badge,
  record=challenge.record)`` (widget state is not saved in a notebook, so the learner
  records the chosen values in an ordinary answer cell);
- the exercise's checks, by ``make_challenge_checks(challenge)``: ``check_<answer>`` re-runs
  the recorded settings and, on a miss, says by how much and the likely cause;
  ``check_<answer>_nearby`` (the hidden test) runs the same settings on a nearby problem
  drawn at grading time, so a robust choice passes and a lucky one may not. Say so in the
  exercise's prompt.

The checks use only the recorded values, never widget state, so they work without a browser,
in nbval and in the grader (which calls them in its own process with the learner's value).
"""

from __future__ import annotations

import importlib
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from ...checks.hidden import current_seed, hidden_check, hidden_result
from ...checks.result import describe, error, failed, never_raises, not_done, passed


@dataclass(frozen=True)
class Challenge:
    """A target on one number measured from an explorer's compute function.

    - ``answer``: the answer cell's variable, e.g. ``"canyon_settings"``;
    - ``goal``: the target in words, shown on the badge, e.g. "J(θ) − J* < 10⁻⁶ in 40 steps";
    - ``compute``: the explorer's compute function, or ``"module:function"`` (imported when
      first used, so a checks module need not import plotting code);
    - ``measure(result) -> float``: the number the target is about;
    - ``target``, ``below``: met when the number is at most ``target`` (``below=False``: at
      least);
    - ``fixed``: the settings the challenge fixes (the problem); the badge is "off" until the
      explorer's controls show them;
    - ``free``: the learner's settings: name → ``(low, high)`` (a tuple: the control's range)
      or a list of the allowed choices (a menu's options);
    - ``quantity``: how the messages name the number, e.g. "J(θ₄₀) − J*";
    - ``explain(settings, result, value) -> str``: the likely cause of a miss (or None);
    - ``nearby(rng) -> dict``: settings that make a nearby problem, for the hidden test.
    """

    answer: str
    goal: str
    compute: Callable | str
    measure: Callable
    target: float
    below: bool = True
    fixed: Mapping = field(default_factory=dict)
    free: Mapping = field(default_factory=dict)
    quantity: str = "the measured value"
    explain: Callable | None = None
    nearby: Callable | None = None

    # --- running ----------------------------------------------------------------------------
    def function(self) -> Callable:
        if callable(self.compute):
            return self.compute
        module, _, name = str(self.compute).partition(":")
        return getattr(importlib.import_module(module), name)

    def run(self, settings: Mapping, **overrides) -> tuple[float, dict]:
        """(the measured number, the compute result) for the learner's ``settings``."""
        result = self.function()(**{**dict(self.fixed), **dict(settings), **overrides})
        return float(self.measure(result)), result

    def met(self, value: float) -> bool:
        return bool(np.isfinite(value) and (value <= self.target if self.below
                                            else value >= self.target))

    def how_far(self, value: float) -> str:
        """"2.1e-07 ≤ 1e-06 (4.76× inside the target)" or "0.0032, 3.2e+03× above the target
        ≤ 1e-06"."""
        sign = "≤" if self.below else "≥"
        if not np.isfinite(value):
            return f"never reached in this run (the target is {sign} {self.target:.3g})"
        ratio = (self.target / value if self.below else value / self.target) if value else math.inf
        if self.met(value):
            return f"{value:.3g} {sign} {self.target:.3g} ({_times(ratio)} inside the target)"
        other = "above" if self.below else "below"
        miss = 1.0 / ratio if ratio else math.inf
        return f"{value:.3g}, {_times(miss)} {other} the target {sign} {self.target:.3g}"

    # --- the explorer's side --------------------------------------------------------------------
    def badge(self, settings: Mapping, result: dict) -> tuple[str, str]:
        """For ``Explorer(badge=...)``: ("met" | "not yet" | "off", the line to show)."""
        off = [f"{name} = {value}" for name, value in self.fixed.items()
               if name in settings and settings[name] != value]
        if off:
            return "off", f"Challenge ({self.goal}): set {', '.join(off)} to try it"
        value = float(self.measure(result))
        state = "met" if self.met(value) else "not yet"
        word = "target met" if state == "met" else "not yet"
        return state, f"{word}: {self.quantity} = {self.how_far(value)}"

    def record(self, settings: Mapping) -> str:
        """For ``Explorer(record=...)``: the answer line with the current free settings."""
        chosen = [f"{name!r}: {_literal(settings[name])}" for name in self.free
                  if name in settings]
        return f"{self.answer} = {{{', '.join(chosen)}}}"

    # --- the learner's recorded answer ------------------------------------------------------------
    def problem_with(self, answer) -> tuple[dict | None, object]:
        """(the settings, None) if ``answer`` is a usable record, else (None, a CheckResult)."""
        name = self.answer
        if answer is None or answer is Ellipsis:
            return None, not_done(
                f"{name}: not done yet. Move the explorer's controls until its badge says "
                "\"target met\", then paste the line it prints into the answer cell.")
        if not isinstance(answer, Mapping):
            return None, error(f"{name} should be a dict like {self.record(_example(self))}, "
                               f"the line the explorer prints; got {describe(answer)}.")
        missing = [k for k in self.free if k not in answer]
        extra = [k for k in answer if k not in self.free]
        if missing or extra:
            parts = ([f"missing {missing}"] if missing else []) + (
                [f"unknown {extra}"] if extra else [])
            return None, error(f"{name} should have exactly the keys {list(self.free)}: "
                               f"{'; '.join(parts)}. Paste the line the explorer prints.")
        settings = {}
        for key, allowed in self.free.items():
            value = answer[key]
            if isinstance(allowed, tuple):
                if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
                        not np.isfinite(value):
                    return None, error(f"{name}[{key!r}] should be a number, got "
                                       f"{describe(value)}.")
                low, high = allowed
                if not low <= value <= high:
                    return None, failed(f"{name}[{key!r}] = {value:g} is outside the "
                                        f"explorer's range [{low:g}, {high:g}]: the "
                                        "challenge is to be solved with its controls.")
            elif not any(value == choice for choice in allowed):
                return None, failed(f"{name}[{key!r}] = {value!r} is not one of the "
                                    f"explorer's choices {list(allowed)}.")
            settings[key] = value
        return settings, None


def _times(ratio: float) -> str:
    return "∞×" if not np.isfinite(ratio) else f"{ratio:.3g}×"


def _literal(value) -> str:
    """A value as the answer line writes it: numbers to 12 significant digits (what a slider
    shows, e.g. 0.0316227766017, re-runs to the same result), text quoted."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return repr(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(f"{float(value):.12g}"))
    return repr(value)


def _example(challenge: Challenge) -> dict:
    example = {}
    for key, allowed in challenge.free.items():
        example[key] = allowed[0]
    return example


# --- checks ----------------------------------------------------------------------------------
def _shown(settings: Mapping) -> str:
    return ", ".join(f"{k} = {_literal(v)}" for k, v in settings.items())


def _judge(challenge: Challenge, settings: dict, overrides: dict, where: str):
    try:
        value, result = challenge.run(settings, **overrides)
    except ValueError as err:
        return failed(f"with {_shown(settings)}{where} the explorer refuses to run: {err}")
    if challenge.met(value):
        return passed(f"{challenge.answer}: with {_shown(settings)}{where}, {challenge.quantity}"
                      f" = {challenge.how_far(value)}: target met.", value=value)
    cause = challenge.explain(settings, result, value) if challenge.explain else None
    return failed(f"{challenge.answer}: with {_shown(settings)}{where}, {challenge.quantity} = "
                  f"{challenge.how_far(value)}: the target ({challenge.goal}) is not met."
                  + (f"\n  Likely cause: {cause}" if cause else ""), value=value)


def check_challenge(answer, challenge: Challenge):
    """Re-run the recorded settings; pass if the target is met, else say by how much, why."""
    settings, problem = challenge.problem_with(answer)
    if problem is not None:
        return problem
    return _judge(challenge, settings, {}, "")


def check_challenge_nearby(answer, challenge: Challenge, seed: int | None = None):
    """The hidden test: the recorded settings on a nearby problem drawn from ``seed``."""
    seed = current_seed() if seed is None else int(seed)
    settings, problem = challenge.problem_with(answer)
    if problem is not None:
        return hidden_result(problem, "your settings on a nearby problem", seed)
    overrides = dict(challenge.nearby(np.random.default_rng(seed))) if challenge.nearby else {}
    where = f" on a nearby problem ({_shown(overrides)})" if overrides else ""
    return hidden_result(_judge(challenge, settings, overrides, where),
                         "your settings on a nearby problem", seed)


def make_challenge_checks(challenge: Challenge):
    """(``check_<answer>``, ``check_<answer>_nearby``): the exercise's visible check and its
    hidden test, named after the answer (the running score lists checks by name)."""

    @never_raises
    def check(answer):
        return check_challenge(answer, challenge)

    @never_raises
    def check_nearby(answer, seed: int | None = None):
        return check_challenge_nearby(answer, challenge, seed)

    check.__name__ = check.__qualname__ = f"check_{challenge.answer}"
    check_nearby.__name__ = check_nearby.__qualname__ = f"check_{challenge.answer}_nearby"
    check.__doc__ = f"Re-run the settings recorded in ``{challenge.answer}``: {challenge.goal}."
    check_nearby.__doc__ = (f"Hidden test: the settings of ``{challenge.answer}`` on a nearby "
                            "problem drawn at grading time.")
    return check, hidden_check(check_nearby)
