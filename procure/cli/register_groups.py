"""The quote register on the command line: the `quote` and `register` groups and what their commands share.

`--register TARGET` (env PROCURE_REGISTER) names the register, on either group or on any of their commands: an
SQLite file, or a `postgresql://` URL. A command made with `register_command` gets the register open as its first
argument. Nothing of the register is imported until a command runs, so the other commands stay as light as they
were. The commands themselves: `quote.py` (issue, revise, list, show, files, verify, diff), `quote_mail.py`
(email, send, due), `quote_orders.py` (accept, amend, void, wawf), `quote_approval.py` (approve, reject) and
`register.py` (init, info, check, export, report).
"""

import functools

import click

from procure.core.errors import InputError

REGISTER_HELP = ("The register: an SQLite file, or a postgresql:// URL (also env PROCURE_REGISTER; default: "
                 "register.sqlite in the user's data folder, see `procure register info`).")
STATUSES = ("issued", "awaiting-approval", "superseded", "accepted", "void", "expired")


def register_option(envvar):
    return click.option("--register", "register_target", envvar=envvar, metavar="TARGET", help=REGISTER_HELP)


def _open(ctx: click.Context, target: str | None, create: bool):
    """The register named on the command, else on its group (or by PROCURE_REGISTER), open for this command."""
    from procure.register import open_register

    if target is None:
        target = ctx.parent.params.get("register_target") if ctx.parent else None
    return ctx.with_resource(open_register(target, create=create))


def register_command(group: click.Group, name: str | None = None, *, creates: bool = False):
    """A command of `group` that takes --register too and gets the open register as its first argument; only
    a command that `creates` makes a register that does not exist yet."""
    def decorate(function):
        @functools.wraps(function)
        def command(register_target, **kwargs):
            return function(_open(click.get_current_context(), register_target, creates), **kwargs)
        return group.command(name)(register_option(None)(command))
    return decorate


def plain_text(ctx, param, value: str | None) -> str | None:
    """An option's text, refused (naming the option) if it holds a control character: the register keeps it,
    and `quote list`, `quote show`, the export and the quote's text file would replay it to a terminal."""
    from procure.core.characters import describe, forbidden

    char = forbidden(value) if value is not None else None
    if char is not None:
        raise InputError(f"--{param.name} holds {describe(char)}: type it without one")
    return value


by_option = click.option("--by", metavar="NAME", callback=plain_text,
                         help="Who issues it (default: your login name).")
practice_option = click.option("--practice", is_flag=True,
                               help="Issue a practice quote: the only way to issue with an illustrative price list "
                                    "or an example profile. It says PRACTICE on every page and can never be "
                                    "accepted.")


@click.group()
@register_option("PROCURE_REGISTER")
def quote(register_target):
    """Issue, revise, list, verify, e-mail and track quotes.

    Quotes in the quote register.
    """


@click.group()
@register_option("PROCURE_REGISTER")
def register(register_target):
    """Set up, describe, check, export and report on the register."""


def office_options(function):
    """--pay-dodaac, --issue-by, --admin-by, --ship-to-dodaac: the offices a delivery order names, which WAWF asks
    for."""
    for option, office in reversed((("--pay-dodaac", "pay office"), ("--issue-by", "issuing office"),
                                    ("--admin-by", "administering office"),
                                    ("--ship-to-dodaac", "ship-to office (if not the requester)"))):
        function = click.option(option, metavar="X", help=f"The {office}'s DoDAAC, from the delivery order "
                                                          f"(for WAWF).")(function)
    return function


def warn(warnings) -> None:
    for text in warnings:
        click.echo(f"warning: {text}", err=True)


MAX_SHOWN = 20
"""Changes listed by a command that only warns of them; `register check` lists them all."""


def report_changes(store, *, quick: bool = False, numbers=None) -> None:
    """Print what was changed in the register outside procure (see `integrity`) and exit 1, if anything was."""
    from procure.register.sealing import problems

    found = problems(store, quick=quick, numbers=numbers)
    if not found:
        return
    ctx = click.get_current_context()
    shown = found if ctx.command.name == "check" else found[:MAX_SHOWN]
    for line in shown:
        click.echo(f"error: {line}", err=True)
    if len(shown) < len(found):
        click.echo(f"error: and {len(found) - len(shown)} more", err=True)
    if ctx.command.name != "check":
        click.echo("error: what the register shows cannot be trusted: `procure register check` lists every change",
                   err=True)
    ctx.exit(1)

