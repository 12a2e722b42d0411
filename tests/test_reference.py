"""The command reference (docs/reference.md) says what the commands say of themselves, and `--help` shows every
command's summary whole."""

from pathlib import Path

import click
import pytest

from procure.cli.reference import REGENERATE, commands, reference, subcommands, summary

PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference.md"


def test_the_reference_page_is_what_the_commands_say():
    assert PAGE.read_text(encoding="utf-8") == reference(), f"docs/reference.md is stale: run `{REGENERATE}`"


def test_the_page_names_every_command_and_every_option_of_it():
    page = PAGE.read_text(encoding="utf-8")
    sections = {section.split("\n", 1)[0]: section for section in page.split("\n## ")[1:]}
    for ctx in commands():
        section = sections[ctx.command_path]  # a KeyError names the command the page lacks
        for param in ctx.command.get_params(ctx):
            if isinstance(param, click.Option) and param is not ctx.command.get_help_option(ctx):
                for name in param.opts + param.secondary_opts:
                    assert f"{name}" in section, f"{ctx.command_path} {name} is not on docs/reference.md"


def test_a_change_of_a_commands_help_makes_the_page_stale(monkeypatch):
    build = next(ctx.command for ctx in commands() if ctx.command_path == "procure build")
    monkeypatch.setattr(build, "help", "Something else.")
    assert reference() != PAGE.read_text(encoding="utf-8")


@pytest.mark.parametrize("group", [ctx for ctx in commands() if subcommands(ctx)], ids=lambda ctx: ctx.command_path)
def test_help_shows_every_commands_summary_whole_on_80_columns(group, monkeypatch):
    # as a terminal of 80 columns makes it: click keeps two columns free (terminal_width=80 would not)
    monkeypatch.setenv("COLUMNS", "80")
    ctx = click.Context(group.command, info_name=group.info_name, parent=group.parent,
                        **group.command.context_settings)
    shown = " ".join(group.command.get_help(ctx).split())
    for sub in subcommands(group):
        assert f"{sub.info_name} {summary(sub)}" in shown, f"`{group.command_path} --help` cuts off {sub.info_name}"
