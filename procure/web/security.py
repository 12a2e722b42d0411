"""What guards every request and response of the web desk: CSRF tokens, session cookies, response headers and
the upload cap (uploads held in memory, never on disk). The pages of the errors they raise are `error_pages`.

Every POST must carry the session's `csrf_token`; one without it, or with
another, answers 400 before anything runs. Every response says
`Content-Security-Policy: default-src 'self'` (no inline script, no other
site), nosniff, no framing and same-origin referrers; with --https-only also
Strict-Transport-Security.
"""

import hmac
import io
import secrets

from flask import Flask, Request, abort, request, session

MAX_UPLOAD = 20 * 1024 * 1024
"""The most a browser may upload (all its files together)."""
MAX_REQUEST = MAX_UPLOAD + 1024 * 1024
"""The largest request body: the files and the form around them. A Content-Length over it is refused (413)
before any of the body is read, whoever sends it, signed in or not."""
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
                               "object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
MAX_FILES = 1000
"""The most files one form may send (Verify takes many at once)."""
TOO_MANY_FILES = f"A form may send at most {MAX_FILES:,} files at once: send them in smaller batches."
HSTS = "max-age=31536000"
"""With --https-only: browsers use HTTPS for the desk's host for a year, never plain HTTP again."""


class InMemoryRequest(Request):
    """A request whose uploaded files stay in memory (werkzeug spools those over 500 KB to a temporary file);
    MAX_REQUEST bounds them."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def init_security(app: Flask, https_only: bool) -> None:
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=https_only,
                      SESSION_COOKIE_NAME="procure_session", MAX_CONTENT_LENGTH=MAX_REQUEST,
                      MAX_FORM_MEMORY_SIZE=MAX_UPLOAD, MAX_FORM_PARTS=MAX_FILES + 20)
    app.request_class = InMemoryRequest
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def cap_the_body():
        if (request.content_length or 0) > MAX_REQUEST:
            abort(413)

    @app.before_request
    def check_csrf():
        from procure.web.auth import WITHOUT_SIGN_IN

        if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.path.startswith(WITHOUT_SIGN_IN):
            sent, kept = request.form.get("csrf_token", ""), session.get("csrf", "")
            if not kept or not hmac.compare_digest(sent.encode(), kept.encode()):
                abort(400)

    @app.after_request
    def headers(response):
        response.headers.update(HEADERS)
        if https_only:
            response.headers["Strict-Transport-Security"] = HSTS
        response.headers.setdefault("Cache-Control", "no-store")
        return response
