"""Build the Order from a request, a catalog and a price list: the core's one entry point.

The pipeline, in one direction: select the catalog version in force and price
it, decide the equipment (handpieces and generation), plan the consumables, make
the priced lines, estimate the coding, run the rules, and assemble the Order.
No file is read here: the caller loads the request and the price list.
"""

import datetime

from procure.core import coding
from procure.core.arguments import DATE, TEXT, expect, kind
from procure.core.catalog import Assumption, Catalog, CatalogVersion
from procure.core.equipment import Equipment, equipment_of
from procure.core.errors import InputError, NotInForce
from procure.core.order import Order
from procure.core.planning import explicit_rows, plan_treatments
from procure.core.prices import PriceList, apply_prices
from procure.core.pricing import order_lines, order_total
from procure.core.profile import Profile
from procure.core.quote import quote_of
from procure.core.request import Request
from procure.core.rules import Draft, collect_findings


def build_order(request: Request, catalog: Catalog, *, prices: PriceList | None = None,
                profile: Profile | None = None, catalog_version: str | None = None,
                today: datetime.date | None = None) -> Order:
    """Plan, price and check an order; `catalog_version` pins a version instead of the one in force.

    `today` is the quote date when the request gives none.
    """
    expect("build_order", "request", request, kind(Request, "a Request (procure.read_request)"), optional=False)
    expect("build_order", "catalog", catalog, kind(Catalog, "a Catalog (procure.shipped_catalog or "
                                                            "procure.load_catalog)"), optional=False)
    expect("build_order", "prices", prices, kind(PriceList, "a PriceList (procure.read_price_list)"))
    expect("build_order", "profile", profile, kind(Profile, "a Profile (procure.read_profile)"))
    expect("build_order", "catalog_version", catalog_version, TEXT)
    expect("build_order", "today", today, DATE)
    quote = quote_of(request, today or datetime.date.today())
    try:
        version = catalog.select(at=quote.date, version=catalog_version)
    except NotInForce as e:
        problem = f"{e}; change the quote date or use a catalog that covers it"
        raise NotInForce(request.problem(("quote", "date"), problem) if request.quote_date
                         else f"{request.name}: {problem}", e.subject) from None
    if request.site is not None:  # a site is matched without regard to case: asc is ASC
        request = request._replace(site=next((s for s in version.fees.sites if s.lower() == request.site.lower()),
                                             request.site))
    if request.site is not None and request.site not in version.fees.sites:
        raise InputError(request.problem(("reimbursement", "site"), f"{request.site!r} is not a site of the fee "
                                                                    f"schedule; use one of: "
                                                                    f"{', '.join(version.fees.sites)}"))
    version = apply_prices(version, prices)
    equipment = equipment_of(request, version)
    plan = plan_treatments(request, version, equipment.generation, equipment.accepted)
    lines = order_lines(request, version, plan.packs)
    estimate = coding.estimate(request, version)
    findings = collect_findings(Draft(request=request, catalog=version, price_list=prices, quote=quote,
                                      equipment=equipment, plan=plan, lines=lines, profile=profile), estimate.findings)
    return Order(request=request, catalog=version, price_list=prices, quote=quote, lines=lines,
                 total=order_total(lines), derivation=plan.rows + explicit_rows(request, version), findings=findings,
                 coding=estimate.rows, coding_total=estimate.total,
                 assumptions=_assumptions(request, version, equipment), profile=profile)


def _assumptions(request: Request, version: CatalogVersion, equipment: Equipment) -> tuple[Assumption, ...]:
    """The planning and compatibility assumptions this order relies on, each once, in both voices."""
    planning, notes = version.planning, []
    if request.treatments:
        models = {version.targets[code].tip_model for t in request.treatments
                  for code in planning.nerves(t.nerves) if code in version.targets}
        notes += [Assumption(planning.tip_model_statement, planning.tip_model_basis),
                  *(Assumption(planning.tips_statement.get(m, ""), planning.tips_basis.get(m, ""))
                    for m in sorted(models)),
                  Assumption(planning.cartridges_statement, planning.cartridges_basis)]
        if any(not t.nerves for t in request.treatments):
            notes.append(Assumption(planning.default_nerves_statement, planning.default_nerves_basis))
    handpieces = {h.part for h in equipment.handpieces}
    notes += [Assumption(f"Compatibility: {c.reason}", c.basis) for c in version.compatibility
              if c.assumption and c.handpiece in handpieces]
    return tuple(dict.fromkeys(n for n in notes if n.statement or n.basis))
