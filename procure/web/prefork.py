"""The desk served by several worker processes: gunicorn's pre-fork arbiter (POSIX only).

One Python process prepares one quote at a time (rendering holds the interpreter
lock), so a team's desk needs processes, not threads, to use more than one core.
gunicorn's arbiter forks the workers from one loaded application, restarts one that
dies, and stops them all on Ctrl-C or SIGTERM. Every worker opens its own register
connections (`web.db`); the secret key, the sign-in lockout and the sessions live
in the register, so a client may land on any worker.
"""

from gunicorn.app.base import BaseApplication

KEEPALIVE = 0
"""No connection is kept open between requests: each request goes to the worker that takes it first, and a
worker busy rendering takes fewer. A kept-alive connection stays on its worker however busy that is (measured:
20 clients issuing 200 quotes left one worker with 11 s of work and the other 4 s, 1.68x the limit of the work;
without, 6.9 s and 6.6 s, 1.09-1.14x). Behind a reverse proxy (deploy/) each request is its own connection
anyway."""
TIMEOUT = 120
"""Seconds a worker may spend on one request before the arbiter replaces it (a large quote takes seconds)."""


class _Desk(BaseApplication):
    def __init__(self, app, options: dict):
        self.app, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.app


def serve_workers(app, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve `app` (loaded once, before the workers fork) on host:port until stopped."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    _Desk(app, {"bind": [bind], "workers": workers, "worker_class": "gthread", "threads": threads,
                "timeout": TIMEOUT, "graceful_timeout": 30, "keepalive": KEEPALIVE, "preload_app": True,
                "proc_name": "procure", "accesslog": None, "errorlog": "-", "loglevel": "warning"}).run()
