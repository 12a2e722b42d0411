"""Write the request form: an `.xlsx` an officer fills in Excel or LibreOffice (docs/requests.md).

Sheets `Instructions`, `Request`, `Treatments`, `Lines`, `Stock` and a hidden
`Lists`, placed as `layout` says. Input cells are yellow and the only unlocked
cells; every sheet is protected without a password and the workbook's structure
is locked. Each input cell carries an input message and a validation from the
catalog version the form is made for (drop-downs of its parts, Y/N, sites; ranges
of whole numbers and dates; text lengths). A request given pre-fills the cells.

The bytes depend on the catalog version and the request only (`xlsxfile`).
"""

import datetime
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from procure.core.catalog import CatalogVersion
from procure.core.profile import Profile
from procure.core.request import Known, Request
from procure.core.tomlschema import Place
from procure.files.xlsxfile import print_landscape, put, workbook_bytes
from procure.forms.layout import (
    CATALOG_VERSION_NAME,
    DATE,
    FORM_VERSION,
    FORM_VERSION_NAME,
    INPUT_COLUMN,
    INSTRUCTIONS,
    LABEL_COLUMN,
    LINES_TABLE,
    LIST_FIRST_ROW,
    LISTS,
    LISTS_COLUMNS,
    MARK,
    NERVE_NAME_ROW,
    NOTE_COLUMN,
    NUMBER,
    REQUEST,
    REQUEST_TITLE_ROW,
    SECTIONS,
    STOCK_TABLE,
    TEXT,
    TREATMENT_LEAD,
    TREATMENTS_TABLE,
    VERSION_CELLS,
    WHOLE,
    YES_NO,
    FormColumn,
    Table,
    request_rows,
    treatment_columns,
)

