"""Sign-in limits that hold under a burst (issue 26, F3, F14): at most 5 password checks of a name per window
however many requests arrive at once, on two worker processes and both backends; a limit per client address;
made-up names write nothing; HSTS with --https-only."""

import datetime
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from procure.register import open_register
from procure.register.accounts import ADDRESS_LIMIT, LOCK_AFTER, SignInRefused, add_user, sign_in

from desks import PASSWORDS, make_desk, token

T0 = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def failures(store, name=None) -> int:
    if name is None:
        return store.one("SELECT COUNT(*) FROM sign_in_failures")[0]
    return store.one("SELECT COUNT(*) FROM sign_in_failures WHERE name = ?", (name,))[0]


def test_one_address_trying_many_names_is_stopped(register_target):
    with open_register(register_target) as store:
        for n in range(ADDRESS_LIMIT + 1):
            add_user(store, f"user{n}", "viewer", f"password-of-{n}-ok")
        for n in range(ADDRESS_LIMIT):
            with pytest.raises(SignInRefused, match="wrong"):
                sign_in(store, f"user{n}", "Winter2026!", T0, address="10.0.0.9")
        with pytest.raises(SignInRefused, match="too many failed sign-ins from this computer"):
            sign_in(store, f"user{ADDRESS_LIMIT}", f"password-of-{ADDRESS_LIMIT}-ok", T0, address="10.0.0.9")
        assert failures(store) == ADDRESS_LIMIT  # the refused attempt checked no password
        assert sign_in(store, f"user{ADDRESS_LIMIT}", f"password-of-{ADDRESS_LIMIT}-ok", T0,
                       address="10.0.0.10").name == f"user{ADDRESS_LIMIT}"
        later = T0 + datetime.timedelta(minutes=16)
        assert sign_in(store, "user0", "password-of-0-ok", later, address="10.0.0.9").name == "user0"


def test_made_up_names_write_nothing_and_lock_out_like_real_ones(register_target):
    ghost = f"ghost-{uuid.uuid4().hex[:8]}"  # this worker's memory of made-up names outlives a test
    with open_register(register_target) as store:
        for n in range(20):
            with pytest.raises(SignInRefused, match="wrong"):
                sign_in(store, f"{ghost}-{n}", "guess-guess", T0, address="10.0.0.7")
        assert failures(store) == 0
        for _ in range(LOCK_AFTER):
            with pytest.raises(SignInRefused, match="wrong"):
                sign_in(store, ghost, "guess-guess", T0)
        with pytest.raises(SignInRefused, match=f"too many failed sign-ins for {ghost}"):
            sign_in(store, ghost, "guess-guess", T0)


def test_old_failures_of_a_name_are_pruned_when_it_fails_again(register_target):
    with open_register(register_target) as store:
        add_user(store, "dana", "desk", "dana-password-1")
        for day in range(10):
            with pytest.raises(SignInRefused):
                sign_in(store, "dana", "wrong-wrong", T0 + datetime.timedelta(days=day))
        assert failures(store, "dana") == 1


def test_https_only_sends_hsts_and_plain_http_does_not(tmp_path):
    secure = make_desk(tmp_path, https_only=True).test_client().get("/login")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    (tmp_path / "plain").mkdir()
    plain = make_desk(tmp_path / "plain").test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser():
    """A urllib opener that keeps its cookies, and does not follow redirects."""
    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), Stay)


def answer(opener, url, data=None) -> tuple[int, str]:
    try:
        with opener.open(url, data=urllib.parse.urlencode(data).encode() if data else None, timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.mark.slow
def test_a_burst_of_40_wrong_passwords_on_two_workers_checks_at_most_5(register_target, tmp_path):
    make_desk(tmp_path, register=register_target)
    port = free_port()
    env = {**os.environ, "PROCURE_REGISTER": register_target, "PROCURE_SECRET_KEY": "burst-key"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "20", "-b",
                               f"127.0.0.1:{port}", "procure.web:create_app()"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if answer(browser(), base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        clients = [browser() for _ in range(40)]
        tokens = [TOKEN.search(answer(c, base + "/login")[1]).group(1) for c in clients]
        start, codes = threading.Barrier(40), []

        def attempt(client, csrf):
            start.wait()
            codes.append(answer(client, base + "/login", {"username": "desk", "password": "not-the-password",
                                                          "csrf_token": csrf})[0])

        threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert codes == [401] * 40
        with open_register(register_target) as store:
            assert failures(store, "desk") == LOCK_AFTER  # one row per password checked, written before the check
        status, page = answer(clients[0], base + "/login", {"username": "desk", "password": PASSWORDS["desk"],
                                                            "csrf_token": tokens[0]})
        assert status == 401 and "too many failed sign-ins for desk" in page
    finally:
        server.terminate()
        server.wait(30)


def test_sign_in_through_the_page_counts_the_client_address(tmp_path):
    app = make_desk(tmp_path)
    client = app.test_client()
    client.post("/login", data={"username": "desk", "password": "wrong-wrong", "csrf_token": token(client)},
                environ_base={"REMOTE_ADDR": "192.0.2.5"})
    with open_register(app.config["PROCURE_SETTINGS"].register) as store:
        assert store.one("SELECT address FROM sign_in_failures")[0] == "192.0.2.5"
