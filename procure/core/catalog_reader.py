"""Read a catalog folder: each `*.toml` file one complete catalog version, checked key by key.

`read_catalog_folder` reads and checks every file and returns the catalog with the problems found;
`load_catalog` raises them all as one CatalogError. The records it makes are `catalog.py`'s.
"""

import datetime
import functools
import os
import re
from decimal import Decimal

from procure.core.arguments import PATH, FilePath, expect
from procure.core.catalog import (
    GENERATIONS,
    KINDS,
    PRODUCT_FIELDS,
    RATE_COLUMNS,
    UNIT_RULES,
    Catalog,
    CatalogVersion,
    Compatibility,
    Contract,
    Delivery,
    Fact,
    FeeCode,
    Fees,
    NerveTarget,
    Part,
    Planning,
    Prerequisite,
    Site,
    Specs,
)
from procure.core.characters import printable
from procure.core.digest import digest
from procure.core.errors import CatalogError, InputError
from procure.core.tomlschema import Checker, Document, Place, parse_toml
from procure.core.user_files import read_bytes
from procure.shipped import shipped_folder

PART_NUMBER = r"[A-Z0-9][A-Z0-9-]{1,29}"
PIID = r"[A-HJ-NP-Z0-9]{6}\d{2}[DFPA][A-HJ-NP-Z0-9]{4}"
MODIFICATION = r"[PA][A-HJ-NP-Z0-9]{5}"
STATEMENT_NEEDED = ("an assumption with a basis needs the sentence the customer reads (`..._statement`): what the "
                    "quantities assume, in plain words, without the basis")
HAZMAT_KEYS = ("un_number", "class", "proper_shipping_name")


def _gtin(value: str) -> bool:
    """Whether `value` is a GTIN-8, -12, -13 or -14 whose last digit is its GS1 check digit."""
    if not re.fullmatch(r"\d{8}|\d{12,14}", value):
        return False
    digits = [int(d) for d in value]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def default_folder() -> str:
    """The shipped catalog: inside the installed package, or beside it in a source checkout."""
    return shipped_folder("catalog")


def read_catalog_folder(folder: FilePath | None) -> tuple[Catalog, list[str]]:
    """Read and check every version file of a catalog folder: (catalog, problems)."""
    folder = os.fspath(folder) if folder else default_folder()
    if not os.path.isdir(folder):
        problem = "is a file, not a catalog folder" if os.path.exists(folder) else "catalog folder does not exist"
        return Catalog(folder, ()), [f"{folder}: {problem}"]
    files = sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".toml"))
    if not files:
        return Catalog(folder, ()), [f"{folder}: catalog folder holds no *.toml version file"]
    versions: list[CatalogVersion] = []
    problems: list[str] = []
    for path in files:
        version, found = _load_version(path)
        problems += found
        if version:
            versions.append(version)
    seen: dict[str, str] = {}
    dates: dict[tuple[str, datetime.date], str] = {}
    for v in versions:
        where = os.path.join(folder, v.file)
        if v.version in seen:
            problems.append(f"{where}: version {v.version!r} is also the version of {seen[v.version]}")
        seen.setdefault(v.version, v.file)
        day = (v.contract.number, v.effective)
        if day in dates:
            problems.append(f"{where}: takes effect on {v.effective}, the same day as {dates[day]}: "
                            f"give each version of a contract its own effective date")
        dates.setdefault(day, v.file)
    versions.sort(key=lambda v: (v.effective, v.version))
    return Catalog(folder, tuple(versions)), problems


def shipped_catalog() -> Catalog:
    """The catalog shipped with procure, every version checked."""
    return load_catalog(None)


def load_catalog(folder: FilePath | None) -> Catalog:
    """The catalog of a folder (None: the shipped one), or CatalogError listing every problem."""
    expect("load_catalog", "folder", folder, PATH)
    catalog, problems = read_catalog_folder(folder)
    if problems:
        raise CatalogError(problems)
    return catalog


def _load_version(path: str) -> tuple[CatalogVersion | None, tuple[str, ...]]:
    try:
        data = read_bytes(path, "catalog version file")
    except InputError as e:
        return None, tuple(e.problems)
    return _read_version(path, data)


