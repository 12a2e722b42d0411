"""`procure register init | info | check | export | report`: the register itself."""

import datetime

import click

from procure.cli.common import (
    IsoDate,
)
from procure.cli.registered import (
    register,
    register_command,
    report_changes,
)
from procure.core.errors import InputError


@register_command(register, creates=True)
@click.option("--number-format", metavar="F",
              help="How new quotes are numbered, with {year} and {seq} (default Q-{year}-{seq:04d}).")
def init(store, number_format):
    """Create the register, optionally with another number format (it is created with defaults on first use)."""
    if number_format is not None:
        store.choose_number_format(number_format)
    click.echo(f"register {store.target.shown} ready: numbers {store.number_format!r}, next "
               f"{store.peek_number(datetime.date.today().year)}")


@register_command(register)
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
    report_changes(store, quick=True)


@register_command(register)
def check(store):
    """Check that the register is as procure wrote it: its triggers, every revision's seal and every file's
    sha256; exit 1 naming what was changed outside procure."""
    revisions, _ = store.count()
    report_changes(store)
    click.echo(f"register {store.target.shown}: {revisions} revision(s); every seal and file digest holds and "
               f"the triggers that keep issued quotes from changing are in place")

@register_command(register)
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


@register_command(register)
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
