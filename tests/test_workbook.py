"""The ECAT order workbook: sheets, cells, number formats, text safety, determinism."""

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from procure.core.characters import MAX_TEXT
from procure.core.errors import InputError
from procure.renderers.templating import workbook_layout
from procure.renderers.workbook import LINE_FIELDS, render_workbook

from orders import EXAMPLE, GEN2, ILLUSTRATIVE, make_order, write

MONEY = '"$"#,##0.00'
REQUIRED_HEADINGS = ("Line", "Manufacturer Part Number", "Description", "Unit of Issue", "Quantity", "Unit Price",
                     "Extended Price")


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def lines_table(ws):
    """The lines header row number, its headings, and the rows whose `Line` cell holds a 4-digit number."""
    header = next(row[0].row for row in ws.iter_rows() if any(c.value == "Extended Price" for c in row))
    headings = [c.value for c in ws[header] if c.value is not None]
    line = headings.index("Line")
    rows = [row for row in ws.iter_rows(min_row=header + 1)
            if isinstance(row[line].value, str) and re.fullmatch(r"\d{4}", row[line].value)]
    return header, headings, rows


def header_block(ws) -> dict:
    """Label in column A -> value in column B, for the rows above the lines table."""
    header = lines_table(ws)[0]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, header) if ws.cell(r, 2).value is not None}


def by_heading(headings, row) -> dict:
    return {h: cell for h, cell in zip(headings, row, strict=True)}


