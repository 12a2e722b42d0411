"""Build real Orders from request text for renderer and rule tests."""

import datetime
from pathlib import Path

import procure

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


def make_order(request_text: str = GEN2, prices_text: str | None = PRICES,
               today: datetime.date = datetime.date(2026, 1, 15), catalog=None):
    """The Order of a request text, priced with `prices_text` (None: no price list), through the Python API."""
    prices = procure.read_price_list(text=prices_text, name="prices.csv") if prices_text is not None else None
    return procure.build_order(procure.read_request(text=request_text), catalog or procure.shipped_catalog(),
                               prices=prices, today=today)
