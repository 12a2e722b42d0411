"""The command line: parse, call the core, print, exit. Nothing else lives here.

Errors that stop a run are `ProcureError`s, caught once in `_Group.invoke` and
printed one line per problem; no traceback reaches a user. A command's module is
imported only when that command runs (`COMMANDS`), so `plan` never pays for the
register, the form or batch.
"""

import contextlib
import importlib
import os
import sys

import click

from procure import __version__
from procure.core.errors import ProcureError

COMMANDS = {"catalog": "catalog_commands", "example": "order", "check": "order", "plan": "order", "build": "order",
            "form": "form", "batch": "batch", "quote": "quote quote_mail quote_orders quote_approval",
            "register": "register register_copy", "customer": "customer", "prices": "prices", "user": "user_commands",
            "serve": "serve"}
"""Each command and the modules of `procure.cli` that define it: the first has it as an attribute of the same
name; a group's commands may be spread over more modules, each imported before the group runs."""


class _Group(click.Group):
    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        modules = [importlib.import_module(f"procure.cli.{module}") for module in COMMANDS[name].split()]
        return getattr(modules[0], name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ProcureError as e:
            for line in e.report():
                click.echo(line, err=True)
            ctx.exit(e.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)
        except Exception as e:  # a bug of ours: say so in one line, never a traceback
            if os.environ.get("PROCURE_DEBUG"):
                raise
            click.echo(f"error: internal error ({type(e).__name__}: {e}); please report it with the command "
                       f"you ran (set PROCURE_DEBUG=1 to see the details)", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="procure", message="%(prog)s %(version)s")
@click.option("--catalog", "catalog_dir", envvar="PROCURE_CATALOG", metavar="DIR",
              help="Catalog folder to use instead of the shipped one (also env PROCURE_CATALOG).")
def cli(catalog_dir):
    """Turn an iovera° treatment plan into a priced DLA ECAT order (contract SPE2DE-21-D-7004)."""


def main():
    try:
        cli(prog_name="procure")
        code = 0
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:
            print(e.code, file=sys.stderr)
            code = 1
    _end(code)


def _end(code: int) -> None:
    """Exit without the interpreter's teardown, which spends tens of milliseconds freeing what the system frees
    anyway. Every command has closed its files, registers and workers when `cli` returns; what is left is to
    flush what was printed."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # a reader that stopped, or a stream closed
            stream.flush()
    os._exit(code)
