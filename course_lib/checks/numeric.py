"""``check_number``: the check for predict-then-check exercises (one number as the answer).

On failure the message gives the direction (too low, too high), never the expected value:
a learner can keep exploring. On success it may state the exact value.
"""

from __future__ import annotations

import numbers

import numpy as np

from .result import describe, error, failed, never_raises, not_done, passed


@never_raises
def check_number(answer, expected, *, name: str, rtol: float = 0.05, atol: float = 0.0,
                 unit: str = "", hint_low: str | None = None, hint_high: str | None = None,
                 note: str | None = None, rtol_high: float | None = None):
    """Is ``answer`` within ``atol + rtol·|expected|`` of ``expected``?

    ``rtol_high`` (default: ``rtol``) sets a different tolerance above ``expected``, for
    answers that must not overshoot (a learning rate past the stability limit).

    ``hint_low`` / ``hint_high`` are said when the answer is too low / too high; ``note``
    is added on success (e.g. why the value is what it is). ``unit`` follows the numbers.
    """
    unit = f" {unit}" if unit else ""
    if answer is None or answer is Ellipsis:
        return not_done(f"{name}: not done yet. Replace the placeholder (`None` or `...`) "
                        "with your answer, a number.", kind="not done")
    value = _one_number(answer)
    if value is None:
        return _not_a_number(name, answer)
    if not np.isfinite(value):
        return failed(f"{name}: your answer is {value}, which is not a finite number. "
                      "Give a finite value.", kind="nan", answer=value)
    tolerance = atol + rtol * abs(expected)
    tolerance_high = tolerance if rtol_high is None else atol + rtol_high * abs(expected)
    if value < expected - tolerance:
        return failed(f"{name}: {value:.6g}{unit} is too low. {hint_low or ''}",
                      kind="too low", answer=value)
    if value > expected + tolerance_high:
        return failed(f"{name}: {value:.6g}{unit} is too high. {hint_high or ''}",
                      kind="too high", answer=value)
    return passed(f"{name}: {value:.6g}{unit} is right (the exact value is "
                  f"{expected:.6g}{unit}). {note or ''}", answer=value, expected=expected)


def _one_number(answer) -> float | None:
    """``answer`` as a float if it is one real number (a 1-element array counts), else None."""
    if isinstance(answer, (str, bytes, bool, np.bool_)):
        return None
    if isinstance(answer, numbers.Real):
        return float(answer)
    try:
        array = np.asarray(answer)
    except Exception:   # noqa: BLE001 - ragged lists and other oddities
        return None
    if array.size != 1 or array.dtype.kind not in "iuf":
        return None
    return float(array.reshape(()))


def _not_a_number(name, answer):
    if isinstance(answer, (str, bytes)):
        why = "text; write the number without quotes"
    elif isinstance(answer, (bool, np.bool_)):
        why = "True/False; the answer is a number"
    elif isinstance(answer, (list, tuple, np.ndarray)):
        why = f"{describe(answer)}; give a single value"
    else:
        why = describe(answer)
    return error(f"{name}: expected one number, got {why}.", kind="type")
