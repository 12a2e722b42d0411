"""The users page (admins only): who may sign in with which role; add a user, set a password, disable a user,
sign a user out everywhere. The same register functions as `procure user ...`."""

from flask import Blueprint, redirect, render_template, request, url_for

from procure.core.errors import ProcureError
from procure.register.sessions import end_sessions
from procure.register.users import (
    ADMIN,
    ROLES,
    User,
    add_user,
    disable_user,
    existing_user,
    set_password,
    users as all_users,
)
from procure.web.auth import require
from procure.web.db import store

bp = Blueprint("users", __name__)


def sign_out_everywhere(name: str) -> User:
    user = existing_user(store(), name)
    end_sessions(store(), user.name)
    return user


ACTIONS = {"add": lambda f: add_user(store(), f.get("username", ""), f.get("role", ""), f.get("password", "")),
           "password": lambda f: set_password(store(), f.get("username", ""), f.get("password", "")),
           "disable": lambda f: disable_user(store(), f.get("username", "")),
           "signout": lambda f: sign_out_everywhere(f.get("username", ""))}


@bp.route("/users", methods=["GET", "POST"])
@require(ADMIN)
def users():
    if request.method == "POST":
        action = ACTIONS.get(request.form.get("action", ""))
        try:
            if action is None:
                raise ProcureError("choose add, password, disable or sign out everywhere")
            done = action(request.form)
        except ProcureError as e:
            return render_template("users.html", users=all_users(store()), roles=ROLES, problems=e.problems), 422
        return redirect(url_for("users.users", done=done.name), 303)
    return render_template("users.html", users=all_users(store()), roles=ROLES, problems=[],
                           done=request.args.get("done"))
