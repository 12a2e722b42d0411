"""`procure customer ...`: the facility directory of the quote register (README, "Customers and e-mail").

Takes `--register TARGET` (env PROCURE_REGISTER) like `procure quote`.
"""

import datetime

import click

from procure.cli.common import json_option, print_json
from procure.cli.registered import register_command, register_option


@click.group()
@register_option("PROCURE_REGISTER")
def customer(register_target):
    """The facilities quoted: DoDAAC, addresses and contacts.

    Kept in the quote register.
    """


@register_command(customer, "list")
@json_option
def list_customers(store, as_json):
    """List the facilities, with their quotes and accepted total.

    Every facility the directory knows.
    """
    from procure.views.customers import list_text, list_view

    view = list_view(store, datetime.date.today())
    if as_json:
        print_json(view)
    else:
        click.echo(list_text(view))


@register_command(customer)
@click.argument("dodaac", metavar="DODAAC")
@json_option
def show(store, dodaac, as_json):
    """Show a facility's record, quotes and record history.

    Its quotes with totals and statuses, and how the record changed.
    """
    from procure.views.customers import show_text, show_view

    view = show_view(store, dodaac, datetime.date.today())
    if as_json:
        print_json(view)
    else:
        click.echo(show_text(view))


@register_command(customer, "set", creates=True)
@click.argument("dodaac", metavar="DODAAC")
@click.option("--facility", metavar="TEXT", help="The facility's name.")
@click.option("--ship-to", metavar="TEXT", help="The delivery address.")
@click.option("--bill-to", metavar="TEXT", help="Who is billed, if not the facility.")
@click.option("--mark-for", metavar="TEXT", help="The clinic or person the boxes are marked for.")
@click.option("--contact", metavar="TEXT", help="The contact's name (becomes the first contact).")
@click.option("--email", metavar="TEXT", help="The contact's e-mail address.")
@click.option("--phone", metavar="TEXT", help="The contact's phone number.")
@click.option("--by", metavar="NAME", help="Who makes the change (default: your login name).")
def set_command(store, dodaac, facility, ship_to, bill_to, mark_for, contact, email, phone, by):
    """Record a facility's details (the old record is kept).

    A new version of its record.
    """
    from procure.register.customers import set_customer
    from procure.register.issuing import issuer
    from procure.register.store import Contact

    version = set_customer(store, dodaac, {"facility": facility, "ship_to": ship_to, "bill_to": bill_to,
                                           "mark_for": mark_for}, Contact(contact, email, phone), by=issuer(by))
    first = version.contacts[0] if version.contacts else None
    who = f"; first contact {', '.join(v for v in first if v)}" if first else ""
    click.echo(f"customer {version.dodaac} set: {version.facility}{who}")
