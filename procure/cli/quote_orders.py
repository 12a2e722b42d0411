"""`procure quote accept | amend | void | wawf`: what the government did with a quote, and the data WAWF asks for."""

import click

from procure.cli.common import (
    IsoDate,
    catalog_of,
)
from procure.cli.register_groups import (
    by_option,
    office_options,
    plain_text,
    quote,
    register_command,
    warn,
)
from procure.core.catalog import piid_display
from procure.core.errors import InputError


def line_quantities(ctx, param, values) -> dict[str, str]:
    """`--ordered LINE=QTY ...` as `{LINE: QTY}` (the register judges the lines and quantities); a line named twice
    or a value without `=` is a usage error."""
    found: dict[str, str] = {}
    for value in values:
        line, equals, quantity = value.partition("=")
        if not equals or not line.strip():
            raise click.BadParameter(f"{value!r} is not LINE=QTY, such as 0004=0", ctx, param)
        if line.strip().lstrip("0").upper() in {k.lstrip("0").upper() for k in found}:
            raise click.BadParameter(f"line {line.strip()} is named twice", ctx, param)
        found[line.strip()] = quantity
    return found


@register_command(quote)
@click.argument("number")
@click.option("--delivery-order", required=True, metavar="PIID", help="The delivery order's PIID.")
@click.option("--order-date", type=IsoDate(), help="The date of the delivery order (default: today).")
@click.option("--ordered", multiple=True, metavar="LINE=QTY", callback=line_quantities,
              help="The quantity the order takes of line LINE (its item number, such as 0004, or its part); 0 "
                   "leaves the line out. Lines not named are ordered as quoted. Repeat for more lines.")
@click.option("--amount", metavar="A", help="The order's total as the order states it; it must equal the ordered "
                                             "lines' total (default: that total).")
@click.option("--force", is_flag=True, help="Accept although --amount differs from the ordered lines' total (the "
                                             "difference is recorded as a note).")
@office_options
@by_option
def accept(store, number, delivery_order, order_date, ordered, amount, force, pay_dodaac, issue_by, admin_by,
           ship_to_dodaac, by):
    """Record that quote NUMBER was accepted (a delivery order).

    The delivery order's PIID is checked against the contract, and what the order covers is recorded.
    """
    from procure.register.ordering import accept as record
    from procure.renderers.tables import money

    done = record(store, catalog_of(click.get_current_context()), number, delivery_order, order_date=order_date,
                  ordered=ordered, amount=amount, force=force, pay_dodaac=pay_dodaac, issue_by=issue_by,
                  admin_by=admin_by, ship_to=ship_to_dodaac, by=by)
    placed = done.placed
    covered = "" if placed.ordered is None else (
        f"; {sum(1 for q in placed.ordered if q)} of {len(placed.ordered)} lines ordered, "
        f"{money(placed.ordered_total)} of {money(done.entry.total)} quoted")
    click.echo(f"accepted {done.entry.number} (delivery order {piid_display(placed.delivery_order)} of "
               f"{placed.order_date}{covered})")
    warn(done.warnings)


@register_command(quote)
@click.argument("number")
@click.option("--delivery-order", required=True, metavar="PIID", help="The corrected delivery order PIID.")
@click.option("--reason", required=True, metavar="TEXT", callback=plain_text,
              help="Why the delivery order is corrected.")
@office_options
@by_option
def amend(store, number, delivery_order, reason, pay_dodaac, issue_by, admin_by, ship_to_dodaac, by):
    """Correct the delivery order of accepted quote NUMBER.

    Or add its offices; the register keeps the earlier one too.
    """
    from procure.register.ordering import amend as record

    done = record(store, catalog_of(click.get_current_context()), number, delivery_order, reason, by=by,
                  pay_dodaac=pay_dodaac, issue_by=issue_by, admin_by=admin_by, ship_to=ship_to_dodaac)
    was = done.entry.delivery_order
    click.echo(f"amended {done.entry.number} (delivery order {piid_display(done.placed.delivery_order)}, was "
               f"{piid_display(was) if was else 'none'})")
    warn(done.warnings)


@register_command(quote)
@click.argument("number")
@click.option("--reason", required=True, metavar="TEXT", callback=plain_text, help="Why the quote is void.")
@click.option("--force", is_flag=True, help="Void a quote that is accepted (its delivery order stays on record).")
@by_option
def void(store, number, reason, force, by):
    """Record that quote NUMBER is void, and why."""
    from procure.register.ordering import void as record

    event = record(store, number, reason, force=force, by=by)
    click.echo(f"void {event.number} ({event.reason})")


@register_command(quote)
@click.argument("number")
@click.option("-o", "--output", required=True, metavar="FILE", help="The .xlsx, .csv or .txt file to write.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def wawf(store, number, output, force):
    """Write the data WAWF asks for to invoice quote NUMBER.

    For the Invoice and Receiving Report of the accepted quote.
    """
    from pathlib import Path

    from procure.core.money import format_money
    from procure.files.whole import check_targets, write_whole
    from procure.register.accepted_wawf import wawf_of
    from procure.renderers.wawf_sheet import SUFFIXES, wawf_file

    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"{output}: give a file name ending in .xlsx, .csv or .txt")
    sheet = wawf_of(store, catalog_of(click.get_current_context()), number)
    [target] = check_targets(path.parent, [path.name], force=force)
    write_whole([target], [wawf_file(sheet, suffix)], force=force)
    click.echo(f"wrote {target} ({len(sheet.lines)} line(s), total {format_money(sheet.total)})")
    if sheet.missing:
        click.echo(f"note: not known yet, left blank: {', '.join(sheet.missing)}; the offices come on the delivery "
                   f"order: add them with `procure quote amend {sheet.quote} --delivery-order "
                   f"{sheet.delivery_order} --reason ... --pay-dodaac X --issue-by X --admin-by X`", err=True)

