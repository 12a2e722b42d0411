"""`procure quote email | send | due`: quotes e-mailed from the register, and what expires soon."""

import datetime

import click

from procure.cli.common import (
    catalog_of,
    json_option,
    profile_option,
)
from procure.cli.register_groups import (
    by_option,
    quote,
    register_command,
)
from procure.core.errors import InputError


def _draft(store, number, to, cc, profile_path):
    """The message of quote NUMBER, and the profile it is from."""
    from procure.register.issuing import find
    from procure.register.mail import compose, profile_of
    from procure.register.ordering import contract_of

    found = find(store, number, datetime.date.today())
    profile = profile_of(store, found.number, profile_path)
    contract = contract_of(store, catalog_of(click.get_current_context()), found).display_number
    return compose(store, found.number, profile, contract, to=to, cc=cc), profile


@register_command(quote)
@click.argument("number")
@click.option("-o", "--output", required=True, metavar="FILE.eml", help="The message file to write.")
@click.option("--to", "to", multiple=True, metavar="ADDR", help="Send to this address instead of the quote's contact.")
@click.option("--cc", "cc", multiple=True, metavar="ADDR", help="Copy to this address.")
@profile_option
@click.option("--force", is_flag=True, help="Overwrite FILE.eml if it exists.")
def email(store, number, output, to, cc, profile, force):
    """Write quote NUMBER as an e-mail draft (.eml).

    Check it and send it from your mail program.
    """
    from pathlib import Path

    from procure.files.whole import check_targets, write_whole
    from procure.register.mail import eml_bytes

    path = Path(output)
    if path.suffix.lower() != ".eml":
        raise InputError(f"{output}: give a file name ending in .eml")
    [target] = check_targets(path.parent, [path.name], force=force)
    draft, _ = _draft(store, number, to, cc, profile)
    write_whole([target], [eml_bytes(draft)], force=force)
    click.echo(f"wrote {target} (to {', '.join(draft.recipients)})")
    for note in draft.notes:
        click.echo(f"note: {note}", err=True)


@register_command(quote)
@click.argument("number")
@click.option("--to", "to", multiple=True, metavar="ADDR", help="Send to this address instead of the quote's contact.")
@click.option("--cc", "cc", multiple=True, metavar="ADDR", help="Copy to this address.")
@profile_option
@by_option
def send(store, number, to, cc, profile, by):
    """Send quote NUMBER by e-mail and record that it was sent.

    Through the profile's [smtp] server.
    """
    from procure.register.issuing import issuer
    from procure.register.mail import send as deliver

    draft, found = _draft(store, number, to, cc, profile)
    sent, refused = deliver(store, draft, found.smtp if found else None, by=issuer(by))
    for note in draft.notes:
        click.echo(f"note: {note}", err=True)
    for line in refused:
        click.echo(f"warning: {line}", err=True)
    copies = f" (cc {', '.join(sent.cc)})" if sent.cc else ""
    click.echo(f"sent {sent.number} to {', '.join(sent.recipients)}{copies}, Message-ID {sent.message_id}")


@register_command(quote)
@click.option("--within", "days", type=click.IntRange(0, 3650), default=7, show_default=True, metavar="DAYS",
              help="Quotes whose validity ends within this many days from today.")
@json_option
def due(store, days, as_json):
    """List quotes to approve, expiring soon or with changes asked.

    Awaiting approval first; then issued or sent, not accepted or void, that expire soon or whose customer asked
    for changes; soonest first.
    """
    from procure.presenters.customer_listing import due_text

    today = datetime.date.today()
    until = today + datetime.timedelta(days=days)
    if as_json:
        from procure.presenters.quote_listing import json_document

        click.echo(json_document(store.entries_json(today=today, status="awaiting-approval") +
                                 store.entries_json(today=today, status="issued", expiring=until,
                                                    or_changes_requested=True)), color=True)
        return
    click.echo(due_text(store, store.entries(today=today, status="awaiting-approval") +
                        store.entries(today=today, status="issued", expiring=until, or_changes_requested=True),
                        today, until))
