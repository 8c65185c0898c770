"""``fused(formula, names)``: one line of an update rule, computed in one pass over memory.

Written with numpy, a line such as ``r ← ρr + (1 − ρ) g ⊙ g`` makes one pass over memory and
one temporary array per operation (four here). On a million parameters those passes, not
the arithmetic, are the cost of a step (``benchmarks/optimizer_steps.py``). ``fused``
evaluates the whole line instead:

- with numexpr, when it is installed and every array is a float64 array of at least
  ``NUMEXPR_FROM`` elements: it streams the formula through the cache block by block, on
  every core, with no full-size temporary;
- otherwise with numpy, which evaluates the very same text (small arrays, as in the
  notebooks' 2-D problems, are faster this way).

Both perform the same IEEE operations in the same order on every element, so their results
are bit-for-bit equal (``tests/test_fused.py`` checks it): which one ran never shows in a
number. The formula may use ``+ - * /``, parentheses, ``sqrt(...)``, numeric literals and the
names it finds in ``names`` (numbers or arrays), e.g. ``fused("alpha * v - eps * g",
locals())``. Like numexpr, the numpy path does not warn about x/0 or 0/0: the optimizer
decides what such a point means (δ = 0 in ``adaptive``).
"""

from __future__ import annotations

import ast
from functools import cache, lru_cache

import numpy as np

NUMEXPR_FROM = 2 ** 16       # elements from which numexpr is used (below, numpy is faster)
FUNCTIONS = {"sqrt": np.sqrt}
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div,
            ast.USub, ast.UAdd, ast.Name, ast.Load, ast.Constant, ast.Call)


@cache
def _compiled(formula: str):
    """(numpy's code object, the names the formula reads) for one formula, checked once."""
    tree = ast.parse(formula, mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED) or (
                isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name)
                                                    and node.func.id in FUNCTIONS)):
            raise ValueError(f"formula {formula!r}: only + - * /, parentheses, numbers, names "
                             f"and {', '.join(FUNCTIONS)}(...) are allowed")
    names = tuple(sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
                         - set(FUNCTIONS)))
    return compile(tree, f"<fused {formula}>", "eval"), names


@lru_cache(maxsize=1)
def _numexpr():
    try:
        import numexpr
    except ImportError:      # an optional speed-up: numpy gives the same numbers
        return None
    return numexpr


def fused(formula: str, names) -> np.ndarray:
    """The element-wise ``formula`` over ``names`` (a mapping, e.g. ``locals()``): a new
    array that nobody else holds (or, for 0-d inputs, a numpy scalar, as numpy gives)."""
    code, used = _compiled(formula)
    missing = [name for name in used if name not in names]
    if missing:
        raise ValueError(f"formula {formula!r}: no value for {', '.join(missing)}")
    values = {name: names[name] for name in used}
    arrays = [v for v in values.values() if isinstance(v, np.ndarray) and v.ndim]
    numexpr = _numexpr() if arrays and arrays[0].size >= NUMEXPR_FROM else None
    if numexpr is not None and _streamable(values, arrays):
        scalars = {k: float(v) for k, v in values.items() if not isinstance(v, np.ndarray)}
        return numexpr.evaluate(formula, local_dict={**values, **scalars})
    with np.errstate(divide="ignore", invalid="ignore"):
        result = eval(code, {"__builtins__": {}, **FUNCTIONS}, values)  # noqa: S307
    if any(result is value for value in values.values()):   # the formula is a bare name
        result = np.copy(result)
    return result


def _streamable(values: dict, arrays: list) -> bool:
    """Every array float64 and of one shape, every other value a real number: numexpr then
    does exactly what numpy would (no broadcasting, no casting)."""
    shape = arrays[0].shape
    for value in values.values():
        if isinstance(value, np.ndarray):
            if value.dtype != np.float64 or value.shape != shape:
                return False
        elif not isinstance(value, (int, float, np.floating, np.integer)) or isinstance(
                value, bool):
            return False
    return True
