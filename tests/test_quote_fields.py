"""What makes a quote actionable for a contracting office: the vendor's identity, the government's order
references, delivery, a customer copy free of preparer notes, and findings of staleness."""

import datetime
import io

import pytest
from pypdf import PdfReader

import procure

from conftest import assert_no_traceback
from orders import GEN2, PRICES, make_order, write

PROFILE = """[vendor]
name = "Pacira BioSciences, Inc."
cage = "1ABC2"
uei = "ABCDEFGH1234"
address = "5 Sylvan Way, Parsippany, NJ 07054"
remit_to = "PO Box 1, Parsippany, NJ 07054"

[preparer]
name = "Alex Smith"
title = "Government Customer Service"
email = "alex@example.com"
"""
ORDER = """
[order]
requisition = "W91ABC60150001"
delivery_order = "SPE2DE-26-F-1234"
fund_cite = "97X4930.5188 OPS 0001"
required_delivery = 2026-03-20
bill_to = "DFAS Columbus"
mark_for = "Pain Management Clinic"
"""


def pdf_text(order) -> str:
    pages = PdfReader(io.BytesIO(procure.render(order)[".pdf"])).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages)


def codes(order) -> set[str]:
    return {i.code for i in order.findings}


def with_profile(text=GEN2, profile=PROFILE):
    return procure.build_order(procure.read_request(text=text), procure.shipped_catalog(),
                               prices=procure.read_price_list(text=PRICES),
                               profile=procure.read_profile(text=profile) if profile else None,
                               today=datetime.date(2026, 1, 15))


# ---------------------------------------------------------------- profile

def test_the_pdf_names_the_vendor_by_cage_uei_and_the_preparer_signs():
    text = pdf_text(with_profile())
    for needle in ("CAGE 1ABC2", "UEI ABCDEFGH1234", "5 Sylvan Way", "Prepared by Alex Smith, Government Customer "
                   "Service", "Signature"):
        assert needle in text, needle


def test_the_workbook_header_carries_the_vendor_identity(tmp_path):
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(procure.render(with_profile())[".xlsx"]))
    values = {row[0]: row[1] for row in book["Order"].iter_rows(min_col=1, max_col=2, values_only=True) if row[0]}
    assert values["CAGE"] == "1ABC2" and values["UEI"] == "ABCDEFGH1234"
    assert values["Remit to"].startswith("PO Box 1") and values["Prepared by"].startswith("Alex Smith")


def test_without_cage_or_uei_the_preparer_is_warned_but_not_the_customer():
    for order in (with_profile(profile=None), with_profile(profile='[vendor]\ncage = "1ABC2"\n')):
        [issue] = [i for i in order.findings if i.code == "vendor-identity-incomplete"]
        assert issue.severity == "warning" and issue.audience == "internal"
        assert issue.message not in pdf_text(order)
    assert "vendor-identity-incomplete" not in codes(with_profile())


@pytest.mark.parametrize("text, key, words", [
    ('[vendor]\ncage = "1ABC"\n', "cage", "CAGE code"),
    ('[vendor]\ncage = "1abc2"\n', "cage", "CAGE code"),
    ('[vendor]\nuei = "ABCDEFGH123"\n', "uei", "Unique Entity ID"),
    ('[vendor]\nuei = "0BCDEFGH1234"\n', "uei", "not starting with 0"),
    ('[vendor]\nuei = "ABCDEFGHI234"\n', "uei", "without I or O"),
    ('[vendor]\ncage = 12345\n', "cage", "text in quotes"),
    ('[vendor]\nname = "x"\nwebsiet = "y"\n', "websiet", "unknown"),
    ('[preparer]\nname = ""\n', "name", "empty"),
    ('[vendor\n', None, "TOML"),
])
def test_a_bad_profile_exits_2_naming_the_file_and_key(run, tmp_path, text, key, words):
    profile = write(tmp_path, "desk.toml", text)
    result = run("check", write(tmp_path, "r.toml", GEN2), "--profile", profile)
    assert result.exit_code == 2, result.stderr
    assert_no_traceback(result)
    assert str(profile) in result.stderr and words in result.stderr
    if key:
        assert key in result.stderr


