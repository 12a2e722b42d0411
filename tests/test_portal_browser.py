"""The officer's path in a real browser: Debian's Chromium driven by Playwright, axe-core (WCAG 2.1 A and AA) on every
page, controls found by the accessible names of the customer link's contract.

The officer opens the link from an e-mail the desk sent through a local SMTP server, finds the current revision,
downloads its PDF (which `procure quote verify` knows), accepts it with a delivery order (the desk sees it and is
told by e-mail), asks for changes on another quote, verifies a file and sends a new request from a filled form,
which the desk finds in its Requests inbox with its findings. `PROCURE_SCREENSHOTS=DIR` saves the officer's guide's
pictures.
"""

import email
import json
import os
import re
import threading
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest
from test_register_mail import PASSWORD, free_port, smtp_server  # noqa: F401  (its local mail server)

from desks import PASSWORDS
from orders import PRICES
from registers import REQUEST, Desk, issued
from test_web_browser import WCAG, browser  # noqa: F401  (its Chromium)

pytestmark = pytest.mark.slow
PIID = "SPE2DE-27-F-1234"
SECOND = REQUEST.replace("procedures = 12", "procedures = 20")


@pytest.fixture
def served(tmp_path, smtp_server, monkeypatch):  # noqa: F811
    """A desk served on a loopback port whose profile sends through the local SMTP server and names the served
    address as `[web] base_url`; two quotes for W91ABC (the first revised) and a live link for the facility."""
    from waitress import create_server

    from procure.register import open_register
    from procure.register.accounts import add_user
    from procure.web import create_app

    port, inbox = smtp_server
    monkeypatch.setenv("PROCURE_SMTP_PASSWORD", PASSWORD)
    register = str(tmp_path / "register.sqlite")
    desk = Desk(register, tmp_path)
    first = issued(desk.issue())
    current = issued(desk.revise(first, SECOND, "--reason", "20 knees"))
    other = issued(desk.issue())
    with open_register(register) as store:
        add_user(store, "desk", "desk", PASSWORDS["desk"])
    web_port = free_port()
    url = f"http://127.0.0.1:{web_port}"
    profile = tmp_path / "desk.toml"
    profile.write_text(f'[vendor]\nname = "Desk Medical Supply"\ncage = "7DSK3"\nuei = "K7DSK3LMN4P5"\n'
                       f'email = "orders@desk.example.com"\n\n[preparer]\nname = "Alex Smith"\n'
                       f'email = "alex.smith@desk.example.com"\n\n[smtp]\nhost = "127.0.0.1"\nport = {port}\n'
                       f'security = "none"\nusername = "desk"\n\n[web]\nbase_url = "{url}"\n', encoding="utf-8")
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES, encoding="utf-8")
    made = desk("customer", "link", "W91ABC", "--profile", profile)
    assert made.exit_code == 0, made.stderr
    app = create_app(register, profile=str(profile), prices=str(prices))
    server = create_server(app, host="127.0.0.1", port=web_port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield {"url": url, "desk": desk, "profile": profile, "inbox": inbox, "first": first, "current": current,
           "other": other, "folder": tmp_path}
    server.close()


class Officer:
    """An officer at a browser, without an account."""

    def __init__(self, chromium, folder: Path):
        self.context = chromium.new_context(accept_downloads=True, viewport={"width": 1000, "height": 720})
        self.page = self.context.new_page()
        self.folder = folder
        self.cookies_set = []
        self.page.on("response", lambda r: self.cookies_set.append(r.url) if "/c/" in r.url and
                     r.header_value("set-cookie") else None)

    def check(self):
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": WCAG}})
        assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"

    def screenshot(self, name: str):
        folder = os.environ.get("PROCURE_SCREENSHOTS")
        if folder:
            self.page.screenshot(path=str(Path(folder) / name), full_page=False)


def test_the_officer_s_path_in_a_browser(browser, served):  # noqa: F811
    from procure.core.catalog_reader import shipped_catalog
    from procure.forms.write import render_form
    from procure.inputs import read_request

    desk, inbox, current, other = served["desk"], served["inbox"], served["current"], served["other"]
    sent = desk("quote", "send", current, "--to", "pat.lee@example.mil", "--profile", served["profile"])
    assert sent.exit_code == 0, sent.stderr
    message = email.message_from_bytes(inbox.received[-1][2], policy=policy.default)
    link = re.search(r"http://127\.0\.0\.1:\d+/c/[A-Za-z0-9_-]{43}", message.get_body(("plain",)).get_content())
    assert link, "the e-mail carries no link"

    officer = Officer(browser, served["folder"])
    page = officer.page
    page.goto(link[0])
    officer.check()
    quotes = page.get_by_role("table", name=re.compile("Quotes for DoDAAC W91ABC"))
    assert quotes.get_by_role("row", name=re.compile(f"{served['first']} .*replaced by {current}")).count() == 1
    officer.screenshot("officer-quotes.png")

    # the current revision: from the superseded one's row, to what replaced it
    quotes.get_by_role("row", name=re.compile(f"^{served['first']} ")).get_by_role("link", name=current).click()
    page.wait_for_url(re.compile(f"/{current}$"))
    officer.check()
    assert current in page.get_by_role("heading", level=1).inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    pdf = served["folder"] / "downloaded.pdf"
    download.value.save_as(pdf)
    verified = desk("quote", "verify", pdf)
    assert verified.exit_code == 0 and f"{current} .pdf" in verified.stdout and "status issued" in verified.stdout

    accept = page.get_by_role("form", name="Accept this quote")
    accept.get_by_label("Delivery order").fill(PIID)
    accept.get_by_label("Your name").fill("Maj. Pat Lee")
    accept.get_by_label("Your e-mail").fill("pat.lee@example.mil")
    first_line = accept.get_by_label("Quantity ordered, line 0001")
    quoted_quantity = int(first_line.input_value())
    first_line.fill(str(quoted_quantity - 1))
    officer.screenshot("officer-accept.png")
    accept.get_by_role("button", name="Accept quote").click()
    page.wait_for_load_state()
    officer.check()
    assert page.get_by_role("status").inner_text().startswith("Thank you, Maj. Pat Lee")
    listed = {q["number"]: q for q in json.loads(desk("quote", "list", "--json").stdout)["quotes"]}
    assert (listed[current]["status"], listed[current]["delivery_order"]) == ("accepted", "SPE2DE27F1234")
    assert Decimal(listed[current]["ordered_total"]) < Decimal(listed[current]["total"])
    told = email.message_from_bytes(inbox.received[-1][2], policy=policy.default)
    assert told["Subject"].startswith(f"{current} accepted online")

    # changes on the other quote
    page.get_by_role("navigation", name="Facility pages").get_by_role("link", name="Your quotes").click()
    page.get_by_role("link", name=other, exact=True).click()
    page.wait_for_load_state()
    changes = page.get_by_role("form", name="Ask for changes")
    changes.get_by_label("Message").fill("Please add a second handpiece.")
    changes.get_by_label("Your name").fill("Maj. Pat Lee")
    changes.get_by_label("Your e-mail").fill("pat.lee@example.mil")
    changes.get_by_role("button", name="Ask for changes").click()
    page.wait_for_load_state()
    officer.check()
    assert json.loads(desk("quote", "list", "--json").stdout)["quotes"][0]["changes_requested"] is True

    # a forwarded file checked
    page.get_by_role("navigation", name="Facility pages").get_by_role("link", name="Verify a file").click()
    page.wait_for_load_state()
    officer.check()
    page.get_by_label("Files to verify").set_input_files(str(pdf))
    page.get_by_role("button", name="Verify", exact=True).click()
    page.wait_for_load_state()
    officer.check()
    assert page.get_by_role("row", name=re.compile(f"downloaded.pdf.*{current}")).count() == 1

    # a new request from a filled form
    form = served["folder"] / "filled.xlsx"
    form.write_bytes(render_form(shipped_catalog().select(), read_request(text=REQUEST)))
    page.get_by_role("navigation", name="Facility pages").get_by_role("link", name="Send a new request").click()
    page.wait_for_load_state()
    officer.check()
    page.get_by_role("link", name="fill in the request here in the browser").click()
    page.wait_for_load_state()
    officer.check()
    assert page.get_by_label("Facility", exact=True).input_value() == "Public Example Clinic"
    page.get_by_role("link", name="Send a filled request form instead").click()
    page.wait_for_load_state()
    page.get_by_label("Request file").set_input_files(str(form))
    page.get_by_label("Your name").fill("Maj. Pat Lee")
    page.get_by_label("Your e-mail").fill("pat.lee@example.mil")
    officer.screenshot("officer-request.png")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_load_state()
    officer.check()
    assert "has your request filled.xlsx" in page.get_by_role("status").inner_text()
    assert officer.cookies_set == [], "a page of the link set a cookie"
    officer.context.close()

    # the desk finds it in its inbox, and opens it in the editor
    from test_web_browser import Session

    desk_user = Session(browser, served["url"], "desk", served["folder"])
    desk_user.check_accessibility()
    news = desk_user.page.get_by_role("region", name="From customers")
    for said in (f"{current} (Public Example Clinic) accepted online", f"{other} (Public Example Clinic): changes"):
        assert news.get_by_role("listitem").filter(has_text=said).count() == 1, said
    desk_user.go("Requests")
    inbox_table = desk_user.page.get_by_role("table", name="Requests received")
    assert inbox_table.get_by_role("row", name=re.compile("W91ABC.*Maj. Pat Lee.*filled.xlsx")).count() == 1
    desk_user.page.get_by_role("button", name=re.compile("^Prepare quote")).click()
    desk_user.page.wait_for_load_state()
    desk_user.check_accessibility()
    assert desk_user.page.get_by_label("Facility").input_value() == "Public Example Clinic"
    desk_user.close()
