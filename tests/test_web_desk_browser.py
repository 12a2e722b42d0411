"""The desk's whole job in Chromium (Playwright, axe-core on every new page): an admin changes a role, re-enables
a user, is refused demoting the last admin and gives a user their details; the desk opens a form with a bad cell
in the editor, issues, sends through a local SMTP server with a cover note from their own address, marks a draft
as sent, follows the Due page, edits a customer and downloads the report. `PROCURE_SCREENSHOTS=DIR` saves the
desk guide's pictures."""

import io
import re
import threading
from email import policy
from email.parser import BytesParser

import pytest

from desks import PASSWORDS
from mailserver import mail_server
from orders import PRICES
from registers import REQUEST
from test_web_browser import PROFILE, Session, browser, procure  # noqa: F401 (browser: the shared Chromium)

pytestmark = pytest.mark.slow
CONTACT = REQUEST.replace('dodaac = "W91ABC"', 'dodaac = "W91ABC"\ncontact = "Maj. Ann Lee"\n'
                                               'email = "ann.lee@example.mil"')


@pytest.fixture
def served(tmp_path):
    """A served desk whose profile sends through a local SMTP server; yields (url, register, inbox)."""
    from waitress import create_server

    from procure.web import create_app

    register = tmp_path / "register.sqlite"
    added = procure("user", "add", "admin", "--role", "admin", "--password-stdin", "--register", register,
                    input=PASSWORDS["admin"] + "\n")
    assert added.returncode == 0, added.stderr
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES, encoding="utf-8")
    with mail_server() as (port, inbox):
        profile = tmp_path / "desk.toml"
        profile.write_text("".join(line for line in PROFILE.read_text(encoding="utf-8").splitlines(keepends=True)
                                   if not line.startswith("placeholder")).replace('"1ABC2"', '"7DSK3"')
                           .replace('"ABCDEFGH1234"', '"K7DSK3LMN4P5"')
                           + f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n', encoding="utf-8")
        app = create_app(str(register), profile=str(profile), prices=str(prices))
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=server.run, daemon=True).start()
        yield f"http://127.0.0.1:{server.effective_port}", register, inbox
        server.close()


def bad_form(folder) -> str:
    """The customer's form, filled, with one bad cell: 0 procedures."""
    import openpyxl

    from procure.core.catalog_reader import shipped_catalog
    from procure.forms.write import render_form
    from procure.inputs import read_request

    book = openpyxl.load_workbook(io.BytesIO(render_form(shipped_catalog().select(), read_request(text=CONTACT))))
    book["Treatments"]["B6"] = 0
    path = folder / "customer-form.xlsx"
    book.save(path)
    return str(path)


def users_action(session, name, action, role=None):
    page = session.page
    page.get_by_label("User name").fill(name)
    if role:
        page.get_by_label("Role").select_option(role)
    page.get_by_role("button", name=action, exact=True).click()
    page.wait_for_load_state()
    session.check_accessibility()


