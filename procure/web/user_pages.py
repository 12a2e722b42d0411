"""The users page (admins only): who may sign in with which role; add a user, set a password, change a role,
disable and enable a user, sign a user out everywhere, and each user's details (full name, title, e-mail,
phone). The same register functions as `procure user ...`; disabling yourself asks first."""

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from procure.core.errors import ProcureError
from procure.register.accounts import (
    ADMIN,
    DETAILS,
    ROLES,
    User,
    add_user,
    disable_user,
    enable_user,
    existing_user,
    find_user,
    set_details,
    set_password,
    set_role,
    users as all_users,
)
from procure.register.sessions import end_sessions
from procure.web.auth import require
from procure.web.db import store

bp = Blueprint("users", __name__)


def sign_out_everywhere(name: str) -> User:
    user = existing_user(store(), name)
    end_sessions(store(), user.name)
    return user


ACTIONS = {"add": lambda f: add_user(store(), f.get("username", ""), f.get("role", ""), f.get("password", "")),
           "password": lambda f: set_password(store(), f.get("username", ""), f.get("password", "")),
           "role": lambda f: set_role(store(), f.get("username", ""), f.get("role", "")),
           "enable": lambda f: enable_user(store(), f.get("username", "")),
           "disable": lambda f: disable_user(store(), f.get("username", "")),
           "signout": lambda f: sign_out_everywhere(f.get("username", ""))}
DONE = {"add": "added", "password": "new password set for", "role": "role changed:", "enable": "enabled",
        "disable": "disabled", "signout": "signed out everywhere:"}


def _page(problems=(), done=None, confirm=None, status=200):
    return render_template("users.html", users=all_users(store()), roles=ROLES, problems=list(problems), done=done,
                           confirm=confirm), status


@bp.route("/users", methods=["GET", "POST"])
@require(ADMIN)
def users():
    if request.method == "GET":
        return _page(done=request.args.get("done"))
    name = request.form.get("action", "")
    action = ACTIONS.get(name)
    if action is None:
        return _page(["choose Add user, Set password, Change role, Enable user, Disable user or Sign out everywhere"],
                     status=422)
    yourself = request.form.get("username", "").strip().lower() == g.user.name.lower()
    if name == "disable" and yourself and not request.form.get("confirm"):
        return _page(confirm=g.user.name)
    try:
        done = action(request.form)
    except ProcureError as e:
        return _page(e.problems, status=422)
    if name in ("disable", "signout") and yourself:
        return redirect(url_for("auth.login"), 303)
    return redirect(url_for("users.users", done=f"{DONE[name]} user {done.shown}"), 303)


@bp.route("/users/<name>", methods=["GET", "POST"])
@require(ADMIN)
def person(name):
    found = find_user(store(), name)
    if found is None:
        abort(404)
    problems: list[str] = []
    if request.method == "POST":
        try:
            found = set_details(store(), found.name, **{k: request.form.get(k, "") for k, _ in DETAILS})
        except ProcureError as e:
            return render_template("user.html", person=found, details=DETAILS, problems=e.problems,
                                   values=request.form), 422
        return redirect(url_for("users.users", done=f"saved the details of user {found.shown}"), 303)
    return render_template("user.html", person=found, details=DETAILS, problems=problems,
                           values={k: getattr(found, k) or "" for k, _ in DETAILS})
