"""`procure quote ...` and `procure register ...`: the quote register (README, "Quote register").

`--register TARGET` (env PROCURE_REGISTER) names the register, on either group
or on any of their commands: an SQLite file, or a `postgresql://` URL. Nothing
of the register is imported until a command runs, so the other commands stay
as light as they were.
"""

import datetime
import functools

import click

from procure.cli.common import (
    IsoDate,
    catalog_of,
    json_option,
    output_option,
    prices_option,
    print_json,
    profile_option,
    templates_option,
    version_option,
)
from procure.core.catalog import piid_display
from procure.core.errors import InputError
from procure.core.findings import finding_line

REGISTER_HELP = ("The register: an SQLite file, or a postgresql:// URL (also env PROCURE_REGISTER; default: "
                 "register.sqlite in the user's data folder, see `procure register info`).")
STATUSES = ("issued", "superseded", "accepted", "void", "expired")


def _register_option(envvar):
    return click.option("--register", "register_target", envvar=envvar, metavar="TARGET", help=REGISTER_HELP)


def _open(ctx: click.Context, target: str | None, create: bool):
    """The register named on the command, else on its group (or by PROCURE_REGISTER), open for this command."""
    from procure.register import open_register

    if target is None:
        target = ctx.parent.params.get("register_target") if ctx.parent else None
    return ctx.with_resource(open_register(target, create=create))


def _command(group: click.Group, name: str | None = None, *, creates: bool = False):
    """A command of `group` that takes --register too and gets the open register as its first argument; only
    a command that `creates` makes a register that does not exist yet."""
    def decorate(function):
        @functools.wraps(function)
        def command(register_target, **kwargs):
            return function(_open(click.get_current_context(), register_target, creates), **kwargs)
        return group.command(name)(_register_option(None)(command))
    return decorate


def _plain_text(ctx, param, value: str | None) -> str | None:
    """An option's text, refused (naming the option) if it holds a control character: the register keeps it,
    and `quote list`, `quote show`, the export and the quote's text file would replay it to a terminal."""
    from procure.core.characters import describe, forbidden

    char = forbidden(value) if value is not None else None
    if char is not None:
        raise InputError(f"--{param.name} holds {describe(char)}: type it without one")
    return value


by_option = click.option("--by", metavar="NAME", callback=_plain_text,
                         help="Who issues it (default: your login name).")
practice_option = click.option("--practice", is_flag=True,
                               help="Issue a practice quote: the only way to issue with an illustrative price list "
                                    "or an example profile. It says PRACTICE on every page and can never be "
                                    "accepted.")


@click.group()
@_register_option("PROCURE_REGISTER")
def quote(register_target):
    """Issue, revise, list, show, verify, e-mail and track quotes in the quote register."""


@click.group()
@_register_option("PROCURE_REGISTER")
def register(register_target):
    """Set up, describe, check, export and report on the quote register."""


def _issue(store, request, output, prices, profile, by, pinned, templates, practice, revise=None, reason=None):
    from procure.register.customers import directory_of
    from procure.register.issuing import issue, read_source

    ctx = click.get_current_context()
    source = read_source(request, prices, profile, directory_of(store))
    outcome = issue(store, source, catalog_of(ctx), output, by=by, catalog_version=pinned, revise=revise,
                    reason=reason, templates=templates, practice=practice)
    click.echo(f"issued {outcome.issued.number}")
    for path in outcome.paths:
        click.echo(f"wrote {path}")
    for finding in outcome.warnings:
        click.echo(finding_line(finding), err=True)
    if practice:
        click.echo(f"note: {outcome.issued.number} is a practice quote: every page says PRACTICE and it can never be "
                   f"accepted", err=True)


@_command(quote, "issue", creates=True)
@click.argument("request", metavar="REQUEST")
@output_option
@prices_option
@profile_option
@by_option
@version_option
@templates_option
@practice_option
def issue_command(store, request, output, prices, profile, by, pinned, templates, practice):
    """Take the next number, store the quote, and write DIR/<number>.xlsx, .pdf and .txt."""
    _issue(store, request, output, prices, profile, by, pinned, templates, practice)


@_command(quote, creates=True)
@click.argument("number")
@click.argument("request", metavar="REQUEST")
@output_option
@click.option("--reason", metavar="TEXT", callback=_plain_text,
              help="Why the quote is revised (kept in the register and on the quote); needed when nothing changed.")
