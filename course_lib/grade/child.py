"""The untrusted side of the grader: runs one answer cell in a sandbox and serves its names.

``sandbox.Sandbox`` starts it as ``python -I -S -B child.py READ_FD WRITE_FD NUMPY_SITE``:
isolated mode, no site-packages (so neither course_lib nor any package but numpy can be
imported), no bytecode written. It talks to the grader over the two pipes with ``wire``:

1. reads "start": the answer cell, the names the check needs, the limits, the paths;
2. sets up its sandbox (``guard``) and says "armed";
3. runs the cell with ``np`` defined and says "ready", describing each requested name: a
   function (with its parameters), a value, or missing; plus the cell's error, if any;
4. answers "call" requests (arguments in, result or exception out, arrays the function
   changed in place, and which of the functions the grader asked to watch it called, e.g.
   ``numpy.linalg.inv``, by name only), until "quit" or the end of the pipe.

The grader never runs the learner's code and the learner's code never sees the checker:
the check and the expected values stay in the grader's process.
"""

import builtins
import os
import sys


def main(argv):
    read_fd, write_fd, site, parent = int(argv[1]), int(argv[2]), argv[3], int(argv[4])
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:0] = [here, site]
    import inspect

    import guard
    import numpy
    import syscalls
    import wire
    del sys.path[:2]

    guard.die_with_parent(parent)
    wire.send(write_fd, {"op": "hello"})           # the interpreter runs: the machine is fine
    reader = wire.Reader(read_fd, 1 << 26)
    try:
        start = reader.read()
        source, names = start["source"], start["names"]
        if type(source) is not str:
            raise TypeError("the answer is not text")
    except BaseException as err:   # noqa: BLE001 - e.g. an answer the JSON cannot carry
        _fail(wire, write_fd, "refused", err)
    try:
        guard.limit_resources(start["memory_mb"], start["cpu_seconds"], start["file_mb"])
        numpy_dirs = [os.path.realpath(os.path.dirname(numpy.__file__)),
                      os.path.realpath(os.path.join(site, "numpy.libs"))]
        abi = 0
        if start["landlock"]:
            abi = guard.landlock(start["readable"] + numpy_dirs, [start["own"], "/dev/null"])
        if start.get("seccomp"):
            syscalls.seccomp(os.getpid())
        guard.forget_ctypes()
        guard.install_audit_hook(start["own"], start["protected"],
                                 start["readable"] + numpy_dirs, start["reference"])
    except BaseException as err:   # noqa: BLE001 - the sandbox could not be set up
        _fail(wire, write_fd, "broken", err)
    sink = Sink()
    sys.stdout = sys.stderr = sink
    wire.send(write_fd, {"op": "armed", "landlock": abi})

    lines = source.splitlines()
    namespace = {"__name__": "__main__", "__builtins__": builtins, "np": numpy,
                 "get_ipython": _no_ipython}

    def error(err):
        try:
            message = str(err)
        except BaseException:   # noqa: BLE001 - a learner's exception may fail to print
            message = "<the message could not be printed>"
        name = type(err).__name__
        if isinstance(err, MemoryError):
            message = f"more than the memory limit of {start['memory_mb']} MB {message}".strip()
        return {"type": str(name)[:60], "message": message[:500],
                "builtin": getattr(builtins, name, None) is type(err),
                "where": _where(err, lines)}

    cell_error = None
    try:
        exec(_compile(source), namespace)
    except BaseException as err:   # noqa: BLE001 - SystemExit and all: report, keep serving
        cell_error = error(err)
    names = {name: _describe(namespace, name, inspect, wire) for name in names}
    wire.send(write_fd, {"op": "ready", "names": names, "cell_error": cell_error,
                         "printed": sink.count})

    def callback(tag, body):
        if tag != "__callback__":
            raise wire.WireError(f"unexpected {tag!r}")

        def call_grader(*args, **kwargs):
            wire.send(write_fd, {"op": "callback", "id": body, "args": wire.encode(args),
                                 "kwargs": wire.encode(kwargs)})
            reply = reader.read()
            if reply["op"] == "callback_raised":
                raise RuntimeError(reply.get("message", "the grader's function failed"))
            return wire.decode(reply["value"])
        return call_grader

    while True:
        try:
            request = reader.read()
        except wire.Closed:
            os._exit(0)
        if request["op"] != "call":
            os._exit(0)
        fn = namespace.get(request["name"])
        args = wire.decode(request["args"], callback)
        kwargs = wire.decode(request["kwargs"], callback)
        before = {i: numpy.array(a) for i, a in enumerate(args) if isinstance(a, numpy.ndarray)}
        seen: list = []
        restore = _watch(request.get("watch") or [], namespace, seen)
        try:
            value = fn(*args, **kwargs)
        except BaseException as err:   # noqa: BLE001 - every kind, SystemExit included
            restore()
            wire.send(write_fd, {"op": "raised", **error(err), "watched": sorted(set(seen))})
            continue
        restore()
        try:
            reply = {"op": "result", "value": wire.encode(value), "printed": sink.count,
                     "watched": sorted(set(seen)),
                     "mutated": {str(i): wire.encode(args[i]) for i, old in before.items()
                                 if not _same(old, args[i], numpy)}}
        except BaseException as err:   # noqa: BLE001 - e.g. a value nested too deeply
            reply = {"op": "raised", **error(err), "watched": sorted(set(seen))}
            reply["message"] = f"its result could not be sent to the grader ({reply['message']})"
        wire.send(write_fd, reply)


