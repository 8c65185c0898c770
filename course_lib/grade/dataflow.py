"""Which inputs of an answer a value is computed from, read from its syntax tree.

For ``static_check``'s rule on ``np.linalg.solve(M, b)`` under the "inverse" policy: solving
against a right-hand side computed from nothing but the matrix itself and constants (an
identity built by hand with ``np.zeros`` and ``np.fill_diagonal``, ``M * 0`` filled in a
loop, ``np.eye``...) is the inverse, column by column, however it was built; an honest
Newton step solves against the gradient.

The reading is flow-insensitive and conservative about what carries a *value*: every
assignment, augmented assignment, item assignment, loop or ``with`` target, and in-place
numpy call (``fill_diagonal``, ``copyto``, ``put``...) adds what its right-hand side reads
to what its target depends on. Shapes carry no value: ``len(x)``, ``x.shape``, ``x.size``,
``x.ndim``, ``x.dtype`` and the shape arguments of constructors (``np.zeros(n)``,
``np.eye(len(g))``, ``np.zeros_like(H)``) are not dependencies. ``roots`` follows the
dependencies to the names the answer never assigns: its function's arguments and globals.
"""

from __future__ import annotations

import ast
from collections import defaultdict

SHAPE_ATTRIBUTES = frozenset({"shape", "size", "ndim", "dtype", "itemsize", "nbytes"})
SHAPE_FUNCTIONS = frozenset({"len", "shape", "size", "ndim", "isinstance", "type"})
# Constructors whose arguments are shapes and types only; the values they copy from the
# second argument on are named in FILLED.
CONSTRUCTORS = frozenset({"zeros", "ones", "empty", "eye", "identity", "tri", "zeros_like",
                          "ones_like", "empty_like", "arange", "linspace", "indices",
                          "diag_indices", "tril_indices", "triu_indices"})
FILLED = {"full": 1, "full_like": 1}                  # np.full(shape, value): the value counts
MUTATORS = frozenset({"fill_diagonal", "copyto", "put", "place", "putmask", "put_along_axis",
                      "fill"})                        # change their first argument in place
IGNORED = frozenset({"np", "numpy", "math", "cmath"})


IDENTITY = frozenset({"eye", "identity", "diag", "diagflat"})


def makes_identity(expr) -> bool:
    """Whether ``expr`` calls an identity (or diagonal-matrix) constructor anywhere."""
    return any(isinstance(n, ast.Call) and _callee(n.func) in IDENTITY for n in ast.walk(expr))


def _callee(func) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _base(target):
    """The name a target changes: ``M`` for ``M``, ``M[i, i]``, ``M.flat[k]``, ``M.T[...]``."""
    while isinstance(target, (ast.Subscript, ast.Attribute, ast.Starred)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None


def _targets(target) -> list:
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _targets(element)]
    name = _base(target)
    return [name] if name else []


def reads(expr) -> set:
    """The names ``expr`` reads as values (shapes, callees and modules left out)."""
    found: set = set()
    pending = [expr]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Name):
            if node.id not in IGNORED:
                found.add(node.id)
            continue
        if isinstance(node, ast.Attribute):
            if node.attr not in SHAPE_ATTRIBUTES:
                pending.append(node.value)
            continue
        if isinstance(node, ast.Call):
            name = _callee(node.func)
            if name in SHAPE_FUNCTIONS or name in CONSTRUCTORS:
                continue
            if name in FILLED:
                values = node.args[FILLED[name]:FILLED[name] + 1] + [
                    k.value for k in node.keywords if k.arg == "fill_value"]
                pending += values
                continue
            if isinstance(node.func, ast.Attribute):     # x.copy(), (H * 0).astype(float)
                pending.append(node.func.value)
            pending += node.args + [k.value for k in node.keywords]
            continue
        pending += list(ast.iter_child_nodes(node))
    return found


class Sources:
    """The dependencies of every name ``tree`` assigns, and their roots."""

    def __init__(self, tree):
        self.deps: dict = defaultdict(set)
        self.identity: set = set()
        self.everything: dict = defaultdict(set)   # every name each name's value mentions
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.NamedExpr)) \
                    and node.value is not None:
                for target in getattr(node, "targets", None) or [node.target]:
                    for name in _targets(target):
                        self.everything[name] |= {n.id for n in ast.walk(node.value)
                                                  if isinstance(n, ast.Name)} - {name}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._add(target, reads(node.value), node.value)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
                self._add(node.target, reads(node.value), node.value)
            elif isinstance(node, ast.NamedExpr):
                self._add(node.target, reads(node.value), node.value)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                self._add(node.target, reads(node.iter))
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                self._add(node.optional_vars, reads(node.context_expr))
            elif isinstance(node, ast.Call) and _callee(node.func) in MUTATORS:
                changed = node.func.value if _callee(node.func) == "fill" and isinstance(
                    node.func, ast.Attribute) else (node.args[0] if node.args else None)
                if changed is not None:
                    rest = node.args if _callee(node.func) == "fill" else node.args[1:]
                    values = set().union(*(reads(a) for a in rest), *(
                        reads(k.value) for k in node.keywords)) if rest or node.keywords \
                        else set()
                    self._add(changed, values)
                    if _callee(node.func) == "fill_diagonal":
                        self.identity |= set(_targets(changed))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                    makes_identity(part) for part in node.body):
                self.identity.add(node.name)      # a helper that builds an identity
        self.assigned = frozenset(self.deps)

    def _add(self, target, values: set, value=None) -> None:
        names = _targets(target)
        for name in names:
            self.deps[name] |= values - {name}
        if value is not None and makes_identity(value):
            self.identity |= set(names)

    def from_identity(self, expr) -> bool:
        """Whether ``expr`` is built from an identity: ``np.eye``, ``np.identity``,
        ``np.diag``/``diagflat``, a matrix given ``np.fill_diagonal``, or a call of a
        function of the answer that builds one, however far back."""
        names = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
        return makes_identity(expr) or bool(_reachable(names, self.everything) & self.identity)

    def roots(self, expr) -> frozenset:
        """The never-assigned names ``expr``'s value is computed from."""
        return frozenset(_reachable(reads(expr), self.deps) - self.assigned)


def _reachable(start, edges: dict) -> set:
    """Every name reachable from ``start`` along ``edges`` (name → names), ``start`` too."""
    seen, pending = set(), list(start)
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending += edges.get(name, ())
    return seen
