"""A facility's customer link, on both backends: what an officer reaches without an account, what they can do, and
every refusal (unknown, expired and revoked links, another facility's quote, a quote that cannot be accepted, a
bad delivery order, a form without its token, too many forms) answering as the contract says and recording
nothing."""

import datetime
import json
import re
import shutil
from decimal import Decimal

import pytest

from desks import desk_app, make_desk, signed_in
from registers import REQUEST, Desk, issued

PIID = "SPE2DE-27-F-1234"
OTHER = REQUEST.replace("Public Example Clinic", "Second Field Hospital").replace("W91ABC", "W92XYZ")
FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def dated(text: str, date: datetime.date, valid_days: int = 30) -> str:
    return f"[quote]\ndate = {date}\nvalid_days = {valid_days}\n\n{text}"


@pytest.fixture
def facility(register_target, tmp_path, sqlite_facility):
    """A register with a quote for W91ABC and one for W92XYZ, a link for W91ABC, and the desk's app over it."""
    if register_target.startswith("postgresql:"):
        desk = Desk(register_target, tmp_path)
        path, ours, theirs = open_facility(desk)
        return desk, make_desk(tmp_path, register=register_target), path, ours, theirs
    made, path, ours, theirs = sqlite_facility
    shutil.copytree(made, tmp_path, dirs_exist_ok=True)
    desk = Desk(register_target, tmp_path)
    return desk, desk_app(tmp_path, register_target), path, ours, theirs


@pytest.fixture(scope="session")
def sqlite_facility(tmp_path_factory):
    """The SQLite register, files and price list of `facility`, made once and copied for each test: its two issues
    cost more than most tests of the portal."""
    folder = tmp_path_factory.mktemp("facility")
    desk = Desk(str(folder / "register.sqlite"), folder)
    path, ours, theirs = open_facility(desk)
    make_desk(folder, register=desk.target)
    return folder, path, ours, theirs


def open_facility(desk) -> tuple[str, str, str]:
    """Issue a quote for W91ABC and one for W92XYZ and make a link for W91ABC: its path and the two numbers."""
    ours, theirs = issued(desk.issue()), issued(desk.issue(OTHER))
    made = desk("customer", "link", "W91ABC", "--base-url", "https://quotes.example.com", "--by", "pat")
    assert made.exit_code == 0, made.stderr
    url = made.stdout.strip()
    assert re.fullmatch(r"https://quotes\.example\.com/c/[A-Za-z0-9_-]{43}", url), url
    return url.removeprefix("https://quotes.example.com"), ours, theirs


def issued_back_then(desk, date: datetime.date) -> str:
    """A quote issued on `date` (valid 30 days), as a desk did then: through the register's own issue."""
    import procure
    from procure.register import open_register
    from procure.register.issuing import Source, issue

    text = dated(REQUEST, date)
    prices = procure.read_price_list(desk.prices)
    source = Source(request=procure.read_request(text=text), request_bytes=text.encode(), prices=prices,
                    price_list_name="prices.csv", price_list_bytes=desk.prices.read_bytes(), profile=None,
                    profile_name=None, profile_bytes=None)
    with open_register(desk.target) as store:
        return issue(store, source, procure.shipped_catalog(), None, by="pat", today=date).issued.number


def listed(desk) -> dict:
    return {q["number"]: q for q in json.loads(desk("quote", "list", "--json").stdout)["quotes"]}


def form_token(client, path) -> str:
    return FORM_TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def test_the_link_lists_the_facility_s_quotes_and_nothing_of_another(facility):
    desk, app, path, ours, theirs = facility
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert ours in text and "Public Example Clinic" in text and "valid for 30 more days" in text
    assert theirs not in text and "Second Field Hospital" not in text
    assert client.get(f"{path}/{theirs}").status_code == 404
    assert client.get(f"{path}/{theirs}/{theirs}.pdf").status_code == 404
    pdf = client.get(f"{path}/{ours}/{ours}.pdf")
    assert pdf.status_code == 200 and pdf.data == (desk.out / f"{ours}.pdf").read_bytes()


