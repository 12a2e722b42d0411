"""The rules an order must keep, each a function from a draft order to findings.

`RULES` lists them all; `collect_findings` runs them in order and puts errors first.
Compatibility comes from the catalog's table, never from part numbers.
"""

import datetime

from procure.core.catalog import CatalogVersion
from procure.core.delivery_order import judge
from procure.core.equipment import Equipment
from procure.core.findings import ERROR, WARNING, Finding, errors_first
from procure.core.planning import Plan
from procure.core.prices import PriceList
from procure.core.pricing import OrderLine
from procure.core.profile import Profile
from procure.core.quote import Quote
from procure.core.record import Record
from procure.core.request import Request
from procure.core.tomlschema import Place


class Draft(Record):
    """Everything the rules judge: the inputs and what planning and pricing made of them."""

    request: Request
    catalog: CatalogVersion
    price_list: PriceList | None
    quote: Quote
    equipment: Equipment
    plan: Plan
    lines: tuple[OrderLine, ...]
    profile: Profile | None = None


def unknown_parts(d: Draft) -> list[Finding]:
    named: list[tuple[str, Place, str]] = [(n, ("equipment", "installed"), "[equipment] installed")
                                           for n in d.request.installed]
    named += [(line.part, ("line", i, "part"), f"[[line]] #{i + 1}") for i, line in enumerate(d.request.lines)]
    named += [(n, ("stock", n), "[stock]") for n in d.request.stock]
    return [Finding(ERROR, "unknown-part",
                  f"{where} names part {number}, which is not in catalog version {d.catalog.version} of contract "
                  f"{d.catalog.contract.display_number}: {_did_you_mean(number, d.catalog)}",
                  number, d.request.where(*path))
            for number, path, where in named if d.catalog.part(number) is None]


def _did_you_mean(number: str, catalog: CatalogVersion) -> str:
    """`did you mean STT2309-5?` when a part is one edit or one suffix (`-5`) away, else where to look."""
    stem = number.split("-")[0]
    close = [p.part for p in catalog.parts if _one_edit(number, p.part) or p.part.split("-")[0] == stem]
    if close:
        return f"did you mean {' or '.join(close)}?"
    return "check the part number (`procure catalog list` shows them)."


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by changing, adding or removing one character."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def not_a_handpiece(d: Draft) -> list[Finding]:
    return [Finding(ERROR, "not-a-handpiece",
                  f"[equipment] installed lists {number}, a {part.kind.replace('_', ' ')}: list only handpieces there "
                  f"(tips and cartridges on the shelf go under [stock]).", number,
                  d.request.where("equipment", "installed"))
            for number in d.request.installed if (part := d.catalog.part(number)) and part.kind != "handpiece"]


def unknown_nerves(d: Draft) -> list[Finding]:
    codes = ", ".join(d.catalog.targets)
    return [Finding(ERROR, "unknown-nerve",
                  f"Treatment {t.name!r} names nerve {code!r}, which the catalog does not know; use one of: {codes}.",
                  code, d.request.where("treatment", i, "nerves"))
            for i, t in enumerate(d.request.treatments) for code in t.nerves if code not in d.catalog.targets]


def no_handpiece(d: Draft) -> list[Finding]:
    consumables = [line.part for line in d.request.lines if _kind(d, line.part) not in (None, "handpiece")]
    if d.equipment.handpieces or not (consumables or d.request.treatments):
        return []
    subject = ", ".join(consumables) or "treatments"
    what = f"The order has {subject}" if consumables else "The order plans treatments"
    return [Finding(ERROR, "no-handpiece",
                  f"{what} but no handpiece is installed or ordered ({subject} need one): list the handpiece "
                  f"you own under [equipment] installed, or order one as a [[line]].",
                  subject, d.request.where("equipment"))]


def generation_mismatch(d: Draft) -> list[Finding]:
    findings = []
    owned = ", ".join(h.part for h in d.equipment.handpieces)
    if d.equipment.handpieces:
        for line in d.lines:
            if line.part.kind != "handpiece" and line.part.part not in d.equipment.accepted:
                fits = ", ".join(d.catalog.accepting_handpieces(line.part.part)) or "no handpiece"
                findings.append(Finding(ERROR, "generation-mismatch",
                                    f"{line.part.part} (Gen {line.part.generation}) does not fit the handpiece(s) "
                                    f"installed or ordered ({owned}); it fits {fits}. Remove the line or order a "
                                    f"handpiece it fits.", line.part.part, _line_source(d, line.part.part)))
    wanted = d.request.generation
    if wanted is not None and d.equipment.handpieces and wanted not in {h.generation for h in d.equipment.handpieces}:
        findings.append(Finding(ERROR, "generation-mismatch",
                            f"[plan] generation = {wanted}, but no Gen {wanted} handpiece is installed or ordered "
                            f"({owned}): change the generation or add the handpiece.", f"Gen {wanted}",
                            d.request.where("plan", "generation")))
    return findings


