"""A register that cannot be used says so in one line, exits 2 and writes nothing; issued rows never change."""

import sqlite3

import pytest

from procure import RegisterError, open_register
from procure.register import migrate

from conftest import assert_no_traceback
from registers import Desk, number


def one_line_error(result, *words) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert_no_traceback(result)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def test_an_unreachable_postgresql_is_one_line_without_the_password(tmp_path):
    desk = Desk("postgresql://desk:hunter2@127.0.0.1:1/quotes", tmp_path)
    message = one_line_error(desk.issue(), "cannot reach the register", "postgresql://desk@127.0.0.1:1/quotes")
    assert "hunter2" not in message
    assert not desk.out.exists()


def test_register_info_never_prints_the_password(postgres_schema, tmp_path):
    target = postgres_schema.replace("postgres@", "postgres:hunter2@", 1)
    assert "hunter2" in target
    missing = Desk(target, tmp_path)("register", "info")
    assert missing.exit_code == 1 and "hunter2" not in missing.stderr
    assert Desk(target, tmp_path)("register", "init").exit_code == 0
    result = Desk(target, tmp_path)("register", "info")
    assert result.exit_code == 0, result.stderr
    assert "hunter2" not in result.stdout and "postgres@127.0.0.1" in result.stdout


def test_a_damaged_sqlite_file_is_one_line_and_stays_as_it_was(tmp_path):
    path = tmp_path / "register.sqlite"
    path.write_bytes(b"this is not a database\n" * 200)
    desk = Desk(str(path), tmp_path)
    one_line_error(desk.issue(), "is not a procure register")
    assert path.read_bytes() == b"this is not a database\n" * 200
    assert not desk.out.exists()


def test_a_quote_whose_inputs_were_lost_is_one_line_naming_the_damage(tmp_path):
    path = tmp_path / "register.sqlite"
    desk = Desk(str(path), tmp_path)
    assert desk.issue().exit_code == 0
    with sqlite3.connect(path) as connection:  # what no procure command can do: the triggers refuse it
        connection.execute("DROP TRIGGER inputs_no_delete")
        connection.execute("DELETE FROM inputs")
    connection.close()
    one_line_error(desk("quote", "show", number(1)), f"holds no inputs of quote {number(1)}", "damaged")


def test_an_sqlite_file_of_something_else_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE orders (id INTEGER)")
    connection.close()
    one_line_error(Desk(str(path), tmp_path)("quote", "list"), "not a procure register")


def test_a_locked_sqlite_register_is_one_line_and_uses_no_number(tmp_path):
    path = tmp_path / "register.sqlite"
    desk = Desk(str(path), tmp_path)
    open_register(str(path)).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        one_line_error(desk.issue(env={"PROCURE_REGISTER_TIMEOUT": "0.2"}), "locked by another program")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not desk.out.exists() or not list(desk.out.iterdir())
    assert desk.issue().stdout.startswith(f"issued {number(1)}")


def test_a_timeout_that_is_not_a_number_is_a_usage_error(tmp_path):
    one_line_error(Desk(str(tmp_path / "r.sqlite"), tmp_path)("quote", "list",
                                                             env={"PROCURE_REGISTER_TIMEOUT": "soon"}),
                   "PROCURE_REGISTER_TIMEOUT")


def test_a_register_from_a_newer_procure_is_refused(desk):
    with open_register(desk.target) as store, store.writing():
        store.run("INSERT INTO procure_schema (version, name, applied_at, procure_version) "
                  "VALUES (?, ?, ?, ?)", (99, "future", "2030-01-01T00:00:00+00:00", "9.0"))
    one_line_error(desk.issue(), "schema version 99", "upgrade procure")
    assert not desk.out.exists()


def test_an_older_register_is_migrated_on_open(desk, monkeypatch):
    issued = desk.issue()
    assert issued.exit_code == 0, issued.stderr
    kind = "postgres" if desk.target.startswith("postgresql") else "sqlite"
    later = migrate.Migration(len(migrate.available(kind)) + 1, "note",
                              "ALTER TABLE quotes ADD COLUMN note TEXT;\n")
    known = migrate.available
    monkeypatch.setattr(migrate, "available", lambda backend: (*known(backend), later))
    with open_register(desk.target) as store:
        assert store.schema_version == later.version
        assert store.count() == (1, 1)
    if kind == "sqlite":
        backup = f"{desk.target}.schema{later.version - 1}.bak"
        with open_register(backup) as copy:  # the copy is the register as it was (and migrates on open, here)
            assert copy.count() == (1, 1)
    assert desk.issue().stdout.startswith(f"issued {number(2)}")


@pytest.mark.parametrize("statement", ["UPDATE quotes SET facility = ?", "DELETE FROM quotes WHERE facility <> ?",
                                       "UPDATE files SET sha256 = ?", "DELETE FROM files WHERE sha256 <> ?",
                                       "UPDATE inputs SET request_bytes = ?", "DELETE FROM inputs WHERE number <> ?",
                                       "UPDATE events SET reason = ?"])
def test_issued_rows_cannot_be_changed_or_deleted(desk, statement):
    issued = desk.issue()
    assert issued.exit_code == 0, issued.stderr
    assert desk("quote", "void", number(1), "--reason", "test").exit_code == 0
    with open_register(desk.target) as store:
        with pytest.raises(RegisterError, match="immutable"), store.writing():
            store.run(statement, ("x",))
        assert store.count() == (1, 1) and len(store.events()) == 1


def test_without_a_target_the_register_is_in_the_user_data_folder(tmp_path):
    desk = Desk("", tmp_path)
    assert desk("register", "init", register=False, env={"XDG_DATA_HOME": str(tmp_path / "data")}).exit_code == 0
    result = desk("register", "info", register=False, env={"XDG_DATA_HOME": str(tmp_path / "data")})
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "data" / "procure" / "register.sqlite"
    assert str(path) in result.stdout and path.is_file()


def test_the_light_commands_import_no_database_driver(run_module):
    for command in (("plan", "examples/request.toml"), ("catalog", "versions")):
        completed = run_module(*command, python_args=("-X", "importtime"))
        assert completed.returncode == 0, completed.stderr[-2000:]
        names = {line.rsplit("|", 1)[1].strip() for line in completed.stderr.splitlines()
                 if line.startswith("import time:") and "|" in line}
        assert "procure.cli" in names
        for module in ("sqlite3", "psycopg", "procure.register.store", "procure.cli.register_groups", "openpyxl"):
            assert module not in names, f"`procure {' '.join(command)}` imported {module}"