def test_the_register_keeps_only_the_hash_of_a_link(facility):
    desk, _, path, _, _ = facility
    token = path.removeprefix("/c/")
    shown = desk("customer", "links", "W91ABC", "--json")
    assert token not in shown.stdout
    [link] = json.loads(shown.stdout)["links"]
    assert (link["by"], link["state"], link["revoked"]) == ("pat", "live", None)
    exported = desk("register", "export", "-o", desk.folder / "all.csv")
    assert exported.exit_code == 0
    from procure.register import open_register

    with open_register(desk.target) as store:
        rows = store.all("SELECT * FROM customer_links")
    assert token not in repr(rows)


def test_unknown_expired_and_revoked_links_answer_the_same_404(facility):
    desk, app, path, ours, _ = facility
    client = app.test_client()
    unknown = client.get("/c/" + "x" * 43)
    assert unknown.status_code == 404
    assert client.get("/c/short").status_code == 404
    assert client.post("/c/" + "x" * 43 + f"/{ours}/accept", data={"delivery_order": PIID}).status_code == 404
    from procure.register import open_register
    from procure.register.links import create_link

    with open_register(desk.target) as store:
        _, expired = create_link(store, "W91ABC", by="pat",
                                 expires=datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1))
    gone = client.get(f"/c/{expired}")
    assert gone.status_code == 404 and gone.data == unknown.data
    assert desk("customer", "revoke", "w91abc", "--link", "1").exit_code == 0
    revoked = client.get(path)
    assert revoked.status_code == 404 and revoked.data == unknown.data
    assert desk("customer", "revoke", "W91ABC", "--link", "1").exit_code == 1


def test_the_desk_s_session_is_neither_accepted_nor_set_on_link_pages(facility):
    _, app, path, ours, _ = facility
    client = signed_in(app, "admin")
    page = client.get(path)
    assert page.status_code == 200
    assert "Set-Cookie" not in page.headers
    assert "admin" not in page.get_data(as_text=True) and "Sign out" not in page.get_data(as_text=True)
    # the desk's own CSRF token is no token here: a form of the link needs the link's
    desk_token = FORM_TOKEN.search(client.get("/verify").get_data(as_text=True)).group(1)
    refused = client.post(f"{path}/{ours}/accept", data={"delivery_order": PIID, "name": "A", "email": "a@b.mil",
                                                         "csrf_token": desk_token})
    assert refused.status_code == 400
    assert app.test_client().get("/quotes").status_code == 302


def test_an_officer_accepts_online_with_the_desk_s_checks_and_event(facility):
    desk, app, path, ours, _ = facility
    client = app.test_client()
    token = form_token(client, f"{path}/{ours}")
    answer = client.post(f"{path}/{ours}/accept", data={"delivery_order": PIID.lower(), "name": "Maj. Pat Lee",
                                                        "email": "pat.lee@example.mil", "csrf_token": token})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "is accepted with delivery order" in answer.get_data(as_text=True)
    quote = listed(desk)[ours]
    assert (quote["status"], quote["delivery_order"]) == ("accepted", "SPE2DE27F1234")
    shown = desk("quote", "show", ours)
    assert "Maj. Pat Lee <pat.lee@example.mil> (customer link)" in shown.stdout
    wawf = client.get(f"{path}/{ours}/{ours}-wawf.csv")
    assert wawf.status_code == 200 and wawf.data.startswith(b"item,part,description")


ORDERED_FIELD = re.compile(r'<label for="ordered_(\d{4})">Quantity ordered, line \1</label>\s*'
                           r'<input [^>]*value="(\d+)"')


