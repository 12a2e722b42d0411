"""Sign-in and sign-out, who is signed in, and what their role lets them do.

Every page but `/login`, `/healthz` and the stylesheet needs a signed-in user;
without one it redirects to `/login`. The cookie carries only a session id; the
session and its user are looked up in the register on every request
(`procure.register.sessions`), so a session ended a moment ago (sign-out, a new
password, a disabled user, "sign out everywhere") is refused at the next click,
by every worker.
"""

import functools
import re
from urllib.parse import quote, urlsplit

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for

from procure.register.accounts import SignInRefused, find_user, sign_in
from procure.register.sessions import end_session, session_user, start_session
from procure.web.db import store

bp = Blueprint("auth", __name__)
OPEN = {"auth.login", "healthz", "static"}
"""Endpoints anyone may reach."""
MAX_NEXT = 2000
WITHOUT_SIGN_IN = "/c/"
"""Where pages need no desk user: a customer link's pages check their link (and their forms' tokens) instead."""


def require(role: str):
    """A view only users whose role includes `role` may use: 403 for the others, before anything runs."""
    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if not g.user.may(role):
                abort(403)
            return view(*args, **kwargs)
        return guarded
    return decorate


@bp.before_app_request
def signed_in():
    g.user = None
    if request.path.startswith(WITHOUT_SIGN_IN):
        return None
    if "sid" in session:
        name = session_user(store(), session["sid"])
        user = find_user(store(), name) if name else None
        if user is not None and user.active:
            g.user = user
        else:
            session.clear()
    if g.user is None and request.endpoint not in OPEN:
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    return None


def _next(target: str | None) -> str:
    """Where to go after signing in: a path of this desk only. Whitespace and control characters are removed
    first, as browsers ignore them (`/` TAB `/evil.example` is `//evil.example` to a browser); what is left must be a
    bare path, never another host, and is sent percent-encoded, so no `next` can break the redirect."""
    path = re.sub(r"[\x00-\x20\x7f-\x9f]", "", target or "")[:MAX_NEXT]
    parts = urlsplit(path) if path.startswith("/") and not path.startswith("//") and "\\" not in path else None
    if parts is None or parts.scheme or parts.netloc:
        return url_for("quotes.listing")
    return quote(path, safe="/?&=%#:;@!$'()*+,~-._")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""), problem=None)
    name = request.form.get("username", "")
    try:
        user = sign_in(store(), name, request.form.get("password", ""), address=request.remote_addr)
    except SignInRefused as e:
        return render_template("login.html", next=request.form.get("next", ""), problem=str(e), name=name), 401
    session.clear()
    session.permanent = True
    session["sid"] = start_session(store(), user.name)
    return redirect(_next(request.form.get("next")), 303)


@bp.route("/logout", methods=["POST"])
def logout():
    end_session(store(), session.get("sid"))
    session.clear()
    return redirect(url_for("auth.login"), 303)
