"""`procure example | check | plan | build`: from a request to an order."""

from pathlib import Path

import click

from procure.builder import build_order
from procure.catalog import shipped_folder
from procure.cli_common import catalog_of, prices_line, print_json
from procure.errors import NotInForce
from procure.order import Order
from procure.request import read_request
from procure.tables import coding_table, derivation_table, lines_table, money
from procure.views import order_view

prices_option = click.option("--prices", metavar="FILE",
                             help="Price list (CSV or XLSX); overrides [pricing] price_list of the request.")
version_option = click.option("--catalog-version", "pinned", metavar="V",
                              help="Use this catalog version instead of the one in force on the quote date.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")


def _order(ctx, request_path, prices, pinned, building=False) -> Order:
    return build_order(read_request(request_path), catalog_of(ctx), prices=prices, catalog_version=pinned,
                       building=building)


def _report(ctx, request_path, prices, pinned, as_json, text) -> None:
    """Print the order of a request (as `text(order)` or JSON); exit 1 when it has an error finding.

    With --json, a date no catalog version covers is reported as JSON too: the contract prints JSON on exit 1.
    """
    try:
        order = _order(ctx, request_path, prices, pinned)
    except NotInForce as e:
        if not as_json:
            raise
        print_json({"catalog": None, "lines": [], "total": None, "reimbursement": [],
                    "issues": [{"severity": "error", "code": e.code, "message": str(e), "subject": e.subject}]})
        ctx.exit(1)
    if as_json:
        print_json(order_view(order))
    else:
        click.echo(text(order))
    if order.errors:
        ctx.exit(1)


def _findings(order: Order) -> str:
    if not order.issues:
        return "No findings."
    return "\n".join(f"{i.severity.upper():7} {i.code}: {i.message}" + (f" [{i.source}]" if i.source else "")
                     for i in order.issues)


def _verdict(order: Order) -> str:
    return f"{len(order.errors)} error(s), {len(order.warnings)} warning(s)."


@click.command()
def example():
    """Print a complete, commented example request to save and edit."""
    click.echo((shipped_folder("templates") / "example-request.toml").read_text(encoding="utf-8"), nl=False)


def request_command(function):
    """A command reading REQUEST with --prices, --catalog-version and --json."""
    for option in (click.pass_context, json_option, version_option, prices_option,
                   click.argument("request", metavar="REQUEST")):
        function = option(function)
    return click.command()(function)


@request_command
def check(ctx, request, prices, pinned, as_json):
    """Check a request: schema, parts, compatibility, contract. Exit 1 on any error finding."""
    _report(ctx, request, prices, pinned, as_json, lambda order: f"{_findings(order)}\n{_verdict(order)}")


@request_command
def plan(ctx, request, prices, pinned, as_json):
    """Show the order a request makes, with how every quantity was derived."""
    _report(ctx, request, prices, pinned, as_json, plan_text)


def plan_text(order: Order) -> str:
    c, q = order.catalog, order.quote
    out = [f"Quote {q.number} dated {q.date}, valid through {q.valid_through}",
           f"Contract {c.contract.display_number}, catalog version {c.version} ({c.digest[:19]})",
           prices_line(order.price_list), "", "Order lines", lines_table(order), "",
           "How the quantities were derived (units are single tips or cartridges)", derivation_table(order)]
    if order.coding:
        fees = order.catalog.fees
        out += ["", "Coding estimate (units per procedure; fees before multiple-procedure payment reductions)",
                coding_table(order)]
        if order.coding_total is not None:
            out.append(f"Estimated total ({order.coding[0].site_label}): {money(order.coding_total)}")
        out += [fees.source, *(f"- {line}" for line in fees.disclaimers)]
    out += ["", "Findings", _findings(order), _verdict(order)]
    return "\n".join(out)


@click.command()
@click.argument("request", metavar="REQUEST")
@click.option("-o", "--output", "output", required=True, metavar="DIR", help="Folder to write the files into.")
@prices_option
@version_option
@click.option("--force", is_flag=True, help="Overwrite files of the same quote number.")
@click.option("--templates", metavar="DIR", help="Folder of templates that take precedence over the shipped ones.")
@click.pass_context
def build(ctx, request, output, prices, pinned, force, templates):
    """Write the ECAT order workbook, the PDF quote and the text summary into DIR."""
    from procure.outputs import write_outputs

    order = _order(ctx, request, prices, pinned, building=True)
    if order.errors:
        click.echo(_findings(order), err=True)
        click.echo(f"Nothing was written: {_verdict(order)}", err=True)
        ctx.exit(1)
    written = write_outputs(order, Path(output), force=force, templates=templates)
    for path in written:
        click.echo(f"wrote {path}")
    for issue in order.warnings:
        click.echo(f"WARNING {issue.code}: {issue.message}", err=True)


COMMANDS = (example, check, plan, build)