def ambiguous_generation(d: Draft) -> list[Finding]:
    generations = sorted({h.generation for h in d.equipment.handpieces})
    if d.request.generation is not None or len(generations) < 2 or not d.request.treatments:
        return []
    return [Finding(ERROR, "ambiguous-generation",
                  f"Handpieces of generations {' and '.join(map(str, generations))} are installed or ordered, so the "
                  f"treatments could use either: set [plan] generation to the one they are for.",
                  "[plan] generation", d.request.where("plan"))]


def no_nerve_stim_tip(d: Draft) -> list[Finding]:
    return [Finding(ERROR, "no-nerve-stim-tip",
                  f"Treatment {gap.treatment!r} asks for nerve stimulation, but Gen {d.equipment.generation} has no "
                  f"nerve-stim {gap.tip_model} Smart Tip: set nerve_stim = false or plan it on a generation "
                  f"that has one.", gap.treatment,
                  d.request.where("treatment", _treatment_index(d, gap.treatment), "nerve_stim"))
            for gap in d.plan.gaps]


def prerequisites(d: Draft) -> list[Finding]:
    ordered = {line.part.part for line in d.lines}
    return [Finding(WARNING, p.code,
                  f"{p.part} needs {p.requires}: make sure the facility has one, or order it separately.",
                  p.part, _line_source(d, p.part))
            for p in d.catalog.prerequisites if p.part in ordered]


def missing_price(d: Draft) -> list[Finding]:
    where = f"price list {d.price_list.name}" if d.price_list else "no price list"
    advice = "add it to the price list" if d.price_list else "give a price list with --prices or [pricing] price_list"
    return [Finding(WARNING, "missing-price", f"{line.part.part} has no unit price ({where}): {advice}.",
                  line.part.part, _line_source(d, line.part.part))
            for line in d.lines if line.unit_price is None]


def illustrative_prices(d: Draft) -> list[Finding]:
    if not (d.price_list and d.price_list.illustrative):
        return []
    return [Finding(WARNING, "illustrative-prices",
                  f"The price list {d.price_list.name} is marked illustrative: its prices are not contract prices. "
                  f"Use the vendor's contract price list before placing the order.", d.price_list.name)]


def contract_period(d: Draft) -> list[Finding]:
    contract = d.catalog.contract
    if contract.period_start is None and contract.period_end is None:
        return [Finding(WARNING, "contract-period-unknown",
                      f"The period of performance of contract {contract.display_number} is not in the catalog: "
                      f"confirm with the contracting office that it covers {d.quote.date} to {d.quote.valid_through}.",
                      contract.display_number)]
    problems = []
    if contract.period_start and d.quote.date < contract.period_start:
        problems.append((f"the quote date {d.quote.date} is before the contract starts ({contract.period_start})",
                         "change [quote] date"))
    if contract.period_end and d.quote.valid_through > contract.period_end:
        problems.append((f"the quote is valid through {d.quote.valid_through}, after the contract ends "
                         f"({contract.period_end})", "shorten [quote] valid_days or change the quote date"))
    return [Finding(ERROR, "contract-expired",
                  f"Contract {contract.display_number}: {problem}; {advice}, or use the catalog of the contract in "
                  f"force.", contract.display_number, d.request.where("quote"))
            for problem, advice in problems]


def stock_of_non_consumables(d: Draft) -> list[Finding]:
    findings = [Finding(WARNING, "stock-not-consumable",
                    f"[stock] lists {number}, a handpiece: stock counts only tips and cartridges; list owned "
                    f"handpieces under [equipment] installed.", number, d.request.where("stock", number))
              for number in d.request.stock if _kind(d, number) == "handpiece"]
    findings += [Finding(WARNING, "stock-unused",
                     f"[stock] lists {number}, but no planned treatment uses it, so it changes no quantity.",
                     number, d.request.where("stock", number))
               for number in d.plan.unused_stock]
    return findings


def nothing_to_order(d: Draft) -> list[Finding]:
    if d.lines or (d.request.treatments and d.equipment.generation is None):
        return []
    reason = ("the stock on hand covers every planned need" if d.request.treatments
              else "the request has no [[treatment]] and no [[line]]")
    return [Finding(WARNING, "nothing-to-order",
                  f"The order has no lines: {reason}. Add treatments or lines, or lower the [stock] figures.",
                  "order", d.request.where("treatment", 0) if d.request.treatments else d.request.file_name)]


def vendor_identity(d: Draft) -> list[Finding]:
    vendor = d.profile.vendor if d.profile else None
    missing = [label for label, value in (("CAGE code", vendor and vendor.cage), ("UEI", vendor and vendor.uei))
               if not value]
    if not missing:
        return []
    where = (f"the profile {d.profile.name} has no {' and no '.join(missing)}" if d.profile
             else "no profile was found (--profile, PROCURE_PROFILE or procure.toml here)")
    return [Finding(WARNING, "vendor-identity-incomplete",
                  f"The quote names the vendor without its {' or '.join(missing)}: {where}. WAWF invoices and "
                  f"delivery orders need them; add [vendor] cage and uei to the profile "
                  f"(`procure example --profile` prints one).", "vendor")]


