"""Findings: what a rule found in a draft order, as data (docs/architecture.md lists the codes).

A finding is an error (the order cannot be placed as it stands) or a warning
(something to know). A few warnings of `check` and `plan` stop the outputs of
`build`: a written quote needs a price on every line and at least one line.
"""

from collections.abc import Iterable

from procure.core.record import Record

ERROR, WARNING = "error", "warning"

OUTPUT_BLOCKERS = frozenset({"missing-price", "nothing-to-order"})
"""Codes that are warnings while planning but keep an order from being rendered."""

CUSTOMER, INTERNAL = "customer", "internal"
CUSTOMER_CODES = frozenset({"illustrative-prices", "nerve-stimulator-required", "cpt-64640-cap",
                            "cpt-64624-modifier", "delivery-too-soon"})
"""Findings the customer reads on the PDF quote; every other code is a preparer's note (the workbook's Checks
sheet, `check` and `plan`), so a new code stays off the customer's copy until it is listed here."""


class Finding(Record):
    """A finding: something the user should fix (error) or know (warning)."""

    severity: str
    code: str
    """A finding code, such as `generation-mismatch`."""
    message: str
    """What is wrong and what to do about it."""
    subject: str
    """The part number, nerve code, treatment or file the finding is about."""
    source: str = ""
    """Where in the request, such as `request.toml:14`, when known."""

    @property
    def audience(self) -> str:
        """`customer` for findings printed on the customer's copy, else `internal`."""
        return CUSTOMER if self.code in CUSTOMER_CODES else INTERNAL


def errors_first(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings with the errors before the warnings, each group in the order found."""
    return tuple(sorted(findings, key=lambda i: i.severity != ERROR))


def as_output_blockers(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings as a written quote sees them: the output blockers raised to errors, errors first."""
    return errors_first(i._replace(severity=ERROR) if i.code in OUTPUT_BLOCKERS else i for i in findings)


def finding_line(finding: Finding) -> str:
    """`WARNING illustrative-prices: ... [request.toml:14]`: a finding as every plain-text output shows it."""
    where = f" [{finding.source}]" if finding.source else ""
    return f"{finding.severity.upper():7} {finding.code}: {finding.message}{where}"


def findings_text(findings: Iterable[Finding]) -> str:
    """Every finding on a line of its own, or `No findings.`."""
    return "\n".join(map(finding_line, findings)) or "No findings."


def verdict(findings: Iterable[Finding]) -> str:
    """`1 error(s), 2 warning(s).`"""
    found = tuple(findings)
    errors = sum(1 for i in found if i.severity == ERROR)
    return f"{errors} error(s), {len(found) - errors} warning(s)."