@prices_option
@profile_option
@by_option
@version_option
@templates_option
@practice_option
def revise(store, number, request, output, reason, prices, profile, by, pinned, templates, practice):
    """Issue the next revision of quote NUMBER (<base>-R<n>) from REQUEST; the previous one is superseded.

    The revision is for the same customer (DoDAAC), dated no earlier than the revision it supersedes, and changes
    something (lines, references, customer or validity) unless --reason says why it is issued anyway.
    """
    _issue(store, request, output, prices, profile, by, pinned, templates, practice, revise=number, reason=reason)


@_command(quote, "list")
@click.option("--status", type=click.Choice(STATUSES), help="Only quotes of this status.")
@click.option("--facility", metavar="TEXT", help="Only facilities whose name contains TEXT (any case).")
@click.option("--dodaac", metavar="D", help="Only this DoDAAC.")
@click.option("--since", type=IsoDate(), help="Only quotes dated on or after DATE.")
@json_option
def list_quotes(store, status, facility, dodaac, since, as_json):
    """List the quotes in the register, newest first."""
    from procure.views.register import list_text

    filters = dict(today=datetime.date.today(), status=status, facility=facility, since=since,
                   dodaac=dodaac.strip().upper() if dodaac else None)
    if not as_json:
        click.echo(list_text(store.entries(**filters)))
    else:
        from procure.views.register import list_json

        # color=True only spares click a search for terminal escapes, which JSON text cannot hold.
        click.echo(list_json(store, **filters), color=True)
    _report_changes(store, quick=True)


@_command(quote)
@click.argument("number")
@json_option
def show(store, number, as_json):
    """Show one quote: its status, what went into it, its files' digests, its revisions and events."""
    from procure.register.issuing import find
    from procure.views.register import show_text, show_view, shown

    today = datetime.date.today()
    found = shown(store, find(store, number, today), today)
    if as_json:
        print_json(show_view(found))
    else:
        click.echo(show_text(found))


@_command(quote)
@click.argument("number")
@output_option
@click.option("--force", is_flag=True, help="Overwrite files of the same name.")
def files(store, number, output, force):
    """Write the stored files of quote NUMBER into DIR, byte for byte as issued."""
    from procure.core.errors import RegisterError
    from procure.files.whole import check_targets, write_whole
    from procure.register.issuing import find
    from procure.register.sealing import problems

    named = find(store, number, datetime.date.today()).number
    changed = problems(store, numbers={named})
    if changed:
        raise RegisterError([*changed, f"nothing written: the register's copy of {named} cannot be trusted "
                                       f"(`procure register check` lists what changed)"])
    stored = store.files(named)
    targets = check_targets(output, [f"{f.number}{f.suffix}" for f in stored], force=force)
    for path in write_whole(targets, [f.content for f in stored], force=force):
        click.echo(f"wrote {path}")


@_command(quote)
@click.argument("paths", metavar="FILE...", nargs=-1, required=True)
def verify(store, paths):
    """Tell whether each FILE is exactly one this register issued; exit 1 if any is not."""
    from procure.register.verify import verify as check

    verdicts = check(store, paths)
    for verdict in verdicts:
        click.echo(verdict.line)
    _report_changes(store, numbers={v.entry.number for v in verdicts if v.entry is not None})
    if any(v.entry is None for v in verdicts):
        click.get_current_context().exit(1)


@_command(quote)
@click.argument("old", metavar="A")
@click.argument("new", metavar="B")
@json_option
def diff(store, old, new, as_json):
    """Show what changed from quote A to quote B: lines, quantities, prices, totals, customer and dates."""
    from procure.register.issuing import find
    from procure.views.register import diff_text, diff_view

    today = datetime.date.today()
    a, b = (store.issued(find(store, n, today).number) for n in (old, new))
    if as_json:
        print_json(diff_view(a, b))
    else:
        click.echo(diff_text(a, b))


def _draft(store, number, to, cc, profile_path):
    """The message of quote NUMBER, and the profile it is from."""
    from procure.register.issuing import find
    from procure.register.mail import compose, contract_of, profile_of

    found = find(store, number, datetime.date.today())
    profile = profile_of(store, found.number, profile_path)
    contract = contract_of(store, found.number, catalog_of(click.get_current_context()))
    return compose(store, found.number, profile, contract, to=to, cc=cc), profile


