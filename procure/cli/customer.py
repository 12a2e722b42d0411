"""`procure customer ...`: the facility directory of the quote register (docs/customers-and-email.md).

Takes `--register TARGET` (env PROCURE_REGISTER) like `procure quote`.
"""

import datetime

import click

from procure.cli.common import json_option, print_json
from procure.cli.register_groups import register_command, register_option


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
    from procure.presenters.customer_listing import list_text, list_view

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
    from procure.presenters.customer_listing import show_text, show_view

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
    from procure.register.facility_directory import set_customer
    from procure.register.issuing import issuer
    from procure.register.records import Contact

    version = set_customer(store, dodaac, {"facility": facility, "ship_to": ship_to, "bill_to": bill_to,
                                           "mark_for": mark_for}, Contact(contact, email, phone), by=issuer(by))
    first = version.contacts[0] if version.contacts else None
    who = f"; first contact {', '.join(v for v in first if v)}" if first else ""
    click.echo(f"customer {version.dodaac} set: {version.facility}{who}")


@register_command(customer, "link")
@click.argument("dodaac", metavar="DODAAC")
@click.option("--days", type=click.IntRange(1, 3650), default=180, show_default=True,
              help="How many days the link works.")
@click.option("--base-url", metavar="URL", help="Where officers reach the desk (default: the profile's [web] "
                                                 "base_url).")
@click.option("--profile", "profile_path", metavar="FILE", help="The profile whose [web] base_url to use.")
@click.option("--by", metavar="NAME", help="Who makes the link (default: your login name).")
def link_command(store, dodaac, days, base_url, profile_path, by):
    """Make a link for a facility's officers; prints it once."""
    import re

    from procure.core.profile import BASE_URL, profile_for
    from procure.register.issuing import issuer
    from procure.register.links import create_link, url_of

    if not base_url:
        profile = profile_for(profile_path)
        base_url = profile.base_url if profile else None
    if not base_url:
        raise click.UsageError("give --base-url URL (such as https://quotes.example.com), or set [web] base_url "
                               "in the profile: the link starts with it")
    if not re.fullmatch(BASE_URL, base_url):
        raise click.UsageError(f"--base-url {base_url!r} is not a web address such as https://quotes.example.com")
    link, token = create_link(store, dodaac, by=issuer(by), days=days)
    click.echo(url_of(base_url, token))
    click.echo(f"link {link.id} for {link.dodaac}, valid until {link.expires_at:%Y-%m-%d %H:%M} UTC: send it to the "
               f"facility's officers; it is not shown again (the register keeps only its hash)", err=True)


@register_command(customer, "links")
@click.argument("dodaac", metavar="DODAAC")
@json_option
def links_command(store, dodaac, as_json):
    """List a facility's links (never their tokens)."""
    from procure.register.links import links
    from procure.register.stored import utc_now

    now = utc_now()
    found = links(store, dodaac)

    def moment(value):
        return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")

    if as_json:
        print_json({"links": [{"id": k.id, "dodaac": k.dodaac, "created": moment(k.created_at), "by": k.created_by,
                               "expires": moment(k.expires_at), "last_used": moment(k.last_used_at),
                               "revoked": moment(k.revoked_at), "state": k.state(now)} for k in found]})
        return
    if not found:
        click.echo(f"{dodaac.strip().upper()} has no links (`procure customer link {dodaac.strip().upper()}` makes "
                   f"one)")
    for k in found:
        used = f"last used {k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never used"
        click.echo(f"link {k.id}: {k.state(now)}; made {k.created_at:%Y-%m-%d %H:%M} by {k.created_by}; expires "
                   f"{k.expires_at:%Y-%m-%d %H:%M}; {used}"
                   + (f"; revoked {k.revoked_at:%Y-%m-%d %H:%M} by {k.revoked_by}" if k.revoked_at else ""))


@register_command(customer, "revoke")
@click.argument("dodaac", metavar="DODAAC")
@click.option("--link", "link_id", type=int, metavar="ID", help="The link to revoke (default: every live one).")
@click.option("--by", metavar="NAME", help="Who revokes (default: your login name).")
def revoke_command(store, dodaac, link_id, by):
    """Revoke a facility's link, or all of them."""
    from procure.register.issuing import issuer
    from procure.register.links import revoke

    for k in revoke(store, dodaac, by=issuer(by), link_id=link_id):
        click.echo(f"revoked link {k.id} of {k.dodaac}")
