"""`register copy`, `backup` and `restore`: a register moves between backends, and is kept, whole and checked."""

import datetime
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from procure import open_register
from procure.register.accounts import add_user, secret_key, sign_in

from conftest import REPO, assert_no_traceback
from orders import PRICES
from registers import REQUEST, Desk, issued, number

PASSWORD = "correct horse battery"


def filled(desk: Desk) -> list[str]:
    """Three quotes, a revision, an acceptance, a void and a user with a password: something of every kind."""
    numbers = [issued(desk.issue()) for _ in range(3)]
    numbers.append(issued(desk.revise(numbers[0], REQUEST.replace("procedures = 12", "procedures = 20"))))
    assert desk("quote", "accept", numbers[1], "--delivery-order", "SPE2DE26F0001").exit_code == 0
    assert desk("quote", "void", numbers[2], "--reason", "facility cancelled").exit_code == 0
    with open_register(desk.target) as store:
        add_user(store, "pat", "admin", PASSWORD)
        return numbers + [secret_key(store)]


def desk_in(target: str, folder) -> Desk:
    """A desk with a folder of its own (each writes its quotes' files into its own `out`)."""
    folder.mkdir(exist_ok=True)
    return Desk(target, folder)


def exported(target: str, folder, name: str) -> bytes:
    path = folder / name
    result = Desk(target, folder)("register", "export", "-o", path, "--force")
    assert result.exit_code == 0, result.stderr
    return path.read_bytes()


def test_a_round_trip_through_postgresql_gives_back_the_same_register(tmp_path, postgres_schema):
    first = Desk(str(tmp_path / "first.sqlite"), tmp_path)
    *numbers, key = filled(first)
    last = str(tmp_path / "last.sqlite")
    there = first("register", "copy", first.target, postgres_schema, register=False)
    assert there.exit_code == 0, there.stderr
    assert "every table's rows counted on the copy" in there.stdout and "files" in there.stdout
    back = first("register", "copy", postgres_schema, last, register=False)
    assert back.exit_code == 0, back.stderr
    assert exported(last, tmp_path, "last.csv") == exported(first.target, tmp_path, "first.csv")
    assert exported(postgres_schema, tmp_path, "there.csv") == exported(first.target, tmp_path, "first.csv")
    home = desk_in(last, tmp_path / "home")
    for n in numbers:
        verified = home("quote", "verify", first.out / f"{n}.pdf")  # the files issued into the first register
        assert verified.exit_code == 0 and n in verified.stdout, verified.stderr
    with open_register(last) as store:
        assert sign_in(store, "pat", PASSWORD).role == "admin"
        assert secret_key(store) == key
    # the copy goes on numbering where the original stopped, on each backend
    assert issued(desk_in(postgres_schema, tmp_path / "there").issue()) == number(4)
    assert issued(home.issue()) == number(4)


def test_a_copy_into_a_register_that_holds_anything_is_refused_and_writes_nothing(register_target, tmp_path):
    source = desk_in(str(tmp_path / "source.sqlite"), tmp_path / "source")
    issued(source.issue())
    issued(source.issue())
    target = Desk(register_target, tmp_path)
    issued(target.issue())
    before = exported(register_target, tmp_path, "before.csv")
    refused = source("register", "copy", source.target, register_target, register=False)
    assert refused.exit_code == 1
    assert_no_traceback(refused)
    assert "is not empty: it holds" in refused.stderr and "of quotes" in refused.stderr
    assert "nothing was written" in refused.stderr
    assert exported(register_target, tmp_path, "after.csv") == before


def test_a_register_with_another_number_format_is_not_empty(register_target, tmp_path):
    source = desk_in(str(tmp_path / "source.sqlite"), tmp_path / "source")
    issued(source.issue())
    target = Desk(register_target, tmp_path)
    assert target("register", "init", "--number-format", "DESK-{seq:05d}").exit_code == 0
    refused = source("register", "copy", source.target, register_target, register=False)
    assert refused.exit_code == 1 and "row(s) of settings" in refused.stderr


