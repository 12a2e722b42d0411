"""Plain-text tables aligned for a terminal or an email body, and the three tables of an order.

`procure plan` and the text summary template print the same tables from here.
"""

from procure.core.money import format_money


def text_table(headers: list[str], rows: list[list], right: set[int] = frozenset()) -> str:
    """Columns padded to their widest cell; column numbers in `right` aligned right."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])


def money(amount) -> str:
    """`$1,234.56`, or `-` when there is no amount."""
    return "-" if amount is None else format_money(amount)


def lines_table(order) -> str:
    rows = [[ln.line, ln.part.part, ln.part.description, ln.part.unit_of_issue, f"{ln.quantity:,}",
             money(ln.unit_price), money(ln.extended_price)] for ln in order.lines]
    rows.append(["", "", "Total", "", "", "", money(order.total)])
    return text_table(["Line", "Part", "Description", "UI", "Qty", "Unit price", "Extended"], rows, {4, 5, 6})


def derivation_table(order) -> str:
    return text_table(["Treatment", "Consumable", "Procedures", "Per proc.", "Units", "Spare", "Stock", "Net",
                       "Packs"],
                      [[r.treatment, r.consumable, r.procedures, r.per_procedure, r.units, r.spare, r.stock, r.net,
                        r.packs] for r in order.derivation], {2, 3, 4, 5, 6, 7})


def coding_table(order) -> str:
    return text_table(["Treatment", "CPT", "Nerves", "Units", "Procedures", "Site", "Fee/procedure", "Total"],
                      [[r.treatment, r.cpt, " ".join(r.nerves), r.units, r.procedures, r.site or "-",
                        money(r.fee_per_procedure), money(r.total)] for r in order.coding], {3, 4, 6, 7})


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


CHANGE_HEADINGS = ["Part", "Change", "Quantity", "Unit price", "Extended price"]


def changes_table(order) -> str:
    """The changes from the previous revision, or a sentence when no line changed."""
    rows = change_rows(order.revision)
    return text_table(CHANGE_HEADINGS, rows, {2, 3, 4}) if rows else "No line changed."
