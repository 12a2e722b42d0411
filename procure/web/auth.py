"""Sign-in and sign-out, who is signed in, and what their role lets them do.

Every page but `/login`, `/healthz` and the stylesheet needs a signed-in user;
without one it redirects to `/login`. The user is looked up in the register on
every request, so a user disabled a moment ago is signed out at their next click.
"""

import functools

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for

from procure.register.users import SignInRefused, find_user, sign_in
from procure.web.db import store

bp = Blueprint("auth", __name__)
OPEN = {"auth.login", "healthz", "static"}
"""Endpoints anyone may reach."""
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
    name = session.get("user")
    if name:
        user = find_user(store(), name)
        if user is not None and user.active:
            g.user = user
        else:
            session.clear()
    if g.user is None and request.endpoint not in OPEN:
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    return None


def _next(target: str | None) -> str:
    """Where to go after signing in: a page of this desk only."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("quotes.listing")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""), problem=None)
    name = request.form.get("username", "")
    try:
        user = sign_in(store(), name, request.form.get("password", ""))
    except SignInRefused as e:
        return render_template("login.html", next=request.form.get("next", ""), problem=str(e), name=name), 401
    session.clear()
    session.permanent = True
    session["user"] = user.name
    return redirect(_next(request.form.get("next")), 303)


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("auth.login"), 303)
