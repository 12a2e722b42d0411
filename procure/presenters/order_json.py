"""Plain dictionaries of catalog records, for `--json` output (the keys are a contract)."""

from procure.core.catalog import CatalogVersion, Part
from procure.core.errors import NotInForce
from procure.core.findings import ERROR, Finding
from procure.core.money import json_money
from procure.core.order import Order
from procure.core.prices import PriceList


def part_view(part: Part) -> dict:
    specs = {k: (str(v) if k == "needle_length_mm" and v is not None else v)
             for k, v in part.specs._asdict().items() if v is not None}
    return {"part": part.part, "generation": part.generation, "kind": part.kind,
            "description": part.description, "unit_of_issue": part.unit_of_issue,
            "units_per_pack": part.units_per_pack, "unit_price": json_money(part.unit_price), "specs": specs}


def target_view(target) -> dict:
    return {"code": target.code, "name": target.name, "region": target.region, "tip_model": target.tip_model,
            "cpt": target.cpt}


def price_list_view(price_list: PriceList | None) -> dict | None:
    if price_list is None:
        return None
    return {"name": price_list.name, "title": price_list.title, "illustrative": price_list.illustrative,
            "digest": price_list.digest}


def part_detail_view(version: CatalogVersion, part: Part) -> dict:
    """A part with what it fits and what it needs."""
    rows = version.compatible_with(part.part)
    if part.kind == "handpiece":
        compatible = [n for row in rows for n in row.accepts]
    else:
        compatible = [row.handpiece for row in rows]
    return {"catalog": version.summary(), **part_view(part), "compatible_with": compatible,
            "compatibility": [{"handpiece": r.handpiece, "accepts": list(r.accepts), "reason": r.reason,
                               "assumption": r.assumption, "basis": r.basis} for r in rows],
            "prerequisites": [{"requires": p.requires, "basis": p.basis}
                              for p in version.prerequisites if p.part == part.part],
            "product": {key: {"value": fact.value, **dict(fact.detail), "basis": fact.basis}
                        for key, fact in part.product.items()},
            "product_unknown": list(part.unknown_product_data)}


def diff_view(old: CatalogVersion, new: CatalogVersion) -> dict:
    """Parts added, removed and changed (field by field) between two versions."""
    before = {p.part: part_view(p) for p in old.parts}
    after = {p.part: part_view(p) for p in new.parts}
    changed = []
    for number in after.keys() & before.keys():
        fields = {k: {"old": before[number][k], "new": after[number][k]}
                  for k in after[number] if before[number][k] != after[number][k]}
        if fields:
            changed.append({"part": number, "fields": fields})
    sections = [name for name in ("compatibility", "prerequisites", "targets", "planning", "fees", "contract")
                if getattr(old, name) != getattr(new, name)]
    contract = {k: {"old": _plain(v), "new": _plain(getattr(new.contract, k))}
                for k, v in old.contract._asdict().items() if v != getattr(new.contract, k)}
    return {"old": old.summary(), "new": new.summary(),
            "added": [after[n] for n in after if n not in before],
            "removed": [before[n] for n in before if n not in after],
            "changed": sorted(changed, key=lambda c: c["part"]),
            "other_sections_changed": sections, "contract_changed": contract}


def _plain(value):
    """A JSON-ready value: dates as ISO text."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def order_view(order: Order) -> dict:
    """The `--json` of `check` and `plan`."""
    return _order_keys(
        catalog=order.catalog.summary(),
        quote={"number": order.quote.number, "date": order.quote.date.isoformat(),
               "valid_through": order.quote.valid_through.isoformat()},
        price_list=price_list_view(order.price_list),
        lines=[{"line": line.line, "part": line.part.part, "description": line.part.description,
                "quantity": line.quantity, "unit_of_issue": line.part.unit_of_issue,
                "units_per_pack": line.part.units_per_pack, "unit_price": json_money(line.unit_price),
                "extended_price": json_money(line.extended_price), "planned": line.planned,
                "explicit": line.explicit} for line in order.lines],
        total=json_money(order.total),
        issues=[finding_view(i) for i in order.findings],
        derivation=[row._asdict() for row in order.derivation],
        assumptions=[a._asdict() for a in order.assumptions],
        reimbursement=[{"treatment": r.treatment, "cpt": r.cpt, "description": r.description,
                        "nerves": list(r.nerves), "units": r.units, "procedures": r.procedures,
                        "site": r.site, "unit_fee": json_money(r.unit_fee),
                        "fee_per_procedure": json_money(r.fee_per_procedure), "total": json_money(r.total)}
                       for r in order.coding],
        reimbursement_total=json_money(order.coding_total),
        reimbursement_notes=[order.catalog.fees.source, *order.catalog.fees.disclaimers] if order.coding else [])


def not_in_force_view(error: NotInForce) -> dict:
    """The `--json` of `check` and `plan` when no catalog version covers the quote date: the same keys, no order."""
    return _order_keys(issues=[finding_view(Finding(ERROR, error.code, str(error), error.subject))])


def finding_view(finding: Finding) -> dict:
    return {"severity": finding.severity, "code": finding.code, "message": finding.message,
            "subject": finding.subject, "source": finding.source, "audience": finding.audience}


def _order_keys(*, catalog=None, quote=None, price_list=None, lines=(), total=None, issues=(), derivation=(),
                assumptions=(), reimbursement=(), reimbursement_total=None, reimbursement_notes=()) -> dict:
    """Every key of an order's JSON, so that every shape of it has the same keys."""
    return {"catalog": catalog, "quote": quote, "price_list": price_list, "lines": list(lines), "total": total,
            "issues": list(issues), "derivation": list(derivation),
            "assumptions": list(assumptions), "reimbursement": list(reimbursement),
            "reimbursement_total": reimbursement_total, "reimbursement_notes": list(reimbursement_notes)}
