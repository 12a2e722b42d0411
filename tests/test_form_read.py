"""A filled request form read as a request: the same order and findings as TOML, problems naming cells."""

import datetime
import functools
import io
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest

from procure.core.catalog_reader import shipped_catalog
from procure.core.errors import InputError
from procure.forms.write import render_form
from procure.inputs import read_request

from orders import EXAMPLE, GEN2, PRICES, write

ILLUSTRATIVE_CSV = EXAMPLE.parent / "prices-illustrative.csv"


def make_form(folder, request_text: str = GEN2, name: str = "form.xlsx", edit=None):
    """A form pre-filled from TOML text, changed by `edit(workbook)` as an officer would in Excel."""
    book = openpyxl.load_workbook(io.BytesIO(form_of(request_text)))
    if edit:
        edit(book)
    path = folder / name
    book.save(path)
    return path


@functools.cache
def form_of(request_text: str) -> bytes:
    """The form pre-filled from TOML text, written once a process: the tests read it, each in its own folder."""
    folder = Path(tempfile.mkdtemp(prefix="procure-form-"))
    try:
        return render_form(shipped_catalog().select(), read_request(write(folder, "source.toml", request_text)),
                           folder)
    finally:
        shutil.rmtree(folder)


def plan_json(run, *args):
    result = run("plan", *args, "--json")
    return result, json.loads(result.stdout)


def libreoffice_resave(path, folder):
    """The workbook opened and saved again as .xlsx by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    out = folder / "libreoffice"
    result = subprocess.run([soffice, f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}", "--headless",
                             "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                            capture_output=True, text=True, timeout=180)
    saved = out / path.name
    assert saved.exists(), result.stdout + result.stderr
    return saved


# ------------------------------------------------------------------ round trips


def test_toml_to_form_to_plan_gives_the_same_lines_and_total(run, tmp_path):
    source = write(tmp_path, "r.toml", GEN2)
    prices = write(tmp_path, "prices.csv", PRICES)
    assert run("form", "-o", tmp_path / "form.xlsx", "--from", source).exit_code == 0
    _, from_toml = plan_json(run, source, "--prices", prices)
    result, from_form = plan_json(run, tmp_path / "form.xlsx", "--prices", prices)
    assert result.exit_code == 0, result.stderr
    assert from_form["total"] == from_toml["total"] == "6000.00"
    assert from_form["lines"] == from_toml["lines"]
    assert from_form["issues"] == from_toml["issues"]


def test_the_example_read_from_its_form_is_the_same_request(tmp_path):
    toml = read_request(EXAMPLE)
    form = read_request(make_form(tmp_path, EXAMPLE.read_text()))
    same = [f for f in toml._fields if f not in ("name", "digest", "locator", "price_list")]
    assert [getattr(form, f) for f in same] == [getattr(toml, f) for f in same]


def test_a_form_of_a_form_is_byte_identical(run, tmp_path):
    assert run("form", "-o", tmp_path / "a.xlsx", "--from", EXAMPLE).exit_code == 0
    assert run("form", "-o", tmp_path / "b.xlsx", "--from", tmp_path / "a.xlsx").exit_code == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


FURTHER = """
[[treatment]]
name = "Hip"
procedures = 5
nerves = ["LFCN"]
tips_per_procedure = 2

[[line]]
part = "STT2190-5"
quantity = 2
"""


def fill_further(book):
    """What an officer adds to the example's form: a treatment, a line, stock; dates and numbers as Excel gives."""
    treatments = book["Treatments"]
    treatments["A8"], treatments["B8"], treatments["C8"], treatments["O8"] = "Hip", 5.0, "y", 2
    lines = book["Lines"]
    lines["A6"], lines["B6"] = "STT2190-5", 2.0
    request = book["Request"]
    request["B6"] = datetime.datetime(2026, 11, 27)
    request["B19"] = "SPE2DE-27-F-1234"


