"""The register's price lists and approval on the web desk (Flask's test client), on SQLite and PostgreSQL: an
admin loads a list on the Catalog page after seeing its changes; the new-quote page prices by it; a quote held
for approval says why, and only an approver other than its issuer approves or rejects it."""

import io
import json
import re

import pytest

from procure.register import open_register

from desks import make_desk, signed_in, token
from orders import PRICES
from registers import MORE, REQUEST

APPROVAL_PROFILE = """[vendor]
name = "Public Vendor"
cage = "3K7T9"
uei = "MNPQRSTV2345"

[approval]
total_over = "5000.00"
"""
DEARER = PRICES.replace("STT2309-5,1000.00", "STT2309-5,1250.00").replace("CRX0111-20,180.00\n", "")


@pytest.fixture
def app(register_target, tmp_path):
    profile = tmp_path / "approval.toml"
    profile.write_text(APPROVAL_PROFILE, encoding="utf-8")
    return make_desk(tmp_path, register=register_target, profile=str(profile))


def post(client, path, data, page="/catalog"):
    return client.post(path, data={**data, "csrf_token": token(client, page)}, content_type="multipart/form-data")


def csv(text, name="contract.csv"):
    return (io.BytesIO(text.encode("utf-8")), name)


def preview(client, text, effective, note=""):
    """The Catalog page after **Show changes** for the list `text`."""
    shown = post(client, "/catalog/prices", {"prices": csv(text), "effective": effective, "note": note,
                                             "action": "preview"})
    assert shown.status_code == 200, shown.get_data(as_text=True)
    return shown.get_data(as_text=True)


def confirm(client, page):
    """**Load price list** on a preview page: the list it carries is stored."""
    carried = dict(re.findall(r'<input type="hidden" name="(prices_ref|effective|note)" '
                              r'value="([^"]*)"', page))
    return post(client, "/catalog/prices", {**carried, "action": "load"})


def load(client, text, effective, note=""):
    page = preview(client, text, effective, note)
    return page, confirm(client, page)


def lists(app) -> list:
    with open_register(app.config["PROCURE_SETTINGS"].register) as store:
        return store.price_lists()


def test_an_admin_sees_the_changes_before_loading_a_list_on_the_catalog_page(app):
    admin = signed_in(app, "admin")
    page = preview(admin, PRICES, "2026-01-01", "P00011")
    assert "no earlier list is in force on 2026-01-01" in page and lists(app) == []  # a preview stores nothing
    assert confirm(admin, page).status_code == 303
    assert [(p.id, p.note, p.loaded_by) for p in lists(app)] == [(1, "P00011", "admin")]
    page, loaded = load(admin, DEARER, "2026-02-01")
    assert "Changes from price list 1 (contract.csv), in force from 2026-02-01" in page
    assert '<th scope="row">STT2309-5</th><td>changed</td>' in page and "+25.0%" in page
    assert '<th scope="row">CRX0111-20</th><td>removed</td>' in page
    assert loaded.status_code == 303 and len(lists(app)) == 2
    catalog = admin.get("/catalog").get_data(as_text=True)
    assert "In force today: price list 2 (contract.csv), from 2026-02-01" in catalog
    assert "Loaded price list 2 (contract.csv), in force from 2026-02-01: 9 parts." in catalog
    assert "Contract price lists in the register" in catalog and "$1,250.00" in catalog


def test_only_an_admin_loads_a_list_and_a_bad_one_is_said_on_the_page(app):
    desk = signed_in(app, "desk")
    assert "Load a price list" not in desk.get("/catalog").get_data(as_text=True)
    refused = post(desk, "/catalog/prices", {"prices": csv(PRICES), "effective": "2026-01-01", "action": "load"})
    assert refused.status_code == 403 and lists(app) == []
    admin = signed_in(app, "admin")
    forged = admin.post("/catalog/prices", data={"prices": csv(PRICES), "effective": "2026-01-01",
                                                 "action": "load"}, content_type="multipart/form-data")
    assert forged.status_code == 400 and lists(app) == []
    unknown = post(admin, "/catalog/prices", {"prices": csv(PRICES + "XYZ999,5.00\n"), "effective": "2026-01-01",
                                              "action": "load"})
    assert unknown.status_code == 422 and "part XYZ999 is not in the catalog version" in unknown.get_data(as_text=True)
    no_date = post(admin, "/catalog/prices", {"prices": csv(PRICES), "effective": "", "action": "load"})
    assert no_date.status_code == 422 and "Effective date: give the date" in no_date.get_data(as_text=True)
    assert lists(app) == []


