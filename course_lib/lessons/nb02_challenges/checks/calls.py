"""Calling a learner's function for notebook 02's checks: the signature, the placeholder,
exceptions, time-outs and inputs changed in place, each turned into a clear result.

``call(fn, name, args, where)`` returns ``(result, None)`` when something went wrong before
the value could be judged, else ``(None, value)``.
"""

from __future__ import annotations

import copy
import inspect

import numpy as np

from ....checks.result import describe, error, failed, not_done
from ....checks.safe_call import safe_call

TIMEOUT = 2.0


def not_callable(fn, name: str, params: tuple):
    """An error result if ``fn`` cannot be called as ``name(*params)``, else None."""
    wanted = f"({', '.join(params)})"
    if fn is None or fn is Ellipsis:
        return not_done(f"{name}: not done yet. Write the function {name}{wanted}.",
                        kind="not done")
    if not callable(fn):
        return error(f"{name} should be a function taking {wanted}, but the check got "
                     f"{describe(fn)}. Pass the function itself: check_{name}({name}).",
                     kind="not callable")
    try:
        inspect.signature(fn).bind(*params)
    except TypeError:
        takes = ", ".join(inspect.signature(fn).parameters)
        return error(f"{name} should take the arguments {wanted}, but yours takes ({takes}).",
                     kind="signature")
    except ValueError:                      # a builtin without a signature: just try it
        pass
    return None


def call(fn, name: str, args: list, where: str, timeout: float = TIMEOUT):
    """Run ``fn(*args)`` on copies; diagnose the placeholder, exceptions, time-outs and
    arrays changed in place."""
    given = [copy.deepcopy(a) for a in args]
    outcome = safe_call(fn, given, timeout)
    if outcome.kind == "timeout":
        return error(f"{name} took longer than {timeout:g} s {where}: is there a loop that "
                     "never ends? The call was stopped.", kind="timeout"), None
    if outcome.kind == "raised":
        err = outcome.error
        if isinstance(err, NotImplementedError):
            return not_done(f"{name}: not done yet, it still raises NotImplementedError. "
                            "Replace it with your code.", kind="not done"), None
        line = f", {outcome.where}" if outcome.where else ""
        return error(f"{name} raised {type(err).__name__}: {err} {where}{line}.",
                     kind="exception", exception=type(err).__name__), None
    value = outcome.value
    if value is Ellipsis:
        return not_done(f"{name}: not done yet, it returns `...`. Replace the placeholder "
                        "with your code.", kind="not done"), None
    for before, after in zip(args, given, strict=True):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            return failed(f"{name} changed its input array in place {where} (e.g. `g *= ...`"
                          " or `g[...] = ...`): return a new array instead, so that the "
                          "caller's gradient stays what it was.", kind="mutation"), None
    return None, value
