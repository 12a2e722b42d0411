"""The register's pages at size: a page found by keyset is the same page, a filter on a status the same
revisions, counts and the dashboard the same figures, as reading every revision gives; and a search finds the
same revisions on each backend."""

import datetime
import json
from decimal import Decimal

import pytest

from procure import __version__, open_register
from procure.core.revision import QuotedLine
from procure.register.contract_records import Approval
from procure.register.records import STATUSES, CustomerVersion, Event, Issued
from procure.register.stored import utc_now

from desks import make_desk, signed_in

TODAY = datetime.date.today()
LINE = QuotedLine("STT2309-5", "Smart Tips, 5-pack", "PK", 3, Decimal("1000.00"), Decimal("3000.00"))


def add_quote(store, number: str, base: str, revision: int, facility: str, dodaac: str, date: datetime.date,
              total: Decimal = Decimal(1000)) -> None:
    """Inside `writing()`: revision `number`, valid 30 days from `date`."""
    store.add(Issued(number=number, base=base, revision=revision, reason=None, facility=facility, dodaac=dodaac,
                     date=date, valid_through=date + datetime.timedelta(days=30), total=total, lines=(LINE,),
                     request_name="r.toml", request_bytes=b"x", price_list_name=None, price_list_bytes=None,
                     profile_name=None, profile_bytes=None, catalog_version="2024-10-01", catalog_digest="sha256:0",
                     procure_version=__version__, issued_by="t", issued_at=utc_now()), {})


def fill(target: str, count: int = 60) -> None:
    """`count` quotes over three customers and 90 days; every fifth revised, every fourth accepted, one void."""
    with open_register(target) as store, store.writing():
        for n in range(3):
            store.add_customer(CustomerVersion(f"W91AB{n}", f"Clinic {n}", None, None, None, (), None, "t", utc_now()))
        for n in range(count):
            base = store.next_number(TODAY.year)
            date = TODAY - datetime.timedelta(days=90 - n * 90 // count)
            numbers = [base, f"{base}-R1"] if n % 5 == 0 else [base]
            for revision, number in enumerate(numbers):
                if revision:
                    store.add_event(Event(base, "superseded", number, None, None, "t", utc_now()))
                add_quote(store, number, base, revision, f"Clinic {n % 3}", f"W91AB{n % 3}", date, Decimal(1000 + n))
            if n % 4 == 1:
                at = datetime.datetime.combine(date + datetime.timedelta(days=2), datetime.time(9), datetime.UTC)
                store.add_event(Event(numbers[-1], "accepted", None, "SPE2DE26F0001", None, "t", at))
            if n == 58:
                store.add_event(Event(numbers[-1], "void", None, None, "cancelled", "t", utc_now()))


FILTERS = [{}, {"dodaac": "W91AB1"}, {"text": "clinic 2"}, {"since": TODAY - datetime.timedelta(days=40)},
           {"status": "accepted"}, {"status": "issued"}, {"status": "expired", "dodaac": "W91AB0"}]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "all")
def test_every_page_is_the_slice_of_the_whole_listing(register_target, filters):
    fill(register_target)
    with open_register(register_target) as store:
        whole = store.entries(today=TODAY, **filters)
        assert whole, "the filter matches nothing: the test would prove nothing"
        assert store.count_entries(today=TODAY, **filters) == len(whole)
        for offset in range(0, len(whole) + 10, 7):
            assert store.entries(today=TODAY, limit=7, offset=offset, **filters) == whole[offset:offset + 7]
            rows = store.entries_json(today=TODAY, limit=7, offset=offset, **filters)
            assert [json.loads(row)["number"] for row in rows] == [e.number for e in whole[offset:offset + 7]]


def decided(target: str) -> None:
    """Among `fill`'s revisions: some held for approval (one of them approved since, one expired), changes asked
    for an open, an expired and a superseded one, one accepted through a customer link today and one a month ago."""
    with open_register(target) as store:
        whole = store.entries(today=TODAY)
    issued = [e.number for e in whole if e.status == "issued"]
    expired = [e.number for e in whole if e.status == "expired"]
    superseded = [e.number for e in whole if e.status == "superseded"]
    with open_register(target) as store, store.writing():
        for number, kinds in ((issued[0], ["awaiting"]), (issued[1], ["awaiting", "approved"]),
                              (expired[0], ["awaiting"])):
            for kind in kinds:
                store.add_approval(Approval(number, kind, (), None, "t", utc_now()))
        for number in (issued[2], expired[1], superseded[0]):
            store.run("INSERT INTO change_requests (number, link_id, name, email, message, recorded_at) "
                      "VALUES (?, NULL, 'Officer', 'o@example.mil', 'fewer', ?)", (number, utc_now().isoformat()))
        for number, days in ((issued[3], 0), (issued[4], 30)):
            at = utc_now() - datetime.timedelta(days=days)
            store.add_event(Event(number, "accepted", None, "SPE2DE26F0002", None, "Officer (customer link)", at))


