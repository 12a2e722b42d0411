"""Register integrity and the order after acceptance, on SQLite and on PostgreSQL (docs/quotes.md):
numbers that never cross customers, no demo data on a real order, delivery orders checked, corrections as
events, and the data WAWF asks for."""

import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import assert_no_traceback
from orders import ILLUSTRATIVE
from registers import MORE, REQUEST, issued, number

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = datetime.date.today()
FY = (TODAY.year + 1 if TODAY.month >= 10 else TODAY.year) % 100
"""The fiscal year of today, as positions 7-8 of a delivery order placed today carry it."""
ORDER = f"SPE2DE-{FY:02d}-F-0042"
PROFILE = '[vendor]\nname = "Desk Vendor"\ncage = "7XK41"\nuei = "K9LMNPQR2345"\n'


def listed(desk) -> dict[str, dict]:
    result = desk("quote", "list", "--json")
    assert result.exit_code == 0, result.stderr
    return {q["number"]: q for q in json.loads(result.stdout)["quotes"]}


def refused(result, *needles) -> str:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert_no_traceback(result)
    for needle in needles:
        assert needle in result.stderr, result.stderr
    return result.stderr


def dated(text: str, day: datetime.date) -> str:
    return text.replace("[customer]", f"[quote]\ndate = {day.isoformat()}\n\n[customer]")


# ------------------------------------------------------------------ numbers never cross customers


def test_a_taken_number_is_refused_with_the_advice_to_remove_it_never_to_revise(desk):
    navy = REQUEST.replace("[customer]", '[quote]\nnumber = "PQ-9"\n\n[customer]')
    assert issued(desk.issue(navy)) == "PQ-9"
    army = navy.replace('dodaac = "W91ABC"', 'dodaac = "W81XWH"')
    message = refused(desk.issue(army), "PQ-9 is taken", "remove [quote] number")
    assert "revise" not in message
    assert list(listed(desk)) == ["PQ-9"]


def test_a_revision_for_another_dodaac_is_refused_and_supersedes_nothing(desk):
    base = issued(desk.issue())
    army = MORE.replace('dodaac = "W91ABC"', 'dodaac = "W81XWH"')
    refused(desk.revise(base, army), "W81XWH is not W91ABC", "quote issue")
    assert listed(desk)[base]["status"] == "issued" and len(listed(desk)) == 1


def test_a_revision_dated_before_the_quote_it_supersedes_is_refused(desk):
    base = issued(desk.issue())
    refused(desk.revise(base, dated(MORE, TODAY - datetime.timedelta(days=1))), "before", str(TODAY))
    assert list(listed(desk)) == [base]


def test_a_revision_that_changes_nothing_needs_a_reason(desk):
    base = issued(desk.issue())
    refused(desk.revise(base), "nothing changed", "--reason")
    assert list(listed(desk)) == [base]
    revision = issued(desk.revise(base, REQUEST, "--reason", "re-dated at the buyer's request"))
    assert revision == f"{base}-R1" and listed(desk)[base]["status"] == "superseded"


def test_a_changed_facility_name_with_the_same_dodaac_is_a_warning(desk):
    base = issued(desk.issue())
    renamed = REQUEST.replace("Public Example Clinic", "Public Example Clinic, Pain Service")
    result = desk.revise(base, renamed)
    assert issued(result) == f"{base}-R1"
    assert "facility-renamed" in result.stderr and "Pain Service" in result.stderr


def test_build_notes_once_that_its_quote_is_not_registered(desk):
    issued(desk.issue())  # the register now exists
    text = REQUEST.replace("[customer]", '[quote]\nnumber = "PQ-1"\n\n[customer]')
    alone, noted = desk.folder / "alone", desk.folder / "noted"
    plain = desk("build", desk.request(text, "b.toml"), "-o", alone, "--prices", desk.prices,
                 register=False, env={"XDG_DATA_HOME": str(desk.folder / "nothing-here")})
    assert plain.exit_code == 0 and "not registered" not in plain.stderr
    result = desk("build", desk.request(text, "b.toml"), "-o", noted, "--prices", desk.prices)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("not registered") == 1 and "procure quote issue" in result.stderr
    for name in ("PQ-1.pdf", "PQ-1.xlsx", "PQ-1.txt"):
        assert (alone / name).read_bytes() == (noted / name).read_bytes()
    assert "PQ-1" not in listed(desk)


# ------------------------------------------------------------------ no demo data on a real order


