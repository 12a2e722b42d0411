"""What every page's template may use: money and dates as the outputs write them, the signed-in user, the roles,
and whether the register is a practice one; `carry` (a file's reference for the page's next step)."""

import datetime

from flask import Flask, g
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from procure.register.accounts import ADMIN, APPROVER, DESK, ROLES
from procure.renderers.tables import money
from procure.web.db import is_practice


def moment(value: datetime.datetime | None) -> str:
    """`2026-11-27 23:49 UTC`."""
    return "" if value is None else value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def strong(text: str) -> Markup:
    """Template text with `**words**` in bold, everything else escaped."""
    parts = str(escape(text)).split("**")
    return Markup("".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts)))


class CompiledOnce(BytecodeCache):
    """The pages' templates compiled once a process, not once an application: every application of a process
    (a test run makes hundreds, a compile of every page costs 0.2 s) sets its templates' options alike in
    `init_templates`, so their compiled code is the same. Jinja checks each template's source against the
    checksum kept with its code."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledOnce()


def init_templates(app: Flask) -> None:
    app.jinja_env.bytecode_cache = COMPILED
    app.jinja_env.filters.update(money=money, moment=moment, strong=strong)
    from procure.web.uploads import carry

    app.jinja_env.globals.update(DESK=DESK, APPROVER=APPROVER, ADMIN=ADMIN, ROLES=ROLES, carry=carry)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def user():
        return {"user": g.get("user"), "practice": is_practice()}
