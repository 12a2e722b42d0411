"""Hostile input is refused in one clear line a problem, naming the file and the field, line or cell.

Characters no output can hold, numbers and nesting Python's parsers choke on, files that never end or are
not files, price lists whose rows are hidden by their own header, and sizes far past any real request.
"""

import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile

import openpyxl
import pytest

import procure
from procure.core import prices as price_module, workbooks
from procure.core.errors import InputError

from orders import GEN2, PRICES, write

FORBIDDEN = ["\\uFFFF", "\\uFFFE", "\\u001B]0;pwned\\u0007", "\\u009B", "\\u007F"]
"""TOML escapes of characters XML 1.0 cannot hold or a terminal runs."""


def lines_of(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line]


def assert_one_clear_line(result, *needles, code=2) -> str:
    """Exit `code`, no traceback or internal error, one error line holding every needle; that line."""
    text = result.stdout + result.stderr
    assert result.exit_code == code, text
    assert "Traceback" not in text and "internal error" not in text, text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    [line] = lines_of(result)
    for needle in needles:
        assert needle in line, line
    return line


def no_escape_reaches_the_terminal(result) -> None:
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr


@pytest.mark.parametrize("escape", FORBIDDEN)
def test_a_character_no_output_can_hold_is_refused_naming_the_field(run, tmp_path, escape):
    request = write(tmp_path, "r.toml", GEN2.replace('"Public Example Clinic"', f'"Example{escape}"'))
    result = run("build", request, "-o", tmp_path / "out", "--prices", write(tmp_path, "p.csv", PRICES))
    assert_one_clear_line(result, "r.toml:2: [customer] facility: holds", f"U+{escape[2:6].upper()}")
    no_escape_reaches_the_terminal(result)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where, text", [
    ("[[treatment]] #1 nerves", GEN2.replace('"ISN-S"', '"ISN-S\\u001B[2J"')),
    ('[stock]: a key holds', GEN2 + '\n[stock]\n"STT2309-5\\u001B]0;x\\u0007" = 1\n'),
    ("[[line]] #1 part", GEN2 + '\n[[line]]\npart = "IST2221\\uFFFF"\nquantity = 1\n'),
])
def test_lists_and_keys_are_checked_for_such_characters_too(run, tmp_path, where, text):
    result = run("check", write(tmp_path, "r.toml", text))
    assert_one_clear_line(result, where, "U+")
    no_escape_reaches_the_terminal(result)


@pytest.mark.parametrize("what", ["request", "catalog"])
def test_a_number_of_more_than_4300_digits_is_one_clear_line(run, tmp_path, catalog_copy, what):
    if what == "request":
        head = GEN2 + "\n[plan]\n"
        result = run("check", write(tmp_path, "r.toml", head + f"generation = {'9' * 5000}\n"))
        where = f"r.toml:{len(head.splitlines()) + 1}: holds a number of more than 4,300 digits"
    else:
        [version] = catalog_copy.glob("*.toml")
        version.write_text(version.read_text(encoding="utf-8") + f"\nhuge = {'1' * 4400}\n", encoding="utf-8")
        result = run("--catalog", catalog_copy, "check", write(tmp_path, "r.toml", GEN2))
        where = "holds a number of more than 4,300 digits"
    assert_one_clear_line(result, where)


def test_nesting_500_levels_deep_is_one_clear_line(run, tmp_path):
    result = run("check", write(tmp_path, "r.toml", GEN2 + "\nx = " + "[" * 500 + "]" * 500 + "\n"))
    assert_one_clear_line(result, "r.toml: not valid TOML here: lists or tables are nested too deep")


def test_a_device_is_refused_without_reading_it(run):
    assert_one_clear_line(run("check", "/dev/zero"), "/dev/zero: is not a regular file")


def test_a_file_over_10_mb_is_refused_naming_the_limit(run, tmp_path):
    big = tmp_path / "r.toml"
    big.write_text(GEN2 + "#" * 10_000_000, encoding="utf-8")
    assert_one_clear_line(run("check", big), "r.toml: is larger than 10 MB, the most a request file may be")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("role", ["request", "price list", "catalog file"])
