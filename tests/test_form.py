"""`procure form`: the request form's sheets, input cells, validations, protection, versions and bytes."""

import io
import re
import zipfile

import openpyxl
import pytest

from procure.core.catalog_reader import shipped_catalog
from procure.forms.layout import FORM_VERSION
from procure.forms.write import render_form
from procure.inputs import read_request

from orders import EXAMPLE, GEN2, write


@pytest.fixture(scope="module")
def version():
    return shipped_catalog().select(version="2024-10-01")


@pytest.fixture(scope="module")
def blank(version):
    return render_form(version)


@pytest.fixture(scope="module")
def example(version):
    return render_form(version, read_request(EXAMPLE), EXAMPLE.parent)


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def validations(ws) -> list:
    return list(ws.data_validations.dataValidation)


def validation_of(ws, ref: str):
    [found] = [v for v in validations(ws) if ref in v.sqref]
    return found


def named_list(book, name: str) -> list:
    [(sheet, cells)] = list(book.defined_names[name].destinations)
    found = book[sheet][cells]
    return [c.value for row in found for c in row] if isinstance(found, tuple) else [found.value]


def test_sheets_are_instructions_request_treatments_lines_stock_and_a_hidden_lists(blank):
    book = load(blank)
    assert book.sheetnames == ["Instructions", "Request", "Treatments", "Lines", "Stock", "Lists"]
    assert [ws.sheet_state for ws in book.worksheets] == ["visible"] * 5 + ["hidden"]
    assert book.active.title == "Instructions"


def test_a_prefilled_form_opens_on_the_request_sheet(example):
    assert load(example).active.title == "Request"


