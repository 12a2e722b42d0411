"""Every document the customer receives (PDF, text summary, HTML copy, workbook) carries customer sentences only:
no internal basis of an assumption, no preparer's note, no clause DoD replaces, the contract's words for the tips.
Checked over every shipped example, with and without the example profile."""

import io
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

import procure

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
REQUESTS = sorted(p for p in EXAMPLES.glob("*.toml") if p.stem != "profile")


def words(text: str) -> str:
    return " ".join(text.split())


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def document_texts(files: dict[str, bytes]) -> dict[str, str]:
    """The words a reader finds in each customer document."""
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(files[".pdf"])).pages)
    html = _Text()
    html.feed(files[".html"].decode("utf-8"))
    book = openpyxl.load_workbook(io.BytesIO(files[".xlsx"]))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                     if c.value is not None)
    return {".pdf": words(pdf), ".txt": words(files[".txt"].decode("utf-8")), ".html": words(" ".join(html.parts)),
            ".xlsx": words(cells)}


def internal_sentences(version) -> list[str]:
    """Every basis the catalog gives for what it assumes: for the preparer, never the customer."""
    planning = version.planning
    return [words(s) for s in (planning.tip_model_basis, planning.cartridges_basis, planning.default_nerves_basis,
                               *planning.tips_basis.values(), *(c.basis for c in version.compatibility),
                               *(p.basis for p in version.prerequisites), version.delivery.basis) if s]


def cases():
    catalog = procure.shipped_catalog()
    prices = procure.read_price_list(EXAMPLES / "prices-illustrative.csv")
    for path in REQUESTS:
        for tag, profile in (("plain", None), ("profile", procure.read_profile(EXAMPLES / "profile.toml"))):
            order = procure.build_order(procure.read_request(path), catalog, prices=prices, profile=profile)
            yield pytest.param(order, id=f"{path.stem}-{tag}")


@pytest.mark.parametrize("order", list(cases()))
def test_customer_documents_carry_customer_sentences_only(order):
    texts = document_texts(procure.render(order))
    internal = internal_sentences(order.catalog)
    notes = [f for f in order.findings if f.audience != "customer"]
    assert internal and notes, "the example must have something to keep out"
    for suffix, text in texts.items():
        for sentence in internal:
            assert sentence not in text, f"{suffix} carries the internal basis {sentence!r}"
        for phrase in ("no public source", "not public", "confirm with the contracting office", "Inferred from"):
            assert phrase not in text, f"{suffix} carries {phrase!r}"
        for note in notes:
            assert note.code not in text and words(note.message) not in text, f"{suffix} carries {note.code}"
        for statement in order.customer_assumptions:
            assert words(statement) in text, f"{suffix} lacks the assumption {statement!r}"
        assert "1 x 90 mm" not in text, f"{suffix} restates the tips in other words than the contract's"
    for clause in ("DFARS 252.225-7021", "252.225-7020", "FAR 52.212-4(i)", "252.232-7003", "252.232-7006"):
        assert clause in texts[".pdf"] and clause in texts[".html"], clause
    for text in texts.values():
        for clause in ("52.225-5", "52.225-6", "52.232-25"):
            assert clause not in text, clause


def test_the_preparer_sees_the_basis_in_plan_and_json(run):
    request, prices = EXAMPLES / "request.toml", EXAMPLES / "prices-illustrative.csv"
    shown = run("plan", request, "--prices", prices)
    assert "Inferred from the structure of the contract sheet; no public source states it." in shown.stdout
    data = __import__("json").loads(run("plan", request, "--prices", prices, "--json").stdout)
    assert any("cycles per cartridge are not public" in a["basis"] for a in data["assumptions"])
    assert all(a["statement"] for a in data["assumptions"])


def test_an_assumption_with_a_basis_but_no_customer_sentence_is_a_catalog_problem(run, catalog_copy):
    [path] = catalog_copy.glob("*.toml")
    text = path.read_text(encoding="utf-8")
    cut = "\n".join(line for line in text.splitlines() if not line.startswith("cartridges_statement"))
    path.write_text(cut + "\n", encoding="utf-8")
    result = run("--catalog", catalog_copy, "catalog", "check")
    assert result.exit_code == 1
    assert "cartridges_statement" in result.stderr + result.stdout
    assert "the sentence the customer reads" in result.stderr + result.stdout
