"""The register under hostile targets, settings and text (issue 17, items 6, 8, 9, 10, 14, 16, 17, 20)."""

import pytest

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
                                     ("quote", "files", "Q-1", "-o", "copy"), ("register", "export", "-o", "r.csv")])
def test_a_command_that_reads_never_creates_a_register(tmp_path, command):
    (tmp_path / "q.pdf").write_bytes(b"%PDF-1.4 a genuine quote")
    desk = Desk(str(tmp_path / "typo.sqlite"), tmp_path)
    one_line_error(desk(*[tmp_path / c if c in ("q.pdf", "copy", "r.csv") else c for c in command]),
                   "no register here yet")
    assert not (tmp_path / "typo.sqlite").exists()


def test_a_register_on_an_empty_postgresql_schema_is_not_created_by_verify(postgres_schema, tmp_path):
    (tmp_path / "q.pdf").write_bytes(b"%PDF-1.4 a genuine quote")
    one_line_error(Desk(postgres_schema, tmp_path)("quote", "verify", tmp_path / "q.pdf"), "no register here yet")
    assert Desk(postgres_schema, tmp_path)("register", "info").exit_code == 0


def test_a_register_below_a_file_is_one_line_naming_the_file(tmp_path):
    (tmp_path / "afile").write_text("x")
    message = one_line_error(Desk(str(tmp_path / "afile" / "reg.sqlite"), tmp_path)("register", "info"))
    assert "afile is a file, not a folder" in message and "File exists" not in message


def test_register_info_shows_a_path_without_its_escape_sequences(tmp_path):
    folder = tmp_path / "desk\x1b[31mred"
    folder.mkdir()
    result = Desk(str(folder / "reg.sqlite"), tmp_path)("register", "info")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "desk\ufffd[31mred" in result.stdout