def test_two_forms_of_the_same_inputs_are_byte_identical_and_carry_no_clock(version, blank, example):
    assert render_form(version) == blank
    assert render_form(version, read_request(EXAMPLE), EXAMPLE.parent) == example
    with zipfile.ZipFile(io.BytesIO(blank)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert set(re.findall(r"\d{4}-\d\d-\d\dT[\d:]+Z", core)) == {"2024-10-01T00:00:00Z"}


def test_form_and_catalog_versions_are_named_in_the_workbook(blank, version):
    book = load(blank)
    assert named_list(book, "procure_form_version") == [FORM_VERSION]
    assert named_list(book, "procure_catalog_version") == [version.version]


def test_only_input_cells_are_unlocked_and_every_sheet_is_protected_without_a_password(blank):
    book = load(blank)
    assert book.security.lockStructure
    for ws in book.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title
        unlocked = [c for row in ws.iter_rows() for c in row if not c.protection.locked]
        assert all(c.fill.fgColor.rgb == "00FFF2CC" for c in unlocked), ws.title
        if ws.title in ("Instructions", "Lists"):
            assert unlocked == []
    request = book["Request"]
    assert {c.coordinate for c in request["B"] if not c.protection.locked} >= {"B5", "B10", "B11"}
    assert [c.value for c in request["A"]][9:11] == ["Facility", "DoDAAC"]


def test_every_input_cell_has_an_input_message_excel_can_show(blank):
    book = load(blank)
    for ws in book.worksheets:
        covered = {c for v in validations(ws) for r in v.sqref.ranges for c in r.cells}
        for row in ws.iter_rows():
            for cell in row:
                if not cell.protection.locked:
                    assert (cell.row, cell.column) in covered, f"{ws.title}!{cell.coordinate}"
        for v in validations(ws):
            assert v.showInputMessage and v.prompt and len(v.prompt) <= 255 and len(v.promptTitle) <= 32


def test_part_drop_downs_come_from_the_catalog_gen_1_first(blank, version):
    book = load(blank)
    assert validation_of(book["Lines"], "A5").type == "list"
    assert validation_of(book["Lines"], "A5").formula1 == "procure_parts"
    parts = named_list(book, "procure_parts")
    assert sorted(parts) == sorted(p.part for p in version.parts)
    generations = [version.part(p).generation for p in parts]
    assert generations == sorted(generations)
    assert named_list(book, "procure_handpieces") == ["IST0221", "IST2221"]
    assert validation_of(book["Stock"], "A5").formula1 == "procure_consumables"
    assert "IST2221" not in named_list(book, "procure_consumables")
    assert validation_of(book["Request"], "B26").formula1 == "procure_handpieces"


def test_sites_yes_no_and_number_ranges_are_validated(blank, version):
    book = load(blank)
    assert named_list(book, "procure_sites") == list(version.fees.sites)
    assert named_list(book, "procure_yes_no") == ["Y", "N"]
    treatments = book["Treatments"]
    procedures = validation_of(treatments, "B6")
    assert (procedures.type, procedures.operator, procedures.formula1) == ("whole", "between", "1")
    assert validation_of(treatments, "C6").formula1 == "procure_yes_no"
    quantity = validation_of(book["Lines"], "B5")
    assert (quantity.type, quantity.formula1) == ("whole", "1")
    dodaac = validation_of(book["Request"], "B11")
    assert (dodaac.type, dodaac.formula1, dodaac.formula2) == ("textLength", "6", "6")


def test_treatments_have_one_column_per_nerve_code_of_the_catalog(blank, version):
    ws = load(blank)["Treatments"]
    headings = [c.value for c in ws[4] if c.value]
    assert headings == ["Treatment", "Procedures", *version.targets, "Nerve stimulation (Y/N)",
                        "Tips per procedure", "Cartridges per procedure"]
    assert "Anterior Femoral Cutaneous Nerve" in ws["E5"].value


def test_instructions_say_how_to_fill_it_and_list_parts_and_nerves(blank, version):
    text = " ".join(str(c.value) for row in load(blank)["Instructions"].iter_rows() for c in row if c.value)
    for words in ("yellow cells", "DoDAAC", "Put Y under each nerve", ".xlsx", "e-mail it back",
                  *(p.part for p in version.parts), *version.targets):
        assert words in text


def test_from_a_request_prefills_every_section(example):
    book = load(example)
    request = {row[0].value: row[1].value for row in book["Request"].iter_rows(min_row=4) if row[0].value}
    assert request["Quote number"] == "Q-2026-0001" and str(request["Quote date"])[:10] == "2026-11-27"
    assert request["Facility"] == "Example Army Medical Center" and request["DoDAAC"] == "W12ABC"
    assert request["Handpiece owned 1"] == "IST2221" and request["Spare (percent)"] == 10
    assert request["Site of service"] == "ASC" and request["Requisition"] is None
    treatments = book["Treatments"]
    assert [c.value for c in treatments[6]][:2] == ["Anterior knee", 40]
    marks = {treatments.cell(4, c.column).value for c in treatments[6] if c.value == "Y"}
    assert marks == {"AFCN", "ISN-S", "ISN-I"}
    assert [c.value for c in book["Lines"][5]] == ["IST2221", 1]
    assert [[c.value for c in row] for row in book["Stock"].iter_rows(min_row=5, max_row=6)] == [
        ["STT2309-5", 1, None], ["CRX2111-10", 0, 4]]


def test_text_that_looks_like_a_formula_stays_text(tmp_path, version):
    request = read_request(write(tmp_path, "r.toml", GEN2.replace("Public Example Clinic", "=SUM(A1)")))
    cell = load(render_form(version, request, tmp_path))["Request"]["B10"]
    assert cell.value == "=SUM(A1)" and cell.data_type == "s"


def test_a_nerve_code_the_catalog_lacks_keeps_a_column_of_its_own(tmp_path, version):
    request = read_request(write(tmp_path, "r.toml", GEN2.replace('"SLGN"', '"XYZ"')))
    ws = load(render_form(version, request, tmp_path))["Treatments"]
    assert [c.value for c in ws[4]][-4] == "XYZ" and ws.cell(5, ws.max_column - 3).value == "not in the catalog"


def test_more_treatments_than_the_form_has_rows_get_more_rows(tmp_path, version):
    many = GEN2 + "".join(f'[[treatment]]\nname = "T{i}"\nprocedures = 1\n' for i in range(30))
    ws = load(render_form(version, read_request(write(tmp_path, "r.toml", many)), tmp_path))["Treatments"]
    assert ws.cell(6 + 31, 1).value == "T29" and not ws.cell(6 + 31, 1).protection.locked


def test_a_price_list_of_the_request_is_named_relative_to_the_form(tmp_path, version):
    request = read_request(write(tmp_path, "r.toml", GEN2 + '[pricing]\nprice_list = "prices.csv"\n'))
    (tmp_path / "forms").mkdir()
    book = load(render_form(version, request, tmp_path / "forms"))
    assert book["Request"]["B39"].value == "../prices.csv"


# ------------------------------------------------------------------ the command


def test_form_writes_the_file_and_says_so(run, tmp_path):
    result = run("form", "-o", tmp_path / "form.xlsx")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {tmp_path / 'form.xlsx'} (form version 1, catalog version 2024-10-01)\n"
    assert load((tmp_path / "form.xlsx").read_bytes()).sheetnames[0] == "Instructions"


def test_form_never_overwrites_without_force(run, tmp_path):
    target = tmp_path / "form.xlsx"
    target.write_bytes(b"mine")
    result = run("form", "-o", target)
    assert result.exit_code == 1 and "already exists; use --force" in result.stderr
    assert target.read_bytes() == b"mine"
    assert run("form", "-o", target, "--force").exit_code == 0
    assert target.read_bytes() != b"mine"
    assert [p.name for p in tmp_path.iterdir()] == ["form.xlsx"]


def test_form_wants_an_xlsx_name(run, tmp_path):
    result = run("form", "-o", tmp_path / "form.xls")
    assert result.exit_code == 2 and "name it with .xlsx" in result.stderr


def test_form_from_a_broken_request_names_its_problem_and_writes_nothing(run, tmp_path):
    broken = write(tmp_path, "r.toml", GEN2.replace("procedures = 12", "procedures = 0"))
    result = run("form", "-o", tmp_path / "form.xlsx", "--from", broken)
    assert result.exit_code == 2 and "procedures: must be a whole number of at least 1, not 0" in result.stderr
    assert not (tmp_path / "form.xlsx").exists()


def test_catalog_version_pins_the_lists(run, tmp_path, two_versions_dir):
    result = run("--catalog", two_versions_dir, "form", "-o", tmp_path / "f.xlsx", "--catalog-version", "2024-10-01")
    assert result.exit_code == 0, result.stderr
    assert named_list(load((tmp_path / "f.xlsx").read_bytes()), "procure_catalog_version") == ["2024-10-01"]