def test_an_officer_accepts_less_than_the_quote_line_by_line(facility):
    desk, app, path, ours, _ = facility
    client = app.test_client()
    page = client.get(f"{path}/{ours}").get_data(as_text=True)
    fields = dict(ORDERED_FIELD.findall(page))
    lines = json.loads(desk("quote", "show", ours, "--json").stdout)["lines"]
    quoted = {f"{n:04d}": line for n, line in enumerate(lines, start=1)}
    assert fields and fields == {item: str(line["quantity"]) for item, line in quoted.items()}
    first = min(fields)
    data = {"delivery_order": PIID, "name": "Pat Lee", "email": "pat.lee@example.mil",
            "csrf_token": FORM_TOKEN.search(page).group(1), f"ordered_{first}": "0"}
    refused = client.post(f"{path}/{ours}/accept", data={**data, f"ordered_{first}": "many"})
    assert refused.status_code == 422
    assert ORDERED_FIELD.search(refused.get_data(as_text=True)) is not None
    assert 'value="many"' in refused.get_data(as_text=True), "the typed quantity is kept"
    assert listed(desk)[ours]["status"] == "issued"
    answer = client.post(f"{path}/{ours}/accept", data=data)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    accepted = listed(desk)[ours]
    left = quoted[first]
    assert accepted["status"] == "accepted"
    assert Decimal(accepted["ordered_total"]) == Decimal(accepted["total"]) - Decimal(left["extended_price"])
    wawf = client.get(f"{path}/{ours}/{ours}-wawf.csv").get_data(as_text=True)
    assert left["part"] not in wawf


@pytest.mark.parametrize("case", ["bad-piid", "no-token", "no-name", "superseded", "expired", "void"])
def test_an_acceptance_that_cannot_be_answers_why_and_records_nothing(facility, case):
    desk, app, path, ours, _ = facility
    number = ours
    if case == "superseded":
        assert desk.revise(ours, REQUEST.replace("procedures = 12", "procedures = 20")).exit_code == 0
    if case == "void":
        assert desk("quote", "void", ours, "--reason", "duplicate").exit_code == 0
    if case == "expired":
        old = datetime.date.today() - datetime.timedelta(days=40)
        number = issued_back_then(desk, old)
    before = listed(desk)[number]["status"]
    client = app.test_client()
    data = {"delivery_order": "SPE2DE-27-X-1234" if case == "bad-piid" else PIID, "name": "" if case == "no-name"
            else "Pat Lee", "email": "pat.lee@example.mil", "csrf_token": form_token(client, f"{path}/verify")}
    if case == "no-token":
        del data["csrf_token"]
    answer = client.post(f"{path}/{number}/accept", data=data)
    text = answer.get_data(as_text=True)
    expected = {"bad-piid": 422, "no-token": 400, "no-name": 422}.get(case, 409)
    if case in ("superseded", "void", "expired"):
        # the page offers no Accept form for these, and a POST anyway is refused
        assert "Accept quote" not in client.get(f"{path}/{number}").get_data(as_text=True)
    assert answer.status_code == expected, text
    words = {"bad-piid": "Delivery order", "no-name": "Your name", "superseded": "replaced by",
             "expired": "expired on", "void": "withdrawn"}
    if case in words:
        assert words[case] in text
    assert not re.search(r"--[a-z]", text), "a command-line option on the officer's page"
    assert listed(desk)[number]["status"] == before
    assert "customer link" not in desk("quote", "show", number).stdout


def test_a_practice_quote_cannot_be_accepted_online(facility):
    desk, app, path, _, _ = facility
    from orders import ILLUSTRATIVE

    desk.prices.write_text(ILLUSTRATIVE, encoding="utf-8")
    number = issued(desk.issue(REQUEST, "--practice"))
    client = app.test_client()
    answer = client.post(f"{path}/{number}/accept", data={"delivery_order": PIID, "name": "Pat", "email": "p@x.mil",
                                                          "csrf_token": form_token(client, f"{path}/{number}")})
    assert answer.status_code == 409 and "practice quote" in answer.get_data(as_text=True)
    assert listed(desk)[number]["status"] == "issued"


