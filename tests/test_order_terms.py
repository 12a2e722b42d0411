"""Terms a contracting officer can rely on, on every customer copy (PDF, HTML, text): payment as FAR 32.904(b)
states it, unique item identification for lines at or above the DFARS 252.211-7003 threshold, the remit-to
address, the PDF's "Manufacturer Part Number" column, a required delivery the lead time cannot meet said as a
customer note, and the coding estimate only when the preparer asks for it (issue 28)."""

import datetime
from pathlib import Path

import pytest
from test_customer_copies import document_texts

import procure
from procure.core.catalog_reader import shipped_catalog
from procure.forms.read import form_request
from procure.forms.write import render_form

from orders import GEN2, PRICES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DAY = datetime.date(2026, 1, 15)
PROFILE = procure.read_profile(EXAMPLES / "profile.toml")


def copies(request_text: str, prices: str = PRICES, profile=PROFILE) -> dict[str, str]:
    order = procure.build_order(procure.read_request(text=request_text), procure.shipped_catalog(),
                                prices=procure.read_price_list(text=prices, name="prices.csv"), profile=profile,
                                today=DAY)
    return {suffix: text for suffix, text in document_texts(procure.render(order)).items() if suffix != ".xlsx"}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return copies(GEN2)


def test_payment_is_the_later_of_thirty_days_after_invoice_and_after_acceptance(texts):
    for suffix, text in texts.items():
        assert "the later of the 30th day after the designated billing office receives a proper invoice and the " \
               "30th day after government acceptance of the supplies" in text, suffix
        assert "FAR 32.904(b)" in text and "Net 30" not in text and "net 30" not in text, suffix


def test_the_remit_to_address_is_on_every_copy(texts):
    for suffix, text in texts.items():
        assert "Remit to: Accounts Receivable, 5 Sylvan Way, Parsippany, NJ 07054" in text, suffix


def test_lines_at_or_above_the_iuid_threshold_say_they_carry_unique_item_identification(texts):
    # GEN2 quotes tips and cartridges only (all below $5,000): no IUID sentence
    assert all("unique item identification" not in text for text in texts.values())
    with_handpiece = copies(GEN2 + '\n[[line]]\npart = "IST2221"\nquantity = 1\n')
    for suffix, text in with_handpiece.items():
        assert "unique item identification" in text and "DFARS 252.211-7003" in text, suffix
        assert "0001" in text[text.index("unique item identification") - 200:], suffix
    at_threshold = copies(GEN2 + '\n[[line]]\npart = "IST2221"\nquantity = 1\n',
                          PRICES.replace("IST2221,9000.00", "IST2221,5000.00"))
    assert all("unique item identification" in text for text in at_threshold.values())
    below = copies(GEN2 + '\n[[line]]\npart = "IST2221"\nquantity = 1\n',
                   PRICES.replace("IST2221,9000.00", "IST2221,4999.99"))
    assert all("unique item identification" not in text for text in below.values())


def test_the_pdf_part_column_is_headed_as_on_the_workbook(texts):
    assert "Manufacturer Part Number" in texts[".pdf"] and "Manufacturer Part Number" in texts[".html"]


def test_a_required_delivery_the_lead_time_cannot_meet_is_a_note_to_the_customer():
    soon = copies(GEN2 + "\n[order]\nrequired_delivery = 2026-02-01\n")
    for suffix, text in soon.items():
        assert "Required by 2026-02-01" in text and "the earliest delivery is 2026-02-14" in text, suffix
    in_time = copies(GEN2 + "\n[order]\nrequired_delivery = 2026-02-14\n")
    assert all("earliest delivery" not in text for text in in_time.values())


def test_a_form_left_blank_under_reimbursement_asks_for_no_coding_estimate():
    version = shipped_catalog().select(at=DAY)
    plain = procure.read_request(text=GEN2)
    assert not form_request(render_form(version, plain), "form.xlsx").reimbursement
    asked = procure.read_request(text=GEN2 + '\n[reimbursement]\nsite = "ASC"\n')
    assert form_request(render_form(version, asked), "form.xlsx").reimbursement