@_command(quote)
@click.argument("number")
@click.option("-o", "--output", required=True, metavar="FILE.eml", help="The message file to write.")
@click.option("--to", "to", multiple=True, metavar="ADDR", help="Send to this address instead of the quote's contact.")
@click.option("--cc", "cc", multiple=True, metavar="ADDR", help="Copy to this address.")
@profile_option
@click.option("--force", is_flag=True, help="Overwrite FILE.eml if it exists.")
def email(store, number, output, to, cc, profile, force):
    """Write quote NUMBER as an e-mail draft (.eml) to check and send from your mail program."""
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


@_command(quote)
@click.argument("number")
@click.option("--to", "to", multiple=True, metavar="ADDR", help="Send to this address instead of the quote's contact.")
@click.option("--cc", "cc", multiple=True, metavar="ADDR", help="Copy to this address.")
@profile_option
@by_option
def send(store, number, to, cc, profile, by):
    """Send quote NUMBER by e-mail through the profile's [smtp] server and record that it was sent."""
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


@_command(quote)
@click.option("--within", "days", type=click.IntRange(0, 3650), default=7, show_default=True, metavar="DAYS",
              help="Quotes whose validity ends within this many days from today.")
@json_option
def due(store, days, as_json):
    """Quotes out with the customer (issued or sent, not accepted or void) whose validity ends soon, soonest first."""
    from procure.views.customers import due_text

    today = datetime.date.today()
    until = today + datetime.timedelta(days=days)
    if as_json:
        from procure.views.register import list_json

        click.echo(list_json(store, today=today, status="issued", expiring=until), color=True)
        return
    click.echo(due_text(store, store.entries(today=today, status="issued", expiring=until), today, until))
def office_options(function):
    """--pay-dodaac, --issue-by, --admin-by: the offices a delivery order names, which WAWF asks for."""
    for option, office in reversed((("--pay-dodaac", "pay office"), ("--issue-by", "issuing office"),
                                    ("--admin-by", "administering office"))):
        function = click.option(option, metavar="X", help=f"The {office}'s DoDAAC, from the delivery order "
                                                          f"(for WAWF).")(function)
    return function


def _warn(warnings) -> None:
    for text in warnings:
        click.echo(f"warning: {text}", err=True)


@_command(quote)
@click.argument("number")
@click.option("--delivery-order", required=True, metavar="PIID", help="The delivery order's PIID.")
@click.option("--order-date", type=IsoDate(), help="The date of the delivery order (default: today).")
@click.option("--amount", metavar="A", help="The order's total as the order states it (default: the quote's).")
@office_options
@by_option
def accept(store, number, delivery_order, order_date, amount, pay_dodaac, issue_by, admin_by, by):
    """Record that quote NUMBER was accepted with delivery order PIID (checked against the contract)."""
    from procure.register.ordering import accept as record

    done = record(store, catalog_of(click.get_current_context()), number, delivery_order, order_date=order_date,
                  amount=amount, pay_dodaac=pay_dodaac, issue_by=issue_by, admin_by=admin_by, by=by)
    click.echo(f"accepted {done.entry.number} (delivery order {piid_display(done.placed.delivery_order)} of "
               f"{done.placed.order_date})")
    _warn(done.warnings)


@_command(quote)
@click.argument("number")
@click.option("--delivery-order", required=True, metavar="PIID", help="The corrected delivery order PIID.")
@click.option("--reason", required=True, metavar="TEXT", callback=_plain_text,
              help="Why the delivery order is corrected.")
@office_options
@by_option
def amend(store, number, delivery_order, reason, pay_dodaac, issue_by, admin_by, by):
    """Correct the delivery order of the accepted quote NUMBER (or add its offices); the register keeps the
    earlier one too."""
    from procure.register.ordering import amend as record

    done = record(store, catalog_of(click.get_current_context()), number, delivery_order, reason, by=by,
                  pay_dodaac=pay_dodaac, issue_by=issue_by, admin_by=admin_by)
    was = done.entry.delivery_order
    click.echo(f"amended {done.entry.number} (delivery order {piid_display(done.placed.delivery_order)}, was "
               f"{piid_display(was) if was else 'none'})")
    _warn(done.warnings)


