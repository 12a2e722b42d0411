"""The command reference (`docs/reference.md`) written from the commands themselves, so it cannot drift from them.

Regenerate it with `python -m procure.cli.reference > docs/reference.md`. Every command of every group gets a
section: its usage line, its help, and a table of its options as `--help` shows them.
"""

import inspect
import re
from collections.abc import Iterator

import click

from procure.cli import cli

REGENERATE = "python -m procure.cli.reference > docs/reference.md"

_MARKDOWN = re.compile(r"([\\<>*|])")
"""Characters the help texts use as plain text that Markdown would read as markup (`<number>`, a table's `|`)."""


def _plain(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


def commands(ctx: click.Context | None = None) -> Iterator[click.Context]:
    """A context of every command, the root first, each group before its commands, in the order `--help` lists
    them."""
    # with the commands' own context settings (-h beside --help): click keeps the help option it first makes
    ctx = ctx or click.Context(cli, info_name="procure", **cli.context_settings)
    yield ctx
    for sub in subcommands(ctx):
        yield from commands(sub)


def subcommands(ctx: click.Context) -> list[click.Context]:
    """A context of each command of a group (none for a command that is not a group)."""
    group = ctx.command
    if not isinstance(group, click.Group):
        return []
    found = (group.get_command(ctx, name) for name in group.list_commands(ctx))
    return [click.Context(sub, info_name=sub.name, parent=ctx, **sub.context_settings)
            for sub in found if sub is not None and not sub.hidden]


def summary(ctx: click.Context) -> str:
    """A command's one-line summary, whole."""
    return ctx.command.get_short_help_str(limit=10_000)


def _section(ctx: click.Context) -> list[str]:
    command = ctx.command
    usage = " ".join([ctx.command_path, *command.collect_usage_pieces(ctx)])
    lines = [f"## {ctx.command_path}", "", f"```\n{usage}\n```", ""]
    if command.help:
        lines += [_plain(paragraph) for paragraph in inspect.cleandoc(command.help).replace("\b\n", "").split("\n\n")
                  for paragraph in (paragraph.replace("\n", " "), "")]
    if subcommands(ctx):
        lines += ["| command | what it does |", "|---|---|"]
        lines += [f"| [`{sub.command_path}`](#{_anchor(sub)}) | {_plain(summary(sub))} |"
                  for sub in subcommands(ctx)]
        lines.append("")
    options = [record for param in command.get_params(ctx)
               if isinstance(param, click.Option) and param is not command.get_help_option(ctx)
               for record in [param.get_help_record(ctx)] if record is not None]
    if options:
        lines += ["| option | what it does |", "|---|---|"]
        # a | inside a code span still ends a table cell unless escaped
        lines += [f"| `{names.replace('|', chr(92) + '|')}` | {_plain(text)} |" for names, text in options]
        lines.append("")
    return lines


def _anchor(ctx: click.Context) -> str:
    """The anchor Markdown renderers give the heading `## procure quote issue`."""
    return ctx.command_path.replace(" ", "-")


def reference() -> str:
    """The text of `docs/reference.md`."""
    lines = ["# Command reference", "",
             f"<!-- written from the commands by `{REGENERATE}`: edit the commands' help, not this page -->", "",
             "Every command takes `-h` or `--help`, which prints what this page says of it.", ""]
    for ctx in commands():
        lines += _section(ctx)
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    click.echo(reference(), nl=False)