def test_the_desks_whole_job_in_a_browser(browser, served, tmp_path):  # noqa: F811
    url, _, inbox = served

    # The admin adds a desk user and a viewer, makes the viewer an approver, disables and re-enables them.
    admin = Session(browser, url, "admin", tmp_path)
    admin.go("Users")
    page = admin.page
    for name, role in (("desk", "desk"), ("viewer", "viewer")):
        page.get_by_label("Password").fill(PASSWORDS[name])
        users_action(admin, name, "Add user", role)
    users_action(admin, "Viewer", "Change role", "approver")
    assert page.get_by_role("row", name=re.compile(r"^viewer approver yes")).count() == 1
    users_action(admin, "viewer", "Disable user")
    assert page.get_by_role("row", name=re.compile(r"^viewer approver no \(disabled\)")).count() == 1
    users_action(admin, "viewer", "Enable user")
    assert "enabled user viewer (approver)" in page.inner_text("main")
    assert page.get_by_role("row", name=re.compile(r"^viewer approver yes")).count() == 1

    # ... is refused demoting the last admin, and asked before disabling themself.
    users_action(admin, "admin", "Change role", "desk")
    assert "user admin (admin) is the last active admin" in page.get_by_role("alert").inner_text()
    users_action(admin, "admin", "Disable user")
    assert page.get_by_role("button", name="Yes, disable my user").count() == 1
    admin.screenshot("desk-users.png")
    page.get_by_role("link", name="No, keep it").click()

    # ... and gives the desk user the name and address their quotes and e-mails carry.
    page.get_by_role("link", name="desk", exact=True).click()
    page.wait_for_load_state()
    admin.check_accessibility()
    page.get_by_label("Full name").fill("Dana Lee")
    page.get_by_label("Title").fill("Customer service")
    page.get_by_label("E-mail").fill("dana.lee@example.com")
    page.get_by_role("button", name="Save details").click()
    page.wait_for_load_state()
    assert page.get_by_role("row", name=re.compile("Dana Lee")).count() == 1
    admin.close()

    # The desk uploads the customer's form with a bad cell: it opens in the editor, everything filled.
    desk = Session(browser, url, "desk", tmp_path)
    page = desk.page
    desk.go("New quote")
    page.get_by_label("Request file").set_input_files(bad_form(tmp_path))
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    assert "Treatments!B6 Procedures: must be a whole number of at least 1, not 0" in page.inner_text("main")
    page.get_by_role("button", name="Edit in the browser", exact=True).click()
    page.wait_for_load_state()
    desk.check_accessibility()
    assert page.get_by_label("Facility").input_value() == "Public Example Clinic"
    assert page.get_by_label("E-mail", exact=True).input_value() == "ann.lee@example.mil"
    procedures = page.get_by_role("group", name="Treatment 1").get_by_label("Procedures")
    assert procedures.input_value() == "0" and procedures.get_attribute("aria-invalid") == "true"
    desk.screenshot("desk-editor-bad-cell.png")
    procedures.fill("12")
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("No errors: this order can be issued.").count() == 1
    page.get_by_role("button", name="Issue quote", exact=True).click()
    page.wait_for_url(re.compile(r"/quotes/Q-\d{4}-0001$"))
    number = page.url.rsplit("/", 1)[-1]
    first = page.url

    # ... finds it on the Due page, not sent yet.
    desk.go("Due")
    assert desk.page.get_by_role("row", name=re.compile(f"{number}.*not sent")).count() == 1
    desk.screenshot("desk-due.png")

    # ... sends it with a cover note: the message arrives from the desk user, and the quote says who prepared it.
    page.goto(first)
    page.get_by_label("Cc", exact=True).fill("contracting@example.mil")
    page.get_by_label("Cover note").fill("Dear Maj. Lee,\n\nHere is the quote for the knee program.")
    desk.screenshot("desk-send.png")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state()
    desk.check_accessibility()
    assert f"Sent {number} to ann.lee@example.mil (cc contracting@example.mil) from Dana Lee" in page.inner_text("main")
    [(sender, _, raw)] = inbox.received
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert sender == "dana.lee@example.com" and message["From"] == "Dana Lee <dana.lee@example.com>"
    body = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Dear Maj. Lee,\n\nHere is the quote for the knee program.\n\n")
    assert "Prepared by: Dana Lee, Customer service" in body
    desk.go("Due")
    assert desk.page.get_by_role("row", name=re.compile(number)).count() == 0

    # ... issues another, e-mails it as a draft from Outlook and marks it as sent.
    desk.go("New quote")
    toml = tmp_path / "request.toml"
    toml.write_text(REQUEST, encoding="utf-8")
    page.get_by_label("Request file").set_input_files(str(toml))
    page.get_by_role("button", name="Issue quote", exact=True).click()
    page.wait_for_url(re.compile(r"/quotes/Q-\d{4}-0002$"))
    other = page.url.rsplit("/", 1)[-1]
    page.get_by_label("Sent to").fill("buyer@example.mil")
    page.get_by_role("button", name="Mark as sent", exact=True).click()
    page.wait_for_load_state()
    desk.check_accessibility()
    assert page.get_by_role("row", name=re.compile("buyer@example.mil marked as sent from another mail program")
                            ).count() == 1
    desk.go("Due")
    assert desk.page.get_by_role("row", name=re.compile(other)).count() == 0

    # ... edits the customer's record: a new ship-to and a second contact.
    desk.go("Customers")
    page.get_by_role("link", name="W91ABC", exact=True).click()
    page.get_by_role("link", name="Edit customer").click()
    page.wait_for_load_state()
    desk.check_accessibility()
    page.get_by_label("Ship to").fill("Bldg 2, Dock 4")
    page.get_by_label("Contact 2 name").fill("Capt. Bo Park")
    page.get_by_label("Contact 2 e-mail").fill("bo.park@example.mil")
    desk.screenshot("desk-customer-edit.png")
    page.get_by_role("button", name="Save customer").click()
    page.wait_for_load_state()
    desk.check_accessibility()
    assert "Bldg 2, Dock 4" in page.inner_text("main")
    assert page.get_by_role("row", name=re.compile("Capt. Bo Park bo.park@example.mil")).count() == 1

    # ... and downloads the month's report from the quotes page.
    desk.go("Quotes")
    page.get_by_label("Report from").fill("2020-01-01")
    page.get_by_label("Report to").fill("2099-12-31")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download report", exact=True).click()
    assert download.value.suggested_filename == "report-2020-01-01-2099-12-31.xlsx"
    saved = tmp_path / "report.xlsx"
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
    desk.close()
