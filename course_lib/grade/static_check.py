"""Read an answer's source, before it runs, for exercises that forbid a built-in.

A spy inside the child cannot be trusted (the submission runs there too: it can bind the
forbidden function before the spy exists, or replace the spy), so the grader also *reads*
the answer cell with ``ast``. A lesson's checks name the exercises that forbid something in
``FORBIDDEN`` ({answer grade_id: policy name}, e.g. notebook 07's ``"newton_step":
"inverse"``); ``policy_for`` looks it up and ``check`` lists what the source does that the
policy forbids, each with its line. Two policies:

- ``"inverse"``: no inverse matrix, however formed: ``inv``, ``pinv``, ``tensorinv``, a
  decomposition that rebuilds one (``eig``, ``eigh``, ``svd``), ``matrix_power`` with an
  exponent that is not a literal ≥ 0, ``solve``/``lstsq`` of the identity or of any
  right-hand side computed from the matrix and constants alone (``dataflow``), ``np.matrix``
  and its ``.I``, scipy. Solving a system (``np.linalg.solve(H, g)``) is allowed.
- ``"linear algebra"``: no solver, inverse or factorization at all: of ``numpy.linalg``
  only the products and norms in ``PRODUCTS`` are allowed.

Both also reject, conservatively, whatever could reach a forbidden function without naming
it: imports outside ``MODULES`` (``importlib``, ``sys``, ``operator``, scipy...), star
imports, ``getattr``/``eval``/``exec``/``compile``/``globals``/``vars``/``__import__``...,
any name or attribute starting with ``_`` (``__dict__``, ``__builtins__``,
``_umath_linalg``, ``__subclasses__``), frame and code attributes, ``numpy.linalg`` or an
alias of it used other than as ``np.linalg.<allowed>``, ``np.load`` (pickles) and numpy's
private or legacy modules (``core``, ``lib``, ``matlib``...). Since nothing can then look an
attribute up by a computed name, no string building reaches ``numpy.linalg`` either.
``**`` stays allowed: on an ndarray it is element-wise, and the matrix class is refused.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from . import dataflow

PRODUCTS = frozenset({"norm", "vector_norm", "matrix_norm", "vecdot", "matmul", "multi_dot",
                      "outer", "cross", "trace", "diagonal", "matrix_transpose", "tensordot",
                      "LinAlgError"})
LINALG = frozenset({"cholesky", "cond", "det", "eig", "eigh", "eigvals", "eigvalsh", "inv",
                    "lstsq", "matrix_power", "matrix_rank", "pinv", "qr", "slogdet", "solve",
                    "svd", "svdvals", "tensorinv", "tensorsolve", "test"}) | PRODUCTS
SCIPY = frozenset({"solve_triangular", "cho_solve", "cho_factor", "lu_solve", "lu_factor",
                   "solve_banded", "solveh_banded", "spsolve", "cg", "gmres", "minres",
                   "bicg", "bicgstab", "lsqr", "lsmr", "splu", "spilu", "factorized", "lu",
                   "ldl", "inverse"})
MODULES = frozenset({"numpy", "numpy.linalg", "numpy.random", "numpy.fft", "math", "cmath",
                     "itertools", "functools", "collections", "numbers", "warnings"})
DYNAMIC = frozenset({"getattr", "setattr", "delattr", "eval", "exec", "compile", "globals",
                     "locals", "vars", "breakpoint", "__import__", "__builtins__"})
NUMPY_ODD = frozenset({"matrix", "asmatrix", "mat", "bmat", "matlib", "matrixlib", "I",
                       "core", "lib", "ctypeslib", "f2py", "distutils", "load", "loads",
                       "linalg_lite", "lapack_lite"})
FRAMES = frozenset({"gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await",
                    "ag_frame", "ag_code", "ag_await", "f_globals", "f_locals", "f_builtins",
                    "f_back", "f_code", "tb_frame", "tb_next", "co_consts", "co_names",
                    "func_globals", "func_code"})
MAX_READ = 100_000   # characters of an answer read (about 0.4 s: the reading is linear, 4 µs each)
CALL_ONLY = frozenset({"solve", "lstsq", "matrix_power"})   # "inverse": their calls are read


@dataclass(frozen=True)
class Policy:
    name: str
    what: str                # "forms the inverse matrix", for the feedback
    forbids: str             # "forming an inverse matrix"
    allowed: frozenset       # names of numpy.linalg an answer may use
    instead: str             # what to do instead


INVERSE = Policy("inverse", "forms the inverse matrix", "forming an inverse matrix",
                 PRODUCTS | {"solve", "lstsq", "cholesky", "qr", "det", "slogdet", "eigvals",
                             "eigvalsh", "cond", "matrix_rank", "svdvals", "matrix_power"},
                 "solve the system instead, `np.linalg.solve(M, v)` for M⁻¹v, without ever "
                 "building an inverse")
LINEAR_ALGEBRA = Policy("linear algebra", "uses a linear-algebra solver or factorization",
                        "numpy.linalg's solvers, inverses and factorizations", PRODUCTS,
                        "use only matrix-vector products (`A @ d`), dot products and "
                        "np.linalg.norm: the algorithm itself is the solver")
POLICIES = {p.name: p for p in (INVERSE, LINEAR_ALGEBRA)}


@dataclass(frozen=True)
class Finding:
    line: int
    found: str               # e.g. "np.linalg.inv"
    code: str                # the line of the answer
    dynamic: bool = False    # a route the grader cannot follow, not a forbidden function


def policy_for(checks_module, exercise: str) -> Policy | None:
    """The policy the lesson's ``FORBIDDEN`` names for ``exercise`` (the strictest if the
    name is unknown), or None if the exercise forbids nothing."""
    table = getattr(checks_module, "FORBIDDEN", None)
    name = table.get(exercise) if isinstance(table, dict) else None
    return None if name is None else POLICIES.get(name, LINEAR_ALGEBRA)


def check(source: str, policy: Policy | None) -> list[Finding]:
    """What ``source`` does that ``policy`` forbids, in line order (empty: nothing)."""
    if policy is None:
        return []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []            # it cannot run either: the sandbox reports the error
    return sorted(_Reader(policy, source).read(tree), key=lambda f: (f.line, f.dynamic))


def feedback(findings: list[Finding], policy: Policy) -> str:
    """The feedback of a rejected answer: what was found, on which line, why, what to do."""
    first = findings[0]
    where = f"line {first.line} of your answer cell: `{first.code}`"
    if first.dynamic:
        text = (f"✘ Your answer uses {first.found} ({where}). This exercise forbids "
                f"{policy.forbids}, and the grader cannot verify code that reaches names in "
                "ways it cannot read (getattr, __import__, importlib, eval/exec/compile, "
                "globals, vars, __dict__, private attributes, other modules): rewrite it "
                "without.")
    else:
        text = (f"✘ Your answer {policy.what} with {first.found} ({where}), which this "
                f"exercise forbids: {policy.instead}.")
    others = [f"line {f.line}: {f.found}" for f in findings[1:4]]
    if others:
        text += f"\n  Also: {'; '.join(others)}."
    return text + "\n  0 points: the answer was read, not run."


class _Reader:
    """One walk over the tree, with the aliases its imports made."""

    def __init__(self, policy: Policy, source: str):
        self.policy, self.lines = policy, source.splitlines()
        self.linalg, self.imported = set(), {}     # aliases of numpy.linalg; local → its name
        self.findings: list[Finding] = []

    def flag(self, node, found: str, dynamic: bool = False) -> None:
        line = getattr(node, "lineno", 1)
        code = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        self.findings.append(Finding(line, found, code[:120], dynamic))

    def read(self, tree) -> list[Finding]:
        parents = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        for node in ast.walk(tree):                 # imports first: they bind the aliases
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self.imports(node)
        sources = dataflow.Sources(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                self.name(node, parents.get(node))
            elif isinstance(node, ast.Attribute):
                self.attribute(node, node.attr, parents.get(node))
            elif isinstance(node, ast.MatchClass):
                for attr in node.kwd_attrs:
                    self.attribute(node, attr, None)
            elif isinstance(node, ast.Call):
                self.call(node, sources)
            elif isinstance(node, ast.keyword) and node.arg == "allow_pickle":
                self.flag(node, "allow_pickle (a pickle can hold any function)", True)
        return self.findings

    # --- imports ------------------------------------------------------------------------
    def imports(self, node) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if self.module(node, alias.name) and alias.asname \
                        and alias.name == "numpy.linalg":
                    self.linalg.add(alias.asname)
            return
        module = "." * node.level + (node.module or "")
        if not self.module(node, module):
            return
        for alias in node.names:
            local = alias.asname or alias.name
            if alias.name == "*":
                self.flag(node, f"`from {module} import *`", True)
            elif module == "numpy" and alias.name == "linalg":
                self.linalg.add(local)
            elif module == "numpy.linalg":
                self.imported[local] = alias.name
                if alias.name not in self.policy.allowed:
                    self.flag(node, self.linalg_name(alias.name))
            elif alias.name in NUMPY_ODD or alias.name.startswith("_") or (
                    module == "numpy" and alias.name in LINALG - self.policy.allowed):
                self.flag(node, f"{module}.{alias.name}", True)

    def module(self, node, name: str) -> bool:
        top = name.split(".")[0]
        if name in MODULES:
            return True
        if top == "course_lib":
            self.flag(node, f"`{name}`: the reference implementation (course_lib) is not "
                      "available inside your answer", True)
        elif top == "scipy":
            self.flag(node, f"{name} (scipy's solvers and inverses)")
        else:
            self.flag(node, f"the module {name or 'of a relative import'}", True)
        return False

    # --- names and attributes ----------------------------------------------------------
    def name(self, node: ast.Name, parent) -> None:
        ident = node.id
        if ident in DYNAMIC or ident.startswith("__"):
            self.flag(node, f"`{ident}`", True)
        elif ident in self.linalg and isinstance(node.ctx, ast.Load):
            self.linalg_use(node, parent)
        elif ident in self.imported:
            self.call_only(node, self.imported[ident], parent)

    def attribute(self, node, attr: str, parent) -> None:
        if attr.startswith("_"):
            self.flag(node, f"the private or special attribute `{attr}`", True)
        elif attr in FRAMES:
            self.flag(node, f"the frame or code attribute `{attr}`", True)
        elif attr == "linalg":
            self.linalg_use(node, parent)
        elif attr in NUMPY_ODD:
            self.flag(node, f"`.{attr}` (np.matrix's inverse, pickles or numpy's internals)",
                      attr != "I")
        elif attr in (LINALG | SCIPY) - self.policy.allowed:
            self.flag(node, self.linalg_name(attr))
        else:
            self.call_only(node, attr, parent)

    def call_only(self, node, name: str, parent) -> None:
        """Under "inverse", solve/lstsq/matrix_power only as called: their arguments show
        whether they form an inverse, which an alias (`s = np.linalg.solve`) would hide."""
        if self.policy is INVERSE and name in CALL_ONLY and not (
                isinstance(parent, ast.Call) and parent.func is node):
            self.flag(node, f"np.linalg.{name} used other than in a call", True)

    def linalg_use(self, node, parent) -> None:
        """numpy.linalg (or an alias) must be followed at once by an allowed name."""
        if isinstance(parent, ast.Attribute) and parent.value is node:
            attr = parent.attr
            if attr not in self.policy.allowed and not (
                    attr.startswith("_") or attr in LINALG | SCIPY | NUMPY_ODD | FRAMES
                    or attr == "linalg"):          # those are flagged on the parent
                self.flag(node, f"np.linalg.{attr}", True)
            return
        self.flag(node, "numpy.linalg used as a value (aliased, passed or stored): only "
                  "`np.linalg.<name>(...)` can be checked", True)

    def linalg_name(self, attr: str) -> str:
        return f"np.linalg.{attr}" if attr in LINALG else f"scipy's {attr}"

    # --- calls: matrix_power, solve of the identity -------------------------------------
    def callee(self, func) -> str:
        if isinstance(func, ast.Attribute):
            return func.attr
        if isinstance(func, ast.Name):
            return self.imported.get(func.id, func.id)
        return ""

    def call(self, node: ast.Call, sources: dataflow.Sources) -> None:
        name = self.callee(node.func)
        if self.policy is not INVERSE:
            return
        if name == "matrix_power":
            power = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg == "n"), None)
            if not (isinstance(power, ast.Constant) and isinstance(power.value, int)
                    and power.value >= 0):
                self.flag(node, "np.linalg.matrix_power with an exponent that is not a "
                          "literal ≥ 0")
        elif name in ("solve", "lstsq", "tensorsolve"):
            rhs = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg == "b"), None)
            matrix = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "a"), None)
            if rhs is None:
                return
            if sources.from_identity(rhs):
                self.flag(node, f"np.linalg.{name} of the identity matrix (that is the "
                          "inverse, column by column)")
            elif matrix is not None and sources.roots(rhs) <= sources.roots(matrix):
                self.flag(node, f"np.linalg.{name} against a right-hand side computed from "
                          "the matrix itself and constants only (a matrix built by hand, "
                          "such as an identity: that is the inverse, column by column)")
