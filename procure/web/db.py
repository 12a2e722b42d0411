"""The register each request of the web desk uses: one open connection per worker thread, reused.

`store()` opens the register of the application on first use in a thread and
keeps it for the thread's next requests; a request that fails closes it, so the
next request starts with a fresh connection (a PostgreSQL server restarted, say).

`issuing()` queues the threads of a worker that issue, in the order they came.
The register stores one issue at a time anyway, and an issue renders its files
before it takes its number: issuers of one worker racing for numbers would
render again each time another took theirs (20 at once: three times the work),
and an SQLite file lock's waiters poll, so one can be passed over until it
times out. Workers of a team still race each other, as desks do.
"""

import contextlib
import threading

from flask import Flask, current_app

KEY = "procure.stores"
QUEUE = "procure.issuers"
PRACTICE = "procure.practice"


class FairLock:
    """A lock its waiters take in the order they asked for it."""

    def __init__(self):
        self._turns = threading.Condition()
        self._next = self._serving = 0

    def __enter__(self):
        with self._turns:
            ticket, self._next = self._next, self._next + 1
            self._turns.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *exc):
        with self._turns:
            self._serving += 1
            self._turns.notify_all()


def issuing() -> FairLock:
    """Hold while issuing: the worker's queue of issuers."""
    return current_app.extensions[QUEUE]


def store():
    """The open register of this application, for this thread."""
    local = current_app.extensions[KEY]
    opened = getattr(local, "store", None)
    if opened is None:
        from procure.register import open_register

        opened = local.store = open_register(current_app.config["PROCURE_SETTINGS"].register, shared=True)
    return opened


def is_practice() -> bool:
    """Whether the register is a practice one (`procure serve --demo`), asked at the first page that reaches it
    and then known; while it cannot be reached, it is not taken for one."""
    known = current_app.extensions.get(PRACTICE)
    if known is None:
        from procure.core.errors import ProcureError
        from procure.register.integrity import is_practice_register

        try:
            known = current_app.extensions[PRACTICE] = is_practice_register(store())
        except ProcureError:
            drop()
            return False
    return known


def drop() -> None:
    """Close this thread's connection after a failure; the next request opens a new one."""
    local = current_app.extensions[KEY]
    opened, local.store = getattr(local, "store", None), None
    if opened is not None:
        with contextlib.suppress(Exception):  # a connection already lost closes with an error of its own
            opened.close()


def init_db(app: Flask) -> None:
    app.extensions[KEY] = threading.local()
    app.extensions[QUEUE] = FairLock()

    @app.teardown_request
    def close_after_failure(error):
        if error is not None:
            drop()