def test_a_copy_into_each_backend_keeps_numbers_and_files(register_target, tmp_path):
    source = desk_in(str(tmp_path / "source.sqlite"), tmp_path / "source")
    numbers = [issued(source.issue()) for _ in range(2)]
    copied = source("register", "copy", source.target, register_target, register=False)
    assert copied.exit_code == 0, copied.stderr
    target = Desk(register_target, tmp_path)
    assert exported(register_target, tmp_path, "copy.csv") == exported(source.target, tmp_path, "source.csv")
    assert target("register", "check").exit_code == 0
    assert issued(target.issue()) == number(3)
    assert numbers == [number(1), number(2)]


def test_a_copy_of_a_register_into_itself_is_refused(tmp_path):
    desk = Desk(str(tmp_path / "r.sqlite"), tmp_path)
    refused = desk("register", "copy", desk.target, desk.target, register=False)
    assert refused.exit_code == 1 and "not into itself" in refused.stderr


def test_a_copy_from_a_register_that_does_not_exist_creates_nothing(tmp_path):
    desk = Desk(str(tmp_path / "r.sqlite"), tmp_path)
    refused = desk("register", "copy", tmp_path / "missing.sqlite", desk.target, register=False)
    assert refused.exit_code == 1 and "no register here yet" in refused.stderr
    assert_no_traceback(refused)
    assert not (tmp_path / "missing.sqlite").exists()


def test_a_backup_is_a_register_and_restores_into_each_backend(register_target, tmp_path):
    live = Desk(register_target, tmp_path)
    for _ in range(2):
        issued(live.issue())
    backup = tmp_path / "backup.sqlite"
    made = live("register", "backup", "-o", backup)
    assert made.exit_code == 0, made.stderr
    assert "backed up" in made.stdout
    assert live("register", "check", "--register", backup, register=False).exit_code == 0
    with open(backup, "rb") as file:  # one file, without a write-ahead log beside it: readable from read-only media
        assert file.read(20)[18:20] == b"\x01\x01"
    again = live("register", "backup", "-o", backup)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert live("register", "backup", "-o", backup, "--force").exit_code == 0
    restored = tmp_path / "restored.sqlite"
    assert live("register", "restore", backup, "--register", restored, register=False).exit_code == 0
    assert exported(str(restored), tmp_path, "restored.csv") == exported(register_target, tmp_path, "live.csv")
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


ISSUER = textwrap.dedent("""
    import sys
    import procure
    from procure.register.issuing import issue, read_source

    target, request, prices, out, count = sys.argv[1:]
    catalog = procure.shipped_catalog()
    source = read_source(request, prices)
    with procure.open_register(target) as store:
        for _ in range(int(count)):
            print(issue(store, source, catalog, out).issued.number, flush=True)
""")