@functools.lru_cache(maxsize=32)
def _read_version(path: str, data: bytes) -> tuple[CatalogVersion | None, tuple[str, ...]]:
    """One version file's record and problems, worked out once a process for the same bytes at the same place:
    every desk application, batch run and command of a process reads the catalog (a test run: a thousand
    times, 3 ms a file); its records are immutable."""
    name = printable(path)
    try:
        text = data.decode("utf-8-sig")
        document = parse_toml(text, name)
    except UnicodeDecodeError as e:
        return None, (f"{name}: is not UTF-8 text (byte {e.start + 1} cannot be read); save it as UTF-8",)
    except InputError as e:
        return None, tuple(e.problems)
    reader = _VersionReader(name, text, document)
    version = reader.read(printable(os.path.basename(path)), digest(data))
    return (version if not reader.check.problems else None), tuple(reader.check.problems)


class _VersionReader:
    """Reads one parsed version file into records, collecting problems as it goes."""

    def __init__(self, name: str, text: str, document: Document):
        self.check = Checker(name, text)
        self.document = document

    def read(self, file: str, digest: str) -> CatalogVersion | None:
        c, doc = self.check, self.document
        c.keys(doc, (), ("catalog", "contract", "part", "compatibility", "prerequisite", "target",
                         "planning", "fees", "delivery"))
        head = c.table(doc, (), "catalog", required=True) or {}
        c.keys(head, ("catalog",), ("version", "effective", "basis"))
        version = c.text(head, ("catalog",), "version", required=True, pattern=r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}",
                         rule="a version name of letters, digits, . _ -")
        effective = c.date(head, ("catalog",), "effective", required=True)
        contract = self._contract(c.table(doc, (), "contract", required=True) or {})
        parts = self._parts(c.tables(doc, (), "part"))
        numbers = {p.part: p for p in parts}
        compatibility = self._compatibility(c.tables(doc, (), "compatibility", required=True), numbers)
        prerequisites = self._prerequisites(c.tables(doc, (), "prerequisite"), numbers)
        fees = self._fees(c.table(doc, (), "fees", required=True) or {})
        planning = self._planning(c.table(doc, (), "planning", required=True) or {}, parts)
        targets = self._targets(c.tables(doc, (), "target"), parts, fees)
        if planning:
            for code in planning.default_nerves:
                if code not in targets:
                    c.fail(("planning", "default_nerves"), f"names nerve {code!r}, which no [[target]] has")
        delivery = self._delivery(c.table(doc, (), "delivery") or {})
        if (c.problems or version is None or effective is None or contract is None or planning is None
                or fees is None):
            return None
        return CatalogVersion(file, version, effective, digest, head.get("basis", ""), contract, tuple(parts),
                              compatibility, prerequisites, targets, planning, fees, delivery)

    def _delivery(self, table: Document) -> Delivery:
        c, at = self.check, ("delivery",)
        c.keys(table, at, ("lead_time_days", "terms", "basis", "assumption"))
        assumption = c.boolean(table, at, "assumption")
        return Delivery(lead_time_days=c.integer(table, at, "lead_time_days", minimum=1, maximum=365),
                        terms=c.text(table, at, "terms") or Delivery().terms, basis=c.text(table, at, "basis") or "",
                        assumption=True if assumption is None else assumption)

    def _contract(self, table: Document) -> Contract | None:
        c, at = self.check, ("contract",)
        c.keys(table, at, ("number", "agency", "program", "vendor", "manufacturer", "period_start",
                           "period_end", "modification", "ordering_office", "ordering_office_basis"))
        number = c.text(table, at, "number", required=True)
        if number is not None:
            number = number.replace("-", "")
            if not re.fullmatch(PIID, number):
                c.fail(at + ("number",), f"{number!r} is not a DoD PIID (13 characters, no I or O, "
                                         f"a D, F, P or A in position 9)")
        start, end = c.date(table, at, "period_start"), c.date(table, at, "period_end")
        if start and end and start > end:
            c.fail(at + ("period_end",), f"{end} is before period_start {start}")
        modification = c.text(table, at, "modification", pattern=MODIFICATION,
                              rule="a modification number such as P00001")
        vendor = c.text(table, at, "vendor", required=True)
        office = c.text(table, at, "ordering_office", pattern=r"[A-Z0-9]{6}",
                        rule="a DoDAAC: 6 characters, A-Z and 0-9, such as SPE2DE")
        return Contract(number or "", c.text(table, at, "agency", required=True) or "",
                        c.text(table, at, "program", required=True) or "", vendor or "",
                        c.text(table, at, "manufacturer") or vendor or "", start, end, modification, office,
                        c.text(table, at, "ordering_office_basis") or "")

    def _parts(self, tables: list[Document]) -> list[Part]:
        c = self.check
        parts: list[Part] = []
        first_line: dict[str, int] = {}
        if not tables:
            c.fail(("part",), "the catalog lists no [[part]]")
        for i, t in enumerate(tables):
            at = ("part", i)
            c.keys(t, at, ("part", "generation", "kind", "description", "unit_of_issue", "units_per_pack", "specs",
                           "product"))
            number = c.text(t, at, "part", required=True, pattern=PART_NUMBER,
                            rule="a part number of capital letters, digits and -")
            generation = c.integer(t, at, "generation", required=True)
            if generation is not None and generation not in GENERATIONS:
                c.fail(at + ("generation",), f"unknown generation {generation}; known: "
                                             f"{', '.join(map(str, GENERATIONS))}")
            kind = c.text(t, at, "kind", required=True)
            if kind is not None and kind not in KINDS:
                c.fail(at + ("kind",), f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
            description = c.text(t, at, "description", required=True)
            unit = c.text(t, at, "unit_of_issue", required=True, pattern=r"[A-Z]{2}",
                          rule="a two-letter DoD unit of issue such as EA or PK")
            per_pack = c.integer(t, at, "units_per_pack", required=True, minimum=1)
            specs = self._specs(c.table(t, at, "specs") or {}, at + ("specs",))
            if kind == "smart_tip" and not specs.tip_model:
                c.fail(at + ("specs",), "a smart_tip needs specs.tip_model")
            if number in first_line:
                c.fail(at + ("part",), f"part number {number} is listed twice "
                                       f"(first as [[part]] #{first_line[number] + 1})")
                continue
            if number:
                first_line[number] = i
            product = self._product(c.table(t, at, "product") or {}, at + ("product",))
            parts.append(Part(number or "", generation or 0, kind or "", description or "", unit or "",
                              per_pack or 1, specs, product=product))
        return parts

    def _specs(self, t: Document, at: Place) -> Specs:
        c = self.check
        c.keys(t, at, ("tip_model", "needles", "needle_length_mm", "gauge", "nerve_stim", "note"))
        return Specs(c.text(t, at, "tip_model"), c.integer(t, at, "needles", minimum=1),
                     c.number(t, at, "needle_length_mm", minimum=0, maximum=1000),
                     c.integer(t, at, "gauge", minimum=1), c.boolean(t, at, "nerve_stim"), c.text(t, at, "note"))

    def _product(self, t: Document, at: Place) -> dict[str, Fact]:
        """`[part.product]`: each known value as `{ value = ..., basis = "..." }` (hazmat: un_number, class,
        proper_shipping_name and basis); a value no source states is left out."""
        c, facts = self.check, {}
        c.keys(t, at, tuple(PRODUCT_FIELDS))  # facts: dict[str, Fact]
        for key in PRODUCT_FIELDS:
            entry = c.table(t, at, key)
            if entry is None:
                continue
            where = at + (key,)
            names = HAZMAT_KEYS if key == "hazmat" else ("value",)
            c.keys(entry, where, (*names, "basis"))
            basis = c.text(entry, where, "basis", required=True)
            if key == "shelf_life_months":
                months = c.integer(entry, where, "value", required=True, minimum=1, maximum=600)
                values = {"value": str(months) if months else None}
            else:
                values = {name: c.text(entry, where, name, required=True) for name in names}
            value = values.get("value")
            if key == "udi_di" and value and not _gtin(value):
                c.fail(where + ("value",), f"{value!r} is not a GTIN: 8, 12, 13 or 14 digits with a good check digit")
            if key == "nsn" and value:
                digits = value.replace("-", "")
                if not re.fullmatch(r"\d{13}", digits):
                    c.fail(where + ("value",), f"{value!r} is not an NSN: 13 digits such as 6515-01-234-5678")
                else:
                    value = f"{digits[:4]}-{digits[4:6]}-{digits[6:9]}-{digits[9:]}"
            if key == "sds_url" and value and not value.startswith("https://"):
                c.fail(where + ("value",), f"{value!r} is not an https:// address")
            un_number = values.get("un_number")
            if key == "hazmat" and un_number and not re.fullmatch(r"UN\d{4}", un_number):
                c.fail(where + ("un_number",), f"{un_number!r} is not a UN number such as UN1070")
            if key == "hazmat":
                value = (f"{values['un_number']}, class {values['class']}, {values['proper_shipping_name']}"
                         if all(values.values()) else None)
            if value and basis:
                detail = tuple((k, v or "") for k, v in values.items()) if key == "hazmat" else ()
                facts[key] = Fact(value, basis, detail)
        return facts

    def _compatibility(self, tables: list[Document], numbers: dict[str, Part]) -> tuple[Compatibility, ...]:
        c, rows = self.check, []
        for i, t in enumerate(tables):
            at = ("compatibility", i)
            c.keys(t, at, ("handpiece", "accepts", "reason", "assumption", "basis"))
            handpiece = c.text(t, at, "handpiece", required=True)
            if handpiece and getattr(numbers.get(handpiece), "kind", None) != "handpiece":
                c.fail(at + ("handpiece",), f"{handpiece} is not a handpiece of this catalog")
            accepts = c.text_list(t, at, "accepts", required=True) or []
            for number in accepts:
                if number not in numbers:
                    c.fail(at + ("accepts",), f"names part {number}, which is not in this catalog")
                elif numbers[number].kind == "handpiece":
                    c.fail(at + ("accepts",), f"names {number}, a handpiece: list tips and cartridges")
            rows.append(Compatibility(handpiece or "", tuple(accepts), c.text(t, at, "reason", required=True) or "",
                                      bool(c.boolean(t, at, "assumption")), c.text(t, at, "basis") or ""))
        accepted = {n for row in rows for n in row.accepts}
        for number, part in numbers.items():
            if part.kind != "handpiece" and number not in accepted:
                c.fail(("compatibility",), f"no handpiece accepts {number}: add it to a [[compatibility]] row")
        return tuple(rows)

    def _prerequisites(self, tables: list[Document], numbers: dict[str, Part]) -> tuple[Prerequisite, ...]:
        c, rows = self.check, []
        for i, t in enumerate(tables):
            at = ("prerequisite", i)
            c.keys(t, at, ("part", "code", "requires", "basis"))
            number = c.text(t, at, "part", required=True)
            if number and number not in numbers:
                c.fail(at + ("part",), f"names part {number}, which is not in this catalog")
            code = c.text(t, at, "code", required=True, pattern=r"[a-z][a-z0-9-]{2,40}",
                          rule="a finding code of lower-case letters, digits and -")
            rows.append(Prerequisite(number or "", code or "", c.text(t, at, "requires", required=True) or "",
                                     c.text(t, at, "basis") or ""))
        return tuple(rows)

    def _targets(self, tables: list[Document], parts: list[Part], fees: "Fees | None") -> dict[str, NerveTarget]:
        c = self.check
        targets: dict[str, NerveTarget] = {}
        models = {p.specs.tip_model for p in parts if p.kind == "smart_tip"}
        if not tables:
            c.fail(("target",), "the catalog lists no [[target]] nerve")
        for i, t in enumerate(tables):
            at = ("target", i)
            c.keys(t, at, ("code", "name", "region", "tip_model", "cpt"))
            code = c.text(t, at, "code", required=True)
            model = c.text(t, at, "tip_model", required=True)
            cpt = c.text(t, at, "cpt", required=True)
            if model and model not in models:
                c.fail(at + ("tip_model",), f"tip model {model!r} is not the tip_model of any smart_tip part")
            if cpt and fees and cpt not in fees.codes:
                c.fail(at + ("cpt",), f"CPT {cpt} has no [[fees.code]] entry")
            if code in targets:
                c.fail(at + ("code",), f"nerve code {code} is listed twice")
            elif code:
                targets[code] = NerveTarget(code, c.text(t, at, "name", required=True) or "",
                                            c.text(t, at, "region", required=True) or "", model or "", cpt or "")
        return targets

    def _planning(self, t: Document, parts: list[Part]) -> Planning | None:
        c, at = self.check, ("planning",)
        c.keys(t, at, ("tips_per_procedure", "tips_basis", "tips_statement", "tip_model_basis", "tip_model_statement",
                       "cartridges_per_procedure", "cartridges_basis", "cartridges_statement", "default_nerves",
                       "default_nerves_basis", "default_nerves_statement"))
        tips = c.table(t, at, "tips_per_procedure", required=True) or {}
        per_model: dict[str, int] = {}
        for model in tips:
            value = c.integer(tips, at + ("tips_per_procedure",), model, minimum=1, maximum=100)
            if value:
                per_model[model] = value
        for model in sorted({p.specs.tip_model for p in parts if p.kind == "smart_tip" and p.specs.tip_model}):
            if model not in tips:
                c.fail(at + ("tips_per_procedure",), f"has no entry for tip model {model!r}")
        basis = c.table(t, at, "tips_basis") or {}
        said = c.table(t, at, "tips_statement") or {}
        for model in basis:
            if model not in said:
                c.fail(at + ("tips_statement",), f"has no entry for tip model {model!r}: {STATEMENT_NEEDED}")
        for name in ("tip_model", "cartridges", "default_nerves"):
            if t.get(f"{name}_basis") and not t.get(f"{name}_statement"):
                c.fail(at + (f"{name}_statement",), STATEMENT_NEEDED)
        return Planning(per_model, {k: str(v) for k, v in basis.items()}, c.text(t, at, "tip_model_basis") or "",
                        c.integer(t, at, "cartridges_per_procedure", required=True, minimum=1, maximum=100) or 1,
                        c.text(t, at, "cartridges_basis") or "", tuple(c.text_list(t, at, "default_nerves") or ()),
                        c.text(t, at, "default_nerves_basis") or "", {k: str(v) for k, v in said.items()},
                        c.text(t, at, "tip_model_statement") or "", c.text(t, at, "cartridges_statement") or "",
                        c.text(t, at, "default_nerves_statement") or "")

    def _fees(self, t: Document) -> Fees | None:
        c, at = self.check, ("fees",)
        c.keys(t, at, ("as_of", "source", "conversion_factor", "disclaimers", "sites", "code"))
        sites: dict[str, Site] = {}
        site_table = c.table(t, at, "sites", required=True) or {}
        for name, value in site_table.items():
            where: Place = at + ("sites", name)
            if not isinstance(value, dict):
                c.fail(where, "must be a table such as { column = \"asc\", label = \"...\" }")
                continue
            c.keys(value, where, ("column", "label"))
            column = c.text(value, where, "column", required=True)
            if column and column not in RATE_COLUMNS:
                c.fail(where + ("column",), f"unknown rate column {column!r}; known: {', '.join(RATE_COLUMNS)}")
            sites[name] = Site(name, column or "", c.text(value, where, "label", required=True) or "")
        codes: dict[str, FeeCode] = {}
        for i, row in enumerate(c.tables(t, at, "code", required=True)):
            where = at + ("code", i)
            c.keys(row, where, ("cpt", "description", "apc", "apc_name", *RATE_COLUMNS, "rvu_nonfacility",
                                "rvu_facility", "units", "max_units", "set", "rule"))
            cpt = c.text(row, where, "cpt", required=True, pattern=r"\d{4}[0-9A-Z]", rule="a 5-character CPT code")
            units = c.text(row, where, "units", required=True)
            if units and units not in UNIT_RULES:
                c.fail(where + ("units",), f"unknown unit rule {units!r}; known: {', '.join(UNIT_RULES)}")
            rates = {col: rate for col in RATE_COLUMNS
                     if (rate := c.number(row, where, col, required=True, minimum=0, maximum=10**6)) is not None}
            if cpt in codes:
                c.fail(where + ("cpt",), f"CPT {cpt} is listed twice")
            elif cpt:
                codes[cpt] = FeeCode(cpt, c.text(row, where, "description", required=True) or "",
                                     c.text(row, where, "apc") or "", c.text(row, where, "apc_name") or "",
                                     rates, c.number(row, where, "rvu_nonfacility") or Decimal(0),
                                     c.number(row, where, "rvu_facility") or Decimal(0), units or "",
                                     c.integer(row, where, "max_units", minimum=1),
                                     tuple(c.text_list(row, where, "set") or ()), c.text(row, where, "rule") or "")
        as_of = c.date(t, at, "as_of", required=True) or datetime.date.min  # missing: a problem, and the version unused
        return Fees(as_of, c.text(t, at, "source", required=True) or "",
                    c.number(t, at, "conversion_factor") or Decimal(0),
                    tuple(c.text_list(t, at, "disclaimers", unique=False) or ()), sites, codes)
