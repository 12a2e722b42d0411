"""The order as placed on the web desk: the Accept form's quantities (one labelled input per line, no more than
quoted), the delivery order block, the WAWF sheet download (the ordered lines only) and amending the order (an
approver's, with a reason)."""

import csv
import datetime
import io
import json

import pytest

from desks import make_desk, signed_in, token
from registers import FOUR_LINES

TODAY = datetime.date.today()
FY = (TODAY.year + 1 if TODAY.month >= 10 else TODAY.year) % 100
ORDER = f"SPE2DE-{FY:02d}-F-0042"


@pytest.fixture
def app(tmp_path):
    return make_desk(tmp_path)


def post(client, path, data):
    return client.post(path, data={**data, "csrf_token": token(client, "/quotes")},
                       content_type="multipart/form-data")


@pytest.fixture
def quote(app) -> str:
    desk = signed_in(app, "desk")
    response = post(desk, "/quotes/new", {"request": (io.BytesIO(FOUR_LINES.encode()), "request.toml"),
                                          "action": "issue"})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def listed(client) -> dict[str, dict]:
    return {q["number"]: q for q in json.loads(client.get("/quotes.json").get_data(as_text=True))["quotes"]}


def test_the_accept_form_has_one_quantity_per_line_filled_with_the_quote(app, quote):
    page = signed_in(app, "approver").get(f"/quotes/{quote}").get_data(as_text=True)
    for item, quantity in (("0001", 1), ("0002", 7), ("0003", 3), ("0004", 7)):
        assert f'<label for="ordered_{item}">Quantity ordered, line {item}</label>' in page
        assert f'name="ordered_{item}" type="number"' in page and f'value="{quantity}"' in page


def test_an_order_without_one_line_shows_in_the_delivery_order_block_and_the_wawf_sheet(app, quote):
    approver = signed_in(app, "approver")
    response = post(approver, f"/quotes/{quote}/accept", {
        "delivery_order": ORDER, "ordered_0001": "0", "ordered_0002": "7", "ordered_0003": "3", "ordered_0004": "7",
        "amount": "13,100.00", "ship_to": "w81xwh", "issue_by": "SPE2DE"})
    assert response.status_code == 303, response.get_data(as_text=True)
    page = approver.get(f"/quotes/{quote}").get_data(as_text=True)
    block = page[page.index('<h2 id="placed-heading">'):page.index("</section>")]
    assert ORDER in block and "$13,100.00 of $22,100.00 quoted" in block and "W81XWH" in block
    assert "Lines the order leaves out" in block and "IST2221" in block and "STT2309-5" not in block
    assert listed(approver)[quote]["ordered_total"] == "13100.00"

    desk = signed_in(app, "desk")
    sheet = desk.get(f"/quotes/{quote}/wawf.csv")
    assert sheet.status_code == 200 and "attachment" in sheet.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    assert [r["item"] for r in rows] == ["0002", "0003", "0004"]
    assert desk.get(f"/quotes/{quote}/wawf.xlsx").status_code == 200
    assert signed_in(app, "viewer").get(f"/quotes/{quote}/wawf.txt").status_code == 403


def test_a_refused_order_keeps_everything_typed(app, quote):
    approver = signed_in(app, "approver")
    typed = {"delivery_order": ORDER, "ordered_0001": "0", "ordered_0002": "9", "amount": "13100.00",
             "pay_dodaac": "HQ0338", "ship_to": "W81XWH"}
    response = post(approver, f"/quotes/{quote}/accept", typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "9 ordered is more than the 7 quoted" in page
    assert f'value="{ORDER}"' in page and 'id="ordered_0001" name="ordered_0001"' in page
    for name, value in typed.items():
        assert f'name="{name}"' in page and f'value="{value}"' in page, name
    assert listed(approver)[quote]["status"] == "issued"

    page = post(approver, f"/quotes/{quote}/accept", {"delivery_order": ORDER, "ordered_0001": "0",
                                                      "amount": "22100.00"}).get_data(as_text=True)
    assert "$22,100.00" in page and "$13,100.00" in page and "tick “Record the difference” to record" in page
    assert "--force" not in page and "Void although accepted" not in page


def test_an_approver_amends_the_order_with_a_reason_and_a_desk_may_not(app, quote):
    approver = signed_in(app, "approver")
    assert post(approver, f"/quotes/{quote}/accept", {"delivery_order": f"SPE2DE-{FY:02d}-F-0024"}).status_code == 303
    assert approver.post(f"/quotes/{quote}/amend", data={"delivery_order": ORDER, "reason": "no token"}
                         ).status_code == 400
    assert post(signed_in(app, "desk"), f"/quotes/{quote}/amend",
                {"delivery_order": ORDER, "reason": "typo"}).status_code == 403
    refused = post(approver, f"/quotes/{quote}/amend", {"delivery_order": ORDER, "reason": ""})
    assert refused.status_code == 400 and "Reason must say" in refused.get_data(as_text=True)
    assert post(approver, f"/quotes/{quote}/amend", {"delivery_order": ORDER, "reason": "digits swapped",
                                                     "pay_dodaac": "HQ0338"}).status_code == 303
    assert listed(approver)[quote]["delivery_order"] == ORDER.replace("-", "")
    page = approver.get(f"/quotes/{quote}").get_data(as_text=True)
    assert "HQ0338" in page and "Why the order is corrected" in page


def test_the_wawf_sheet_of_a_quote_not_accepted_is_not_found(app, quote):
    assert signed_in(app, "desk").get(f"/quotes/{quote}/wawf.csv").status_code == 404


def test_an_order_stating_another_amount_is_recorded_with_the_box_ticked_and_says_so(app, quote):
    approver = signed_in(app, "approver")
    response = post(approver, f"/quotes/{quote}/accept", {"delivery_order": ORDER, "ordered_0001": "0",
                                                          "amount": "13000.00", "force": "1"})
    assert response.status_code == 303, response.get_data(as_text=True)
    page = approver.get(f"/quotes/{quote}").get_data(as_text=True)
    assert 'role="status"' in page and "recorded as the order states it" in page and "--force" not in page
    block = page[page.index('<h2 id="placed-heading">'):page.index("</section>")]
    assert "Amount the order states" in block and "$13,000.00" in block and "$13,100.00 of $22,100.00" in block
    entry = listed(approver)[quote]
    assert (entry["order_amount"], entry["ordered_total"]) == ("13000.00", "13100.00")
