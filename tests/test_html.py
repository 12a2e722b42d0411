"""The accessible HTML copy: self-contained, in order, tables a screen reader can navigate, and no WCAG 2.1 A/AA
violation that axe-core finds in Chromium."""

import hashlib
import itertools
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import procure
from procure.renderers.html import render_html

from orders import GEN2, ILLUSTRATIVE, make_order

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
REQUESTS = sorted(p for p in EXAMPLES.glob("*.toml") if p.stem != "profile")
CHROMIUM = "/usr/bin/chromium"


class Page(HTMLParser):
    """What a check of the page needs: every start tag with its attributes, in order, and the text."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, name: str) -> list[dict]:
        return [attrs for tag, attrs in self.tags if tag == name]


def example_orders():
    catalog = procure.shipped_catalog()
    prices = procure.read_price_list(EXAMPLES / "prices-illustrative.csv")
    profile = procure.read_profile(EXAMPLES / "profile.toml")
    for path in REQUESTS:
        yield path.stem, procure.build_order(procure.read_request(path), catalog, prices=prices, profile=profile)


@pytest.mark.parametrize("name,order", list(example_orders()), ids=[p.stem for p in REQUESTS])
def test_every_example_page_has_lang_title_ordered_headings_and_captioned_scoped_tables(name, order):
    html = render_html(order).decode("utf-8")
    page = Page(html)
    assert page.all("html") == [{"lang": "en"}]
    assert page.all("title") and order.quote.number in html
    levels = [int(tag[1]) for tag, _ in page.tags if tag in ("h1", "h2", "h3", "h4")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    tables = [i for i, (tag, _) in enumerate(page.tags) if tag == "table"]
    assert tables
    for i in tables:
        assert page.tags[i + 1][0] == "caption", f"table #{tables.index(i) + 1} has no caption first"
    assert all(attrs.get("scope") in ("col", "row") for attrs in page.all("th"))
    for kind in ("script", "link", "img", "iframe", "object", "embed"):
        assert not page.all(kind), kind
    assert "http://" not in html and "https://" not in html and "url(" not in html


def test_the_html_copy_has_the_content_of_the_pdf():
    order = make_order(GEN2 + '\n[reimbursement]\nsite = "ASC"\n', ILLUSTRATIVE)
    text = " ".join(" ".join(Page(render_html(order).decode("utf-8")).text).split())
    for needle in ("Quotation PQ-0001", "SPE2DE-21-D-7004", "Public Example Clinic", "W91ABC", "$6,000.00",
                   "Planning basis", "Coding estimate", "Terms and notes", "DFARS 252.225-7021",
                   "ILLUSTRATIVE PRICES", *(line.part.part for line in order.lines),
                   *order.customer_assumptions, *(f.message for f in order.customer_findings)):
        assert " ".join(needle.split()) in text, needle


def test_the_html_copy_is_byte_reproducible():
    digests = {hashlib.sha256(render_html(make_order())).hexdigest() for _ in range(2)}
    assert len(digests) == 1


def test_user_text_is_escaped():
    order = make_order(GEN2.replace("Public Example Clinic", "<script>alert(1)</script> & Co"))
    html = render_html(order).decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


def test_build_writes_the_html_copy_unless_told_not_to(run, tmp_path):
    request = tmp_path / "r.toml"
    request.write_text(GEN2, encoding="utf-8")
    prices = tmp_path / "p.csv"
    prices.write_text(ILLUSTRATIVE, encoding="utf-8")
    assert run("build", request, "-o", tmp_path / "four", "--prices", prices).exit_code == 0
    assert sorted(p.suffix for p in (tmp_path / "four").iterdir()) == [".html", ".pdf", ".txt", ".xlsx"]
    assert run("build", request, "-o", tmp_path / "three", "--prices", prices, "--no-html").exit_code == 0
    assert sorted(p.suffix for p in (tmp_path / "three").iterdir()) == [".pdf", ".txt", ".xlsx"]
    for three in (tmp_path / "three").iterdir():
        assert (tmp_path / "four" / three.name).read_bytes() == three.read_bytes()


def chromium():
    """Playwright's Chromium on Debian's browser: missing, it fails the test on CI and skips it elsewhere."""
    missing = None
    try:
        from axe_playwright_python.sync_playwright import Axe  # noqa: F401
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError as e:
        missing = f"playwright or axe-playwright-python is not installed ({e})"
    if missing is None and not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing = f"{CHROMIUM} is not installed"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)


@pytest.mark.slow
def test_every_example_page_passes_axe_with_no_wcag_21_a_or_aa_violation():
    chromium()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                                    headless=True)
        try:
            page = browser.new_page()
            for name, order in example_orders():
                page.set_content(render_html(order).decode("utf-8"))
                result = axe.run(page, options={"runOnly": {"type": "tag",
                                                            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
                found[name] = [(v["id"], v["help"]) for v in result.response["violations"]]
        finally:
            browser.close()
    assert found and all(not v for v in found.values()), found


def test_a_practice_quote_and_illustrative_prices_say_so_at_the_top():
    order = make_order(GEN2, ILLUSTRATIVE)._replace(practice=True)
    page = Page(render_html(order).decode("utf-8"))
    text = " ".join(" ".join(page.text).split())
    heading = text.index("Quotation PQ-0001 ")  # the main heading (the title says "Quotation PQ-0001,")
    assert text.index("PRACTICE QUOTE - NOT AN OFFER") < heading
    assert text.index("ILLUSTRATIVE PRICES: not contract prices") < heading
    assert "PRACTICE" not in render_html(make_order()).decode("utf-8")
