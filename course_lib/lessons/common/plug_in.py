"""Your code in the explorer: a learner's update rule run beside the reference.

``run_learner(fn, rule, case)`` runs the learner's ``fn`` (an exercise's function, e.g.
``momentum_step``) for ``case.steps`` steps from the case's start, feeding its own outputs
back in, beside the reference's run from the same start. At every step the learner's output
is compared with the reference's *on the learner's own inputs*, as ``check_update_rule``
compares them, so the first step where they part is where the mistake shows, and the
diagnosis is the check's own message ("v differs at step 1 ... Likely cause: ..."). The
explorer draws both paths and marks that step; its sliders change the problem and the
hyperparameters, so a learner sees at which settings a bug shows (a sign error visible only
with α > 0, a bias-correction error only in the first steps).

Every call is time-limited by ``safe_call`` and the whole run by a budget: an endless loop, an
exception or garbage gives a message under the plot, never a traceback that breaks the widget.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass

import numpy as np

from ...checks.rules import Case
from ...checks.safe_call import safe_call
from ...checks.update_rule import (
    _learner_outputs,
    _not_a_rule_function,
    _unpack,
    fresh,
    inputs_for,
    judge_step,
)

# How far θ may grow, relative to the start, before a run counts as diverged (the headline
# says "a million").
DIVERGED = 1e6


@dataclass
class LearnerRun:
    """The learner's run beside the reference's, and what the check says about it.

    - ``status``: ``"not plugged in"``, ``"not done yet"``, ``"matches"``, ``"differs"``
      (a wrong value, shape or NaN) or ``"error"`` (an exception, a time-out, a wrong type);
    - ``path``, ``reference``: θ after each step, row 0 the start; ``path`` stops where the
      learner's function stopped giving usable output;
    - ``first_difference``: the first step (from 1) whose output differs, or None;
    - ``message``: the diagnosis (the check's words), or what to do next.
    """

    status: str
    path: np.ndarray
    reference: np.ndarray
    first_difference: int | None
    message: str

    @property
    def diverges_at(self) -> int | None:
        """The first step at which the reference's θ is not finite or ‖θ‖ has passed
        ``DIVERGED`` × (1 + ‖θ₀‖): these settings make the method itself blow up."""
        with np.errstate(over="ignore", invalid="ignore"):
            size = np.linalg.norm(self.reference, axis=1)
        out = ~np.isfinite(size) | (size > DIVERGED * (1 + size[0]))
        return int(np.argmax(out)) if out.any() else None

    @property
    def headline(self) -> str:
        """One line for an explorer's summary."""
        if self.status == "matches":
            line = (f"your function matches the reference at all {len(self.reference) - 1} "
                    "steps of this run")
            k = self.diverges_at
            return line if k is None else (
                f"{line}; both diverge (‖θ‖ passes a million times 1 + ‖θ₀‖ at step {k}): "
                "a smaller ε keeps them on the landscape")
        if self.first_difference is not None:
            return f"your function parts from the reference at step {self.first_difference}"
        return f"your function: {self.status}"

    @property
    def verdict(self) -> str:
        """The headline in a few words, for a panel's title (the summary has it all)."""
        if self.status == "matches":
            both = "" if self.diverges_at is None else " (both diverge)"
            return f"same as the reference, {len(self.reference) - 1} steps{both}"
        if self.first_difference is not None:
            return f"yours parts at step {self.first_difference}"
        return f"yours: {self.status}"

    @property
    def gap(self) -> np.ndarray:
        """‖θₖ (yours) − θₖ (reference)‖ for every step both runs reached."""
        n = min(len(self.path), len(self.reference))
        return np.linalg.norm(self.path[:n] - self.reference[:n], axis=1)


def reference_path(rule, case: Case) -> np.ndarray:
    """θ along the reference's run of ``case``, row 0 = the start."""
    state = {name: fresh(value) for name, value in case.state.items()}
    path = [np.array(state["theta"], dtype=float)]
    with np.errstate(all="ignore"):
        for _ in range(case.steps):
            inputs = inputs_for(rule, case, state)
            out = _unpack(rule, rule.reference(*[copy.deepcopy(inputs[n])
                                                  for n in rule.signature]))
            state = {name: fresh(out[name]) for name in rule.state_names}
            path.append(np.array(state["theta"], dtype=float))
    return np.array(path)


def run_learner(fn, rule, case: Case, *, timeout: float = 0.25,
                budget: float = 1.5) -> LearnerRun:
    """The learner's ``fn`` run through ``case`` beside the reference (module doc)."""
    reference = reference_path(rule, case)
    start = np.array(case.state["theta"], dtype=float)[None, :]
    if fn is None or fn is Ellipsis:
        return LearnerRun("not plugged in", start, reference, None,
                          f"Plug your {rule.name} into the explorer (pass it as an argument) "
                          "to see its run beside the reference.")
    problem = _not_a_rule_function(fn, rule)
    if problem is not None:
        return LearnerRun("error", start, reference, None, problem.message)
    state = {name: fresh(value) for name, value in case.state.items()}
    path, first, message, status = [start[0]], None, "", "matches"
    deadline = time.perf_counter() + budget
    for step in range(1, case.steps + 1):
        if time.perf_counter() > deadline:
            message = message or (f"stopped after {step - 1} steps: your function took more "
                                  f"than {budget:g} s in all (is it slow, or looping?)")
            status = status if first is not None else "error"
            break
        with np.errstate(over="ignore", invalid="ignore"):   # a diverging run: stops below
            inputs = inputs_for(rule, case, state)
        if first is None:
            verdict, got = judge_step(fn, rule, inputs, case="the explorer's run", step=step,
                                      first=step == 1, timeout=timeout)
            if verdict is not None:
                if verdict.status == "not done yet":
                    return LearnerRun("not done yet", start, reference, None, verdict.message)
                first, message = step, verdict.message
                status = "differs" if verdict.status == "failed" else "error"
        else:
            got = _quiet_step(fn, rule, inputs, timeout)
        if got is None or not all(np.all(np.isfinite(got[n])) for n in rule.state_names):
            break
        state = {name: fresh(got[name]) for name in rule.state_names}
        path.append(np.array(state["theta"], dtype=float))
    if status == "matches":
        message = (f"{rule.name} matches the reference at every step of this run. The "
                   "check below tries it on other problems too.")
    return LearnerRun(status, np.array(path), reference, first, message)


def _quiet_step(fn, rule, inputs, timeout):
    """The learner's outputs after the first difference (only to draw its path), or None."""
    outcome = safe_call(fn, [copy.deepcopy(inputs[n]) for n in rule.signature], timeout)
    if outcome.kind != "returned":
        return None
    got, problem = _learner_outputs(rule, outcome.value)
    if problem or any(np.shape(got[n]) != np.shape(inputs[n]) for n in rule.state_names):
        return None
    return got