def test_the_profile_is_found_in_env_then_in_the_current_folder(run, tmp_path, monkeypatch):
    request = write(tmp_path, "r.toml", GEN2)
    write(tmp_path, "env.toml", PROFILE)
    result = run("check", request, "--json", env={"PROCURE_PROFILE": str(tmp_path / "env.toml")})
    assert "vendor-identity-incomplete" not in result.stdout
    monkeypatch.chdir(tmp_path)
    assert "vendor-identity-incomplete" in run("check", request, "--json").stdout
    write(tmp_path, "procure.toml", PROFILE)
    assert "vendor-identity-incomplete" not in run("check", request, "--json").stdout


def test_example_profile_is_a_valid_profile(run, tmp_path):
    result = run("example", "--profile")
    assert result.exit_code == 0
    profile = procure.read_profile(text=result.stdout)
    assert profile.vendor.cage and profile.vendor.uei and profile.preparer.name


# ---------------------------------------------------------------- [order] references

def test_order_references_appear_on_the_pdf_and_the_workbook():
    order = with_profile(GEN2 + ORDER)
    text = pdf_text(order)
    for needle in ("W91ABC60150001", "SPE2DE-26-F-1234", "97X4930.5188", "2026-03-20", "DFAS Columbus",
                   "Pain Management Clinic"):
        assert needle in text, needle
    summary = procure.render(order)[".txt"].decode()
    assert "Mark for:" in summary and "SPE2DE-26-F-1234" in summary
    assert order.request.references.delivery_order == "SPE2DE26F1234"


@pytest.mark.parametrize("line, key, words", [
    ('requisition = "W91ABC6015001"', "requisition", "W12ABC63310001"),
    ('requisition = "W91ABC60000001"', "requisition", "MILSTRIP"),       # day 000
    ('requisition = "W91ABC63670001"', "requisition", "MILSTRIP"),       # day 367
    ('requisition = "w91abc60150001"', "requisition", "MILSTRIP"),
    ('delivery_order = "SPE2DE-26-D-1234"', "delivery_order", "F in the ninth"),
    ('delivery_order = "SPE2DE-26-F-123"', "delivery_order", "13 characters"),
    ('delivery_order = "SPE2DO-26-F-1234"', "delivery_order", "no I or O"),
    ('required_delivery = "2026-03-20"', "required_delivery", "a date"),
    ('fund_cite = ""', "fund_cite", "empty"),
    ('mark_fr = "x"', "mark_fr", "unknown"),
])
def test_a_bad_order_reference_names_the_key_and_shows_a_correct_example(run, tmp_path, line, key, words):
    result = run("check", write(tmp_path, "r.toml", GEN2 + f"\n[order]\n{line}\n"))
    assert result.exit_code == 2, result.stderr
    assert_no_traceback(result)
    assert f"[order] {key}" in result.stderr and words in result.stderr, result.stderr


def test_a_requisition_of_another_dodaac_is_a_warning():
    order = with_profile(GEN2 + ORDER.replace("W91ABC60150001", "N0000160150001"))
    [issue] = [i for i in order.findings if i.code == "requisition-dodaac"]
    assert issue.severity == "warning" and "W91ABC" in issue.message and issue.source.startswith("request.toml:")
    assert "requisition-dodaac" not in codes(with_profile(GEN2 + ORDER))


def test_a_required_delivery_inside_the_lead_time_is_a_warning():
    soon = with_profile(GEN2 + ORDER.replace("2026-03-20", "2026-02-01"))  # quote 2026-01-15 + 30 days = 02-14
    [issue] = [i for i in soon.findings if i.code == "delivery-too-soon"]
    assert "2026-02-14" in issue.message
    assert "delivery-too-soon" not in codes(with_profile(GEN2 + ORDER.replace("2026-03-20", "2026-02-14")))


