"""`procure quote issue | revise | list | show | files | verify | diff`: quotes into and out of the register."""

import datetime

import click

from procure.cli.common import (
    IsoDate,
    catalog_of,
    html_option,
    json_option,
    output_option,
    prices_option,
    print_json,
    profile_option,
    templates_option,
    version_option,
)
from procure.cli.register_groups import (
    STATUSES,
    by_option,
    plain_text,
    practice_option,
    quote,
    register_command,
    report_changes,
)
from procure.core.findings import finding_line


def _issue(store, request, output, prices, profile, by, pinned, templates, practice, with_html, revise=None,
           reason=None):
    from procure.register.facility_directory import directory_of
    from procure.register.issuing import issue, read_source
    from procure.renderers.outputs import written_suffixes

    ctx = click.get_current_context()
    output = _folder(output)
    source = read_source(request, prices, profile, directory_of(store))
    outcome = issue(store, source, catalog_of(ctx), output, by=by, catalog_version=pinned, revise=revise,
                    reason=reason, templates=templates, practice=practice, suffixes=written_suffixes(with_html))
    click.echo(f"issued {outcome.issued.number}")
    for path in outcome.paths:
        click.echo(f"wrote {path}")
    for finding in outcome.warnings:
        click.echo(finding_line(finding), err=True)
    for rule in outcome.held:
        click.echo(f"note: {outcome.issued.number} awaits approval: {rule}", err=True)
    if practice:
        click.echo(f"note: {outcome.issued.number} is a practice quote: every page says PRACTICE and it can never be "
                   f"accepted", err=True)


def _folder(output: str) -> str | None:
    """The folder -o names; None for a file's name (such as the request's own, given by mistake), with a note: the
    quote is then issued into the register alone, whose copy `quote files` writes, and no file is touched."""
    from pathlib import Path

    if not Path(output).is_file():
        return output
    click.echo(f"note: -o {output} is a file, not a folder: the quote is kept in the register only; "
               f"`procure quote files NUMBER -o DIR` writes its files", err=True)
    return None


def _issue_options(function):
    """The options `quote issue` and `quote revise` share: what a quote is made from, by whom, and how."""
    for option in (html_option, practice_option, templates_option, version_option, by_option, profile_option,
                   prices_option, output_option):
        function = option(function)
    return function


@register_command(quote, "issue", creates=True)
@click.argument("request", metavar="REQUEST")
@_issue_options
def issue_command(store, request, output, prices, profile, by, pinned, templates, practice, with_html):
    """Issue a quote: number it, store it, write its files.

    Take the next number, store the quote, and write DIR/<number>.xlsx, .pdf, .txt and .html.
    """
    _issue(store, request, output, prices, profile, by, pinned, templates, practice, with_html)


@register_command(quote, creates=True)
@click.argument("number")
@click.argument("request", metavar="REQUEST")
@_issue_options
@click.option("--reason", metavar="TEXT", callback=plain_text,
              help="Why the quote is revised (kept in the register and on the quote); needed when nothing changed.")
def revise(store, number, request, output, reason, prices, profile, by, pinned, templates, practice, with_html):
    """Issue the next revision of quote NUMBER from REQUEST.

    The revision is numbered <base>-R<n>; the previous one is superseded.

    The revision is for the same customer (DoDAAC), dated no earlier than the revision it supersedes, and changes
    something (lines, references, customer or validity) unless --reason says why it is issued anyway.
    """
    _issue(store, request, output, prices, profile, by, pinned, templates, practice, with_html, revise=number,
           reason=reason)


@register_command(quote, "list")
@click.option("--status", type=click.Choice(STATUSES), help="Only quotes of this status.")
@click.option("--facility", metavar="TEXT", help="Only facilities whose name contains TEXT (any case).")
@click.option("--dodaac", metavar="D", help="Only this DoDAAC.")
@click.option("--since", type=IsoDate(), help="Only quotes dated on or after DATE.")
@json_option
def list_quotes(store, status, facility, dodaac, since, as_json):
    """List the quotes in the register, newest first."""
    from procure.presenters.quote_listing import list_text

    filters = dict(today=datetime.date.today(), status=status, facility=facility, since=since,
                   dodaac=dodaac.strip().upper() if dodaac else None)
    if not as_json:
        click.echo(list_text(store.entries(**filters)))
    else:
        from procure.presenters.quote_listing import list_json

        # color=True only spares click a search for terminal escapes, which JSON text cannot hold.
        click.echo(list_json(store, **filters), color=True)
    report_changes(store, quick=True)


@register_command(quote)
@click.argument("number")
@json_option
def show(store, number, as_json):
    """Show one quote: status, inputs, digests, revisions, events.

    Its status, what went into it, its files' digests, its revisions and events.
    """
    from procure.presenters.quote_listing import show_text, show_view, shown
    from procure.register.issuing import find

    today = datetime.date.today()
    found = shown(store, find(store, number, today), today)
    if as_json:
        print_json(show_view(found))
    else:
        click.echo(show_text(found))


@register_command(quote)
@click.argument("number")
@output_option
@click.option("--force", is_flag=True, help="Overwrite files of the same name.")
@html_option
def files(store, number, output, force, with_html):
    """Write the stored files of quote NUMBER into DIR, as issued.

    Byte for byte as issued.
    """
    from procure.core.errors import RegisterError
    from procure.files.whole import check_targets, write_whole
    from procure.register.issuing import find
    from procure.register.sealing import problems

    named = find(store, number, datetime.date.today()).number
    changed = problems(store, numbers={named})
    if changed:
        raise RegisterError([*changed, f"nothing written: the register's copy of {named} cannot be trusted "
                                       f"(`procure register check` lists what changed)"])
    stored = [f for f in store.files(named) if with_html or f.suffix != ".html"]
    targets = check_targets(output, [f"{f.number}{f.suffix}" for f in stored], force=force)
    for path in write_whole(targets, [f.content for f in stored], force=force):
        click.echo(f"wrote {path}")


@register_command(quote)
@click.argument("paths", metavar="FILE...", nargs=-1, required=True)
def verify(store, paths):
    """Tell whether each FILE is one this register issued.

    Exactly as issued; exit 1 if any is not.
    """
    from procure.register.verify import verify as check

    verdicts = check(store, paths)
    for verdict in verdicts:
        click.echo(verdict.line)
    report_changes(store, numbers={v.entry.number for v in verdicts if v.entry is not None})
    if any(v.entry is None for v in verdicts):
        click.get_current_context().exit(1)


@register_command(quote)
@click.argument("old", metavar="A")
@click.argument("new", metavar="B")
@json_option
def diff(store, old, new, as_json):
    """Show what changed from quote A to quote B.

    Lines, quantities, prices, totals, customer and dates.
    """
    from procure.presenters.quote_listing import diff_text, diff_view
    from procure.register.issuing import find

    today = datetime.date.today()
    a, b = (store.issued(find(store, n, today).number) for n in (old, new))
    if as_json:
        print_json(diff_view(a, b))
    else:
        click.echo(diff_text(a, b))