@pytest.mark.parametrize("what", ["prices", "example profile", "example cage"])
def test_demo_data_is_issued_only_as_a_practice_quote_which_is_never_accepted(desk, what):
    more = []
    if what == "prices":
        desk.prices.write_text(ILLUSTRATIVE, encoding="utf-8")
    elif what == "example profile":
        more = ["--profile", EXAMPLES / "profile.toml"]
    else:
        profile = desk.folder / "mine.toml"
        profile.write_text(PROFILE.replace("7XK41", "1ABC2"), encoding="utf-8")
        more = ["--profile", profile]
    refused(desk.issue(REQUEST, *more), "--practice")
    assert listed(desk) == {}
    result = desk.issue(REQUEST, *more, "--practice")
    practice = issued(result)
    assert practice == number(1) and "practice quote" in result.stderr
    assert listed(desk)[practice]["practice"] is True
    assert "(practice)" in desk("quote", "list").stdout
    refused(desk("quote", "accept", practice, "--delivery-order", ORDER), "practice quote")
    assert listed(desk)[practice]["status"] == "issued"


def test_a_practice_quote_says_practice_on_every_page(desk):
    from pypdf import PdfReader

    long = REQUEST + "".join(f'\n[[treatment]]\nname = "Knee {n}"\nprocedures = 3\nnerves = ["AFCN"]\n'
                             for n in range(40))
    practice = issued(desk.issue(long, "--practice"))
    pages = [page.extract_text() for page in PdfReader(desk.out / f"{practice}.pdf").pages]
    assert len(pages) > 1 and all("PRACTICE QUOTE" in page for page in pages)
    real = issued(desk.issue())
    assert not any("PRACTICE" in page.extract_text() for page in PdfReader(desk.out / f"{real}.pdf").pages)
    assert listed(desk)[real]["practice"] is False


# ------------------------------------------------------------------ delivery orders checked


@pytest.mark.parametrize("order, needle", [("SPE2DE-19-F-1234", "before fiscal year 21"),
                                           (f"SPE2DE-{FY + 1:02d}-F-1234", "after fiscal year"),
                                           ("SPE2DE-21-D-1234", "not the PIID of a delivery order")])
def test_a_delivery_order_of_an_impossible_fiscal_year_or_form_is_refused(desk, order, needle):
    base = issued(desk.issue())
    result = desk("quote", "accept", base, "--delivery-order", order)
    assert result.exit_code in (1, 2) and needle in result.stderr, result.stderr
    assert listed(desk)[base]["status"] == "issued"


def test_an_order_of_another_office_is_a_warning_and_what_accept_takes_is_recorded(desk):
    base = issued(desk.issue())
    result = desk("quote", "accept", base, "--delivery-order", f"W91ABC-{FY:02d}-F-0042", "--amount", "3500.00",
                  "--order-date", TODAY.isoformat(), "--pay-dodaac", "hq0338", "--issue-by", "SPE2DE",
                  "--by", "Kim", "--force")
    assert result.exit_code == 0, result.stderr
    assert "office W91ABC" in result.stderr and "SPE2DE" in result.stderr
    assert "$3,500.00" in result.stderr and "$3,800.00" in result.stderr
    quote = listed(desk)[base]
    assert (quote["status"], quote["delivery_order"], quote["order_date"], quote["order_amount"]) == \
        ("accepted", f"W91ABC{FY:02d}F0042", TODAY.isoformat(), "3500.00")
    assert quote["sent_at"] is None
    [order] = json.loads(desk("quote", "show", base, "--json").stdout)["orders"]
    assert (order["pay_dodaac"], order["issue_by"], order["admin_by"], order["recorded_by"]) == \
        ("HQ0338", "SPE2DE", None, "Kim")


def test_an_order_dated_before_the_quote_is_refused(desk):
    base = issued(desk.issue())
    early = (TODAY - datetime.timedelta(days=3)).isoformat()
    refused(desk("quote", "accept", base, "--delivery-order", ORDER, "--order-date", early), "before the quote date")


def test_a_request_with_a_delivery_order_of_an_impossible_year_does_not_build(desk):
    text = REQUEST + '\n[order]\ndelivery_order = "SPE2DE-19-F-1234"\n'
    result = desk("check", desk.request(text), "--prices", desk.prices, "--json", register=False)
    codes = {i["code"] for i in json.loads(result.stdout)["issues"]}
    assert result.exit_code == 1 and "delivery-order-year" in codes
    other = REQUEST + f'\n[order]\ndelivery_order = "W91ABC-{FY:02d}-F-0001"\n'
    result = desk("check", desk.request(other), "--prices", desk.prices, "--json", register=False)
    codes = {i["code"] for i in json.loads(result.stdout)["issues"]}
    assert result.exit_code == 0 and "delivery-order-office" in codes


