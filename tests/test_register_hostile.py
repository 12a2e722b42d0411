"""The register under hostile targets, settings and text (issue 17, items 6, 8, 9, 10, 14, 16, 17, 20)."""

import pytest

from procure.register.postgres import psycopg_query

from conftest import assert_no_traceback
from registers import Desk


def one_line_error(result, *words, code=2) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert_no_traceback(result)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


@pytest.mark.parametrize("password", ["se/cret99", "se?cret99", "se#cret99", "se@cret99", "a:b@c/d?e#f9"])
def test_a_password_with_url_characters_never_appears(tmp_path, password):
    desk = Desk(f"postgresql://desk:{password}@127.0.0.1:1/quotes", tmp_path)
    for result in (desk("quote", "list"), desk.issue(), desk("register", "info")):
        message = one_line_error(result, "postgresql://desk@127.0.0.1:1/quotes")
        for piece in ("cret99", "e#f9", password):
            assert piece not in message


@pytest.mark.parametrize("target", ["postgresql://desk@[::1/quotes", "postgresql://desk:pw@[::1:5432/q",
                                    "postgresql://[/"])
def test_a_malformed_url_is_one_line(tmp_path, target):
    message = one_line_error(Desk(target, tmp_path)("quote", "list"))
    assert ":pw@" not in message and "internal error" not in message


@pytest.mark.parametrize("timeout", ["nan", "inf", "-inf", "1e309", "-1", "86401"])
def test_a_timeout_out_of_range_is_one_line(tmp_path, timeout):
    for target in (str(tmp_path / "r.sqlite"), "postgresql://desk@127.0.0.1:1/q"):
        one_line_error(Desk(target, tmp_path)("quote", "list", env={"PROCURE_REGISTER_TIMEOUT": timeout}),
                       "PROCURE_REGISTER_TIMEOUT", "seconds")


@pytest.mark.parametrize("command", [("quote", "verify", "q.pdf"), ("quote", "list"), ("quote", "show", "Q-1"),
                                     ("quote", "files", "Q-1", "-o", "copy"), ("register", "export", "-o", "r.csv"),
                                     ("register", "info"), ("customer", "list"), ("quote", "due"), ("user", "list")])
def test_a_command_that_reads_never_creates_a_register(tmp_path, command):
    (tmp_path / "q.pdf").write_bytes(b"%PDF-1.4 a genuine quote")
    desk = Desk(str(tmp_path / "typo.sqlite"), tmp_path)
    one_line_error(desk(*[tmp_path / c if c in ("q.pdf", "copy", "r.csv") else c for c in command]),
                   "no register here yet", "typo.sqlite", "register init", code=1)
    assert not (tmp_path / "typo.sqlite").exists()


def test_a_register_on_an_empty_postgresql_schema_is_not_created_by_verify(postgres_schema, tmp_path):
    (tmp_path / "q.pdf").write_bytes(b"%PDF-1.4 a genuine quote")
    for command in (("quote", "verify", tmp_path / "q.pdf"), ("register", "info")):
        one_line_error(Desk(postgres_schema, tmp_path)(*command), "no register here yet", code=1)
    assert Desk(postgres_schema, tmp_path)("register", "init").exit_code == 0
    assert Desk(postgres_schema, tmp_path)("register", "info").exit_code == 0


def test_a_register_below_a_file_is_one_line_naming_the_file(tmp_path):
    (tmp_path / "afile").write_text("x")
    message = one_line_error(Desk(str(tmp_path / "afile" / "reg.sqlite"), tmp_path)("register", "info"))
    assert "afile is a file, not a folder" in message and "File exists" not in message


def test_register_info_shows_a_path_without_its_escape_sequences(tmp_path):
    folder = tmp_path / "desk\x1b[31mred"
    folder.mkdir()
    assert Desk(str(folder / "reg.sqlite"), tmp_path)("register", "init").exit_code == 0
    result = Desk(str(folder / "reg.sqlite"), tmp_path)("register", "info")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "desk\ufffd[31mred" in result.stdout


# ------------------------------------------------------------------ items 9, 10: a register changed by hand

from registers import number  # noqa: E402

TRIGGERS = {"sqlite": ["quotes_no_update", "files_no_update"], "postgres": ["quotes_immutable", "files_immutable"]}


