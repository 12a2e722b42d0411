"""Requests, price lists and a CLI runner for the register tests."""

import datetime
from pathlib import Path

from click.testing import CliRunner

from procure.cli import cli

from orders import CUSTOMER, PRICES

YEAR = datetime.date.today().year
REQUEST = CUSTOMER + """
[equipment]
installed = ["IST2221"]

[[treatment]]
name = "Anterior knee"
procedures = 12
nerves = ["AFCN", "ISN-S", "ISN-I"]
"""
"""No [quote] number and no date: the register numbers it, dated today."""
MORE = REQUEST.replace("procedures = 12", "procedures = 30")
FOUR_LINES = CUSTOMER + """
[[line]]
part = "IST2221"
quantity = 1

[[line]]
part = "STT2309-5"
quantity = 7

[[line]]
part = "STT2190-5"
quantity = 3

[[line]]
part = "CRX2111-10"
quantity = 7
"""
"""A quote of $22,100.00: the handpiece (line 0001, $9,000.00) and $13,100.00 of tips and cartridges."""
DEARER = PRICES.replace("STT2309-5,1000.00", "STT2309-5,1050.00")


def number(n: int) -> str:
    return f"Q-{YEAR}-{n:04d}"


class Desk:
    """A customer-service desk: runs `procure` in-process against one register, with files in a folder."""

    def __init__(self, target: str, folder: Path):
        self.target, self.folder = target, folder
        self.prices = folder / "prices.csv"
        self.prices.write_text(PRICES, encoding="utf-8")
        self.out = folder / "out"

    def request(self, text: str = REQUEST, name: str = "request.toml") -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def __call__(self, *args, env=None, register=True, input=None):
        """`procure ARGS --register TARGET` (without --register for a command outside the register)."""
        merged = {"PROCURE_CATALOG": None, "PROCURE_DEBUG": None, "PROCURE_REGISTER": None, **(env or {})}
        more = ["--register", self.target] if register else []
        return CliRunner().invoke(cli, [str(a) for a in args] + more, env=merged, input=input)

    def issue(self, text: str = REQUEST, *more, env=None):
        return self("quote", "issue", self.request(text), "-o", self.out, "--prices", self.prices, *more, env=env)

    def revise(self, base: str, text: str = REQUEST, *more):
        return self("quote", "revise", base, self.request(text), "-o", self.out, "--prices", self.prices, *more)


def issued(result) -> str:
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("issued ")
    return first.removeprefix("issued ")
