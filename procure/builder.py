"""Build the Order from a request, the catalog and a price list: the core's one entry point."""

import datetime
from pathlib import Path

from procure import coding
from procure.catalog import Catalog, CatalogVersion
from procure.errors import InputError, NotInForce
from procure.money import extended, total
from procure.order import DerivationRow, Order, OrderLine, Quote
from procure.planning import plan_treatments
from procure.prices import read_price_list
from procure.request import Request
from procure.rules import Draft, find_issues, setup_of


def quote_of(request: Request, today: datetime.date) -> Quote:
    """The quote number (given, or derived from the date and the request's digest) and its dates."""
    date = request.quote_date or today
    number = request.quote_number or f"Q-{date:%Y%m%d}-{request.digest.removeprefix('sha256:')[:6].upper()}"
    return Quote(number, date, date + datetime.timedelta(days=request.valid_days), request.valid_days)


def build_order(request: Request, catalog: Catalog, *, prices: Path | str | None = None,
                catalog_version: str | None = None, today: datetime.date | None = None,
                building: bool = False) -> Order:
    """Plan, price and check an order. `prices` overrides the request's [pricing] price_list."""
    quote = quote_of(request, today or datetime.date.today())
    try:
        version = catalog.select(at=quote.date, version=catalog_version)
    except NotInForce as e:
        where = f"{request.where('quote', 'date')}: [quote] date" if request.quote_date else request.name
        raise NotInForce(f"{where}: {e}; change the quote date or use a catalog that covers it", e.subject) from None
    if request.site is not None and request.site not in version.fees.sites:
        raise InputError(f"{request.where('reimbursement', 'site')}: [reimbursement] site: {request.site!r} is not "
                         f"a site of the fee schedule; use one of: {', '.join(version.fees.sites)}")
    price_path = prices or request.price_list
    price_list = read_price_list(price_path, {p.part for p in version.parts}) if price_path else None
    if price_list:
        version = version.with_prices(price_list.prices)
    setup = setup_of(request, version)
    plan = plan_treatments(request, version, setup.generation, setup.accepted)
    lines = _lines(request, version, plan.packs)
    estimate = coding.estimate(request, version)
    draft = Draft(request, version, price_list, quote, setup, plan, lines, building)
    issues = find_issues(draft, estimate.issues)
    priced = [line.extended_price for line in lines]
    order_total = total(priced) if lines and None not in priced else None
    assert order_total is None or order_total == sum(priced), "the order total is not the sum of its lines"
    return Order(request, version, price_list, quote, lines, order_total, plan.rows + _explicit_rows(request, version),
                 issues, estimate.rows, estimate.total, _assumptions(version))


def _lines(request: Request, version: CatalogVersion, planned: dict[str, int]) -> tuple[OrderLine, ...]:
    explicit: dict[str, int] = {}
    for line in request.lines:
        if version.part(line.part):
            explicit[line.part] = explicit.get(line.part, 0) + line.quantity
    lines = []
    for part in version.parts:
        quantity = planned.get(part.part, 0) + explicit.get(part.part, 0)
        if quantity:
            price = part.unit_price
            lines.append(OrderLine(f"{len(lines) + 1:04d}", part, quantity, planned.get(part.part, 0),
                                   explicit.get(part.part, 0), price,
                                   extended(price, quantity) if price is not None else None))
    return tuple(lines)


def _explicit_rows(request: Request, version: CatalogVersion) -> tuple[DerivationRow, ...]:
    rows = []
    for i, line in enumerate(request.lines):
        part = version.part(line.part)
        if part:
            rows.append(DerivationRow(f"Explicit line {i + 1}", part.unit_name if part.consumable else part.description,
                                      None, None, line.quantity * part.units_per_pack,
                                      packs=f"{line.quantity:,} x {part.part}"))
    return tuple(rows)


def _assumptions(version: CatalogVersion) -> tuple[str, ...]:
    """The planning and compatibility assumptions the outputs print, each once."""
    planning = version.planning
    notes = [planning.tip_model_basis, *planning.tips_basis.values(), planning.cartridges_basis,
             planning.default_nerves_basis, *(f"Compatibility: {c.reason} {c.basis}".strip()
                                              for c in version.compatibility if c.assumption)]
    return tuple(dict.fromkeys(n for n in notes if n))
