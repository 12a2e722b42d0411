"""`procure serve`: the desk in a browser (README, "The desk in a browser"), served by waitress in one process,
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
BODY_LIMIT = 32 * 1024 * 1024
"""What waitress reads of a request and keeps in memory (never spooled to disk); the app itself refuses more than
20 MB of files with its own page."""


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
@click.pass_context
def serve(ctx, register_target, profile, prices, host, port, threads, workers, https_only):
    """Serve the desk in a browser: sign in, prepare, check, issue, revise, accept and verify quotes."""
    from procure.register import open_register
    from procure.register.users import has_users
    from procure.web import create_app

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
        run(app, host=host, port=port, threads=threads, ident="procure", max_request_body_size=BODY_LIMIT,
            inbuf_overflow=BODY_LIMIT, _quiet=True)
    except KeyboardInterrupt:
        pass
    except OSError as e:
        raise RuleError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


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
