"""Build real Orders from request text for renderer and rule tests."""

import datetime
from pathlib import Path

from procure.builder import build_order
from procure.catalog import require_catalog
from procure.request import read_request

PRICES = ("part,unit_price\nIST2221,9000.00\nSTT2309-5,1000.00\nSTT2190-5,1100.00\nCRX2111-10,400.00\n"
          "IST0221,8000.00\nSTT0309-5,950.00\nSTT0801-5,990.00\nSTT0811-5,1050.00\nCRX0111-10,100.00\n"
          "CRX0111-20,180.00\n")
ILLUSTRATIVE = "# illustrative = true\n# title = Illustrative prices\n" + PRICES
CUSTOMER = '[customer]\nfacility = "Public Example Clinic"\ndodaac = "W91ABC"\n'
GEN2 = CUSTOMER + """
[quote]
number = "PQ-0001"
date = 2026-01-15

[equipment]
installed = ["IST2221"]

[[treatment]]
name = "Anterior knee"
procedures = 12
nerves = ["AFCN", "ISN-S", "ISN-I"]

[[treatment]]
name = "Genicular"
procedures = 7
nerves = ["SLGN", "SMGN", "IMGN"]
"""
EXAMPLE = Path(__file__).parent.parent / "examples" / "request.toml"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def make_order(folder: Path, request_text: str = GEN2, prices_text: str | None = PRICES, building: bool = True,
               today: datetime.date = datetime.date(2026, 1, 15)):
    """The Order of a request text, priced with `prices_text` (None: no price list)."""
    request = read_request(write(folder, "request.toml", request_text))
    prices = write(folder, "prices.csv", prices_text) if prices_text is not None else None
    return build_order(request, require_catalog(None), prices=prices, today=today, building=building)
