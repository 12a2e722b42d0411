"""A register the desk may read but not write (a copy opened to browse) can be browsed and signed into (issue
26, F13): sign-in writes only when it must, the sessions and the lockout then live in the worker's memory."""

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from test_web import issue

from procure.register import open_register
from procure.register.sqlite import SQLiteStore
from procure.web import create_app

from desks import PASSWORDS, make_desk, signed_in, token


@pytest.fixture
def browsing(register_target, tmp_path, monkeypatch):
    """The desk over a register with one quote, opened for reading only: a PostgreSQL session whose transactions
    are read-only; an SQLite file and folder without write permission (for root, whom permissions do not stop,
    connections that SQLite keeps from writing)."""
    postgres = register_target.startswith("postgresql")
    folder = tmp_path / "read-only"
    folder.mkdir()
    if not postgres:
        register_target = str(folder / "register.sqlite")
    number = issue(signed_in(make_desk(folder, register=register_target), "desk"))
    if postgres:
        register_target += "%20-cdefault_transaction_read_only%3Don"
    elif os.geteuid() == 0:
        opened = SQLiteStore.open.__func__

        def read_only(cls, *args, **kwargs):
            store = opened(cls, *args, **kwargs)
            store.connection.execute("PRAGMA query_only = ON")
            return store

        monkeypatch.setattr(SQLiteStore, "open", classmethod(read_only))
    else:
        os.chmod(register_target, 0o400)
        os.chmod(folder, 0o500)
    yield create_app(register_target, testing=True), number
    os.chmod(folder, 0o700)


def test_a_read_only_register_is_browsed_after_signing_in(browsing):
    app, number = browsing
    client = signed_in(app, "viewer")
    assert number in client.get("/quotes").get_data(as_text=True)
    assert client.get(f"/quotes/{number}").status_code == 200
    assert client.get(f"/quotes/{number}/{number}.pdf").status_code == 200
    thief = app.test_client()
    thief.set_cookie("procure_session", client.get_cookie("procure_session").value)
    assert client.post("/logout", data={"csrf_token": token(client, "/quotes")}).status_code == 303
    assert thief.get("/quotes").status_code == 302


def test_a_read_only_register_still_locks_a_name_out(browsing):
    app, _ = browsing
    client = app.test_client()
    for _ in range(5):
        wrong = client.post("/login", data={"username": "approver", "password": "wrong-wrong-wrong",
                                            "csrf_token": token(client)})
        assert wrong.status_code == 401
    locked = client.post("/login", data={"username": "approver", "password": PASSWORDS["approver"],
                                         "csrf_token": token(client)})
    assert locked.status_code == 401 and "too many failed sign-ins" in locked.get_data(as_text=True)
    with open_register(app.config["PROCURE_SETTINGS"].register) as store:
        assert store.one("SELECT COUNT(*) FROM sign_in_failures")[0] == 0


def as_an_account_that_may_not_write(folder, read):
    """`read()`'s result, called where `folder` and what it holds may be read but not written: for root, in a
    child process of the account nobody (whom the folder's permissions then stop); for any other, here."""
    os.chmod(folder, 0o555)
    for path in folder.iterdir():
        os.chmod(path, 0o444)
    if os.geteuid() != 0:
        return read()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child reports through the pipe)
        try:
            os.setgid(65534)
            os.setuid(65534)
            os.write(writing, repr(read()).encode())
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as report:
        reported = report.read()
    os.waitpid(child, 0)
    return reported


def test_a_register_left_in_write_ahead_log_mode_is_read_where_it_may_not_be_written(tmp_path):
    """The desk keeps an SQLite register in write-ahead-log mode; read by an account that may not write it (a copy
    on a read-only medium), SQLite could not make its shared-memory file beside it: the register opens all the
    same, and what would write it is refused as for any read-only register."""
    from procure.core.errors import RegisterReadOnly

    folder = Path(tempfile.mkdtemp(prefix="procure-read-only-"))  # a folder the account nobody may reach
    target = folder / "register.sqlite"
    number = issue(signed_in(make_desk(tmp_path, register=str(target)), "desk"))
    with contextlib.closing(sqlite3.connect(target)) as connection:  # what the desk's last connection does
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    def read():
        with open_register(str(target), create=False) as store:
            found = store.one("SELECT number FROM quotes")[0]
            try:
                with store.writing():
                    store.run("DELETE FROM number_claims")
            except RegisterReadOnly:
                return found, "refused"
            return found, "written"

    try:
        assert as_an_account_that_may_not_write(folder, read) in ((number, "refused"), repr((number, "refused")))
    finally:
        os.chmod(folder, 0o700)
        shutil.rmtree(folder)


def test_another_program_reading_the_desk_register_loses_none_of_its_quotes(tmp_path):
    """The desk holds its SQLite register open in write-ahead-log mode while a command reads it and closes it: the
    command must not take itself for the register's last reader and fold the log away under the desk, which
    would go on issuing into a log no other program reads (a connection the desk's process opens later must
    not drop its locks on the file)."""
    target = tmp_path / "register.sqlite"
    client = signed_in(make_desk(tmp_path, register=str(target)), "desk")
    first = issue(client)
    open_register(str(target)).close()

    def listed() -> list[str]:
        result = subprocess.run([sys.executable, "-m", "procure", "quote", "list", "--json", "--register",
                                 str(target)], capture_output=True, text=True, check=True)
        return sorted(q["number"] for q in json.loads(result.stdout)["quotes"])

    assert listed() == [first]
    second = issue(client)
    assert listed() == [first, second]
