"""The shipped team server: gunicorn with deploy/gunicorn.conf.py, on PostgreSQL, serves and issues."""

import datetime
import os
import subprocess
import sys

import pytest

from procure import open_register
from procure.register.accounts import add_user

from conftest import REPO
from orders import PRICES
from registers import REQUEST, number
from webclient import Client, free_port, wait_until_up

DEPLOY = REPO / "deploy"
PASSWORD = "desk-password-1"


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="gunicorn runs on POSIX")
def test_the_shipped_gunicorn_configuration_serves_a_desk_on_postgresql(postgres_schema, tmp_path):
    with open_register(postgres_schema) as store:
        add_user(store, "pat", "desk", PASSWORD)
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "PROCURE_REGISTER": postgres_schema, "PROCURE_PRICES": str(prices),
           "PROCURE_BIND": f"127.0.0.1:{port}", "PROCURE_WORKERS": "2", "PROCURE_THREADS": "4"}
    env.pop("PROCURE_PROFILE", None)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")],
                              env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(server, port)
        person = Client(port)
        assert person.sign_in("pat", PASSWORD) == 303
        assert [person.issue(REQUEST) for _ in range(3)] == [303] * 3
        status, page = person.send("GET", "/quotes")
        assert status == 200 and number(3) in page.decode()
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=60)
    assert server.returncode == 0, stderr[-2000:]
    assert "Traceback" not in stderr, stderr[-2000:]
    with open_register(postgres_schema) as store:
        numbers = sorted(e.number for e in store.entries(today=datetime.date.today()))
    assert numbers == [number(1), number(2), number(3)]


def test_the_systemd_unit_runs_the_shipped_configuration_with_its_environment():
    unit = (DEPLOY / "procure.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/procure/bin/gunicorn -c /etc/procure/gunicorn.conf.py" in unit
    assert "EnvironmentFile=/etc/procure/procure.env" in unit
    settings = (DEPLOY / "procure.env").read_text(encoding="utf-8")
    config = (DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8")
    for name in ("PROCURE_BIND", "PROCURE_WORKERS", "PROCURE_THREADS", "PROCURE_TIMEOUT"):
        assert name in settings and name in config
    assert "PROCURE_REGISTER=postgresql://" in settings
