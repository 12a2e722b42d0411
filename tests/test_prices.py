"""Price lists (CSV, XLSX): Decimal prices in whole cents, every problem named by line or cell, exit 2."""

import json
from decimal import Decimal

import openpyxl
import pytest

from procure.core.errors import InputError
from procure.core.prices import read_price_list

from conftest import assert_no_traceback

PARTS = {"IST2221", "STT2309-5", "STT2190-5", "CRX2111-10", "IST0221", "STT0309-5", "STT0801-5", "STT0811-5",
         "CRX0111-10", "CRX0111-20"}


def write_csv(tmp_path, text, name="prices.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(tmp_path, rows, name="prices.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


# ------------------------------------------------------------------ good lists


def test_good_csv_gives_decimal_prices(tmp_path):
    path = write_csv(tmp_path, "part,unit_price\nSTT2309-5,1234.50\nIST2221,17982.75\nCRX2111-10,12\n")
    price_list = read_price_list(path)
    assert price_list.prices == {"STT2309-5": Decimal("1234.50"), "IST2221": Decimal("17982.75"),
                                 "CRX2111-10": Decimal("12.00")}
    assert all(isinstance(p, Decimal) for p in price_list.prices.values())
    assert str(price_list.prices["CRX2111-10"]) == "12.00"
    assert price_list.illustrative is False
    assert price_list.name == "prices.csv"
    assert price_list.digest.startswith("sha256:")


def test_good_xlsx_gives_decimal_prices(tmp_path):
    path = write_xlsx(tmp_path, [["part", "unit_price"], ["STT2309-5", 1234.5], ["IST2221", 19.99],
                                 ["CRX2111-10", 12], ["STT2190-5", "$1,234.50"]])
    prices = read_price_list(path).prices
    assert prices == {"STT2309-5": Decimal("1234.50"), "IST2221": Decimal("19.99"),
                      "CRX2111-10": Decimal("12.00"), "STT2190-5": Decimal("1234.50")}
    assert all(isinstance(p, Decimal) for p in prices.values())


def test_header_is_case_insensitive_and_extra_columns_are_ignored(tmp_path):
    path = write_csv(tmp_path, "Part,Unit_Price,note\nSTT2309-5,10.00,list price\n")
    assert read_price_list(path).prices == {"STT2309-5": Decimal("10.00")}


@pytest.mark.parametrize("text, expected", [
    ("$1,234.50", "1234.50"),
    ("1,234.50", "1234.50"),
    ("$12", "12.00"),
    (" 7.5 ", "7.50"),
])
def test_dollar_sign_and_thousands_separators_accepted(tmp_path, text, expected):
    path = write_csv(tmp_path, f'part,unit_price\nSTT2309-5,"{text}"\n')
    assert read_price_list(path).prices["STT2309-5"] == Decimal(expected)


def test_illustrative_setting_before_the_header_marks_the_list(tmp_path):
    path = write_csv(tmp_path, "# illustrative = true\npart,unit_price\nSTT2309-5,10.00\n")
    assert read_price_list(path).illustrative is True


def test_illustrative_setting_in_xlsx(tmp_path):
    path = write_xlsx(tmp_path, [["# illustrative = true"], ["part", "unit_price"], ["STT2309-5", 10]])
    price_list = read_price_list(path)
    assert price_list.illustrative is True
    assert price_list.prices == {"STT2309-5": Decimal("10.00")}


def test_illustrative_must_be_true_or_false(tmp_path):
    path = write_csv(tmp_path, "# illustrative = maybe\npart,unit_price\nSTT2309-5,10.00\n")
    with pytest.raises(InputError) as raised:
        read_price_list(path)
    assert "line 1" in str(raised.value) and "'maybe'" in str(raised.value)


def test_title_setting_keeps_a_comma(tmp_path):
    path = write_csv(tmp_path, "# title = Walter Reed, FY26\npart,unit_price\nSTT2309-5,10.00\n")
    assert read_price_list(path).title == "Walter Reed, FY26"


def test_catalog_list_json_shows_two_decimal_strings_and_null_for_unpriced(run, tmp_path):
    path = write_csv(tmp_path, "part,unit_price\nSTT2309-5,1234.5\nIST2221,\"$17,982.75\"\nCRX2111-10,3\n")
    result = run("catalog", "list", "--prices", path, "--json")
    assert result.exit_code == 0, result.stderr
    prices = {p["part"]: p["unit_price"] for p in json.loads(result.stdout)["parts"]}
    assert prices["STT2309-5"] == "1234.50"
    assert prices["IST2221"] == "17982.75"
    assert prices["CRX2111-10"] == "3.00"
    assert prices["STT0811-5"] is None
    assert sum(v is None for v in prices.values()) == 7


def test_catalog_list_table_shows_money_formatted(run, tmp_path):
    path = write_csv(tmp_path, "part,unit_price\nIST2221,17982.75\n")
    result = run("catalog", "list", "--prices", path)
    assert result.exit_code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("IST2221"))
    assert row.rstrip().endswith("$17,982.75")


