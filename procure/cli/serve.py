"""`procure serve`: the desk in a browser (docs/desk-guide.md), served by waitress in one process,
or by gunicorn's arbiter with `--workers N` above 1 on POSIX (`web/prefork.py`).

Only this machine can reach it (127.0.0.1) unless `--host` says otherwise, and
another host is refused while the register has no user who could sign in.
"""

import ipaddress
import os
import socket

import click

from procure.core.errors import RuleError

LOOPBACK_NAMES = ("localhost",)
CHANNEL_TIMEOUT = 30
"""Seconds a connection may stay silent before waitress closes it: a client that sends its request slowly (or
never) cannot hold a connection for long."""
CONNECTION_LIMIT = 1000
"""Connections waitress holds at once; waiting connections cost no thread, so a hundred slow clients leave room."""
SPOOL_OVER = 512 * 1024
"""A request body over this is spooled to a temporary file while waitress reads it, not held in memory."""


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--register", "register_target", envvar="PROCURE_REGISTER", metavar="TARGET",
              help="The register: an SQLite file, or a postgresql:// URL (also env PROCURE_REGISTER).")
@click.option("--profile", metavar="FILE",
              help="Vendor and preparer profile (else env PROCURE_PROFILE, else ./procure.toml).")
@click.option("--prices", envvar="PROCURE_PRICES", metavar="FILE",
              help="The desk's price list, CSV or XLSX (also env PROCURE_PRICES); a quote may upload its own.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; another than this machine's needs a user in the register first.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Requests served at the same time.")
@click.option("--workers", type=click.IntRange(1, 64), metavar="N",
              help="Worker processes (default: the number of cores, at most 4; always 1 on Windows).")
@click.option("--https-only", is_flag=True,
              help="Send the sign-in cookie over HTTPS only (behind a proxy that terminates TLS).")
@click.option("--demo", is_flag=True,
              help="Try the desk on a practice register with example quotes and a sign-in printed once: in a temporary "
                   "folder unless --register names a new file (or one --demo made); never a real register.")
@click.pass_context
def serve(ctx, register_target, profile, prices, host, port, threads, workers, https_only, demo):
    """Serve the desk in a browser.

    Sign in, prepare, check, issue, revise, accept and verify quotes. With --demo, look around first: a practice
    register with example quotes in every status, PRACTICE on every page, and one sign-in printed on the console.
    """
    from procure.register import open_register
    from procure.register.accounts import has_users
    from procure.web import create_app
    from procure.web.security import MAX_REQUEST

    if demo:
        register_target, profile, prices = _practice(ctx)
    with open_register(register_target) as store:
        users, shown = has_users(store), store.target.shown
    if not users and not is_loopback(host):
        raise RuleError(f"--host {host}: the register {shown} has no user yet, so anyone who reaches the desk could "
                        f"not sign in, or worse; add one first: procure user add NAME --role admin")
    app = create_app(register_target, profile, prices, catalog=ctx.find_root().params.get("catalog_dir"),
                     https_only=https_only)
    workers = 1 if os.name == "nt" else workers or default_workers()
    click.echo(f"procure desk at http://{host}:{port}/ (register {shown}, {workers} worker(s)); Ctrl-C stops it",
               err=True)
    if not users:
        click.echo("no user can sign in yet: add one with `procure user add NAME --role admin`", err=True)
    if workers > 1:
        from procure.web.prefork import serve_workers

        check_free(host, port)
        serve_workers(app, host=host, port=port, workers=workers, threads=threads)
        return
    from waitress import serve as run

    try:
        run(app, host=host, port=port, threads=threads, ident="procure", max_request_body_size=MAX_REQUEST,
            inbuf_overflow=SPOOL_OVER, channel_timeout=CHANNEL_TIMEOUT, connection_limit=CONNECTION_LIMIT,
            _quiet=True)
    except KeyboardInterrupt:
        pass
    except OSError as e:
        raise RuleError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


def _practice(ctx: click.Context) -> tuple[str, str, str]:
    """`--demo`: the practice register (made and seeded when new), the example profile and price list; the
    sign-in printed once. PROCURE_REGISTER, PROCURE_PROFILE and PROCURE_PRICES are not read: they name real ones."""
    import tempfile

    from click.core import ParameterSource

    from procure.cli.common import catalog_of
    from procure.register import open_register
    from procure.register.practice import demo_sign_in, make_practice, seed
    from procure.shipped import shipped_folder

    for name, option in (("profile", "--profile"), ("prices", "--prices")):
        if ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE:
            raise click.UsageError(f"--demo uses the example price list and profile: leave out {option}")
    target = ctx.params["register_target"]
    if ctx.get_parameter_source("register_target") != ParameterSource.COMMANDLINE:
        folder = ctx.with_resource(tempfile.TemporaryDirectory(prefix="procure-demo-"))
        target = os.path.join(folder, "practice.sqlite")
    with open_register(target) as store:
        make_practice(store)
        if not store.count()[0]:
            seed(store, catalog_of(ctx))
        name, password = demo_sign_in(store)
    click.echo(f"user {name}\npassword {password}")
    examples = shipped_folder("examples")
    return target, os.path.join(examples, "profile.toml"), os.path.join(examples, "prices-illustrative.csv")


def default_workers() -> int:
    """The number of cores, at most 4."""
    return max(1, min(os.cpu_count() or 1, 4))


def check_free(host: str, port: int) -> None:
    """RuleError if host:port cannot be listened on (gunicorn would retry, then exit with a log line)."""
    try:
        info = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
        with socket.socket(info[0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(info[4])
    except OSError as e:
        raise RuleError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