@pytest.mark.slow
def test_a_form_filled_further_and_saved_by_libreoffice_builds_the_same_quote_as_the_toml(run, tmp_path):
    toml = write(tmp_path, "full.toml", EXAMPLE.read_text().replace(
        '# delivery_order = "SPE2DE-27-F-1234"', 'delivery_order = "SPE2DE-27-F-1234"') + FURTHER)
    form = libreoffice_resave(make_form(tmp_path, EXAMPLE.read_text(), edit=fill_further), tmp_path)
    for source, out in ((toml, "out-toml"), (form, "out-form")):
        result = run("build", source, "-o", tmp_path / out, "--prices", ILLUSTRATIVE_CSV)
        assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out-form" / "Q-2026-0001.pdf").read_bytes() == \
           (tmp_path / "out-toml" / "Q-2026-0001.pdf").read_bytes()
    assert (tmp_path / "out-form" / "Q-2026-0001.txt").read_bytes() == \
           (tmp_path / "out-toml" / "Q-2026-0001.txt").read_bytes()
    _, from_toml = plan_json(run, toml, "--prices", ILLUSTRATIVE_CSV)
    _, from_form = plan_json(run, form, "--prices", ILLUSTRATIVE_CSV)
    assert (from_form["lines"], from_form["total"]) == (from_toml["lines"], from_toml["total"])
    broken = libreoffice_resave(make_form(tmp_path, EXAMPLE.read_text(), name="broken.xlsx",
                                          edit=lambda book: book["Treatments"].__setitem__("B7", 0)), tmp_path)
    result = run("check", broken)
    assert result.exit_code == 2
    assert result.stderr == (f"error: {broken}: Treatments!B7 Procedures: must be a whole number of at least 1, "
                             f"not 0\n")


def test_a_derived_quote_number_does_not_change_when_the_form_is_saved_again(run, tmp_path):
    form = make_form(tmp_path, GEN2.replace('number = "PQ-0001"\n', ""))
    again = make_form(tmp_path, GEN2.replace('number = "PQ-0001"\n', ""), name="again.xlsx",
                      edit=lambda book: book["Instructions"].__setitem__("H1", None))
    assert read_request(form).digest == read_request(again).digest
    assert read_request(form).digest != read_request(make_form(
        tmp_path, GEN2.replace('number = "PQ-0001"\n', "").replace("12", "13"), name="other.xlsx")).digest


# ------------------------------------------------------------------ what Excel hands back


