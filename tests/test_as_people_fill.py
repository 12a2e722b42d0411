"""Forms and price lists as people fill them: what an officer types is taken as meant, and what is wrong comes
in one run with a suggestion."""

import datetime
import io
import json

import openpyxl
import pytest
from test_form_read import make_form, put

from procure.core.prices import read_price_list
from procure.inputs import read_request

from orders import GEN2, PRICES, write

EXAMPLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples"


# ------------------------------------------------------------------ forms


@pytest.mark.parametrize("typed", ["asc", "Asc", "ASC"])
def test_a_site_is_matched_without_regard_to_case(run, tmp_path, typed):
    form = make_form(tmp_path, edit=put("Request", "B36", typed))
    result = run("plan", form, "--prices", write(tmp_path, "p.csv", PRICES), "--json")
    assert result.exit_code == 0, result.stderr
    assert {r["site"] for r in json.loads(result.stdout)["reimbursement"]} == {"ASC"}


def test_a_spare_typed_as_a_percentage_is_that_number(tmp_path):
    assert read_request(make_form(tmp_path, edit=put("Request", "B32", "10%"))).spare_percent == 10


def test_a_spare_excel_keeps_as_a_percentage_is_that_number(tmp_path):
    """Typed as 10% in Excel, the cell holds 0.1 shown in a percent format."""
    def edit(book):
        book["Request"]["B32"] = 0.125
        book["Request"]["B32"].number_format = "0.0%"
    assert str(read_request(make_form(tmp_path, edit=edit)).spare_percent) == "12.5"


@pytest.mark.parametrize("typed, day", [("1/15/2027", datetime.date(2027, 1, 15)),
                                        ("2027-01-15", datetime.date(2027, 1, 15)),
                                        ("12/3/2026", datetime.date(2026, 12, 3)),
                                        (datetime.datetime(2027, 1, 15), datetime.date(2027, 1, 15))])
def test_dates_may_be_dates_or_iso_or_us_text(tmp_path, typed, day):
    request = read_request(make_form(tmp_path, edit=put("Request", "B21", typed)))
    assert request.references.required_delivery == day


def test_a_us_date_that_is_no_day_names_its_cell(tmp_path):
    from procure.core.errors import InputError

    with pytest.raises(InputError) as refused:
        read_request(make_form(tmp_path, edit=put("Request", "B21", "2/30/2027")))
    assert "Request!B21 Required delivery: must be a date such as 2026-01-15 or 1/15/2026" in str(refused.value)


@pytest.mark.parametrize("typed", ["W12ABC-6331-0001", "W12ABC 6331 0001", "w12abc63310001".upper()])
def test_a_requisition_may_carry_dashes_or_spaces(tmp_path, typed):
    request = read_request(make_form(tmp_path, edit=put("Request", "B18", typed)))
    assert request.references.requisition == "W12ABC63310001"


def test_a_toml_requisition_with_dashes_is_read_too():
    text = GEN2 + '\n[order]\nrequisition = "W91ABC-6015-0001"\n'
    assert read_request(text=text).references.requisition == "W91ABC60150001"


@pytest.mark.parametrize("typed, meant", [("STT2309", "STT2309-5"), ("STT2309-10", "STT2309-5"),
                                          ("XYZ9999-5", None), ("STT2309-6", "STT2309-5"), ("IST222", "IST2221")])
def test_an_unknown_part_gets_did_you_mean_when_one_is_close(run, tmp_path, typed, meant):
    form = make_form(tmp_path, edit=lambda book: (put("Lines", "A5", typed)(book), put("Lines", "B5", 1)(book)))
    result = run("check", form)
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if "unknown-part" in line)
    if meant:
        assert f"did you mean {meant}" in line, line
    else:
        assert "did you mean" not in line and "`procure catalog list`" in line, line


