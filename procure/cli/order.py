"""`procure example | check | plan | build`: from a request to an order."""

import datetime
import os

import click

from procure.cli.common import (
    catalog_of,
    directory,
    directory_option,
    html_option,
    json_option,
    output_option,
    prices_option,
    print_json,
    profile_option,
    templates_option,
    version_option,
)
from procure.core.build import build_order
from procure.core.errors import InputError, NotInForce, PartialRequest, ProcureError
from procure.core.findings import ERROR, errors_first, finding_line
from procure.core.order import Order
from procure.core.prices import price_list_for
from procure.core.profile import profile_for
from procure.core.rules import quote_expired
from procure.inputs import read_request
from procure.presenters.order_text import check_text, plan_text
from procure.shipped import shipped_folder


def existing_register(target: str | None) -> str | None:
    """How the register `target` names (else the default one) is shown, when it exists: a named PostgreSQL register
    counts as existing (it is not opened to find out), an SQLite one when its file does."""
    from os.path import isfile

    from procure.register.target import POSTGRES, resolve

    where = resolve(target)
    return where.shown if where.kind == POSTGRES or isfile(where.location) else None


def _order(ctx, request_path, prices, pinned, profile, register) -> Order:
    try:
        request = read_request(request_path, directory=directory(register))
    except PartialRequest as e:
        raise InputError(e.problems + _findings_of(ctx, e.request, prices, pinned, profile)) from None
    return build_order(request, catalog_of(ctx), prices=price_list_for(request, prices),
                       profile=profile_for(profile), catalog_version=pinned)


def _findings_of(ctx, request, prices, pinned, profile) -> list[str]:
    """The rule findings of what could be read of a request with problems, so that a form's problems and its
    findings come in one run; nothing when not even that can be planned."""
    if request is None:
        return []
    try:
        order = build_order(request, catalog_of(ctx), prices=price_list_for(request, prices),
                            profile=profile_for(profile), catalog_version=pinned)
    except ProcureError:
        return []
    return [f"{request.name}: {finding_line(f)}" for f in order.findings if f.severity == ERROR]


def _of_today(order: Order) -> tuple:
    """Findings that depend on the day the command runs: printed, never written into the outputs."""
    return tuple(quote_expired(order.quote, datetime.date.today()))


def _report(ctx, request_path, prices, pinned, profile, register, as_json, text) -> None:
    """Print the order of a request (as `text(order)` or JSON); exit 1 when it has an error finding.

    With --json, a date no catalog version covers is reported as JSON too: the contract prints JSON on exit 1.
    """
    try:
        order = _order(ctx, request_path, prices, pinned, profile, register)
    except NotInForce as e:
        if not as_json:
            raise
        from procure.presenters.order_json import not_in_force_view  # here, not above: only --json needs it

        print_json(not_in_force_view(e))
        ctx.exit(1)
    order = order._replace(findings=errors_first(order.findings + _of_today(order)))
    if as_json:
        from procure.presenters.order_json import order_view

        print_json(order_view(order))
    else:
        click.echo(text(order))
    if order.errors:
        ctx.exit(1)


@click.command()
@click.option("--profile", "profile", is_flag=True,
              help="Print a commented example profile (vendor identity and preparer) instead.")
def example(profile):
    """Print a commented example request (or profile) to edit.

    A complete example, to save as a file and change.
    """
    name = "example-profile.toml" if profile else "example-request.toml"
    with open(os.path.join(shipped_folder("templates"), name), encoding="utf-8") as example_file:
        click.echo(example_file.read(), nl=False)


def request_command(function):
    """A command reading REQUEST with --prices, --catalog-version and --json."""
    for option in (click.pass_context, json_option, directory_option, profile_option, version_option, prices_option,
                   click.argument("request", metavar="REQUEST")):
        function = option(function)
    return click.command()(function)


@request_command
def check(ctx, request, prices, pinned, profile, register_target, as_json):
    """Check a request: schema, parts, compatibility, contract.

    Exit 1 on any error finding.
    """
    _report(ctx, request, prices, pinned, profile, register_target, as_json, check_text)


@request_command
def plan(ctx, request, prices, pinned, profile, register_target, as_json):
    """Show the order a request makes and how it was derived.

    Every quantity comes with the steps that led to it.
    """
    _report(ctx, request, prices, pinned, profile, register_target, as_json, plan_text)


@click.command()
@click.argument("request", metavar="REQUEST")
@output_option
@prices_option
@profile_option
@version_option
@click.option("--force", is_flag=True, help="Overwrite files of the same quote number.")
@html_option
@templates_option
@directory_option
@click.pass_context
def build(ctx, request, output, prices, profile, pinned, force, with_html, templates, register_target):
    """Write a quote's workbook, PDF, text and HTML copy into DIR.

    The ECAT order workbook, the PDF quote, the text summary and the accessible HTML copy (--no-html leaves
    it out).

    A built quote is not registered: `procure quote issue` numbers and stores it.
    """
    from procure.renderers.outputs import write_outputs, written_suffixes

    order = _order(ctx, request, prices, pinned, profile, register_target)
    for path in write_outputs(order, output, force=force, templates=templates, suffixes=written_suffixes(with_html)):
        click.echo(f"wrote {path}")
    for finding in order.warnings + _of_today(order):
        click.echo(finding_line(finding), err=True)
    register = existing_register(register_target)
    if register is not None:
        given = "".join(f" {option} {value}" for option, value in (("--prices", prices), ("--profile", profile))
                        if value)
        click.echo(f"note: quote {order.quote.number} is not registered in {register}; to issue it into the "
                   f"register: procure quote issue {request} -o {output}{given}", err=True)
