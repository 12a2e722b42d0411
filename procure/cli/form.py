"""`procure form`: write the Excel request form an officer fills and e-mails back."""

import datetime
from pathlib import Path

import click

from procure.cli.common import catalog_of, profile_option
from procure.core.errors import InputError
from procure.inputs import read_request
from procure.forms.layout import FORM_VERSION


@click.command()
@click.option("-o", "--output", required=True, metavar="FILE.xlsx", help="The form to write.")
@click.option("--from", "source", metavar="REQUEST", help="Pre-fill the form from a request (TOML or a form).")
@click.option("--catalog-version", "pinned", metavar="V",
              help="Make the lists of this catalog version (default: the one in force on the quote date, or today).")
@click.option("--force", is_flag=True, help="Overwrite FILE.xlsx if it exists.")
@profile_option
@click.pass_context
def form(ctx, output, source, pinned, force, profile):
    """Write a request form (.xlsx) to fill in Excel or LibreOffice; check, plan and build read it back."""
    from procure.core.profile import profile_for
    from procure.forms.write import render_form
    from procure.files.whole import check_targets, write_whole

    path = Path(output)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{output}: a request form is an Excel workbook: name it with .xlsx")
    [target] = check_targets(path.parent, [path.name], force=force)
    request = read_request(source) if source else None
    at = request.quote_date if request and request.quote_date else datetime.date.today()
    version = catalog_of(ctx).select(at=at, version=pinned)
    write_whole([target], [render_form(version, request, target.parent, profile_for(profile))], force=force)
    click.echo(f"wrote {target} (form version {FORM_VERSION}, catalog version {version.version})")
