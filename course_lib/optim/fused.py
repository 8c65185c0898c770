"""``fused(formula, names)``: one line of an update rule, computed in one pass over memory.

Written with numpy, a line such as ``r ← ρr + (1 − ρ) g ⊙ g`` makes one pass over memory and
one temporary array per operation (four here). On a million parameters those passes, not
the arithmetic, are the cost of a step (``benchmarks/optimizer_steps.py``). ``fused``
evaluates the whole line instead:

- compiled, when numba is installed and every array is a float64 array of at least
  ``COMPILED_FROM`` elements: the formula becomes one loop over the elements (``_kernel``,
  compiled once per formula by numba), which reads each input once and writes the new
  array once, with no temporary at all;
- otherwise with numpy, which evaluates the very same text (small arrays, as in the
  notebooks' 2-D problems, are faster this way, and nothing is compiled for them).

Both perform the same IEEE operations in the same order on every element (numba is not
allowed to reorder them or to fuse a multiply and an add), so their results are bit-for-bit
equal. A part of the line made of numbers only, such as ``(1 - rho)``, is computed once in
Python, as the numpy path does, and handed to the loop as a number (``_folded``).
``tests/test_fused.py`` checks all this: which one ran never shows in a number. The formula
may use ``+ - * /``, parentheses, ``sqrt(...)``, numeric literals and the names it finds in
``names`` (numbers or arrays), e.g. ``fused("alpha * v - eps * g", locals())``. Neither path
warns or raises about x/0 or 0/0 (numpy's IEEE rules, not Python's ZeroDivisionError): the
optimizer decides what such a point means (δ = 0 in ``adaptive``).

``fused_lines(names, "v = alpha * v - eps * g", "theta = theta + v")`` computes several
lines in turn, each reading the new values of those above it (here the new v), and returns
their new arrays. Compiled, they share one loop: each element of v is written and used for
θ while still at hand, so the new v is not read back from memory. Momentum, Nesterov
momentum and RMSProp with Nesterov momentum use it for their last two lines.

``pending(formula, names)`` writes down a line without computing it: a later line that reads
it (``fused("theta + delta_theta", locals())`` with ``delta_theta = pending(...)``) computes
both in its one pass, as if the text stood there in parentheses. Each value is still
rounded to float64 where the lines meet, so the numbers are those of computing the lines
one after the other; only a pass over memory (writing Δθ, reading it back) is saved.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

COMPILED_FROM = 2 ** 16      # elements from which the compiled loop is used (below, numpy is
                             # faster, and a notebook never waits for a compilation)
FUNCTIONS = {"sqrt": np.sqrt}
_GLOBALS = {"__builtins__": {}, **FUNCTIONS}    # what a formula may call, and nothing else
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
def _numba():
    try:
        import numba
    except ImportError:      # an optional speed-up: numpy gives the same numbers
        return None
    return numba


@dataclass(frozen=True, eq=False)
class Pending:
    """A line written down, computed inside the pass of the line that reads it."""
    formula: str
    names: dict


def pending(formula: str, names) -> Pending:
    """``formula`` over ``names``, checked now and computed later (see the module's text)."""
    return Pending(formula, _values(formula, names))


def computed(value):
    """``value`` itself, or the array a ``Pending`` line stands for."""
    return fused(value.formula, value.names) if isinstance(value, Pending) else value


def _values(formula: str, names) -> dict:
    _, used = _compiled(formula)
    try:
        return {name: names[name] for name in used}
    except KeyError:
        missing = [name for name in used if name not in names]
        raise ValueError(f"formula {formula!r}: no value for {', '.join(missing)}") from None


def fused(formula: str, names) -> np.ndarray:
    """The element-wise ``formula`` over ``names`` (a mapping, e.g. ``locals()``): a new
    array that nobody else holds (or, for 0-d inputs, a numpy scalar, as numpy gives)."""
    values = _values(formula, names)
    # One loop over the values: on the small arrays of a 2-D problem this bookkeeping, not
    # the arithmetic, is what a step costs.
    arrays, has_pending = [], False
    for value in values.values():
        if isinstance(value, np.ndarray):
            if value.ndim:
                arrays.append(value)
        elif isinstance(value, Pending):
            has_pending = True
    if has_pending:                   # one pass for this line and the lines it reads
        waiting = tuple(sorted((k, v.formula) for k, v in values.items()
                               if isinstance(v, Pending)))
        merged = {k: v for k, v in values.items() if not isinstance(v, Pending)}
        for name, _ in waiting:
            merged.update((f"{name}__{k}", v) for k, v in values[name].names.items())
        return fused(_inlined(formula, waiting), merged)
    if arrays and arrays[0].size >= COMPILED_FROM and _streamable(values, arrays) and _numba():
        return _compiled_lines((("value", formula),), values, arrays[0].shape)[0]
    code, _ = _compiled(formula)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = eval(code, _GLOBALS, values)  # noqa: S307
    for value in values.values():
        if result is value:           # the formula is a bare name: never hand out an input
            return np.copy(result)
    return result


def fused_lines(names, *lines: str) -> tuple:
    """Lines ``"target = formula"`` of an update rule, computed together: each line reads the
    values in ``names`` and the new values of the lines above it (after ``"v = alpha * v -
    eps * g"``, the ``v`` of ``"theta = theta + v"`` is the new velocity). Returns the new
    arrays, in the lines' order, with the numbers of calling ``fused`` on each line in turn.

    Compiled (as ``fused``, on large float64 arrays), the lines share one loop: an element
    of the new v is written and, while still at hand, used for θ. That saves a pass over
    memory (reading the new v back) against ``fused`` line by line."""
    parsed, reads = _lines(lines)
    try:
        inputs = {name: names[name] for name in reads}
    except KeyError:
        missing = ", ".join(name for name in reads if name not in names)
        raise ValueError(f"lines {lines}: no value for {missing}") from None
    arrays = [v for v in inputs.values() if isinstance(v, np.ndarray) and v.ndim]
    if (arrays and arrays[0].size >= COMPILED_FROM and _streamable(inputs, arrays)
            and _numba()):
        return _compiled_lines(parsed, inputs, arrays[0].shape)
    scope, results = dict(inputs), []
    for target, formula in parsed:        # numpy: one line after the other
        scope[target] = fused(formula, scope)
        results.append(scope[target])
    return tuple(results)


@lru_cache(maxsize=64)
def _lines(lines: tuple) -> tuple:
    """(((target, formula), ...), the names the lines read that no line above computes)
    of lines ``"target = formula"``, each formula checked."""
    parsed, reads, earlier = [], [], set()
    for line in lines:
        target, equals, formula = line.partition("=")
        target, formula = target.strip(), formula.strip()
        if not equals or not target.isidentifier():
            raise ValueError(f"line {line!r}: write it as 'name = formula'")
        reads += [name for name in _compiled(formula)[1]
                  if name not in earlier and name not in reads]
        parsed.append((target, formula))
        earlier.add(target)
    return tuple(parsed), tuple(reads)


def _compiled_lines(parsed: tuple, inputs: dict, shape: tuple) -> tuple:
    """Lines ((target, formula), ...) as one compiled loop, for ``fused`` (one line) and
    ``fused_lines`` (every input a float64 array of ``shape`` or a number); each line's
    parts made of numbers only, such as ``(1 - rho)``, are computed first, in Python."""
    scalars = {k: v for k, v in inputs.items() if not isinstance(v, np.ndarray)}
    local = {k: float(v) for k, v in scalars.items()}
    local.update((k, v.reshape(-1)) for k, v in inputs.items() if isinstance(v, np.ndarray))
    folded_lines, used, earlier = [], set(), set()
    for j, (target, formula) in enumerate(parsed):
        folded, parts = _folded(formula, frozenset(scalars) - earlier, f"_folded_{j}_")
        local.update((name, float(eval(part, _GLOBALS, scalars)))  # noqa: S307
                     for name, part in parts)
        used |= set(_compiled(folded)[1]) - earlier
        folded_lines.append((target, folded))
        earlier.add(target)
    used = tuple(sorted(used))
    is_array = tuple(isinstance(local[name], np.ndarray) for name in used)
    outs = [np.empty(shape) for _ in parsed]
    _kernel(tuple(folded_lines), used, is_array)(*(out.reshape(-1) for out in outs),
                                                 *(local[name] for name in used))
    return tuple(outs)


@lru_cache(maxsize=256)
def _inlined(formula: str, waiting: tuple) -> str:
    """``formula`` with each pending line's text in place of its name, that line's own names
    prefixed by it (``delta_theta__g``) so that they cannot meet the outer ones."""
    texts = dict(waiting)

    class Inline(ast.NodeTransformer):
        def visit_Name(self, node):
            if node.id not in texts:
                return node
            inner = ast.parse(texts[node.id], mode="eval").body
            for n in ast.walk(inner):
                if isinstance(n, ast.Name) and n.id not in FUNCTIONS:
                    n.id = f"{node.id}__{n.id}"
            return inner

    return ast.unparse(Inline().visit(ast.parse(formula, mode="eval")))


@lru_cache(maxsize=256)
def _folded(formula: str, scalars: frozenset, prefix: str = "_folded_"):
    """(``formula`` with each largest part that reads no array, e.g. ``(1 - rho)`` or
    ``-eps``, replaced by a name; [(that name, the part's code)]). A bare name or number is
    left as it is."""
    tree = ast.parse(formula, mode="eval")
    parts = []

    def scalar_only(node) -> bool:
        return all(n.id in scalars or n.id in FUNCTIONS
                   for n in ast.walk(node) if isinstance(n, ast.Name))

    class Fold(ast.NodeTransformer):
        def visit(self, node):
            if (isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call)) and scalar_only(node)):
                name = f"{prefix}{len(parts)}"
                parts.append((name, compile(ast.Expression(node), formula, "eval")))
                return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)
            return super().visit(node)

    tree = ast.fix_missing_locations(Fold().visit(tree))
    return ast.unparse(tree), tuple(parts)


