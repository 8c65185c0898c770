"""The grader's wire format: length-prefixed JSON frames, with tagged numpy arrays.

Both sides use it: the trusted grader (``course_lib.grade.wire``) and the sandboxed child,
which loads this file by path and may import nothing but the standard library and numpy.
Never pickle: decoding a frame builds only None, bools, numbers, strings, lists, tuples,
dicts with string keys, Ellipsis and numeric numpy arrays, so a hostile reply is at worst
wrong data (``WireError``), never code.
"""

from __future__ import annotations

import base64
import json
import math
import os
import select
import time

import numpy as np

HEADER = 4                       # bytes of big-endian frame length
MAX_DEPTH = 32                   # nesting of lists/tuples/dicts in one value
ARRAY_KINDS = "biufc"            # bool, int, uint, float, complex: the only arrays sent


class WireError(ValueError):
    """A frame or value that does not follow the format."""


class Closed(EOFError):
    """The other side closed its end of the pipe."""


class Deadline(TimeoutError):
    """No complete frame before the deadline."""


# --- values ------------------------------------------------------------------------------
def encode(value, on_callable=None, depth: int = 0):
    """``value`` as JSON-able data. Anything else becomes an opaque ``{"__opaque__": type}``;
    callables go through ``on_callable(fn) -> tag`` when given."""
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, str):
        return "".join(("", value))                  # a str subclass, as a plain str
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (complex, np.complexfloating)):
        return {"__complex__": [float(value.real), float(value.imag)]}
    if value is Ellipsis:
        return {"__ellipsis__": 1}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in ARRAY_KINDS or value.dtype.hasobject:
            return {"__opaque__": f"array of {value.dtype}"}
        array = np.ascontiguousarray(value).view(np.ndarray)
        data = base64.b64encode(array.tobytes()).decode("ascii")
        return {"__array__": [array.dtype.str, list(array.shape), data]}
    if isinstance(value, (tuple, list)):
        items = [encode(item, on_callable, depth + 1) for item in value]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    if isinstance(value, dict) and all(type(k) is str for k in dict.keys(value)):
        return {"__dict__": [[k, encode(v, on_callable, depth + 1)]
                             for k, v in dict.items(value)]}
    if callable(value) and on_callable is not None:
        return on_callable(value)
    return {"__opaque__": type(value).__name__[:60]}


def decode(data, on_tag=None, depth: int = 0):
    """The value ``encode`` described; ``on_tag(tag, body)`` handles extra tags (callbacks,
    opaque objects). ``WireError`` for anything else, whatever the data."""
    try:
        return _decode(data, on_tag, depth)
    except WireError:
        raise
    except (ValueError, TypeError, OverflowError, MemoryError, RecursionError) as err:
        raise WireError(f"not a value ({type(err).__name__})") from None


def _decode(data, on_tag=None, depth: int = 0):
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [_decode(item, on_tag, depth + 1) for item in data]
    if not isinstance(data, dict) or len(data) != 1:
        raise WireError(f"not a value: {type(data).__name__}")
    (tag, body), = data.items()
    if tag == "__tuple__" and isinstance(body, list):
        return tuple(_decode(item, on_tag, depth + 1) for item in body)
    if tag == "__dict__" and isinstance(body, list):
        pairs = [(k, v) for k, v in (_pair(item) for item in body)]
        return {k: _decode(v, on_tag, depth + 1) for k, v in pairs}
    if tag == "__array__":
        return _array(body)
    if tag == "__complex__" and isinstance(body, list) and len(body) == 2:
        return complex(float(body[0]), float(body[1]))
    if tag == "__ellipsis__":
        return Ellipsis
    if on_tag is not None:
        return on_tag(tag, body)
    raise WireError(f"unknown tag {tag[:40]!r}")


def _pair(item):
    if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
        raise WireError("bad dict item")
    return item[0], item[1]


def _array(body) -> np.ndarray:
    if not (isinstance(body, list) and len(body) == 3 and isinstance(body[0], str)
            and isinstance(body[1], list) and isinstance(body[2], str)):
        raise WireError("bad array")
    try:
        dtype = np.dtype(body[0])
    except TypeError as err:
        raise WireError(f"bad dtype {body[0][:20]!r}") from err
    shape = body[1]
    if (dtype.kind not in ARRAY_KINDS or dtype.hasobject or len(shape) > MAX_DEPTH
            or not all(type(n) is int and 0 <= n < 2**40 for n in shape)):
        raise WireError("bad array dtype or shape")
    raw = base64.b64decode(body[2].encode("ascii"), validate=True)
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise WireError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


# --- frames -----------------------------------------------------------------------------
def pack(message: dict) -> bytes:
    payload = json.dumps(message, separators=(",", ":")).encode("utf-8")
    return len(payload).to_bytes(HEADER, "big") + payload


def send(fd: int, message: dict, deadline: float | None = None) -> None:
    """Write one frame; with a deadline, never block past it (``Deadline``)."""
    data = memoryview(pack(message))
    while data:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([], [fd], [], remaining)[1]:
                raise Deadline("the other side did not read in time")
        try:
            written = os.write(fd, data[:65536])
        except BrokenPipeError as err:
            raise Closed("the other side closed the pipe") from err
        data = data[written:]


class Reader:
    """Reads frames from ``fd``, at most ``limit`` bytes each."""

    def __init__(self, fd: int, limit: int):
        self.fd, self.limit, self.buffer = fd, limit, bytearray()

    def read(self, deadline: float | None = None) -> dict:
        while True:
            frame = self._frame()
            if frame is not None:
                return frame
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                    raise Deadline("no reply in time")
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                raise Closed("the other side closed the pipe")
            self.buffer += chunk

    def _frame(self):
        if len(self.buffer) < HEADER:
            return None
        size = int.from_bytes(self.buffer[:HEADER], "big")
        if size > self.limit:
            raise WireError(f"a message of {size} bytes, more than the limit of {self.limit}")
        if len(self.buffer) < HEADER + size:
            return None
        payload = bytes(self.buffer[HEADER:HEADER + size])
        del self.buffer[:HEADER + size]
        try:
            message = json.loads(payload.decode("utf-8"))
        except (ValueError, RecursionError) as err:
            raise WireError(f"unreadable message ({type(err).__name__})") from err
        if not isinstance(message, dict) or not isinstance(message.get("op"), str):
            raise WireError("a message without an operation")
        return message
