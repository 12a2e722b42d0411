"""The request file: what a facility plans and wants quoted (docs/requests.md).

`read_toml_request` checks types, ranges, required and unknown keys and raises one
InputError listing every problem, each naming the file, line and key. A filled
Excel request form is read into the same shape (`procure.forms.read`) and
checked by the same `request_from`, its problems naming cells; `procure.inputs`
chooses between the two.
References to the catalog (part numbers, nerve codes) are checked later, as
findings, because they depend on the catalog version in force.

A request may name only its DoDAAC, without a facility, when the caller passes a
`directory`: a function from a DoDAAC to what a customer directory knows of it
(`Known`), such as the quote register's (`procure.register.facility_directory`). The keys
the request leaves out are then taken from it, and `Request.customer_source`
says where they came from; the core never reads a register itself.
"""

import datetime
import os
import re
from collections.abc import Callable
from decimal import Decimal

from procure.core.arguments import FilePath
from procure.core.catalog import piid_display
from procure.core.characters import printable
from procure.core.digest import digest
from procure.core.errors import InputError
from procure.core.record import Record
from procure.core.tomlschema import Checker, Document, Locating, Place, parse_toml
from procure.core.user_files import read_text

QUOTE_NUMBER = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"
DODAAC = r"[A-Z0-9]{6}"
REQUISITION = r"[A-Z0-9]{6}[0-9](?:00[1-9]|0[1-9][0-9]|[12][0-9]{2}|3[0-5][0-9]|36[0-6])[A-Z0-9]{4}"
"""MILSTRIP document number: DoDAAC, ordinal date YDDD (last digit of the year, day 001-366), serial."""
DELIVERY_ORDER = r"[A-HJ-NP-Z0-9]{6}[0-9]{2}F[A-HJ-NP-Z0-9]{4}"
"""PIID of a delivery order (FAR 4.1603): office, fiscal year, F, serial; 13 characters, no I or O."""
MAX_PROCEDURES = 100_000
MAX_QUANTITY = 100_000
MAX_STOCK = 1_000_000
MAX_PER_PROCEDURE = 20
EARLIEST_DATE, LATEST_DATE = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)
SECTIONS = ("quote", "customer", "order", "equipment", "pricing", "plan", "treatment", "stock", "line",
            "reimbursement")
ORDER_TEXTS = ("fund_cite", "bill_to", "mark_for")


class Customer(Record):
    facility: str
    dodaac: str
    contact: str | None = None
    email: str | None = None
    phone: str | None = None
    ship_to: str | None = None


class Known(Record):
    """What a customer directory knows of one DoDAAC, in the request's own keys."""

    customer: dict[str, str | None]
    """Keys of [customer] (`facility`, `dodaac`, `contact`, `email`, `phone`, `ship_to`), text or None."""
    order: dict[str, str | None]
    """Keys of [order] (`bill_to`, `mark_for`)."""
    source: str
    """Where it is kept, for the finding that says so: `the customer directory of register.sqlite (...)`."""


Directory = Callable[[str], Known | None]
"""A DoDAAC -> what a customer directory knows of it, or None."""


class OrderReferences(Record):
    """The government's own references for the order ([order]); every one optional."""

    requisition: str | None = None
    """MILSTRIP document number, 14 characters."""
    delivery_order: str | None = None
    """PIID of the delivery order, without dashes."""
    fund_cite: str | None = None
    required_delivery: datetime.date | None = None
    bill_to: str | None = None
    mark_for: str | None = None

    @property
    def delivery_order_display(self) -> str | None:
        """`SPE2DE-26-F-1234`."""
        return piid_display(self.delivery_order) if self.delivery_order else None


class Stock(Record):
    """Stock on hand of one part, in its unit of issue (as inventory counts it) plus loose single units."""

    packs: int
    loose: int = 0


class Treatment(Record):
    name: str
    procedures: int
    nerves: tuple[str, ...]
    """Empty when the request names none: the catalog's default set is planned."""
    nerve_stim: bool = False
    tips_per_procedure: int | None = None
    cartridges_per_procedure: int | None = None


class ExplicitLine(Record):
    part: str
    quantity: int
    """In units of issue (packs)."""


