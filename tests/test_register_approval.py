"""Approval rules (the profile's `[approval]`): a quote that meets one is issued as `awaiting-approval`, cannot be
e-mailed, sent or accepted until an approver other than its issuer approves it, and a rejected one is void with
the reason; on SQLite and PostgreSQL."""

import json

import pytest

from conftest import assert_no_traceback
from registers import MORE, REQUEST, issued

PROFILE = """[vendor]
name = "Public Vendor"
cage = "3K7T9"
uei = "MNPQRSTV2345"

[preparer]
name = "Public Preparer"

[approval]
total_over = "5000.00"
"""
CONTACT = REQUEST.replace('dodaac = "W91ABC"', 'dodaac = "W91ABC"\nemail = "ann.lee@example.mil"')
BIG = CONTACT.replace("procedures = 12", "procedures = 30")
"""3,800.00 for REQUEST; 7,200.00 for BIG (over the 5,000.00 of PROFILE)."""
DELIVERY_ORDER = "SPE2DE-26-F-1234"


def profile(desk, text=PROFILE):
    path = desk.folder / "approval.toml"
    path.write_text(text, encoding="utf-8")
    return path


def listed(desk, number) -> dict:
    return next(q for q in json.loads(desk("quote", "list", "--json").stdout)["quotes"] if q["number"] == number)


def test_a_quote_over_the_threshold_waits_until_another_user_approves_it(desk):
    small = issued(desk.issue(CONTACT, "--profile", profile(desk), "--by", "desk1"))
    held = desk.issue(BIG, "--profile", profile(desk), "--by", "desk1")
    number = issued(held)
    assert f"note: {number} awaits approval: total_over: the total $7,200.00 is over $5,000.00" in held.stderr
    assert (listed(desk, small)["status"], listed(desk, small)["approval"]) == ("issued", None)
    assert (listed(desk, number)["status"], listed(desk, number)["approval"]) == ("awaiting-approval", "awaiting")
    waiting = json.loads(desk("quote", "list", "--status", "awaiting-approval", "--json").stdout)["quotes"]
    assert [q["number"] for q in waiting] == [number]
    assert (desk.out / f"{number}.pdf").is_file()  # issued, files and all

    rule = "total_over: the total $7,200.00 is over $5,000.00"
    for refused in (desk("quote", "email", number, "-o", desk.folder / "q.eml"),
                    desk("quote", "send", number, "--profile", profile(desk, PROFILE + '\n[smtp]\nhost = "127.0.0.1"'
                                                                          '\nport = 9\nsecurity = "none"\n')),
                    desk("quote", "accept", number, "--delivery-order", DELIVERY_ORDER)):
        assert refused.exit_code == 1, refused.stdout
        assert f"error: {number} is awaiting approval ({rule}): it cannot be" in refused.stderr, refused.stderr
        assert_no_traceback(refused)
    assert not (desk.folder / "q.eml").exists()

    own = desk("quote", "approve", number, "--by", "DESK1")
    assert own.exit_code == 1 and "was issued by desk1: the approver must be someone else" in own.stderr
    assert listed(desk, number)["status"] == "awaiting-approval"

    approved = desk("quote", "approve", number, "--by", "boss")
    assert approved.exit_code == 0 and approved.stdout == f"approved {number}: it may now go to the customer\n"
    assert (listed(desk, number)["status"], listed(desk, number)["approval"]) == ("issued", "approved")
    shown = json.loads(desk("quote", "show", number, "--json").stdout)
    assert [(a["approval"], a["recorded_by"]) for a in shown["approvals"]] == [("awaiting", "desk1"),
                                                                                ("approved", "boss")]
    assert "Approval    approved" in desk("quote", "show", number).stdout
    again = desk("quote", "approve", number, "--by", "boss")
    assert again.exit_code == 1 and "is already approved" in again.stderr

    assert desk("quote", "email", number, "-o", desk.folder / "q.eml").exit_code == 0
    accepted = desk("quote", "accept", number, "--delivery-order", DELIVERY_ORDER)
    assert accepted.exit_code == 0, accepted.stderr
    assert listed(desk, number)["status"] == "accepted"


def test_a_rejected_quote_is_void_with_its_reason(desk):
    number = issued(desk.issue(BIG, "--profile", profile(desk), "--by", "desk1"))
    no_reason = desk("quote", "reject", number, "--by", "boss")
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    own = desk("quote", "reject", number, "--reason", "too dear", "--by", "desk1")
    assert own.exit_code == 1 and "four eyes" in own.stderr
    result = desk("quote", "reject", number, "--reason", "the discount is not approved", "--by", "boss")
    assert result.exit_code == 0 and result.stdout == f"rejected {number}: void (the discount is not approved)\n"
    entry = listed(desk, number)
    assert (entry["status"], entry["approval"]) == ("void", "rejected")
    events = json.loads(desk("quote", "show", number, "--json").stdout)["events"]
    assert [(e["event"], e["reason"], e["recorded_by"]) for e in events] == [
        ("void", "the discount is not approved", "boss")]
    late = desk("quote", "approve", number, "--by", "boss")
    assert late.exit_code == 1 and "only a quote awaiting approval" in late.stderr


