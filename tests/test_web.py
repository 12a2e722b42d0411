"""The web desk through Flask's test client: pages, uploads, the editor, issuing, the quote page, roles."""

import datetime
import io
import json
import re

import pytest

from procure.register import open_register

from desks import make_desk, signed_in, token
from registers import REQUEST


@pytest.fixture
def app(tmp_path):
    return make_desk(tmp_path)


def post(client, path, data, page=None):
    return client.post(path, data={**data, "csrf_token": token(client, page or "/quotes")},
                       content_type="multipart/form-data")


def upload(text=REQUEST, name="request.toml"):
    return (io.BytesIO(text.encode("utf-8") if isinstance(text, str) else text), name)


def issue(client, text=REQUEST, **more):
    response = post(client, "/quotes/new", {"request": upload(text), "action": "issue", **more})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_healthz_answers_without_sign_in(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"


@pytest.mark.parametrize("path", ["/quotes", "/quotes.json", "/quotes/new", "/verify", "/catalog", "/users",
                                  "/form.xlsx", "/quotes/Q-2026-0001", "/customers", "/customers/W91ABC",
                                  "/quotes/Q-2026-0001/draft.eml"])
def test_every_page_but_login_redirects_to_it_without_a_user(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_wrong_password_is_refused_in_words(app):
    client = app.test_client()
    response = client.post("/login", data={"username": "desk", "password": "not-the-password",
                                           "csrf_token": token(client)})
    assert response.status_code == 401
    assert "the user name or the password is wrong" in response.get_data(as_text=True)
    assert "not-the-password" not in response.get_data(as_text=True)


def test_a_desk_checks_an_upload_and_sees_the_plan(app):
    client = signed_in(app, "desk")
    response = post(client, "/quotes/new", {"request": upload(), "action": "check"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "No errors: this order can be issued." in page
    assert "STT2309-5" in page and "How the quantities were derived" in page
    assert "internal (the desk only)" in page  # contract-period or vendor notes are the desk's


def test_an_error_names_the_field_and_blocks_the_issue(app):
    client = signed_in(app, "desk")
    bad = REQUEST.replace('dodaac = "W91ABC"', 'dodaac = "w91"')
    response = post(client, "/quotes/new", {"request": upload(bad), "action": "issue"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "dodaac" in page and "is not a DoDAAC" in page
    with open_register(app.config["PROCURE_SETTINGS"].register) as store:
        assert store.count() == (0, 0)


def test_an_issue_answers_303_to_the_quote_page_and_records_the_user(app):
    client = signed_in(app, "desk")
    number = issue(client)
    page = client.get(f"/quotes/{number}").get_data(as_text=True)
    assert f"<h1>Quote {number}" in page and "by desk" in page
    listed = json.loads(client.get("/quotes.json").get_data(as_text=True))["quotes"]
    assert [q["number"] for q in listed] == [number] and listed[0]["issued_by"] == "desk"
    assert set(listed[0]) >= {"number", "base", "revision", "facility", "dodaac", "date", "valid_through", "total",
                              "status", "issued_at", "issued_by", "delivery_order"}


def test_downloads_are_the_stored_bytes(app):
    client = signed_in(app, "desk")
    number = issue(client)
    with open_register(app.config["PROCURE_SETTINGS"].register) as store:
        stored = {f.suffix: f.content for f in store.files(number)}
    assert set(stored) == {".pdf", ".xlsx", ".txt", ".html"}
    for suffix, content in stored.items():
        response = client.get(f"/quotes/{number}/{number}{suffix}")
        assert response.status_code == 200 and response.data == content
    page = client.get(f"/quotes/{number}").get_data(as_text=True)
    for label in ("PDF", "Workbook", "Text", "HTML"):
        assert f" download>{label}</a>" in page, label


def test_the_editor_writes_a_request_the_reader_checks(app):
    client = signed_in(app, "desk")
    data = {"editor": "1", "customer.facility": "Public Example Clinic", "customer.dodaac": "W91ABC",
            "equipment.installed": "IST2221", "treatment.0.name": "Anterior knee", "treatment.0.procedures": "12",
            "treatment.0.nerves": ["AFCN", "ISN-S", "ISN-I"], "action": "issue"}
    response = post(client, "/quotes/new/edit", data)
    assert response.status_code == 303, response.get_data(as_text=True)
    bad = {**data, "treatment.0.procedures": "twelve", "action": "check"}
    page = post(client, "/quotes/new/edit", bad).get_data(as_text=True)
    assert "procedures" in page and "twelve" in page and "request.toml:" not in page


def test_revise_opens_the_editor_filled_and_issues_r1_with_changes(app):
    client = signed_in(app, "desk")
    number = issue(client)
    page = post(client, f"/quotes/{number}/revise", {}).get_data(as_text=True)
    assert 'value="Public Example Clinic"' in page and 'value="12"' in page
    fields = dict(re.findall(r'<input id="[^"]+" name="([a-z_]+\.[a-z0-9_.]+)" value="([^"]*)"', page))
    fields.update({"editor": "1", "treatment.0.procedures": "30", "treatment.0.nerves": ["AFCN", "ISN-S", "ISN-I"],
                   "equipment.installed": "IST2221", "reason": "More knees", "action": "issue"})
    response = post(client, f"/quotes/{number}/revise", fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"{number}-R1")
    page = client.get(f"/quotes/{number}-R1").get_data(as_text=True)
    assert f"Changes from {number}" in page and "More knees" in page


def test_an_approver_accepts_and_voids_by_name(app):
    number = issue(signed_in(app, "desk"))
    other = issue(signed_in(app, "desk"))
    approver = signed_in(app, "approver")
    assert post(approver, f"/quotes/{number}/accept", {"delivery_order": "SPE2DE-27-F-1234"}).status_code == 303
    assert post(approver, f"/quotes/{other}/void", {"reason": "Customer withdrew"}).status_code == 303
    listed = {q["number"]: q for q in json.loads(approver.get("/quotes.json").get_data(as_text=True))["quotes"]}
    assert listed[number]["status"] == "accepted" and listed[number]["delivery_order"] == "SPE2DE27F1234"
    assert listed[other]["status"] == "void"
    page = approver.get(f"/quotes/{number}").get_data(as_text=True)
    assert "<td>accepted</td>" in page and "<td>approver</td>" in page


def test_a_wrong_delivery_order_is_said_on_the_page(app):
    number = issue(signed_in(app, "desk"))
    response = post(signed_in(app, "approver"), f"/quotes/{number}/accept", {"delivery_order": "nonsense"})
    assert response.status_code == 400 and "Delivery order" in response.get_data(as_text=True)


def test_the_quotes_page_searches_and_shows_the_dashboard(app):
    client = signed_in(app, "desk")
    number = issue(client)
    page = client.get("/quotes?q=example+clinic").get_data(as_text=True)
    assert number in page and "open quote" in page and '<th scope="col">Number</th>' in page
    assert number not in client.get("/quotes?q=W00000").get_data(as_text=True)
    assert client.get("/quotes.csv").data.startswith(b"Number,")
    assert client.get("/quotes.xlsx").data[:2] == b"PK"


def test_verify_names_the_quote_or_says_not_issued(app):
    client = signed_in(app, "desk")
    number = issue(client)
    pdf = client.get(f"/quotes/{number}/{number}.pdf").data
    response = post(client, "/verify", {"files": [(io.BytesIO(pdf), "q.pdf"), (io.BytesIO(b"x"), "other.pdf")]})
    page = response.get_data(as_text=True)
    assert f">{number}</a>" in page and "Not issued by this register" in page


def test_catalog_and_blank_form(app):
    client = signed_in(app, "viewer")
    page = client.get("/catalog").get_data(as_text=True)
    assert "STT2309-5" in page and "AFCN" in page and "$1,000.00" in page
    form = client.get("/form.xlsx")
    assert form.status_code == 200 and form.data[:2] == b"PK"


def test_a_filled_form_upload_is_read_in_memory(app, tmp_path):
    from procure.forms.write import render_form
    from procure.inputs import read_request

    client = signed_in(app, "desk")
    request = read_request(text=REQUEST.replace('"IST2221"', '"IST0221"') + '[[line]]\npart = "STT2309-5"\n'
                                                                              'quantity = 1\n')
    version = app.config["PROCURE_SETTINGS"].catalog.select()
    form = render_form(version, request)
    page = post(client, "/quotes/new", {"request": upload(form, "form.xlsx"), "action": "check"}
                ).get_data(as_text=True)
    assert "generation-mismatch" in page and "form.xlsx: Lines!A" in page


def test_the_admin_adds_a_user_on_the_users_page(app):
    client = signed_in(app, "admin")
    response = post(client, "/users", {"username": "carol", "role": "viewer", "password": "carol-password-1",
                                       "action": "add"})
    assert response.status_code == 303
    assert "carol" in client.get("/users").get_data(as_text=True)


def test_the_quotes_page_shows_50_a_page(app, tmp_path):
    from test_benchmarks import load

    load("register").fill(app.config["PROCURE_SETTINGS"].register, 55)
    client = signed_in(app, "viewer")
    first = client.get("/quotes").get_data(as_text=True)
    assert "page 1 of 2" in first and first.count('<tr><th scope="row">') == 50 and "Older quotes" in first
    second = client.get("/quotes?page=2").get_data(as_text=True)
    assert second.count('<tr><th scope="row">') == 5 and "Newer quotes" in second
    assert len(json.loads(client.get("/quotes.json?page=2").get_data(as_text=True))["quotes"]) == 5


def test_the_editor_counts_stock_in_packs_and_loose_units(app):
    client = signed_in(app, "desk")
    data = {"editor": "1", "customer.facility": "Public Example Clinic", "customer.dodaac": "W91ABC",
            "equipment.installed": "IST2221", "treatment.0.name": "Anterior knee", "treatment.0.procedures": "12",
            "treatment.0.nerves": ["AFCN"], "stock.0.part": "CRX2111-10", "stock.0.packs": "1",
            "stock.0.loose": "4", "action": "check"}
    page = post(client, "/quotes/new/edit", data).get_data(as_text=True)
    assert "Stock on hand (units of issue + loose units):" in page and "1 PK CRX2111-10 + 4 = 14" in page
    more = post(client, "/quotes/new/edit", {**data, "action": "add-stock"}).get_data(as_text=True)
    assert 'name="stock.1.packs"' in more and 'value="CRX2111-10" selected' in more


def test_a_request_naming_only_a_known_dodaac_is_completed_as_quote_issue_completes_it(app):
    client = signed_in(app, "desk")
    issue(client)
    only_dodaac = REQUEST.replace('facility = "Public Example Clinic"\n', "")
    number = issue(client, only_dodaac)
    assert "Public Example Clinic" in client.get(f"/quotes/{number}").get_data(as_text=True)


def test_an_uploaded_price_list_prices_the_check(app):
    from orders import PRICES

    client = signed_in(app, "desk")
    dearer = PRICES.replace("STT2309-5,1000.00", "STT2309-5,1234.00")
    page = post(client, "/quotes/new", {"request": upload(), "prices": upload(dearer, "dearer.csv"),
                                        "action": "check"}).get_data(as_text=True)
    assert "$1,234.00" in page and "dearer.csv" in page


def test_the_quote_page_shows_the_quote_as_the_pdf_does(tmp_path):
    from pathlib import Path

    profile = Path(__file__).resolve().parent.parent / "examples" / "profile.toml"
    app = make_desk(tmp_path, profile=str(profile))
    client = signed_in(app, "desk")
    refused = post(client, "/quotes/new", {"request": upload(), "action": "issue"}).get_data(as_text=True)
    assert "is an example&#39;s" in refused and "tick “Practice quote”" in refused and "--practice" not in refused
    number = issue(client, practice="1")
    page = client.get(f"/quotes/{number}").get_data(as_text=True)
    assert "practice quote: never to be accepted" in page and ">Accept</button>" not in signed_in(
        app, "approver").get(f"/quotes/{number}").get_data(as_text=True)
    for heading in ("Customer", "Order", "Planning basis", "Terms and notes", "Prepared by"):
        assert f"<h4>{heading}</h4>" in page, heading
    assert '<caption>Quoted items (prices in U.S. dollars)</caption>' in page and '<th scope="col">Part</th>' in page


def test_voiding_an_accepted_quote_needs_the_box_ticked(app):
    number = issue(signed_in(app, "desk"))
    approver = signed_in(app, "approver")
    assert post(approver, f"/quotes/{number}/accept", {"delivery_order": "SPE2DE-27-F-1234"}).status_code == 303
    refused = post(approver, f"/quotes/{number}/void", {"reason": "Order cancelled"})
    assert refused.status_code == 400 and "Void although accepted" in refused.get_data(as_text=True)
    assert post(approver, f"/quotes/{number}/void", {"reason": "Order cancelled", "force": "1"}).status_code == 303


def test_an_approver_records_the_order_date_amount_and_offices_and_sees_the_warnings(app):
    number = issue(signed_in(app, "desk"))
    approver = signed_in(app, "approver")
    today = datetime.date.today().isoformat()
    response = post(approver, f"/quotes/{number}/accept", {
        "delivery_order": "SPE2DE-27-F-1234", "order_date": today, "amount": "1.00", "pay_dodaac": "HQ0338",
        "issue_by": "SPE2DE", "admin_by": "S0512A", "force": "1"})
    assert response.status_code == 303
    page = approver.get(f"/quotes/{number}").get_data(as_text=True)
    assert 'role="status"' in page and "$1.00" in page  # the warning that the order's amount differs
    listed = {q["number"]: q for q in json.loads(approver.get("/quotes.json").get_data(as_text=True))["quotes"]}
    assert listed[number]["order_date"] == today and listed[number]["order_amount"] == "1.00"
    bad = post(signed_in(app, "approver"), f"/quotes/{issue(signed_in(app, 'desk'))}/accept",
               {"delivery_order": "SPE2DE-27-F-1234", "order_date": "15/01/2027"})
    assert bad.status_code == 400 and "Order date" in bad.get_data(as_text=True)



def test_the_customer_directory_shows_each_facility_its_quotes_and_its_history(app):
    number = issue(signed_in(app, "desk"))
    viewer = signed_in(app, "viewer")
    listing = viewer.get("/customers").get_data(as_text=True)
    assert "Public Example Clinic" in listing and 'href="/customers/W91ABC"' in listing
    page = viewer.get("/customers/W91ABC").get_data(as_text=True)
    assert "<h1>Public Example Clinic (W91ABC)</h1>" in page and number in page and "desk" in page
    assert viewer.get("/customers/W00000").status_code == 404


def test_a_desk_downloads_the_quote_as_an_email_draft_with_the_stored_files(app):
    from email import policy
    from email.parser import BytesParser

    desk = signed_in(app, "desk")
    number = issue(desk)
    response = post(desk, f"/quotes/{number}/draft.eml", {"to": "buyer@example.mil"})
    assert response.status_code == 200 and response.mimetype == "message/rfc822"
    message = BytesParser(policy=policy.default).parsebytes(response.get_data())
    assert message["To"] == "buyer@example.mil" and message["X-Unsent"] == "1" and number in message["Subject"]
    attached = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert attached[f"{number}.pdf"] == desk.get(f"/quotes/{number}/{number}.pdf").get_data()
    refused = desk.get(f"/quotes/{number}/draft.eml")  # the request names no contact e-mail
    assert refused.status_code == 400 and "E-mail to" in refused.get_data(as_text=True)
    viewer = signed_in(app, "viewer")
    assert post(viewer, f"/quotes/{number}/draft.eml", {"to": "a@example.mil"}).status_code == 403
    linked = desk.get(f"/quotes/{number}/draft.eml?to=attacker@example.com")  # a link cannot address it
    assert linked.status_code == 400 and "attacker" not in linked.get_data(as_text=True)