# ---------------------------------------------------------------- the customer copy

def test_the_coding_estimate_reaches_the_pdf_only_when_the_request_asks_for_it():
    assert "Coding estimate" not in pdf_text(with_profile())
    assert "Coding estimate" in pdf_text(with_profile(GEN2 + "\n[reimbursement]\n"))
    assert with_profile().coding, "the workbook's Plan sheet keeps the estimate always"


def test_a_gen_1_quote_carries_no_gen_2_notes_and_no_spare_sentence():
    text = GEN2.replace('"IST2221"', '"IST0221"')
    pdf = pdf_text(with_profile(text))
    assert "Gen 2" not in pdf and "spare of" not in pdf


def test_fees_older_than_the_quote_year_are_an_internal_warning():
    [issue] = [i for i in make_order().findings if i.code == "fees-outdated"]
    assert issue.audience == "internal" and "2024-10-01" in issue.message
    assert "fees-outdated" not in codes(make_order(GEN2.replace("date = 2026-01-15", "date = 2024-12-01")))


def test_an_expired_quote_is_reported_by_the_day_and_never_enters_the_files(run, tmp_path):
    request = write(tmp_path, "r.toml", GEN2)  # dated 2026-01-15, valid 30 days: expired by now
    prices = write(tmp_path, "p.csv", PRICES)
    assert "quote-expired" in run("check", request, "--prices", prices).stdout
    result = run("build", request, "--prices", prices, "-o", tmp_path / "out")
    assert result.exit_code == 0 and "quote-expired" in result.stderr
    files = procure.render(make_order())
    assert all(b"quote-expired" not in data for data in files.values())


def test_build_prints_warnings_with_their_place(run, tmp_path):
    text = GEN2 + ORDER.replace("W91ABC60150001", "N0000160150001")
    result = run("build", write(tmp_path, "r.toml", text), "--prices", write(tmp_path, "p.csv", PRICES),
                 "-o", tmp_path / "out")
    line = next(ln for ln in result.stderr.splitlines() if "requisition-dodaac" in ln)
    assert line.startswith("WARNING") and "[r.toml:" in line


# ---------------------------------------------------------------- frictions

def test_catalog_targets_lists_every_nerve_code(run):
    import json
    data = json.loads(run("catalog", "targets", "--json").stdout)
    assert {t["code"] for t in data["targets"]} >= {"AFCN", "ISN-S", "SLGN"}
    assert {t["cpt"] for t in data["targets"]} == {"64640", "64624"}
    assert "LFCN" in run("catalog", "targets").stdout


@pytest.mark.parametrize("header", ["Part Number,Unit Price", "part_number,unit_price", "PART,UNIT PRICE",
                                    "Manufacturer Part Number,Unit-Price"])
def test_price_list_headings_are_read_as_people_write_them(header):
    prices = procure.read_price_list(text=f"{header}\nist2221,9000.00\n")
    assert list(prices.prices) == ["IST2221"]


def test_the_text_summary_stays_within_100_characters():
    order = with_profile(GEN2.replace('name = "Anterior knee"', 'name = "' + "Very long treatment name " * 3 + '"')
                         + ORDER + "\n[reimbursement]\nsite = \"ASC\"\n")
    text = procure.render(order)[".txt"].decode()
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "Gen 2, iovera" in text


def test_the_json_of_a_finding_says_who_it_is_for(run, tmp_path):
    import json
    result = run("check", write(tmp_path, "r.toml", GEN2), "--prices", write(tmp_path, "p.csv", PRICES), "--json")
    audiences = {i["code"]: i["audience"] for i in json.loads(result.stdout)["issues"]}
    assert audiences["contract-period-unknown"] == "internal"
    illustrative = run("check", write(tmp_path, "r.toml", GEN2), "--prices",
                       write(tmp_path, "i.csv", "# illustrative\n" + PRICES), "--json")
    assert {i["code"]: i["audience"] for i in json.loads(illustrative.stdout)["issues"]}["illustrative-prices"] == \
        "customer"
