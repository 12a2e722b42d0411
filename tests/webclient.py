"""A desk served in a process of its own, and people signed in to it over HTTP (for the multi-process tests)."""

import http.client
import re
import socket
import subprocess
import time
import uuid
from urllib.parse import urlencode

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(server: subprocess.Popen, port: int, seconds: float = 60) -> None:
    """Return once GET /healthz answers 200; AssertionError with the server's stderr if it ended or never did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError(f"the desk did not answer: {server.communicate()[1][-2000:]}")


class Client:
    """One person at the desk: a keep-alive connection with its session cookie."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.cookie = ""

    def send(self, method: str, path: str, body: bytes | None = None, kind: str | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if kind:
            headers["Content-Type"] = kind
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def token(self, path: str) -> str:
        _, page = self.send("GET", path)
        return TOKEN.search(page.decode()).group(1)

    def sign_in(self, name: str, password: str) -> int:
        form = {"username": name, "password": password, "csrf_token": self.token("/login")}
        return self.send("POST", "/login", urlencode(form).encode(), "application/x-www-form-urlencoded")[0]

    def issue(self, text: str) -> int:
        """POST /quotes/new with `text` as the request file; the answer's status."""
        boundary = uuid.uuid4().hex
        token = self.token("/quotes/new")
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nissue\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"request\"; filename=\"request.toml\"\r\n"
                f"Content-Type: application/toml\r\n\r\n{text}\r\n--{boundary}--\r\n").encode()
        return self.send("POST", "/quotes/new", body, f"multipart/form-data; boundary={boundary}")[0]