# ------------------------------------------------------------------ corrections are events


def test_amend_corrects_the_order_and_the_history_keeps_both(desk):
    base = issued(desk.issue())
    assert desk("quote", "accept", base, "--delivery-order", f"SPE2DE-{FY:02d}-F-0024").exit_code == 0
    refused(desk("quote", "amend", base, "--delivery-order", "SPE2DE-19-F-0042", "--reason", "typo"),
            "before fiscal year 21")
    result = desk("quote", "amend", base, "--delivery-order", ORDER, "--reason", "digits swapped", "--by", "Lee")
    assert result.exit_code == 0, result.stderr
    assert listed(desk)[base]["delivery_order"] == ORDER.replace("-", "")
    history = json.loads(desk("quote", "show", base, "--json").stdout)["orders"]
    assert [(o["event"], o["delivery_order"], o["reason"], o["recorded_by"]) for o in history][1] == \
        ("amended", ORDER.replace("-", ""), "digits swapped", "Lee")
    assert history[0]["delivery_order"] == f"SPE2DE{FY:02d}F0024"
    assert "digits swapped" in desk("quote", "show", base).stdout


def test_amend_needs_an_accepted_quote(desk):
    base = issued(desk.issue())
    refused(desk("quote", "amend", base, "--delivery-order", ORDER, "--reason", "x"), "only an accepted quote")


def test_void_of_an_accepted_quote_needs_force_and_a_reason_and_names_who(desk):
    base = issued(desk.issue())
    assert desk("quote", "accept", base, "--delivery-order", ORDER).exit_code == 0
    refused(desk("quote", "void", base, "--reason", "cancelled"), "--force")
    assert listed(desk)[base]["status"] == "accepted"
    assert desk("quote", "void", base, "--force").exit_code == 2  # the reason is required
    result = desk("quote", "void", base, "--reason", "order cancelled by the buyer", "--force", "--by", "Pat")
    assert result.exit_code == 0, result.stderr
    assert listed(desk)[base]["status"] == "void"
    events = json.loads(desk("quote", "show", base, "--json").stdout)["events"]
    assert [(e["event"], e["recorded_by"]) for e in events][-1] == ("void", "Pat")


# ------------------------------------------------------------------ WAWF


def test_wawf_needs_an_accepted_quote(desk):
    base = issued(desk.issue())
    refused(desk("quote", "wawf", base, "-o", desk.folder / "w.csv"), "not accepted")
    assert not (desk.folder / "w.csv").exists()


def test_the_wawf_sheet_has_the_stored_lines_and_total(desk):
    desk.prices.write_text(desk.prices.read_text(encoding="utf-8").replace("STT2309-5,1000.00",
                                                                           "STT2309-5,5000.00"), encoding="utf-8")
    profile = desk.folder / "desk.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    base = issued(desk.issue(REQUEST, "--profile", profile))
    assert desk("quote", "accept", base, "--delivery-order", ORDER, "--issue-by", "SPE2DE").exit_code == 0
    stored = json.loads(desk("quote", "show", base, "--json").stdout)

    result = desk("quote", "wawf", base, "-o", desk.folder / "w.csv")
    assert result.exit_code == 0, result.stderr
    assert "Admin DoDAAC" in result.stderr and "Pay office DoDAAC" in result.stderr  # blank, and named
    text = (desk.folder / "w.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "item,part,description,quantity,unit_of_issue,unit_price,amount,iuid"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["item"], r["part"], int(r["quantity"]), r["unit_price"], r["amount"]) for r in rows] == \
        [(f"{n:04d}", line["part"], line["quantity"], line["unit_price"], line["extended_price"])
         for n, line in enumerate(stored["lines"], 1)]
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal(stored["quote"]["total"])
    assert {r["part"]: r["iuid"] for r in rows} == {"STT2309-5": "yes", "CRX2111-10": "no"}

    assert desk("quote", "wawf", base, "-o", desk.folder / "w.txt").exit_code == 0
    sheet = (desk.folder / "w.txt").read_text(encoding="utf-8")
    for needle in ("SPE2DE-21-D-7004", ORDER, "7XK41", "Invoice and Receiving Report", "Destination",
                   "W91ABC", f"${Decimal(stored['quote']['total']):,.2f}",
                   "Still missing: Admin DoDAAC, Pay office DoDAAC"):
        assert needle in sheet, needle

    assert desk("quote", "wawf", base, "-o", desk.folder / "w.xlsx").exit_code == 0
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(desk.folder / "w.xlsx").active.iter_rows() for c in row]
    assert ORDER in cells and Decimal(stored["quote"]["total"]) == Decimal(str(cells[cells.index("Total") + 1]))
    assert desk("quote", "wawf", base, "-o", desk.folder / "w.json").exit_code == 2


