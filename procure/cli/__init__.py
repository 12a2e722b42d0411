"""The command line: parse, call the core, print, exit. Nothing else lives here.

Errors that stop a run are `ProcureError`s, caught once in `_Group.invoke` and
printed one line per problem; no traceback reaches a user.
"""

import os
import sys

import click

from procure import __version__
from procure.cli import batch, catalog, form, order, register
from procure.core.errors import ProcureError


class _Group(click.Group):
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
    cli(prog_name="procure")


cli.add_command(catalog.catalog)
cli.add_command(form.form)
cli.add_command(batch.batch)
for command in order.COMMANDS + register.COMMANDS:
    cli.add_command(command)
