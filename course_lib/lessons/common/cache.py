"""``@cached``: a lesson's slow, deterministic experiment computed once per test session.

The course's tests execute every notebook three times (nbval on the learner version, the
instructor version with its hidden tests, and Run All in a real browser), and the lessons'
unit tests call the same experiments again. Each experiment is a pure function of its
arguments and of the course's code (every run is seeded), so its result can be kept.

The cache is off unless the environment variable ``COURSE_CACHE_DIR`` names a folder: a
learner's notebook always computes. The test suite sets it (``conftest.py``), and the
kernels and JupyterLab it starts inherit it. A result is stored under a key made of

- the function (its module and name) and its arguments, defaults filled in;
- a digest of every ``.py`` file of ``course_lib`` (a changed line anywhere recomputes);
- the versions of Python and numpy.

Only plain data can be part of a key: numbers, strings, None, numpy arrays and scalars, and
tuples, lists, sets and dicts of them. Anything else (a learner's function, an optimizer
object) cannot be compared by value, so such a call simply computes, as does a result that
cannot be pickled. A damaged or unreadable entry is recomputed, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import pickle
import platform
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

ENVIRONMENT = "COURSE_CACHE_DIR"
PACKAGE = Path(__file__).resolve().parents[2]          # course_lib/


class _NotPlainData(Exception):
    """An argument that cannot be compared by value: the call is not cached."""


def cached(function):
    """Keep ``function``'s results in ``$COURSE_CACHE_DIR`` (when it is set) by their inputs."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        folder = os.environ.get(ENVIRONMENT)
        if not folder:
            return function(*args, **kwargs)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return function(*args, **kwargs)          # let the function raise its own error
        bound.apply_defaults()
        try:
            key = _key(function, bound.arguments)
        except _NotPlainData:
            return function(*args, **kwargs)
        path = Path(folder) / source_digest()[:16] / f"{key}.pickle"
        try:
            with open(path, "rb") as stored:
                return pickle.load(stored)
        except Exception:                             # absent or damaged: compute it again
            pass
        result = function(*args, **kwargs)
        _store(path, result)
        return result

    return wrapper


def _key(function, arguments: dict) -> str:
    text = repr((function.__module__, function.__qualname__,
                 tuple((name, _plain(value)) for name, value in arguments.items())))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value):
    """``value`` as nested tuples of builtins that compare (and print) by value."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return (type(value).__name__, repr(value))
    if isinstance(value, np.generic) and value.dtype != object:
        return ("numpy", value.dtype.str, repr(value.item()))
    if isinstance(value, np.ndarray) and value.dtype != object:
        data = np.ascontiguousarray(value)
        return ("ndarray", value.dtype.str, value.shape, hashlib.sha256(data.tobytes()).hexdigest())
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_plain(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return (type(value).__name__, tuple(sorted(repr(_plain(v)) for v in value)))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(_plain(k)), _plain(v)) for k, v in value.items())))
    raise _NotPlainData(type(value).__name__)


def _store(path: Path, result) -> None:
    """Write atomically (a temporary file, then a rename): two processes computing the same
    experiment at once both write whole files, and a reader never sees half of one."""
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:                                 # e.g. a lambda inside: keep computing
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:                                   # a full or read-only disk: no cache
        pass


@lru_cache(maxsize=1)
def source_digest() -> str:
    """A digest of every ``.py`` file of the course's package, and of Python's and numpy's
    versions: the code that decides every cached result."""
    digest = hashlib.sha256(f"{platform.python_version()} numpy {np.__version__}".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
