"""Call a learner's function safely: with a time limit, catching everything it raises.

On POSIX, in the main thread (where Jupyter runs cells), a SIGALRM timer interrupts even
``while True: pass``. Elsewhere (Windows, worker threads) the call runs in a daemon thread
that is abandoned after the time limit: the check answers, but an endless loop keeps using
a CPU core until the kernel restarts.
"""

from __future__ import annotations

import os
import signal
import sysconfig
import threading
import time
import traceback
import warnings
from dataclasses import dataclass

import numpy as np

# Frames in course_lib (these checks, a lesson's checks, the grader's stand-ins for a
# learner's functions) are never the learner's code: under the grader, the learner's line
# comes in the exception's message from the sandbox.
_COURSE_DIRS = (os.path.dirname(os.path.dirname(os.path.abspath(__file__))),)
_LIBRARY_DIRS = tuple({os.path.abspath(sysconfig.get_paths()[key])
                       for key in ("stdlib", "purelib", "platlib")})


@dataclass
class Outcome:
    """What a call did: ``kind`` is ``"returned"``, ``"raised"`` or ``"timeout"``."""

    kind: str
    value: object = None
    error: BaseException | None = None
    where: str = ""        # e.g. "line 2 of gd_step: `return theta / 0`"


class _TimeOut(BaseException):
    """Raised by the timer; a BaseException so that ``except Exception`` cannot swallow it."""


def safe_call(fn, args, timeout: float) -> Outcome:
    """Call ``fn(*args)``; never raise (except KeyboardInterrupt)."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        try:
            return _call_with_alarm(fn, args, timeout)
        except _AlarmUnavailable:
            pass
    return _call_in_thread(fn, args, timeout)


class _AlarmUnavailable(Exception):
    pass


def _quietly(fn, args):
    # Overflow warnings from a learner's arithmetic would clutter the notebook output.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args)


def _call_with_alarm(fn, args, timeout):
    timed_out, running = [], [True]

    def on_alarm(signum, frame):
        if running:            # not once the call has returned: that is no time-out
            timed_out.append(True)
            raise _TimeOut

    try:
        old_handler = signal.signal(signal.SIGALRM, on_alarm)
    except (ValueError, OSError) as err:     # not the main interpreter, etc.
        raise _AlarmUnavailable from err
    start = time.monotonic()
    # The timer repeats every 50 ms after the first alarm, so that a bare `except:` inside
    # the learner's loop cannot swallow the interruption for good.
    outer = signal.setitimer(signal.ITIMER_REAL, timeout, 0.05)
    try:
        outcome = Outcome("returned", value=_quietly(fn, args))
    except _TimeOut:
        outcome = Outcome("timeout")
    except KeyboardInterrupt:
        raise
    except BaseException as err:   # noqa: BLE001 - report whatever the learner's code raised
        outcome = Outcome("raised", error=err, where=where(err, fn))
    finally:
        running.clear()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if outer[0] > 0:   # someone else's timer (e.g. pytest-timeout): give it back
            remaining = max(outer[0] - (time.monotonic() - start), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, remaining, outer[1])
    return Outcome("timeout") if timed_out else outcome


def _call_in_thread(fn, args, timeout):
    box = {}

    def run():
        try:
            box["outcome"] = Outcome("returned", value=_quietly(fn, args))
        except BaseException as err:   # noqa: BLE001
            box["outcome"] = Outcome("raised", error=err, where=where(err, fn))

    thread = threading.Thread(target=run, daemon=True, name="course_lib-check")
    thread.start()
    thread.join(timeout)
    return box.get("outcome", Outcome("timeout"))


def where(err: BaseException, fn) -> str:
    """The learner's line that raised ``err``, e.g. "line 2 of gd_step: `return 1 / 0`".

    The deepest frame outside numpy, the standard library and this package is taken to be
    the learner's; line numbers count from the ``def`` line, so they do not depend on where
    the function sits in a notebook cell.
    """
    frames = [frame for frame in traceback.extract_tb(err.__traceback__)
              if not os.path.abspath(frame.filename).startswith(_LIBRARY_DIRS + _COURSE_DIRS)]
    if not frames:
        return ""
    frame = frames[-1]
    code = getattr(fn, "__code__", None)
    if code is not None and frame.filename == code.co_filename and frame.name == code.co_name:
        place = f"line {frame.lineno - code.co_firstlineno + 1} of {code.co_name}"
    else:
        place = f"in {frame.name}"
    return f"{place}: `{frame.line}`" if frame.line else place
