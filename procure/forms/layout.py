"""Where everything sits on the request form: one description that the writer and the reader share.

The form's layout has a version, FORM_VERSION, stored in the workbook (the
defined name `procure_form_version`, pointing at a cell of the hidden `Lists`
sheet) with the catalog version its lists come from. The reader reads the
versions in READS and refuses any other, naming the one it needs.
"""


from procure.core.record import Record
from procure.core.request import EARLIEST_DATE, LATEST_DATE, MAX_PER_PROCEDURE, MAX_PROCEDURES, MAX_QUANTITY, MAX_STOCK

FORM_VERSION = 1
READS = (1,)
"""The form versions this procure reads."""

INSTRUCTIONS, REQUEST, TREATMENTS, LINES, STOCK, LISTS = (
    "Instructions", "Request", "Treatments", "Lines", "Stock", "Lists")
SHEETS = (INSTRUCTIONS, REQUEST, TREATMENTS, LINES, STOCK, LISTS)

TEXT, WHOLE, NUMBER, DATE, YES_NO, MARK = "text", "whole", "number", "date", "yes/no", "mark"
"""Kinds of input cell: how the writer validates one and how the reader turns its value into the request's."""

FORM_VERSION_NAME, CATALOG_VERSION_NAME = "procure_form_version", "procure_catalog_version"
VERSION_CELLS = {FORM_VERSION_NAME: "B1", CATALOG_VERSION_NAME: "B2"}
"""Cells of the `Lists` sheet holding the versions, each under a defined name of the workbook."""


class Field(Record):
    """One labelled input cell of the `Request` sheet."""

    path: tuple
    """Where its value goes in the request: ("customer", "dodaac")."""
    label: str
    kind: str
    hint: str
    """The input message shown when the cell is selected: what goes there, in plain words."""
    note: str = ""
    """Shown beside the cell."""
    limits: tuple = ()
    """(least, most) for numbers and dates; (least, most) characters for text."""
    choices: str | None = None
    """The name of a list on the `Lists` sheet the cell offers as a drop-down."""


class Section(Record):
    title: str
    fields: tuple[Field, ...]


class FormColumn(Record):
    """One input column of the `Treatments`, `Lines` or `Stock` table."""

    key: str
    heading: str
    kind: str
    hint: str
    width: int
    limits: tuple = ()
    choices: str | None = None


class Table(Record):
    """An input table: headings on `heading_row`, at least `rows` input rows from `first_row`.

    On `Treatments` one column per nerve code goes between TREATMENT_LEAD and TREATMENT_TAIL
    (`treatment_columns`); `columns` holds those two alone.
    """

    sheet: str
    section: str
    """The request's array of tables ([[treatment]], [[line]]) or table ([stock]) the rows fill."""
    title: str
    note: str
    heading_row: int
    first_row: int
    rows: int
    columns: tuple[FormColumn, ...]


class ListColumn(Record):
    """A list on the hidden `Lists` sheet, under the workbook name `procure_<name>`."""

    name: str
    heading: str


REQUEST_TITLE_ROW, REQUEST_FIRST_ROW = 1, 4
LABEL_COLUMN, INPUT_COLUMN, NOTE_COLUMN = 1, 2, 3
HANDPIECE_CELLS = 4
"""How many handpieces the form has room for under Equipment."""

DATES = (EARLIEST_DATE, LATEST_DATE)
_HANDPIECE = "A handpiece the facility already owns, from the drop-down list (Gen 1: IST0221, Gen 2: IST2221)."

