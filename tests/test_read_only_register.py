"""A register the desk may read but not write (a copy opened to browse) can be browsed and signed into (issue
26, F13): sign-in writes only when it must, the sessions and the lockout then live in the worker's memory."""

import contextlib
import os
import sqlite3

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


def test_a_register_left_in_write_ahead_log_mode_is_read_where_it_may_not_be_written(tmp_path, monkeypatch):
    """The desk keeps an SQLite register in write-ahead-log mode; read without write permission (as a copy on a
    read-only medium), SQLite could not make its shared-memory file beside it: the register opens all the same,
    and what would write it is refused as for any read-only register."""
    from procure.core.errors import RegisterReadOnly
    from procure.register import sqlite

    target = tmp_path / "register.sqlite"
    number = issue(signed_in(make_desk(tmp_path, register=str(target)), "desk"))
    with contextlib.closing(sqlite3.connect(target)) as connection:  # what the desk's last connection does
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(target, "rb") as file:
        assert file.read(20)[18:20] == sqlite.WAL_HEADER
    monkeypatch.setattr(sqlite.os, "access", lambda path, mode: False)  # root may write anything: say it may not
    with open_register(str(target), create=False) as store:
        assert store.one("SELECT number FROM quotes")[0] == number
        with pytest.raises(RegisterReadOnly), store.writing():
            store.run("DELETE FROM number_claims")
