"""`procure catalog ...`: the versions, parts and checks of the catalog."""

import datetime

import click

from procure.cli.common import IsoDate, catalog_of, print_json
from procure.core.catalog import GENERATIONS, PRODUCT_FIELDS
from procure.core.catalog_reader import read_catalog_folder
from procure.core.errors import RuleError
from procure.core.money import format_money
from procure.core.prices import apply_prices, read_price_list
from procure.presenters.order_json import diff_view, part_detail_view, part_view, price_list_view, target_view
from procure.presenters.order_text import prices_line
from procure.renderers.tables import text_table

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
at_option = click.option("--at", type=IsoDate(), help="Use the version in force on this date (default: today).")
version_option = click.option("--catalog-version", "pinned", metavar="V", help="Use this catalog version.")
prices_option = click.option("--prices", type=str, metavar="FILE", help="Price list (CSV or XLSX) to apply.")


def _version(ctx, at, pinned, prices):
    """The catalog version asked for, priced when a price list is given; and the price list."""
    version = catalog_of(ctx).select(at=at, version=pinned)
    if not prices:
        return version, None
    price_list = read_price_list(prices)
    return apply_prices(version, price_list), price_list


@click.group()
def catalog():
    """Look at the catalog: versions, parts, differences, checks.

    The catalog holds the contract's parts, one version per contract modification.
    """


@catalog.command()
@json_option
@click.pass_context
def versions(ctx, as_json):
    """List the catalog versions with their effective dates.

    Contract, version, effective date and digest of each.
    """
    loaded = catalog_of(ctx)
    found, in_force = loaded.versions, loaded.in_force(datetime.date.today())
    if as_json:
        print_json({"versions": [{**v.summary(), "in_force": v is in_force} for v in found]})
        return
    click.echo(text_table(["Contract", "Version", "Effective", "Digest", "In force", "File"],
                          [[v.contract.display_number, v.version, v.effective, v.digest[:19],
                            "yes" if v is in_force else "", v.file] for v in found]))


@catalog.command()
@at_option
@version_option
@json_option
@click.pass_context
def targets(ctx, at, pinned, as_json):
    """List the nerve codes a [[treatment]] may name.

    With each code's nerve, region, Smart Tip model and CPT code.
    """
    version = catalog_of(ctx).select(at=at, version=pinned)
    if as_json:
        print_json({"catalog": version.summary(), "targets": [target_view(t) for t in version.targets.values()],
                    "default_nerves": list(version.planning.default_nerves)})
        return
    click.echo(text_table(["Code", "Nerve", "Region", "Tip", "CPT"],
                          [[t.code, t.name, t.region, t.tip_model, t.cpt] for t in version.targets.values()]))
    click.echo(f"\nA treatment that names no nerves plans the default set: "
               f"{', '.join(version.planning.default_nerves)}.")


@catalog.command("list")
@at_option
@version_option
@click.option("--generation", type=click.Choice([str(g) for g in GENERATIONS]),
              help="Only parts of this generation.")
@prices_option
@json_option
@click.pass_context
def list_parts(ctx, at, pinned, generation, prices, as_json):
    """List the parts in force (of one generation, priced).

    Optionally only one generation's, and priced from a price list.
    """
    version, price_list = _version(ctx, at, pinned, prices)
    parts = [p for p in version.parts if generation is None or p.generation == int(generation)]
    if as_json:
        print_json({"catalog": version.summary(), "price_list": price_list_view(price_list),
                    "parts": [part_view(p) for p in parts]})
        return
    click.echo(f"Contract {version.contract.display_number}, catalog version {version.version} "
               f"(effective {version.effective}, {version.digest[:19]})")
    click.echo(prices_line(price_list) + "\n")
    click.echo(text_table(["Part", "Gen", "Kind", "Description", "UI", "Per pack", "Unit price"],
                          [[p.part, p.generation, p.kind, p.description, p.unit_of_issue, p.units_per_pack,
                            format_money(p.unit_price) if p.unit_price is not None else "-"] for p in parts],
                          right={1, 5, 6}))


@catalog.command()
@click.argument("part")
@at_option
@version_option
@prices_option
@json_option
@click.pass_context
def show(ctx, part, at, pinned, prices, as_json):
    """Show one part with its specs, compatible parts and price.

    Also what else it needs (a nerve-stimulation tip needs a stimulator).
    """
    version, price_list = _version(ctx, at, pinned, prices)
    found = version.part(part.strip().upper())
    if found is None:
        raise RuleError(f"part {part!r} is not in catalog version {version.version} of contract "
                         f"{version.contract.display_number}; `procure catalog list` shows the parts")
    detail = {**part_detail_view(version, found), "price_list": price_list_view(price_list)}
    if as_json:
        print_json(detail)
        return
    rows = [["Part", found.part], ["Description", found.description], ["Generation", found.generation],
            ["Kind", found.kind], ["Unit of issue", f"{found.unit_of_issue} ({found.units_per_pack} per pack)"],
            ["Unit price", format_money(found.unit_price) if found.unit_price is not None else "not priced"],
            ["Price list", prices_line(price_list).removeprefix("Prices: ")]]
    rows += [[f"Spec: {k.replace('_', ' ')}", v] for k, v in detail["specs"].items()]
    rows += [["Compatible with", ", ".join(detail["compatible_with"]) or "nothing"]]
    rows += [["Compatibility basis", f"{c['reason']}{' (assumption: ' + c['basis'] + ')' if c['assumption'] else ''}"]
             for c in detail["compatibility"]]
    rows += [["Requires", p["requires"]] for p in detail["prerequisites"]]
    rows += [[PRODUCT_FIELDS[key], f"{fact['value']} (basis: {fact['basis']})"]
             for key, fact in detail["product"].items()]
    rows += [["Unknown product data", ", ".join(PRODUCT_FIELDS[k] for k in detail["product_unknown"]) or "none"]]
    width = max(len(r[0]) for r in rows)
    click.echo("\n".join(f"{label.ljust(width)}  {value}" for label, value in rows))


@catalog.command()
@click.argument("old")
@click.argument("new")
@json_option
@click.pass_context
def diff(ctx, old, new, as_json):
    """Show the parts added, removed and changed from OLD to NEW.

    OLD and NEW are catalog versions (`procure catalog versions` lists them).
    """
    found = catalog_of(ctx)
    result = diff_view(found.select(version=old), found.select(version=new))
    if as_json:
        print_json(result)
        return
    click.echo(f"From {old} to {new}:")
    for label, key in (("added", "added"), ("removed", "removed")):
        for p in result[key]:
            click.echo(f"  {label:8} {p['part']:12} {p['description']}")
    for change in result["changed"]:
        for name, values in change["fields"].items():
            click.echo(f"  changed  {change['part']:12} {name}: {values['old']!r} -> {values['new']!r}")
    for name, values in result["contract_changed"].items():
        click.echo(f"  changed  [contract] {name}: {values['old']!r} -> {values['new']!r}")
    for section in result["other_sections_changed"]:
        if section != "contract":
            click.echo(f"  changed  [{section}]")
    if not any(result[k] for k in ("added", "removed", "changed", "other_sections_changed")):
        click.echo("  no differences")


@catalog.command()
@click.pass_context
def check(ctx):
    """Check every catalog file; exit 1 naming each problem.

    Each problem names its file and place.
    """
    found, problems = read_catalog_folder(ctx.find_root().params.get("catalog_dir"))
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        ctx.exit(1)
    click.echo(f"ok: {len(found.versions)} catalog version(s) in {found.folder}: "
               + ", ".join(v.version for v in found.versions))
