"""The facility directory, `quote due` and `register report`, on SQLite and PostgreSQL (docs/customers-and-email.md)."""

import datetime
import json
import os
import shutil
import subprocess
import zipfile

import pytest

from conftest import assert_no_traceback
from registers import REQUEST, issued

TODAY = datetime.date.today()
SECOND = REQUEST.replace('dodaac = "W91ABC"', 'dodaac = "W91ABC"\ncontact = "Maj. Ann Lee"\n'
                                              'email = "ann.lee@example.mil"\nship_to = "Bldg 7, Dock B"')
OTHER = REQUEST.replace("Public Example Clinic", "Second Field Hospital").replace("W91ABC", "W92XYZ")
BY_DODAAC = """[customer]
dodaac = "W91ABC"

[equipment]
installed = ["IST2221"]

[[treatment]]
name = "Anterior knee"
procedures = 12
"""


def shown(desk, dodaac="W91ABC") -> dict:
    result = desk("customer", "show", dodaac, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def dated(text: str, date: datetime.date, valid_days: int = 30) -> str:
    return f"[quote]\ndate = {date}\nvalid_days = {valid_days}\n\n{text}"


# ------------------------------------------------------------------ the directory


def test_every_issue_appends_a_version_and_the_record_is_the_newest(desk):
    first = issued(desk.issue())
    second = issued(desk.issue(SECOND))
    record = shown(desk)
    assert {k: record[k] for k in ("dodaac", "facility", "ship_to", "bill_to", "mark_for", "contacts")} == {
        "dodaac": "W91ABC", "facility": "Public Example Clinic", "ship_to": "Bldg 7, Dock B", "bill_to": None,
        "mark_for": None, "contacts": [{"name": "Maj. Ann Lee", "email": "ann.lee@example.mil", "phone": None}]}
    assert [v["quote"] for v in record["versions"]] == [first, second]
    assert record["versions"][0]["contacts"] == [] and record["versions"][0]["ship_to"] is None
    assert [q["number"] for q in record["quotes"]] == [second, first]
    assert record["quotes"][0] == {"number": second, "date": str(TODAY), "total": "3800.00", "status": "issued",
                                  "ordered_total": None}
    assert record["accepted_total"] == "0.00"


def test_customer_set_appends_a_version_and_keeps_the_old_contact(desk):
    issued(desk.issue(SECOND))
    result = desk("customer", "set", "w91abc", "--contact", "Capt. Bo Park", "--email", "bo.park@example.mil",
                  "--mark-for", "Pain clinic", "--by", "desk1")
    assert result.exit_code == 0, result.stderr
    assert "customer W91ABC set: Public Example Clinic; first contact Capt. Bo Park" in result.stdout
    assert desk("customer", "set", "W91ABC", "--phone", "555-0100").exit_code == 0
    record = shown(desk)
    assert record["contacts"] == [{"name": "Capt. Bo Park", "email": "bo.park@example.mil", "phone": "555-0100"},
                                  {"name": "Maj. Ann Lee", "email": "ann.lee@example.mil", "phone": None}]
    assert record["mark_for"] == "Pain clinic" and record["ship_to"] == "Bldg 7, Dock B"
    versions = record["versions"]
    assert len(versions) == 3 and versions[1]["recorded_by"] == "desk1" and versions[1]["quote"] is None
    assert versions[1]["contacts"][0]["phone"] is None, "an older version changed"
    text = desk("customer", "show", "W91ABC").stdout
    assert "Mark for  Pain clinic" in text and "customer set" in text


def test_the_directory_refuses_to_change_a_version(desk):
    from procure.register import open_register

    issued(desk.issue())
    with open_register(desk.target) as store, pytest.raises(Exception, match="keeps every version"), \
            store.writing():
        store.run("UPDATE customers SET facility = 'x'")


def test_customer_set_of_an_unknown_dodaac_needs_a_facility(desk):
    result = desk("customer", "set", "W12ABC", "--email", "a@example.mil")
    assert result.exit_code == 1 and result.stderr.strip().count("\n") == 0
    assert "not in the customer directory yet" in result.stderr and "--facility" in result.stderr
    assert desk("customer", "set", "W12ABC", "--facility", "Clinic X").exit_code == 0
    assert desk("customer", "set", "W12AB").exit_code == 2
    control = desk("customer", "set", "W12ABC", "--facility", "Clinic\nX")
    assert control.exit_code == 2 and "--facility holds a control character (U+000A" in control.stderr
    assert_no_traceback(desk("customer", "show", "W99ZZZ"))


def test_customer_list_names_each_facility_with_its_quotes_and_accepted_total(desk):
    number = issued(desk.issue(SECOND))
    issued(desk.issue(OTHER))
    assert desk("quote", "accept", number, "--delivery-order", "SPE2DE-27-F-1234").exit_code == 0
    found = json.loads(desk("customer", "list", "--json").stdout)["customers"]
    assert [(c["dodaac"], c["quote_count"], c["accepted_total"]) for c in found] == [
        ("W91ABC", 1, "3800.00"), ("W92XYZ", 1, "0.00")]
    text = desk("customer", "list").stdout
    assert "Public Example Clinic" in text and "ann.lee@example.mil" in text and "$3,800.00" in text
    assert shown(desk)["accepted_total"] == "3800.00"


def test_a_request_naming_only_a_known_dodaac_takes_the_rest_from_the_directory(desk):
    issued(desk.issue(SECOND))
    request = desk.request(BY_DODAAC, "by-dodaac.toml")
    check = desk("check", request, "--prices", desk.prices, "--json")
    assert check.exit_code == 0, check.stderr
    found = {i["code"]: i for i in json.loads(check.stdout)["issues"]}
    assert found["customer-from-directory"]["audience"] == "internal"
    assert "Public Example Clinic" in found["customer-from-directory"]["message"]
    number = issued(desk.issue(BY_DODAAC))
    assert "Public Example Clinic" in (desk.out / f"{number}.txt").read_text(encoding="utf-8")
    assert "ann.lee@example.mil" in (desk.out / f"{number}.txt").read_text(encoding="utf-8")
    assert shown(desk)["versions"][-1]["quote"] == number


def test_a_request_naming_an_unknown_dodaac_still_needs_its_facility(desk):
    result = desk("check", desk.request(BY_DODAAC, "by-dodaac.toml"), "--prices", desk.prices)
    assert result.exit_code == 2
    assert "by-dodaac.toml:1: [customer] facility: facility is required: DoDAAC W91ABC is not in the customer " \
           "directory" in result.stderr
    assert_no_traceback(result)


def test_form_dodaac_fills_the_customer_block_from_the_directory(desk):
    from procure.inputs import read_request

    issued(desk.issue(SECOND))
    path = desk.folder / "form.xlsx"
    result = desk("form", "-o", path, "--dodaac", "w91abc")
    assert result.exit_code == 0, result.stderr
    customer = read_request(path).customer
    assert (customer.facility, customer.dodaac, customer.contact, customer.email, customer.ship_to) == (
        "Public Example Clinic", "W91ABC", "Maj. Ann Lee", "ann.lee@example.mil", "Bldg 7, Dock B")
    unknown = desk("form", "-o", desk.folder / "other.xlsx", "--dodaac", "W99ZZZ")
    assert unknown.exit_code == 1 and "W99ZZZ is not in the customer directory" in unknown.stderr


# ------------------------------------------------------------------ quote due


def test_quote_due_lists_what_expires_from_today_to_days_ahead_soonest_first(desk):
    in_8 = issued(desk.issue(dated(REQUEST, TODAY - datetime.timedelta(days=22))))
    today = issued(desk.issue(dated(SECOND, TODAY - datetime.timedelta(days=30))))
    in_7 = issued(desk.issue(dated(OTHER, TODAY - datetime.timedelta(days=23))))
    accepted = issued(desk.issue(dated(REQUEST, TODAY - datetime.timedelta(days=29))))
    void = issued(desk.issue(dated(REQUEST, TODAY - datetime.timedelta(days=28))))
    assert desk("quote", "accept", accepted, "--delivery-order", "SPE2DE-27-F-1234").exit_code == 0
    assert desk("quote", "void", void, "--reason", "duplicate").exit_code == 0
    due = desk("quote", "due", "--json")
    assert due.exit_code == 0, due.stderr
    quotes = json.loads(due.stdout)["quotes"]
    assert [q["number"] for q in quotes] == [today, in_7]
    listed = json.loads(desk("quote", "list", "--json").stdout)["quotes"]
    assert list(quotes[0]) == list(listed[0])
    assert [q["number"] for q in json.loads(desk("quote", "due", "--within", "8", "--json").stdout)["quotes"]] == [
        today, in_7, in_8]
    assert [q["number"] for q in json.loads(desk("quote", "due", "--within", "0", "--json").stdout)["quotes"]] == [
        today]
    text = desk("quote", "due").stdout
    assert text.index(today) < text.index(in_7) and in_8 not in text
    assert "Maj. Ann Lee, ann.lee@example.mil" in text and "Second Field Hospital" in text and "$3,800.00" in text


def test_quote_due_names_the_contact_each_quote_was_addressed_to(desk):
    """A facility's contact changes between two quotes: each quote's line names whom that quote went to."""
    to_ann = issued(desk.issue(dated(SECOND, TODAY - datetime.timedelta(days=29))))
    to_bo = issued(desk.issue(dated(SECOND.replace("Maj. Ann Lee", "Capt. Bo Ray")
                                    .replace("ann.lee@example.mil", "bo.ray@example.mil"),
                                    TODAY - datetime.timedelta(days=28))))
    lines = desk("quote", "due").stdout.splitlines()
    assert "Maj. Ann Lee, ann.lee@example.mil" in next(line for line in lines if to_ann in line)
    assert "Capt. Bo Ray, bo.ray@example.mil" in next(line for line in lines if to_bo in line)


def test_quote_due_says_when_nothing_is_due(desk):
    issued(desk.issue())
    assert desk("quote", "due").stdout.startswith("No quotes out with a customer expire")
    assert json.loads(desk("quote", "due", "--json").stdout) == {"quotes": []}


# ------------------------------------------------------------------ register report


def _accept_after(desk, number: str, days: int) -> None:
    from procure.register import open_register
    from procure.register.records import ACCEPTED, Event

    with open_register(desk.target) as store:
        entry = store.entry(number, today=TODAY)
        with store.writing():
            store.add_event(Event(number, ACCEPTED, None, "SPE2DE27F1234", None, "test",
                                  entry.issued_at + datetime.timedelta(days=days)))


@pytest.fixture
def month_of_quotes(desk):
    """Last month: W91ABC accepted after 10 days, void, left open; W92XYZ revised into this month.
    This month: W92XYZ accepted after 4 days, and the revision left open."""
    last_month = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    old = dated(REQUEST, last_month, 365)
    numbers = {"a": issued(desk.issue(old)), "v": issued(desk.issue(old)), "o": issued(desk.issue(old)),
               "r": issued(desk.issue(dated(OTHER, last_month, 365))),
               "b": issued(desk.issue(dated(OTHER, TODAY)))}
    numbers["r1"] = issued(desk.revise(numbers["r"], dated(OTHER, TODAY), "--reason", "this month"))
    _accept_after(desk, numbers["a"], 10)
    _accept_after(desk, numbers["b"], 4)
    assert desk("quote", "void", numbers["v"], "--reason", "duplicate").exit_code == 0
    return last_month, numbers


def test_the_report_counts_each_quote_once_per_month_and_facility(desk, month_of_quotes):
    from decimal import Decimal

    from procure.register import open_register
    from procure.register.report import report

    last_month, _ = month_of_quotes
    with open_register(desk.target) as store:
        found = report(store, TODAY + datetime.timedelta(days=400))
    money = Decimal("3800.00")
    assert [tuple(f) for f in found.months] == [
        (f"{last_month:%Y-%m}", 3, 1, 1, 1, 3 * money, money, Decimal("0.3333"), 10.0),
        (f"{TODAY:%Y-%m}", 2, 1, 0, 1, 2 * money, money, Decimal("0.5000"), 4.0)]
    assert [tuple(f) for f in found.facilities] == [
        ("Public Example Clinic (W91ABC)", 3, 1, 1, 1, 3 * money, money, Decimal("0.3333"), 10.0),
        ("Second Field Hospital (W92XYZ)", 2, 1, 0, 1, 2 * money, money, Decimal("0.5000"), 4.0)]
    assert tuple(found.total) == ("All", 5, 2, 1, 2, 5 * money, 2 * money, Decimal("0.4000"), 7.0)
    with open_register(desk.target) as store:
        this_month = report(store, TODAY, start=TODAY.replace(day=1), end=TODAY)
    assert [f.label for f in this_month.months] == [f"{TODAY:%Y-%m}"] and this_month.total.expired == 0


def test_the_report_workbook_has_numbers_a_chart_and_the_same_bytes_again(desk, month_of_quotes):
    import openpyxl

    path = desk.folder / "report.xlsx"
    result = desk("register", "report", "-o", path)
    assert result.exit_code == 0, result.stderr
    assert "5 quote(s) in 2 month(s), 2 facilities" in result.stdout
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["By month", "By facility", "Chart"]
    months = workbook["By month"]
    assert [c.value for c in months[3]][:3] == ["Month", "Issued", "Accepted"]
    assert isinstance(months["F4"].value, (int, float)) and months["F4"].number_format == '"$"#,##0.00'
    assert months.page_setup.fitToWidth == 1 and months.sheet_properties.pageSetUpPr.fitToPage
    with zipfile.ZipFile(path) as archive:
        chart = next(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        xml = archive.read(chart)
        assert b"barChart" in xml and b"'By month'!$F$4:$F$5" in xml and b"'By month'!$G$4:$G$5" in xml
    again = desk.folder / "again.xlsx"
    assert desk("register", "report", "-o", again).exit_code == 0
    assert again.read_bytes() == path.read_bytes()
    assert desk("register", "report", "-o", path).exit_code == 1


@pytest.mark.slow
def test_the_report_workbook_opens_in_libreoffice(desk, month_of_quotes):
    path = desk.folder / "report.xlsx"
    assert desk("register", "report", "-o", path).exit_code == 0
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI to check the report opens")
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = (desk.folder / "lo-profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "csv", "--outdir",
                    str(desk.folder / "lo"), str(path)], check=False, capture_output=True, timeout=120)
    rows = (desk.folder / "lo" / "report.csv").read_text(encoding="utf-8").splitlines()
    assert rows[3].startswith(f"{(TODAY.replace(day=1) - datetime.timedelta(days=1)):%Y-%m},3,1,1,0,11400,3800,"), rows


def test_batch_completes_a_request_naming_only_a_known_dodaac(desk):
    issued(desk.issue(SECOND))
    folder = desk.folder / "requests"
    folder.mkdir()
    (folder / "by-dodaac.toml").write_text(BY_DODAAC, encoding="utf-8")
    result = desk("batch", folder, "-o", desk.folder / "built", "--prices", desk.prices, "--jobs", "1", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    [built] = json.loads(result.stdout)["requests"]
    assert (built["facility"], built["status"]) == ("Public Example Clinic", "built")


def test_a_register_from_before_the_directory_gets_each_dodaac_from_its_newest_quote(desk, monkeypatch):
    from procure.register import migrate, open_register

    kind = "postgres" if desk.target.startswith("postgresql") else "sqlite"
    first = migrate.available(kind)[:1]
    monkeypatch.setattr(migrate, "available", lambda backend: first)
    with open_register(desk.target) as store, store.writing():
        for n, facility in ((1, "Old Name Clinic"), (2, "Public Example Clinic")):
            store.run("INSERT INTO quotes (number, base, revision, facility, dodaac, quote_date, valid_through, "
                      "total, issued_by, issued_at) VALUES (?, ?, 0, ?, 'W91ABC', ?, ?, '3800.00', 'jdoe', ?)",
                      (f"Q-{n}", f"Q-{n}", facility, str(TODAY), str(TODAY), f"{TODAY}T10:00:0{n}+00:00"))
    monkeypatch.undo()
    record = shown(desk)
    assert (record["facility"], record["contacts"], [v["quote"] for v in record["versions"]]) == (
        "Public Example Clinic", [], ["Q-2"])
    assert [q["number"] for q in record["quotes"]] == ["Q-2", "Q-1"]
