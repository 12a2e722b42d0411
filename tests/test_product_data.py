"""Product data as data: what a source states is recorded with its basis and shown; what none states is absent
and said to be unknown."""

import io
import json

import openpyxl
from pypdf import PdfReader

import procure

from orders import GEN2, PRICES, make_order

GTIN = "00812345678901"
KNOWN = f"""
[part.product]
udi_di = {{ value = "{GTIN}", basis = "FDA GUDID record (test)" }}
nsn = {{ value = "6515013335555", basis = "FLIS (test)" }}
hazmat = {{ un_number = "UN1070", class = "2.2", proper_shipping_name = "Nitrous oxide", basis = "vendor SDS (test)" }}
"""


def with_product(catalog_copy, part: str = "CRX2111-10", product: str = KNOWN):
    """The catalog copy with `[part.product]` added to one part."""
    [path] = catalog_copy.glob("*.toml")
    text = path.read_text(encoding="utf-8")
    anchor = f'part = "{part}"'
    head, tail = text.split(anchor, 1)
    end = tail.index("\n[[part]]") if "\n[[part]]" in tail else tail.index("\n# ---")
    path.write_text(head + anchor + tail[:end] + product + tail[end:], encoding="utf-8")
    return catalog_copy


def test_the_shipped_catalog_records_no_product_data_no_source_gives(run):
    for part in procure.shipped_catalog().versions[-1].parts:
        assert part.product == {}
    shown = run("catalog", "show", "CRX2111-10")
    assert "Unknown product data  UDI-DI (GTIN), NSN, Country of origin, Shelf life (months), Warranty, Hazmat" \
           in shown.stdout
    data = json.loads(run("catalog", "show", "CRX2111-10", "--json").stdout)
    assert data["product"] == {} and "hazmat" in data["product_unknown"]


def test_known_product_data_is_shown_with_its_basis_and_the_rest_as_unknown(run, catalog_copy):
    folder = with_product(catalog_copy)
    data = json.loads(run("--catalog", folder, "catalog", "show", "CRX2111-10", "--json").stdout)
    assert data["product"]["udi_di"] == {"value": GTIN, "basis": "FDA GUDID record (test)"}
    assert data["product"]["nsn"]["value"] == "6515-01-333-5555"
    assert data["product"]["hazmat"]["un_number"] == "UN1070"
    assert data["product_unknown"] == ["country_of_origin", "shelf_life_months", "warranty", "sds_url"]


def test_the_pdf_and_the_workbook_show_the_known_data(catalog_copy):
    catalog = procure.load_catalog(with_product(catalog_copy))
    files = procure.render(make_order(GEN2, PRICES, catalog=catalog))
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(files[".pdf"])).pages).split())
    assert "Product data" in pdf and GTIN in pdf and "UN1070, class 2.2, Nitrous oxide" in pdf
    ws = openpyxl.load_workbook(io.BytesIO(files[".xlsx"]))["Order"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in rows if r[0] == "Line")
    assert "UDI-DI (GTIN)" in header and "NSN" in header and "Warranty" not in header
    cartridge = next(r for r in rows if "CRX2111-10" in r)
    assert cartridge[header.index("UDI-DI (GTIN)")] == GTIN
    html = files[".html"].decode("utf-8")
    assert "Product data" in html and "6515-01-333-5555" in html


def test_without_product_data_no_column_or_table_appears():
    files = procure.render(make_order())
    assert "Product data" not in files[".html"].decode("utf-8")
    header = next(r for r in ([c.value for c in row] for row in openpyxl.load_workbook(
        io.BytesIO(files[".xlsx"]))["Order"].iter_rows()) if r[0] == "Line")
    assert "NSN" not in header


def test_a_bad_gtin_or_nsn_or_a_value_without_basis_is_a_catalog_problem(run, catalog_copy):
    folder = with_product(catalog_copy, product='\n[part.product]\nudi_di = { value = "00812345678900", basis = "x" }'
                                               '\nnsn = { value = "6515-01", basis = "x" }'
                                               '\nwarranty = { value = "1 year" }\n')
    result = run("--catalog", folder, "catalog", "check")
    assert result.exit_code == 1
    assert "is not a GTIN" in result.stderr + result.stdout
    assert "is not an NSN" in result.stderr + result.stdout
    assert "basis" in result.stderr + result.stdout
