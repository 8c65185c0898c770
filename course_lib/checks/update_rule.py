"""``check_update_rule``: the diagnosing check for "implement this update rule" exercises.

For every case and step, the learner's function and the reference get the same inputs
(fresh copies). The state they return (θ, v, k...) is fed back from the *learner's* output,
so every step is compared from the same starting point and the first difference is the
one reported. Problems are looked for in this order: not done yet, an exception, a
time-out, the wrong type, the wrong shape, NaN or inf, inputs changed in place, values.
"""

from __future__ import annotations

import copy
import inspect
import numbers

import numpy as np

from .diagnose import all_close, close, generic_cause, known_mistake
from .result import describe, error, failed, fmt, never_raises, not_done, passed
from .safe_call import safe_call


@never_raises
def check_update_rule(fn, rule, *, timeout: float = 2.0):
    """Run the learner's ``fn`` through every case of ``rule``; return a ``CheckResult``."""
    problem = _not_a_rule_function(fn, rule)
    if problem is not None:
        return problem
    total = 0
    for case in rule.cases:
        state = {name: fresh(value) for name, value in case.state.items()}
        trajectory = []
        for step in range(1, case.steps + 1):
            inputs = inputs_for(rule, case, state)
            at = dict(case=case.name, step=step, inputs=_plain(inputs), trajectory=trajectory)
            verdict, got = _one_step(fn, rule, inputs, at, total == 0, timeout)
            if verdict is not None:
                return verdict
            trajectory.append(_plain(got))
            state = {name: fresh(got[name]) for name in rule.state_names}
            total += 1
    rule_line = f"\n  The rule: {rule.formula}" if rule.formula else ""
    return passed(f"{rule.name} passes {len(rule.cases)} cases ({total} steps), matching the "
                  f"reference at every step and leaving its inputs unchanged.{rule_line}",
                  cases=len(rule.cases), steps=total)


# --- one step ---------------------------------------------------------------------------
def judge_step(fn, rule, inputs: dict, *, case: str, step: int, first: bool = False,
               timeout: float = 2.0):
    """One step of the learner's ``fn`` on ``inputs`` (from ``inputs_for``), judged as the
    check judges it: (a CheckResult saying what is wrong, or None; the learner's outputs by
    name, or None if there are none to use). Used by explorers that run a learner's code."""
    at = dict(case=case, step=step, inputs=_plain(inputs), trajectory=[])
    return _one_step(fn, rule, inputs, at, first, timeout)


def _one_step(fn, rule, inputs, at, first, timeout):
    """Return (a failing CheckResult or None, the learner's outputs by name or None)."""
    given = {name: copy.deepcopy(value) for name, value in inputs.items()}
    outcome = safe_call(fn, [given[name] for name in rule.signature], timeout)
    expected = _unpack(rule, rule.reference(*[copy.deepcopy(inputs[n]) for n in rule.signature]))
    where = f"at step {at['step']} of case '{at['case']}'"
    shown = _show_inputs(rule, inputs)

    if outcome.kind == "timeout":
        return error(f"{rule.name} took longer than {timeout:g} s {where}: is there a loop "
                     "that never ends? One call should take one step, with no loop; the call "
                     f"was stopped.\n  {shown}", kind="timeout", **at), None
    if outcome.kind == "raised":
        err = outcome.error
        if isinstance(err, NotImplementedError):
            return _not_done(rule, "it still raises NotImplementedError. Replace "
                             "`raise NotImplementedError()` under `# YOUR CODE HERE` with "
                             f"your code for {rule.formula}.", at), None
        line = f", {outcome.where}" if outcome.where else ""
        return error(f"{rule.name} raised {type(err).__name__}: {err}\n  {where}{line}\n"
                     f"  {shown}", kind="exception", exception=type(err).__name__, **at), None

    value = outcome.value
    if _has_ellipsis(value):
        return _not_done(rule, "it returns `...`, the placeholder. Replace `...` with your "
                         f"code for {rule.formula}.", at), None
    if value is None and first:
        return _not_done(rule, "it returned None. Replace the placeholder (`...` or "
                         f"`pass`) with your code for {rule.formula}, and end the function "
                         f"with `return {rule.returns()}`.", at), None

    got, problem = _learner_outputs(rule, value)
    if problem:
        return error(f"{rule.name} should return {rule.returns()}, got {problem} {where}.",
                     kind="type", **at), None
    for name in rule.outputs:
        want, have = np.shape(expected[name]), got[name].shape
        if want != have:
            return failed(f"{rule.name}: {rule.symbol(name)} has shape {have} but should have "
                          f"shape {want}{_shape_hint(rule, name, inputs)} {where}.\n  {shown}",
                          kind="shape", output=name, **at), got
    for name in rule.outputs:
        if not np.all(np.isfinite(got[name])) and np.all(np.isfinite(expected[name])):
            return failed(f"{rule.name}: {rule.symbol(name)} contains NaN or inf {where}, "
                          "where the reference is finite. Look for a division by zero, or "
                          f"the square root or log of a negative number.\n  {shown}\n"
                          f"  expected: {rule.symbol(name)} = {fmt(expected[name])}\n"
                          f"  got:      {rule.symbol(name)} = {fmt(got[name])}",
                          kind="nan", output=name, **at), got

    scale = _scale(inputs)
    changed = [n for n in rule.signature
               if isinstance(inputs[n], np.ndarray) and not _same_array(given[n], inputs[n])]
    if changed:
        name = changed[0]
        also = ("" if all_close(got, expected, scale) else
                "\n  Its values also differ from the reference's; fix the in-place change "
                "first, then run the check again.")
        return failed(f"{rule.name} changed its input `{name}` ({rule.symbol(name)}) in "
                      f"place (e.g. `{name} -= ...`) {where}; return a new array instead "
                      f"(e.g. `{name} = {name} - ...`), so that the caller's {rule.symbol(name)} "
                      f"stays what it was.{also}", kind="mutation", input=name, **at), got

    for name in rule.outputs:
        if close(got[name], expected[name], scale):
            continue
        sym = rule.symbol(name)
        mistake = known_mistake(rule, inputs, got, scale, timeout)
        cause = (mistake.hint if mistake is not None else
                 generic_cause(rule, name, inputs[name], expected[name], got[name], scale))
        why = (f"Likely cause: {cause}" if cause else
               f"The rule is {rule.formula}." if rule.formula else "")
        return failed(f"{rule.name}: {sym} differs {where}.\n  {shown}\n"
                      f"  expected: {sym} = {fmt(expected[name])}\n"
                      f"  got:      {sym} = {fmt(got[name])}\n  {why}",
                      kind="value", output=name,
                      mistake=None if mistake is None else mistake.name, **at), got
    return None, got