SINCE = datetime.datetime.combine(TODAY - datetime.timedelta(days=7), datetime.time(), datetime.UTC)
UNTIL = TODAY + datetime.timedelta(days=10)
DECIDED = [pytest.param({"status": status}, lambda e, status=status: e.status == status, id=status)
           for status in STATUSES] + [
    pytest.param({"changes_requested": True}, lambda e: e.changes_requested, id="changes_requested"),
    pytest.param({"accepted_online_since": SINCE}, lambda e: e.status == "accepted" and e.event.recorded_at >= SINCE
                 and e.event.recorded_by.endswith("(customer link)"), id="accepted_online_since"),
    pytest.param({"status": "issued", "expiring": UNTIL, "or_changes_requested": True},
                 lambda e: e.status == "issued" and (TODAY <= e.valid_through <= UNTIL or e.changes_requested),
                 id="due")]


@pytest.mark.parametrize(("filters", "keeps"), DECIDED)
def test_a_filter_on_what_the_listing_decides_keeps_what_reading_every_revision_keeps(register_target, filters,
                                                                                       keeps):
    fill(register_target)
    decided(register_target)
    with open_register(register_target) as store:
        whole = store.entries(today=TODAY)
        found = store.entries(today=TODAY, **filters)
        assert store.count_entries(today=TODAY, **filters) == len(found)
        assert [json.loads(row)["number"] for row in store.entries_json(today=TODAY, **filters)] == \
            [e.number for e in found]
    kept = [e for e in whole if keeps(e)]
    if "expiring" in filters:
        oldest_first = kept[::-1]
        kept = sorted(oldest_first, key=lambda e: e.valid_through)
    assert kept, "the filter keeps nothing: the test would prove nothing"
    assert found == kept


def test_the_dashboard_counts_what_the_statuses_say(register_target):
    fill(register_target)
    soon, month_start = TODAY + datetime.timedelta(days=7), TODAY.replace(day=1)
    with open_register(register_target) as store:
        whole = store.entries(today=TODAY)
        open_count, expiring, totals = store.dashboard(today=TODAY, soon=soon, month_start=month_start)
    issued = [e for e in whole if e.status == "issued"]
    accepted = [e.total for e in whole if e.status == "accepted" and e.event.recorded_at.date() >= month_start]
    assert issued and open_count == len(issued)
    assert expiring == sum(1 for e in issued if e.valid_through <= soon)
    assert sorted(totals) == sorted(accepted)


def test_a_customers_page_lists_its_newest_quotes_and_links_to_them_all(register_target, tmp_path):
    fill(register_target, 330)
    with open_register(register_target) as store:
        mine = store.entries(today=TODAY, dodaac="W91AB0")
    page = signed_in(make_desk(tmp_path, register_target), "viewer").get("/customers/W91AB0").get_data(as_text=True)
    assert f"The newest 100 of {len(mine)} quote revisions" in page
    assert 'href="/quotes?q=W91AB0"' in page
    assert mine[99].number in page and f">{mine[100].number}<" not in page


FACILITIES = ["Fort Knox École Clinic", "FORT KNOX ÉCOLE ANNEX", "fort knox école dental", "Naval Clinic_50%",
              "Naval Clinic 50"]
SEARCHES = {"fort knox": FACILITIES[:3], "FORT KNOX": FACILITIES[:3], "école": [FACILITIES[2]],
            "École": FACILITIES[:2], "ÉCOLE ANNEX": [FACILITIES[1]], "clinic_50%": [FACILITIES[3]],
            "clinic": [FACILITIES[0], *FACILITIES[3:]], "w91cd1": [FACILITIES[1]], "Q-": FACILITIES,
            "-0002": [FACILITIES[1]]}
"""A search matches ASCII letters in any case and other letters as written, on each backend (PostgreSQL's own
collation may fold `É` to `é`; SQLite's LIKE does not); `%` and `_` are themselves."""


@pytest.mark.parametrize("text", SEARCHES)
def test_a_search_matches_ascii_letters_in_any_case_and_other_letters_as_written(register_target, text):
    with open_register(register_target) as store, store.writing():
        for n, facility in enumerate(FACILITIES):
            number = store.next_number(TODAY.year)
            add_quote(store, number, number, 0, facility, f"W91CD{n}", TODAY)
    with open_register(register_target) as store:
        found = store.entries(today=TODAY, text=text)
        assert store.count_entries(today=TODAY, text=text) == len(found)
        assert store.entries(today=TODAY, facility=text) == ([] if text.upper().startswith(("W91", "Q-", "-")) else
                                                             found)
    assert [e.facility for e in found] == SEARCHES[text][::-1]
