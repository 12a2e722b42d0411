"""One renderer run in a second process while this one renders the others: a long order's outputs on two cores.

`Forked(function, *args)` forks: the child runs `function(*args)`, writes the bytes it returns to a pipe and
ends without any of the parent's clean-up (no atexit handlers, no flushing of buffers it inherited). `result()`
reads them. When the child cannot give them (it raised, it was killed, there was no fork), `result()` runs the
function in this process, so the outcome, bytes or an exception, is the one a single process gives: renderers
are pure functions of the Order. `close()` ends a child whose result is not wanted, at once.

A fork copies only the thread that calls it: a lock another thread holds would stay locked in the child for
ever. So `worth_forking` says no unless this is the process's only thread (the web desk's server and a
batch's workers run threads), and unless a second core is there to use.
"""

import contextlib
import os
import signal
import threading


def worth_forking() -> bool:
    """Whether a second process would render on a core of its own, safely: fork exists, this process has one
    thread only, and it may run on two cores or more."""
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(cores) > 1


class Forked:
    """`function(*args)` (returning bytes) running in a child process; `result()` gives its bytes."""

    def __init__(self, function, *args):
        self._function, self._args = function, args
        self._pid: int | None = None
        self._read: int | None = None
        try:
            read, write = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:
            os.close(read)
            _give(write, function, args)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> bytes:
        """The child's bytes, or the function's result in this process if the child did not give them."""
        if self._pid is None or self._read is None:
            return self._function(*self._args)
        read, self._read = self._read, None
        data = None
        try:
            with open(read, "rb") as pipe:
                data = pipe.read()
        finally:  # interrupted while reading: the child is ended; either way it is reaped
            code = self._end(kill=data is None)
        return data if code == 0 else self._function(*self._args)

    def close(self) -> None:
        """End the child, if its result was not taken (or not all of it): at once, not when it is done."""
        if self._read is not None:
            os.close(self._read)
            self._read = None
        if self._pid is not None:
            self._end(kill=True)

    def _end(self, kill: bool) -> int | None:
        """Reap the child, killed first if `kill`; its exit code, None when it cannot be known (a process that
        ignores SIGCHLD has its children reaped by the system), and then its bytes are not trusted."""
        assert self._pid is not None
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
        try:
            code = os.waitstatus_to_exitcode(os.waitpid(self._pid, 0)[1])
        except ChildProcessError:
            code = None
        self._pid = None
        return code


def _give(pipe: int, function, args) -> None:
    """In the child: write the function's bytes to `pipe` and exit, 0 if they were all written, else 1."""
    status = 1
    try:
        data = memoryview(function(*args))
        while data:
            data = data[os.write(pipe, data):]
        status = 0
    finally:
        os._exit(status)
