"""Pieces every command shares: options, option types, the catalog in use, JSON printing."""

import datetime
import re

import click

from procure.core.catalog_reader import load_catalog
from procure.core.dates import parse_date
from procure.core.errors import InputError


class IsoDate(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(value)
        except InputError as e:
            self.fail(str(e), param, ctx)


def print_json(data) -> None:
    """JSON on stdout, always valid UTF-8: a stray surrogate (a file name's undecodable byte) becomes U+FFFD."""
    import json  # here, not above: `plan` and `build` without --json do not load it

    click.echo(re.sub("[\ud800-\udfff]", "\ufffd", json.dumps(data, indent=2, ensure_ascii=False)))


def catalog_of(ctx: click.Context):
    """The catalog folder chosen by --catalog / PROCURE_CATALOG, loaded and checked."""
    return load_catalog(ctx.find_root().params.get("catalog_dir"))


def directory(target: str | None):
    """The customer directory of the register `target` (None: PROCURE_REGISTER's, else the default one), for a
    request that names only a DoDAAC; the register is loaded only when such a request asks it."""
    def lookup(dodaac: str):
        from procure.register.facility_directory import known_at

        return known_at(target, dodaac)
    return lookup


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
output_option = click.option("-o", "--output", required=True, metavar="DIR", help="Folder to write the files into.")
prices_option = click.option("--prices", metavar="FILE",
                             help="Price list (CSV or XLSX); overrides [pricing] price_list of the request.")
profile_option = click.option("--profile", metavar="FILE",
                              help="Vendor and preparer profile (else env PROCURE_PROFILE, else ./procure.toml).")
version_option = click.option("--catalog-version", "pinned", metavar="V",
                              help="Use this catalog version instead of the one in force on the quote date.")
templates_option = click.option("--templates", metavar="DIR",
                                help="Folder of templates that take precedence over the shipped ones.")
directory_option = click.option(
    "--register", "register_target", envvar="PROCURE_REGISTER", metavar="TARGET",
    help="The quote register whose customer directory completes a request that names only a DoDAAC "
         "(also env PROCURE_REGISTER; default: the one in the user's data folder).")
html_option = click.option("--html/--no-html", "with_html", default=True,
                           help="Write the accessible HTML copy of the quote (<number>.html) beside the workbook, "
                                "PDF and text, as by default; --no-html leaves it out.")
