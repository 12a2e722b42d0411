"""Every finding code the program can produce is in the table of findings (docs/requests.md) and exercised by a test.

The codes are read from the source (each `Finding(SEVERITY, "code", ...)`) and from the shipped catalog (the
codes of its prerequisites, and the coding notes of its CPT codes), so a new rule cannot be added without its
line in that table and a test.
"""

import ast
import functools
import re
from pathlib import Path

from procure.core.catalog_reader import shipped_catalog

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve()


@functools.cache
def produced_codes() -> frozenset[str]:
    """The codes the source and the shipped catalog can produce: read once a process, for the three tests."""
    found = set()
    for path in (REPO / "procure").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding" and len(node.args) > 1
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
                found.add(node.args[1].value)
    for version in shipped_catalog().versions:
        found.update(p.code for p in version.prerequisites)
        for fee in version.fees.codes.values():  # the coding notes are named after their CPT code
            found.update([f"cpt-{fee.cpt}-cap"] if fee.max_units else [])
            found.update([f"cpt-{fee.cpt}-modifier"] if fee.set else [])
    return frozenset(found)


def table_codes() -> set[str]:
    text = (REPO / "docs" / "requests.md").read_text(encoding="utf-8")
    table = text[text.index("## Findings"):]
    table = table[:table.index("\n## ", 1)]
    return {code for row in table.splitlines() if row.startswith("| `")
            for code in re.findall(r"`([a-z0-9-]+)`", row.split("|")[1])}


def test_the_source_produces_codes_at_all():
    assert {"unknown-part", "generation-mismatch", "nerve-stimulator-required", "quote-expired"} <= produced_codes()


def test_every_code_is_in_the_table_of_findings_and_every_row_is_a_code():
    assert produced_codes() - table_codes() == set(), "add these codes to the table of findings in docs/requests.md"
    assert table_codes() - produced_codes() == set(), "docs/requests.md lists codes the program never produces"


def test_every_code_is_exercised_by_a_test():
    tests = "".join(p.read_text(encoding="utf-8") for p in HERE.parent.glob("test_*.py") if p != HERE)
    untested = {code for code in produced_codes() if f'"{code}"' not in tests}
    assert untested == set(), "no test names these codes"