def test_asking_for_changes_is_listed_until_a_revision_supersedes_the_quote(facility):
    desk, app, path, ours, _ = facility
    client = app.test_client()
    assert listed(desk)[ours]["changes_requested"] is False
    answer = client.post(f"{path}/{ours}/changes", data={"message": "Please quote 20 knees instead of 12.",
                                                         "name": "Pat Lee", "email": "pat.lee@example.mil",
                                                         "csrf_token": form_token(client, f"{path}/{ours}")})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert listed(desk)[ours]["changes_requested"] is True
    shown = json.loads(desk("quote", "show", ours, "--json").stdout)["events"]
    assert [(e["event"], e["reason"], e["recorded_by"]) for e in shown] == [
        ("changes-requested", "Please quote 20 knees instead of 12.", "Pat Lee <pat.lee@example.mil> (customer link)")]
    due = json.loads(desk("quote", "due", "--json").stdout)["quotes"]
    assert ours in [q["number"] for q in due]
    empty = client.post(f"{path}/{ours}/changes", data={"message": " ", "name": "Pat", "email": "p@x.mil",
                                                        "csrf_token": form_token(client, f"{path}/{ours}")})
    assert empty.status_code == 422 and "Message" in empty.get_data(as_text=True)
    revision = issued(desk.revise(ours, REQUEST.replace("procedures = 12", "procedures = 20")))
    now = listed(desk)
    assert now[ours]["changes_requested"] is False and now[revision]["changes_requested"] is False


def test_a_new_request_lands_in_the_desk_s_inbox_with_its_findings(facility):
    desk, app, path, _, _ = facility
    client = app.test_client()
    token = form_token(client, f"{path}/request")
    import io

    sent = client.post(f"{path}/request", data={"name": "Pat Lee", "email": "pat.lee@example.mil", "csrf_token": token,
                                                "request": (io.BytesIO(REQUEST.encode()), "knees.toml")},
                       content_type="multipart/form-data")
    assert sent.status_code == 200, sent.get_data(as_text=True)
    wrong = client.post(f"{path}/request", data={"name": "Pat Lee", "email": "pat.lee@example.mil", "csrf_token": token,
                                                 "request": (io.BytesIO(OTHER.encode()), "other.toml")},
                        content_type="multipart/form-data")
    assert wrong.status_code == 422 and "this link is for W91ABC" in wrong.get_data(as_text=True)
    inbox = signed_in(app, "desk").get("/requests").get_data(as_text=True)
    assert "knees.toml" in inbox and "Pat Lee" in inbox and "Prepare quote" in inbox and "other.toml" not in inbox
    assert signed_in(app, "viewer").get("/requests").status_code == 403
    assert len(listed(desk)) == 2


def test_verify_names_only_the_facility_s_own_quotes(facility):
    desk, app, path, ours, theirs = facility
    client = app.test_client()
    import io

    answer = client.post(f"{path}/verify", data={
        "csrf_token": form_token(client, f"{path}/verify"),
        "files": [(io.BytesIO((desk.out / f"{ours}.pdf").read_bytes()), "forwarded.pdf"),
                  (io.BytesIO((desk.out / f"{theirs}.pdf").read_bytes()), "theirs.pdf")]},
        content_type="multipart/form-data")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and ours in text and theirs not in text
    assert "Not a file the vendor issued to your facility" in text


def test_forms_past_the_rate_limit_are_refused_on_every_worker(facility, monkeypatch):
    desk, app, path, ours, _ = facility
    monkeypatch.setattr("procure.register.links.POSTS_PER_LINK", 3)
    from procure.web import create_app

    other_worker = create_app(desk.target, prices=str(desk.prices), secret_key="test-key", testing=True)
    client = app.test_client()
    token = form_token(client, f"{path}/{ours}")
    codes = [c.post(f"{path}/{ours}/changes", data={"message": "m", "name": "P", "email": "p@x.mil",
                                                    "csrf_token": token}).status_code
             for c in (client, other_worker.test_client(), client, client)]
    assert codes == [200, 200, 200, 429]


