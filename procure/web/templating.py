"""What every page's template may use: money and dates as the outputs write them, the signed-in user, the roles,
and whether the register is a practice one; `carry` (a file's reference for the page's next step)."""

import datetime
from decimal import Decimal

from flask import Flask, g
from markupsafe import Markup, escape

from procure.core.money import format_money
from procure.register.users import ADMIN, APPROVER, DESK, ROLES
from procure.web.db import is_practice


def money(amount) -> str:
    """`$1,234.56`, or a dash when there is no amount (an amount as the register's JSON writes it too)."""
    if amount is None or amount == "":
        return "-"
    return format_money(Decimal(amount) if isinstance(amount, str) else amount)


def moment(value: datetime.datetime | None) -> str:
    """`2026-11-27 23:49 UTC`."""
    return "" if value is None else value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def strong(text: str) -> Markup:
    """Template text with `**words**` in bold, everything else escaped."""
    parts = str(escape(text)).split("**")
    return Markup("".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts)))


def init_templates(app: Flask) -> None:
    app.jinja_env.filters.update(money=money, moment=moment, strong=strong)
    from procure.web.uploads import carry

    app.jinja_env.globals.update(DESK=DESK, APPROVER=APPROVER, ADMIN=ADMIN, ROLES=ROLES, carry=carry)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def user():
        return {"user": g.get("user"), "practice": is_practice()}
