"""`procure quote accept | amend | void | wawf`: what the government did with a quote, and the data WAWF asks for."""

import datetime

import click

from procure.cli.common import (
    IsoDate,
    catalog_of,
)
from procure.cli.registered import (
    by_option,
    office_options,
    plain_text,
    quote,
    register_command,
    warn,
)
from procure.core.catalog import piid_display
from procure.core.errors import InputError


@register_command(quote)
@click.argument("number")
@click.option("--delivery-order", required=True, metavar="PIID", help="The delivery order's PIID.")
@click.option("--order-date", type=IsoDate(), help="The date of the delivery order (default: today).")
@click.option("--amount", metavar="A", help="The order's total as the order states it (default: the quote's).")
@office_options
@by_option
def accept(store, number, delivery_order, order_date, amount, pay_dodaac, issue_by, admin_by, by):
    """Record that quote NUMBER was accepted (a delivery order).

    The delivery order's PIID is checked against the contract.
    """
    from procure.register.ordering import accept as record

    done = record(store, catalog_of(click.get_current_context()), number, delivery_order, order_date=order_date,
                  amount=amount, pay_dodaac=pay_dodaac, issue_by=issue_by, admin_by=admin_by, by=by)
    click.echo(f"accepted {done.entry.number} (delivery order {piid_display(done.placed.delivery_order)} of "
               f"{done.placed.order_date})")
    warn(done.warnings)


@register_command(quote)
@click.argument("number")
@click.option("--delivery-order", required=True, metavar="PIID", help="The corrected delivery order PIID.")
@click.option("--reason", required=True, metavar="TEXT", callback=plain_text,
              help="Why the delivery order is corrected.")
@office_options
@by_option
def amend(store, number, delivery_order, reason, pay_dodaac, issue_by, admin_by, by):
    """Correct the delivery order of accepted quote NUMBER.

    Or add its offices; the register keeps the earlier one too.
    """
    from procure.register.ordering import amend as record

    done = record(store, catalog_of(click.get_current_context()), number, delivery_order, reason, by=by,
                  pay_dodaac=pay_dodaac, issue_by=issue_by, admin_by=admin_by)
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
    from procure.register.wawf import wawf_of
    from procure.renderers.wawf import SUFFIXES, wawf_csv, wawf_text, wawf_xlsx

    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"{output}: give a file name ending in .xlsx, .csv or .txt")
    sheet = wawf_of(store, catalog_of(click.get_current_context()), number)
    [target] = check_targets(path.parent, [path.name], force=force)
    if suffix == ".xlsx":
        data = wawf_xlsx(sheet, datetime.datetime.combine(sheet.order_date, datetime.time()))
    else:
        data = (wawf_csv if suffix == ".csv" else wawf_text)(sheet)
    write_whole([target], [data], force=force)
    click.echo(f"wrote {target} ({len(sheet.lines)} line(s), total {format_money(sheet.total)})")
    if sheet.missing:
        click.echo(f"note: not known yet, left blank: {', '.join(sheet.missing)}; the offices come on the delivery "
                   f"order: add them with `procure quote amend {sheet.quote} --delivery-order "
                   f"{sheet.delivery_order} --reason ... --pay-dodaac X --issue-by X --admin-by X`", err=True)

