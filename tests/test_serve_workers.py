"""`procure serve --workers 2`: two processes share one register: numbers stay gapless, a lockout holds in both."""

import datetime
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from procure import open_register
from procure.register.accounts import LOCK_AFTER, add_user

from conftest import REPO
from orders import PRICES
from registers import REQUEST, number
from webclient import Client, free_port, wait_until_up

PASSWORD = "desk-password-1"
CLIENTS, EACH = 20, 2


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="one worker on Windows")
def test_two_workers_issue_for_twenty_clients_gaplessly_and_share_the_lockout(register_target, tmp_path):
    with open_register(register_target) as store:
        for i in range(CLIENTS):
            add_user(store, f"desk{i}", "desk", PASSWORD)
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "PROCURE_REGISTER_TIMEOUT": "300"}
    server = subprocess.Popen([sys.executable, "-m", "procure", "serve", "--register", register_target, "--prices",
                               str(prices), "--port", str(port), "--workers", "2", "--threads", "4"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        wait_until_up(server, port)
        deadline = time.monotonic() + 60  # the first worker may answer before the arbiter forks the second
        while len(children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(children(server.pid)) == 2, "serve --workers 2 did not start two worker processes"
        people = [Client(port) for _ in range(CLIENTS)]
        assert all(p.sign_in(f"desk{i}", PASSWORD) == 303 for i, p in enumerate(people))
        answers: list[int] = []

        def work(person):
            answers.extend(person.issue(REQUEST) for _ in range(EACH))

        threads = [threading.Thread(target=work, args=(p,)) for p in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert answers == [303] * (CLIENTS * EACH), answers
        with open_register(register_target) as store:
            numbers = sorted(e.number for e in store.entries(today=datetime.date.today()))
        assert numbers == [number(n) for n in range(1, CLIENTS * EACH + 1)]

        # wrong passwords, each on a new connection (the arbiter hands connections to either worker)
        assert [Client(port).sign_in("desk0", "wrong-password") for _ in range(LOCK_AFTER)] == [401] * LOCK_AFTER
        assert {Client(port).sign_in("desk0", PASSWORD) for _ in range(6)} == {401}
        assert Client(port).sign_in("desk1", PASSWORD) == 303
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=60)
    assert server.returncode == 0 and "Traceback" not in stderr, stderr[-2000:]
