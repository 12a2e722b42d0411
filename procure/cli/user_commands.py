"""`procure user ...`: the people who may sign in to the web desk, and their roles (docs/desk-guide.md)."""

import sys

import click

from procure.cli.common import json_option, print_json
from procure.cli.register_groups import register_command, register_option
from procure.register.accounts import ROLES

stdin_option = click.option("--password-stdin", is_flag=True,
                            help="Read the password from the first line of standard input instead of asking.")


@click.group()
@register_option("PROCURE_REGISTER")
def user(register_target):
    """Manage the web desk's users.

    Add, list, disable and enable the users of the web desk (`procure serve`); set their roles, details and
    passwords.
    """


def _password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or asked twice (hidden) on a terminal."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password")


@register_command(user, creates=True)
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES),
              help="viewer reads; desk also issues and revises; approver also accepts and voids; admin also "
                   "manages users.")
@stdin_option
def add(store, name, role, password_stdin):
    """Add user NAME with a role and a password."""
    from procure.register.accounts import add_user

    added = add_user(store, name, role, _password(password_stdin))
    click.echo(f"added user {added.name} ({added.role})")


@register_command(user, "list")
@json_option
def list_users(store, as_json):
    """List the users and their roles.

    Also whether they may sign in, and who they are."""
    from procure.register.accounts import users
    from procure.renderers.tables import text_table

    found = users(store)
    if as_json:
        print_json({"users": [{"name": u.name, "role": u.role, "active": u.active, "full_name": u.full_name,
                               "title": u.title, "email": u.email, "phone": u.phone,
                               "created_at": f"{u.created_at:%Y-%m-%dT%H:%M:%SZ}",
                               "disabled_at": u.disabled_at and f"{u.disabled_at:%Y-%m-%dT%H:%M:%SZ}"}
                              for u in found]})
        return
    click.echo(text_table(["Name", "Role", "May sign in", "Added", "Full name", "E-mail"],
                          [[u.name, u.role, "yes" if u.active else "no (disabled)", f"{u.created_at:%Y-%m-%d}",
                            u.full_name or "", u.email or ""]
                           for u in found]) if found else "No users: `procure user add NAME --role admin` adds one.")


@register_command(user)
@click.argument("name")
def disable(store, name):
    """Stop user NAME from signing in.

    What they did stays recorded under their name.
    """
    from procure.register.accounts import disable_user

    click.echo(f"disabled user {disable_user(store, name).shown}")


@register_command(user)
@click.argument("name")
@stdin_option
def password(store, name, password_stdin):
    """Set a new password for user NAME (lifts a lockout).

    A lockout after failed sign-ins is lifted.
    """
    from procure.register.accounts import set_password

    click.echo(f"new password set for {set_password(store, name, _password(password_stdin)).name}")


@register_command(user)
@click.argument("name")
def signout(store, name):
    """Sign user NAME out of every browser.

    Every browser where NAME is signed in must sign in again."""
    from procure.register.accounts import existing_user
    from procure.register.sessions import end_sessions

    user = existing_user(store, name)
    click.echo(f"signed {user.name} out everywhere ({end_sessions(store, user.name)} session(s) ended)")


@register_command(user)
@click.argument("name")
def enable(store, name):
    """Let disabled user NAME sign in again.

    They keep the role and password they had."""
    from procure.register.accounts import enable_user

    click.echo(f"enabled user {enable_user(store, name).shown}")


@register_command(user)
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
def role(store, name, role):
    """Give user NAME the role ROLE.

    The last active admin stays admin."""
    from procure.register.accounts import set_role

    click.echo(f"user {set_role(store, name, role).shown}")


@register_command(user, "set")
@click.argument("name")
@click.option("--full-name", metavar="T", help="The name quotes show under Prepared by, such as \"Alex Smith\".")
@click.option("--title", metavar="T", help="The job title shown with the name.")
@click.option("--email", metavar="T", help="The address the user's e-mails come from; replies go there too.")
@click.option("--phone", metavar="T", help="The phone number shown with the name.")
def set_user(store, name, full_name, title, email, phone):
    """Set user NAME's full name, title, e-mail and phone.

    Their quotes and e-mails carry them (\"\" clears one)."""
    from procure.register.accounts import set_details

    changed = set_details(store, name, full_name=full_name, title=title, email=email, phone=phone)
    shown = ", ".join(v for v in (changed.full_name, changed.title, changed.email, changed.phone) if v)
    click.echo(f"user {changed.shown}: {shown or 'no details: quotes show the profile preparer'}")
