"""The web desk's security promises, each tried: CSRF (400, nothing changed), cookies, headers, the upload cap,
roles (403, nothing changed), lockout, the shared secret key, serve's --host, and no password on any page."""

import io
import json
import os
import subprocess
import sys

import pytest

from procure.register import open_register
from procure.web import create_app

from desks import PASSWORDS, make_desk, signed_in, token
from registers import REQUEST


@pytest.fixture
def app(tmp_path):
    return make_desk(tmp_path)


def count(app) -> int:
    with open_register(app.config["PROCURE_SETTINGS"].register) as store:
        return store.count()[0]


def issue_data(**more):
    return {"request": (io.BytesIO(REQUEST.encode()), "request.toml"), "action": "issue", **more}


def issued(app) -> str:
    client = signed_in(app, "desk")
    response = client.post("/quotes/new", data=issue_data(csrf_token=token(client, "/quotes/new")),
                           content_type="multipart/form-data")
    assert response.status_code == 303
    return response.headers["Location"].rsplit("/", 1)[-1]


@pytest.mark.parametrize("sent", [None, "", "forged-token"])
def test_a_post_without_the_sessions_csrf_token_is_400_and_changes_nothing(app, sent):
    client = signed_in(app, "desk")
    data = issue_data() if sent is None else issue_data(csrf_token=sent)
    response = client.post("/quotes/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "security token" in response.get_data(as_text=True)
    assert count(app) == 0


def test_accept_and_void_without_a_token_change_nothing(app):
    number = issued(app)
    approver = signed_in(app, "approver")
    assert approver.post(f"/quotes/{number}/accept", data={"delivery_order": "SPE2DE-27-F-1234"}).status_code == 400
    assert approver.post(f"/quotes/{number}/void", data={"reason": "x", "csrf_token": "bad"}).status_code == 400
    status = json.loads(approver.get("/quotes.json").get_data(as_text=True))["quotes"][0]["status"]
    assert status == "issued"


def test_sign_in_needs_the_token_too(app):
    client = app.test_client()
    response = client.post("/login", data={"username": "desk", "password": PASSWORDS["desk"]})
    assert response.status_code == 400


@pytest.mark.parametrize("action,data", [("accept", {"delivery_order": "SPE2DE-27-F-1234"}),
                                         ("void", {"reason": "forged"}), ("revise", {})])
def test_a_viewers_post_to_an_action_is_403_and_changes_nothing(app, action, data):
    number = issued(app)
    viewer = signed_in(app, "viewer")
    page = viewer.get(f"/quotes/{number}").get_data(as_text=True)
    assert ">Accept</button>" not in page and ">Void</button>" not in page and ">Revise</button>" not in page
    response = viewer.post(f"/quotes/{number}/{action}", data={**data, "csrf_token": token(viewer, "/quotes")})
    assert response.status_code == 403
    assert json.loads(viewer.get("/quotes.json").get_data(as_text=True))["quotes"][0]["status"] == "issued"
    assert count(app) == 1


def test_only_an_admin_reaches_the_users_page(app):
    for name, code in (("desk", 403), ("approver", 403), ("admin", 200)):
        assert signed_in(app, name).get("/users").status_code == code


def test_the_session_cookie_is_httponly_and_lax_and_secure_when_asked(tmp_path):
    (tmp_path / "a").mkdir()
    plain = make_desk(tmp_path / "a")
    cookie = plain.test_client().get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    (tmp_path / "b").mkdir()
    secure = make_desk(tmp_path / "b", https_only=True)
    cookie = secure.test_client().get("/login").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


@pytest.mark.parametrize("path", ["/login", "/healthz", "/quotes"])
def test_every_answer_carries_the_security_headers(app, path):
    client = signed_in(app, "viewer")
    headers = client.get(path).headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_no_page_has_an_inline_script(app):
    client = signed_in(app, "admin")
    number = issued(app)
    for path in ("/login", "/quotes", "/quotes/new", "/quotes/new/edit", f"/quotes/{number}", "/verify",
                 "/catalog", "/users"):
        assert "<script" not in client.get(path).get_data(as_text=True), path


def test_an_upload_over_20_mb_is_413_with_a_clear_page(app):
    client = signed_in(app, "desk")
    big = io.BytesIO(b"#" * (21 * 1024 * 1024))
    response = client.post("/quotes/new", data={"request": (big, "big.toml"), "action": "check",
                                                "csrf_token": token(client, "/quotes/new")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "at most 20 MB" in response.get_data(as_text=True)


def test_five_failures_lock_the_name_for_every_worker(app, tmp_path):
    client = app.test_client()
    for _ in range(5):
        client.post("/login", data={"username": "desk", "password": "wrong-password",
                                    "csrf_token": token(client)})
    other_worker = create_app(app.config["PROCURE_SETTINGS"].register, secret_key="test-key", testing=True)
    other = other_worker.test_client()
    response = other.post("/login", data={"username": "desk", "password": PASSWORDS["desk"],
                                          "csrf_token": token(other)})
    assert response.status_code == 401 and "too many failed sign-ins" in response.get_data(as_text=True)
    assert signed_in(app, "viewer")  # another name is not locked


def test_the_lock_ends_after_15_minutes(app):
    import datetime

    from procure.register.accounts import SignInRefused, sign_in

    start = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)
    with open_register(app.config["PROCURE_SETTINGS"].register) as store:
        for minute in range(5):
            with pytest.raises(SignInRefused):
                sign_in(store, "desk", "wrong-password", start + datetime.timedelta(minutes=minute))
        with pytest.raises(SignInRefused, match="too many"):
            sign_in(store, "desk", PASSWORDS["desk"], start + datetime.timedelta(minutes=18))
        assert sign_in(store, "desk", PASSWORDS["desk"], start + datetime.timedelta(minutes=20)).name == "desk"


def test_a_disabled_user_is_signed_out_at_the_next_click(app):
    from procure.register.accounts import disable_user

    client = signed_in(app, "desk")
    with open_register(app.config["PROCURE_SETTINGS"].register) as store:
        disable_user(store, "desk")
    assert client.get("/quotes").status_code == 302


def test_the_secret_key_is_made_once_and_kept_in_the_register(tmp_path):
    register = str(tmp_path / "register.sqlite")
    first, second = create_app(register), create_app(register)
    assert first.secret_key == second.secret_key and len(first.secret_key) >= 32


def test_passwords_are_stored_as_scrypt_hashes(app):
    with open_register(app.config["PROCURE_SETTINGS"].register) as store:
        rows = store.all("SELECT password_hash FROM users")
    assert rows and all(r[0].startswith("scrypt:") for r in rows)
    assert not any(p in r[0] for r in rows for p in PASSWORDS.values())


def test_the_register_hashes_passwords_with_the_strong_scrypt():
    """The tests' users get a cheap hash (conftest.TEST_HASH_METHOD); a real register must not."""
    import subprocess
    import sys

    script = ("from werkzeug.security import check_password_hash\n"
              "from procure.register.accounts import _hash\n"
              "hashed = _hash('a-password-1')\n"
              "assert check_password_hash(hashed, 'a-password-1')\n"
              "print(hashed.split('$')[0])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "scrypt:32768:8:1"


def test_no_page_shows_the_password_of_a_database_url(tmp_path):
    app = create_app("postgresql://desk:s3cret-pw@127.0.0.1:1/register", secret_key="k", testing=True)
    client = app.test_client()
    response = client.post("/login", data={"username": "desk", "password": "pw-of-desk-1", "csrf_token": token(client)})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "s3cret-pw" not in page and "127.0.0.1:1/register" in page


def test_serve_refuses_another_host_while_the_register_has_no_user(run, tmp_path):
    result = run("serve", "--register", tmp_path / "empty.sqlite", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert "has no user yet" in result.stderr and "procure user add NAME --role admin" in result.stderr


def test_user_add_reads_the_password_from_stdin_and_never_prints_it(run, tmp_path):
    register = tmp_path / "r.sqlite"
    result = run("user", "add", "dana", "--role", "desk", "--password-stdin", "--register", register,
                 input="dana-password-1\n")
    assert result.exit_code == 0 and result.stdout == "added user dana (desk)\n"
    listed = run("user", "list", "--json", "--register", register)
    assert json.loads(listed.stdout)["users"][0] == {**json.loads(listed.stdout)["users"][0], "name": "dana",
                                                     "role": "desk", "active": True}
    assert "dana-password-1" not in listed.stdout
    short = run("user", "add", "erin", "--role", "desk", "--password-stdin", "--register", register, input="short\n")
    assert short.exit_code == 2 and "at least 10 characters" in short.stderr


def test_user_add_asks_twice_on_a_terminal(run, tmp_path):
    result = run("user", "add", "fay", "--role", "viewer", "--register", tmp_path / "r.sqlite",
                 input="fay-password-1\nfay-password-1\n")
    assert result.exit_code == 0, result.stderr
    assert "Repeat the password" in result.stdout


def test_uploads_stay_in_memory(app):
    from flask import request

    with app.test_request_context("/verify", method="POST", content_type="multipart/form-data",
                                  data={"files": (io.BytesIO(b"x" * 2_000_000), "big.pdf")}):
        assert isinstance(request.files["files"].stream, io.BytesIO)


def test_sign_out_ends_the_session(app):
    client = signed_in(app, "desk")
    response = client.post("/logout", data={"csrf_token": token(client, "/quotes")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert client.get("/quotes").status_code == 302


@pytest.mark.parametrize(("command", "short"), [(["serve", "--workers", "1"], False), (["catalog", "versions"], True)])
def test_serve_collects_garbage_as_python_does_and_a_short_command_does_not(tmp_path, command, short):
    # the process entry as `procure` runs it; the thresholds printed as the process ends (serve: at once)
    code = ("import gc, os, sys, waitress\n"
            "interpreters, end = gc.get_threshold(), os._exit\n"
            "waitress.serve = lambda *args, **kwargs: None\n"
            "os._exit = lambda code: (print(gc.get_threshold() == interpreters, gc.get_threshold()[0]), "
            "sys.stdout.flush(), end(code))\n"
            f"sys.argv = ['procure', *{command!r}]\n"
            "from procure.__main__ import main\n"
            "main()\n")
    env = {**os.environ, "PROCURE_REGISTER": str(tmp_path / "r.sqlite")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    raised, young = done.stdout.splitlines()[-1].split()
    assert (raised, young) == ("False", "200000") if short else raised == "True"


def test_importing_the_command_line_leaves_the_collector_alone():
    code = "import gc; before = gc.get_threshold(); import procure.cli; assert gc.get_threshold() == before"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
