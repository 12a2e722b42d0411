"""From planned treatments to whole packs, keeping every step as a derivation row.

Per treatment: each distinct tip model its nerves need counts tips_per_procedure
tips a procedure, and cartridges count cartridges_per_procedure a procedure
(catalog defaults unless the treatment overrides them). Per consumable: sum,
add the spare (rounded up), subtract the stock on hand (not below 0), then
choose packs (packing.choose_packs).
"""

from collections import defaultdict
from collections.abc import Collection, Iterator
from decimal import ROUND_CEILING, Decimal

from procure.core.catalog import CatalogVersion, Consumable, Part
from procure.core.packing import PackOption, choose_packs
from procure.core.record import Record
from procure.core.request import Request, Treatment


class DerivationRow(Record):
    """One step of the quantity derivation: a treatment's share of a consumable, or its total."""

    treatment: str
    consumable: str
    procedures: int | None
    per_procedure: int | None
    units: int
    spare: int | None = None
    stock: int | None = None
    net: int | None = None
    packs: str = ""
    """`1 x CRX0111-20 + 1 x CRX0111-10`; on total and explicit rows only."""
    is_total: bool = False
    stock_counted: str = ""
    """How the stock was counted, `3 PK STT2309-5 + 2 = 17`; on total rows with stock only."""


class Gap(Record):
    """A tip a treatment needs that the generation has no part for."""

    treatment: str
    tip_model: str | None
    """None when what the generation lacks is a cartridge."""
    nerve_stim: bool


class Plan(Record):
    packs: dict[str, int]
    """Planned packs by part number, in catalog order."""
    rows: tuple[DerivationRow, ...]
    gaps: tuple[Gap, ...]
    unused_stock: tuple[str, ...]
    """Stock entries for consumables no treatment needs."""


def plan_treatments(request: Request, version: CatalogVersion, generation: int | None,
                    accepted: Collection[str]) -> Plan:
    """Plan the consumables of every treatment for one generation's handpiece(s).

    `accepted` holds the parts some available handpiece accepts; only those are packed.
    """
    if generation is None:
        return Plan({}, (), (), ())
    shares: dict[Consumable, list[tuple[Treatment, int]]] = defaultdict(list)
    options_of: dict[Consumable, list[Part]] = {}
    gaps = []
    for treatment in request.treatments:
        for key, per in _consumables(treatment, version, generation):
            if key not in options_of:
                options_of[key] = [p for p in version.packs_of(key) if p.part in accepted]
            if options_of[key]:
                shares[key].append((treatment, per))
            else:
                gaps.append(Gap(treatment.name, key[2], key[3]))
    rows: list[DerivationRow] = []
    packs: dict[str, int] = {}
    used_stock: set[str] = set()
    position = {p.consumable: i for i, p in reversed(list(enumerate(version.parts)))}
    for key in sorted(shares, key=position.__getitem__):
        options = options_of[key]
        name = options[0].unit_name
        units = 0
        for treatment, per in shares[key]:
            rows.append(DerivationRow(treatment.name, name, treatment.procedures, per, treatment.procedures * per))
            units += treatment.procedures * per
        spare = int((units * request.spare_percent / Decimal(100)).to_integral_value(rounding=ROUND_CEILING))
        stock_parts = [p for p in version.packs_of(key) if p.part in request.stock]
        used_stock.update(p.part for p in stock_parts)
        stock, counted = stock_units(stock_parts, request)
        net = max(0, units + spare - stock)
        counts = choose_packs(net, [PackOption(p.units_per_pack, p.unit_price) for p in options])
        chosen = [(p, n) for p, n in zip(options, counts, strict=True) if n]
        chosen.sort(key=lambda pn: -pn[0].units_per_pack)
        rows.append(DerivationRow("All treatments", name, sum(t.procedures for t, _ in shares[key]), None,
                                  units, spare, stock, net, describe_packs(chosen), is_total=True,
                                  stock_counted=counted))
        for part, n in chosen:
            packs[part.part] = packs.get(part.part, 0) + n
    consumables = {p.part for p in version.parts if p.consumable is not None}
    unused = tuple(p for p in request.stock if p in consumables and p not in used_stock)
    ordered = {p.part: packs[p.part] for p in version.parts if p.part in packs}
    return Plan(ordered, tuple(rows), tuple(gaps), unused)


def stock_units(parts: list[Part], request: Request) -> tuple[int, str]:
    """The single units on hand of packs of one consumable, and how they were counted (`3 PK STT2309-5 + 2 = 17`)."""
    units, terms = 0, []
    for part in parts:
        count = request.stock[part.part]
        units += count.packs * part.units_per_pack + count.loose
        loose = f" + {count.loose:,}" if count.loose else ""
        terms.append(f"{count.packs:,} {part.unit_of_issue} {part.part}{loose}")
    return units, (f"{' + '.join(terms)} = {units:,}" if terms else "")


def describe_packs(chosen: list[tuple[Part, int]]) -> str:
    """`1 x CRX0111-20 + 1 x CRX0111-10`, or `none` when nothing is needed."""
    return " + ".join(f"{n:,} x {p.part}" for p, n in chosen) or "none"


def explicit_rows(request: Request, version: CatalogVersion) -> tuple[DerivationRow, ...]:
    """One derivation row per explicit [[line]] of a known part: its units, in packs of that part."""
    rows = []
    for i, line in enumerate(request.lines):
        part = version.part(line.part)
        if part:
            rows.append(DerivationRow(f"Explicit line {i + 1}", part.unit_name if part.consumable else part.description,
                                      None, None, line.quantity * part.units_per_pack,
                                      packs=f"{line.quantity:,} x {part.part}"))
    return tuple(rows)


def _consumables(treatment: Treatment, version: CatalogVersion,
                 generation: int) -> Iterator[tuple[Consumable, int]]:
    """(consumable key, units per procedure) for each consumable a treatment uses."""
    planning = version.planning
    models = []
    for code in version.planning.nerves(treatment.nerves):
        target = version.targets.get(code)
        if target and target.tip_model not in models:
            models.append(target.tip_model)
    for model in models:
        per = treatment.tips_per_procedure or planning.tips_per_procedure[model]
        yield (generation, "smart_tip", model, treatment.nerve_stim), per
    if models:
        yield (generation, "cartridge", None, False), (treatment.cartridges_per_procedure
                                                      or planning.cartridges_per_procedure)