TITLE = Font(name="Calibri", bold=True, size=14)
BOLD = Font(name="Calibri", bold=True)
NOTE = Font(name="Calibri", italic=True, color="595959")
SMALL = Font(name="Calibri", size=8, color="595959")
HEADING_FILL = PatternFill("solid", fgColor="D9E1F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
FORMATS = {TEXT: "@", DATE: "yyyy-mm-dd", WHOLE: "0", MARK: "@", YES_NO: "@"}
"""Input cells of text keep what is typed as text (a quote number 0001 stays 0001)."""
PROMPT_TITLE, PROMPT = 32, 255
"""The longest input-message title and text Excel shows."""


VENDOR_ONLY = frozenset({("quote", "number"), ("quote", "date"), ("quote", "valid_days"), ("pricing", "price_list")})
"""The fields the vendor fills in: a form handed to a customer hides their rows (the rows stay, so every form
reads the same)."""


def render_form(version: CatalogVersion, request: Request | None = None, folder: Path | str = ".",
                known: Known | None = None, profile: Profile | None = None, *, customer: bool = False) -> bytes:
    """The `.xlsx` bytes of a request form for a catalog version, pre-filled from `request` if given.

    `folder` is where the form is written: a price list the request names is given relative to it.
    `known` (a facility's record in a customer directory) fills the customer's cells the request leaves blank.
    The preparer of `profile` (name, e-mail, phone) is the return address on the Instructions sheet. A
    `customer` form leaves out the `VENDOR_ONLY` fields.
    """
    values = _request_values(request, Path(folder)) if request is not None else {}
    for section, texts in ((("customer", known.customer), ("order", known.order)) if known else ()):
        for key, value in texts.items():
            if values.get((section, key)) is None:
                values[(section, key)] = value
    codes = list(version.targets)
    codes += [code for t in (request.treatments if request else ()) for code in t.nerves if code not in codes]
    workbook = Workbook()
    _instructions(workbook.active, version, profile)
    _request_sheet(workbook.create_sheet(REQUEST), version, values, VENDOR_ONLY if customer else frozenset())
    treatments = TREATMENTS_TABLE._replace(columns=treatment_columns(dict.fromkeys(codes)))
    _table_sheet(workbook.create_sheet(treatments.sheet), treatments, _treatment_rows(request, codes))
    _nerve_names(workbook[treatments.sheet], version, codes)
    _table_sheet(workbook.create_sheet(LINES_TABLE.sheet), LINES_TABLE,
                 [[line.part, line.quantity] for line in (request.lines if request else ())])
    stock = request.stock if request else {}
    _table_sheet(workbook.create_sheet(STOCK_TABLE.sheet), STOCK_TABLE,
                 [[part, count.packs, count.loose or None] for part, count in stock.items()])
    _lists_sheet(workbook, version)
    workbook.active = 1 if request is not None or known is not None else 0
    workbook.security = WorkbookProtection(lockStructure=True)
    moment = datetime.datetime.combine(version.effective, datetime.time())
    return workbook_bytes(workbook, title=f"iovera° request form (form version {FORM_VERSION})", moment=moment)


def _request_values(request: Request, folder: Path) -> dict[Place, object]:
    """The value of each `Request` field from a request; None where it gives none."""
    customer, references = request.customer, request.references
    spare = request.spare_percent
    values: dict[Place, object] = {
        ("quote", "number"): request.quote_number, ("quote", "date"): request.quote_date,
        ("quote", "valid_days"): request.valid_days,
        **{("customer", key): getattr(customer, key) for key in customer._fields},
        **{("order", key): getattr(references, key) for key in references._fields},
        ("order", "delivery_order"): references.delivery_order_display,
        ("plan", "spare_percent"): int(spare) if spare == spare.to_integral_value() else float(spare),
        ("plan", "generation"): request.generation, ("reimbursement", "site"): request.site,
        ("pricing", "price_list"): os.path.relpath(request.price_list, folder) if request.price_list else None,
    }
    values.update({("equipment", "installed", i): part for i, part in enumerate(request.installed)})
    return values


def _treatment_rows(request: Request | None, codes: list[str]) -> list[list]:
    return [[t.name, t.procedures, *("Y" if code in t.nerves else None for code in codes),
             "Y" if t.nerve_stim else "N", t.tips_per_procedure, t.cartridges_per_procedure]
            for t in (request.treatments if request else ())]


def _instructions(ws, version: CatalogVersion, profile: Profile | None) -> None:
    """Plain words on how to fill the form and whom to return it to, the parts of the contract and the nerve
    codes."""
    contract = version.contract
    preparer = profile.preparer if profile else None
    desk = ", ".join(v for v in ((preparer.name, preparer.email, preparer.phone) if preparer else ()) if v)
    ws.title = INSTRUCTIONS
    put(ws, 1, 1, "How to fill in this request form").font = TITLE
    defaults = ", ".join(version.planning.default_nerves)
    paragraphs = (
        f"This form asks for a quote for iovera° parts under DLA ECAT contract {contract.display_number} "
        f"({contract.vendor}). Fill it in, save it as an Excel workbook (.xlsx) and e-mail it back to the "
        f"contracting desk{f' ({desk})' if desk else ''}. Excel or LibreOffice is all you need.",
        "Type only in the yellow cells: everything else is locked so the form keeps its shape (the locks have no "
        "password, but please leave them on). Click a yellow cell to see what goes there; a cell with a small "
        "arrow offers a list to pick from.",
        "Request sheet: who you are and about the quote. Facility and DoDAAC are required; everything else is "
        "optional. Under Equipment, list the handpieces you already own: they decide whether Gen 1 or Gen 2 "
        "Smart Tips and cartridges are quoted.",
        f"Treatments sheet: one row per kind of treatment you plan, with the number of procedures. Put Y under "
        f"each nerve the treatment freezes (the nerve codes are explained below). Leave every nerve blank to plan "
        f"the usual anterior knee set ({defaults}). The quote counts the Smart Tips and cartridges these "
        f"procedures need.",
        "Lines sheet: anything to order in a quantity you choose, such as a new handpiece. Quantities are in the "
        "part's unit of issue: one pack of 5 Smart Tips counts as 1.",
        "Stock sheet: Smart Tips and cartridges already on your shelf, so that they are not ordered again.",
        "Type dates as year-month-day, such as 2026-01-15, or month/day/year, such as 1/15/2026. Numbers are "
        "whole numbers unless the note says otherwise.",
        "Do not rename, add or delete sheets, and do not save as .xls, .ods or CSV: the contracting desk's "
        "program reads this workbook as it is.",
    )
    for row, text in enumerate(paragraphs, 3):
        put(ws, row, 1, f"{row - 2}. {text}").alignment = WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.row_dimensions[row].height = 15 * (len(text) // 110 + 1)
    row = 3 + len(paragraphs) + 1
    row = _reference_table(ws, row, f"Parts of the contract (catalog version {version.version})",
                           ("Part", "Generation", "Kind", "Description", "Unit of issue", "Per pack"),
                           [[p.part, p.generation, p.kind.replace("_", " "), p.description, p.unit_of_issue,
                             p.units_per_pack] for p in _parts_by_generation(version)])
    row = _reference_table(ws, row + 1, "Nerve codes (columns of the Treatments sheet)",
                           ("Code", "Nerve", "Region", "Smart Tip model", "CPT", ""),
                           [[t.code, t.name, t.region, t.tip_model, t.cpt, None] for t in version.targets.values()])
    put(ws, row + 1, 1, f"Form version {FORM_VERSION}, catalog version {version.version} (effective "
                        f"{version.effective}), contract {contract.display_number}.").font = NOTE
    for column, width in enumerate((14, 60, 12, 70, 13, 10), 1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.column_dimensions["B"].width = 60
    _protect(ws)
    print_landscape(ws)


def _reference_table(ws, row: int, title: str, headings, rows) -> int:
    """A bold title, a heading row and the rows, read-only; the row after the last."""
    put(ws, row, 1, title).font = BOLD
    for column, heading in enumerate(headings, 1):
        cell = put(ws, row + 1, column, heading)
        cell.font, cell.fill, cell.border = BOLD, HEADING_FILL, GRID
    for r, values in enumerate(rows, row + 2):
        for column, value in enumerate(values, 1):
            cell = put(ws, r, column, value)
            cell.border, cell.alignment = GRID, WRAP
    return row + 2 + len(rows)


def _request_sheet(ws, version: CatalogVersion, values: dict, hidden: frozenset = frozenset()) -> None:
    """Labels, yellow input cells and notes, section by section; the rows of `hidden` fields (and of a section
    left without a field) hidden and locked."""
    put(ws, REQUEST_TITLE_ROW, 1,
        f"Request for an iovera° quote, contract {version.contract.display_number}").font = TITLE
    put(ws, REQUEST_TITLE_ROW + 1, 1, "Fill in the yellow cells; click one to see what goes there. The "
                                      "Instructions sheet says more.").font = NOTE
    headings, rows = request_rows()
    for section in SECTIONS:
        cell = put(ws, headings[section.title], LABEL_COLUMN, section.title)
        cell.font, cell.fill = BOLD, HEADING_FILL
        ws.cell(headings[section.title], INPUT_COLUMN).fill = HEADING_FILL
        ws.cell(headings[section.title], NOTE_COLUMN).fill = HEADING_FILL
        if all(field.path in hidden for field in section.fields):
            ws.row_dimensions[headings[section.title]].hidden = True
        for field in section.fields:
            row = rows[field.path]
            if field.path in hidden:
                ws.row_dimensions[row].hidden = True
                continue
            put(ws, row, LABEL_COLUMN, field.label).font = BOLD
            put(ws, row, NOTE_COLUMN, field.note or None).font = NOTE
            _input(ws, row, INPUT_COLUMN, field.kind, values.get(field.path))
            _validate(ws, _validation(field.label, field.kind, field.hint, field.limits, field.choices),
                      f"{get_column_letter(INPUT_COLUMN)}{row}")
    for column, width in ((LABEL_COLUMN, 22), (INPUT_COLUMN, 44), (NOTE_COLUMN, 34)):
        ws.column_dimensions[get_column_letter(column)].width = width
    _protect(ws)
    print_landscape(ws)


def _table_sheet(ws, table: Table, rows: list[list]) -> None:
    """The title and note, the headings, and the yellow input rows (at least `table.rows`), pre-filled."""
    put(ws, 1, 1, table.title).font = TITLE
    put(ws, 2, 1, table.note).font = NOTE
    count = max(table.rows, len(rows))
    last = table.first_row + count - 1
    for column, spec in enumerate(table.columns, 1):
        cell = put(ws, table.heading_row, column, spec.heading)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADING_FILL, GRID, CENTER
        ws.column_dimensions[get_column_letter(column)].width = spec.width
        for row in range(table.first_row, last + 1):
            values = rows[row - table.first_row] if row - table.first_row < len(rows) else []
            _input(ws, row, column, spec.kind, values[column - 1] if column <= len(values) else None)
        letter = get_column_letter(column)
        _validate(ws, _column_validation(spec), f"{letter}{table.first_row}:{letter}{last}")
    ws.row_dimensions[table.heading_row].height = 45
    ws.freeze_panes = ws.cell(table.first_row, 2)
    _protect(ws)
    print_landscape(ws, table.heading_row)


def _nerve_names(ws, version: CatalogVersion, codes: list[str]) -> None:
    """Under each nerve code of `Treatments`, the nerve's name; over them, what to put there."""
    first = len(TREATMENT_LEAD) + 1
    for column, code in enumerate(codes, first):
        target = version.targets.get(code)
        cell = put(ws, NERVE_NAME_ROW, column, f"{target.name} ({target.region})" if target else "not in the catalog")
        cell.font, cell.alignment, cell.border = SMALL, CENTER, GRID
    ws.row_dimensions[NERVE_NAME_ROW].height = 80
    put(ws, TREATMENTS_TABLE.heading_row - 1, first, "Nerves treated: Y under each").font = BOLD


def _input(ws, row: int, column: int, kind: str, value) -> None:
    """A yellow, unlocked input cell holding `value` (None: empty) in the number format of its kind."""
    cell = put(ws, row, column, value)
    cell.number_format = FORMATS.get(kind, "General")
    cell.fill, cell.border, cell.protection = INPUT_FILL, GRID, UNLOCKED
    if kind in (MARK, YES_NO):
        cell.alignment = CENTER


def _validation(label: str, kind: str, hint: str, limits: tuple, choices: str | None) -> DataValidation:
    """The rule and input message of an input cell: a drop-down, a range, a length, or the message alone."""
    rule = {}
    if choices or kind in (YES_NO, MARK):
        rule = {"type": "list", "formula1": f"procure_{choices or 'yes_no'}"}
    elif kind in (WHOLE, NUMBER) and limits:
        rule = {"type": "whole" if kind == WHOLE else "decimal", "operator": "between",
                "formula1": str(limits[0]), "formula2": str(limits[1])}
    elif kind == DATE:
        rule = {"type": "date", "operator": "between", "formula1": str(int(to_excel(limits[0]))),
                "formula2": str(int(to_excel(limits[1])))}
    elif kind == TEXT and limits:
        rule = {"type": "textLength", "operator": "between", "formula1": str(limits[0]),
                "formula2": str(limits[1])}
    return DataValidation(**rule, allow_blank=True, showInputMessage=True, promptTitle=label[:PROMPT_TITLE],
                          prompt=hint[:PROMPT], showErrorMessage=bool(rule), errorTitle=label[:PROMPT_TITLE],
                          error=hint[:PROMPT])


def _column_validation(column: FormColumn) -> DataValidation:
    hint = column.hint or f"Y if this treatment freezes {column.heading}; blank if not."
    return _validation(column.heading, column.kind, hint, column.limits, column.choices)


def _validate(ws, validation: DataValidation, cells: str) -> None:
    validation.add(cells)
    ws.add_data_validation(validation)


def _lists_sheet(workbook: Workbook, version: CatalogVersion) -> None:
    """The hidden sheet of the form and catalog versions and of the drop-down lists, each under a workbook name."""
    ws = workbook.create_sheet(LISTS)
    sheet = quote_sheetname(LISTS)
    for row, (name, label, value) in enumerate(((FORM_VERSION_NAME, "Form version", FORM_VERSION),
                                                (CATALOG_VERSION_NAME, "Catalog version", version.version)), 1):
        put(ws, row, 1, label)
        put(ws, row, 2, value)
        workbook.defined_names[name] = DefinedName(name, attr_text=f"{sheet}!${VERSION_CELLS[name][0]}$"
                                                                   f"{VERSION_CELLS[name][1:]}")
    parts = _parts_by_generation(version)
    lists = {"parts": [p.part for p in parts], "handpieces": [p.part for p in parts if p.kind == "handpiece"],
             "consumables": [p.part for p in parts if p.kind != "handpiece"], "yes_no": ["Y", "N"],
             "sites": list(version.fees.sites), "generations": sorted({p.generation for p in parts})}
    for column, spec in enumerate(LISTS_COLUMNS, 1):
        letter = get_column_letter(column)
        put(ws, LIST_FIRST_ROW - 1, column, spec.heading)
        items = lists[spec.name]
        for row, item in enumerate(items, LIST_FIRST_ROW):
            put(ws, row, column, item)
        name = f"procure_{spec.name}"
        workbook.defined_names[name] = DefinedName(
            name, attr_text=f"{sheet}!${letter}${LIST_FIRST_ROW}:${letter}${LIST_FIRST_ROW + len(items) - 1}")
    ws.sheet_state = "hidden"
    _protect(ws)


def _parts_by_generation(version: CatalogVersion):
    """The parts of a version, Gen 1 first, in catalog order within a generation."""
    return sorted(version.parts, key=lambda p: p.generation)


def _protect(ws) -> None:
    """Protected without a password: only the unlocked input cells take typing; columns may be widened."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


