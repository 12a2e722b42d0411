"""`procure form`: write the Excel request form an officer fills and e-mails back."""

import datetime
from pathlib import Path

import click

from procure.cli.common import catalog_of, directory_option, profile_option
from procure.core.errors import InputError, RuleError
from procure.forms.layout import FORM_VERSION
from procure.inputs import read_request


@click.command()
@click.option("-o", "--output", required=True, metavar="FILE.xlsx", help="The form to write.")
@click.option("--from", "source", metavar="REQUEST", help="Pre-fill the form from a request (TOML or a form).")
@click.option("--catalog-version", "pinned", metavar="V",
              help="Make the lists of this catalog version (default: the one in force on the quote date, or today).")
@click.option("--dodaac", metavar="D", help="Fill the customer's cells from this DoDAAC's record in the customer "
                                           "directory of the register.")
@directory_option
@click.option("--force", is_flag=True, help="Overwrite FILE.xlsx if it exists.")
@profile_option
@click.pass_context
def form(ctx, output, source, pinned, dodaac, register_target, force, profile):
    """Write a request form (.xlsx) for Excel or LibreOffice.

    Fill it in; check, plan and build read it back.
    """
    from procure.core.profile import profile_for
    from procure.files.whole import check_targets, write_whole
    from procure.forms.write import render_form

    path = Path(output)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{output}: a request form is an Excel workbook: name it with .xlsx")
    [target] = check_targets(path.parent, [path.name], force=force)
    request = read_request(source) if source else None
    known = _known(dodaac, register_target) if dodaac else None
    at = request.quote_date if request and request.quote_date else datetime.date.today()
    version = catalog_of(ctx).select(at=at, version=pinned)
    write_whole([target], [render_form(version, request, target.parent, known, profile_for(profile))], force=force)
    click.echo(f"wrote {target} (form version {FORM_VERSION}, catalog version {version.version})")


def _known(dodaac: str, register_target: str | None):
    from procure.register.facility_directory import dodaac_of, known_at
    from procure.register.target import resolve

    found = known_at(register_target, dodaac_of(dodaac))
    if found is None:
        raise RuleError(f"DoDAAC {dodaac_of(dodaac)} is not in the customer directory of "
                        f"{resolve(register_target).shown} (`procure customer list` shows the facilities it knows)")
    return found
