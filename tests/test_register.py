"""The quote register through the command line, on SQLite and on PostgreSQL (docs/quotes.md)."""

import datetime
import hashlib
import json
import os
import shutil
import subprocess

import pytest

from procure.register.migrate import available

from conftest import assert_no_traceback
from registers import DEARER, MORE, REQUEST, YEAR, issued, number


def listed(desk, *args) -> list[dict]:
    result = desk("quote", "list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["quotes"]


def pdftotext(path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed")
    return subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout


# ------------------------------------------------------------------ numbers


def test_two_issues_in_a_fresh_register_are_numbered_in_sequence(desk):
    assert [issued(desk.issue()), issued(desk.issue())] == [number(1), number(2)]
    names = sorted(p.name for p in desk.out.iterdir())
    assert names == sorted(f"{number(n)}{s}" for n in (1, 2) for s in (".html", ".pdf", ".txt", ".xlsx"))


def test_issued_files_are_the_bytes_build_writes(desk):
    built = desk.folder / "built"
    text = REQUEST.replace("[customer]", f'[quote]\nnumber = "{number(1)}"\n\n[customer]')
    assert desk("build", desk.request(text, "numbered.toml"), "-o", built, "--prices", desk.prices,
                register=False).exit_code == 0
    assert issued(desk.issue()) == number(1)
    for suffix in (".xlsx", ".pdf", ".txt", ".html"):
        assert (desk.out / f"{number(1)}{suffix}").read_bytes() == (built / f"{number(1)}{suffix}").read_bytes()


def test_a_request_keeps_its_own_number_once(desk):
    text = REQUEST.replace("[customer]", '[quote]\nnumber = "PQ-7"\n\n[customer]')
    assert issued(desk.issue(text)) == "PQ-7"
    again = desk.issue(text)
    assert again.exit_code == 1
    assert "is taken" in again.stderr and "remove [quote] number" in again.stderr
    assert "revise" not in again.stderr  # never another customer's quote to revise
    assert issued(desk.issue()) == number(1)


def test_a_number_format_is_chosen_at_init_and_fixed_once_quotes_exist(desk):
    result = desk("register", "init", "--number-format", "PAC-{year}{seq:05d}")
    assert result.exit_code == 0, result.stderr
    assert f"PAC-{YEAR}00001" in result.stdout
    assert issued(desk.issue()) == f"PAC-{YEAR}00001"
    refused = desk("register", "init", "--number-format", "Q-{seq}")
    assert refused.exit_code == 1 and "cannot change" in refused.stderr
    assert desk("register", "init").exit_code == 0


@pytest.mark.parametrize("fmt", ["Q-{year}", "Q-{yr}-{seq}", "Q {seq}", "Q-{seq"])
def test_a_bad_number_format_is_a_usage_error(desk, fmt):
    result = desk("register", "init", "--number-format", fmt)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert_no_traceback(result)


# ------------------------------------------------------------------ what is refused uses no number


def test_an_expired_quote_is_refused_and_uses_no_number(desk):
    old = REQUEST.replace("[customer]", "[quote]\ndate = 2025-01-02\n\n[customer]")
    result = desk.issue(old)
    assert result.exit_code == 1 and "expired on 2025-02-01" in result.stderr
    assert issued(desk.issue()) == number(1)


def test_an_order_with_errors_uses_no_number_and_leaves_no_file(desk):
    desk.prices.write_text("part,unit_price\nIST2221,9000.00\n", encoding="utf-8")  # the tips have no price
    result = desk.issue()
    assert result.exit_code == 1 and "missing-price" in result.stderr
    assert not desk.out.exists() or not list(desk.out.iterdir())
    desk.prices.write_text(DEARER, encoding="utf-8")
    assert issued(desk.issue()) == number(1)


def test_a_file_in_the_way_refuses_the_issue_and_uses_no_number(desk):
    desk.out.mkdir()
    (desk.out / f"{number(1)}.pdf").write_bytes(b"sent last week")
    result = desk.issue()
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert (desk.out / f"{number(1)}.pdf").read_bytes() == b"sent last week"
    assert sorted(p.name for p in desk.out.iterdir()) == [f"{number(1)}.pdf"]
    assert listed(desk) == []


def test_a_failure_after_the_number_is_taken_rolls_everything_back(desk, monkeypatch):
    import procure.files.whole as files

    real = files._write_temporary
    written = []

    def write_then_fail(target, data):
        if len(written) == 2:
            raise OSError("disk full")
        written.append(real(target, data))
        return written[-1]

    monkeypatch.setattr(files, "_write_temporary", write_then_fail)
    result = desk.issue()
    assert result.exit_code == 2 and "disk full" in result.stderr
    assert_no_traceback(result)
    monkeypatch.setattr(files, "_write_temporary", real)
    assert not list(desk.out.iterdir())
    assert listed(desk) == []
    assert issued(desk.issue()) == number(1)


# ------------------------------------------------------------------ revisions


def test_a_revision_supersedes_the_quote_and_says_so(desk):
    base = issued(desk.issue())
    desk.prices.write_text(DEARER, encoding="utf-8")
    revision = issued(desk.revise(base, MORE, "--reason", "thirty procedures"))
    assert revision == f"{base}-R1"
    text = pdftotext(desk.out / f"{revision}.pdf")
    today = datetime.date.today()
    assert f"Revision 1 of {base}, supersedes the quote of {today}" in text
    assert "Changes from the previous revision" in text and "thirty procedures" in text
    summary = (desk.out / f"{revision}.txt").read_text(encoding="utf-8")
    assert f"Revision 1 of {base}, supersedes the quote of {today}" in summary
    assert "3 -> 6" in summary and "$1,000.00 -> $1,050.00" in summary
    quotes = {q["number"]: q for q in listed(desk)}
    assert quotes[base]["status"] == "superseded" and quotes[base]["revision"] == 0
    assert quotes[revision]["status"] == "issued" and quotes[revision]["revision"] == 1
    assert quotes[revision]["base"] == base


def test_revisions_count_on_from_any_revision_of_the_quote(desk):
    base = issued(desk.issue())
    assert issued(desk.revise(base, REQUEST, "--reason", "re-dated")) == f"{base}-R1"
    assert issued(desk.revise(f"{base}-R1", MORE)) == f"{base}-R2"
    assert issued(desk.revise(base)) == f"{base}-R3"
    statuses = {q["number"]: q["status"] for q in listed(desk)}
    assert statuses == {base: "superseded", f"{base}-R1": "superseded", f"{base}-R2": "superseded",
                        f"{base}-R3": "issued"}


def test_an_unknown_quote_cannot_be_revised(desk):
    result = desk.revise("Q-1999-0001")
    assert result.exit_code == 1 and "no such quote" in result.stderr


def test_the_workbook_of_a_revision_names_what_it_supersedes(desk):
    import openpyxl

    base = issued(desk.issue())
    revision = issued(desk.revise(base, MORE, "--reason", "more"))
    book = openpyxl.load_workbook(desk.out / f"{revision}.xlsx")
    assert book.sheetnames[0] == "Order" and "Changes" in book.sheetnames
    values = [c.value for row in book["Order"].iter_rows() for c in row if c.value is not None]
    assert f"Revision 1 of {base}, supersedes the quote of {datetime.date.today()}" in values
    changes = book["Changes"]
    headings = [c.value for c in changes[5]]
    row = dict(zip(headings, [c.value for c in changes[6]], strict=True))
    assert row["Part"] == "STT2309-5" and row["Quantity before"] == 3 and row["Quantity after"] == 6


# ------------------------------------------------------------------ verify and files


def test_verify_accepts_an_issued_file_and_refuses_an_altered_one(desk):
    base = issued(desk.issue())
    pdf = desk.out / f"{base}.pdf"
    ok = desk("quote", "verify", pdf)
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    assert f"{base} .pdf as issued {datetime.date.today()} by " in ok.stdout and "status issued" in ok.stdout
    altered = desk.folder / "altered.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 1
    altered.write_bytes(bytes(data))
    refused = desk("quote", "verify", pdf, altered)
    assert refused.exit_code == 1
    assert "not a file issued by this register: altered, or from elsewhere" in refused.stdout
    issued(desk.revise(base, MORE))
    later = desk("quote", "verify", pdf)
    assert f"status superseded by {base}-R1" in later.stdout


def test_verify_of_a_missing_file_is_a_usage_error(desk):
    assert desk("register", "init").exit_code == 0
    result = desk("quote", "verify", desk.folder / "nothing.pdf")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_files_gives_back_the_issued_bytes(desk):
    base = issued(desk.issue())
    again = desk.folder / "again"
    assert desk("quote", "files", base, "-o", again).exit_code == 0
    for suffix in (".xlsx", ".pdf", ".txt", ".html"):
        assert (again / f"{base}{suffix}").read_bytes() == (desk.out / f"{base}{suffix}").read_bytes()
    verified = desk("quote", "verify", again / f"{base}.html")
    assert verified.exit_code == 0 and f"{base} .html as issued" in verified.stdout
    refused = desk("quote", "files", base, "-o", again)
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert desk("quote", "files", base, "-o", again, "--force").exit_code == 0


def test_no_html_leaves_the_html_copy_out_of_the_folder_but_the_register_keeps_it(desk):
    base = issued(desk.issue(REQUEST, "--no-html"))
    assert sorted(p.suffix for p in desk.out.iterdir()) == [".pdf", ".txt", ".xlsx"]
    revision = issued(desk.revise(base, MORE, "--no-html"))
    assert sorted(p.name for p in desk.out.iterdir() if p.stem == revision) == [
        f"{revision}.pdf", f"{revision}.txt", f"{revision}.xlsx"]
    assert desk("quote", "files", base, "-o", desk.folder / "three", "--no-html").exit_code == 0
    assert sorted(p.suffix for p in (desk.folder / "three").iterdir()) == [".pdf", ".txt", ".xlsx"]
    assert desk("quote", "files", base, "-o", desk.folder / "four").exit_code == 0
    assert sorted(p.suffix for p in (desk.folder / "four").iterdir()) == [".html", ".pdf", ".txt", ".xlsx"]


# ------------------------------------------------------------------ status events


def test_accept_and_void_are_events_that_set_the_status(desk):
    first, second = issued(desk.issue()), issued(desk.issue())
    accepted = desk("quote", "accept", first, "--delivery-order", "SPE2DE-26-F-1234")
    assert accepted.exit_code == 0, accepted.stderr
    assert desk("quote", "void", second, "--reason", "facility withdrew").exit_code == 0
    quotes = {q["number"]: q for q in listed(desk)}
    assert quotes[first]["status"] == "accepted" and quotes[first]["delivery_order"] == "SPE2DE26F1234"
    assert quotes[second]["status"] == "void" and quotes[second]["delivery_order"] is None
    assert [q["number"] for q in listed(desk, "--status", "void")] == [second]
    again = desk("quote", "accept", second, "--delivery-order", "SPE2DE26F1235")
    assert again.exit_code == 1 and "void (facility withdrew)" in again.stderr
    revise = desk.revise(first)
    assert revise.exit_code == 1 and "accepted" in revise.stderr
    shown = json.loads(desk("quote", "show", first, "--json").stdout)
    assert [e["event"] for e in shown["events"]] == ["accepted"]


def test_a_void_revision_cannot_be_accepted(desk):
    base = issued(desk.issue())
    assert desk("quote", "void", base, "--reason", "withdrawn").exit_code == 0
    result = desk("quote", "accept", base, "--delivery-order", "SPE2DE26F1234")
    assert result.exit_code == 1 and "void (withdrawn)" in result.stderr


def test_a_delivery_order_must_be_a_piid(desk):
    base = issued(desk.issue())
    result = desk("quote", "accept", base, "--delivery-order", "ORDER-1")
    assert result.exit_code == 2 and "PIID" in result.stderr


def test_expired_is_computed_from_today(desk):
    base = issued(desk.issue(REQUEST.replace("[customer]", "[quote]\nvalid_days = 1\n\n[customer]")))
    tomorrow_but_one = datetime.date.today() + datetime.timedelta(days=2)
    from procure import open_register

    with open_register(desk.target) as store:
        assert store.entry(base, today=tomorrow_but_one).status == "expired"
        assert store.entry(base, today=datetime.date.today()).status == "issued"


# ------------------------------------------------------------------ list, show, diff


def test_list_is_newest_first_with_the_contract_keys_and_filters(desk):
    other = REQUEST.replace("Public Example Clinic", "Naval Medical Center").replace("W91ABC", "N00168")
    first, second = issued(desk.issue()), issued(desk.issue(other))
    quotes = listed(desk)
    assert [q["number"] for q in quotes] == [second, first]
    keys = {"number", "base", "revision", "facility", "dodaac", "date", "valid_through", "total", "status",
            "issued_at", "issued_by", "delivery_order"}
    assert keys <= set(quotes[0])
    assert quotes[1]["total"] == "3800.00" and quotes[1]["date"] == str(datetime.date.today())
    assert [q["number"] for q in listed(desk, "--facility", "naval")] == [second]
    assert [q["number"] for q in listed(desk, "--dodaac", "w91abc")] == [first]
    assert listed(desk, "--since", str(datetime.date.today() + datetime.timedelta(days=1))) == []
    text = desk("quote", "list")
    assert "Naval Medical Center" in text.stdout and "$3,800.00" in text.stdout


def test_sql_in_a_facility_name_is_stored_and_listed_as_text(desk):
    name = "'); DROP TABLE quotes; --"
    base = issued(desk.issue(REQUEST.replace("Public Example Clinic", name)))
    assert issued(desk.issue()) == number(2)
    assert {q["facility"] for q in listed(desk)} == {name, "Public Example Clinic"}
    assert [q["number"] for q in listed(desk, "--facility", "DROP TABLE")] == [base]
    assert listed(desk, "--facility", "%") == []


def test_show_names_the_revision_chain_events_and_digests(desk):
    base = issued(desk.issue())
    revision = issued(desk.revise(base, MORE, "--reason", "more knees"))
    data = json.loads(desk("quote", "show", revision, "--json").stdout)
    assert data["quote"]["number"] == revision and data["reason"] == "more knees"
    assert [r["number"] for r in data["revisions"]] == [base, revision]
    pdf = (desk.out / f"{revision}.pdf").read_bytes()
    assert {f["name"]: f["sha256"] for f in data["files"]}[f"{revision}.pdf"] == hashlib.sha256(pdf).hexdigest()
    assert data["request"] == "request.toml" and data["price_list"] == "prices.csv"
    text = desk("quote", "show", revision).stdout
    assert f"revision 1 of {base}" in text and hashlib.sha256(pdf).hexdigest() in text
    unknown = desk("quote", "show", "Q-1999-0001")
    assert unknown.exit_code == 1 and "no such quote" in unknown.stderr


def test_diff_lists_the_line_changes_and_totals(desk):
    base = issued(desk.issue())
    desk.prices.write_text(DEARER, encoding="utf-8")
    other = issued(desk.issue(MORE))
    data = json.loads(desk("quote", "diff", base, other, "--json").stdout)
    assert data["from"] == base and data["to"] == other
    tips = {line["part"]: line for line in data["lines"]}["STT2309-5"]
    assert (tips["quantity_before"], tips["quantity_after"]) == (3, 6)
    assert (tips["unit_price_before"], tips["unit_price_after"]) == ("1000.00", "1050.00")
    assert (data["total_before"], data["total_after"]) == ("3800.00", "7500.00")
    assert data["fields"] == {}
    text = desk("quote", "diff", base, other).stdout
    assert "quantity 3 -> 6" in text and "total $3,800.00 -> $7,500.00" in text


# ------------------------------------------------------------------ register init, info, export


def test_info_describes_the_register(desk):
    issued(desk.issue())
    result = desk("register", "info")
    assert result.exit_code == 0, result.stderr
    assert f"Next number     {number(2)}" in result.stdout

    latest = available("sqlite")[-1].version
    assert f"Schema version  {latest}" in result.stdout and "1 (1 revision(s) in all)" in result.stdout


def test_export_csv_has_one_row_per_revision(desk):
    base = issued(desk.issue())
    issued(desk.revise(base, MORE))
    path = desk.folder / "register.csv"
    assert desk("register", "export", "-o", path).exit_code == 0
    rows = path.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("Number,Base,Revision,Facility,DoDAAC,Quote date,Valid through,Total,Status")
    assert rows[1].startswith(f"{base}-R1,{base},1,") and rows[2].startswith(f"{base},{base},0,")
    assert desk("register", "export", "-o", path).exit_code == 1
    assert desk("register", "export", "-o", desk.folder / "register.json").exit_code == 2


def test_export_xlsx_has_typed_dates_money_and_text(desk):
    import openpyxl

    formula = "=SUM(A1)"
    base = issued(desk.issue(REQUEST.replace("Public Example Clinic", formula)))
    desk("quote", "accept", base, "--delivery-order", "SPE2DE26F1234")
    path = desk.folder / "register.xlsx"
    assert desk("register", "export", "-o", path).exit_code == 0
    sheet = openpyxl.load_workbook(path).active
    row = dict(zip([c.value for c in sheet[1]], sheet[2], strict=True))
    assert row["Facility"].value == formula and row["Facility"].data_type == "s"
    assert row["Quote date"].value.date() == datetime.date.today() and row["Quote date"].is_date
    assert float(row["Total"].value) == 3800.0 and "$" in row["Total"].number_format
    assert row["Status"].value == "accepted" and row["Delivery order"].value == "SPE2DE26F1234"
    assert row["Issued at (UTC)"].is_date
    assert row["Order date"].is_date and float(row["Order amount"].value) == 3800.0 and row["Practice"].value == "no"
    assert float(row["Ordered total"].value) == 3800.0 and "$" in row["Ordered total"].number_format
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.freeze_panes == "A2"
    assert all(cell.alignment.wrap_text for cells in sheet.iter_rows() for cell in cells)


@pytest.mark.slow
def test_the_exported_workbook_opens_in_libreoffice_with_dates_and_money(desk):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI to check the export opens")
        pytest.skip("LibreOffice (soffice) is not installed")
    issued(desk.issue(REQUEST.replace("Public Example Clinic", "=HYPERLINK(\\\"x\\\")")))
    path = desk.folder / "register.xlsx"
    assert desk("register", "export", "-o", path).exit_code == 0
    profile = (desk.folder / "lo-profile").as_uri()
    as_shown_utf8 = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", as_shown_utf8,
                    "--outdir", str(desk.folder / "lo"), str(path)], capture_output=True, timeout=120)
    text = (desk.folder / "lo" / "register.csv").read_text(encoding="utf-8")
    row = text.splitlines()[1]
    assert f",{datetime.date.today()}," in row and "\"$3,800.00\"" in row and '=HYPERLINK(""x"")' in row, row