class Request(Record):
    name: str
    """The file name as the user gave it, for messages."""
    digest: str
    quote_number: str | None
    quote_date: datetime.date | None
    valid_days: int
    customer: Customer
    references: OrderReferences
    installed: tuple[str, ...]
    price_list: os.PathLike[str] | None
    """The price list file the request names, in its folder (a `pathlib.Path`)."""
    spare_percent: Decimal
    generation: int | None
    treatments: tuple[Treatment, ...]
    stock: dict[str, Stock]
    """By part number as the request names it."""
    lines: tuple[ExplicitLine, ...]
    site: str | None
    locator: Locating
    reimbursement: bool = False
    """True when the request has a [reimbursement] section: the customer's quote then shows the coding estimate."""
    customer_source: str | None = None
    """Where the customer's details came from when the request named only the DoDAAC (see `Known.source`)."""

    @property
    def file_name(self) -> str:
        """The file's name without its folder: what findings and outputs call it (never a path)."""
        return os.path.basename(self.name)

    def where(self, *path: str | int) -> str:
        """`request.toml:14` (or `form.xlsx: Treatments!B6`) for a key path such as ("treatment", 1, "nerves"):
        where a finding points."""
        return self.locator.where(self.file_name, path)

    def problem(self, path: Place, message: str) -> str:
        """One line naming the file as the user gave it, the place and the key, for error messages."""
        return self.locator.problem(self.name, path, message)


def read_toml_request(path: FilePath | None = None, *, text: str | None = None,
                      name: str | None = None, directory: Directory | None = None) -> Request:
    """Read and check a TOML request file, or TOML `text` in memory (`procure.inputs.read_request` also reads
    filled forms).

    InputError lists every problem. `name` names the request in messages (default: the path, or
    `request.toml`); a `[pricing] price_list` is taken relative to the folder of that name. With a
    `directory`, a [customer] that gives a DoDAAC but no facility is completed from it.
    """
    if text is None:
        if path is None:
            raise InputError("read_request: give path (a request file) or text= (TOML text)")
        text = read_text(path, "request file")
    name = name if name is not None else (os.fspath(path) if path is not None else "request.toml")
    name = printable(name)
    if not text.strip():
        raise InputError(f"{name}: the request is empty: it needs at least [customer] facility and dodaac "
                         f"(`procure example` prints a complete one)")
    data = parse_toml(text, name)
    return request_from(data, Checker(name, text), digest(text.encode("utf-8")), directory)


def request_from(data: Document, c: Checker, digest: str, directory: Directory | None = None) -> Request:
    """Check a parsed request (TOML's shape: tables of keys) and make the Request; InputError lists every problem.

    `c` names the request and its places (lines of a TOML text, cells of a form) and may already hold
    problems its reader found; they are reported together with these. `directory` completes a [customer]
    that names only a DoDAAC (see the module's docstring).
    """
    name = c.name
    c.keys(data, (), SECTIONS)
    data, source = _completed(data, directory, c)

    quote = c.table(data, (), "quote") or {}
    c.keys(quote, ("quote",), ("number", "date", "valid_days"))
    number = c.text(quote, ("quote",), "number", pattern=QUOTE_NUMBER, max_length=40,
                    rule="a quote number of 1-40 letters, digits, . _ - starting with a letter or digit")
    date = c.date(quote, ("quote",), "date", earliest=EARLIEST_DATE, latest=LATEST_DATE)
    valid_days = c.integer(quote, ("quote",), "valid_days", minimum=1, maximum=365)

    customer = _customer(c, c.table(data, (), "customer", required=True))
    references = _order(c, c.table(data, (), "order") or {})

    equipment = c.table(data, (), "equipment") or {}
    c.keys(equipment, ("equipment",), ("installed",))
    installed = c.text_list(equipment, ("equipment",), "installed", unique=False, normal=_part_number) or []

    pricing = c.table(data, (), "pricing") or {}
    c.keys(pricing, ("pricing",), ("price_list",))
    price_list = c.text(pricing, ("pricing",), "price_list")
    if price_list is not None and _leaves_folder(price_list):
        c.fail(("pricing", "price_list"), f"{price_list!r} {OUTSIDE_FOLDER}")
        price_list = None

    plan = c.table(data, (), "plan") or {}
    c.keys(plan, ("plan",), ("spare_percent", "generation"))
    spare = c.number(plan, ("plan",), "spare_percent", minimum=0, maximum=100)
    generation = c.integer(plan, ("plan",), "generation", minimum=1, maximum=99)

    treatments = _treatments(c, c.tables(data, (), "treatment"))
    stock = _stock(c, c.table(data, (), "stock") or {})
    lines = _lines(c, c.tables(data, (), "line"))

    reimbursement = c.table(data, (), "reimbursement") or {}
    c.keys(reimbursement, ("reimbursement",), ("site",))
    site = c.text(reimbursement, ("reimbursement",), "site")

    if c.problems or customer is None:
        raise InputError(c.problems)
    return Request(
        name=name, digest=digest,
        quote_number=number, quote_date=date, valid_days=valid_days or 30, customer=customer,
        references=references, installed=tuple(installed),
        price_list=_beside(name, price_list) if price_list else None,
        spare_percent=spare if spare is not None else Decimal(0), generation=generation,
        treatments=treatments, stock=stock, lines=lines, site=site, locator=c.locator,
        reimbursement="reimbursement" in data, customer_source=source)


