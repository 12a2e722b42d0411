"""Sessions end on the server (issue 26, F1, F2, F9): sign-out kills every copy of the cookie; a new password,
a disable and "sign out everywhere" end all of a user's sessions; a session has a lifetime and an idle
timeout; the cookie holds nothing the signing key alone turns into a session; `register rotate-key`."""

import datetime

import pytest
from flask.sessions import SecureCookieSessionInterface

from procure.register import open_register
from procure.register.accounts import add_user, disable_user, set_password
from procure.register.sessions import (
    IDLE,
    LIFETIME,
    end_sessions,
    live_sessions,
    session_user,
    start_session,
)

from desks import make_desk, signed_in, token

T0 = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)
COOKIE = "procure_session"


@pytest.fixture
def app(register_target, tmp_path):
    return make_desk(tmp_path, register=register_target)


def register_of(app):
    return open_register(app.config["PROCURE_SETTINGS"].register)


def copy_of(app, client):
    """A second browser holding the same cookie (a stolen or replayed copy)."""
    other = app.test_client()
    other.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return other


def test_sign_out_ends_every_copy_of_the_cookie(app):
    client = signed_in(app, "desk")
    thief = copy_of(app, client)
    assert thief.get("/quotes").status_code == 200
    assert client.post("/logout", data={"csrf_token": token(client, "/quotes")}).status_code == 303
    assert thief.get("/quotes").status_code == 302
    assert client.get("/quotes").status_code == 302


@pytest.mark.parametrize("change", [lambda s: set_password(s, "desk", "a-new-password-2"),
                                    lambda s: disable_user(s, "desk"),
                                    lambda s: end_sessions(s, "desk")],
                         ids=["new password", "disabled", "signed out everywhere"])
def test_a_change_of_the_user_ends_all_their_sessions(app, change):
    at_work, at_home, viewer = signed_in(app, "desk"), signed_in(app, "desk"), signed_in(app, "viewer")
    with register_of(app) as store:
        change(store)
        assert live_sessions(store, "desk") == 0
    assert at_work.get("/quotes").status_code == 302 and at_home.get("/quotes").status_code == 302
    assert viewer.get("/quotes").status_code == 200


def test_the_admin_signs_a_user_out_everywhere_on_the_users_page(app):
    desk, admin = signed_in(app, "desk"), signed_in(app, "admin")
    response = admin.post("/users", data={"username": "desk", "action": "signout",
                                          "csrf_token": token(admin, "/users")})
    assert response.status_code == 303
    assert desk.get("/quotes").status_code == 302 and admin.get("/users").status_code == 200
    assert "Sign out everywhere" in admin.get("/users").get_data(as_text=True)


def test_only_an_admin_signs_others_out(app):
    desk, viewer = signed_in(app, "desk"), signed_in(app, "viewer")
    response = viewer.post("/users", data={"username": "desk", "action": "signout",
                                           "csrf_token": token(viewer, "/quotes")})
    assert response.status_code == 403 and desk.get("/quotes").status_code == 200


def test_user_signout_on_the_command_line(run, app):
    signed_in(app, "desk")
    register = app.config["PROCURE_SETTINGS"].register
    result = run("user", "signout", "desk", "--register", register)
    assert result.exit_code == 0 and "signed desk out everywhere (1 session(s) ended)" in result.stdout
    result = run("user", "signout", "nobody", "--register", register)
    assert result.exit_code == 1 and "no user 'nobody'" in result.stderr


def test_a_session_ends_after_the_working_day_and_after_idling(register_target):
    with open_register(register_target) as store:
        add_user(store, "dana", "desk", "dana-password-1")
        busy = start_session(store, "dana", T0)
        minute = datetime.timedelta(minutes=1)
        moment = T0
        while moment + 20 * minute < T0 + LIFETIME:  # a click every 20 minutes keeps it alive all day
            moment += 20 * minute
            assert session_user(store, busy, moment) == "dana"
        assert session_user(store, busy, T0 + LIFETIME) is None
        assert session_user(store, busy, T0 + minute) is None  # ended means deleted, not just refused
        idle = start_session(store, "dana", T0)
        assert session_user(store, idle, T0 + IDLE - minute) == "dana"
        assert session_user(store, idle, T0 + IDLE - minute + IDLE) is None


def test_reading_a_page_writes_last_seen_at_most_once_a_minute(register_target):
    with open_register(register_target) as store:
        add_user(store, "dana", "desk", "dana-password-1")
        sid = start_session(store, "dana", T0)
        seen = lambda: store.one("SELECT last_seen FROM web_sessions")[0]  # noqa: E731
        session_user(store, sid, T0 + datetime.timedelta(seconds=59))
        assert seen() == "2026-11-28T09:00:00+00:00"
        session_user(store, sid, T0 + datetime.timedelta(seconds=61))
        assert seen() == "2026-11-28T09:01:01+00:00"


def test_the_cookie_names_no_user_and_the_key_alone_makes_no_session(app):
    client = signed_in(app, "admin")
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    held = serializer.loads(client.get_cookie(COOKIE).value)
    assert set(held) <= {"sid", "csrf", "_permanent"} and "admin" not in str(held)
    with register_of(app) as store:
        assert store.one("SELECT COUNT(*) FROM web_sessions WHERE id_hash = ?", (held["sid"],))[0] == 0
    for forged in ({"user": "admin"}, {"sid": "made-up"}, {"sid": 12}, {"sid": "x" * 5000}):
        attacker = app.test_client()
        attacker.set_cookie(COOKIE, serializer.dumps(forged))
        assert attacker.get("/users").status_code == 302


def test_rotate_key_makes_a_new_key_and_ends_every_session(run, app, tmp_path):
    from procure.register.accounts import secret_key

    client = signed_in(app, "desk")
    register = app.config["PROCURE_SETTINGS"].register
    with open_register(register) as store:
        before = secret_key(store)
    result = run("register", "rotate-key", "--register", register)
    assert result.exit_code == 0 and "1 session(s) ended" in result.stdout
    with open_register(register) as store:
        assert secret_key(store) != before and len(secret_key(store)) == 64
    assert client.get("/quotes").status_code == 302