def test_every_use_is_recorded_without_the_token(facility):
    desk, app, path, ours, _ = facility
    client = app.test_client()
    client.get(path)
    client.get(f"{path}/{ours}/{ours}.pdf")
    from procure.register import open_register
    from procure.register.links import uses

    with open_register(desk.target) as store:
        found = uses(store, 1)
        rows = store.all("SELECT * FROM link_uses")
    assert [(action, number) for action, number, _ in found] == [("list", None), ("download .pdf", ours)]
    assert path.removeprefix("/c/") not in repr(rows)


def test_an_e_mail_of_the_quote_carries_a_live_link_of_the_facility(facility):
    desk, app, _, ours, theirs = facility
    profile = desk.folder / "desk.toml"
    profile.write_text('[vendor]\nname = "Desk Co"\n\n[preparer]\nname = "Alex"\nemail = "alex@example.com"\n\n'
                       '[web]\nbase_url = "https://quotes.example.com/"\n', encoding="utf-8")
    made = desk("quote", "email", ours, "-o", desk.folder / "ours.eml", "--profile", profile, "--to", "a@b.mil")
    assert made.exit_code == 0, made.stderr
    import email
    from email import policy

    message = email.message_from_bytes((desk.folder / "ours.eml").read_bytes(), policy=policy.default)
    body = message.get_body(("plain",)).get_content()
    url = re.search(r"https://quotes\.example\.com(/c/[A-Za-z0-9_-]{43})", body)
    assert url, body[:300]
    assert url[1] in message.get_body(("html",)).get_content()
    assert ours in app.test_client().get(url[1]).get_data(as_text=True)
    other = desk("quote", "email", theirs, "-o", desk.folder / "theirs.eml", "--profile", profile,
                 "--to", "a@b.mil")
    assert other.exit_code == 0 and "/c/" not in (desk.folder / "theirs.eml").read_text(encoding="utf-8")
    assert desk("customer", "revoke", "W91ABC").exit_code == 0
    assert app.test_client().get(url[1]).status_code == 404


def test_a_profile_s_base_url_must_be_a_web_address(tmp_path):
    from procure.core.errors import InputError
    from procure.core.profile import read_profile

    assert read_profile(text='[web]\nbase_url = "https://q.example.com/desk/"\n').base_url == "https://q.example.com/desk"
    with pytest.raises(InputError, match=r"base_url.*such as https://quotes.example.com"):
        read_profile(text='[web]\nbase_url = "javascript:alert(1)"\n')


def test_a_desk_user_makes_copies_and_revokes_a_link_on_the_customer_s_page(facility):
    desk, app, path, ours, _ = facility
    client = signed_in(app, "desk")
    token = FORM_TOKEN.search(client.get("/customers/W91ABC").get_data(as_text=True)).group(1)
    made = client.post("/customers/W91ABC/links", data={"csrf_token": token})
    text = made.get_data(as_text=True)
    assert made.status_code == 200
    new = re.search(r'id="new-link" value="http://localhost(/c/[A-Za-z0-9_-]{43})"', text)
    assert new, text
    assert ours in app.test_client().get(new[1]).get_data(as_text=True)
    assert new[1] not in client.get("/customers/W91ABC").get_data(as_text=True)
    viewer = signed_in(app, "viewer")
    own = FORM_TOKEN.search(viewer.get("/customers/W91ABC").get_data(as_text=True)).group(1)
    assert viewer.post("/customers/W91ABC/links", data={"csrf_token": own}).status_code == 403
    assert client.post("/customers/W91ABC/links", data={}).status_code == 400
    assert len(json.loads(desk("customer", "links", "W91ABC", "--json").stdout)["links"]) == 2
    revoked = client.post("/customers/W91ABC/links/2/revoke", data={"csrf_token": token})
    assert revoked.status_code == 200
    assert app.test_client().get(new[1]).status_code == 404
    assert app.test_client().get(path).status_code == 200


