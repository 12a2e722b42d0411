"""The desk's error pages: every failed request answers a page saying what happened in the desk's words, never a
traceback, never a password.

An HTTP error the desk knows (400, 403, 404, 405, 413, 429, 500) gets its own title and text; a `ProcureError`
its own report (503 if the register failed, else 400); anything else is a bug, logged with its traceback and
answered 500. After a register's error or a bug the thread's register is dropped, so the next request opens
it afresh.
"""

import logging

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from procure.core.errors import ProcureError, RegisterError
from procure.web.security import MAX_REQUEST, MAX_UPLOAD, TOO_MANY_FILES

MESSAGES = {
    400: ("The request could not be used", ("The form was sent without its security token, or from another "
                                            "page. Go back, reload the page and send it again.")),
    403: ("Not allowed", "Your role does not allow this. Ask an administrator if you need it."),
    404: ("Not found", "There is no such page or quote."),
    405: ("Not allowed", "This page cannot be used that way."),
    429: ("Too many forms", "Too many forms were sent in the last few minutes. Wait ten minutes and send it again."),
    413: ("The upload is too large", (f"Files may be at most {MAX_UPLOAD // (1024 * 1024)} MB together. "
                                      "Send a smaller file.")),
    500: ("Something went wrong", ("The desk could not finish this. Nothing was changed by the failed step; "
                                   "try again, and tell the administrator if it happens again.")),
}
log = logging.getLogger("procure.web")


def error_page(code: int, detail: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500])
    return render_template("error.html", title=title, text=detail or text), code


def init_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code == 413 and (request.content_length or 0) <= MAX_REQUEST:
            return error_page(413, TOO_MANY_FILES)  # not too large: too many parts
        if error.code in MESSAGES:
            return error_page(error.code)
        return error

    @app.errorhandler(ProcureError)
    def procure_error(error):
        from procure.web.db import drop

        if isinstance(error, RegisterError):
            drop()
        log.warning("%s", "; ".join(error.report()))
        return error_page(503 if isinstance(error, RegisterError) else 400, " ".join(error.report()))

    @app.errorhandler(Exception)
    def bug(error):
        from procure.web.db import drop

        drop()
        log.exception("internal error")
        return error_page(500)
