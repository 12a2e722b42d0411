"""The PDF quote: what it shows on which page, its fonts, and that a rebuild is byte-identical."""

import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from orders import GEN2, ILLUSTRATIVE, make_order
from procure.render_pdf import clean, markup, render_pdf

TERMS = ("F.o.b. destination", "FAR 13.302-1", "Prompt Payment", "FAR 52.232-25", "WAWF", "purchase card",
         "FAR 13.004", "Trade Agreements", "FAR 52.225-5", "returned-goods", "within 30 days of the invoice")


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
    return make_order(tmp_path)


@pytest.fixture
def long_plan(tmp_path):
    order = make_order(tmp_path, plan_of(150))
    return order, render_pdf(order)


def test_first_page_shows_quotation_contract_customer_and_page_count(gen2):
    text = pages(render_pdf(gen2))
    first = text[0]
    for needle in ("QUOTATION", "PQ-0001", "SPE2DE-21-D-7004", "Pacira BioSciences", "Public Example Clinic",
                   "W91ABC", "2026-01-15", "end of day", "not stated", gen2.catalog.short_digest,
                   f"Page 1 of {len(text)}"):
        assert needle in first, needle


def test_every_part_and_the_order_total_are_shown(gen2):
    text = " ".join(pages(render_pdf(gen2)))
    assert {line.part.part for line in gen2.lines} == {"STT2309-5", "STT2190-5", "CRX2111-10"}
    for line in gen2.lines:
        assert line.part.part in text
    assert "$6,000.00" in text


def test_terms_are_rendered_from_the_template(gen2):
    text = " ".join(pages(render_pdf(gen2)))
    for phrase in TERMS:
        assert phrase in text, phrase


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


def test_findings_longer_than_a_page_split_over_pages(tmp_path):
    anterior = ["LFCN", "ILFCN", "AFCN", "MFCN", "IMFCN", "SPSN"]
    order = make_order(tmp_path, plan_of(150, anterior))
    assert len(order.warnings) > 150
    text = " ".join(pages(render_pdf(order)))
    for issue in order.issues:
        assert words(issue.message) in text


def test_illustrative_prices_are_watermarked_on_every_page(tmp_path):
    text = pages(render_pdf(make_order(tmp_path, plan_of(40), ILLUSTRATIVE)))
    assert len(text) >= 2
    for page in text:
        assert "ILLUSTRATIVE PRICES" in page


def test_contract_prices_carry_no_watermark(gen2):
    for page in pages(render_pdf(gen2)):
        assert "ILLUSTRATIVE" not in page


def test_text_outside_plain_ascii_is_shown_as_written(tmp_path):
    request = GEN2.replace('facility = "Public Example Clinic"',
                           'facility = "Landstuhl Regional Medical Center – Kaiserslautern"\n'
                           'contact = "Dr. Anna Bürger"\nship_to = "Bldg 3 → Dock 1 & <Gate> 漢"')
    text = " ".join(pages(render_pdf(make_order(tmp_path, request))))
    assert "Landstuhl Regional Medical Center – Kaiserslautern" in text
    assert "Dr. Anna Bürger" in text
    assert "Bldg 3 -> Dock 1 & <Gate> ?" in text


def test_characters_the_font_lacks_get_a_stand_in_and_markup_is_escaped():
    assert clean("– Bürger °") == "– Bürger °"
    assert clean("a→b\tc 漢") == "a->b c ?"
    assert markup("R&D <b>") == "R&amp;D &lt;b&gt;"


def test_a_long_description_and_treatment_name_wrap(tmp_path):
    name = "Anteriorkneeplan" * 6
    order = make_order(tmp_path, GEN2.replace('name = "Anterior knee"', f'name = "{name[:100]}"'))
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
    order = make_order(tmp_path, prices_text=None)
    assert order.total is None
    text = " ".join(pages(render_pdf(order)))
    quoted_items = text[text.index("Quoted items"):text.index("Planning basis")]
    assert "Total -" in quoted_items
    assert "$" not in quoted_items


def test_coding_estimate_with_fees_and_disclaimers_when_a_site_is_named(tmp_path):
    order = make_order(tmp_path, GEN2 + '\n[reimbursement]\nsite = "ASC"\n')
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
    order = make_order(tmp_path, request)
    assert order.coding == ()
    text = " ".join(pages(render_pdf(order)))
    assert "Coding estimate" not in text
    assert "CPT" not in text


def test_qpdf_finds_the_file_sound(gen2, tmp_path):
    result = subprocess.run([tool("qpdf"), "--check", str(pdf_file(tmp_path, render_pdf(gen2)))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_font_is_embedded(tmp_path):
    order = make_order(tmp_path, GEN2 + '\n[reimbursement]\nsite = "ASC"\n', ILLUSTRATIVE)
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
