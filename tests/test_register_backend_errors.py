"""How each backend's driver errors become the register's: a key taken twice is a Conflict (the issue is tried
again), a file that is no register says so; and queries reach PostgreSQL with their literals as written."""

import pytest

from procure.core.errors import RegisterError
from procure.register import open_register
from procure.register.connection import Conflict
from procure.register.postgres import psycopg_query

from registers import issued


def test_a_quote_stored_twice_is_a_conflict_on_either_backend(desk):
    number = issued(desk.issue())
    with open_register(desk.target) as store:
        again = store.issued(number)
        files = {f.suffix: (f.sha256, f.content) for f in store.files(number)}
        with pytest.raises(Conflict), store.writing():
            store.add(again, files)
        assert [e.number for e in store.entries(today=again.date)] == [number]


def test_a_file_that_is_not_an_sqlite_register_is_named(tmp_path):
    garbage = tmp_path / "notes.sqlite"
    garbage.write_bytes(b"these are my notes, not a database" * 200)
    with pytest.raises(RegisterError) as raised:
        open_register(str(garbage))
    assert raised.value.problems == [f"{garbage}: is not a procure register: not an SQLite file, or damaged "
                                     f"(file is not a database)"]


def test_a_question_mark_or_percent_sign_in_a_literal_is_never_a_parameter():
    assert psycopg_query("SELECT ? FROM t WHERE a = 'what? 100%' AND \"b?\" = ? -- why?\n AND c LIKE ?") == (
        "SELECT %s FROM t WHERE a = 'what? 100%%' AND \"b?\" = %s -- why?\n AND c LIKE %s")
    assert psycopg_query("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', %s"


def test_postgresql_reads_a_literal_as_written_beside_parameters(postgres_schema):
    with open_register(postgres_schema) as store:
        row = store.one("SELECT ?, 'what? 100%', ?", ("a", 2))
        alone = store.one("SELECT 'what? 100%'")
    assert tuple(row) == ("a", "what? 100%", 2)
    assert tuple(alone) == ("what? 100%",)
