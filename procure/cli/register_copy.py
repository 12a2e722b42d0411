"""`procure register copy | backup | restore`: move a register to another backend, keep a copy, bring it back."""

import sys
from pathlib import Path

import click

from procure.cli.register_groups import register, register_command, register_option
from procure.core.errors import InputError, RuleError


@register.command()
@click.argument("source", metavar="FROM")
@click.argument("destination", metavar="TO")
def copy(source, destination):
    """Copy the register FROM into a new, empty register TO.

    Everything is copied; TO is an SQLite file or a postgresql:// URL: how a desk moves from its file to
    PostgreSQL."""
    _copy(source, destination, ("FROM", "TO"))


@register.command()
@click.argument("backup", metavar="FILE")
@register_option(None)
def restore(backup, register_target):
    """Restore the backup FILE into a new, empty register.

    The register --register TARGET becomes a copy of FILE."""
    parent = click.get_current_context().parent
    if register_target is None and parent is not None:
        register_target = parent.params.get("register_target")
    _copy(backup, register_target, ("FILE", "--register"))


@register_command(register)
@click.option("-o", "--output", required=True, metavar="FILE", help="The SQLite file to write the backup to.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def backup(store, output, force):
    """Back the register up into FILE, a new SQLite register.

    The copy is consistent while desks keep working."""
    from procure.register.copying import backup_register

    with _progress(store) as tell:
        result = backup_register(store, Path(output), tell, force=force)
    _report(result, f"backed up {store.target.shown} to {output}")


def _copy(source: str, destination: str | None, names: tuple[str, str]) -> None:
    from procure.register import open_register
    from procure.register.copying import copy_register
    from procure.register.target import resolve

    for name, given in zip(names, (source, destination), strict=True):
        if not (given or "").strip():
            raise InputError(f"{name}: name the register (an SQLite file or a postgresql:// URL); the default "
                             f"register is named by its path (`procure register info` shows it)")
    if resolve(source).location == resolve(destination).location:
        raise RuleError(f"{resolve(source).shown}: copy from a register into another one, not into itself")
    ctx = click.get_current_context()
    origin = ctx.with_resource(open_register(source, create=False))
    target = ctx.with_resource(open_register(destination))
    with _progress(origin) as tell:
        result = copy_register(origin, target, tell)
    _report(result, f"copied {origin.target.shown} to {target.target.shown}")


class _progress:
    """A bar of the rows copied on a terminal; a line per table otherwise (a log, a pipe)."""

    def __init__(self, store):
        self.store, self.bar, self.table, self.rows = store, None, None, 0

    def __enter__(self):
        if sys.stdout.isatty():
            from procure.register.copying import total_rows

            self.bar = click.progressbar(length=total_rows(self.store), label="copying", show_pos=True)
            self.bar.__enter__()
        return self.tell

    def tell(self, table: str, rows: int) -> None:
        if self.bar is not None:
            self.bar.update(rows)
            return
        if table != self.table:
            self.table = table
            click.echo(f"copying {table}")

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _report(result, done: str) -> None:
    width = max(len(c.table) for c in result.tables)
    click.echo(f"{'table'.ljust(width)}  {'source':>9}  {'copy':>9}")
    for c in result.tables:
        click.echo(f"{c.table.ljust(width)}  {c.rows:>9}  {c.stored:>9}")
    click.echo(f"{done}: every table's rows counted on the copy, and all {result.digests} stored digest(s) "
               f"(seals and files' sha256) hold there")