def requisition_dodaac(d: Draft) -> list[Finding]:
    requisition, dodaac = d.request.references.requisition, d.request.customer.dodaac
    if not requisition or requisition[:6] == dodaac:
        return []
    return [Finding(WARNING, "requisition-dodaac",
                  f"[order] requisition {requisition} starts with DoDAAC {requisition[:6]}, but the customer's "
                  f"DoDAAC is {dodaac}: a MILSTRIP document number starts with the requisitioner's DoDAAC; "
                  f"check both.", requisition, d.request.where("order", "requisition"))]


def delivery_order(d: Draft) -> list[Finding]:
    """[order] delivery_order under the contract: its fiscal year (no later than that of the last day the quote is
    valid, when an order on it can still be placed) and its issuing office."""
    piid = d.request.references.delivery_order
    if piid is None:
        return []
    verdict = judge(piid, d.catalog.contract, d.quote.valid_through)
    where = d.request.where("order", "delivery_order")
    return ([Finding(ERROR, "delivery-order-year", f"[order] {text[0].upper()}{text[1:]}.", piid, where)
             for text in verdict.errors] +
            [Finding(WARNING, "delivery-order-office", f"[order] {text[0].upper()}{text[1:]}.", piid, where)
             for text in verdict.warnings])


def delivery_too_soon(d: Draft) -> list[Finding]:
    """A required delivery date the contract's delivery time cannot meet: a note on the customer's copy, so that
    "Required by" and "Delivery within 30 days" never contradict each other in silence."""
    wanted, lead = d.request.references.required_delivery, d.catalog.delivery.lead_time_days
    if wanted is None or lead is None:
        return []
    earliest = d.quote.date + datetime.timedelta(days=lead)
    if wanted >= earliest:
        return []
    return [Finding(WARNING, "delivery-too-soon",
                    f"Required by {wanted}: delivery under contract {d.catalog.contract.display_number} is within "
                    f"{lead} days after receipt of order, so for an order placed on the quote date the earliest "
                    f"delivery is {earliest}.",
                    str(wanted), d.request.where("order", "required_delivery"))]


def fees_outdated(d: Draft) -> list[Finding]:
    fees = d.catalog.fees
    if not d.request.treatments or fees.as_of.year >= d.quote.date.year:
        return []
    return [Finding(WARNING, "fees-outdated",
                  f"The coding estimate uses the CMS fee schedule as of {fees.as_of}, older than the quote's year "
                  f"{d.quote.date.year}: add a catalog version with the current schedule, or treat the fees "
                  f"as dated.", "fees")]


def customer_from_directory(d: Draft) -> list[Finding]:
    source = d.request.customer_source
    if source is None:
        return []
    c = d.request.customer
    return [Finding(WARNING, "customer-from-directory",
                  f"The request names DoDAAC {c.dodaac} without a facility: the facility ({c.facility}), ship-to, "
                  f"bill-to, mark-for and contact it leaves out are taken from {source}; check them before "
                  f"sending the quote.", c.dodaac, d.request.where("customer", "dodaac"))]


RULES = (unknown_parts, not_a_handpiece, unknown_nerves, no_handpiece, generation_mismatch, ambiguous_generation,
         no_nerve_stim_tip, prerequisites, missing_price, illustrative_prices, contract_period,
         stock_of_non_consumables, nothing_to_order, vendor_identity, requisition_dodaac, delivery_order,
         delivery_too_soon, fees_outdated, customer_from_directory)


def quote_expired(quote: Quote, today: datetime.date) -> list[Finding]:
    """Whether the quote has expired on `today`: a finding of the day it is run, never part of the outputs."""
    if not quote.expired_on(today):
        return []
    return [Finding(WARNING, "quote-expired",
                  f"The quote was valid through {quote.valid_through}, before today ({today}): change [quote] date "
                  f"or valid_days before sending it.", quote.number)]


def collect_findings(draft: Draft, more: tuple[Finding, ...] = ()) -> tuple[Finding, ...]:
    """Every finding of every rule (and `more` from elsewhere), errors first."""
    return errors_first([finding for rule in RULES for finding in rule(draft)] + list(more))


def _kind(d: Draft, number: str) -> str | None:
    part = d.catalog.part(number)
    return part.kind if part else None


def _line_source(d: Draft, number: str) -> str:
    for i, line in enumerate(d.request.lines):
        if line.part == number:
            return d.request.where("line", i, "part")
    return d.request.where("treatment", 0) if d.request.treatments else d.request.file_name


def _treatment_index(d: Draft, name: str) -> int:
    return next(i for i, t in enumerate(d.request.treatments) if t.name == name)
