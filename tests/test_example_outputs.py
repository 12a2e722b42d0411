"""The examples' outputs keep their bytes: a restructuring of the code must not change a document.

`fixtures/example-outputs.json` holds the sha256 of every output of every shipped example, built with the
illustrative price list, with and without the example profile. A change that means to change a document
updates that file in the same commit, and says why.
"""

import hashlib
import json
from pathlib import Path

import pytest

import procure

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPECTED = json.loads((Path(__file__).resolve().parent / "fixtures" / "example-outputs.json").read_text())
REQUESTS = sorted(p for p in EXAMPLES.glob("*.toml") if p.stem != "profile")


@pytest.mark.parametrize("request_file", REQUESTS, ids=lambda p: p.stem)
def test_every_example_output_has_the_bytes_it_had(request_file):
    catalog = procure.shipped_catalog()
    prices = procure.read_price_list(EXAMPLES / "prices-illustrative.csv")
    request = procure.read_request(request_file)
    for tag, profile in (("plain", None), ("profile", procure.read_profile(EXAMPLES / "profile.toml"))):
        files = procure.render(procure.build_order(request, catalog, prices=prices, profile=profile))
        got = {f"{request_file.stem}/{tag}{suffix}": hashlib.sha256(data).hexdigest() for suffix, data in files.items()}
        assert got == {key: EXPECTED[key] for key in got}, f"{request_file.name} ({tag}) outputs changed"


def test_every_example_is_covered():
    assert {key.split("/")[0] for key in EXPECTED} == {p.stem for p in REQUESTS}


@pytest.mark.slow  # renders in a fresh interpreter
def test_the_pdf_has_the_same_bytes_without_reportlabs_c_accelerator():
    """reportlab[accel] (rl_accel) formats numbers in C; a desk where it did not install must build the same PDF."""
    import subprocess
    import sys

    script = ("import sys, hashlib\nsys.modules['_rl_accel'] = None\nimport procure\n"
              "from reportlab.lib import rl_accel\nassert rl_accel.fp_str.__module__ != '_rl_accel'\n"
              f"r = procure.read_request({str(EXAMPLES / 'request.toml')!r})\n"
              f"p = procure.read_price_list({str(EXAMPLES / 'prices-illustrative.csv')!r})\n"
              "o = procure.build_order(r, procure.shipped_catalog(), prices=p)\n"
              "print(hashlib.sha256(procure.render(o)['.pdf']).hexdigest())\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == EXPECTED["request/plain.pdf"]
