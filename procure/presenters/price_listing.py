"""The register's price lists as `prices list|show|diff` print them: JSON (the keys of `list` are a contract) and
text."""

from procure.core.money import json_money
from procure.core.prices import PriceList
from procure.presenters.quote_listing import moment
from procure.register.contract_records import StoredPriceList
from procure.register.price_lists import Change
from procure.renderers.tables import money, text_table


def list_view(lists: list[StoredPriceList]) -> dict:
    """`prices list --json`: `{"price_lists": [{"id", "effective", "loaded_at", "loaded_by", "digest", "parts",
    "illustrative", ...}]}`, by effective date."""
    return {"price_lists": [{"id": p.id, "effective": p.effective.isoformat(), "loaded_at": moment(p.loaded_at),
                             "loaded_by": p.loaded_by, "digest": p.digest, "parts": p.parts,
                             "illustrative": p.illustrative, "name": p.name, "title": p.title, "note": p.note}
                            for p in lists]}


def list_text(lists: list[StoredPriceList], in_force: StoredPriceList | None) -> str:
    if not lists:
        return "No price lists: `procure prices load FILE --effective DATE` loads the contract's."
    return text_table(["Id", "Effective", "File", "Parts", "Loaded", "By", "Today", "Note"],
                      [[p.id, p.effective, p.name + (" (illustrative)" if p.illustrative else ""), p.parts,
                        moment(p.loaded_at), p.loaded_by, "in force" if in_force and p.id == in_force.id else "",
                        p.note or ""] for p in lists], right={0, 3})


def show_view(stored: StoredPriceList, prices: PriceList) -> dict:
    return {**list_view([stored])["price_lists"][0],
            "prices": [{"part": part, "unit_price": json_money(price)}
                       for part, price in sorted(prices.prices.items())]}


def show_text(stored: StoredPriceList, prices: PriceList) -> str:
    title = stored.name if stored.title == stored.name else f"{stored.title} ({stored.name})"
    rows = [("Price list", f"{stored.id}: {title}"), ("In force from", stored.effective),
            ("Loaded", f"{moment(stored.loaded_at)} by {stored.loaded_by}"), ("Digest", stored.digest),
            ("Note", stored.note), ("Illustrative", "yes: practice quotes only" if stored.illustrative else None)]
    lines = [f"{label:13}  {value}" for label, value in rows if value is not None]
    table = text_table(["Part", "Unit price"], [[part, money(price)] for part, price in sorted(prices.prices.items())],
                       right={1})
    return "\n".join([*lines, "", table])


def diff_view(old: StoredPriceList, new: StoredPriceList, found: list[Change]) -> dict:
    return {"from": old.id, "to": new.id,
            "changes": [{"part": c.part, "change": _kind(c), "old": json_money(c.old), "new": json_money(c.new),
                         "percent": None if c.percent is None else str(c.percent)} for c in found]}


def diff_text(old: StoredPriceList, new: StoredPriceList, found: list[Change]) -> str:
    """One line per part added, removed or repriced, with the old and new price and the change in per cent."""
    lines = [f"From {old.label} to {new.label}:"]
    if not found:
        return "\n".join([*lines, "  no price changed"])
    for c in found:
        shift = "" if c.percent is None else f" ({'+' if c.percent > 0 else ''}{c.percent}%)"
        lines.append(f"  {_kind(c):8} {c.part:12} {money(c.old)} -> {money(c.new)}{shift}")
    return "\n".join(lines)


def _kind(c: Change) -> str:
    return "added" if c.old is None else "removed" if c.new is None else "changed"