def test_catalog_show_with_prices_shows_the_price(run, tmp_path):
    path = write_xlsx(tmp_path, [["part", "unit_price"], ["STT0811-5", 412.3]])
    result = run("catalog", "show", "STT0811-5", "--prices", path, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["unit_price"] == "412.30"


# ------------------------------------------------------------------ bad lists

# (content, expected substrings of one error line each)
BAD_CSV = [
    pytest.param("part,unit_price\nSTT2309-5,1.00\nSTT2190-5,abc\n", [["line 3", "'abc'", "not a number"]],
                 id="non-numeric"),
    pytest.param("part,unit_price\nSTT2309-5,-1.00\n", [["line 2", "'-1.00'", "negative"]], id="negative"),
    pytest.param("part,unit_price\nSTT2309-5,1.005\n", [["line 2", "'1.005'", "more than two decimals"]],
                 id="three-decimals"),
    pytest.param("part,unit_price\nSTT2309-5,\n", [["line 2", "empty"]], id="empty-price"),
    pytest.param("part,unit_price\nSTT2309-5,1e3\n", [["line 2", "not a number"]], id="exponent"),
    pytest.param("part,unit_price\nSTT2309-5,1.00\nCRX2111-10,2.00\nSTT2309-5,2.00\n",
                 [["line 4", "STT2309-5", "twice", "line 2"]], id="duplicate-part-names-both-lines"),
    pytest.param("part,unit_price\nNOPE-1,1.00\n", [["line 2", "NOPE-1", "not in the catalog"]],
                 id="part-not-in-catalog"),
    pytest.param("part,cost\nSTT2309-5,1.00\n", [["line 1", "unit_price"]], id="missing-column"),
    pytest.param("", [["empty", "part,unit_price"]], id="empty-file"),
    pytest.param("part,unit_price\n", [["no prices"]], id="header-only"),
    pytest.param("part,unit_price\nSTT2309-5,abc\nSTT2190-5,-3\nCRX2111-10,1.234\n",
                 [["line 2", "not a number"], ["line 3", "negative"], ["line 4", "two decimals"]],
                 id="several-problems-one-line-each"),
    pytest.param("part,unit_price\nSTT2309-5,10\nNOPE,1\nIST2221,1\nNADA,2\n",
                 [["line 3", "NOPE", "not in the catalog"], ["line 5", "NADA"]], id="parts-not-in-the-catalog"),
]


def _assert_problem_lines(result, path, expected):
    assert result.exit_code == 2
    assert_no_traceback(result)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected), result.stderr
    for line, wanted in zip(lines, expected, strict=True):
        assert line.startswith(f"error: {path}"), line
        for w in wanted:
            assert w in line, (w, line)


@pytest.mark.parametrize("content, expected", BAD_CSV)
def test_bad_csv_exits_2_one_line_per_problem(run, tmp_path, content, expected):
    path = write_csv(tmp_path, content)
    _assert_problem_lines(run("catalog", "list", "--prices", path), path, expected)


