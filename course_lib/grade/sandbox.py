"""The grader's side of one sandboxed child: start it, talk to it, stop it, say why it stopped.

One ``Sandbox`` per (submission, exercise): a fresh ``python -I -S -B child.py`` in its own
process group and session, in a fresh empty folder, with a scrubbed environment, stdout
thrown away and stderr kept (capped by the file-size limit) only to diagnose a crash. The
wall-clock limit covers everything the exercise does (start-up, the answer cell and every
call) and is enforced here, with ``select`` on the pipe and SIGKILL to the process group.
Anything unexpected (a time-out, a crash, garbage on the pipe) stops the child, and the
reason is kept in ``Sandbox.reason`` for the feedback.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import wire

CHILD = str(Path(__file__).with_name("child.py"))
NUMPY_SITE = os.path.dirname(os.path.dirname(np.__file__))
STDLIB = sorted({os.path.realpath(sysconfig.get_paths()[key])
                 for key in ("stdlib", "platstdlib")})
REFERENCE = os.path.realpath(Path(__file__).parents[1])        # the course_lib package


@dataclass(frozen=True)
class Limits:
    """What one exercise of one submission may use."""

    timeout: float = 10.0      # wall-clock seconds for everything the exercise does
    memory_mb: int = 512       # address space of the child
    file_mb: int = 16          # largest file it may write (in its own folder)
    reply_mb: int = 16         # largest message it may send


@dataclass(frozen=True)
class Jail:
    """Where the children live and what they may not touch (real paths)."""

    temp_root: str
    protected: tuple = ()
    landlock: bool = True
    seccomp: bool = False      # the child installs guard.seccomp_program (required if True)


class Stopped(Exception):
    """The child was stopped; the message says why, in words for the learner."""


class SandboxBroken(RuntimeError):
    """The sandbox itself failed to start (a problem of the grading machine, not the answer)."""


SIGNALS = {signal.SIGKILL: "was killed (SIGKILL), e.g. by os.kill on its own process",
           signal.SIGXCPU: "used up its CPU time",
           signal.SIGSEGV: "crashed (segmentation fault, e.g. endless recursion)",
           signal.SIGABRT: "aborted (SIGABRT)",
           signal.SIGTERM: "was terminated (SIGTERM)"}


class Sandbox:
    """A child running ``source``, ready to describe ``names`` and to call them."""

    def __init__(self, source: str, names, limits: Limits, jail: Jail):
        self.limits, self.reason, self.landlock = limits, None, 0
        self.names, self.required = tuple(names), jail.landlock
        self.deadline = time.monotonic() + limits.timeout
        self.own = os.path.realpath(tempfile.mkdtemp(prefix="answer-", dir=jail.temp_root))
        self.stderr = tempfile.TemporaryFile(dir=jail.temp_root)
        child_read, self._write = os.pipe()
        self._read, child_write = os.pipe()
        env = {"PATH": "/usr/bin:/bin", "HOME": self.own, "TMPDIR": self.own,
               "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1"}
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-B", CHILD, str(child_read), str(child_write),
                 NUMPY_SITE, str(os.getpid())], pass_fds=(child_read, child_write),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr,
                cwd=self.own, env=env, start_new_session=True)
        finally:
            os.close(child_read)
            os.close(child_write)
        self.reader = wire.Reader(self._read, limits.reply_mb << 20)
        self._send({"op": "start", "source": source, "names": list(names),
                    "memory_mb": limits.memory_mb, "file_mb": limits.file_mb,
                    "cpu_seconds": math.ceil(limits.timeout) + 2, "own": self.own,
                    "readable": STDLIB, "protected": list(jail.protected),
                    "reference": [REFERENCE], "landlock": jail.landlock,
                    "seccomp": jail.seccomp}, "starting")

    # --- the conversation ---------------------------------------------------------------
    def start(self) -> dict:
        """Run the answer cell; the "ready" message (names, cell_error, printed), checked:
        everything from then on comes from the answer's process and is not trusted."""
        if self._receive("starting").get("op") != "hello":
            raise SandboxBroken("the sandbox did not start properly")
        armed = self._receive("setting up")
        if armed.get("op") == "refused":       # the child could not take the answer in
            self._stop(f"could not take your answer cell in ({str(armed.get('message'))[:300]})")
        if armed.get("op") != "armed":
            raise SandboxBroken("the sandbox could not be set up: "
                                f"{str(armed.get('message', armed.get('op')))[:300]}")
        abi = armed.get("landlock")
        self.landlock = abi if type(abi) is int and 0 <= abi < 100 else 0
        if self.required and not self.landlock:
            raise SandboxBroken("Landlock was required but the kernel did not apply it in the "
                                "sandbox")
        return self._checked(self._receive("the run of your answer cell"))

    def _checked(self, ready: dict) -> dict:
        """The "ready" message reduced to what the checker reads, each part of the expected
        type and size; a value the checker could not decode stops the child here."""
        names = ready.get("names")
        if ready.get("op") != "ready" or not isinstance(names, dict):
            self._stop("sent something unexpected instead of running your answer cell")
        clean = {}
        for name in self.names:
            info = names.get(name)
            kind = info.get("kind") if isinstance(info, dict) else None
            if kind == "function":
                clean[name] = {"kind": "function", "params": _params(info.get("params"))}
            elif kind == "value":
                try:
                    wire.decode(info.get("value"), _opaque)
                except wire.WireError as err:
                    self._stop(f"sent a value of {name} the grader could not read ({err})")
                clean[name] = {"kind": "value", "value": info.get("value")}
            else:
                clean[name] = {"kind": "missing"}
        error, printed = ready.get("cell_error"), ready.get("printed")
        if isinstance(error, dict):
            error = {key: str(error.get(key) or "")[:500] for key in ("type", "message", "where")}
        return {"op": "ready", "names": clean, "cell_error": error or None,
                "printed": printed if type(printed) is int and printed >= 0 else 0}

    def call(self, name: str, args: tuple, kwargs: dict, what: str, watch=()):
        """``name(*args, **kwargs)`` in the child: the "result" message (value, mutated arrays,
        which functions of ``watch`` were called) or the "raised" one (the error).
        Callables among the arguments are called back here."""
        if self.reason is not None:
            raise Stopped(self.reason)
        callbacks: list = []

        def register(fn):
            callbacks.append(fn)
            return {"__callback__": len(callbacks) - 1}

        done = False
        try:
            self._send({"op": "call", "name": name, "watch": list(watch),
                        "args": wire.encode(tuple(args), register),
                        "kwargs": wire.encode(dict(kwargs), register)}, what)
            while True:
                reply = self._receive(what)
                if reply.get("op") != "callback":
                    break
                self._answer_callback(reply, callbacks, what)
            done = True
        finally:
            if not done and self.reason is None:      # e.g. the check's own time limit
                self._kill(f"was stopped during {what}, which did not return in time")
        return reply

    def _answer_callback(self, reply, callbacks, what):
        index = reply.get("id")
        if not (isinstance(index, int) and 0 <= index < len(callbacks)):
            self._stop(f"sent an unreadable message during {what}")
        try:
            args, kwargs = wire.decode(reply.get("args")), wire.decode(reply.get("kwargs"))
            answer = {"op": "callback_result",
                      "value": wire.encode(callbacks[index](*args, **dict(kwargs)))}
        except Exception as err:   # noqa: BLE001 - the learner passed bad arguments
            answer = {"op": "callback_raised", "message": f"{type(err).__name__}: {err}"[:500]}
        self._send(answer, what)

    def close(self) -> None:
        """Stop the child (if still running) and remove its folder."""
        if self.proc.poll() is None:
            try:
                wire.send(self._write, {"op": "quit"}, time.monotonic() + 0.05)
                self.proc.wait(timeout=0.2)
            except (wire.Closed, wire.Deadline, OSError, subprocess.TimeoutExpired):
                pass
        self._kill(None)
        for fd in (self._read, self._write):
            try:
                os.close(fd)
            except OSError:
                pass
        self.stderr.close()
        shutil.rmtree(self.own, ignore_errors=True)

    # --- plumbing -----------------------------------------------------------------------
    def _send(self, message: dict, what: str) -> None:
        try:
            wire.send(self._write, message, self.deadline)
        except wire.Deadline:
            self._stop(self._timeout_reason(what))
        except (wire.Closed, OSError):
            self._stop(self._exit_reason(what))

    def _receive(self, what: str) -> dict:
        try:
            return self.reader.read(self.deadline)
        except wire.Deadline:
            self._stop(self._timeout_reason(what))
        except wire.WireError as err:
            self._stop(f"sent data the grader could not read during {what} ({err})")
        except (wire.Closed, OSError):
            self._stop(self._exit_reason(what))

    def _timeout_reason(self, what: str) -> str:
        if what in ("starting", "setting up"):
            raise SandboxBroken("the sandbox did not start within the time limit "
                                f"({self.limits.timeout:g} s): is the machine overloaded?")
        return (f"ran out of time during {what}: this exercise may use {self.limits.timeout:g} s "
                "in all (is there an endless loop?)")

    def _exit_reason(self, what: str) -> str:
        try:
            code = self.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return f"closed its connection to the grader during {what}"
        if code < 0:
            text = SIGNALS.get(-code, f"was stopped by signal {-code}")
            return f"{text} during {what}"
        if what in ("starting", "setting up"):
            self.stderr.seek(0)
            detail = self.stderr.read(2000).decode("utf-8", "replace").strip()
            raise SandboxBroken(f"the sandbox did not start (exit status {code}): {detail}")
        return (f"ended unexpectedly (exit status {code}: os._exit, or a change your code made "
                f"to Python itself?) during {what}")

    def _stop(self, reason: str):
        self._kill(reason)
        raise Stopped(self.reason)

    def _kill(self, reason: str | None) -> None:
        if reason is not None and self.reason is None:
            self.reason = f"the process running your answer {reason}"
        try:            # the whole group, even if the child itself has ended
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            pass


def _opaque(tag, body):
    """The tags ``proxy.on_tag`` accepts besides the wire's own."""
    if tag == "__opaque__" and isinstance(body, str):
        return None
    raise wire.WireError(f"unexpected tag {tag[:40]!r}")


def _params(params):
    """The child's description of a function's parameters, if well formed (else None: the
    proxy then takes any arguments)."""
    if not (isinstance(params, list) and len(params) <= 100):
        return None
    for item in params:
        if not (isinstance(item, list) and len(item) == 3 and type(item[0]) is str
                and item[0].isidentifier() and len(item[0]) <= 100
                and type(item[1]) is int and 0 <= item[1] <= 4 and type(item[2]) is bool):
            return None
    return params
