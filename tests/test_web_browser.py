"""The desk in a real browser: Debian's Chromium driven by Playwright against a served register, the whole story
of issue 19, with axe-core (WCAG 2.1 A and AA) on every page.

Controls are found by their accessible names (what a screen reader announces), never by markup. Without Chromium
or Playwright these tests skip on a workstation and fail in CI (`CI` set). `PROCURE_SCREENSHOTS=DIR` saves the
pictures of the README and the desk guide.
"""

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desks import PASSWORDS
from orders import PRICES
from registers import FOUR_LINES, REQUEST

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PROFILE = Path(__file__).resolve().parent.parent / "examples" / "profile.toml"
"""The example profile, made the desk's own (its CAGE and UEI no longer the example's) in `desk`."""
WRONG_TIP = REQUEST + '\n[[line]]\npart = "STT0309-5"\nquantity = 1\n'
"""A Gen 1 Smart Tip beside a Gen 2 handpiece: a generation mismatch that names the Lines cell of a form."""


def _missing(what: str):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: CI must install it (.ci/run)")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        _missing("Chromium (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists()
                                              else shutil.which("chromium"), headless=True)
        yield launched
        launched.close()


def procure(*args, input=None):
    """Run the installed `procure` command, as an administrator at a terminal would."""
    return subprocess.run([sys.executable, "-m", "procure", *map(str, args)], input=input, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PROCURE_CATALOG": ""}, check=False)


@pytest.fixture
def desk(tmp_path):
    """A served desk over a fresh SQLite register (waitress in a thread, on a free loopback port) whose first
    user, the admin, was added with `procure user add`."""
    from waitress import create_server

    from procure.web import create_app

    register = tmp_path / "register.sqlite"
    added = procure("user", "add", "admin", "--role", "admin", "--password-stdin", "--register", register,
                    input=PASSWORDS["admin"] + "\n")
    assert added.returncode == 0, added.stderr
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES, encoding="utf-8")
    profile = tmp_path / "desk.toml"
    profile.write_text("".join(line for line in PROFILE.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith("placeholder")).replace('"1ABC2"', '"7DSK3"')
                       .replace('"ABCDEFGH1234"', '"K7DSK3LMN4P5"'), encoding="utf-8")
    app = create_app(str(register), profile=str(profile), prices=str(prices))
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", register
    server.close()