BAD_XLSX = [
    pytest.param([["part", "unit_price"], ["STT2309-5", 1], ["STT2190-5", "abc"]],
                 [["cell B3", "'abc'", "not a number"]], id="non-numeric"),
    pytest.param([["part", "unit_price"], ["STT2309-5", -5]], [["cell B2", "negative"]], id="negative"),
    pytest.param([["part", "unit_price"], ["STT2309-5", 1.234]], [["cell B2", "two decimals"]],
                 id="three-decimals"),
    pytest.param([["part", "unit_price"], ["STT2309-5", 1], ["STT2309-5", 2]],
                 [["cell A3", "STT2309-5", "twice", "cell A2"]], id="duplicate-part-names-both-cells"),
    pytest.param([["part", "unit_price"], ["NOPE-1", 1]], [["cell A2", "NOPE-1", "not in the catalog"]],
                 id="part-not-in-catalog"),
    pytest.param([[None, "part", "unit_price"], [None, "STT2309-5", "x"]], [["cell C2", "not a number"]],
                 id="columns-shifted-right"),
    pytest.param([["part", "cost"], ["STT2309-5", 1]], [["unit_price"]], id="missing-column"),
    pytest.param([], [["empty"]], id="empty-sheet"),
    pytest.param([["part", "unit_price"]], [["no prices"]], id="header-only"),
]


@pytest.mark.parametrize("rows, expected", BAD_XLSX)
def test_bad_xlsx_exits_2_naming_the_cell(run, tmp_path, rows, expected):
    path = write_xlsx(tmp_path, rows)
    _assert_problem_lines(run("catalog", "list", "--prices", path), path, expected)


def _missing(tmp_path):
    return tmp_path / "nowhere.csv", "no such price list"


def _folder(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    return folder, "folder"


def _binary(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_bytes(bytes(range(256)) * 4)
    return path, "binary"


def _latin1(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_bytes("part,unit_price,note\nSTT2309-5,1.00,café\n".encode("latin-1"))
    return path, "UTF-8"


def _corrupt_xlsx(tmp_path):
    path = tmp_path / "prices.xlsx"
    path.write_bytes(bytes((i * 37 + 11) % 256 for i in range(2048)))
    return path, "not a readable Excel workbook"


def _csv_named_xlsx(tmp_path):
    path = tmp_path / "prices.xlsx"
    path.write_text("part,unit_price\nSTT2309-5,1.00\n")
    return path, "not a readable Excel workbook"


def _missing_xlsx(tmp_path):
    return tmp_path / "nowhere.xlsx", "no such price list"


@pytest.mark.parametrize("make", [_missing, _folder, _binary, _latin1, _corrupt_xlsx, _csv_named_xlsx,
                                  _missing_xlsx])
def test_unreadable_price_file_exits_2_in_one_line(run, tmp_path, make):
    path, reason = make(tmp_path)
    result = run("catalog", "list", "--prices", path)
    _assert_problem_lines(result, path, [[reason]])


def test_price_list_problems_are_input_errors_from_the_api(tmp_path):
    path = write_csv(tmp_path, "part,unit_price\nSTT2309-5,abc\nSTT2190-5,-1\n")
    with pytest.raises(InputError) as raised:
        read_price_list(path)
    assert raised.value.exit_code == 2
    assert len(raised.value.problems) == 2


def test_an_old_xls_file_is_asked_to_be_saved_as_xlsx(tmp_path):
    path = tmp_path / "prices.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(InputError) as raised:
        read_price_list(path)
    assert str(path) in str(raised.value) and ".xlsx" in str(raised.value)


def test_a_bare_illustrative_line_marks_the_list(tmp_path):
    path = write_csv(tmp_path, "# illustrative\npart,unit_price\nSTT2309-5,10.00\n")
    assert read_price_list(path).illustrative is True