def test_format_problems_and_rule_errors_come_in_one_run(run, tmp_path):
    def edit(book):
        put("Request", "B21", "next month")(book)
        put("Lines", "A5", "STT2309")(book)
        put("Lines", "B5", 1)(book)
    form = make_form(tmp_path, edit=edit)
    result = run("check", form)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any("Request!B21 Required delivery: must be a date" in line for line in lines), lines
    assert any("unknown-part" in line and "did you mean STT2309-5" in line and "Lines!A5" in line
               for line in lines), lines


def test_form_with_a_profile_gives_the_desk_as_return_address(run, tmp_path):
    assert run("form", "-o", tmp_path / "f.xlsx", "--profile", EXAMPLES / "profile.toml").exit_code == 0
    text = " ".join(str(c.value) for row in openpyxl.load_workbook(tmp_path / "f.xlsx")["Instructions"].iter_rows()
                    for c in row if c.value)
    assert "Alex Smith, alex.smith@example.com, 555-0101" in text
    assert run("form", "-o", tmp_path / "g.xlsx").exit_code == 0
    plain = " ".join(str(c.value) for row in openpyxl.load_workbook(tmp_path / "g.xlsx")["Instructions"].iter_rows()
                     for c in row if c.value)
    assert "Alex Smith" not in plain


# ------------------------------------------------------------------ price lists

VENDOR_ROWS = [("IST2221", "Handpiece", "9,000.00"), ("STT2309-5", "309 tips", "1000.00"),
               ("STT2190-5", "190 tips", "1100.00"), ("CRX2111-10", "Cartridges", "400.00")]


@pytest.mark.parametrize("part", ["Part Number", "Mfr Part No", "Manufacturer Part Number", "Item", "part",
                                  "Mfr. Part No."])
@pytest.mark.parametrize("price", ["Unit Price", "Contract Price", "Price", "unit_price"])
def test_vendors_column_names_are_read(part, price):
    text = f'"{part}",Description,"{price}"\n' + "".join(f'{p},{d},"{v}"\n' for p, d, v in VENDOR_ROWS)
    prices = read_price_list(text=text, name="vendor.csv")
    assert prices.prices["STT2309-5"] == 1000 and len(prices.prices) == 4


def test_a_header_below_title_rows_is_found_and_the_title_names_the_list():
    text = ("Pacira BioSciences - SPE2DE-21-D-7004 contract price list,,\n,,\nEffective 2026-01-01,,\n"
            "Mfr Part No,Description,Contract Price\n" + "".join(f"{p},{d},{v.replace(',', '')}\n"
                                                                 for p, d, v in VENDOR_ROWS))
    prices = read_price_list(text=text, name="vendor.csv")
    assert prices.title == "Pacira BioSciences - SPE2DE-21-D-7004 contract price list"
    assert prices.prices["CRX2111-10"] == 400


def test_an_xlsx_header_below_a_title_row_is_found(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Contract price list"])
    ws.append([])
    ws.append(["Manufacturer Part Number", "Description", "Unit Price"])
    for p, d, v in VENDOR_ROWS:
        ws.append([p, d, float(v.replace(",", ""))])
    raw = io.BytesIO()
    book.save(raw)
    prices = read_price_list(data=raw.getvalue(), name="vendor.xlsx")
    assert prices.title == "Contract price list" and prices.prices["IST2221"] == 9000


def test_a_header_past_the_first_20_rows_is_not_looked_for():
    text = "Title\n" * 21 + "part,unit_price\nSTT2309-5,1.00\n"
    from procure.core.errors import InputError

    with pytest.raises(InputError) as refused:
        read_price_list(text=text, name="late.csv")
    assert "the header has no column part, unit_price" in str(refused.value)


def test_the_quote_names_the_list_once_by_its_title(tmp_path):
    from pypdf import PdfReader

    import procure

    text = "# title = Pacira contract price list 2026\n" + PRICES
    order = procure.build_order(procure.read_request(text=GEN2), procure.shipped_catalog(),
                                prices=read_price_list(text=text, name="p.csv"))
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(procure.render(order)[".pdf"])).pages)
    assert " ".join(pdf.split()).count("Pacira contract price list 2026") == 1
