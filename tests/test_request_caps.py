"""Requests that cannot hurt the server (issue 26, F6, F16): a Content-Length over the cap is refused before any
of the body is read, signed in or not; a checked file travels to the next step as a reference kept in the
register, not its bytes again; waitress closes slow connections, spools large bodies and serves users while a
hundred slow clients hang on."""

import io
import re
import socket
import subprocess
import sys
import time

import pytest

from procure.web.security import MAX_REQUEST

from desks import make_desk, signed_in, token
from registers import REQUEST


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


@pytest.fixture
def app(tmp_path):
    return make_desk(tmp_path)


@pytest.mark.parametrize("path", ["/login", "/quotes/new", "/verify", "/logout"])
@pytest.mark.parametrize("who", ["anonymous", "desk"])
def test_a_content_length_over_the_cap_is_413_before_the_body_is_read(app, path, who):
    client = app.test_client() if who == "anonymous" else signed_in(app, who)
    response = client.post(path, content_type="multipart/form-data; boundary=x",
                           environ_overrides={"wsgi.input": Untouchable(), "CONTENT_LENGTH": str(MAX_REQUEST + 1)})
    assert response.status_code == 413 and "at most 20 MB" in response.get_data(as_text=True)


def checked(client, text=REQUEST):
    response = client.post("/quotes/new", data={"request": (io.BytesIO(text.encode()), "request.toml"),
                                                "action": "check", "csrf_token": token(client, "/quotes/new")},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    return page, re.search(r'name="request_ref" value="([^"]+)"', page).group(1)


@pytest.mark.slow
def test_a_checked_file_is_carried_by_reference_not_by_its_bytes(app):
    client = signed_in(app, "desk")
    padding = "# " + "x" * 98 + "\n"
    page, ref = checked(client, REQUEST + padding * 90_000)  # a 9 MB request: its bytes would be 12 MB again
    assert len(page) < 200_000 and len(ref) < 100
    response = client.post("/quotes/new", data={"request_ref": ref, "action": "issue",
                                                "csrf_token": token(client, "/quotes/new")},
                           content_type="multipart/form-data")
    assert response.status_code == 303


def test_another_user_cannot_use_a_carried_reference(app):
    _, ref = checked(signed_in(app, "desk"))
    other = signed_in(app, "approver")
    response = other.post("/quotes/new", data={"request_ref": ref, "action": "issue",
                                               "csrf_token": token(other, "/quotes/new")},
                          content_type="multipart/form-data")
    assert response.status_code == 422 and "Request file: choose" in response.get_data(as_text=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
        return answer


@pytest.mark.slow
def test_a_hundred_slow_clients_do_not_lock_users_out_and_a_big_length_is_refused_unread(tmp_path):
    make_desk(tmp_path)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "procure", "serve", "--register",
                               str(tmp_path / "register.sqlite"), "--port", str(port), "--workers", "1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    slow = []
    try:
        for _ in range(100):
            try:
                if get(port, "/healthz").endswith(b"ok"):
                    break
            except OSError:
                time.sleep(0.1)
        for _ in range(100):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      b"Content-Length: 1000000\r\n\r\nusername=")  # and then nothing more
            slow.append(s)
        started = time.monotonic()
        assert b"200 OK" in get(port, "/login") and time.monotonic() - started < 5
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(f"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: {MAX_REQUEST + 1}\r\n\r\n".encode())
            assert s.recv(65536).startswith(b"HTTP/1.1 413")
    finally:
        for s in slow:
            s.close()
        server.terminate()
        server.wait(30)


def test_carried_files_serve_their_user_only_for_a_while_and_are_pruned(register_target):
    import datetime

    from procure.register import open_register
    from procure.register.carried import KEEP_FOR, MAX_PER_USER, fetch, keep

    t0 = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)
    with open_register(register_target) as store:
        ref = keep(store, "dana", "request.xlsx", b"\x00PK bytes\xff", t0)
        assert fetch(store, "dana", ref, t0) == ("request.xlsx", b"\x00PK bytes\xff")
        assert fetch(store, "lee", ref, t0) is None and fetch(store, "dana", "x" * 500, t0) is None
        assert fetch(store, "dana", ref, t0 + KEEP_FOR + datetime.timedelta(seconds=1)) is None
        for n in range(MAX_PER_USER + 5):
            keep(store, "dana", f"f{n}.toml", b"x", t0 + datetime.timedelta(seconds=n))
        keep(store, "lee", "g.toml", b"y", t0 + KEEP_FOR + datetime.timedelta(minutes=1))
        kept = store.all("SELECT user_name, COUNT(*) FROM web_carried GROUP BY user_name ORDER BY user_name")
        assert [tuple(row) for row in kept] == [("lee", 1)]  # dana's kept ones outlived KEEP_FOR and were pruned
        for n in range(MAX_PER_USER + 5):
            keep(store, "lee", f"f{n}.toml", b"x", t0 + KEEP_FOR + datetime.timedelta(minutes=2, seconds=n))
        assert store.one("SELECT COUNT(*) FROM web_carried WHERE user_name = 'lee'")[0] == MAX_PER_USER