def _not_done(rule, text, at):
    return not_done(f"{rule.name}: not done yet, {text}", kind="not done", **at)


# --- what goes in -----------------------------------------------------------------------
def _not_a_rule_function(fn, rule):
    """An "error" result if ``fn`` cannot be called the way the exercise calls it."""
    wanted = f"({', '.join(rule.signature)})"
    if not callable(fn):
        return error(f"{rule.name} should be a function taking {wanted}, but the check got "
                     f"{describe(fn)}. Pass the function itself, without calling it: "
                     f"check_{rule.name}({rule.name}), not check_{rule.name}({rule.name}(...)).",
                     kind="not callable")
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return None                    # a builtin or C function: just try calling it
    names = tuple(params)
    try:
        inspect.signature(fn).bind(*rule.signature)
    except TypeError:
        return error(f"{rule.name} should take the arguments {wanted}, but yours takes "
                     f"({', '.join(names)}).", kind="signature", takes=names)
    if set(names) == set(rule.signature) and names != tuple(rule.signature):
        return error(f"{rule.name} takes its arguments in the order ({', '.join(names)}), but "
                     f"the exercise calls it as {rule.name}{wanted}: put them in that order.",
                     kind="signature", takes=names)
    return None


def inputs_for(rule, case, state):
    """The arguments of one step: the state, the hyperparameters and the gradient g."""
    inputs = dict(case.hyper)
    inputs.update(state)
    inputs[rule.grad] = None
    point = inputs["theta"] if rule.grad_at is None else rule.grad_at(inputs)
    inputs[rule.grad] = np.asarray(case.objective.grad(point), dtype=float)
    return {name: inputs[name] for name in rule.signature}


def fresh(value):
    """State as the next step receives it: float arrays, and plain Python numbers."""
    if isinstance(value, numbers.Number):
        return value
    array = np.array(value, dtype=float)
    return array.item() if array.ndim == 0 else array


def _scale(inputs) -> float:
    sizes = [np.max(np.abs(v)) for v in inputs.values()
             if np.size(v) and np.asarray(v).dtype.kind in "iuf"]
    return float(max(sizes, default=1.0))


def _same_array(a, b) -> bool:
    return isinstance(a, np.ndarray) and a.shape == b.shape and np.array_equal(a, b,
                                                                               equal_nan=True)


def _show_inputs(rule, inputs) -> str:
    return "inputs:   " + ", ".join(f"{rule.symbol(n)} = {fmt(inputs[n])}"
                                    for n in rule.signature)


def _plain(values: dict) -> dict:
    return {name: np.array(v, dtype=float).tolist() for name, v in values.items()}


# --- what comes out ---------------------------------------------------------------------
def _has_ellipsis(value) -> bool:
    return value is Ellipsis or (isinstance(value, (tuple, list))
                                 and any(item is Ellipsis for item in value))


def _unpack(rule, value) -> dict:
    """The reference's outputs by name."""
    values = (value,) if len(rule.outputs) == 1 else value
    return dict(zip(rule.outputs, values, strict=True))


def _learner_outputs(rule, value):
    """(outputs by name as arrays, None) or (None, a description of what is wrong).

    Lists and tuples of numbers are accepted where an array is expected (converted with
    ``np.asarray``, silently); a tuple holding arrays, text, None or bools is not.
    """
    if len(rule.outputs) == 1:
        if isinstance(value, (tuple, list)) and any(np.ndim(v) > 0 or v is None
                                                    for v in value):
            return None, (f"{describe(value)} (one array was expected; did it return more "
                          "than the new value?)")
        values = (value,)
    else:
        if not isinstance(value, (tuple, list)) or len(value) != len(rule.outputs):
            return None, describe(value)
        values = value
    got = {}
    for name, item in zip(rule.outputs, values, strict=True):
        array = None if isinstance(item, (str, bytes)) else _numeric(item)
        if array is None:
            label = "" if len(rule.outputs) == 1 else f" (`{name}` is {describe(item)})"
            return None, describe(value) + label
        got[name] = array
    return got, None


def _numeric(item):
    try:
        array = np.asarray(item)
    except Exception:   # noqa: BLE001 - e.g. ragged lists
        return None
    return array.astype(float) if array.dtype.kind in "iuf" else None


def _shape_hint(rule, name, inputs):
    if name in inputs and np.ndim(inputs[name]) > 0:
        return f" (the shape of the input {rule.symbol(name)})"
    if np.ndim(inputs.get(name, 0)) == 0:
        return " (a single number)"
    return ""
