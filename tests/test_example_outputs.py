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
