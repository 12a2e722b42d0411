"""The desk served by several worker processes: gunicorn's pre-fork arbiter (POSIX only).

One Python process prepares one quote at a time (rendering holds the interpreter
lock), so a team's desk needs processes, not threads, to use more than one core.
gunicorn's arbiter forks the workers from one loaded application, restarts one that
dies, and stops them all on Ctrl-C or SIGTERM. Every worker opens its own register
connections (`web.db`); the secret key, the sign-in lockout and the sessions live
in the register, so a client may land on any worker.
"""

from gunicorn.app.base import BaseApplication

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
                "timeout": TIMEOUT, "graceful_timeout": 30, "keepalive": 5, "preload_app": True,
                "proc_name": "procure", "accesslog": None, "errorlog": "-", "loglevel": "warning"}).run()