def _completed(data: Document, directory: Directory | None, c: Checker) -> tuple[Document, str | None]:
    """The request with the keys its [customer] and [order] leave out taken from the directory, when
    [customer] names a DoDAAC and no facility; and where they came from (None when nothing was taken)."""
    customer = data.get("customer")
    if not isinstance(customer, dict) or "facility" in customer or not isinstance(customer.get("dodaac"), str):
        return data, None
    dodaac = customer["dodaac"].strip().upper()
    known = directory(dodaac) if directory is not None and _fullmatch(DODAAC, dodaac) else None
    if known is None:
        if directory is not None and _fullmatch(DODAAC, dodaac):
            c.fail(("customer", "facility"), f"facility is required: DoDAAC {dodaac} is not in the customer "
                                             f"directory to fill it in (`procure customer list` shows the "
                                             f"facilities it knows)")
            return {**data, "customer": {**customer, "facility": "-"}}, None  # one problem, not two
        return data, None
    order: Document = data["order"] if isinstance(data.get("order"), dict) else {}
    completed = {**data, "customer": {**known.customer, **customer}}
    filled_order = {**{k: v for k, v in known.order.items() if v is not None}, **order}
    if filled_order:
        completed["order"] = filled_order
    completed["customer"] = {k: v for k, v in completed["customer"].items() if v is not None}
    return completed, known.source


def _customer(c: Checker, table: Document | None) -> Customer | None:
    if table is None:
        return None
    at = ("customer",)
    c.keys(table, at, ("facility", "dodaac", "contact", "email", "phone", "ship_to"))
    dodaac = c.text(table, at, "dodaac", required=True)
    if dodaac is not None:
        dodaac = dodaac.upper()  # w91abc has one reading, as a delivery order's letters do
    if dodaac is not None and not _fullmatch(DODAAC, dodaac):
        c.fail(at + ("dodaac",), f"{dodaac!r} is not a DoDAAC: 6 characters, A-Z and 0-9")
    return Customer(c.text(table, at, "facility", required=True, max_length=200) or "", dodaac or "",
                    *(c.text(table, at, key, max_length=300) for key in ("contact", "email", "phone", "ship_to")))


def _order(c: Checker, table: Document) -> OrderReferences:
    at = ("order",)
    c.keys(table, at, ("requisition", "delivery_order", "required_delivery") + ORDER_TEXTS)
    if isinstance(table.get("requisition"), str):  # W12ABC-6331-0001 and W12ABC 6331 0001 are W12ABC63310001
        table = {**table, "requisition": table["requisition"].replace("-", "").replace(" ", "")}
    requisition = c.text(table, at, "requisition", pattern=REQUISITION, max_length=14,
                         rule="a MILSTRIP document number: the DoDAAC, the ordinal date YDDD and a 4-character "
                              "serial, 14 characters of A-Z and 0-9 such as W12ABC63310001")
    delivery_order = c.text(table, at, "delivery_order", max_length=20)
    if delivery_order is not None:
        compact = delivery_order_piid(delivery_order)
        if compact is None:
            c.fail(at + ("delivery_order",), f"{delivery_order!r} is {NOT_A_DELIVERY_ORDER}")
        delivery_order = compact
    return OrderReferences(
        requisition=requisition, delivery_order=delivery_order,
        required_delivery=c.date(table, at, "required_delivery", earliest=EARLIEST_DATE, latest=LATEST_DATE),
        **{key: c.text(table, at, key, max_length=300) for key in ORDER_TEXTS})


NOT_A_DELIVERY_ORDER = ("not the PIID of a delivery order: 13 characters (dashes allowed) with F in the ninth, "
                        "no I or O, such as SPE2DE-26-F-1234")


def delivery_order_piid(text: str) -> str | None:
    """The PIID of a delivery order without its dashes, or None when `text` is not one."""
    compact = text.replace("-", "")
    return compact if _fullmatch(DELIVERY_ORDER, compact) else None


