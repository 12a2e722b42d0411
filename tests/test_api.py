"""The Python API: the names of `import procure`, the example of docs/python-api.md, and the rule that errors are
never rendered."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import procure
from procure.cli import cli

from orders import GEN2, PRICES

REPO = Path(__file__).resolve().parent.parent


def documented_example() -> str:
    """The first example of docs/python-api.md, the page that documents the API."""
    text = (REPO / "docs" / "python-api.md").read_text(encoding="utf-8")
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


def test_every_public_name_resolves():
    for name in procure.__all__:
        assert getattr(procure, name) is not None, name


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        _ = procure.no_such_thing


@pytest.mark.slow  # renders every output twice; test_api's other tests cover the calls
def test_the_documented_example_runs_and_writes_what_build_writes(tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    completed = subprocess.run([sys.executable, "-c", documented_example()], cwd=tmp_path, capture_output=True,
                               text=True, timeout=120,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("Q-2026-0001 23870.00 [('IST2221', 1), ('STT2309-5', 8)")
    page = (REPO / "docs" / "python-api.md").read_text(encoding="utf-8")
    assert f"It prints:\n\n```\n{completed.stdout}```" in page, "docs/python-api.md shows another output"
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "examples" / "request.toml"), "-o",
                                      str(tmp_path / "cli"), "--prices",
                                      str(tmp_path / "examples" / "prices-illustrative.csv")])
    assert result.exit_code == 0, result.stderr
    for suffix in (".xlsx", ".pdf", ".txt", ".html"):
        api = (tmp_path / "out" / f"Q-2026-0001{suffix}").read_bytes()
        assert api == (tmp_path / "cli" / f"Q-2026-0001{suffix}").read_bytes(), suffix


def test_render_returns_the_bytes_build_writes(tmp_path):
    (tmp_path / "r.toml").write_text(GEN2, encoding="utf-8")
    (tmp_path / "p.csv").write_text(PRICES, encoding="utf-8")
    order = procure.build_order(procure.read_request(text=GEN2, name="r.toml"), procure.shipped_catalog(),
                                prices=procure.read_price_list(text=PRICES, name="p.csv"))
    files = procure.render(order)
    assert sorted(files) == [".html", ".pdf", ".txt", ".xlsx"]
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "r.toml"), "-o", str(tmp_path / "out"), "--prices",
                                      str(tmp_path / "p.csv")])
    assert result.exit_code == 0, result.stderr
    for suffix, data in files.items():
        written = (tmp_path / "out" / f"PQ-0001{suffix}").read_bytes()
        assert hashlib.sha256(written).digest() == hashlib.sha256(data).digest(), suffix


def test_an_unpriced_order_is_not_rendered_nor_written(tmp_path):
    order = procure.build_order(procure.read_request(text=GEN2), procure.shipped_catalog())
    assert order.total is None and not order.errors  # check and plan show it, with missing-price warnings
    with pytest.raises(procure.OrderHasErrors) as raised:
        procure.render(order)
    assert raised.value.exit_code == 1
    assert {i.code for i in raised.value.findings if i.severity == "error"} == {"missing-price"}
    with pytest.raises(procure.OrderHasErrors):
        procure.write_outputs(order, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_order_with_an_error_finding_is_not_rendered():
    text = (GEN2.replace('installed = ["IST2221"]', 'installed = ["IST0221"]')
            + '[[line]]\npart = "STT2309-5"\nquantity = 1\n')
    order = procure.build_order(procure.read_request(text=text), procure.shipped_catalog(),
                                prices=procure.read_price_list(text=PRICES))
    assert "generation-mismatch" in {i.code for i in order.errors}
    with pytest.raises(procure.OrderHasErrors):
        procure.render(order)


def test_text_inputs_name_themselves_in_messages():
    with pytest.raises(procure.InputError) as raised:
        procure.read_request(text=GEN2.replace("procedures = 12", "procedures = 0"), name="desk.toml")
    assert raised.value.problems[0].startswith("desk.toml:")
    with pytest.raises(procure.InputError) as raised:
        procure.read_price_list(text="part,unit_price\nIST2221,abc\n", name="list.csv")
    assert raised.value.problems[0].startswith("list.csv: line 2")


def test_a_request_text_takes_its_price_list_beside_its_name(tmp_path):
    (tmp_path / "p.csv").write_text(PRICES, encoding="utf-8")
    text = GEN2 + '\n[pricing]\nprice_list = "p.csv"\n'
    request = procure.read_request(text=text, name=str(tmp_path / "r.toml"))
    found = procure.price_list_for(request).prices["IST2221"]
    assert found == procure.read_price_list(tmp_path / "p.csv").prices["IST2221"]


def test_import_procure_loads_no_output_library():
    completed = subprocess.run([sys.executable, "-c", "import procure, sys; print(sorted(m for m in sys.modules "
                                "if m.split('.')[0] in ('click', 'jinja2', 'openpyxl', 'reportlab')))"],
                               capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert completed.stdout.strip() == "[]"