@pytest.mark.slow
def test_a_backup_taken_while_four_desks_issue_is_a_consistent_register(register_target, tmp_path):
    request, prices = tmp_path / "request.toml", tmp_path / "prices.csv"
    request.write_text(REQUEST, encoding="utf-8")
    prices.write_text(PRICES, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PROCURE_REGISTER_TIMEOUT": "300"}
    desk = desk_in(register_target, tmp_path / "desk")
    issued(desk.issue())
    issuers = [subprocess.Popen([sys.executable, "-c", ISSUER, register_target, str(request), str(prices),
                                 str(tmp_path / f"desk{n}"), "8"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env) for n in range(4)]
    backups = []
    for n in range(3):
        time.sleep(2)
        path = tmp_path / f"backup{n}.sqlite"
        made = desk("register", "backup", "-o", path)
        assert made.exit_code == 0, made.stderr
        backups.append(path)
    for issuer in issuers:
        _, stderr = issuer.communicate(timeout=600)
        assert issuer.returncode == 0, stderr[-2000:]
    today = datetime.date.today()
    with open_register(register_target) as store:
        live = sorted(e.number for e in store.entries(today=today))
    assert live == [number(n) for n in range(1, 34)]
    for path in backups:
        assert desk("register", "check", "--register", path, register=False).exit_code == 0
        with open_register(str(path), create=False) as store:
            kept = sorted(e.number for e in store.entries(today=today))
            assert kept == live[:len(kept)]
            files = sqlite3.connect(path).execute("SELECT COUNT(*) FROM files").fetchone()[0]
            assert files == 4 * len(kept), "a backup holds a quote without all its files"
    restored = tmp_path / "restored.sqlite"
    assert desk("register", "restore", backups[-1], "--register", restored, register=False).exit_code == 0
    assert exported(str(restored), tmp_path, "restored.csv") == exported(str(backups[-1]), tmp_path, "backup.csv")


@pytest.mark.parametrize("args", [("copy", "{source}", ""), ("copy", "", "{target}"), ("restore", "{source}")])
def test_a_copy_that_names_no_register_is_refused(tmp_path, args):
    desk = desk_in(str(tmp_path / "source.sqlite"), tmp_path / "source")
    issued(desk.issue())
    values = {"source": desk.target, "target": str(tmp_path / "target.sqlite")}
    refused = desk("register", *(a.format(**values) for a in args), register=False)
    assert refused.exit_code == 2 and "name the register" in refused.stderr
    assert_no_traceback(refused)
    assert not (tmp_path / "user-data").exists(), "the default register was made"


def test_a_backup_into_a_folder_that_does_not_exist_is_refused_in_a_line(tmp_path):
    desk = desk_in(str(tmp_path / "source.sqlite"), tmp_path / "source")
    issued(desk.issue())
    refused = desk("register", "backup", "-o", tmp_path / "missing" / "backup.sqlite")
    assert refused.exit_code == 2 and "cannot write the backup there" in refused.stderr
    assert_no_traceback(refused)


def test_a_table_a_later_migration_adds_is_copied_with_its_types_and_ids(tmp_path, postgres_schema):
    import psycopg

    source = desk_in(str(tmp_path / "source.sqlite"), tmp_path / "source")
    first = issued(source.issue())
    with sqlite3.connect(source.target) as db:
        db.execute("CREATE TABLE later_rows (id INTEGER PRIMARY KEY AUTOINCREMENT, quote TEXT REFERENCES quotes "
                   "(number), body BLOB NOT NULL, approved INTEGER NOT NULL, approved_at TEXT)")
        db.executemany("INSERT INTO later_rows (quote, body, approved, approved_at) VALUES (?, ?, ?, ?)",
                       [(first, b"\x00part,price\n", 1, "2026-11-28T17:30:00+00:00"), (None, b"x", 0, None)])
    with open_register(postgres_schema):
        pass
    with psycopg.connect(postgres_schema, autocommit=True) as db:
        db.execute("CREATE TABLE later_rows (id BIGSERIAL PRIMARY KEY, quote TEXT REFERENCES quotes (number), "
                   "body BYTEA NOT NULL, approved BOOLEAN NOT NULL, approved_at TIMESTAMPTZ)")
    copied = source("register", "copy", source.target, postgres_schema, register=False)
    assert copied.exit_code == 0, copied.stderr
    assert "later_rows" in copied.stdout
    with psycopg.connect(postgres_schema, autocommit=True) as db:
        rows = db.execute("SELECT id, quote, body, approved, approved_at FROM later_rows ORDER BY id").fetchall()
        assert [(r[0], r[1], bytes(r[2]), r[3]) for r in rows] == [(1, first, b"\x00part,price\n", True),
                                                                   (2, None, b"x", False)]
        assert rows[0][4] == datetime.datetime(2026, 11, 28, 17, 30, tzinfo=datetime.UTC)
        assert db.execute("INSERT INTO later_rows (body, approved) VALUES ('', false) RETURNING id").fetchone() == (3,)