def axe_clean(page):
    """axe-core finds no WCAG 2.1 A or AA violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


class Session:
    """One person at one browser, signed in."""

    def __init__(self, browser, url: str, name: str, folder: Path):
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 1000})
        self.page = self.context.new_page()
        self.url, self.folder = url, folder
        self.page.goto(f"{url}/quotes")
        assert self.page.url.startswith(f"{url}/login")
        self.check_accessibility()
        self.page.get_by_label("User name").fill(name)
        self.page.get_by_label("Password").fill(PASSWORDS[name])
        self.page.get_by_role("button", name="Sign in", exact=True).click()
        self.page.wait_for_url(f"{url}/quotes")

    def check_accessibility(self):
        axe_clean(self.page)

    def go(self, link: str):
        self.page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()
        self.page.wait_for_load_state()
        self.check_accessibility()

    def screenshot(self, name: str):
        folder = os.environ.get("PROCURE_SCREENSHOTS")
        if folder:
            self.page.screenshot(path=str(Path(folder) / name), full_page=False)

    def close(self):
        self.context.close()


def test_the_desk_story_in_a_browser(browser, desk, tmp_path):
    from procure.core.catalog_reader import shipped_catalog
    from procure.forms.write import render_form
    from procure.inputs import read_request

    url, register = desk
    page_of = {}

    # The admin adds the desk, the approver and a viewer on the Users page.
    admin = Session(browser, url, "admin", tmp_path)
    admin.go("Users")
    for name, role in (("desk", "desk"), ("approver", "approver"), ("viewer", "viewer")):
        admin.page.get_by_label("User name").fill(name)
        admin.page.get_by_label("Role").select_option(role)
        admin.page.get_by_label("Password").fill(PASSWORDS[name])
        admin.page.get_by_role("button", name="Add user", exact=True).click()
        admin.page.wait_for_load_state()
    admin.check_accessibility()
    assert admin.page.get_by_role("row", name=re.compile("approver approver")).count() == 1
    admin.close()

    # The desk uploads a filled form, checks it and meets a finding that names its cell.
    desk_ = Session(browser, url, "desk", tmp_path)
    page = desk_.page
    form = tmp_path / "form.xlsx"
    form.write_bytes(render_form(shipped_catalog().select(), read_request(text=WRONG_TIP)))
    desk_.go("New quote")
    page.get_by_label("Request file").set_input_files(str(form))
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    desk_.check_accessibility()
    findings = page.get_by_role("table", name="Findings, errors first")
    assert findings.get_by_role("row", name=re.compile("generation-mismatch.*form.xlsx: Lines!A")).count() == 1
    assert page.get_by_role("button", name="Issue quote", exact=True).is_disabled()
    assert page.get_by_role("table", name=re.compile("Quoted items")).count() == 1
    page.get_by_role("heading", name=re.compile("Plan of")).scroll_into_view_if_needed()
    desk_.screenshot("web-new-quote-check.png")

    # ... fixes it in the browser editor, checks again and issues.
    page.get_by_role("button", name="Edit in the browser", exact=True).click()
    page.wait_for_load_state()
    desk_.check_accessibility()
    assert page.get_by_label("Facility").input_value() == "Public Example Clinic"
    page.get_by_label("Part of line 1").select_option("STT2309-5")
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("No errors: this order can be issued.").count() == 1
    page.get_by_role("button", name="Issue quote", exact=True).click()
    page.wait_for_url(re.compile(r"/quotes/Q-\d{4}-0001$"))
    desk_.check_accessibility()
    number = page.url.rsplit("/", 1)[-1]
    assert number in page.get_by_role("heading", level=1).inner_text()
    page_of[number] = page.url

    # ... downloads the PDF, which `procure quote verify` knows as issued.
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    pdf = tmp_path / "downloaded.pdf"
    download.value.save_as(pdf)
    verified = procure("quote", "verify", pdf, "--register", register)
    assert verified.returncode == 0 and f"{number} .pdf" in verified.stdout and "status issued" in verified.stdout
    desk_.go("Verify")
    page.get_by_label("Files to verify").set_input_files(str(pdf))
    page.get_by_role("button", name="Verify", exact=True).click()
    page.wait_for_load_state()
    desk_.check_accessibility()
    assert page.get_by_role("link", name=number).count() == 1

    # ... e-mails it as a draft to open in a mail program, and finds the facility in the directory.
    page.goto(page_of[number])
    page.get_by_label("E-mail to").fill("buyer@example.mil")
    with page.expect_download() as download:
        page.get_by_role("button", name="E-mail draft", exact=True).click()
    assert download.value.suggested_filename == f"{number}.eml"
    desk_.go("Customers")
    page.get_by_role("link", name="W91ABC", exact=True).click()
    page.wait_for_load_state()
    desk_.check_accessibility()
    assert page.get_by_role("row", name=re.compile(f"{number}.*issued")).count() == 1

    # ... revises it with a reason: the R1 page shows the changes.
    page.goto(page_of[number])
    page.get_by_role("button", name="Revise", exact=True).click()
    page.wait_for_load_state()
    desk_.check_accessibility()
    page.get_by_label("Reason").fill("Twelve more knees")
    page.get_by_role("group", name="Treatment 1").get_by_label("Procedures").fill("24")
    page.get_by_role("button", name="Issue revision", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/quotes/{number}-R1"), page.inner_text("main")[-2500:]
    desk_.check_accessibility()
    assert page.get_by_role("heading", name=f"Changes from {number}").count() == 1
    assert page.get_by_text("Twelve more knees").count() >= 1
    desk_.screenshot("web-quote-page.png")

    # ... and issues another from a TOML request, for the approver to void.
    desk_.go("New quote")
    toml = tmp_path / "request.toml"
    toml.write_text(REQUEST, encoding="utf-8")
    page.get_by_label("Request file").set_input_files(str(toml))
    page.get_by_role("button", name="Issue quote", exact=True).click()
    page.wait_for_url(re.compile(r"/quotes/Q-\d{4}-0002$"))
    other = page.url.rsplit("/", 1)[-1]
    desk_.go("Quotes")
    desk_.screenshot("web-quotes.png")
    desk_.go("Catalog")
    desk_.close()

    # The approver accepts the revision with a delivery order and voids the other quote.
    approver = Session(browser, url, "approver", tmp_path)
    page = approver.page
    page.get_by_role("link", name=f"{number}-R1").click()
    page.get_by_label("Delivery order").fill("SPE2DE-27-F-1234")
    page.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_load_state()
    approver.check_accessibility()
    assert "accepted (delivery order SPE2DE27F1234)" in page.inner_text("main")
    page.goto(f"{url}/quotes/{other}")
    page.get_by_label("Reason").fill("The clinic ordered elsewhere")
    page.get_by_role("button", name="Void", exact=True).click()
    page.wait_for_load_state()
    assert "void (The clinic ordered elsewhere)" in page.inner_text("main")
    assert page.get_by_role("row", name=re.compile("void.*approver")).count() == 1
    approver.close()

    # A viewer sees no action buttons, and a forged POST is refused and changes nothing.
    viewer = Session(browser, url, "viewer", tmp_path)
    page = viewer.page
    page.goto(page_of[number])
    viewer.check_accessibility()
    for action in ("Revise", "Accept", "Void"):
        assert page.get_by_role("button", name=action, exact=True).count() == 0
    assert page.get_by_role("link", name="New quote").count() == 0
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    forged = viewer.context.request.post(f"{url}/quotes/{number}/void",
                                         form={"csrf_token": token, "reason": "forged"})
    assert forged.status == 403
    page.reload()
    assert "superseded by" in page.inner_text("main")
    viewer.close()

    listed = procure("quote", "list", "--json", "--register", register)
    statuses = {q["number"]: (q["status"], q["issued_by"]) for q in __import__("json").loads(listed.stdout)["quotes"]}
    assert statuses == {number: ("superseded", "desk"), f"{number}-R1": ("accepted", "desk"),
                        other: ("void", "desk")}


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_demo_desk_signs_in_with_the_sign_in_it_prints(browser, tmp_path):
    """`procure serve --demo`, with PROCURE_REGISTER naming a real register that it must not touch: the printed
    sign-in opens a desk whose every page says PRACTICE and lists an example quote of every status."""
    import time
    import urllib.request

    real = tmp_path / "real.sqlite"
    assert procure("user", "add", "admin", "--role", "admin", "--password-stdin", "--register", real,
                   input=PASSWORDS["admin"] + "\n").returncode == 0
    before = real.read_bytes()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "procure", "serve", "--demo", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PROCURE_CATALOG": "", "PROCURE_REGISTER": str(real)})
    try:
        printed = [server.stdout.readline().rstrip("\n") for _ in range(2)]
        assert [line.split(" ", 1)[0] for line in printed] == ["user", "password"], printed
        name, password = (line.split(" ", 1)[1] for line in printed)
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        page = context.new_page()

        page.goto(f"{url}/quotes")
        assert page.url.startswith(f"{url}/login")
        assert "PRACTICE" in page.inner_text("header")
        axe_clean(page)
        page.get_by_label("User name").fill(name)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(f"{url}/quotes")
        axe_clean(page)
        assert "PRACTICE" in page.inner_text("header")
        table = page.get_by_role("table", name="Quotes in the register, newest first")
        for status in ("issued", "superseded by", "accepted", "void", "expired"):
            assert table.get_by_role("row", name=re.compile(status)).count() >= 1, status
        table.get_by_role("row", name=re.compile("issued demo$")).get_by_role("link").click()
        page.wait_for_load_state()
        axe_clean(page)
        assert "PRACTICE" in page.inner_text("header")
        assert page.get_by_role("button", name="Accept", exact=True).count() == 0
        for link in ("Customers", "Catalog", "Verify", "New quote"):
            page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()
            page.wait_for_load_state()
            axe_clean(page)
            assert "PRACTICE" in page.inner_text("header"), link
        context.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert real.read_bytes() == before


def test_an_order_that_leaves_out_a_line_in_a_browser(browser, desk, tmp_path):
    """The approver accepts the $22,100.00 quote with a delivery order for everything but the handpiece: a
    quantity above the quote's is refused with everything typed kept, an amount that differs from the ordered
    lines is refused until "Record the difference" is ticked, then the delivery order block shows the line left
    out and the ordered total; axe finds nothing on any of these pages."""
    url, register = desk
    added = procure("user", "add", "approver", "--role", "approver", "--password-stdin", "--register", register,
                    input=PASSWORDS["approver"] + "\n")
    assert added.returncode == 0, added.stderr
    request = tmp_path / "four-lines.toml"
    request.write_text(FOUR_LINES, encoding="utf-8")
    done = procure("quote", "issue", request, "-o", tmp_path / "out", "--prices", tmp_path / "prices.csv",
                   "--register", register)
    assert done.returncode == 0, done.stderr
    number = done.stdout.split()[1]

    approver = Session(browser, url, "approver", tmp_path)
    page = approver.page
    page.goto(f"{url}/quotes/{number}")
    approver.check_accessibility()
    assert page.get_by_label("Quantity ordered, line 0002").input_value() == "7"
    page.get_by_label("Delivery order").fill("SPE2DE-27-F-0042")
    page.get_by_label("Quantity ordered, line 0001").fill("0")
    page.get_by_label("Quantity ordered, line 0002").fill("9")
    page.get_by_label("Order amount").fill("13100.00")
    page.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_load_state()
    approver.check_accessibility()
    assert page.get_by_role("alert").get_by_text(re.compile("9 ordered is more than the 7 quoted")).count() == 1
    assert page.get_by_label("Delivery order").input_value() == "SPE2DE-27-F-0042"
    assert page.get_by_label("Quantity ordered, line 0001").input_value() == "0"
    assert page.get_by_label("Order amount").input_value() == "13100.00"

    page.get_by_label("Quantity ordered, line 0002").fill("7")
    page.get_by_label("Order amount").fill("13000.00")  # as the order states it, $100 short of its lines
    page.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").get_by_text(re.compile(r"\$13,000.00 differs .* \$13,100.00")).count() == 1
    page.get_by_label("Record the difference").check()
    page.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_url(f"{url}/quotes/{number}")
    approver.check_accessibility()  # with the note that the amounts differ
    assert page.get_by_role("status").get_by_text(re.compile("recorded as the order states it")).count() == 1
    block = page.get_by_role("region", name="Delivery order")
    assert "$13,100.00 of $22,100.00 quoted" in block.inner_text()
    left_out = block.get_by_role("table", name="Lines the order leaves out or takes fewer of")
    assert left_out.get_by_role("row", name=re.compile("0001 IST2221")).count() == 1
    assert left_out.get_by_role("row").count() == 2  # the heading and the handpiece
    assert page.get_by_role("button", name="Accept", exact=True).count() == 0
    approver.close()
