"""The sandbox the child process puts itself in before it runs a learner's answer.

Child side only: this file is loaded by ``child.py`` by path and uses the standard library
alone. Four layers, each set up while the child is still trusted:

1. ``limit_resources``: address space, CPU time and file size limits (``setrlimit``), no
   core files, no new processes (the last one is ignored for root).
2. ``landlock`` (Linux ≥ 5.13 when the kernel allows it): the kernel then lets the process
   read only the Python standard library and numpy and write only its own folder; from
   Landlock ABI 4 it may open no TCP connection and from ABI 6 signal no process outside
   the sandbox; it can never ptrace the grader. Before all of them, ``die_with_parent``.
3. ``syscalls.seccomp`` (Linux x86-64, in ``syscalls.py``): the kernel refuses the system
   calls that reach other processes (signals, pidfds, ptrace, their memory or limits),
   start programs or processes (threads stay allowed), open sockets or change namespaces,
   whatever the Python code does to get around the audit hook; the grader's safety where
   Landlock is missing (``--unsafe``) rests on it for signals and processes, not for files.
4. ``install_audit_hook`` (PEP 578, cannot be removed): refuses imports of ``course_lib``
   (the reference implementation) and of ctypes, subprocess, sockets..., opening protected
   paths, writing or deleting outside its folder, starting programs, signalling other
   processes, tracing other frames (settrace) and gc introspection. Since audit events do
   not carry ``dir_fd``, it also keeps every relative path inside the folder: no ``..`` in
   relative paths, no ``chdir`` and no opening of folders outside it.

The hook reads nothing the learner's code can change: its settings and the C functions it
calls are bound as default arguments when it is made, it calls no Python function, and it
looks up no global or builtin name at run time.
"""

from __future__ import annotations

import os
import platform
import resource
import signal
import sys

# Modules an answer may not import, by top-level name.
REFERENCE = "course_lib"
DENIED_MODULES = frozenset({
    REFERENCE, "ctypes", "_ctypes", "cffi", "_cffi_backend", "_posixsubprocess", "subprocess",
    "multiprocessing", "_multiprocessing", "socket", "_socket", "ssl", "_ssl", "pty",
    "_xxsubinterpreters", "_xxinterpchannels", "_interpreters", "_interpchannels",
    "nbgrader", "IPython"})
DENIED_EVENTS = frozenset({
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "subprocess.Popen", "pty.spawn", "os.startfile", "os.symlink", "os.link",
    "sys.settrace", "sys.setprofile", "sys.monitoring.register_callback",
    "gc.get_objects", "gc.get_referrers", "gc.get_referents",
    "resource.setrlimit", "resource.prlimit", "cpython.PyInterpreterState_New",
    "sys.remote_exec", "os.chroot", "os.setns", "os.unshare"})
DENIED_PREFIXES = ("ctypes.", "socket.", "_winapi.", "winreg.", "webbrowser.", "urllib.",
                   "http.", "ftplib.", "smtplib.", "poplib.", "imaplib.", "nntplib.",
                   "telnetlib.", "sqlite3.")
# Events whose first argument is a path that is changed (one path) or two paths (src, dst).
WRITE_ONE = frozenset({"os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown",
                       "os.truncate", "os.utime", "os.chflags", "os.lchflags", "os.setxattr",
                       "os.removexattr", "shutil.rmtree", "shutil.chown", "os.mkfifo",
                       "os.mknod"})
WRITE_TWO = frozenset({"os.rename", "shutil.copyfile", "shutil.copymode", "shutil.copystat",
                       "shutil.copytree", "shutil.move", "shutil.make_archive"})
READ_ONE = frozenset({"os.listdir", "os.scandir", "glob.glob", "os.listxattr",
                      "os.getxattr", "shutil.unpack_archive"})
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def limit_resources(memory_mb: int, cpu_seconds: int, file_mb: int) -> None:
    """Hard limits: the learner's code cannot raise them (and the audit hook refuses it)."""
    limits = [(resource.RLIMIT_AS, memory_mb << 20), (resource.RLIMIT_CPU, cpu_seconds),
              (resource.RLIMIT_FSIZE, file_mb << 20), (resource.RLIMIT_CORE, 0)]
    if hasattr(resource, "RLIMIT_NPROC"):
        limits.append((resource.RLIMIT_NPROC, 0))
    for which, value in limits:
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass                         # e.g. macOS refuses some limits: the parent's wall clock
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # too big a file: an OSError, not a kill