def test_an_officer_fills_a_request_in_the_browser_with_the_facility_s_details(facility):
    _, app, path, _, _ = facility
    client = app.test_client()
    page = client.get(f"{path}/request?fill=1").get_data(as_text=True)
    assert 'value="Public Example Clinic"' in page and 'value="W91ABC"' in page
    assert 'name="quote.number"' not in page
    token = FORM_TOKEN.search(page).group(1)
    fields = {"editor": "1", "csrf_token": token, "customer.facility": "Public Example Clinic",
              "customer.dodaac": "W91ABC", "equipment.installed": "IST2221", "treatment.0.name": "Knee",
              "treatment.0.procedures": "12", "name": "Pat Lee", "email": "pat.lee@example.mil"}
    more = client.post(f"{path}/request", data={**fields, "action": "add-line"})
    assert more.status_code == 200 and 'name="line.0.part"' in more.get_data(as_text=True)
    bad = client.post(f"{path}/request", data={**fields, "treatment.0.procedures": "many", "action": "send"})
    assert bad.status_code == 422 and "procedures" in bad.get_data(as_text=True)
    sent = client.post(f"{path}/request", data={**fields, "action": "send"})
    assert sent.status_code == 200 and "has your request request.toml" in sent.get_data(as_text=True)
    inbox = signed_in(app, "desk").get("/requests").get_data(as_text=True)
    assert "request.toml" in inbox and "Prepare quote" in inbox


def test_customer_link_refuses_what_it_cannot_use_in_one_line(facility):
    from conftest import assert_no_traceback

    desk, _, _, _, _ = facility
    for args, code, words in ((("W91ABC",), 2, "give --base-url URL"),
                              (("W91ABC", "--base-url", "ftp://x"), 2, "is not a web address"),
                              (("W91", "--base-url", "https://q.example.com"), 2, "'W91' is not a DoDAAC"),
                              (("W99ZZZ", "--base-url", "https://q.example.com"), 1, "not in the customer directory"),
                              (("W91ABC", "--base-url", "https://q.example.com", "--days", "0"), 2, "--days")):
        result = desk("customer", "link", *args)
        assert result.exit_code == code and words in result.stderr, (args, result.stderr)
        assert_no_traceback(result)
    assert desk("customer", "revoke", "W91ABC", "--link", "99").exit_code == 1
    assert len(json.loads(desk("customer", "links", "W91ABC", "--json").stdout)["links"]) == 1


def test_the_desk_sees_what_customers_accepted_until_it_marks_it_seen(facility):
    _, app, path, ours, _ = facility
    officer = app.test_client()
    accepted = officer.post(f"{path}/{ours}/accept", data={"delivery_order": PIID, "name": "Pat Lee",
                                                           "email": "pat.lee@example.mil",
                                                           "csrf_token": form_token(officer, f"{path}/{ours}")})
    assert accepted.status_code == 200
    desk_user, other_user = signed_in(app, "desk"), signed_in(app, "approver")
    page = desk_user.get("/quotes").get_data(as_text=True)
    assert "From customers" in page and f"{ours}</a> (Public Example Clinic) accepted online" in page
    token = FORM_TOKEN.search(page).group(1)
    assert desk_user.post("/quotes/seen", data={"csrf_token": token}).status_code == 303
    assert "accepted online" not in desk_user.get("/quotes").get_data(as_text=True)
    assert "accepted online" in other_user.get("/quotes").get_data(as_text=True)
    assert desk_user.post("/quotes/seen", data={}).status_code == 400
