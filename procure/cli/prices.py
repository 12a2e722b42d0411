"""`procure prices load | list | show | diff`: the contract price lists kept in the quote register.

Takes `--register TARGET` (env PROCURE_REGISTER) like `procure quote`.
"""

import datetime

import click

from procure.cli.common import IsoDate, catalog_of, json_option, print_json
from procure.cli.register_groups import by_option, plain_text, register_command, register_option


@click.group()
@register_option("PROCURE_REGISTER")
def prices(register_target):
    """Keep the contract price lists in the register.

    Each list is in force from its effective date."""


@register_command(prices, "load", creates=True)
@click.argument("path", metavar="FILE")
@click.option("--effective", required=True, type=IsoDate(),
              help="The date from which the list is in force (quotes dated on or after it use it).")
@click.option("--note", metavar="TEXT", callback=plain_text, help="What the list is, e.g. the contract modification.")
@by_option
def load(store, path, effective, note, by):
    """Load a price list FILE (CSV or XLSX) into the register.

    It is in force from --effective DATE."""
    from procure.register.issuing import issuer
    from procure.register.price_lists import load as store_list, read

    parsed, data = read(path, catalog_of(click.get_current_context()), effective)
    loaded = store_list(store, parsed, data, effective=effective, note=note, by=issuer(by))
    click.echo(f"loaded {loaded.label}: {loaded.parts} parts, {loaded.digest}")


@register_command(prices, "list")
@json_option
def list_lists(store, as_json):
    """List the price lists by effective date.

    Says which list is in force today."""
    from procure.presenters.price_listing import list_text, list_view

    lists = store.price_lists()
    if as_json:
        print_json(list_view(lists))
    else:
        click.echo(list_text(lists, store.price_list_on(datetime.date.today())))


@register_command(prices)
@click.argument("list_id", metavar="[ID]", required=False)
@click.option("--on", "date", type=IsoDate(), help="The list in force on this date (default: today).")
@json_option
def show(store, list_id, date, as_json):
    """Show one price list: its parts and prices.

    The list ID, or the one in force --on DATE, or today."""
    from procure.core.errors import InputError
    from procure.presenters.price_listing import show_text, show_view
    from procure.register.price_lists import named, on, parsed

    if list_id is not None and date is not None:
        raise InputError("give a price list's ID or --on DATE, not both")
    stored = named(store, list_id) if list_id is not None else on(store, date or datetime.date.today())
    found = parsed(store, stored)
    if as_json:
        print_json(show_view(stored, found))
    else:
        click.echo(show_text(stored, found))


@register_command(prices)
@click.argument("old", metavar="A")
@click.argument("new", metavar="B")
@json_option
def diff(store, old, new, as_json):
    """Show what changed from price list A to price list B.

    Parts added, removed, and each price change with the old and new price."""
    from procure.presenters.price_listing import diff_text, diff_view
    from procure.register.price_lists import changes, named, parsed

    a, b = named(store, old), named(store, new)
    found = changes(parsed(store, a), parsed(store, b))
    if as_json:
        print_json(diff_view(a, b, found))
    else:
        click.echo(diff_text(a, b, found))
