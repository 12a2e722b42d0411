"""The register each request of the web desk uses: one open connection per worker thread, reused.

`store()` opens the register of the application on first use in a thread and
keeps it for the thread's next requests; a request that fails closes it, so the
next request starts with a fresh connection (a PostgreSQL server restarted, say).

An issue renders in its process's queue (`register.render_queue`), so the threads of
a worker that issue need nothing more here.
"""

import contextlib
import threading

from flask import Flask, current_app

KEY = "procure.stores"
PRACTICE = "procure.practice"


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

    @app.teardown_request
    def close_after_failure(error):
        if error is not None:
            drop()