SECTIONS = (
    Section("Quote", (
        Field(("quote", "number"), "Quote number", TEXT,
              "Optional. A number for this quote: 1-40 letters, digits, dot, dash or underscore. Leave blank and "
              "the contracting desk assigns one.", "optional", (1, 40)),
        Field(("quote", "date"), "Quote date", DATE,
              "Optional. The date of the quote, such as 2026-01-15. Leave blank for the day it is prepared.",
              "optional, a date", DATES),
        Field(("quote", "valid_days"), "Valid for (days)", WHOLE,
              "Optional. How many days the quote stays valid, 1 to 365. Blank means 30.", "optional, 1-365",
              (1, 365)),
    )),
    Section("Customer", (
        Field(("customer", "facility"), "Facility", TEXT, "Required. The name of the facility ordering.",
              "required", (1, 200)),
        Field(("customer", "dodaac"), "DoDAAC", TEXT,
              "Required. The facility's DoDAAC: 6 characters, capital letters and digits, such as W12ABC.",
              "required, 6 characters", (6, 6)),
        Field(("customer", "contact"), "Contact", TEXT, "Optional. Who to ask about this order: name and title.",
              "optional", (1, 300)),
        Field(("customer", "email"), "Email", TEXT, "Optional. The contact's e-mail address.", "optional", (1, 300)),
        Field(("customer", "phone"), "Phone", TEXT, "Optional. The contact's phone number.", "optional", (1, 300)),
        Field(("customer", "ship_to"), "Ship to", TEXT, "Optional. The delivery address: building, dock, city.",
              "optional", (1, 300)),
    )),
    Section("Order references (all optional)", (
        Field(("order", "requisition"), "Requisition", TEXT,
              "Optional. The MILSTRIP document number: DoDAAC, ordinal date YDDD and a 4-character serial, "
              "14 characters such as W12ABC63310001.", "optional, 14 characters", (14, 14)),
        Field(("order", "delivery_order"), "Delivery order", TEXT,
              "Optional. The delivery order number (PIID) once the order is placed, such as SPE2DE-26-F-1234.",
              "optional", (1, 20)),
        Field(("order", "fund_cite"), "Fund cite", TEXT, "Optional. The fund citation (line of accounting).",
              "optional", (1, 300)),
        Field(("order", "required_delivery"), "Required delivery", DATE,
              "Optional. The date the facility needs the goods, such as 2027-01-15.", "optional, a date", DATES),
        Field(("order", "bill_to"), "Bill to", TEXT, "Optional. Who is billed, if not the facility.", "optional",
              (1, 300)),
        Field(("order", "mark_for"), "Mark for", TEXT, "Optional. The clinic or person the boxes are marked for.",
              "optional", (1, 300)),
    )),
    Section("Equipment", tuple(
        Field(("equipment", "installed", i), f"Handpiece owned {i + 1}", TEXT, _HANDPIECE,
              "pick from the list" if i == 0 else "", choices="handpieces")
        for i in range(HANDPIECE_CELLS))),
    Section("Plan", (
        Field(("plan", "spare_percent"), "Spare (percent)", NUMBER,
              "Optional. Extra Smart Tips and cartridges to order, in percent of those planned (0 to 100), "
              "rounded up. Blank means none.", "optional, 0-100", (0, 100)),
        Field(("plan", "generation"), "Generation", WHOLE,
              "Optional. 1 or 2: needed only when handpieces of both generations are listed.",
              "only if both generations are owned", (1, 2), "generations"),
    )),
    Section("Reimbursement", (
        Field(("reimbursement", "site"), "Site of service", TEXT,
              "Optional. Where procedures are performed, for an estimate of the CMS fees: ASC, HOPD, office or "
              "facility. Blank: no fee estimate.", "optional, pick from the list", choices="sites"),
    )),
    Section("For the contracting desk", (
        Field(("pricing", "price_list"), "Price list file", TEXT,
              "Leave blank. The contracting desk may name a price list file kept beside this form.", "leave blank",
              (1, 500)),
    )),
)