def test_a_quote_awaiting_approval_can_be_voided_by_anyone(desk):
    number = issued(desk.issue(BIG, "--profile", profile(desk), "--by", "desk1"))
    result = desk("quote", "void", number, "--reason", "the customer withdrew the request", "--by", "desk1")
    assert result.exit_code == 0, result.stderr
    assert listed(desk, number)["status"] == "void"


def test_a_new_customer_and_quantities_set_by_hand_wait_too(desk):
    rules = PROFILE.replace('total_over = "5000.00"', "new_customer = true\nhand_quantities = true")
    first = desk.issue(REQUEST, "--profile", profile(desk, rules), "--by", "desk1")
    number = issued(first)
    assert "new_customer: no quote has gone out to DoDAAC W91ABC before" in first.stderr
    second = desk.issue(REQUEST, "--profile", profile(desk, rules), "--by", "desk1")
    assert listed(desk, issued(second))["status"] == "awaiting-approval"  # the first has not gone out yet
    assert desk("quote", "approve", number, "--by", "boss").exit_code == 0
    third = desk.issue(REQUEST, "--profile", profile(desk, rules), "--by", "desk1")
    assert listed(desk, issued(third))["approval"] is None  # a customer quoted before

    by_hand = REQUEST + '\n[[line]]\npart = "CRX2111-10"\nquantity = 1\n'
    hand = desk.issue(by_hand, "--profile", profile(desk, rules), "--by", "desk1")
    assert "hand_quantities: the quantity of line 0002 (CRX2111-10) was set by hand, not by the plan" in hand.stderr
    assert listed(desk, issued(hand))["status"] == "awaiting-approval"


def test_a_revision_of_an_approved_quote_that_meets_a_rule_waits_again(desk):
    number = issued(desk.issue(BIG, "--profile", profile(desk), "--by", "desk1"))
    desk("quote", "approve", number, "--by", "boss")
    revised = issued(desk.revise(number, BIG.replace("procedures = 30", "procedures = 31"), "--profile",
                                 profile(desk), "--by", "desk1"))
    assert listed(desk, revised)["status"] == "awaiting-approval"
    assert listed(desk, number)["status"] == "superseded"
    below = issued(desk.revise(revised, CONTACT, "--profile", profile(desk), "--by", "desk1"))
    assert listed(desk, below)["status"] == "issued" and listed(desk, revised)["status"] == "superseded"


def test_quote_due_lists_quotes_awaiting_approval_first(desk):
    out = issued(desk.issue(CONTACT, "--profile", profile(desk), "--by", "desk1"))
    held = issued(desk.issue(BIG, "--profile", profile(desk), "--by", "desk1"))
    due = json.loads(desk("quote", "due", "--within", "60", "--json").stdout)["quotes"]
    assert [(q["number"], q["status"]) for q in due] == [(held, "awaiting-approval"), (out, "issued")]
    text = desk("quote", "due", "--within", "60").stdout.splitlines()
    assert held in text[2] and "awaiting approval" in text[2] and out in text[3]


@pytest.mark.parametrize("approval, problem", [
    ('total_over = "lots"', "[approval] total_over: "),
    ("new_customer = 1", "[approval] new_customer: must be true or false"),
    ("hand_quantity = true", "hand_quantity"),
])
def test_a_bad_approval_rule_is_one_line_naming_the_profile_and_key(desk, approval, problem):
    result = desk.issue(MORE, "--profile", profile(desk, PROFILE.replace('total_over = "5000.00"', approval)))
    assert result.exit_code == 2 and "approval.toml:" in result.stderr and problem in result.stderr, result.stderr
    assert_no_traceback(result)


def test_a_held_quote_that_expired_is_still_not_released(desk):
    """A quote held for approval and never approved stays held after its validity ends: it is `expired`, but
    it cannot be accepted or e-mailed."""
    import datetime

    from procure.core.catalog_reader import shipped_catalog
    from procure.core.errors import RuleError
    from procure.register import open_register
    from procure.register.issuing import issue, read_source
    from procure.register.ordering import accept

    long_ago = datetime.date.today() - datetime.timedelta(days=60)
    with open_register(desk.target) as store:
        source = read_source(desk.request(BIG), desk.prices, profile(desk))
        number = issue(store, source, shipped_catalog(), None, by="desk1", today=long_ago).issued.number
        with pytest.raises(RuleError, match=f"{number} is awaiting approval .*: it cannot be accepted"):
            accept(store, shipped_catalog(), number, DELIVERY_ORDER, order_date=datetime.date.today())
    assert (listed(desk, number)["status"], listed(desk, number)["approval"]) == ("expired", "awaiting")
    refused = desk("quote", "email", number, "-o", desk.folder / "late.eml")
    assert refused.exit_code == 1 and f"{number} is awaiting approval" in refused.stderr
