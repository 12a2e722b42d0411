"""The workbooks written with openpyxl (the request form, the register's exports and report, the batch summary, the
WAWF sheet): their cells, written by procure in one pass (`files/xlsxfile.py`), are openpyxl's own."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from procure.core.catalog_reader import shipped_catalog
from procure.forms.write import render_form

from conftest import examples


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_rows(ws) -> list[list]:
    """The values of every row, without the empty cells at its end."""
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return [row[:max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in rows]

CELL_VALUES = st.one_of(
    st.none(), st.text(max_size=40), st.sampled_from(["  leading", "trailing ", " both ", "a & b < c > d", "=1+1",
                                                      "#N/A", "tab\tand\nnew line"]),
    st.integers(-10**12, 10**12), st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.floats(), st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1)))


@settings(max_examples=examples(60), deadline=None)
@given(rows=st.lists(st.lists(CELL_VALUES, max_size=6), max_size=8), styled=st.booleans(),
       tall=st.sets(st.integers(1, 10), max_size=3), formula=st.booleans())
def test_cells_are_written_as_openpyxls_own_writer_writes_them(rows, styled, tall, formula):
    """procure writes a sheet's cells itself (`xlsxfile._SheetWriter`), far faster: the XML must be openpyxl's
    (its standard-library writer: with lxml installed, openpyxl writes every part otherwise)."""
    if openpyxl.LXML:
        pytest.skip("openpyxl writes with lxml here: its XML is not the one procure's workbooks are pinned to")
    from openpyxl.styles import Alignment
    from openpyxl.worksheet._writer import WorksheetWriter

    from procure.files.xlsxfile import _SheetWriter, put

    ws = openpyxl.Workbook().active
    for row, values in enumerate(rows, 1):
        for column, value in enumerate(values, 1):
            cell = put(ws, row, column, value, "0.00" if isinstance(value, (int, Decimal)) else None)
            if styled and row % 2:
                cell.alignment = Alignment(wrap_text=True)
    if formula:  # a cell procure never writes: the sheet is left to openpyxl
        ws.cell(row=11, column=1).value = "=SUM(1, 2)"
    for row in tall:
        ws.row_dimensions[row].height = 30
    theirs, ours = io.BytesIO(), io.BytesIO()
    WorksheetWriter(ws, out=theirs).write()
    writer = _SheetWriter(ws, out=ours)
    writer.write()
    assert writer.with_rows(ours.getvalue()) == theirs.getvalue()


def test_a_sheet_whose_empty_rows_are_written_otherwise_is_written_by_openpyxl(monkeypatch):
    """Should openpyxl's XML writer ever write the empty sheetData otherwise, every row is still there."""
    from procure.files import xlsxfile

    version = shipped_catalog().select(version="2024-10-01")
    expected = load(render_form(version))
    monkeypatch.setattr(xlsxfile, "EMPTY_ROWS", b"<sheetData/>")
    got = load(render_form(version))
    assert got.sheetnames == expected.sheetnames
    assert all(sheet_rows(got[name]) == sheet_rows(expected[name]) for name in got.sheetnames)
    assert all(sheet_rows(got[name]) for name in got.sheetnames)