def test_a_named_pipe_hangs_no_command(tmp_path, shipped_catalog_dir, role):
    catalog = tmp_path / "catalog"
    shutil.copytree(shipped_catalog_dir, catalog, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    request, price_list = write(tmp_path, "r.toml", GEN2), write(tmp_path, "p.csv", PRICES)
    pipe = {"request": tmp_path / "x.toml", "price list": tmp_path / "x.csv", "catalog file": catalog / "x.toml"}[role]
    os.mkfifo(pipe)
    arguments = {"request": ["check", pipe], "price list": ["check", request, "--prices", pipe],
                 "catalog file": ["check", request, "--prices", price_list]}[role]
    done = subprocess.run([sys.executable, "-m", "procure", "--catalog", str(catalog), *map(str, arguments)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{pipe}: is not a regular file" in done.stderr


def test_a_long_list_is_refused_quickly_and_clearly(run, tmp_path):
    nerves = ", ".join(f'"N{i}"' for i in range(100_000))
    start = time.perf_counter()
    result = run("check", write(tmp_path, "r.toml", GEN2.replace('["AFCN", "ISN-S", "ISN-I"]', f"[{nerves}]")))
    assert time.perf_counter() - start < 10
    assert_one_clear_line(result, "[[treatment]] #1 nerves: lists 100,000 items; at most 1,000")


@pytest.mark.slow
def test_more_than_10000_tables_of_one_kind_are_refused(run, tmp_path):
    lines = "".join(f'\n[[line]]\npart = "IST2221"\nquantity = {i % 9 + 1}\n' for i in range(10_001))
    result = run("check", write(tmp_path, "r.toml", GEN2 + lines))
    line = len((GEN2 + lines[:lines.rindex("[[line]]")]).splitlines()) + 1
    assert_one_clear_line(result, f"r.toml:{line}: [[line]] #10001: is past the most [[line]] tables a file may "
                                  f"have (10,000)")


def test_duplicates_in_a_long_list_are_found_by_a_set(run, tmp_path):
    nerves = ", ".join(f'"N{i}"' for i in range(999)) + ', "n5"'
    result = run("check", write(tmp_path, "r.toml", GEN2.replace('["AFCN", "ISN-S", "ISN-I"]', f"[{nerves}]")))
    assert_one_clear_line(result, "[[treatment]] #1 nerves: lists 'N5' twice")


# Price lists

def check_prices(run, tmp_path, name, content):
    path = tmp_path / name
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    return run("catalog", "list", "--prices", path)


@pytest.mark.parametrize("title", ["\x1b]0;pwned\x07", "Example\uffff", "Example\ufffe"])
def test_a_price_list_title_an_output_cannot_hold_is_refused(run, tmp_path, title):
    result = check_prices(run, tmp_path, "p.csv", f"# title = {title}\n" + PRICES)
    assert_one_clear_line(result, "p.csv: line 1: holds")
    no_escape_reaches_the_terminal(result)


def test_a_price_cell_with_a_control_character_is_refused_naming_its_line(run, tmp_path):
    result = check_prices(run, tmp_path, "p.csv", PRICES.replace("STT2309-5", '"STT\x1b[2J2309-5"'))
    assert_one_clear_line(result, "p.csv: line 3: holds a control character (U+001B")


def test_a_csv_price_list_with_cr_line_endings_is_read(run, tmp_path):
    result = check_prices(run, tmp_path, "p.csv", PRICES.replace("\n", "\r"))
    assert result.exit_code == 0, result.stderr
    assert "$9,000.00" in result.stdout


def test_a_stray_cr_in_a_csv_line_is_one_clear_line(run, tmp_path):
    result = check_prices(run, tmp_path, "p.csv", PRICES.replace("9000.00", "90\r00.00"))
    assert_one_clear_line(result, "p.csv: line 2: holds a carriage return (CR) inside the line")


def test_a_csv_field_over_the_csv_limit_is_one_clear_line(run, tmp_path):
    result = check_prices(run, tmp_path, "p.csv", PRICES + "IST0221," + "9" * 140_000 + "\n")
    assert_one_clear_line(result, "p.csv: line 12: cannot be read as CSV: field larger than field limit")


def test_a_long_cell_is_refused(run, tmp_path):
    result = check_prices(run, tmp_path, "p.csv", PRICES.replace("\n", ",note\n", 1)
                          .replace("9000.00", "9000.00," + "x" * 5000))
    assert_one_clear_line(result, "p.csv: line 2: holds 5,000 characters; a cell may hold at most 1,000")


def test_price_list_part_numbers_are_upper_cased(run, tmp_path):
    result = check_prices(run, tmp_path, "p.csv", PRICES.replace("STT2309-5", " stt2309-5 "))
    assert result.exit_code == 0, result.stderr
    assert re.search(r"STT2309-5 .* \$1,000\.00", result.stdout)


def test_only_the_first_dozen_problems_are_listed(run, tmp_path):
    bad = "".join(f"IST2221,{i}.999\n" for i in range(30))
    result = check_prices(run, tmp_path, "p.csv", "part,unit_price\n" + bad)
    lines = lines_of(result)
    assert result.exit_code == 2 and len(lines) == 13
    assert lines[-1] == f"error: {tmp_path / 'p.csv'}: and 18 more problem(s)"


def workbook_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    raw = io.BytesIO()
    book.save(raw)
    return raw.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with the XML of its first sheet passed through `change`."""
    source, raw = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(raw, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            target.writestr(entry, change(content) if entry.filename == "xl/worksheets/sheet1.xml" else content)
    return raw.getvalue()


def test_xlsx_rows_past_the_declared_dimension_are_read(run, tmp_path):
    data = workbook_bytes([["part", "unit_price"], ["IST2221", 9000], ["STT2309-5", 1000], ["NOPE-1", 5]])
    data = rewrite_sheet(data, lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B2"/>', xml))
    result = check_prices(run, tmp_path, "p.xlsx", data)
    assert_one_clear_line(result, "p.xlsx: cell A4: part NOPE-1 is not in the catalog")


def test_an_xlsx_formula_without_a_saved_value_says_how_to_fix_it(run, tmp_path):
    data = workbook_bytes([["part", "unit_price"], ["IST2221", 9000], ["STT2309-5", "=B2/9"]])
    result = check_prices(run, tmp_path, "p.xlsx", data)
    assert_one_clear_line(result, "p.xlsx: cell B3: holds a formula with no saved value: open and save it in "
                                  "Excel or LibreOffice, or type the value")


def test_an_xlsx_that_unpacks_too_large_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_UNPACKED_BYTES", 4_000)
    data = workbook_bytes([["part", "unit_price"], ["IST2221", 9000], ["note", "x" * 5_000]])
    refused = r"p\.xlsx: holds 0 MB once unpacked; a price list workbook may hold at most 0 MB"
    with pytest.raises(InputError, match=refused):
        procure.read_price_list(data=data, name="p.xlsx")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_price_list_of_too_many_rows_stops_early(monkeypatch, kind):
    monkeypatch.setattr(price_module, "MAX_ROWS", 5)
    monkeypatch.setattr(workbooks, "MAX_ROWS", 5)
    rows = [["part", "unit_price"], *([f"P{i}", i] for i in range(20))]
    found = {"text": "".join(f"{a},{b}\n" for a, b in rows)} if kind == "csv" else {"data": workbook_bytes(rows)}
    with pytest.raises(InputError, match=r"has more than 5 (lines|rows), the most a price list may have"):
        procure.read_price_list(name=f"p.{kind}", **found)


def test_non_utf8_file_names_give_valid_utf8_json(tmp_path):
    folder = os.fsencode(tmp_path)
    request, prices = folder + b"/r\xff.toml", folder + b"/p\xfe.csv"
    with open(request, "w", encoding="utf-8") as stream:
        stream.write(GEN2 + '\n[stock]\n"IST2221" = 1\n')
    with open(prices, "w", encoding="utf-8") as stream:
        stream.write(PRICES)
    done = subprocess.run([sys.executable, "-m", "procure", "plan", "--json", request, "--prices", prices],
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    view = __import__("json").loads(done.stdout.decode("utf-8"))
    assert view["price_list"]["name"] == "p\ufffd.csv"
    assert any(issue.get("source", "").startswith("r\ufffd.toml") for issue in view["issues"])