def sheet_rows(ws) -> list[list]:
    """The values of every row, without the empty cells at its end."""
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return [row[:max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in rows]


def sheet_text(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def sheet_xml(data: bytes, number: int) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")


@pytest.fixture
def gen2(tmp_path):
    return make_order(GEN2)


@pytest.fixture
def example(tmp_path):
    return make_order(EXAMPLE.read_text(encoding="utf-8"), ILLUSTRATIVE)


def test_order_sheet_is_first_and_active_then_plan_and_checks(gen2):
    workbook = load(render_workbook(gen2))
    assert workbook.sheetnames == ["Order", "Plan", "Checks"]
    assert workbook.active.title == "Order"


def test_lines_header_is_the_layout_in_order(gen2):
    ws = load(render_workbook(gen2))["Order"]
    header, headings, _ = lines_table(ws)
    assert headings == [c.heading for c in workbook_layout(None, LINE_FIELDS) if not c.when_known]
    assert set(REQUIRED_HEADINGS) <= set(headings)
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("D9E1F2") for c in ws[header] if c.value)


def test_line_cells_have_types_and_number_formats(gen2):
    ws = load(render_workbook(gen2))["Order"]
    _, headings, rows = lines_table(ws)
    cells = [by_heading(headings, row) for row in rows]
    assert [c["Line"].value for c in cells] == ["0001", "0002", "0003"]
    assert [c["Manufacturer Part Number"].value for c in cells] == ["STT2309-5", "STT2190-5", "CRX2111-10"]
    first = cells[0]
    assert first["Line"].data_type == "s" and first["Manufacturer Part Number"].data_type == "s"
    assert first["Contract"].value == "SPE2DE-21-D-7004"
    assert first["Description"].value == gen2.lines[0].part.description
    assert first["Unit of Issue"].value == "PK"
    assert first["Quantity"].value == 3 and type(first["Quantity"].value) is int
    assert first["Qty per Unit"].value == 5 and type(first["Qty per Unit"].value) is int
    assert first["Quantity"].number_format == "#,##0"
    for heading, expected in (("Unit Price", "1000.00"), ("Extended Price", "3000.00")):
        cell = first[heading]
        assert cell.data_type == "n" and Decimal(str(cell.value)) == Decimal(expected)
        assert cell.number_format == MONEY


def test_total_is_the_orders_total_as_a_number_not_a_formula(gen2):
    ws = load(render_workbook(gen2))["Order"]
    _, headings, rows = lines_table(ws)
    column = headings.index("Extended Price") + 1
    total_row = rows[-1][0].row + 1
    assert ws.cell(total_row, column - 1).value == "Total"
    cell = ws.cell(total_row, column)
    assert cell.data_type == "n" and Decimal(str(cell.value)) == Decimal("6000.00") == gen2.total
    assert cell.number_format == MONEY
    assert "<f>" not in sheet_xml(render_workbook(gen2), 1)


def test_missing_price_leaves_the_cells_empty(tmp_path):
    order = make_order(GEN2, None)
    ws = load(render_workbook(order))["Order"]
    _, headings, rows = lines_table(ws)
    assert all(by_heading(headings, row)["Unit Price"].value is None for row in rows)
    column = headings.index("Extended Price") + 1
    assert ws.cell(rows[-1][0].row + 1, column).value is None
    assert header_block(ws)["Price list"].startswith("none given")


def test_header_block_names_contract_customer_quote_and_catalog(example):
    block = header_block(load(render_workbook(example))["Order"])
    assert block["Contract"] == "SPE2DE-21-D-7004"
    assert block["Vendor"] == example.catalog.contract.vendor
    assert block["Facility"] == "Example Army Medical Center"
    assert block["DoDAAC"] == "W12ABC"
    assert block["Contact"] == "MAJ Jane Doe, Chief of Logistics"
    assert block["Email"] == "jane.doe.mil@health.mil"
    assert block["Phone"] == "555-0100"
    assert block["Ship to"].startswith("Bldg 100")
    assert block["Quote number"] == "Q-2026-0001"
    assert block["Quote date"].date() == example.quote.date
    assert block["Valid through"].date() == example.quote.valid_through
    assert example.catalog.version in block["Catalog version"]
    assert example.catalog.short_digest in block["Catalog version"]
    assert "ILLUSTRATIVE PRICES - not contract prices" in block["Price list"]


def test_optional_customer_fields_are_left_out_when_not_given(gen2):
    block = header_block(load(render_workbook(gen2))["Order"])
    assert not {"Contact", "Email", "Phone", "Ship to"} & set(block)
    assert block["Price list"] == "prices.csv"


def test_illustrative_prices_put_a_warning_on_top(example, gen2):
    assert "ILLUSTRATIVE PRICES" in load(render_workbook(example))["Order"]["A1"].value
    assert "ILLUSTRATIVE" not in " ".join(sheet_text(load(render_workbook(gen2))["Order"]))


def test_header_is_frozen_and_the_sheet_prints_one_page_wide(gen2):
    ws = load(render_workbook(gen2))["Order"]
    header = lines_table(ws)[0]
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.print_title_rows.replace("$", "") == f"{header}:{header}"
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0  # absent is 1 (ECMA-376)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["E"].width == 62  # the shipped layout's width for Description
    assert ws.column_dimensions["D"].width >= len("CRX2111-10")


def test_plan_sheet_holds_the_derivation_assumptions_and_coding(example):
    ws = load(render_workbook(example))["Plan"]
    rows = sheet_rows(ws)
    header = rows.index(["Treatment", "Consumable", "Procedures", "Per procedure", "Units", "Spare", "Stock", "Net",
                         "Packs"])
    total = next(r for r in rows[header:] if r[0] == "All treatments" and r[1] == "Gen 2 309 Smart Tip")
    assert total[2:] == [40, None, 40, 4, 5, 39, "8 x STT2309-5"]
    text = sheet_text(ws)
    assert all(statement in text for statement in example.customer_assumptions)
    assert not any(a.basis in t for a in example.assumptions for t in text)
    coding = rows.index(["Treatment", "CPT", "Nerves", "Units per procedure", "Procedures", "Site",
                         "Fee per procedure", "Total"])
    knee = rows[coding + 1]
    assert knee[:6] == ["Anterior knee", "64640", "AFCN, ISN-S, ISN-I", 3, 40, "ASC facility fee (APC)"]
    assert Decimal(str(knee[7])) == Decimal("21050.40")
    assert Decimal(str(rows[coding + 3][7])) == example.coding_total
    assert all(disclaimer in text for disclaimer in example.catalog.fees.disclaimers)
    assert any(example.catalog.fees.source in t for t in text)


def test_checks_sheet_lists_the_customer_findings_only(example):
    ws = load(render_workbook(example))["Checks"]
    rows = sheet_rows(ws)
    header = rows.index(["Severity", "Code", "Message", "Subject", "Where"])
    assert {i.code for i in example.findings} - {i.code for i in example.customer_findings}, "no preparer note to hide"
    assert [r[:2] for r in rows[header + 1:]] == [[i.severity, i.code] for i in example.customer_findings]
    assert rows[header + 1][2] == example.customer_findings[0].message


def test_checks_sheet_says_no_findings(gen2):
    ws = load(render_workbook(gen2._replace(findings=())))["Checks"]
    assert "No findings" in sheet_text(ws)


def test_text_from_the_request_never_becomes_a_formula(tmp_path):
    facility = '=HYPERLINK("http://evil","x")'
    request = GEN2.replace('"Public Example Clinic"', "'" + facility + "'").replace('"Genicular"', '"=1+1"')
    request = request.replace('dodaac = "W91ABC"', 'dodaac = "W91ABC"\ncontact = "+1 555 0100"\nphone = "-5"\n'
                              'email = "@sum(a1)"')
    data = render_workbook(make_order(request))
    workbook = load(data)
    cells = {c.value: c for ws in workbook for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in (facility, "=1+1", "+1 555 0100", "-5", "@sum(a1)"):
        assert cells[text].data_type == "s", text
    assert all("<f>" not in sheet_xml(data, n) and "<f " not in sheet_xml(data, n) for n in (1, 2, 3))


def test_control_characters_are_dropped_not_fatal(gen2):
    customer = gen2.request.customer._replace(facility="Clinic\x01 \x1bone")
    order = gen2._replace(request=gen2.request._replace(customer=customer))
    assert header_block(load(render_workbook(order))["Order"])["Facility"] == "Clinic one"


def test_unicode_and_very_long_text_survive(gen2):
    facility = "Landstuhl Regional Medical Center – Kaiserslautern, Bürger"
    customer = gen2.request.customer._replace(facility=facility)
    first = gen2.lines[0]
    long = "Gen 2 Smart Tip " * 400
    lines = (first._replace(part=first.part._replace(description=long)), *gen2.lines[1:])
    huge = (first._replace(part=first.part._replace(description="x" * (MAX_TEXT + 10))),)
    order = gen2._replace(request=gen2.request._replace(customer=customer), lines=lines)
    ws = load(render_workbook(order))["Order"]
    assert header_block(ws)["Facility"] == facility
    _, headings, rows = lines_table(ws)
    assert by_heading(headings, rows[0])["Description"].value == long
    assert ws.row_dimensions[rows[0][0].row].height <= 409
    clipped = load(render_workbook(order._replace(lines=huge, total=None)))["Order"]
    _, headings, rows = lines_table(clipped)
    assert len(by_heading(headings, rows[0])["Description"].value) == MAX_TEXT


def test_a_templates_layout_reorders_and_renames_columns(tmp_path, gen2):
    folder = tmp_path / "templates"
    folder.mkdir()
    write(folder, "workbook-layout.toml", '[[column]]\nheading = "Part"\nfield = "part"\nwidth = 30\n\n'
          '[[column]]\nheading = "Line"\nfield = "line"\n\n[[column]]\nheading = "Qty"\nfield = "quantity"\n\n'
          '[[column]]\nheading = "Extended Price"\nfield = "extended_price"\n')
    ws = load(render_workbook(gen2, folder))["Order"]
    _, headings, rows = lines_table(ws)
    assert headings == ["Part", "Line", "Qty", "Extended Price"]
    assert [c.value for c in rows[0]][:3] == ["STT2309-5", "0001", 3]
    assert ws.column_dimensions["A"].width == 32
    assert Decimal(str(ws.cell(rows[-1][0].row + 1, 4).value)) == Decimal("6000.00")


def test_a_bad_layout_is_an_input_error_naming_the_file(tmp_path, gen2):
    folder = tmp_path / "templates"
    folder.mkdir()
    layout = write(folder, "workbook-layout.toml", '[[column]]\nheading = "Colour"\nfield = "colour"\n')
    with pytest.raises(InputError) as caught:
        render_workbook(gen2, folder)
    assert str(layout) in str(caught.value) and "colour" in str(caught.value)


def test_two_renders_are_byte_identical_and_carry_no_clock(gen2):
    data = render_workbook(gen2)
    assert data == render_workbook(gen2)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    stamps = re.findall(r"\d{4}-\d\d-\d\dT[\d:]+Z", core)
    assert stamps and set(stamps) == {"2026-01-15T00:00:00Z"}
    assert "<dc:creator>procure</dc:creator>" in core


def test_the_bytes_are_the_same_built_on_windows(monkeypatch, gen2):
    """zipfile marks an entry made on Windows as made on MS-DOS: the workbook says Unix wherever it is built."""
    data = render_workbook(gen2)
    monkeypatch.setattr(sys, "platform", "win32")
    assert render_workbook(gen2) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.create_system for info in archive.infolist()} == {3}


@pytest.mark.slow
def test_libreoffice_reads_the_workbook(tmp_path, gen2):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI to check the workbook opens")
        pytest.skip("LibreOffice (soffice) is not installed")
    workbook = tmp_path / "PQ-0001.xlsx"
    workbook.write_bytes(render_workbook(gen2))
    profile = (tmp_path / "lo-profile").as_uri()
    as_shown_utf8 = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
    result = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", as_shown_utf8,
                             "--outdir", str(tmp_path), str(workbook)], capture_output=True, text=True, timeout=120)
    csv = tmp_path / "PQ-0001.csv"
    assert csv.exists(), result.stdout + result.stderr
    text = csv.read_text(encoding="utf-8")
    assert all(part in text for part in ("STT2309-5", "STT2190-5", "CRX2111-10", "iovera°"))
    assert "Total,\"$6,000.00\"" in text