def problems(path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_request(path)
    return caught.value.problems


def put(sheet: str, cell: str, value):
    return lambda book: book[sheet].__setitem__(cell, value)


@pytest.mark.parametrize("sheet, cell, value, expected", [
    ("Treatments", "B7", 0, "Treatments!B7 Procedures: must be a whole number of at least 1, not 0"),
    ("Treatments", "B7", 3.5, "Treatments!B7 Procedures: must be a whole number, not 3.5"),
    ("Treatments", "B7", "ten", "Treatments!B7 Procedures: must be a whole number, not text 'ten'"),
    ("Treatments", "E7", "maybe", "Treatments!E7 AFCN: must be Y or N (or blank), not 'maybe'"),
    ("Treatments", "N6", "perhaps", "Treatments!N6 Nerve stimulation (Y/N): must be Y or N, not 'perhaps'"),
    ("Treatments", "A7", "Anterior knee",
     "Treatments!A7 Treatment: another [[treatment]] is also named 'Anterior knee': give each a different name"),
    ("Request", "B10", None, "Request!B10 Facility: must be filled in"),
    ("Request", "B11", "w12ab", "Request!B11 DoDAAC: 'W12AB' is not a DoDAAC: 6 characters, A-Z and 0-9"),
    ("Request", "B6", "next week",
     "Request!B6 Quote date: must be a date such as 2026-01-15 or 1/15/2026, not 'next week'"),
    ("Request", "B6", datetime.datetime(2026, 1, 15, 9, 30),
     "Request!B6 Quote date: must be a date without a time, not 2026-01-15 09:30:00"),
    ("Request", "B7", 400, "Request!B7 Valid for (days): must be at most 365, not 400"),
    ("Request", "B32", 150, "Request!B32 Spare (percent): must be between 0 and 100, not 150"),
    ("Lines", "B5", 1, "Lines!A5 Part number: must be filled in"),
    ("Stock", "B5", 2, "Stock!A5 Part number: name the part on the shelf, or clear this row"),
])
def test_a_wrong_value_names_its_cell(tmp_path, sheet, cell, value, expected):
    form = make_form(tmp_path, edit=put(sheet, cell, value))
    assert problems(form) == [f"{form}: {expected}"]


def test_a_part_on_the_shelf_twice_names_the_second_row(tmp_path):
    def edit(book):
        book["Stock"]["A5"], book["Stock"]["A6"] = "STT2309-5", "stt2309-5 "
    form = make_form(tmp_path, edit=edit)
    assert problems(form) == [f"{form}: Stock!A6 Part number: lists STT2309-5 twice: give the stock of each part once"]


def test_a_negative_count_on_the_shelf_names_its_cell(tmp_path):
    form = make_form(tmp_path, EXAMPLE.read_text(), edit=put("Stock", "C6", -1))
    assert problems(form) == [f"{form}: Stock!C6 Loose units: must be a whole number of at least 0, not -1"]


def test_every_problem_of_a_form_is_reported_at_once_on_the_console(run, tmp_path):
    def edit(book):
        book["Treatments"]["B6"], book["Request"]["B11"] = 0, "W12"
    form = make_form(tmp_path, edit=edit)
    result = run("check", form)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert sorted(result.stderr.splitlines()) == [
        f"error: {form}: Request!B11 DoDAAC: 'W12' is not a DoDAAC: 6 characters, A-Z and 0-9",
        f"error: {form}: Treatments!B6 Procedures: must be a whole number of at least 1, not 0"]


def test_whole_floats_dates_as_datetimes_and_numbers_in_text_cells_are_taken_as_meant(tmp_path):
    def edit(book):
        request = book["Request"]
        request["B5"], request["B6"], request["B7"], request["B14"] = 1234, datetime.datetime(2026, 2, 1), 45.0, 5550100
        request["B32"] = 12.5
        book["Treatments"]["B6"] = 12.0
    request = read_request(make_form(tmp_path, edit=edit))
    assert request.quote_number == "1234" and request.quote_date == datetime.date(2026, 2, 1)
    assert request.valid_days == 45 and request.customer.phone == "5550100"
    assert str(request.spare_percent) == "12.5" and request.treatments[0].procedures == 12


def test_nerves_left_blank_plan_the_default_set(tmp_path):
    def edit(book):
        for column in "CDEFGHIJKLM":
            book["Treatments"][f"{column}6"] = None
    request = read_request(make_form(tmp_path, edit=edit))
    assert request.treatments[0].nerves == ()


def test_findings_point_at_cells(run, tmp_path):
    form = make_form(tmp_path, edit=_unknown_line)
    result, data = plan_json(run, form)
    assert result.exit_code == 1
    [issue] = [i for i in data["issues"] if i["code"] == "unknown-part"]
    assert issue["subject"] == "NOPE-1"
    result = run("plan", form)
    assert "[form.xlsx: Lines!A5]" in result.stdout


def _unknown_line(book):
    book["Lines"]["A5"], book["Lines"]["B5"] = "NOPE-1", 1


def test_a_site_the_fee_schedule_lacks_names_its_cell(run, tmp_path):
    form = make_form(tmp_path, edit=put("Request", "B36", "hospital"))
    result = run("check", form)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {form}: Request!B36 Site of service: 'hospital' is not a site")


# ------------------------------------------------------------------ not a form, or another version


@pytest.mark.parametrize("version, expected", [
    (0, "is a request form of form version 0; this procure reads form version 1: make a new form"),
    (2, "is a request form of form version 2; this procure reads form version 1: update procure"),
])
def test_a_form_of_another_version_is_refused_naming_the_version_needed(tmp_path, version, expected):
    form = make_form(tmp_path, edit=put("Lists", "B1", version))
    [problem] = problems(form)
    assert problem.startswith(f"{form}: {expected}")


def test_a_workbook_that_is_not_a_form_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["part", "unit_price"])
    book.save(tmp_path / "prices.xlsx")
    assert problems(tmp_path / "prices.xlsx") == [
        f"{tmp_path / 'prices.xlsx'}: is not a procure request form (it has no form version); make one with "
        f"`procure form -o FILE.xlsx`, or give a TOML request"]


def test_a_damaged_workbook_is_one_clear_line(run, tmp_path):
    (tmp_path / "form.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = run("check", tmp_path / "form.xlsx")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "is not a readable Excel workbook" in result.stderr


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_other_spreadsheets_are_asked_to_be_saved_as_xlsx(run, tmp_path, suffix):
    (tmp_path / f"form{suffix}").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("check", tmp_path / f"form{suffix}")
    assert result.exit_code == 2 and "save the request form as an Excel workbook (.xlsx)" in result.stderr