def die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this process (SIGKILL) when the grader's worker that started
    it ends, however it ends (PR_SET_PDEATHSIG); if that worker is already gone, end now."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)                   # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(70)


# --- Landlock (Linux) -------------------------------------------------------------------
_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446), "arm64": (444, 445, 446),
             "riscv64": (444, 445, 446), "ppc64le": (444, 445, 446), "s390x": (444, 445, 446)}
_READ = 1 << 0 | 1 << 2 | 1 << 3                     # execute, read file, read directory
_FILE_RIGHTS = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 14 | 1 << 15


def landlock_abi() -> int:
    """The Landlock ABI version the kernel offers (0: none), asked without restricting
    anything; the grader asks before it grades (and refuses without ``--unsafe``)."""
    if not sys.platform.startswith("linux") or platform.machine() not in _SYSCALLS:
        return 0
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(_SYSCALLS[platform.machine()][0], None, ctypes.c_size_t(0),
                       ctypes.c_uint32(1))                      # LANDLOCK_CREATE_RULESET_VERSION
    return max(0, int(abi))


def landlock(readable, writable) -> int:
    """Restrict the file system (and on newer kernels network and signals) for good.

    Returns the Landlock ABI version in force, or 0 if the kernel does not offer it (the
    audit hook still applies).
    """
    if not sys.platform.startswith("linux") or platform.machine() not in _SYSCALLS:
        return 0
    import ctypes

    create, add_rule, restrict = _SYSCALLS[platform.machine()]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(create, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    if abi < 1:
        return 0
    fs = (1 << 13) - 1 | (1 << 13 if abi >= 2 else 0) | (1 << 14 if abi >= 3 else 0) \
        | (1 << 15 if abi >= 5 else 0)

    class Ruleset(ctypes.Structure):
        _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64),
                    ("scoped", ctypes.c_uint64)]

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

    size = 8 if abi < 4 else 16 if abi < 6 else 24
    ruleset = Ruleset(fs, 3 if abi >= 4 else 0, 3 if abi >= 6 else 0)
    fd = libc.syscall(create, ctypes.byref(ruleset), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if fd < 0:
        return 0
    try:
        for paths, rights in ((readable, _READ), (writable, fs)):
            for path in paths:
                try:
                    target = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                allowed = rights if os.path.isdir(path) else rights & _FILE_RIGHTS & fs
                rule = PathBeneath(allowed, target)
                libc.syscall(add_rule, ctypes.c_int(fd), ctypes.c_int(1), ctypes.byref(rule),
                             ctypes.c_uint32(0))
                os.close(target)
        if libc.prctl(38, 1, 0, 0, 0) != 0:                     # PR_SET_NO_NEW_PRIVS
            return 0
        if libc.syscall(restrict, ctypes.c_int(fd), ctypes.c_uint32(0)) != 0:
            return 0
    finally:
        os.close(fd)
    return int(abi)


def forget_ctypes() -> None:
    """Drop ctypes from ``sys.modules``, so that importing it again meets the audit hook."""
    for name in [n for n in sys.modules if n == "ctypes" or n.startswith(("ctypes.", "_ctypes"))]:
        del sys.modules[name]


# --- the audit hook ---------------------------------------------------------------------
def install_audit_hook(own_dir: str, protected, readable, reference) -> None:
    """Refuse what an answer must not do; see the module docstring. All paths are real paths."""
    import posix

    pid, pgid = posix.getpid(), posix.getpgid(0)
    protected, readable, reference = tuple(protected), tuple(readable), tuple(reference)

    def hook(event, args, _own=own_dir, _protected=protected, _readable=readable,
             _reference=reference, _pid=pid, _pgid=pgid, _proc=f"/proc/{pid}",
             _deny=DENIED_EVENTS, _prefixes=DENIED_PREFIXES, _modules=DENIED_MODULES,
             _w1=WRITE_ONE, _w2=WRITE_TWO, _r1=READ_ONE, _wflags=WRITE_FLAGS,
             _getcwd=posix.getcwd, _lstat=posix.lstat, _readlink=posix.readlink,
             _str=str, _bytes=bytes, _int=int, _type=type, _isinstance=isinstance,
             _Perm=PermissionError, _Import=ImportError, _OSError=OSError):
        if event in _deny or event.startswith(_prefixes):
            raise _Perm(f"{event} is not allowed while grading")
        if event == "import":
            if _str.partition(_str.__str__(args[0]), ".")[0] in _modules:
                if _str.startswith(args[0], "course_lib"):
                    raise _Import("the reference implementation (course_lib) is not available "
                                  "inside your answer: write the computation yourself")
                raise _Import(f"module {args[0]} is not available while grading")
            return
        if event == "os.kill":
            if args[0] not in (_pid, 0, -_pgid):
                raise _Perm("sending signals to other processes is not allowed while grading")
            return
        if event == "os.killpg":
            if args[0] not in (_pgid, 0):
                raise _Perm("sending signals to other processes is not allowed while grading")
            return
        if event == "open":
            flags = args[2] if _type(args[2]) is _int and args[2] >= 0 else 0
            mode = args[1] if _type(args[1]) is _str else ""
            write = flags & _wflags != 0 or "w" in mode or "a" in mode or "x" in mode \
                or "+" in mode
            paths = (args[0],)
        elif event in _w1 or event == "os.chdir":
            paths, write = (args[0],), True
        elif event in _w2:
            paths, write = (args[0], args[1]), True
        elif event in _r1:
            paths, write = (args[0],), False
        else:
            return
        for path in paths:
            if _type(path) is _int:
                continue                  # an open descriptor: checked when it was opened
            if path is None:
                path = "."
            if _type(path) is _bytes:
                path = _bytes.decode(path, "utf-8", "surrogateescape")
            elif _isinstance(path, _str):
                path = _str.__str__(path)
            else:
                raise _Perm("file paths must be str or bytes while grading")
            if not _str.startswith(path, "/"):
                # The event does not say which folder (dir_fd) a relative path starts from;
                # the working folder and every openable folder are inside the answer's own
                # folder, and a relative path may not climb out of it.
                if ".." in _str.split(path, "/"):
                    raise _Perm("relative paths with '..' are not allowed while grading")
                path = _getcwd() + "/" + path
            # Normalise and follow symbolic links, one component at a time.
            pending, done, hops = _str.split(path, "/"), [], 0
            while pending:
                part = pending.pop(0)
                if part in ("", "."):
                    continue
                if part == "..":
                    if done:
                        done.pop()
                    continue
                done.append(part)
                current = "/" + "/".join(done)
                try:
                    info = _lstat(current)
                except _OSError:
                    continue              # does not exist (yet): keep the name as written
                if info.st_mode & 0o170000 == 0o120000:
                    hops += 1
                    if hops > 40:
                        raise _Perm("too many symbolic links")
                    target = _readlink(current)
                    done.pop()
                    if _str.startswith(target, "/"):
                        done = []
                    pending = _str.split(target, "/") + pending
            full = "/" + "/".join(done)
            if full == _own or _str.startswith(full, _own + "/"):
                continue
            if event == "open":
                try:
                    folder = _lstat(full).st_mode & 0o170000 == 0o040000
                except _OSError:
                    folder = False
                if folder:
                    raise _Perm(f"opening folders outside your own folder is not allowed "
                                f"while grading ({full})")
            if write and full != "/dev/null":
                raise _Perm(f"writing or deleting outside your own folder is not allowed "
                            f"while grading ({full})")
            for root in _reference:
                if full == root or _str.startswith(full, root + "/"):
                    raise _Perm("the reference implementation (course_lib) is not available "
                                "inside your answer")
            if _str.startswith(full, "/proc/") and full != "/proc/self":
                head = "/proc/" + _str.split(full, "/")[2]
                if _str.isdigit(head[6:]) and head != _proc:
                    raise _Perm(f"reading other processes is not allowed while grading ({full})")
            readable = False
            for root in _readable:
                if full == root or _str.startswith(full, root + "/"):
                    readable = True
            if readable:
                continue
            for root in _protected:
                if full == root or _str.startswith(full, root + "/"):
                    raise _Perm(f"reading {full} is not allowed while grading")

    sys.addaudithook(hook)
