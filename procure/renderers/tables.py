"""Plain-text tables aligned for a terminal or an email body, and the three tables of an order.

`procure plan` and the text summary template print the same tables from here.
"""

import itertools
from collections.abc import Collection, Iterator
from decimal import Decimal

from procure.core.money import format_money

WIDTH = 100
"""The widest line of a text table or summary, so that it reads in an e-mail without wrapping."""
NARROWEST = 10
"""A column of text is not wrapped narrower than this."""


def wrap(text, width: int = WIDTH) -> str:
    """A paragraph wrapped to `width` characters, the lines after the first indented by two spaces."""
    import textwrap  # here, not above: `plan` prints its tables without loading it

    return textwrap.fill(str(text), width, subsequent_indent="  ", break_long_words=True, break_on_hyphens=False)


def _cell_lines(text: str, width: int) -> list[str]:
    """A cell of a wrapped column as lines of at most `width` characters."""
    if len(text) <= width and text == text.strip() and text.isprintable():
        return [text]  # what textwrap gives a cell that fits, without loading textwrap
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def text_table(headers: list[str], rows: list[list], right: Collection[int] = frozenset(),
               wrapped: tuple[int, ...] = (), width: int | None = None) -> str:
    """Columns padded to their widest cell; column numbers in `right` aligned right.

    When `width` is given and the table is wider, the columns in `wrapped` are narrowed (the widest first, to at least
    NARROWEST characters) and their cells wrapped onto more lines.
    """
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(map(len, column)) for column in zip(*cells, strict=True)]
    excess = sum(widths) + 2 * (len(widths) - 1) - width if width else 0
    while excess > 0:
        column = max(wrapped, key=lambda i: widths[i], default=None)
        if column is None or widths[column] <= NARROWEST:
            break
        widths[column] -= 1
        excess -= 1

    layout = "  ".join(f"{{:{'>' if i in right else '<'}{w}}}" for i, w in enumerate(widths))
    split: dict[tuple[str, int], list[str]] = {}  # a wrapped column holds few texts many times (consumable names)

    def lines(row: list[str]) -> Iterator[str]:
        parts = [[c] for c in row]
        for i in wrapped:
            key = (row[i], widths[i])
            if key not in split:
                split[key] = _cell_lines(*key)
            parts[i] = split[key]
        for texts in itertools.zip_longest(*parts, fillvalue=""):
            yield layout.format(*texts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([*lines(cells[0]), rule] + [line for r in cells[1:] for line in lines(r)])


def money(amount: Decimal | str | None) -> str:
    """`$1,234.56`, or `-` when there is no amount; an amount as the register's JSON writes it (`"1234.56"`, `""`
    for none) too, for the web desk's pages."""
    if isinstance(amount, str):
        amount = Decimal(amount) if amount else None
    return "-" if amount is None else format_money(amount)


def thousands(count: int | None) -> str:
    """`12,345`: a whole number with thousands separators, or nothing for None."""
    return "" if count is None else f"{count:,}"


def lines_table(order, width: int | None = None) -> str:
    rows = [[ln.line, ln.part.part, ln.part.description, ln.part.unit_of_issue, f"{ln.quantity:,}",
             money(ln.unit_price), money(ln.extended_price)] for ln in order.lines]
    rows.append(["", "", "Total", "", "", "", money(order.total)])
    return text_table(["Line", "Part", "Description", "UI", "Qty", "Unit price", "Extended"], rows, {4, 5, 6},
                      wrapped=(2,), width=width)


def derivation_table(order, width: int | None = None) -> str:
    return text_table(["Treatment", "Consumable", "Procedures", "Per proc.", "Units", "Spare", "Stock", "Net",
                       "Packs"],
                      [[r.treatment, r.consumable, r.procedures, r.per_procedure, r.units, r.spare, r.stock, r.net,
                        r.packs] for r in order.derivation], {2, 3, 4, 5, 6, 7}, wrapped=(0, 1, 8), width=width)


def coding_table(order, width: int | None = None) -> str:
    return text_table(["Treatment", "CPT", "Nerves", "Units", "Procedures", "Site", "Fee/procedure", "Total"],
                      [[r.treatment, r.cpt, " ".join(r.nerves), r.units, r.procedures, r.site or "-",
                        money(r.fee_per_procedure), money(r.total)] for r in order.coding], {3, 4, 6, 7},
                      wrapped=(0, 2), width=width)


def stock_counted(order) -> str:
    """`Stock on hand: 1 PK STT2309-5 = 5; 0 PK CRX2111-10 + 4 = 4`, or nothing when no stock counted."""
    counted = [row.stock_counted for row in order.derivation if row.stock_counted]
    return f"Stock on hand (units of issue + loose units): {'; '.join(counted)}" if counted else ""


CHANGE_HEADINGS = ["Part", "Change", "Quantity", "Unit price", "Extended price"]


def change_rows(revision) -> list[list[str]]:
    """The changes of a revision, one row a part: part, change, then quantity, unit price and extended
    price each as `before -> after`."""
    def both(before, after, show):
        return f"{show(before)} -> {show(after)}"

    def count(value):
        return "-" if value is None else f"{value:,}"

    return [[c.part, c.change, both(c.quantity_before, c.quantity_after, count),
             both(c.unit_price_before, c.unit_price_after, money), both(c.extended_before, c.extended_after, money)]
            for c in revision.changes]


def changes_table(order, width: int | None = None) -> str:
    """The changes from the previous revision, or a sentence when no line changed."""
    rows = change_rows(order.revision)
    return text_table(CHANGE_HEADINGS, rows, {2, 3, 4}, width=width) if rows else "No line changed."