@_command(quote)
@click.argument("number")
@click.option("--reason", required=True, metavar="TEXT", callback=_plain_text, help="Why the quote is void.")
@click.option("--force", is_flag=True, help="Void a quote that is accepted (its delivery order stays on record).")
@by_option
def void(store, number, reason, force, by):
    """Record that quote NUMBER is void, and why."""
    from procure.register.ordering import void as record

    event = record(store, number, reason, force=force, by=by)
    click.echo(f"void {event.number} ({event.reason})")


@_command(quote)
@click.argument("number")
@click.option("-o", "--output", required=True, metavar="FILE", help="The .xlsx, .csv or .txt file to write.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def wawf(store, number, output, force):
    """Write the data WAWF asks for to invoice the accepted quote NUMBER (Invoice and Receiving Report)."""
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


@_command(register, creates=True)
@click.option("--number-format", metavar="F",
              help="How new quotes are numbered, with {year} and {seq} (default Q-{year}-{seq:04d}).")
def init(store, number_format):
    """Create the register, optionally with another number format (it is created with defaults on first use)."""
    if number_format is not None:
        store.choose_number_format(number_format)
    click.echo(f"register {store.target.shown} ready: numbers {store.number_format!r}, next "
               f"{store.peek_number(datetime.date.today().year)}")


@_command(register, creates=True)
def info(store):
    """Describe the register: where it is, its schema, number format, next number and size."""
    from procure import __version__

    revisions, quotes = store.count()
    rows = [("Register", store.target.shown), ("Backend", store.kind),
            ("Schema version", f"{store.schema_version} (procure {__version__})"),
            ("Number format", store.number_format),
            ("Next number", store.peek_number(datetime.date.today().year)),
            ("Quotes", f"{quotes} ({revisions} revision(s) in all)")]
    width = max(len(label) for label, _ in rows)
    click.echo("\n".join(f"{label.ljust(width)}  {value}" for label, value in rows))
    _report_changes(store, quick=True)


@_command(register)
def check(store):
    """Check that the register is as procure wrote it: its triggers, every revision's seal and every file's
    sha256; exit 1 naming what was changed outside procure."""
    revisions, _ = store.count()
    _report_changes(store)
    click.echo(f"register {store.target.shown}: {revisions} revision(s); every seal and file digest holds and "
               f"the triggers that keep issued quotes from changing are in place")


MAX_SHOWN = 20
"""Changes listed by a command that only warns of them; `register check` lists them all."""


def _report_changes(store, *, quick: bool = False, numbers=None) -> None:
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


@_command(register)
@click.option("-o", "--output", required=True, metavar="FILE", help="The .xlsx or .csv file to write.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def export(store, output, force):
    """Write the register, one row per revision, to FILE (.xlsx or .csv)."""
    from pathlib import Path

    from procure.files.whole import check_targets, write_whole
    from procure.register.export import SUFFIXES, export_csv, export_xlsx

    path = Path(output)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{output}: give a file name ending in .xlsx or .csv")
    [target] = check_targets(path.parent, [path.name], force=force)
    today = datetime.date.today()
    entries = store.entries(today=today)
    data = export_xlsx(entries, today) if path.suffix.lower() == ".xlsx" else export_csv(entries)
    write_whole([target], [data], force=force)
    click.echo(f"wrote {target} ({len(entries)} revision(s))")


@_command(register)
@click.option("--from", "start", type=IsoDate(), help="Only quotes dated on or after DATE.")
@click.option("--to", "end", type=IsoDate(), help="Only quotes dated on or before DATE.")
@click.option("-o", "--output", required=True, metavar="FILE.xlsx", help="The workbook to write.")
@click.option("--force", is_flag=True, help="Overwrite FILE.xlsx if it exists.")
def report(store, start, end, output, force):
    """Write how quoting went, per month and per facility, with a chart, to FILE.xlsx."""
    from pathlib import Path

    from procure.files.whole import check_targets, write_whole
    from procure.register.report import report as figures, report_xlsx

    path = Path(output)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{output}: give a file name ending in .xlsx")
    if start and end and start > end:
        raise InputError(f"--from {start} is after --to {end}")
    [target] = check_targets(path.parent, [path.name], force=force)
    today = datetime.date.today()
    found = figures(store, today, start, end)
    write_whole([target], [report_xlsx(found, today)], force=force)
    click.echo(f"wrote {target} ({found.total.issued} quote(s) in {len(found.months)} month(s), "
               f"{len(found.facilities)} facilit{'y' if len(found.facilities) == 1 else 'ies'})")
