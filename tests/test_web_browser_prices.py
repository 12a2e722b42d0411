"""Price lists and approval in a real browser (Debian's Chromium driven by Playwright, axe-core on every page): an
admin loads the contract's list on the Catalog page after seeing its changes, a desk user's quote over the
threshold waits, and an approver approves it from the quote page. Controls are found by their accessible names."""

import re

import pytest

from desks import PASSWORDS
from orders import PRICES
from registers import MORE
from test_web_browser import Session, browser, procure  # noqa: F401 (browser is a fixture)

pytestmark = pytest.mark.slow
PROFILE = """[vendor]
name = "Public Vendor"
cage = "3K7T9"
uei = "MNPQRSTV2345"

[preparer]
name = "Public Preparer"

[approval]
total_over = "5000.00"
"""


@pytest.fixture
def served(tmp_path):
    """A desk served over a fresh SQLite register with an admin, a desk user and an approver, and the approval
    rule of PROFILE; no price list of its own."""
    import threading

    from waitress import create_server

    from procure.web import create_app

    register = tmp_path / "register.sqlite"
    for name in ("admin", "desk", "approver"):
        added = procure("user", "add", name, "--role", name, "--password-stdin", "--register", register,
                        input=PASSWORDS[name] + "\n")
        assert added.returncode == 0, added.stderr
    profile = tmp_path / "desk.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    server = create_server(create_app(str(register), profile=str(profile)), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def test_an_admin_loads_a_list_and_an_approver_approves_a_held_quote(browser, served, tmp_path):  # noqa: F811
    prices = tmp_path / "contract.csv"
    prices.write_text(PRICES, encoding="utf-8")
    admin = Session(browser, served, "admin", tmp_path)
    admin.go("Catalog")
    page = admin.page
    page.get_by_label("Price list").set_input_files(str(prices))
    page.get_by_label("Effective date").fill("2026-01-01")
    page.get_by_label("Note").fill("Modification P00011")
    page.get_by_role("button", name="Show changes", exact=True).click()
    page.wait_for_load_state()
    admin.check_accessibility()
    assert page.get_by_text("no earlier list is in force on 2026-01-01").count() == 1
    assert page.get_by_role("table", name="Contract price lists in the register").count() == 0  # nothing loaded yet
    page.get_by_role("button", name="Load price list", exact=True).click()
    page.wait_for_load_state()
    admin.check_accessibility()
    history = page.get_by_role("table", name="Contract price lists in the register")
    assert history.get_by_role("row", name=re.compile("1 \\(in force today\\) 2026-01-01 contract.csv 10")).count() == 1

    dearer = tmp_path / "modification-12.csv"
    dearer.write_text(PRICES.replace("STT2309-5,1000.00", "STT2309-5,1100.00"), encoding="utf-8")
    page.get_by_label("Price list").set_input_files(str(dearer))
    page.get_by_label("Effective date").fill("2026-02-01")
    page.get_by_role("button", name="Show changes", exact=True).click()
    page.wait_for_load_state()
    admin.check_accessibility()
    changes = page.get_by_role("table", name=re.compile("Prices added, removed or changed"))
    assert changes.get_by_role("row", name=re.compile(r"STT2309-5 changed \$1,000.00 \$1,100.00 \+10.0%")).count() == 1
    page.get_by_role("button", name="Load price list", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("In force today: price list 2 (modification-12.csv)").count() == 1
    admin.close()

    request = tmp_path / "request.toml"
    request.write_text(MORE, encoding="utf-8")
    desk = Session(browser, served, "desk", tmp_path)
    desk.go("New quote")
    desk.page.get_by_label("Request file").set_input_files(str(request))
    desk.page.get_by_role("button", name="Issue quote", exact=True).click()
    desk.page.wait_for_url(re.compile(r"/quotes/Q-\d{4}-0001$"))
    desk.check_accessibility()
    number = desk.page.url.rsplit("/", 1)[-1]
    assert desk.page.get_by_role("heading", name="Awaiting approval").count() == 1
    assert desk.page.get_by_text(re.compile(r"total_over: the total \$[0-9,.]+ is over \$5,000.00")).count() == 1
    assert desk.page.get_by_role("button", name="Approve", exact=True).count() == 0
    desk.close()

    approver = Session(browser, served, "approver", tmp_path)
    approver.page.get_by_role("link", name="1 awaiting approval").click()
    approver.page.wait_for_load_state()
    approver.check_accessibility()
    approver.page.get_by_role("link", name=number, exact=True).click()
    approver.page.wait_for_load_state()
    approver.check_accessibility()
    approver.page.get_by_role("button", name="Approve", exact=True).click()
    approver.page.wait_for_load_state()
    approver.check_accessibility()
    assert approver.page.get_by_role("heading", name="Awaiting approval").count() == 0
    assert approver.page.get_by_text(re.compile("approved .* by approver")).count() == 1
    approver.close()
