"""The PDF quote: what it shows on which page, its fonts, and that a rebuild is byte-identical."""

import io
import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st
from pypdf import PdfReader

import procure
from procure.core.request import MAX_PER_PROCEDURE, MAX_PROCEDURES, MAX_QUANTITY, MAX_STOCK
from procure.renderers.pdf import coding_grid, lines_grid, planning_grid, render_pdf
from procure.renderers.pdfstyle import WIDTH, clean, markup
from procure.renderers.pdftables import PAD, SIZES, Grid, Text, cell_width, fit

from conftest import examples
from orders import GEN2, ILLUSTRATIVE, PRICES, make_order

EXAMPLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples"

TERMS = ("F.o.b. destination", "Delivery within 30 days after receipt of order", "Prompt Payment", "FAR 52.212-4(i)",
         "WAWF", "DFARS 252.232-7003", "DFARS 252.232-7006", "purchase card", "delivery orders placed through DLA ECAT",
         "Trade Agreements", "DFARS 252.225-7021", "252.225-7020", "returned-goods", "within 30 days of the invoice")
REPLACED = ("FAR 52.225-5", "FAR 52.225-6", "FAR 52.232-25")
"""FAR clauses a DoD contract for commercial products carries in their DFARS or FAR 52.212-4 form instead."""


def words(text: str) -> str:
    """Text with every run of whitespace (such as a line wrap) made one space."""
    return " ".join(text.split())