TREATMENT_LEAD = (
    FormColumn("name", "Treatment", TEXT,
               "A name for this treatment, such as Anterior knee. Each row a different name.", 26, (1, 100)),
    FormColumn("procedures", "Procedures", WHOLE,
               "How many procedures of this treatment are planned (a whole number).", 12, (1, MAX_PROCEDURES)),
)
TREATMENT_TAIL = (
    FormColumn("nerve_stim", "Nerve stimulation (Y/N)", YES_NO,
               "Y if the nerve-stimulation Smart Tip is wanted (Gen 1 only); N or blank if not.", 13,
               choices="yes_no"),
    FormColumn("tips_per_procedure", "Tips per procedure", WHOLE,
               "Optional. Leave blank for the catalog's planning figure (one tip of each model a procedure).", 11,
               (1, MAX_PER_PROCEDURE)),
    FormColumn("cartridges_per_procedure", "Cartridges per procedure", WHOLE,
               "Optional. Leave blank for the catalog's planning figure (one cartridge a procedure).", 11,
               (1, MAX_PER_PROCEDURE)),
)
NERVE_WIDTH = 8
NERVE_NAME_ROW = 5
"""On `Treatments`, the row under the nerve codes that spells out each nerve."""

TREATMENTS_TABLE = Table(
    TREATMENTS, "treatment", "Treatments planned",
    "One row per treatment. Put Y under each nerve it treats; leave every nerve blank for the catalog's "
    "default set.", 4, 6, 20, TREATMENT_LEAD + TREATMENT_TAIL)
LINES_TABLE = Table(
    LINES, "line", "Items to order as they are",
    "Items ordered in a given quantity besides the planned tips and cartridges, such as a second handpiece. "
    "Quantity in the part's unit of issue: a pack of 5 tips is 1.", 4, 5, 30, (
        FormColumn("part", "Part number", TEXT,
                   "A part number from the drop-down list (see the parts on Instructions).", 18, (1, 40), "parts"),
        FormColumn("quantity", "Quantity", WHOLE, "How many, in the part's unit of issue (packs or each).", 12,
                   (1, MAX_QUANTITY)),
    ))
STOCK_TABLE = Table(
    STOCK, "stock", "Tips and cartridges on the shelf",
    "What the facility already has, so that it is not ordered again. Count unopened packs, plus loose single "
    "tips or cartridges from opened packs.", 4, 5, 20, (
        FormColumn("part", "Part number", TEXT, "The part number on the box, from the drop-down list.", 18, (1, 40),
                   "consumables"),
        FormColumn("packs", "Packs", WHOLE, "Unopened packs on the shelf (a whole number, 0 or more).", 10,
                   (0, MAX_STOCK)),
        FormColumn("loose", "Loose units", WHOLE, "Single tips or cartridges from opened packs (0 or more).", 12,
                   (0, MAX_STOCK)),
    ))

LIST_FIRST_ROW = 5
LISTS_COLUMNS = (
    ListColumn("parts", "Parts (Gen 1, then Gen 2)"), ListColumn("handpieces", "Handpieces"),
    ListColumn("consumables", "Tips and cartridges"), ListColumn("yes_no", "Y/N"), ListColumn("sites", "Sites"),
    ListColumn("generations", "Generations"),
)
YES, NO = ("Y", "YES", "X", "TRUE", "1"), ("N", "NO", "FALSE", "0")
"""What a yes/no or nerve cell may hold, compared in capitals."""


def request_rows() -> tuple[dict[str, int], dict[tuple, int]]:
    """The rows of the `Request` sheet: of each section heading by title, and of each field by path."""
    headings, fields, row = {}, {}, REQUEST_FIRST_ROW
    for section in SECTIONS:
        headings[section.title] = row
        for n, field in enumerate(section.fields, 1):
            fields[field.path] = row + n
        row += len(section.fields) + 2
    return headings, fields


def treatment_columns(codes) -> tuple[FormColumn, ...]:
    """The columns of `Treatments`: the name and procedures, one column per nerve code, then the options."""
    nerves = tuple(FormColumn("nerves", code, MARK, "", NERVE_WIDTH) for code in codes)
    return TREATMENT_LEAD + nerves + TREATMENT_TAIL
