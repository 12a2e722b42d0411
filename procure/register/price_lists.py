"""Contract price lists kept in the register: loaded with the date they take effect, used by the quotes dated on
and after it, compared with each other.

`load` reads a list through the same readers as `--prices` (CSV or XLSX as vendors
write them) and checks it against the catalog version in force on its effective
date; an illustrative list loads only into a practice register. Once a register
holds a list, `priced` gives an issue the list in force on its quote date and
refuses any other (a `--prices` file, a request's own list, an upload on the web).
A register without price lists prices quotes as before.
"""

import datetime
from decimal import Decimal

from procure.core.catalog import Catalog
from procure.core.errors import InputError, RuleError
from procure.core.prices import PriceList, apply_prices, price_list_bytes, price_list_of_bytes
from procure.core.quote import quote_of
from procure.core.record import Record
from procure.register.contract_records import StoredPriceList
from procure.register.integrity import is_practice_register
from procure.register.store import Store
from procure.register.stored import utc_now

NOT_HERE = ("this register keeps its own contract price lists: a quote takes the list in force on its date "
            "(`procure prices list` shows them; `procure prices load FILE --effective DATE` adds one)")
"""Why a price list given with a quote is refused once the register holds price lists."""


class Change(Record):
    """One part's price from one list to another: added (no old price), removed (no new one) or changed."""

    part: str
    old: Decimal | None
    new: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        """The change in per cent of the old price, to one decimal; None for a part added or removed, or free."""
        if self.old is None or self.new is None or not self.old:
            return None
        return ((self.new - self.old) * 100 / self.old).quantize(Decimal("0.1"))


def read(path: str, catalog: Catalog, effective: datetime.date) -> tuple[PriceList, bytes]:
    """The price list file `path` read and checked against the catalog version in force on `effective`, and its
    bytes; InputError naming each row of a part that version does not know."""
    data = price_list_bytes(path)
    return checked(price_list_of_bytes(data, path), catalog, effective), data


def checked(prices: PriceList, catalog: Catalog, effective: datetime.date) -> PriceList:
    """`prices`, if the catalog version in force on `effective` knows every part of it."""
    apply_prices(catalog.select(at=effective), prices)
    return prices


def load(store: Store, prices: PriceList, data: bytes, *, effective: datetime.date, note: str | None,
         by: str) -> StoredPriceList:
    """Store the checked list `prices` (the file's `data` as given), in force from `effective`."""
    if prices.illustrative and not is_practice_register(store):
        raise RuleError(f"{prices.name}: not loaded: the list is illustrative (not contract prices); only a practice "
                        f"register (`procure register init --practice`) takes one: load the contract's price list")
    with store.writing():
        list_id = store.add_price_list(effective=effective, name=prices.name, title=prices.title, content=data,
                                       digest=prices.digest, parts=len(prices.prices),
                                       illustrative=prices.illustrative, note=(note or "").strip() or None,
                                       loaded_by=by, loaded_at=utc_now())
    loaded = store.price_list(list_id)
    assert loaded is not None
    return loaded


def parsed(store: Store, stored: StoredPriceList) -> PriceList:
    """The register's list `stored` read back from the bytes it was loaded from."""
    return price_list_of_bytes(store.price_list_content(stored.id), stored.name)


def named(store: Store, text: str) -> StoredPriceList:
    """The list whose id is `text`; InputError if there is none."""
    found = store.price_list(int(text)) if text.strip().isdigit() and len(text.strip()) < 16 else None
    if found is None:
        raise InputError(f"{text!r} is not the id of a price list in {store.target.shown} "
                         f"(`procure prices list` shows them)")
    return found


def on(store: Store, date: datetime.date) -> StoredPriceList:
    """The list in force on `date`; RuleError if none is."""
    found = store.price_list_on(date)
    if found is None:
        first = store.price_lists()
        raise RuleError(f"no price list of {store.target.shown} is in force on {date}" +
                        (f": the first takes effect on {first[0].effective}" if first else
                         ": the register holds none (`procure prices load FILE --effective DATE` adds one)"))
    return found


def priced(store: Store, source, today: datetime.date):
    """`source` (an `issuing.Source`) priced by the register's list in force on its quote date, and that list;
    `source` as it is, and None, when the register holds no price list. RuleError for a source that brings a
    price list of its own into a register that holds lists."""
    if not store.has_price_lists():
        return source, None
    if source.prices is not None:
        raise RuleError(f"{source.price_list_name or source.prices.name}: not used: {NOT_HERE}")
    stored = on(store, quote_of(source.request, today).date)
    data = store.price_list_content(stored.id)
    prices = price_list_of_bytes(data, stored.name)
    return source._replace(prices=prices, price_list_name=stored.name, price_list_bytes=data), stored


def changes(old: PriceList, new: PriceList) -> list[Change]:
    """Every part added, removed or repriced from `old` to `new`, by part number."""
    parts = sorted(set(old.prices) | set(new.prices))
    return [Change(part, old.prices.get(part), new.prices.get(part)) for part in parts
            if old.prices.get(part) != new.prices.get(part)]
