"""The child's system-call filter (seccomp, Linux x86-64): the third layer of ``guard``.

Child side only, standard library alone (loaded by ``child.py`` from this folder, like
``guard``). The kernel refuses the system calls that reach other processes (signals,
pidfds, ptrace, their memory or limits), start programs or processes (threads stay
allowed), open sockets, change namespaces, or administer the machine, however the Python
code gets to them: the audit hook sees none of ``os.pidfd_open``, for one.
"""

from __future__ import annotations

import platform
import sys

# System calls refused with EPERM: ways to reach other processes (signals, pidfds, ptrace,
# their memory, their limits), to start programs or processes, to leave the namespaces, to
# talk to the network, and the kernel's administrative calls. x86-64 numbers.
SECCOMP_DENIED = {
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
    "pidfd_open": 434, "pidfd_send_signal": 424, "pidfd_getfd": 438,
    "process_madvise": 440, "process_mrelease": 448, "rt_sigqueueinfo": 129,
    "rt_tgsigqueueinfo": 297, "migrate_pages": 256, "move_pages": 279, "setpriority": 141,
    "ioprio_set": 251, "execve": 59, "execveat": 322, "fork": 57, "vfork": 58,
    "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
    "chroot": 161, "socket": 41, "socketpair": 53, "connect": 42, "bpf": 321,
    "perf_event_open": 298, "userfaultfd": 323, "io_uring_setup": 425, "keyctl": 250,
    "add_key": 248, "request_key": 249, "open_by_handle_at": 304, "name_to_handle_at": 303,
    "init_module": 175, "finit_module": 313, "delete_module": 176, "kexec_load": 246,
    "kexec_file_load": 320, "reboot": 169, "swapon": 167, "swapoff": 168, "iopl": 172,
    "ioperm": 173, "acct": 163, "settimeofday": 164, "clock_settime": 227, "syslog": 103,
    "sethostname": 170, "setdomainname": 171, "quotactl": 179, "fanotify_init": 300}
# Allowed only on the process itself (first argument its pid; kill also 0 and -pid, its own
# process group, which is its session's): the child may still signal itself.
SECCOMP_SELF = {"kill": 62, "tgkill": 234, "tkill": 200, "prlimit64": 302}
SECCOMP_CLONE, SECCOMP_CLONE3, CLONE_THREAD = 56, 435, 0x10000
_AUDIT_ARCH_X86_64, _X32 = 0xC000003E, 0x40000000
_ALLOW, _KILL = 0x7FFF0000, 0x80000000
_EPERM, _ENOSYS = 0x00050000 | 1, 0x00050000 | 38


def seccomp_available() -> bool:
    """Whether ``seccomp`` can filter here: Linux on x86-64 with seccomp filters (the
    grader asks before it grades and then requires it in every child)."""
    if not sys.platform.startswith("linux") or platform.machine() != "x86_64":
        return False
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            return any(line.startswith("Seccomp:") for line in status)
    except OSError:
        return False


def seccomp_program(pid: int) -> list:
    """The BPF program, as (code, jump if true, jump if false, k) instructions.

    In order: another architecture is killed; x32 calls and the denied calls get EPERM;
    ``SECCOMP_SELF`` calls are allowed on the process itself only; ``clone`` only for
    threads (``CLONE_THREAD``: OpenBLAS and Python may start threads, a fork may not);
    ``clone3``, whose flags a filter cannot read, gets ENOSYS, on which the C library falls
    back to ``clone``; everything else is allowed.
    """
    load, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06   # BPF_LD|W|ABS, BPF_JMP|..., RET
    nr, arch, arg0 = 0, 4, 16                                  # offsets in struct seccomp_data
    checks = [(jge, _X32, "eperm")] + [(jeq, n, "eperm") for n in SECCOMP_DENIED.values()] \
        + [(jeq, n, "self") for n in SECCOMP_SELF.values()] \
        + [(jeq, SECCOMP_CLONE, "thread"), (jeq, SECCOMP_CLONE3, "enosys")]
    head = [(load, 0, 0, arch), (jeq, 1, 0, _AUDIT_ARCH_X86_64), (ret, 0, 0, _KILL),
            (load, 0, 0, nr)]
    blocks = {"self": [(load, 0, 0, arg0), (jeq, 3, 0, pid & 0xFFFFFFFF), (jeq, 2, 0, 0),
                       (jeq, 1, 0, -pid & 0xFFFFFFFF), (ret, 0, 0, _EPERM), (ret, 0, 0, _ALLOW)],
              "thread": [(load, 0, 0, arg0), (jset, 0, 1, CLONE_THREAD), (ret, 0, 0, _ALLOW),
                         (ret, 0, 0, _EPERM)],
              "eperm": [(ret, 0, 0, _EPERM)], "enosys": [(ret, 0, 0, _ENOSYS)]}
    where, at = {}, len(head) + len(checks) + 1                # after "return allow"
    for label, block in blocks.items():
        where[label], at = at, at + len(block)
    program = list(head)
    for code, k, label in checks:
        program.append((code, where[label] - len(program) - 1, 0, k))
    program.append((ret, 0, 0, _ALLOW))
    for block in blocks.values():
        program += block
    return program


def seccomp(pid: int) -> None:
    """Install ``seccomp_program(pid)`` for good (PR_SET_NO_NEW_PRIVS first, as the kernel
    asks of an unprivileged process). Raises ``OSError`` if the kernel refuses."""
    import ctypes

    class Instruction(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                    ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Instruction))]

    program = seccomp_program(pid)
    instructions = (Instruction * len(program))(*program)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) != 0:                           # PR_SET_NO_NEW_PRIVS
        raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS was refused")
    fprog = Program(len(program), instructions)
    if libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) != 0:         # PR_SET_SECCOMP, FILTER
        raise OSError(ctypes.get_errno(), "the seccomp filter was refused")