def _treatments(c: Checker, tables: list[Document]) -> tuple[Treatment, ...]:
    found: list[Treatment] = []
    names: set[str] = set()
    for i, t in enumerate(tables):
        at = ("treatment", i)
        c.keys(t, at, ("name", "procedures", "nerves", "nerve_stim", "tips_per_procedure",
                       "cartridges_per_procedure"))
        name = c.text(t, at, "name", max_length=100) or f"Treatment {i + 1}"
        if name in names:
            c.fail(at + ("name",), f"another [[treatment]] is also named {name!r}: give each a different name")
        names.add(name)
        procedures = c.integer(t, at, "procedures", required=True, minimum=1, maximum=MAX_PROCEDURES)
        nerves = c.text_list(t, at, "nerves", normal=_part_number) if "nerves" in t else []
        if nerves == [] and "nerves" in t:
            c.fail(at + ("nerves",), "must name at least one nerve, or be left out for the default set")
        found.append(Treatment(name, procedures or 1, tuple(nerves or ()),
                               bool(c.boolean(t, at, "nerve_stim")),
                               c.integer(t, at, "tips_per_procedure", minimum=1, maximum=MAX_PER_PROCEDURE),
                               c.integer(t, at, "cartridges_per_procedure", minimum=1, maximum=MAX_PER_PROCEDURE)))
    return tuple(found)


def _stock(c: Checker, table: Document) -> dict[str, Stock]:
    """`"STT2309-5" = 3` (packs) or `"CRX2111-10" = { packs = 2, loose = 4 }`."""
    stock: dict[str, Stock] = {}
    for key, value in table.items():
        count: Stock | None
        part = _part_number(key)
        if isinstance(value, dict):
            c.keys(value, ("stock", key), ("packs", "loose"))
            count = Stock(c.integer(value, ("stock", key), "packs", minimum=0, maximum=MAX_STOCK) or 0,
                          c.integer(value, ("stock", key), "loose", minimum=0, maximum=MAX_STOCK) or 0)
        else:
            packs = c.integer(table, ("stock",), key, minimum=0, maximum=MAX_STOCK)
            count = Stock(packs) if packs is not None else None
        if part in stock:
            c.fail(("stock", key), f"lists {part} twice: give the stock of each part once")
        elif count is not None:
            stock[part] = count
    return stock


def _lines(c: Checker, tables: list[Document]) -> tuple[ExplicitLine, ...]:
    found: list[ExplicitLine] = []
    for i, t in enumerate(tables):
        at = ("line", i)
        c.keys(t, at, ("part", "quantity"))
        part = c.text(t, at, "part", required=True, max_length=40)
        quantity = c.integer(t, at, "quantity", required=True, minimum=1, maximum=MAX_QUANTITY)
        if part and quantity:
            found.append(ExplicitLine(_part_number(part), quantity))
    return tuple(found)


def _part_number(text: str) -> str:
    """Part numbers and nerve codes compare without regard to case or surrounding blanks."""
    return text.strip().upper()


OUTSIDE_FOLDER = ("is outside the request's folder: a request must name a file in the request's folder (or a "
                  "folder below it), such as prices.csv; give a price list kept elsewhere with --prices")


def _leaves_folder(name: str) -> bool:
    """True when a file name of a request is absolute (on any system) or climbs out of the request's folder."""
    from pathlib import PurePosixPath, PureWindowsPath

    windows = PureWindowsPath(name)
    return (PurePosixPath(name).is_absolute() or bool(windows.drive or windows.root)
            or ".." in PurePosixPath(name.replace("\\", "/")).parts)


def _beside(request_name: str, file: str) -> os.PathLike[str]:
    """The file a request names, in the request's folder."""
    from pathlib import Path  # here, not above: only a request that names a file needs it

    return Path(request_name).parent / file


def own_file(request: "Request", path: FilePath | None) -> FilePath | None:
    """`path`, a file the request names, if it is inside the request's folder once links are followed; else
    InputError naming the key (a link from the folder to a file elsewhere is refused unread)."""
    if path is None:
        return None
    folder = os.path.realpath(os.path.dirname(request.name))
    if os.path.commonpath([folder, os.path.realpath(path)]) != folder:
        raise InputError(request.problem(("pricing", "price_list"), f"{os.path.basename(path)!r} {OUTSIDE_FOLDER}"))
    return path


def _fullmatch(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None
