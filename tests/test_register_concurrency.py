"""Eight desks issuing at once into one register get every number once, in sequence, without error."""

import datetime
import os
import subprocess
import sys
import textwrap

import pytest

from procure import open_register

from conftest import REPO
from orders import PRICES
from registers import REQUEST, number

DESKS, EACH = 8, 25

DESK = textwrap.dedent("""
    import sys
    import procure
    from procure.register.issuing import issue, read_source

    target, request, prices, out, count = sys.argv[1:]
    catalog = procure.shipped_catalog()
    source = read_source(request, prices)
    with procure.open_register(target) as store:
        for _ in range(int(count)):
            print(issue(store, source, catalog, out).issued.number, flush=True)
""")


@pytest.mark.slow
def test_concurrent_issues_take_every_number_once(register_target, tmp_path):
    request, prices = tmp_path / "request.toml", tmp_path / "prices.csv"
    request.write_text(REQUEST, encoding="utf-8")
    prices.write_text(PRICES, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PROCURE_REGISTER_TIMEOUT": "300"}
    desks = [subprocess.Popen([sys.executable, "-c", DESK, register_target, str(request), str(prices),
                               str(tmp_path / f"desk{n}"), str(EACH)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for n in range(DESKS)]
    printed = []
    for desk in desks:
        stdout, stderr = desk.communicate(timeout=600)
        assert desk.returncode == 0 and not stderr.strip(), stderr[-2000:]
        printed += stdout.split()
    expected = [number(n) for n in range(1, DESKS * EACH + 1)]
    assert sorted(printed) == expected
    with open_register(register_target) as store:
        assert sorted(e.number for e in store.entries(today=datetime.date.today())) == expected
    files = sorted(p.name for n in range(DESKS) for p in (tmp_path / f"desk{n}").iterdir())
    assert files == sorted(f"{x}{s}" for x in expected for s in (".html", ".pdf", ".txt", ".xlsx"))
