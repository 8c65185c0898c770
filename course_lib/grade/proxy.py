"""What the trusted checker sees of a learner's names: proxies and plain values.

A learner's function becomes a ``RemoteFunction``: calling it sends the arguments to the
sandboxed child and returns the decoded result; an exception there is raised here again as
the same built-in exception (so that the checks' diagnoses, e.g. "still raises
NotImplementedError", keep working) or as a ``LearnerError`` subclass with the same name.
Arrays the function changed in place are changed here too, so the checks' "inputs changed
in place" diagnosis works across the process boundary. Calls the function made of
``REPLAYED`` functions (``np.linalg.inv``...) are made once more here, harmlessly, so that a
check's own spy on them (e.g. ``check_newton_step``'s tripwire on an explicit inverse) fires
as it does in the learner's notebook. Values become plain numbers, arrays, None...; anything
else becomes an ``Opaque`` stand-in named after the learner's type.
"""

from __future__ import annotations

import builtins
import inspect
import sys
from contextlib import contextmanager

import numpy as np

from . import wire

# Exceptions never re-raised as themselves in the checker: they would stop the grader.
NOT_REPLAYED = {"SystemExit", "KeyboardInterrupt", "GeneratorExit"}

# Functions whose calls by the learner's function are replayed in the checker: the child
# watches them during every call and names those called; each named one is called here once,
# on a 1×1 identity matrix, through its module (so through any spy a check has put there).
# The child's list is untrusted: only these names are replayed, each at most once per call.
REPLAYED = ("numpy.linalg.inv", "numpy.linalg.pinv")


class LearnerError(Exception):
    """An exception of a learner's code that is not a built-in one (or must not be replayed)."""


class Opaque:
    """Stands for a value of a type that cannot cross the sandbox (a class instance...)."""

    def __repr__(self) -> str:
        return f"<a {type(self).__name__} from your answer>"


_CLASSES: dict = {}


def named(base: type, name: str) -> type:
    """A subclass of ``base`` called ``name`` (describe() and messages use the type's name)."""
    key = (base, name)
    if key not in _CLASSES:
        safe = name if name.isidentifier() else "Unknown"
        _CLASSES[key] = type(safe, (base,), {"__module__": "submission"})
    return _CLASSES[key]


def on_tag(tag: str, body):
    """Extra wire tags the child may send: opaque values only."""
    if tag == "__opaque__" and isinstance(body, str):
        return named(Opaque, body[:60])()
    raise wire.WireError(f"unexpected tag {tag[:40]!r}")


def exception(info: dict) -> Exception:
    """The exception to raise in the checker for the child's description ``info``."""
    name = str(info.get("type", "Exception"))[:60]
    message = str(info.get("message", ""))[:500]
    if info.get("where"):
        message = f"{message} ({str(info['where'])[:200]})"
    cls = getattr(builtins, name, None)
    if (info.get("builtin") and isinstance(cls, type) and issubclass(cls, Exception)
            and name not in NOT_REPLAYED):
        try:
            return cls(message)
        except Exception:   # noqa: BLE001 - e.g. UnicodeDecodeError needs five arguments
            pass
    return named(LearnerError, name)(message)


class RemoteFunction:
    """A learner's function, living in the sandbox; calls travel over the pipe."""

    def __init__(self, sandbox, name: str, params):
        self._sandbox, self._watch, self._seen = sandbox, (), None
        self.__name__ = self.__qualname__ = name
        if params is not None:
            self.__signature__ = _signature(params)

    @contextmanager
    def watching(self, names):
        """Within the block, note which of the functions ``names`` ("numpy.linalg.inv") the
        learner's function calls; yields the list of those called. For checks that judge
        *how* an answer computes: under the grader the function runs in another process, so
        patching numpy here sees only the calls of ``REPLAYED`` functions."""
        seen: list = []
        self._watch, self._seen = tuple(names), seen
        try:
            yield seen
        finally:
            self._watch, self._seen = (), None

    def __call__(self, *args, **kwargs):
        watch = tuple(dict.fromkeys((*self._watch, *REPLAYED)))
        reply = self._sandbox.call(self.__name__, args, kwargs, f"a call of {self.__name__}",
                                   watch)
        called = _called(reply.get("watched"), watch)
        if self._seen is not None:
            self._seen.extend(name for name in called if name in self._watch)
        replay(called)
        if reply.get("op") == "raised":
            raise exception(reply)
        if reply.get("op") != "result":
            raise LearnerError(f"{self.__name__} sent an unexpected reply")
        try:
            _copy_back(args, reply.get("mutated") or {})
            return wire.decode(reply.get("value"), on_tag)
        except wire.WireError as err:       # a forged or garbled reply: the answer's fault
            raise LearnerError(f"the result of {self.__name__} could not be read by the "
                               f"grader ({str(err)[:200]})") from None

    def __repr__(self) -> str:
        return f"<your function {self.__name__}>"


def _called(watched, watch: tuple) -> list:
    """The names of ``watch`` in the child's (untrusted) list of watched functions it called,
    each once, in the order of ``watch``."""
    if not isinstance(watched, list):
        return []
    named = {name for name in watched if isinstance(name, str)}
    return [name for name in watch if name in named]


def replay(names) -> None:
    """Call each of ``names`` that is in ``REPLAYED`` once, as it is now bound in its module
    here (a check's spy, or numpy's own function), on a 1×1 identity matrix."""
    for dotted in names:
        if dotted not in REPLAYED:
            continue
        module_name, _, attr = dotted.rpartition(".")
        fn = getattr(sys.modules.get(module_name), attr, None)
        if callable(fn):
            fn(np.eye(1))


def value(data):
    """A learner's plain value (a number, an array...) as the checker sees it."""
    return wire.decode(data, on_tag)


class _Default:
    def __repr__(self) -> str:
        return "..."


_P = inspect.Parameter
KINDS = (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD, _P.VAR_POSITIONAL, _P.KEYWORD_ONLY,
         _P.VAR_KEYWORD)


def _signature(params) -> inspect.Signature:
    """The learner's parameters as the child described them; (*args, **kwargs) if garbled."""
    try:
        return inspect.Signature([
            _P(str(name), KINDS[int(kind)], default=_Default() if has_default else _P.empty)
            for name, kind, has_default in params])
    except (TypeError, ValueError, IndexError):
        return inspect.Signature([_P("args", _P.VAR_POSITIONAL), _P("kwargs", _P.VAR_KEYWORD)])


def _copy_back(args, mutated: dict) -> None:
    """Apply in-place changes the learner's function made to array arguments."""
    if not isinstance(mutated, dict):
        raise wire.WireError("the changed arguments are not a dict")
    for key, data in mutated.items():
        index = int(key) if isinstance(key, str) and key.isdigit() and len(key) < 6 else -1
        if 0 <= index < len(args) and isinstance(args[index], np.ndarray):
            new = wire.decode(data, on_tag)
            if isinstance(new, np.ndarray) and new.shape == args[index].shape \
                    and args[index].flags.writeable:
                np.copyto(args[index], new, casting="unsafe")
