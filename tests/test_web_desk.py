"""The desk's whole job through Flask's test client: Send and Mark as sent, the Due page, a customer edited, the
report downloaded, users' roles and details, Prepared by, a desk that cannot issue saying so, a form with bad
cells opened in the editor. (The same story in Chromium is in test_web_desk_browser.py.)"""

import html
import io
import json
import re
from email import policy
from email.parser import BytesParser

import openpyxl
import pytest

from procure.register import open_register
from procure.register.accounts import set_details
from procure.web import create_app

from desks import PASSWORDS, make_desk, signed_in, token
from mailserver import mail_server
from orders import CUSTOMER, ILLUSTRATIVE
from registers import REQUEST

CONTACT = REQUEST.replace('dodaac = "W91ABC"', 'dodaac = "W91ABC"\ncontact = "Maj. Ann Lee"\n'
                                               'email = "ann.lee@example.mil"')
PROFILE = """[vendor]
name = "Pacira BioSciences, Inc."
email = "orders@example.com"

[preparer]                # the profile's preparer
name = "Alex Smith"
email = "alex.smith@example.com"
"""


def post(client, path, data, page="/quotes"):
    return client.post(path, data={**data, "csrf_token": token(client, page)}, content_type="multipart/form-data")


def issue(client, text=CONTACT, **more):
    response = post(client, "/quotes/new", {"request": (io.BytesIO(text.encode()), "request.toml"),
                                            "action": "issue", **more})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def words_of(response) -> str:
    """The page's text without its tags, blanks squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text_of(response)))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


@pytest.fixture
def smtp():
    with mail_server() as server:
        yield server


@pytest.fixture
def app(tmp_path, smtp):
    profile = tmp_path / "desk.toml"
    profile.write_text(PROFILE + f'\n[smtp]\nhost = "127.0.0.1"\nport = {smtp[0]}\nsecurity = "none"\n',
                       encoding="utf-8")
    return make_desk(tmp_path, profile=str(profile))


def test_send_puts_the_cover_note_above_the_quote_from_the_user_and_records_it(app, smtp, tmp_path):
    with open_register(str(tmp_path / "register.sqlite")) as store:
        set_details(store, "desk", full_name="Dana Lee", title="Customer service", email="dana.lee@example.com")
    client = signed_in(app, "desk")
    number = issue(client)
    response = post(client, f"/quotes/{number}/send", {"to": "", "cc": "boss@example.mil",
                                                        "cover_note": "Dear Maj. Lee,\r\n\r\nThe quote you asked for."},
                    page=f"/quotes/{number}")
    assert response.status_code == 303, text_of(response)
    [(sender, recipients, raw)] = smtp[1].received
    assert sender == "dana.lee@example.com" and recipients == ["ann.lee@example.mil", "boss@example.mil"]
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert message["From"] == message["Reply-To"] == "Dana Lee <dana.lee@example.com>"
    body = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert "Prepared by: Dana Lee, Customer service" in body  # the quote the user issued is prepared by them
    assert body.startswith("Dear Maj. Lee,\n\nThe quote you asked for.\n\n") and number in body
    page = text_of(client.get(f"/quotes/{number}"))
    assert "Sent " + number + " to ann.lee@example.mil (cc boss@example.mil) from Dana Lee" in page
    assert "sent from this desk" in page
    with open_register(str(tmp_path / "register.sqlite")) as store:
        [sent] = store.sendings([number])
    assert sent.sent_by == "desk" and sent.recipients == ("ann.lee@example.mil",)
    with open_register(str(tmp_path / "register.sqlite")) as store:
        stored = store.issued(number).profile_bytes.decode()
    assert 'name = "Dana Lee"' in stored and "Alex Smith" not in stored and "[smtp]" in stored


def test_a_refused_send_says_why_on_the_page_and_records_nothing(app, smtp):
    client = signed_in(app, "desk")
    number = issue(client, REQUEST)  # no contact e-mail
    response = post(client, f"/quotes/{number}/send", {"to": "", "cover_note": "x"}, page=f"/quotes/{number}")
    assert response.status_code == 400
    page = text_of(response)
    assert "gave no contact e-mail" in page and "an address under To" in page and "--to" not in page
    bad = post(client, f"/quotes/{number}/send", {"to": "buyer at example"}, page=f"/quotes/{number}")
    assert bad.status_code == 400 and "To 'buyer at example' is not an e-mail address" in text_of(bad)
    assert smtp[1].received == []


def test_mark_as_sent_records_a_draft_sent_elsewhere_and_due_stops_saying_not_sent(app):
    client = signed_in(app, "desk")
    number = issue(client)
    due = text_of(client.get("/due"))
    assert number in due and "not sent" in due
    response = post(client, f"/quotes/{number}/sent", {"sent_to": "ann.lee@example.mil", "sent_on": ""},
                    page=f"/quotes/{number}")
    assert response.status_code == 303
    page = text_of(client.get(f"/quotes/{number}"))
    assert "marked as sent from another mail program" in page
    assert number not in text_of(client.get("/due?within=0"))
    listed = json.loads(client.get("/quotes.json").get_data(as_text=True))["quotes"]
    assert listed[0]["sent_at"] is not None
    future = post(client, f"/quotes/{number}/sent", {"sent_to": "a@example.mil", "sent_on": "2999-01-01"},
                  page=f"/quotes/{number}")
    assert future.status_code == 400 and "Date sent: 2999-01-01 is after today" in text_of(future)


def test_the_due_page_gives_each_reason_and_a_viewer_may_read_it(app):
    client = signed_in(app, "desk")
    number = issue(client, CONTACT.replace("[customer]", "[quote]\nvalid_days = 3\n\n[customer]"))
    page = text_of(signed_in(app, "viewer").get("/due"))
    assert re.search(f"{number}.*expires in 3 days; not sent", page)
    assert number not in text_of(client.get("/due?within=1")) or "not sent" in text_of(client.get("/due?within=1"))


def test_a_customer_is_edited_on_the_web_as_a_new_version(app):
    client = signed_in(app, "desk")
    issue(client)
    form = {"facility": "Public Example Clinic, Bldg 2", "ship_to": "Dock 4", "bill_to": "", "mark_for": "",
            "contact.0.name": "Maj. Ann Lee", "contact.0.email": "ann.lee@example.mil", "contact.0.phone": "",
            "contact.1.name": "Capt. Bo Park", "contact.1.email": "bo.park@example.mil", "contact.1.phone": "555"}
    response = post(client, "/customers/w91abc/edit", form, page="/customers/W91ABC/edit")
    assert response.status_code == 303
    page = text_of(client.get("/customers/W91ABC"))
    assert "Public Example Clinic, Bldg 2" in page and "Dock 4" in page and "Capt. Bo Park" in page
    assert "set by hand" in page
    bad = post(client, "/customers/W91ABC/edit", {**form, "facility": " ", "contact.1.phone": "a\x07b"},
               page="/customers/W91ABC/edit")
    assert bad.status_code == 422
    assert "Facility: give the facility's name" in text_of(bad)
    assert "Contact 2 phone holds" in text_of(bad)
    assert post(signed_in(app, "viewer"), "/customers/W91ABC/edit", form).status_code == 403
    assert client.get("/customers/ZZZZZZ/edit").status_code == 404


def test_the_report_downloads_for_a_range_and_a_bad_date_is_named(app):
    client = signed_in(app, "viewer")
    issue(signed_in(app, "desk"))
    response = client.get("/report.xlsx?from=2020-01-01&to=2099-12-31")
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(
        'filename="report-2020-01-01-2099-12-31.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames
    bad = client.get("/report.xlsx?from=soon")
    assert bad.status_code == 400 and "Report from: 'soon' is not a date" in text_of(bad)
    swapped = client.get("/report.xlsx?from=2026-02-01&to=2026-01-01")
    assert swapped.status_code == 400 and "is after Report to" in swapped.get_data(as_text=True)


def test_an_admin_changes_roles_enables_users_and_keeps_the_last_admin(app):
    admin = signed_in(app, "admin")
    for action, more, done in (("role", {"role": "approver"}, "role changed: user desk (approver)"),
                               ("disable", {}, "disabled user desk (approver, disabled)"),
                               ("enable", {}, "enabled user desk (approver)")):
        response = post(admin, "/users", {"username": "DESK", "action": action, **more}, page="/users")
        assert response.status_code == 303 and done in response.headers["Location"].replace("+", " ").replace(
            "%28", "(").replace("%29", ")").replace("%2C", ",")
    assert signed_in(app, "desk").get("/users").status_code == 403  # approver, signed in again
    refused = post(admin, "/users", {"username": "admin", "action": "role", "role": "desk"}, page="/users")
    assert refused.status_code == 422 and "user admin (admin) is the last active admin" in text_of(refused)
    asked = post(admin, "/users", {"username": "Admin", "action": "disable"}, page="/users")
    assert asked.status_code == 200 and "You are about to disable your own user" in text_of(asked)
    details = post(admin, "/users/desk", {"full_name": "Dana Lee", "title": "", "email": "dana@example.com",
                                          "phone": ""}, page="/users/desk")
    assert details.status_code == 303
    assert "Dana Lee" in text_of(admin.get("/users"))
    assert post(signed_in(app, "approver"), "/users", {"username": "viewer", "action": "enable"}).status_code == 403
    assert post(admin, "/users", {"username": "desk", "action": "role", "role": "admin"}).status_code == 303
    confirmed = post(admin, "/users", {"username": "admin", "action": "disable", "confirm": "1"}, page="/users")
    assert confirmed.status_code == 303 and confirmed.headers["Location"].endswith("/login")
    assert admin.get("/quotes").status_code == 302  # signed out: the user is disabled


def test_a_desk_without_a_price_list_says_so_before_anyone_clicks_issue(tmp_path):
    from procure.register.accounts import add_user

    register = str(tmp_path / "register.sqlite")
    with open_register(register) as store:
        add_user(store, "desk", "desk", PASSWORDS["desk"])
    app = create_app(register, secret_key="k", testing=True)
    client = signed_in(app, "desk")
    for path in ("/quotes/new", "/quotes/new/edit"):
        assert "This desk has no price list, so it cannot issue a quote yet" in text_of(client.get(path))
    checked = post(client, "/quotes/new", {"request": (io.BytesIO(REQUEST.encode()), "r.toml"), "action": "check"})
    page = text_of(checked)
    assert checked.status_code == 422 and "can be issued" not in page
    assert "Why this order cannot be issued yet" in page and "choose a Price list file; this desk has none" in page
    assert re.search(r'value="issue" disabled', checked.get_data(as_text=True))
    issued = post(client, "/quotes/new", {"request": (io.BytesIO(REQUEST.encode()), "r.toml"), "action": "issue"})
    assert issued.status_code == 422 and "choose a Price list file" in text_of(issued)


def test_every_issue_refusal_shows_its_reason(app):
    client = signed_in(app, "desk")
    demo = post(client, "/quotes/new", {"request": (io.BytesIO(REQUEST.encode()), "r.toml"),
                                        "prices": (io.BytesIO(ILLUSTRATIVE.encode()), "demo.csv"), "action": "issue"})
    assert demo.status_code == 422 and "tick “Practice quote”" in text_of(demo)
    expired = CUSTOMER + REQUEST[len(CUSTOMER):] + "\n[quote]\ndate = 2025-01-02\nvalid_days = 30\n"
    late = post(client, "/quotes/new", {"request": (io.BytesIO(expired.encode()), "r.toml"), "action": "check"})
    assert late.status_code == 422 and "expired on 2025-02-01" in text_of(late) and "can be issued" not in text_of(late)


def test_a_form_with_bad_cells_opens_in_the_editor_with_everything_filled(app):
    from procure.core.catalog_reader import shipped_catalog
    from procure.forms.write import render_form
    from procure.inputs import read_request

    book = openpyxl.load_workbook(io.BytesIO(render_form(shipped_catalog().select(), read_request(text=CONTACT))))
    book["Request"]["B11"] = "w91abc"  # taken as meant
    book["Treatments"]["B6"] = 0
    book["Request"]["B7"] = 400
    data = io.BytesIO()
    book.save(data)
    client = signed_in(app, "desk")
    checked = post(client, "/quotes/new", {"request": (io.BytesIO(data.getvalue()), "form.xlsx"), "action": "check"})
    assert "Treatments!B6" in text_of(checked) and "Request!B7" in text_of(checked)
    carried = re.search(r'name="request_ref" value="([^"]+)"', checked.get_data(as_text=True)).group(1)
    edited = post(client, "/quotes/new/edit", {"action": "load", "request_ref": carried}, page="/quotes/new")
    html = edited.get_data(as_text=True)
    assert edited.status_code == 422
    assert re.search(r'name="customer.facility" value="Public Example Clinic"', html)
    assert re.search(r'name="customer.dodaac" value="w91abc" required>', html)  # no error: taken as W91ABC
    assert re.search(r'name="customer.email" value="ann.lee@example.mil"', html)
    assert re.search(r'name="treatment.0.procedures" value="0" aria-invalid="true"', html)
    assert re.search(r'name="quote.valid_days" value="400" aria-invalid="true"', html)


def test_a_revision_keeps_its_findings_its_reason_and_an_internal_note_the_customer_never_sees(app, tmp_path):
    client = signed_in(app, "desk")
    number = issue(client)
    page = post(client, f"/quotes/{number}/revise", {}).get_data(as_text=True)
    fields = dict(re.findall(r'<input id="[^"]+" name="([a-z_]+\.[a-z0-9_.]+)" value="([^"]*)"', page))
    fields.update({"editor": "1", "treatment.0.procedures": "30", "treatment.0.nerves": ["AFCN", "ISN-S", "ISN-I"],
                   "equipment.installed": "IST2221", "reason": "More knees", "action": "issue",
                   "internal_note": "Agreed on the phone with Maj. Lee; margin checked"})
    response = post(client, f"/quotes/{number}/revise", fields)
    assert response.status_code == 303, text_of(response)
    page = words_of(client.get(f"/quotes/{number}-R1"))
    assert "Internal note (never on the customer's quote) Agreed on the phone with Maj. Lee" in page
    assert "Reason for this revision More knees" in page
    assert re.search(r"Findings when it was issued .* warning vendor-identity-incomplete .* internal \(the desk "
                     r"only\)", page)
    assert re.search(r"Total before: \$[\d,]+\.\d\d; total after: \$[\d,]+\.\d\d", page)
    assert "Assumption(" not in page and "Assumptions" in page
    for suffix in (".txt", ".html"):
        assert "Agreed on the phone" not in text_of(client.get(f"/quotes/{number}-R1/{number}-R1{suffix}"))
    with open_register(str(tmp_path / "register.sqlite")) as store:
        from procure.register.issued_with import findings_at_issue, internal_note

        assert internal_note(store, number) is None and internal_note(store, f"{number}-R1").startswith("Agreed")
        assert {f.code for f in findings_at_issue(store, number)} >= {"vendor-identity-incomplete"}


def test_a_customers_page_lists_its_quotes_with_what_was_ordered(app):
    number = issue(signed_in(app, "desk"))
    approver = signed_in(app, "approver")
    accepted = post(approver, f"/quotes/{number}/accept", {"delivery_order": "SPE2DE-27-F-1234"})
    assert accepted.status_code == 303, words_of(accepted)
    page = words_of(approver.get("/customers/W91ABC"))
    total = re.search(rf"{number} \S+ (\$[\d,]+\.\d\d) accepted (\$[\d,]+\.\d\d)", page)
    assert total and total.group(1) == total.group(2), page


def test_the_blank_form_names_whom_to_return_it_to_and_leaves_out_the_desks_fields(app, tmp_path):
    from procure.forms.layout import request_rows
    from procure.inputs import read_request

    with open_register(str(tmp_path / "register.sqlite")) as store:
        set_details(store, "desk", full_name="Dana Lee", email="dana.lee@example.com")
    response = signed_in(app, "desk").get("/form.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert "e-mail it back to the contracting desk (Dana Lee, dana.lee@example.com)" in book["Instructions"]["A3"].value
    _, rows = request_rows()
    sheet = book["Request"]
    for path in (("quote", "number"), ("quote", "date"), ("quote", "valid_days"), ("pricing", "price_list")):
        assert sheet.row_dimensions[rows[path]].hidden and sheet.cell(rows[path], 2).protection.locked, path
    assert not sheet.row_dimensions[rows[("customer", "facility")]].hidden
    viewer = openpyxl.load_workbook(io.BytesIO(signed_in(app, "viewer").get("/form.xlsx").data))
    assert "(Alex Smith, alex.smith@example.com)" in viewer["Instructions"]["A3"].value  # the profile's preparer
    sheet["B" + str(rows[("customer", "facility")])] = "Public Example Clinic"
    sheet["B" + str(rows[("customer", "dodaac")])] = "w91abc"
    book["Treatments"]["A6"], book["Treatments"]["B6"] = "Knee", 4
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    request = read_request(filled)
    assert (request.customer.dodaac, request.quote_number, request.treatments[0].procedures) == ("W91ABC", None, 4)


def test_the_editor_fills_a_known_customer_from_the_dodaac_and_offers_the_installed_generation(app):
    client = signed_in(app, "desk")
    issue(client)
    page = post(client, "/quotes/new/edit", {"editor": "1", "customer.dodaac": "W91ABC",
                                             "equipment.installed": "IST2221", "treatment.0.name": "Knee",
                                             "treatment.0.procedures": "4", "action": "check"},
                page="/quotes/new/edit").get_data(as_text=True)
    assert 'name="customer.facility" value="Public Example Clinic"' in page
    assert 'name="customer.email" value="ann.lee@example.mil"' in page
    page = post(client, "/quotes/new/edit", {"editor": "1", "equipment.installed": "IST2221", "action": "add-line"},
                page="/quotes/new/edit").get_data(as_text=True)
    lines = page.split('name="line.0.part"', 1)[1].split("</select>", 1)[0]
    assert "STT2309-5" in lines and "STT0309-5" not in lines  # Gen 2 Smart Tips only beside a Gen 2 handpiece


def test_a_revision_that_changes_nothing_is_refused_on_the_check_not_only_at_issue(app):
    client = signed_in(app, "desk")
    number = issue(client)
    page = post(client, f"/quotes/{number}/revise", {}).get_data(as_text=True)
    fields = dict(re.findall(r'<input id="[^"]+" name="([a-z_]+\.[a-z0-9_.]+)" value="([^"]*)"', page))
    fields.update({"editor": "1", "treatment.0.nerves": ["AFCN", "ISN-S", "ISN-I"], "equipment.installed": "IST2221",
                   "action": "check"})
    checked = post(client, f"/quotes/{number}/revise", fields)
    text = words_of(checked)
    assert checked.status_code == 422 and "can be issued" not in text
    assert f"nothing changed from {number}" in text and "give Reason to issue it anyway" in text


def test_the_email_draft_comes_from_the_signed_in_user(app, tmp_path):
    with open_register(str(tmp_path / "register.sqlite")) as store:
        set_details(store, "desk", email="dana.lee@example.com")
    client = signed_in(app, "desk")
    number = issue(client)
    draft = BytesParser(policy=policy.default).parsebytes(client.get(f"/quotes/{number}/draft.eml").data)
    assert draft["From"] == draft["Reply-To"] == "desk <dana.lee@example.com>" and draft["X-Unsent"] == "1"
