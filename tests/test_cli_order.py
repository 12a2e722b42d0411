"""`procure example | check | plan` as users and scripts call them: outputs, JSON keys, price-list choice, imports."""

import json
import os
import re
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from procure.cli import cli

from orders import CUSTOMER, PRICES, write

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "request.toml"
ILLUSTRATIVE_CSV = REPO / "examples" / "prices-illustrative.csv"
MONEY = re.compile(r"\d+\.\d{2}")


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"PROCURE_CATALOG": None, "PROCURE_DEBUG": None})


def plan_json(*args):
    result = invoke("plan", *args, "--json")
    assert "Traceback" not in result.stdout + result.stderr
    return result, json.loads(result.stdout)


def run_module(*args, python_args=()):
    """`python [python_args] -m procure args` in a fresh interpreter, from the repository root."""
    env = {k: v for k, v in os.environ.items() if k not in ("PROCURE_CATALOG", "PROCURE_DEBUG")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, *python_args, "-m", "procure", *map(str, args)], capture_output=True,
                          cwd=REPO, env=env, timeout=120)


# ------------------------------------------------------------------ example


def test_example_output_is_the_shipped_example_byte_for_byte():
    result = invoke("example")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout_bytes == EXAMPLE.read_bytes()


def test_example_output_is_the_same_from_a_fresh_interpreter():
    completed = run_module("example")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == EXAMPLE.read_bytes()


def test_example_saved_in_an_empty_folder_parses_and_checks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = invoke("example").stdout
    data = tomllib.loads(text)
    assert {"customer", "treatment"} <= set(data)
    assert "price_list" not in data.get("pricing", {}), "the example must name no file beside it"
    Path("request.toml").write_text(text, encoding="utf-8")
    for command in ("check", "plan"):
        result = invoke(command, "request.toml")
        assert result.exit_code in (0, 1), result.stderr
        assert result.stderr == ""
    assert invoke("check", "request.toml").exit_code == 0


# ------------------------------------------------------------------ --json


def test_plan_json_keys_money_and_quantities():
    result, data = plan_json(EXAMPLE, "--prices", ILLUSTRATIVE_CSV)
    assert result.exit_code == 0, result.stderr
    assert {"catalog", "lines", "total", "issues", "reimbursement"} <= set(data)
    assert data["catalog"]["contract"] == "SPE2DE-21-D-7004"
    assert data["catalog"]["version"] == "2024-10-01"
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", data["catalog"]["digest"])
    assert [(ln["line"], ln["part"], ln["quantity"]) for ln in data["lines"]] == [
        ("0001", "IST2221", 1), ("0002", "STT2309-5", 8), ("0003", "STT2190-5", 3), ("0004", "CRX2111-10", 6)]
    for line in data["lines"]:
        assert {"line", "part", "quantity", "unit_of_issue", "units_per_pack", "unit_price",
                "extended_price"} <= set(line)
        assert isinstance(line["quantity"], int) and isinstance(line["units_per_pack"], int)
        assert MONEY.fullmatch(line["unit_price"]) and MONEY.fullmatch(line["extended_price"])
        assert Decimal(line["extended_price"]) == Decimal(line["unit_price"]) * line["quantity"]
    assert [ln["unit_of_issue"] for ln in data["lines"]] == ["EA", "PK", "PK", "PK"]
    assert data["total"] == "23870.00"  # 9500 + 8 x 1050 + 3 x 1150 + 6 x 420
    assert Decimal(data["total"]) == sum(Decimal(ln["extended_price"]) for ln in data["lines"])
    for issue in data["issues"]:
        assert {"severity", "code", "message", "subject"} <= set(issue)
        assert issue["severity"] in ("error", "warning")
    assert {"illustrative-prices", "contract-period-unknown"} <= {i["code"] for i in data["issues"]}


def test_plan_json_without_prices_has_null_money():
    result, data = plan_json(EXAMPLE)
    assert result.exit_code == 0
    assert data["total"] is None
    assert all(ln["unit_price"] is None and ln["extended_price"] is None for ln in data["lines"])