def test_recorded_orders_cannot_be_changed_or_deleted(desk):
    from procure.register import open_register

    base = issued(desk.issue())
    assert desk("quote", "accept", base, "--delivery-order", ORDER).exit_code == 0
    for statement in ("UPDATE orders SET delivery_order = ?", "DELETE FROM orders WHERE delivery_order <> ?"):
        with open_register(desk.target) as store, pytest.raises(Exception, match="immutable"), store.writing():
            store.run(statement, ("SPE2DE27F9999",))
    assert listed(desk)[base]["delivery_order"] == ORDER.replace("-", "")


@pytest.mark.parametrize("option, value, needle", [("--amount", "12.345", "more than two decimals"),
                                                   ("--amount", "lots", "not a number"),
                                                   ("--pay-dodaac", "HQ03", "not a DoDAAC"),
                                                   ("--order-date", (TODAY + datetime.timedelta(days=1)).isoformat(),
                                                    "after today")])
def test_what_accept_cannot_record_is_refused_in_one_line(desk, option, value, needle):
    base = issued(desk.issue())
    result = desk("quote", "accept", base, "--delivery-order", ORDER, option, value)
    assert result.exit_code in (1, 2) and needle in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert_no_traceback(result)
    assert listed(desk)[base]["status"] == "issued"


def test_batch_issues_demo_data_only_as_practice_quotes(desk):
    inbox = desk.folder / "inbox"
    inbox.mkdir()
    (inbox / "a.toml").write_text(REQUEST, encoding="utf-8")
    desk.prices.write_text(ILLUSTRATIVE, encoding="utf-8")
    batch = ("batch", inbox, "-o", desk.out, "--prices", desk.prices, "--issue", "--jobs", 1)
    refused(desk(*batch, "--force"), "--practice")
    assert listed(desk) == {}
    result = desk(*batch, "--force", "--practice")
    assert result.exit_code == 0, result.stderr
    assert [q["practice"] for q in listed(desk).values()] == [True]


def test_a_register_of_the_first_schema_keeps_its_accepted_quotes(desk, monkeypatch):
    """Quotes issued and accepted before this schema: not practice, their delivery order from the event."""
    from procure.register import migrate, open_register

    first = migrate.available("postgres" if desk.target.startswith("postgresql") else "sqlite")[:1]
    monkeypatch.setattr(migrate, "available", lambda backend: first)
    with open_register(desk.target) as store, store.writing():
        store.run("INSERT INTO quotes (number, base, revision, facility, dodaac, quote_date, valid_through, total, "
                  "issued_by, issued_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?)",
                  ("Q-OLD-1", "Q-OLD-1", "Old Clinic", "W91ABC", TODAY.isoformat(),
                   (TODAY + datetime.timedelta(days=30)).isoformat(), "400.00", "jdoe", "2026-01-02T03:04:05+00:00"))
        store.run("INSERT INTO inputs (number, lines, request_name, request_bytes, catalog_version, catalog_digest, "
                  "procure_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  ("Q-OLD-1", '[{"part": "CRX2111-10", "description": "Cartridges", "unit_of_issue": "PK", '
                   '"quantity": 1, "unit_price": "400.00", "extended_price": "400.00"}]', "old.toml", b"x",
                   "2024-10-01", "sha256:0", "0.1.0"))
        store.run("INSERT INTO events (number, kind, delivery_order, recorded_by, recorded_at) "
                  "VALUES (?, ?, ?, ?, ?)", ("Q-OLD-1", "accepted", ORDER.replace("-", ""), "jdoe",
                                             f"{TODAY.isoformat()}T10:00:00+00:00"))
    monkeypatch.undo()
    quote = listed(desk)["Q-OLD-1"]
    assert (quote["practice"], quote["status"], quote["delivery_order"], quote["order_date"]) == \
        (False, "accepted", ORDER.replace("-", ""), None)
    assert quote["ordered_total"] == quote["total"]  # an order from before orders named lines took them all
    result = desk("quote", "wawf", "Q-OLD-1", "-o", desk.folder / "old.txt")
    assert result.exit_code == 0, result.stderr
    text = (desk.folder / "old.txt").read_text(encoding="utf-8")
    assert f"Order date         {TODAY}" in text and "Vendor CAGE        (not known yet)" in text