def issue(client, text=REQUEST, **more):
    return post(client, "/quotes/new", {"request": (io.BytesIO(text.encode("utf-8")), "request.toml"),
                                        "action": "issue", **more}, page="/quotes")


def test_the_new_quote_page_prices_by_the_register_and_refuses_an_upload(app):
    admin = signed_in(app, "admin")
    load(admin, DEARER, "2026-01-01")
    desk = signed_in(app, "desk")
    for page in ("/quotes/new", "/quotes/new/edit"):
        shown = desk.get(page).get_data(as_text=True)
        assert 'id="prices"' not in shown and "the contract price list kept in the register" in shown
    refused = issue(desk, prices=csv(PRICES, "mine.csv"))
    assert refused.status_code == 422
    assert "an administrator loads one there, or with `procure prices load`" in refused.get_data(as_text=True)
    assert "Price list: mine.csv is not used: this register keeps its own contract price lists" in \
        refused.get_data(as_text=True)
    done = issue(desk)
    assert done.status_code == 303, done.get_data(as_text=True)
    page = desk.get(done.headers["Location"]).get_data(as_text=True)
    assert "contract.csv (price list 1 of the register, in force from 2026-01-01)" in page
    assert "$3,750.00" in page  # 3 x STT2309-5 at 1,250.00


def test_a_held_quote_says_why_and_an_approver_approves_it_from_its_page(app):
    desk = signed_in(app, "desk")
    number = issue(desk, MORE).headers["Location"].rsplit("/", 1)[-1]
    page = desk.get(f"/quotes/{number}").get_data(as_text=True)
    assert "Awaiting approval" in page and "total_over: the total $7,200.00 is over $5,000.00" in page
    assert ">Approve</button>" not in page
    assert post(desk, f"/quotes/{number}/approve", {}, page="/quotes").status_code == 403
    listing = desk.get("/quotes").get_data(as_text=True)
    assert "<strong>1</strong> awaiting approval" in listing
    filtered = json.loads(desk.get("/quotes.json?status=awaiting-approval").get_data(as_text=True))["quotes"]
    assert [(q["number"], q["approval"]) for q in filtered] == [(number, "awaiting")]

    approver = signed_in(app, "approver")
    refused = post(approver, f"/quotes/{number}/accept", {"delivery_order": "SPE2DE-26-F-1234"}, page="/quotes")
    assert refused.status_code == 400 and "is awaiting approval" in refused.get_data(as_text=True)
    assert ">Approve</button>" in approver.get(f"/quotes/{number}").get_data(as_text=True)
    done = post(approver, f"/quotes/{number}/approve", {}, page="/quotes")
    assert done.status_code == 303
    page = approver.get(f"/quotes/{number}").get_data(as_text=True)
    assert "Awaiting approval" not in page and "approved" in page and "by approver" in page


def test_the_issuer_cannot_approve_and_a_rejection_voids_the_quote(app):
    admin = signed_in(app, "admin")
    number = issue(admin, MORE).headers["Location"].rsplit("/", 1)[-1]
    own = post(admin, f"/quotes/{number}/approve", {}, page="/quotes")
    assert own.status_code == 400 and "was issued by admin: the approver must be someone else" in \
        own.get_data(as_text=True)
    approver = signed_in(app, "approver")
    rejected = post(approver, f"/quotes/{number}/reject", {"reason": "discount not agreed"}, page="/quotes")
    assert rejected.status_code == 303
    assert "void (discount not agreed)" in approver.get(f"/quotes/{number}").get_data(as_text=True)