def test_reimbursement_units_are_per_procedure_and_fees_come_with_a_site():
    _, data = plan_json(EXAMPLE)
    rows = {(r["treatment"], r["cpt"]): r for r in data["reimbursement"]}
    anterior, genicular = rows["Anterior knee", "64640"], rows["Genicular (posterior knee)", "64624"]
    assert (anterior["units"], anterior["procedures"]) == (3, 40)
    assert (genicular["units"], genicular["procedures"]) == (1, 12)
    assert (anterior["unit_fee"], anterior["fee_per_procedure"], anterior["total"]) == ("175.42", "526.26",
                                                                                        "21050.40")
    assert (genicular["unit_fee"], genicular["fee_per_procedure"], genicular["total"]) == ("897.67", "897.67",
                                                                                          "10772.04")


def test_without_a_site_units_are_still_counted_but_no_fee(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text[:text.index("[reimbursement]")]
    _, data = plan_json(write(tmp_path, "request.toml", text))
    assert [(r["cpt"], r["units"]) for r in data["reimbursement"]] == [("64640", 3), ("64624", 1)]
    for row in data["reimbursement"]:
        assert row.get("unit_fee") is None and row.get("fee_per_procedure") is None and row.get("total") is None
    assert data.get("reimbursement_total") is None


def test_check_json_has_the_same_contract_keys():
    result = invoke("check", EXAMPLE, "--prices", ILLUSTRATIVE_CSV, "--json")
    assert result.exit_code == 0
    assert {"catalog", "lines", "total", "issues", "reimbursement"} <= set(json.loads(result.stdout))


# ------------------------------------------------------------------ which price list


REQUEST_WITH_PRICE_LIST = CUSTOMER + """
[quote]
date = 2026-01-15

[equipment]
installed = ["IST2221"]

[pricing]
price_list = "prices.csv"

[[treatment]]
name = "Anterior knee"
procedures = 10
"""


def _unit_price(data, part):
    [line] = [ln for ln in data["lines"] if ln["part"] == part]
    return line["unit_price"]


def test_price_list_is_relative_to_the_request_file(tmp_path, monkeypatch):
    folder = tmp_path / "requests"
    folder.mkdir()
    request = write(folder, "request.toml", REQUEST_WITH_PRICE_LIST)
    write(folder, "prices.csv", PRICES)
    monkeypatch.chdir(tmp_path)  # no prices.csv here
    result, data = plan_json(request.relative_to(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert _unit_price(data, "STT2309-5") == "1000.00"
    assert data["total"] == "2400.00"  # 2 x 1000 + 1 x 400


def test_prices_option_overrides_the_request_price_list(tmp_path, monkeypatch):
    folder = tmp_path / "requests"
    folder.mkdir()
    request = write(folder, "request.toml", REQUEST_WITH_PRICE_LIST)
    write(folder, "prices.csv", PRICES)
    other = write(tmp_path, "other.csv", PRICES.replace("STT2309-5,1000.00", "STT2309-5,2000.00"))
    monkeypatch.chdir(tmp_path)
    result, data = plan_json(request, "--prices", other)
    assert result.exit_code == 0
    assert _unit_price(data, "STT2309-5") == "2000.00"
    # the request's own price list is not even read when --prices is given
    (folder / "prices.csv").unlink()
    result, data = plan_json(request, "--prices", "other.csv")
    assert result.exit_code == 0 and _unit_price(data, "STT2309-5") == "2000.00"


def test_a_missing_request_price_list_is_named(tmp_path):
    request = write(tmp_path, "request.toml", REQUEST_WITH_PRICE_LIST)
    result = invoke("plan", request)
    assert result.exit_code == 2
    assert str(tmp_path / "prices.csv") in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# ------------------------------------------------------------------ human output


def test_plan_text_shows_lines_derivation_and_findings_errors_first(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace('nerves = ["SLGN", "SMGN", "IMGN"]',
                                                       'nerves = ["SLGN", "SMGN", "XYZ"]')
    request = write(tmp_path, "request.toml", text)
    result = invoke("plan", request, "--prices", ILLUSTRATIVE_CSV)
    assert result.exit_code == 1
    out = result.stdout
    sections = [out.index("Order lines"), out.index("How the quantities were derived"), out.index("Findings")]
    assert sections == sorted(sections)
    table = out[sections[0]:sections[1]]
    header = table.splitlines()[1]
    for column in ("Line", "Part", "Description", "Qty", "Unit price", "Extended"):
        assert column in header
    assert re.search(r"^0002\s+STT2309-5\s.*\s8\s+\$1,050\.00\s+\$8,400\.00\s*$", table, re.M)
    assert "Total" in table
    derivation = out[sections[1]:sections[2]]
    for column in ("Treatment", "Procedures", "Units", "Spare", "Stock", "Net", "Packs"):
        assert column in derivation
    assert re.search(r"^All treatments\s+Gen 2 309 Smart Tip\s+40\s+40\s+4\s+5\s+39\s+8 x STT2309-5\s*$",
                     derivation, re.M)
    assert re.search(r"^\S.*\sGen 2, iovera° System Handpiece and Docking Station\s+1\s+1 x IST2221\s*$",
                     derivation, re.M), "the explicit handpiece line is not in the derivation"
    findings = [ln for ln in out[sections[2]:].splitlines() if ln.startswith(("ERROR", "WARNING"))]
    kinds = [ln.split()[0] for ln in findings]
    assert kinds[0] == "ERROR" and "WARNING" in kinds and kinds == sorted(kinds)
    assert "unknown-nerve" in findings[0] and "XYZ" in findings[0]
    assert out.rstrip().endswith(f"{kinds.count('ERROR')} error(s), {kinds.count('WARNING')} warning(s).")


def test_plan_text_of_the_example_prices_every_line():
    result = invoke("plan", EXAMPLE, "--prices", ILLUSTRATIVE_CSV)
    assert result.exit_code == 0, result.stderr
    assert "$23,870.00" in result.stdout
    assert "Illustrative prices" in result.stdout


# ------------------------------------------------------------------ what gets imported


def imported_modules(completed) -> set[str]:
    names = set()
    for line in completed.stderr.decode("utf-8", "replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    assert names, "no -X importtime output"
    return names


def heavy(names: set[str], package: str) -> set[str]:
    return {n for n in names if n == package or n.startswith(package + ".")}


def test_plan_imports_no_renderer_library():
    completed = run_module("plan", "examples/request.toml", python_args=("-X", "importtime"))
    assert completed.returncode == 0, completed.stderr[-2000:]
    names = imported_modules(completed)
    assert "procure.cli" in names
    for package in ("reportlab", "openpyxl", "jinja2"):
        assert not heavy(names, package), f"`procure plan` imported {package}"


def test_an_xlsx_price_list_imports_openpyxl(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["part", "unit_price"])
    for line in PRICES.splitlines()[1:]:
        part, price = line.split(",")
        sheet.append([part, float(price)])
    path = tmp_path / "prices.xlsx"
    workbook.save(path)
    completed = run_module("plan", "examples/request.toml", "--prices", path, "--json",
                           python_args=("-X", "importtime"))
    assert completed.returncode == 0, completed.stderr[-2000:]
    names = imported_modules(completed)
    assert heavy(names, "openpyxl")
    assert not heavy(names, "reportlab")
    data = json.loads(completed.stdout)
    assert data["total"] == "22700.00"  # 9000 + 8 x 1000 + 3 x 1100 + 6 x 400


def test_a_quote_date_before_every_catalog_version_is_reported_as_json_too(tmp_path):
    text = '[customer]\nfacility = "F"\ndodaac = "W12ABC"\n[quote]\ndate = 2024-09-30\n'
    request = tmp_path / "early.toml"
    request.write_text(text)
    for command in ("check", "plan"):
        result = CliRunner().invoke(cli, [command, str(request), "--json"])
        assert result.exit_code == 1
        data = json.loads(result.stdout)
        assert data["lines"] == [] and data["total"] is None
        [issue] = data["issues"]
        assert issue["code"] == "no-catalog-version" and issue["severity"] == "error"
        assert "2024-09-30" in issue["message"] and "2024-10-01" in issue["message"]
    human = CliRunner().invoke(cli, ["check", str(request)])
    assert human.exit_code == 1
    assert f"{request}:5: [quote] date: no catalog version is in force on 2024-09-30" in human.stderr