def pages(pdf: bytes) -> list[str]:
    return [words(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def tool(name: str) -> str:
    """The path of a poppler or qpdf tool: missing, it fails the test on CI and skips it elsewhere."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def pdf_file(tmp_path, pdf: bytes):
    path = tmp_path / "quote.pdf"
    path.write_bytes(pdf)
    return path


LARGE = (GEN2 + '\n[reimbursement]\nsite = "ASC"\n\n[[line]]\npart = "IST2221"\nquantity = 2500\n'
         '\n[[line]]\npart = "STT2309-5"\nquantity = 99999\n')
LARGE_PRICES = PRICES.replace("IST2221,9000.00", "IST2221,123456.78")


def at_the_limits(treatments: int = 3) -> tuple[str, str]:
    """A request and price list with every number as large as the readers accept (the totals larger still)."""
    head = GEN2.split("[[treatment]]")[0].replace("[equipment]", "[plan]\nspare_percent = 100\n\n[equipment]")
    blocks = "".join(f'\n[[treatment]]\nname = "Plan {i}"\nprocedures = {MAX_PROCEDURES}\n'
                     f'tips_per_procedure = {MAX_PER_PROCEDURE}\ncartridges_per_procedure = {MAX_PER_PROCEDURE}\n'
                     f'nerves = ["SLGN", "SMGN", "IMGN", "AFCN"]\n' for i in range(treatments))
    lines = "".join(f'\n[[line]]\npart = "{part}"\nquantity = {MAX_QUANTITY}\n'
                    for part in ("IST2221", "STT2309-5", "CRX2111-10"))
    request = (head + blocks + f'\n[reimbursement]\nsite = "ASC"\n\n[stock]\n"STT2309-5" = {MAX_STOCK}\n'
               + lines)
    prices = "".join(f"{row.split(',')[0]},9999999.99\n" if row[:1].isupper() else row + "\n"
                     for row in PRICES.splitlines())
    return request, prices


def plan_of(count: int, nerves=None) -> str:
    """A Gen 2 request with `count` treatments of distinct names, alternately anterior and genicular by default."""
    def nerves_of(i):
        chosen = nerves or (["AFCN", "ISN-S"] if i % 2 else ["SLGN", "SMGN", "IMGN"])
        return ", ".join(f'"{n}"' for n in chosen)

    blocks = "".join(f'\n[[treatment]]\nname = "Knee plan {i:03d}"\nprocedures = {i % 9 + 1}\n'
                     f'nerves = [{nerves_of(i)}]\n' for i in range(1, count + 1))
    return GEN2.split("[[treatment]]")[0] + blocks


@pytest.fixture
def gen2(tmp_path):
    return make_order()


@pytest.fixture(scope="module")
def gen2_pages() -> list[str]:
    """The text by page of the Gen 2 order's PDF, rendered once for the tests that only read it."""
    return pages(render_pdf(make_order()))


@pytest.fixture(scope="module")
def long_plan():
    """A plan of 150 treatments and its PDF, rendered once for the tests that only read it."""
    order = make_order(plan_of(150))
    return order, render_pdf(order)


def test_first_page_shows_quotation_contract_customer_and_page_count(gen2_pages):
    text = gen2_pages
    first = text[0]
    for needle in ("QUOTATION", "PQ-0001", "SPE2DE-21-D-7004", "Pacira BioSciences", "Public Example Clinic",
                   "W91ABC", "2026-01-15", "end of day", "version 2024-10-01", f"Page 1 of {len(text)}"):
        assert needle in first, needle


def test_the_customer_copy_carries_no_preparer_notes(gen2, gen2_pages):
    text = " ".join(gen2_pages)
    assert {"contract-period-unknown", "vendor-identity-incomplete", "fees-outdated"} <= {i.code for i in gen2.findings}
    for issue in gen2.findings:
        assert words(issue.message) not in text, issue.code
    for internal in ("not stated", "confirm with the vendor", "error(s)", gen2.catalog.short_digest, "FAR 13.004",
                     "spare of"):
        assert internal not in text, internal


def test_every_part_and_the_order_total_are_shown(gen2, gen2_pages):
    text = " ".join(gen2_pages)
    assert {line.part.part for line in gen2.lines} == {"STT2309-5", "STT2190-5", "CRX2111-10"}
    for line in gen2.lines:
        assert line.part.part in text
    assert "$6,000.00" in text


def test_terms_are_rendered_from_the_template(gen2_pages):
    text = " ".join(gen2_pages)
    for phrase in TERMS:
        assert phrase in text, phrase


def test_terms_cite_the_dod_clauses_and_none_they_replace(gen2_pages):
    text = " ".join(gen2_pages)
    for clause in REPLACED:
        assert clause not in text, clause


def test_a_user_template_folder_replaces_the_terms(gen2, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "quote-terms.txt.j2").write_text("Our own terms for {{ customer.facility }}.\n\nSecond one.\n",
                                               encoding="utf-8")
    text = " ".join(pages(render_pdf(gen2, folder)))
    assert "Our own terms for Public Example Clinic. Second one." in text
    assert "Prompt Payment" not in text


def test_a_rebuild_is_byte_identical(gen2):
    assert render_pdf(gen2) == render_pdf(gen2)


def test_every_page_of_a_long_plan_has_its_number_and_the_quote_number(long_plan):
    _, pdf = long_plan
    text = pages(pdf)
    assert len(text) >= 4
    for number, page in enumerate(text, 1):
        assert f"Page {number} of {len(text)}" in page
        assert "PQ-0001" in page


def test_the_derivation_header_repeats_on_every_page_it_spans(long_plan):
    order, pdf = long_plan
    consumables = {row.consumable for row in order.derivation}
    spanned = [page for page in pages(pdf) if any(c in page for c in consumables)]
    assert len(spanned) >= 3
    for page in spanned:
        assert "Treatment Consumable Procedures" in page


@pytest.mark.slow  # a long PDF
def test_notes_longer_than_a_page_split_over_pages(tmp_path):
    anterior = ["LFCN", "ILFCN", "AFCN", "MFCN", "IMFCN", "SPSN"]
    order = make_order(plan_of(150, anterior) + '\n[reimbursement]\n')
    assert len(order.customer_findings) >= 150
    text = " ".join(pages(render_pdf(order)))
    for issue in order.customer_findings:
        assert words(issue.message) in text


def watermark_pixels(tmp_path, pdf: bytes) -> list[int]:
    """How many pixels of the watermark's grey each page has, from the page as pdftoppm draws it."""
    from PIL import Image

    subprocess.run([tool("pdftoppm"), "-r", "30", "-png", str(pdf_file(tmp_path, pdf)), str(tmp_path / "page")],
                   check=True)
    counts = []
    for png in sorted(tmp_path.glob("page-*.png")):
        image = Image.open(png).convert("RGB")
        counts.append(image.tobytes().count(bytes((0xDA, 0xDA, 0xDA))))
    return counts


def test_illustrative_prices_are_watermarked_on_every_page(tmp_path):
    counts = watermark_pixels(tmp_path, render_pdf(make_order(plan_of(40), ILLUSTRATIVE)))
    assert len(counts) >= 2 and all(n > 200 for n in counts), counts


def layout_rows(tmp_path, pdf: bytes) -> list[str]:
    """The rows of quoted items as `pdftotext -layout` gives them (what a screen reader or a search reads)."""
    text = subprocess.run([tool("pdftotext"), "-layout", str(pdf_file(tmp_path, pdf)), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [line for line in text.splitlines() if "STT2309-5" in line or "CRX2111-10" in line]


def test_the_watermark_is_not_text_among_the_lines(tmp_path):
    plain = layout_rows(tmp_path, render_pdf(make_order(plan_of(40), ILLUSTRATIVE.replace("# illustrative = true\n",
                                                                                           ""))))
    marked = layout_rows(tmp_path, render_pdf(make_order(plan_of(40), ILLUSTRATIVE)))
    assert plain and marked == plain


def test_the_practice_stamp_is_outlines_across_the_page_and_words_at_its_top(tmp_path):
    """The page decoration draws any words as outlines: the practice stamp's word joins no line of items, while
    its line at the top of the page is text a reader reads."""
    order = make_order(plan_of(40))
    practice = render_pdf(order._replace(practice=True))
    assert [line.split() for line in layout_rows(tmp_path, practice)] == \
        [line.split() for line in layout_rows(tmp_path, render_pdf(order))]  # its top line may move the columns
    texts = pages(practice)
    assert all("PRACTICE QUOTE" in page for page in texts)
    assert all(page.count("PRACTICE") == page.count("PRACTICE QUOTE") for page in texts)


def test_the_watermark_words_are_not_text(tmp_path):
    order = make_order()
    marked = render_pdf(order._replace(price_list=order.price_list._replace(illustrative=True)))
    assert all(n > 200 for n in watermark_pixels(tmp_path, marked))
    text = " ".join(pages(marked))
    assert "ILLUSTRATIVE PRICES" not in text and "not contract prices" not in text


def test_the_document_is_dated_the_quote_date_with_title_author_subject(gen2):
    info = PdfReader(io.BytesIO(render_pdf(gen2))).metadata
    assert info["/CreationDate"].startswith("D:20260115") and info["/ModDate"].startswith("D:20260115")
    assert info["/Title"] == "Quotation PQ-0001" and info["/Author"] == "Pacira BioSciences, Inc."
    assert "SPE2DE-21-D-7004" in info["/Subject"] and "Public Example Clinic" in info["/Subject"]


@pytest.mark.parametrize("lines", [n if n % 4 == 0 else pytest.param(n, marks=pytest.mark.slow) for n in range(41)])
def test_the_signature_block_is_on_one_page(lines):
    """However long the order, the preparer's name, the signature rule and its labels share a page: each count of
    lines from 0 to 40 moves the block down the pages (every fourth count in the quick loop)."""
    profile = procure.read_profile(EXAMPLES / "profile.toml")
    order = make_order()
    quoted = tuple(order.lines[n % len(order.lines)]._replace(line=f"{n + 1:04d}") for n in range(lines))
    total = sum((line.extended_price for line in quoted), Decimal(0))
    texts = pages(render_pdf(order._replace(lines=quoted, total=total, profile=profile)))
    holding = [i for i, page in enumerate(texts) if "Prepared by" in page and "Signature" in page and "Date" in page
               and profile.preparer.name in page]
    assert len(holding) == 1, [("Prepared by" in t, "Signature" in t) for t in texts]


def test_contract_prices_carry_no_watermark(gen2, tmp_path):
    counts = watermark_pixels(tmp_path, render_pdf(gen2))
    assert counts and max(counts) < 20, counts


def test_text_outside_plain_ascii_is_shown_as_written(tmp_path):
    request = GEN2.replace('facility = "Public Example Clinic"',
                           'facility = "Landstuhl Regional Medical Center – Kaiserslautern"\n'
                           'contact = "Dr. Anna Bürger"\nship_to = "Bldg 3 → Dock 1 & <Gate> 漢"')
    text = " ".join(pages(render_pdf(make_order(request))))
    assert "Landstuhl Regional Medical Center – Kaiserslautern" in text
    assert "Dr. Anna Bürger" in text
    assert "Bldg 3 -> Dock 1 & <Gate> ?" in text


def test_characters_the_font_lacks_get_a_stand_in_and_markup_is_escaped():
    assert clean("– Bürger °") == "– Bürger °"
    assert clean("a→b\tc 漢") == "a->b c ?"
    assert markup("R&D <b>") == "R&amp;D &lt;b&gt;"


def test_a_long_description_and_treatment_name_wrap(tmp_path):
    name = "Anteriorkneeplan" * 6
    order = make_order(GEN2.replace('name = "Anterior knee"', f'name = "{name[:100]}"'))
    description = "Very long contract description " * 20 + "X" * 150
    first = order.lines[0]
    order = order._replace(lines=(first._replace(part=first.part._replace(description=description)),)
                           + order.lines[1:])
    text = " ".join(pages(render_pdf(order)))
    assert "Very long contract description Very long" in text
    for word in (name[:100], "X" * 150):
        assert word not in text, "a word wider than its column is broken over lines"
        assert word in text.replace(" ", "")


def test_missing_prices_print_as_a_dash(tmp_path):
    order = make_order(prices_text=None)
    assert order.total is None
    text = " ".join(pages(render_pdf(order)))
    quoted_items = text[text.index("Quoted items"):text.index("Planning basis")]
    assert "Total -" in quoted_items
    assert "$" not in quoted_items


def test_coding_estimate_with_fees_and_disclaimers_when_a_site_is_named(tmp_path):
    order = make_order(GEN2 + '\n[reimbursement]\nsite = "ASC"\n')
    text = " ".join(pages(render_pdf(order)))
    assert "Coding estimate" in text
    for needle in ("64640", "64624", "before multiple-procedure payment reductions", "provider is ultimately "
                   "responsible", order.catalog.fees.source[:40]):
        assert needle in text, needle
    for line in order.catalog.fees.disclaimers:
        assert words(line) in text
    assert f"${order.coding_total:,.2f}" in text


def test_no_coding_estimate_without_treatments(tmp_path):
    request = GEN2.split("[[treatment]]")[0] + '[[line]]\npart = "STT2309-5"\nquantity = 2\n'
    order = make_order(request)
    assert order.coding == ()
    text = " ".join(pages(render_pdf(order)))
    assert "Coding estimate" not in text
    assert "CPT" not in text


def test_qpdf_finds_the_file_sound(gen2, tmp_path):
    result = subprocess.run([tool("qpdf"), "--check", str(pdf_file(tmp_path, render_pdf(gen2)))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_font_is_embedded(tmp_path):
    order = make_order(GEN2 + '\n[reimbursement]\nsite = "ASC"\n', ILLUSTRATIVE)
    result = subprocess.run([tool("pdffonts"), str(pdf_file(tmp_path, render_pdf(order)))],
                            capture_output=True, text=True, check=True)
    header, _, *rows = result.stdout.splitlines()
    column = header.index("emb")
    assert rows
    for row in rows:
        assert "Vera" in row and row[column:column + 3] == "yes", row


def test_pdftotext_finds_every_part_and_the_total(gen2, tmp_path):
    result = subprocess.run([tool("pdftotext"), str(pdf_file(tmp_path, render_pdf(gen2))), "-"],
                            capture_output=True, text=True, check=True)
    for needle in ("PQ-0001", "SPE2DE-21-D-7004", "$6,000.00", *(line.part.part for line in gen2.lines)):
        assert needle in result.stdout, needle


def assert_fits(grid: Grid) -> None:
    """Every one-line cell of `grid` fits its column, padding included, and the columns fit the page."""
    size, widths = fit(grid)
    assert len(widths) == len(grid.rows[0])
    assert sum(widths) <= WIDTH + 1e-6
    for column, least in grid.least.items():
        assert widths[column] >= least
    for row in range(len(grid.rows)):
        for column, width in enumerate(widths):
            assert cell_width(grid, row, column, size) + 2 * PAD <= width, (grid.rows[row][column], width)


def test_large_amounts_and_quantities_print_as_separate_whole_numbers(tmp_path):
    order = make_order(LARGE, LARGE_PRICES)
    result = subprocess.run([tool("pdftotext"), "-layout", str(pdf_file(tmp_path, render_pdf(order))), "-"],
                            capture_output=True, text=True, check=True)
    tokens = result.stdout.split()
    for needle in ("$123,456.78", "$308,641,950.00", "2,500", "99,999", "100,002", "499,995",
                   f"${order.total:,.2f}"):
        assert needle in tokens, needle
    quoted = result.stdout[result.stdout.index("Quoted items"):result.stdout.index("Planning basis")]
    assert "0001 IST2221" in words(quoted)
    assert "EA 1 2,500 $123,456.78 $308,641,950.00" in words(quoted)
    assert "PK 5 100,002 $1,000.00 $100,002,000.00" in words(quoted)


def test_quantities_and_counts_have_thousands_separators(tmp_path):
    order = make_order(LARGE, LARGE_PRICES)
    text = " ".join(pages(render_pdf(order)))
    for needle in ("2,500", "100,002", "499,995", "2,500 x IST2221", "99,999 x STT2309-5"):
        assert needle in text, needle
    for bare in ("2500", "100002", "499995", "99999"):
        assert bare not in text.replace("$", " "), bare


def test_every_table_of_a_large_order_fits_its_columns(tmp_path):
    order = make_order(LARGE, LARGE_PRICES)
    for grid in (lines_grid(order), planning_grid(order), coding_grid(order)):
        assert_fits(grid)
        assert fit(grid).size == SIZES[0]


def test_every_table_fits_with_every_number_at_its_limit(tmp_path):
    request, prices = at_the_limits()
    order = make_order(request, prices)
    assert order.total >= 10 ** 12
    for grid in (lines_grid(order), planning_grid(order), coding_grid(order)):
        assert_fits(grid)
    pdf = render_pdf(order)
    assert pdf == render_pdf(order)
    text = " ".join(pages(pdf))
    assert f"${order.total:,.2f}" in text
    assert f"${order.coding_total:,.2f}" in text


def test_an_ordinary_order_keeps_its_layout(gen2, tmp_path):
    coded = make_order(GEN2 + '\n[reimbursement]\nsite = "ASC"\n')
    for grid in (lines_grid(gen2), planning_grid(gen2), coding_grid(coded)):
        fixed = sum(w for w in grid.widths if w is not None)
        assert fit(grid) == (8, tuple(WIDTH - fixed if w is None else w for w in grid.widths))


def test_numbers_take_room_from_the_text_columns_then_the_font_gets_smaller():
    def grid(digits):
        return Grid([["Name", "Note", "Amount"], [Text("a name"), Text("a note"), "9" * digits]],
                    (None, 100, 60), {0: 80, 1: 90})

    size, widths = fit(grid(20), width=300)
    assert size == 8 and widths[2] > 60 and widths[0] < 140 and widths[1] == 100
    size, widths = fit(grid(23), width=300)
    assert size == 8 and widths[0] == 80 and widths[1] < 100
    size, widths = fit(grid(30), width=300)
    assert size < 8 and widths[0] == 80 and 90 <= widths[1] <= 100
    for digits in (20, 23, 30):
        size, widths = fit(grid(digits), width=300)
        assert cell_width(grid(digits), 1, 2, size) + 2 * PAD <= widths[2]
        assert sum(widths) <= 300 + 1e-6


CELL_TEXT = st.one_of(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x17F), max_size=30),
                      st.sampled_from(["", "(a) b\\c", "two\nlines", "\u00e9t\u00e9 \u00a7 \u00b0", "x" * 60]))


@settings(max_examples=examples(40), deadline=None)
@given(rows=st.lists(st.lists(CELL_TEXT, min_size=3, max_size=3), min_size=1, max_size=12),
       align=st.sampled_from(["LEFT", "RIGHT", "CENTER"]), valign=st.sampled_from(["TOP", "MIDDLE", "BOTTOM"]),
       size=st.sampled_from([5, 7.5, 8]), bold_row=st.integers(0, 12))
def test_text_table_cells_are_drawn_as_reportlab_draws_them(rows, align, valign, size, bold_row):
    """`TextTable` writes a text cell's operators itself, far faster: the PDF must be reportlab's, byte for byte."""
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from procure.renderers.pdfstyle import BOLD, FONT, styles
    from procure.renderers.pdftables import TextTable

    styles()  # registers the fonts
    commands = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), size),
                ("FONTNAME", (0, bold_row), (-1, bold_row), BOLD), ("ALIGN", (1, 0), (-1, -1), align),
                ("VALIGN", (0, 0), (-1, -1), valign), ("TEXTCOLOR", (2, 0), (2, -1), "#1F3A5F")]

    def pdf(kind) -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, invariant=1)
        doc.build([kind(rows, colWidths=[120, 150, 200], style=TableStyle(commands))])
        return out.getvalue()

    assert pdf(TextTable) == pdf(Table)


