"""The CPT coding estimate of each treatment, and fees when the request names a site.

How units count is catalog data (`[[fees.code]] units`): `per_nerve` counts each
nerve treated up to `max_units`; `per_set` counts one unit for any nerve of the
set and needs a modifier when not all of the set is treated.
"""

from decimal import Decimal

from procure.core.catalog import CatalogVersion, FeeCode
from procure.core.findings import WARNING, Finding
from procure.core.money import to_cents, total
from procure.core.record import Record
from procure.core.request import Request


class CodingRow(Record):
    """The coding estimate of one CPT code for one treatment; fees only when a site is named."""

    treatment: str
    cpt: str
    description: str
    nerves: tuple[str, ...]
    units: int
    """Per procedure."""
    procedures: int
    site: str | None = None
    site_label: str | None = None
    unit_fee: Decimal | None = None
    fee_per_procedure: Decimal | None = None
    total: Decimal | None = None


class Coding(Record):
    rows: tuple[CodingRow, ...]
    total: Decimal | None
    """The total of the fees, or None without a site."""
    findings: tuple[Finding, ...]


def estimate(request: Request, version: CatalogVersion) -> Coding:
    site = version.fees.sites.get(request.site) if request.site else None
    rows, findings = [], []
    codes_of: dict[tuple[str, ...], dict[str, list[str]]] = {}
    for index, treatment in enumerate(request.treatments):
        if treatment.nerves not in codes_of:  # treatments mostly share a few sets of nerves
            codes_of[treatment.nerves] = _nerves_by_code(version, treatment.nerves)
        for cpt, nerves in codes_of[treatment.nerves].items():
            fee = version.fees.codes[cpt]
            units, finding = _units(fee, nerves, treatment.name)
            if finding:
                findings.append(finding._replace(source=request.where("treatment", index, "nerves")))
            row = CodingRow(treatment.name, cpt, fee.description, tuple(nerves), units, treatment.procedures)
            if site:
                unit_fee = fee.rates[site.column]
                per_procedure = to_cents(unit_fee * units)
                row = row._replace(site=site.name, site_label=site.label, unit_fee=unit_fee,
                              fee_per_procedure=per_procedure, total=to_cents(per_procedure * treatment.procedures))
            rows.append(row)
    fees = total(r.total for r in rows if r.total is not None) if site else None
    return Coding(tuple(rows), fees, tuple(findings))


def _nerves_by_code(version: CatalogVersion, named: tuple[str, ...]) -> dict[str, list[str]]:
    """The nerves a treatment names (or the default set), by the CPT code each is billed under."""
    by_code: dict[str, list[str]] = {}
    for code in version.planning.nerves(named):
        target = version.targets.get(code)
        if target:
            by_code.setdefault(target.cpt, []).append(code)
    return by_code


def _units(fee: FeeCode, nerves: list[str], treatment: str) -> tuple[int, Finding | None]:
    """Units a procedure, and the warning of a capped or partial set (without its place in the request)."""
    if fee.units == "per_nerve":
        if fee.max_units and len(nerves) > fee.max_units:
            return fee.max_units, Finding(
                WARNING, f"cpt-{fee.cpt}-cap",
                f"Treatment {treatment!r} bills {len(nerves)} nerves under CPT {fee.cpt}, which allows at most "
                f"{fee.max_units} units a procedure: the estimate counts {fee.max_units}; review the nerves "
                f"with the coder.", treatment)
        return len(nerves), None
    missing = [code for code in fee.set if code not in nerves]
    if missing:
        return 1, Finding(
            WARNING, f"cpt-{fee.cpt}-modifier",
            f"Treatment {treatment!r} treats {len(fee.set) - len(missing)} of the {len(fee.set)} genicular nerves "
            f"of CPT {fee.cpt} (not {', '.join(missing)}): a modifier is required, usually 52 (reduced services); "
            f"verify with the vendor's Reimbursement Helpline.", treatment)
    return 1, None
