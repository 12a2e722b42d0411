"""The desk's session cookie kept away from the officer's pages: under `/c/` no session is opened from a cookie
and none is saved, so a desk user's cookie neither works there nor is refreshed or set by them."""

from flask.sessions import SecureCookieSessionInterface


class LinkAwareSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions everywhere but under `prefix`, where every request has the null session."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def _outside(self, request) -> bool:
        return not request.path.startswith(self.prefix)

    def open_session(self, app, request):
        return super().open_session(app, request) if self._outside(request) else None

    def save_session(self, app, session, response):
        from flask import request

        if self._outside(request):
            super().save_session(app, session, response)
