"""The order as it was placed, on SQLite and PostgreSQL (docs/after-the-order.md): a delivery
order that covers part of a quote, ships elsewhere or states another amount, and everything after it (WAWF, the
register's list, the customer directory, the report, the dashboard) following the order, not the quote."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest

from conftest import assert_no_traceback
from registers import FOUR_LINES, MORE, REQUEST, issued

TODAY = datetime.date.today()
FY = (TODAY.year + 1 if TODAY.month >= 10 else TODAY.year) % 100
ORDER = f"SPE2DE-{FY:02d}-F-0042"


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


def wawf_rows(desk, number: str) -> list[dict]:
    result = desk("quote", "wawf", number, "-o", desk.folder / "w.csv", "--force")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO((desk.folder / "w.csv").read_text(encoding="utf-8"))))


@pytest.fixture
def quote(desk) -> str:
    number = issued(desk.issue(FOUR_LINES))
    assert listed(desk)[number]["total"] == "22100.00"
    return number


def test_an_order_without_the_handpiece_is_invoiced_and_counted_at_its_own_total(desk, quote):
    result = desk("quote", "accept", quote, "--delivery-order", ORDER, "--ordered", "0001=0", "--amount", "13100.00",
                  "--issue-by", "SPE2DE", "--pay-dodaac", "HQ0338", "--admin-by", "S0512A")
    assert result.exit_code == 0, result.stderr
    assert "3 of 4 lines ordered, $13,100.00 of $22,100.00 quoted" in result.stdout

    rows = wawf_rows(desk, quote)
    assert [(r["item"], r["part"], r["quantity"], r["amount"]) for r in rows] == [
        ("0002", "STT2309-5", "7", "7000.00"), ("0003", "STT2190-5", "3", "3300.00"),
        ("0004", "CRX2111-10", "7", "2800.00")]
    assert desk("quote", "wawf", quote, "-o", desk.folder / "w.txt").exit_code == 0
    sheet = (desk.folder / "w.txt").read_text(encoding="utf-8")
    assert "$13,100.00" in sheet and "$22,100.00" not in sheet and "IST2221" not in sheet

    entry = listed(desk)[quote]
    assert (entry["total"], entry["ordered_total"], entry["order_amount"]) == ("22100.00", "13100.00", "13100.00")
    customers = json.loads(desk("customer", "list", "--json").stdout)["customers"]
    assert [c["accepted_total"] for c in customers] == ["13100.00"]
    assert json.loads(desk("customer", "show", "W91ABC", "--json").stdout)["accepted_total"] == "13100.00"

    from procure.register import open_register
    from procure.register.report import report

    with open_register(desk.target) as store:
        figures = report(store, TODAY)
        dashboard = store.dashboard(today=TODAY, soon=TODAY, month_start=TODAY.replace(day=1))
    assert (figures.total.quoted_total, figures.total.accepted_total) == (Decimal("22100.00"), Decimal("13100.00"))
    assert dashboard[2] == [Decimal("13100.00")]


def test_ordered_total_is_null_until_accepted_and_the_quote_total_for_an_order_of_every_line(desk, quote):
    assert listed(desk)[quote]["ordered_total"] is None
    assert desk("quote", "accept", quote, "--delivery-order", ORDER).exit_code == 0
    assert listed(desk)[quote]["ordered_total"] == "22100.00"
    assert len(wawf_rows(desk, quote)) == 4


def test_fewer_than_quoted_is_invoiced_at_the_quoted_unit_price(desk, quote):
    result = desk("quote", "accept", quote, "--delivery-order", ORDER, "--ordered", "2=5", "--ordered", "IST2221=0")
    assert result.exit_code == 0, result.stderr
    rows = {r["item"]: (r["quantity"], r["unit_price"], r["amount"]) for r in wawf_rows(desk, quote)}
    assert rows["0002"] == ("5", "1000.00", "5000.00") and "0001" not in rows
    assert listed(desk)[quote]["ordered_total"] == "11100.00"


def test_an_amount_that_disagrees_with_the_ordered_lines_is_refused_without_force(desk, quote):
    message = refused(desk("quote", "accept", quote, "--delivery-order", ORDER, "--ordered", "0001=0",
                           "--amount", "22100.00"), "$22,100.00", "$13,100.00", "--force")
    assert message.count("\n") == 1
    assert listed(desk)[quote]["status"] == "issued"
    result = desk("quote", "accept", quote, "--delivery-order", ORDER, "--ordered", "0001=0", "--amount", "22100.00",
                  "--force")
    assert result.exit_code == 0 and "differs" in result.stderr, result.stderr
    entry = listed(desk)[quote]
    assert (entry["order_amount"], entry["ordered_total"]) == ("22100.00", "13100.00")
    [order] = json.loads(desk("quote", "show", quote, "--json").stdout)["orders"]
    assert "$22,100.00" in order["note"] and "$13,100.00" in order["note"]


@pytest.mark.parametrize("ordered, code, needle", [
    ("0002=8", 1, "8 ordered is more than the 7 quoted"),
    ("0009=1", 2, "not a line of the quote"),
    ("0002=two", 2, "not a whole number"),
    ("0002=-1", 2, "not a whole number"),
    ("0002", 2, "LINE=QTY")])
def test_a_quantity_the_quote_does_not_offer_is_refused_in_one_line(desk, quote, ordered, code, needle):
    result = desk("quote", "accept", quote, "--delivery-order", ORDER, "--ordered", ordered)
    assert result.exit_code == code and needle in result.stderr, result.stderr
    assert_no_traceback(result)
    assert listed(desk)[quote]["status"] == "issued"


def test_an_order_of_nothing_is_refused(desk, quote):
    refused(desk("quote", "accept", quote, "--delivery-order", ORDER, *[a for n in range(1, 5)
                                                                        for a in ("--ordered", f"{n}=0")]),
            "at least one line")


def test_a_ship_to_other_than_the_requester_goes_on_the_wawf_sheet(desk, quote):
    result = desk("quote", "accept", quote, "--delivery-order", ORDER, "--ship-to-dodaac", "w81xwh")
    assert result.exit_code == 0, result.stderr
    assert desk("quote", "wawf", quote, "-o", desk.folder / "w.txt").exit_code == 0
    sheet = (desk.folder / "w.txt").read_text(encoding="utf-8")
    [ship_to] = [line for line in sheet.splitlines() if line.startswith("Ship-to DoDAAC")]
    assert ship_to.split()[-1] == "W81XWH"
    bad = desk("quote", "accept", issued(desk.issue(FOUR_LINES)), "--delivery-order", ORDER, "--ship-to-dodaac", "W81")
    assert bad.exit_code == 2 and "--ship-to-dodaac 'W81' is not a DoDAAC" in bad.stderr


def test_an_amendment_keeps_what_the_order_covers(desk, quote):
    assert desk("quote", "accept", quote, "--delivery-order", f"SPE2DE-{FY:02d}-F-0024", "--ordered", "1=0",
                "--ship-to-dodaac", "W81XWH").exit_code == 0
    result = desk("quote", "amend", quote, "--delivery-order", ORDER, "--reason", "digits swapped")
    assert result.exit_code == 0, result.stderr
    assert listed(desk)[quote]["ordered_total"] == "13100.00"
    assert [r["item"] for r in wawf_rows(desk, quote)] == ["0002", "0003", "0004"]
    assert desk("quote", "wawf", quote, "-o", desk.folder / "w.txt").exit_code == 0
    assert "W81XWH" in (desk.folder / "w.txt").read_text(encoding="utf-8")


def test_an_order_against_a_superseded_revision_is_recorded_there_with_a_warning(desk):
    base = issued(desk.issue())
    newer = issued(desk.revise(base, MORE))
    result = desk("quote", "accept", base, "--delivery-order", ORDER)
    assert result.exit_code == 0, result.stderr
    assert f"{base} is superseded by {newer}" in result.stderr and f"void {newer}" in result.stderr
    found = listed(desk)
    assert (found[base]["status"], found[base]["delivery_order"]) == ("accepted", ORDER.replace("-", ""))
    assert found[newer]["status"] == "issued"
    refused(desk("quote", "accept", newer, "--delivery-order", f"SPE2DE-{FY:02d}-F-0043"),
            f"{base} of the same quote is already accepted")
    assert listed(desk)[newer]["status"] == "issued"


def test_a_void_revision_is_still_refused(desk):
    base = issued(desk.issue(REQUEST))
    assert desk("quote", "void", base, "--reason", "withdrawn").exit_code == 0
    refused(desk("quote", "accept", base, "--delivery-order", ORDER), "void (withdrawn)")