def test_an_issued_revision_pdf_passes_qpdf(desk):
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        if os.environ.get("CI"):
            pytest.fail("qpdf is required in CI")
        pytest.skip("qpdf is not installed")
    revision = issued(desk.revise(issued(desk.issue()), MORE, "--reason", "more"))
    result = subprocess.run([qpdf, "--check", str(desk.out / f"{revision}.pdf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_quote_issued_with_a_profile_names_the_vendor_and_keeps_the_profile(desk):
    profile = desk.folder / "desk.toml"
    profile.write_text('[vendor]\ncage = "7XK41"\nuei = "K9LMNPQR2345"\n[preparer]\nname = "Alex Smith"\n',
                       encoding="utf-8")
    first = issued(desk.issue(REQUEST, "--profile", profile))
    assert "CAGE 7XK41" in pdftotext(desk.out / f"{first}.pdf")
    assert json.loads(desk("quote", "show", first, "--json").stdout)["profile"] == "desk.toml"
    bad = desk.folder / "bad.toml"
    bad.write_text('[vendor]\ncage = "1ABC"\n', encoding="utf-8")
    refused = desk.issue(REQUEST, "--profile", bad)
    assert refused.exit_code == 2 and "cage" in refused.stderr
    assert [q["number"] for q in listed(desk)] == [first]


def test_a_filled_form_is_issued_like_its_toml(desk):
    form = desk.folder / "form.xlsx"
    made = desk("form", "-o", form, "--from", desk.request(REQUEST, "source.toml"), register=False)
    assert made.exit_code == 0, made.stderr
    from_form = issued(desk("quote", "issue", form, "-o", desk.out, "--prices", desk.prices))
    from_toml = issued(desk.issue())
    quotes = {q["number"]: q for q in listed(desk)}
    assert quotes[from_form]["total"] == quotes[from_toml]["total"] is not None
    assert json.loads(desk("quote", "show", from_form, "--json").stdout)["request"] == "form.xlsx"