def _fail(wire, write_fd, op, err):
    """Tell the grader why the child cannot go on (before any answer code ran), and end."""
    try:
        wire.send(write_fd, {"op": op, "message": f"{type(err).__name__}: {err}"[:500]})
    finally:
        os._exit(3)


def _compile(source):
    """The answer cell compiled; if it does not compile and holds IPython syntax (magics,
    shell commands, ``x?``), those lines become ``get_ipython()`` calls that fail with a
    clear message (the sandbox has no IPython), so the lines before them still run."""
    try:
        return compile(source, "<answer cell>", "exec")
    except SyntaxError:
        changed = magics_as_calls(source)
        if changed == source:
            raise
        try:
            return compile(changed, "<answer cell>", "exec")
        except SyntaxError:
            pass
        raise


def magics_as_calls(source: str) -> str:
    """``source`` with each line of IPython syntax replaced by ``get_ipython()`` (same
    indentation, same line numbers); a cell magic (``%%``) replaces the whole cell. One pass."""
    lines = source.split("\n")
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("%%"):
        return "get_ipython()" + "\n" * (len(lines) - 1)
    out = []
    for line in lines:
        text = line.strip()
        if text.startswith(("%", "!")) or (text.endswith("?") and "#" not in text):
            line = line[:len(line) - len(line.lstrip())] + "get_ipython()"
        out.append(line)
    return "\n".join(out)


class Sink:
    """Stands for stdout and stderr: counts what the answer prints and keeps none of it."""

    encoding, errors = "utf-8", "replace"

    def __init__(self):
        self.count = 0

    def write(self, text):
        self.count += len(text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def _no_ipython():
    raise RuntimeError("IPython magics and shell commands (% and !) do not run while grading: "
                       "remove them from your answer cell")


def _describe(namespace, name, inspect, wire):
    """What the check will see of ``name``: a function with its parameters, a value, or none."""
    if name not in namespace:
        return {"kind": "missing"}
    value = namespace[name]
    try:
        if not callable(value):
            return {"kind": "value", "value": wire.encode(value)}
        try:
            params = [[p.name, int(p.kind), p.default is not p.empty]
                      for p in inspect.signature(value).parameters.values()]
        except (TypeError, ValueError):
            params = None
        return {"kind": "function", "params": params}
    except BaseException:   # noqa: BLE001 - a hostile object: describe it by its type only
        return {"kind": "value", "value": {"__opaque__": type(value).__name__[:60]}}


def _where(err, lines):
    """'line 3 of your answer cell, in momentum_step: `v = v / 0`': the deepest line of the
    answer cell in the traceback of ``err``."""
    tb, found = err.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<answer cell>":
            found = (tb.tb_lineno, tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    if found is None:
        return ""
    lineno, function = found
    text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
    place = f"line {lineno} of your answer cell"
    place += "" if function == "<module>" else f", in {function}"
    return f"{place}: `{text[:120]}`" if text else place


def _watch(names, namespace, seen):
    """Wrap the functions called ``names`` ("numpy.linalg.inv"), also where the answer's
    globals hold them, so that calls are noted in ``seen``; returns the function undoing it."""
    places = []
    for dotted in names:
        module_name, _, attr = str(dotted).rpartition(".")
        module = sys.modules.get(module_name)
        original = getattr(module, attr, None) if module is not None else None
        if not callable(original):
            continue
        spy = _spy(original, str(dotted), seen)
        targets = [(module.__dict__, attr)] + [(namespace, key) for key, value
                                               in list(namespace.items()) if value is original]
        for place, key in targets:
            places.append((place, key, original))
            place[key] = spy

    def restore():
        for place, key, original in reversed(places):
            place[key] = original
    return restore


def _spy(original, name, seen):
    def spy(*args, **kwargs):
        seen.append(name)
        return original(*args, **kwargs)
    return spy


def _same(old, new, numpy):
    return (isinstance(new, numpy.ndarray) and old.shape == new.shape
            and numpy.array_equal(old, new, equal_nan=old.dtype.kind in "fc"))


if __name__ == "__main__":
    main(sys.argv)