@lru_cache(maxsize=256)
def _kernel(lines: tuple, names: tuple, is_array: tuple):
    """``lines`` ((target, formula), ...) as one compiled loop ``kernel(*outs, *values)``:
    at each element i, each line's value is computed, written to its ``out[i]`` and kept
    for the lines after it, which read it by its target's name; every other array name is
    read at i (arrays flat, of one length; numbers as they are)."""
    arrays = {name for name, flag in zip(names, is_array, strict=True) if flag}

    def at_i(formula: str, earlier: set) -> str:
        class AtI(ast.NodeTransformer):
            def visit_Name(self, node):
                if node.id in earlier:            # this element of a line computed above
                    return ast.Name(id=f"_fused_new_{node.id}", ctx=ast.Load())
                if node.id not in arrays:
                    return node
                return ast.Subscript(value=node, slice=ast.Name(id="_fused_i", ctx=ast.Load()),
                                     ctx=ast.Load())

        return ast.unparse(AtI().visit(ast.parse(formula, mode="eval")))

    outs = [f"_fused_out_{j}" for j in range(len(lines))]
    body, earlier = [], set()
    for out, (target, formula) in zip(outs, lines, strict=True):
        body += [f"        _fused_new_{target} = {at_i(formula, earlier)}",
                 f"        {out}[_fused_i] = _fused_new_{target}"]
        earlier.add(target)
    source = (f"def kernel({', '.join(outs + list(names))}):\n"
              f"    for _fused_i in range({outs[0]}.size):\n" + "\n".join(body) + "\n")
    namespace = dict(FUNCTIONS)
    exec(compile(source, f"<fused kernel {lines}>", "exec"), namespace)  # noqa: S102
    # error_model="numpy": x/0 gives inf or nan, as in numpy, instead of raising.
    return _numba().njit(error_model="numpy")(namespace["kernel"])


def _streamable(values: dict, arrays: list) -> bool:
    """Every array float64 and of one shape, every other value a real number: the compiled
    loop then does exactly what numpy would (no broadcasting, no casting)."""
    shape = arrays[0].shape
    for value in values.values():
        if isinstance(value, np.ndarray):
            if value.dtype != np.float64 or value.shape != shape:
                return False
        elif not isinstance(value, (int, float, np.floating, np.integer)) or isinstance(
                value, bool):
            return False
    return True
