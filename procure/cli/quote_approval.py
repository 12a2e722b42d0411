"""`procure quote approve | reject`: quotes held by the profile's approval rules, released or voided by an
approver who did not issue them."""

import click

from procure.cli.register_groups import plain_text, quote, register_command

approver_option = click.option("--by", metavar="NAME", callback=plain_text,
                               help="Who approves (default: your login name); never who issued the quote.")


@register_command(quote)
@click.argument("number")
@approver_option
def approve(store, number, by):
    """Approve quote NUMBER, held for approval.

    It may then be e-mailed, sent and accepted."""
    from procure.register.approving import approve as release

    entry = release(store, number, by=by)
    click.echo(f"approved {entry.number}: it may now go to the customer")


@register_command(quote)
@click.argument("number")
@click.option("--reason", required=True, metavar="TEXT", callback=plain_text, help="Why the quote is rejected.")
@approver_option
def reject(store, number, reason, by):
    """Reject quote NUMBER, held for approval.

    It becomes void with the reason."""
    from procure.register.approving import reject as refuse

    entry = refuse(store, number, reason, by=by)
    click.echo(f"rejected {entry.number}: {entry.status_text}")
