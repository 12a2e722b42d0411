"""`procure register init | info | check | export | report | rotate-key`: the register itself."""

import datetime

import click

from procure.cli.common import (
    IsoDate,
)
from procure.cli.register_groups import (
    register,
    register_command,
    report_changes,
)
from procure.core.errors import InputError


@register_command(register, creates=True)
@click.option("--number-format", metavar="F",
              help="How new quotes are numbered, with {year} and {seq} (default Q-{year}-{seq:04d}).")
@click.option("--practice", is_flag=True,
              help="Make a new, empty register a practice register (practice quotes, illustrative price lists).")
def init(store, number_format, practice):
    """Create the register, optionally with another number format.

    It is created with the defaults on first use; `--practice` makes a new, empty register a practice register,
    whose every quote is a practice quote and which takes illustrative price lists.
    """
    if number_format is not None:
        store.choose_number_format(number_format)
    if practice:
        from procure.register.practice import make_practice

        make_practice(store)
        click.echo(f"register {store.target.shown} is a practice register: it takes illustrative price lists")
    click.echo(f"register {store.target.shown} ready: numbers {store.number_format!r}, next "
               f"{store.peek_number(datetime.date.today().year)}")


@register_command(register)
def info(store):
    """Describe the register: where, schema, numbers, size.

    Where it is, its schema, number format, next number and size.
    """
    from procure import __version__

    revisions, quotes = store.count()
    rows = [("Register", store.target.shown), ("Backend", store.kind),
            ("Schema version", f"{store.schema_version} (procure {__version__})"),
            ("Number format", store.number_format),
            ("Next number", store.peek_number(datetime.date.today().year)),
            ("Quotes", f"{quotes} ({revisions} revision(s) in all)")]
    width = max(len(label) for label, _ in rows)
    click.echo("\n".join(f"{label.ljust(width)}  {value}" for label, value in rows))
    report_changes(store, quick=True)


@register_command(register)
def check(store):
    """Check that nothing changed the register outside procure.

    Its triggers, every revision's seal and every file's sha256; exit 1 naming what was changed.
    """
    revisions, _ = store.count()
    report_changes(store)
    if store.kind == "sqlite":
        from procure.register.sqlite import readable_by_others

        mode = readable_by_others(store.target.location)
        if mode is not None:
            click.echo(f"warning: {store.target.shown}: other accounts on this computer may read it (permissions "
                       f"{mode:o}), and it holds the users' password hashes and the key that signs the desk's "
                       f"cookies; let only its owner read it: chmod 600 {store.target.shown}", err=True)
    click.echo(f"register {store.target.shown}: {revisions} revision(s); every seal and file digest holds and "
               f"the triggers that keep issued quotes from changing are in place")


@register_command(register, "rotate-key")
def rotate_key(store):
    """Make a new cookie key and sign every user out.

    The web desk's sign-in cookies are signed with a new key; restart the desk after."""
    from procure.register.sessions import rotate_key as rotate

    ended = rotate(store)
    click.echo(f"new signing key made; {ended} session(s) ended: everyone signs in again (restart `procure serve` "
               f"so that it signs with the new key)")


@register_command(register)
@click.option("-o", "--output", required=True, metavar="FILE", help="The .xlsx or .csv file to write.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def export(store, output, force):
    """Write the register to FILE (.xlsx or .csv).

    One row per revision.
    """
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


@register_command(register)
@click.option("--from", "start", type=IsoDate(), help="Only quotes dated on or after DATE.")
@click.option("--to", "end", type=IsoDate(), help="Only quotes dated on or before DATE.")
@click.option("-o", "--output", required=True, metavar="FILE.xlsx", help="The workbook to write.")
@click.option("--force", is_flag=True, help="Overwrite FILE.xlsx if it exists.")
def report(store, start, end, output, force):
    """Write a report of quoting per month and facility (.xlsx).

    How quoting went, per month and per facility, with a chart, to FILE.xlsx.
    """
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