def tamper(target: str, statements, *, drop=True) -> None:
    """Run `statements` on the register as someone with the database would: triggers dropped first."""
    if target.startswith("postgresql"):
        import psycopg

        with psycopg.connect(target, autocommit=True) as connection:
            for table, trigger in zip(("quotes", "files"), TRIGGERS["postgres"], strict=True):
                if drop:
                    connection.execute(f"DROP TRIGGER {trigger} ON {table}")
            for statement, params in statements:
                connection.execute(psycopg_query(statement), params)
        return
    import sqlite3

    connection = sqlite3.connect(target, isolation_level=None)
    for trigger in TRIGGERS["sqlite"] if drop else ():
        connection.execute(f"DROP TRIGGER {trigger}")
    for statement, params in statements:
        connection.execute(statement, params)
    connection.close()


@pytest.fixture
def issued_desk(register_target, tmp_path) -> Desk:
    desk = Desk(register_target, tmp_path)
    assert desk.issue().exit_code == 0
    return desk


def test_quote_files_refuses_bytes_that_do_not_match_their_digest(issued_desk, tmp_path):
    tamper(issued_desk.target, [("UPDATE files SET content = ? WHERE suffix = '.txt'", (b"forged",))])
    result = issued_desk("quote", "files", number(1), "-o", tmp_path / "copy")
    assert result.exit_code != 0 and "does not match its sha256" in result.stderr, result.stderr
    assert not (tmp_path / "copy").exists() or not list((tmp_path / "copy").iterdir())


def test_a_register_changed_by_hand_is_found_by_list_info_verify_and_check(issued_desk, tmp_path):
    desk = issued_desk
    assert desk("register", "check").exit_code == 0
    forged = b"%PDF-1.4 a forged quote"
    import hashlib
    tamper(desk.target, [("UPDATE quotes SET total = ? WHERE number = ?", ("1.00", number(1))),
                         ("UPDATE files SET content = ?, sha256 = ? WHERE suffix = '.pdf'",
                          (forged, hashlib.sha256(forged).hexdigest()))])
    (tmp_path / "forged.pdf").write_bytes(forged)
    for args in (("quote", "list"), ("quote", "list", "--json"), ("register", "info"),
                 ("quote", "verify", tmp_path / "forged.pdf"), ("register", "check")):
        result = desk(*args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert "outside procure" in result.stderr, (args, result.stderr)
    assert number(1) in desk("register", "check").stderr


def test_a_row_edited_with_the_triggers_put_back_is_found_by_its_seal(issued_desk):
    tamper(issued_desk.target, [("UPDATE quotes SET facility = ? WHERE number = ?", ("Other", number(1)))])
    statements = {"sqlite": "CREATE TRIGGER quotes_no_update BEFORE UPDATE ON quotes BEGIN SELECT RAISE(ABORT, "
                            "'x'); END", "postgres": "CREATE TRIGGER quotes_immutable BEFORE UPDATE OR DELETE ON "
                            "quotes FOR EACH ROW EXECUTE FUNCTION procure_refuse_change()"}
    kind = "postgres" if issued_desk.target.startswith("postgresql") else "sqlite"
    tamper(issued_desk.target, [(statements[kind], ())], drop=False)
    result = issued_desk("quote", "list")
    assert result.exit_code == 1 and f"{number(1)}: its record" in result.stderr, result.stderr


# ------------------------------------------------------------------ items 8, 16: options a desk types


@pytest.mark.parametrize("text", ["late\x1b[2J", "a\rb", "x\x00", "bell\x07", "csi\x9b31m"])
def test_reason_and_by_refuse_control_characters(issued_desk, text):
    desk = issued_desk
    for args in (("quote", "void", number(1), "--reason", text), ("quote", "void", number(1), "--reason", "ok",
                                                                   "--by", text),
                 ("quote", "accept", number(1), "--delivery-order", "SPE2DE-26-F-1234", "--by", text)):
        message = one_line_error(desk(*args), "control character")
        assert "\x1b" not in message and "\x07" not in message
    revised = desk.revise(number(1), desk.request().read_text(), "--reason", text)
    one_line_error(revised, "--reason", "control character")
    issued = desk.issue(desk.request().read_text(), "--by", text)
    one_line_error(issued, "--by", "control character")
    assert "\x1b" not in desk("quote", "list").stdout
    assert desk("quote", "list", "--json").stdout.count('"number"') == 1


@pytest.mark.parametrize("fmt", ["Q-{seq:,}", "Q-{seq:_}", "Q{seq:>6}", "Q-{year}-{seq:n}"])
def test_a_number_format_that_makes_a_bad_number_later_is_refused_now(tmp_path, fmt):
    desk = Desk(str(tmp_path / "r.sqlite"), tmp_path)
    result = desk("register", "init", "--number-format", fmt)
    assert result.exit_code == 2 and "--number-format" in result.stderr, (fmt, result.stdout, result.stderr)
