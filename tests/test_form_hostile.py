"""Hostile request forms are refused quickly, in one line naming the form (issue 17, items 2, 7 and 20)."""

import os
import subprocess
import sys
import textwrap
import time
import zipfile

import pytest
from test_form_read import make_form, problems, put

from procure.core import workbooks
from procure.forms.layout import TREATMENTS_TABLE

from conftest import REPO


@pytest.mark.slow
def test_a_form_of_more_than_ten_thousand_rows_is_refused(tmp_path):
    def edit(book):
        for row in range(1, 10_005):
            book["Stock"].cell(row=row, column=4, value="x")
    form = make_form(tmp_path, edit=edit)
    assert problems(form) == [f"{form}: sheet Stock: has more than 10,000 rows, the most a sheet of a request "
                              f"form may have"]


def test_a_cell_of_more_than_a_thousand_characters_is_refused_naming_it(tmp_path):
    form = make_form(tmp_path, edit=put("Lines", "C9", "x" * 1_001))
    assert problems(form) == [f"{form}: Lines!C9: holds 1,001 characters; a cell may hold at most 1,000"]


def test_a_form_that_unpacks_too_large_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_UNPACKED_BYTES", 20_000)
    form = make_form(tmp_path)
    [problem] = problems(form)
    assert problem.startswith(f"{form}: holds 0 MB once unpacked; a request form may hold at most 0 MB")


HUGE = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    from procure.core.errors import InputError
    from procure.inputs import read_request
    try:
        read_request(sys.argv[1])
    except InputError as e:
        print("\\n".join(e.problems))
""")


@pytest.mark.slow
def test_a_small_form_declaring_a_huge_sheet_is_refused_in_bounded_time_and_memory(tmp_path):
    form = make_form(tmp_path)
    with zipfile.ZipFile(form) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = next(n for n in parts if (n.startswith("xl/worksheets/") and b"<sheetData" in parts[n]
                 and b"Procedures" in parts[n]) or n == "xl/worksheets/sheet3.xml")
    xml = parts[sheet].decode()
    start = xml.index("<dimension ref=\"") + len("<dimension ref=\"")
    xml = xml[:start] + "A1:XFD1048576" + xml[xml.index("\"", start):]
    rows = "".join(f'<row r="{n}"/>' for n in range(1000, 21_000))
    xml = xml.replace("</sheetData>", rows + "</sheetData>")
    parts[sheet] = xml.encode()
    huge = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", HUGE, str(huge)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert time.monotonic() - started < 20
    assert result.returncode == 0 and "has more than 10,000 rows" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("text", ["1e999999", "1e99999999", "-1E+999999999"])
def test_a_number_cell_of_an_enormous_exponent_is_refused_at_once(tmp_path, text):
    form = make_form(tmp_path, edit=put("Treatments", "B7", text))
    started = time.monotonic()
    assert problems(form) == [f"{form}: Treatments!B7 Procedures: must be a whole number, not text {text!r}"]
    assert time.monotonic() - started < 5


def test_a_form_version_typed_as_text_is_read(tmp_path):
    form = make_form(tmp_path, edit=put("Lists", "B1", "1"))
    from procure.inputs import read_request
    assert read_request(form).customer.dodaac


def test_a_renamed_lists_sheet_is_named_in_the_message(tmp_path):
    def rename(book):
        book["Lists"].title = "Values"
    form = make_form(tmp_path, edit=rename)
    [problem] = problems(form)
    assert "not a procure request form" not in problem and "Lists" in problem, problem


def test_a_blank_nerve_heading_names_its_cell(tmp_path):
    row = TREATMENTS_TABLE.heading_row
    form = make_form(tmp_path, edit=put("Treatments", f"E{row}", None))
    [problem] = problems(form)
    assert problem.startswith(f"{form}: Treatments!E{row}: ") and "NONE" not in problem, problem