STYLE_COMMAND = st.tuples(st.sampled_from(["FONTSIZE", "LEFTPADDING", "ALIGN"]),
                          st.tuples(st.integers(-6, 6), st.integers(-8, 8)), st.tuples(st.integers(-6, 6),
                                                                                   st.integers(-8, 8)),
                          st.integers(1, 9))


@settings(max_examples=examples(80), deadline=None)
@given(commands=st.lists(STYLE_COMMAND, max_size=5), rows=st.integers(1, 6), columns=st.integers(1, 4))
def test_styled_cells_style_every_cell_as_the_commands_say_cell_by_cell(commands, rows, columns):
    """`styled_cells` styles stretches of rows at once; each cell must get what the commands give it one by one,
    ranges past either end of the table included."""
    from procure.renderers.pdftables import CELL_ATTRIBUTES, styled_cells

    _, styles = styled_cells(list(commands), rows, columns)
    assert len(styles) == rows and all(len(row) == columns for row in styles)
    for row in range(rows):
        for column in range(columns):
            expected = {}
            for name, (c0, r0), (c1, r1), value in commands:
                c0, c1 = (c + columns if c < 0 else c for c in (c0, c1))
                r0, r1 = (r + rows if r < 0 else r for r in (r0, r1))
                if r0 <= row <= r1 and c0 <= column <= c1:
                    expected[CELL_ATTRIBUTES[name]] = value
            assert {a: getattr(styles[row][column], a) for a in expected} == expected
