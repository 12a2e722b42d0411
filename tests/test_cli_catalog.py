"""`procure --version`, --help everywhere, and the `procure catalog ...` commands as scripts use them."""

import json
import re
from pathlib import Path

import click
import pytest

from procure import __version__
from procure.cli import cli

from conftest import assert_no_traceback


def _command_paths(group=cli, prefix=()):
    yield prefix
    if isinstance(group, click.Group):
        for name in sorted(group.list_commands(click.Context(group))):
            yield from _command_paths(group.get_command(click.Context(group), name), prefix + (name,))


def _command(path):
    command = cli
    for name in path:
        command = command.get_command(click.Context(command), name)
    return command


COMMAND_PATHS = list(_command_paths())


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"procure {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", __version__)


def test_the_command_tree_has_the_catalog_commands():
    assert {("catalog", name) for name in ("versions", "list", "show", "diff", "check")} <= set(COMMAND_PATHS)


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "procure")
def test_every_command_has_help(run, path):
    command = _command(path)
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    for flag in ("--help", "-h"):
        result = run(*path, flag)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("Usage: ")
        first_line = command.help.strip().splitlines()[0]
        assert first_line[:40] in " ".join(result.stdout.split())


def test_every_option_has_help_text():
    for path in COMMAND_PATHS:
        command = _command(path)
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("help", "version"):
                assert (param.help or "").strip(), f"{' '.join(path)} {param.opts[0]} has no help"


# ------------------------------------------------------------------ catalog list


@pytest.fixture
def listing(run):
    result = run("catalog", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_list_json_catalog_block(listing, shipped_catalog_file):
    import hashlib
    block = listing["catalog"]
    assert block["contract"] == "SPE2DE-21-D-7004"
    assert block["version"] == "2024-10-01"
    assert block["digest"] == "sha256:" + hashlib.sha256(shipped_catalog_file.read_bytes()).hexdigest()


def test_list_json_part_items(listing):
    assert len(listing["parts"]) == 10
    keys = {"part", "generation", "kind", "description", "unit_of_issue", "units_per_pack", "unit_price"}
    for item in listing["parts"]:
        assert keys <= set(item)
        assert isinstance(item["generation"], int) and isinstance(item["units_per_pack"], int)
        assert item["unit_price"] is None
    tip = next(p for p in listing["parts"] if p["part"] == "STT2309-5")
    assert tip == {**tip, "generation": 2, "kind": "smart_tip", "unit_of_issue": "PK", "units_per_pack": 5,
                   "description": "Gen 2, iovera° 309 Smart Tips, 5-pack 3 x 8.5 mm per Smart Tip"}


def test_list_json_keeps_the_degree_sign_as_text(run):
    result = run("catalog", "list", "--json")
    assert "iovera°" in result.stdout  # not \u00b0: users read this JSON


@pytest.mark.parametrize("generation, count", [("1", 6), ("2", 4)])
def test_list_by_generation(run, generation, count):
    result = run("catalog", "list", "--generation", generation, "--json")
    assert result.exit_code == 0, result.stderr
    parts = json.loads(result.stdout)["parts"]
    assert len(parts) == count
    assert {p["generation"] for p in parts} == {int(generation)}


def test_list_table_names_contract_version_and_every_part(run):
    result = run("catalog", "list")
    assert result.exit_code == 0, result.stderr
    assert "SPE2DE-21-D-7004" in result.stdout and "2024-10-01" in result.stdout
    for number in ("IST2221", "STT2309-5", "STT2190-5", "CRX2111-10", "IST0221", "STT0309-5", "STT0801-5",
                   "STT0811-5", "CRX0111-10", "CRX0111-20"):
        assert number in result.stdout


# ------------------------------------------------------------------ catalog show


def test_show_nerve_stim_tip_json(run):
    result = run("catalog", "show", "STT0811-5", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["part"] == "STT0811-5"
    assert data["catalog"]["contract"] == "SPE2DE-21-D-7004"
    assert data["specs"]["tip_model"] == "190"
    assert data["specs"]["needles"] == 1
    assert data["specs"]["nerve_stim"] is True
    assert data["compatible_with"] == ["IST0221"]
    assert len(data["prerequisites"]) == 1
    assert "stimulator" in data["prerequisites"][0]["requires"]
    assert all(row["assumption"] is True for row in data["compatibility"])
    assert data["unit_price"] is None


def test_show_handpiece_lists_what_it_accepts(run):
    result = run("catalog", "show", "IST2221", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["compatible_with"] == ["STT2309-5", "STT2190-5", "CRX2111-10"]
    assert data["prerequisites"] == []


def test_show_text_names_the_requirement(run):
    result = run("catalog", "show", "STT0811-5")
    assert result.exit_code == 0, result.stderr
    assert "iovera° 190 Smart Tips with Nerve Stim, 5-pack 1 x .90 mm" in result.stdout
    assert "IST0221" in result.stdout
    assert "stimulator" in result.stdout


def test_show_accepts_lowercase_part_number(run):
    result = run("catalog", "show", "stt0811-5", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["part"] == "STT0811-5"


def test_show_unknown_part_exits_1_naming_it(run):
    result = run("catalog", "show", "NOPE")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "NOPE" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert_no_traceback(result)


# ------------------------------------------------------------------ versions and diff


def test_versions_json(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "versions", "--json")
    assert result.exit_code == 0, result.stderr
    versions = json.loads(result.stdout)["versions"]
    assert [v["version"] for v in versions] == ["2024-10-01", "2025-06-01"]
    assert [v["effective"] for v in versions] == ["2024-10-01", "2025-06-01"]
    for v in versions:
        assert v["contract"] == "SPE2DE-21-D-7004"
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", v["digest"])
    assert versions[0]["digest"] != versions[1]["digest"]
    assert [v["in_force"] for v in versions] == [False, True]


def test_versions_table(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "versions")
    assert result.exit_code == 0, result.stderr
    assert "2024-10-01" in result.stdout and "2025-06-01" in result.stdout
    assert "SPE2DE-21-D-7004" in result.stdout


def test_diff_json_added_removed_changed(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "diff", "2024-10-01", "2025-06-01", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["old"]["version"] == "2024-10-01" and data["new"]["version"] == "2025-06-01"
    assert [p["part"] for p in data["added"]] == ["CRX2111-20"]
    assert data["added"][0]["units_per_pack"] == 20 and data["added"][0]["generation"] == 2
    assert [p["part"] for p in data["removed"]] == ["CRX0111-20"]
    assert data["changed"] == [{"part": "CRX2111-10", "fields": {"description": {
        "old": "Gen 2, iovera° Cartridges, 10-pack", "new": "Gen 2, iovera° Cartridges, 10-pack (revised)"}}}]
    assert "compatibility" in data["other_sections_changed"]


def test_diff_reversed_swaps_added_and_removed(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "diff", "2025-06-01", "2024-10-01", "--json")
    data = json.loads(result.stdout)
    assert [p["part"] for p in data["added"]] == ["CRX0111-20"]
    assert [p["part"] for p in data["removed"]] == ["CRX2111-20"]


def test_diff_of_a_version_with_itself_is_empty(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "diff", "2025-06-01", "2025-06-01")
    assert result.exit_code == 0, result.stderr
    assert "no differences" in result.stdout


def test_diff_text_names_each_change(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "diff", "2024-10-01", "2025-06-01")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("added" in line and "CRX2111-20" in line for line in lines)
    assert any("removed" in line and "CRX0111-20" in line for line in lines)
    assert any("changed" in line and "CRX2111-10" in line and "(revised)" in line for line in lines)


def test_diff_unknown_version_exits_2_naming_the_versions(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "diff", "2024-10-01", "2099-01-01")
    assert result.exit_code == 2
    assert "2099-01-01" in result.stderr and "2024-10-01, 2025-06-01" in result.stderr
    assert_no_traceback(result)


def test_unknown_command_is_a_usage_error(run):
    result = run("catalog", "lsit")
    assert result.exit_code == 2
    assert "lsit" in result.stderr


# ------------------------------------------------------------------ as a real process


def _imported(stderr: str) -> set[str]:
    """Top-level module names from `python -X importtime` output."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def test_python_m_procure_lists_json_without_loading_output_libraries(run_module):
    result = run_module("catalog", "list", "--json", python_args=("-X", "importtime"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["catalog"]["contract"] == "SPE2DE-21-D-7004"
    imported = _imported(result.stderr)
    assert "procure" in imported and "click" in imported  # the probe itself works
    assert "reportlab" not in imported
    assert "openpyxl" not in imported


def test_an_xlsx_price_list_does_load_openpyxl(run_module, tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["part", "unit_price"])
    book.active.append(["IST2221", 100])
    path = tmp_path / "prices.xlsx"
    book.save(path)
    result = run_module("catalog", "list", "--json", "--prices", path, python_args=("-X", "importtime"))
    assert result.returncode == 0, result.stderr
    assert "openpyxl" in _imported(result.stderr)
    assert "reportlab" not in _imported(result.stderr)
    parts = {p["part"]: p["unit_price"] for p in json.loads(result.stdout)["parts"]}
    assert parts["IST2221"] == "100.00"


def test_process_exit_codes_and_streams(run_module):
    result = run_module("catalog", "show", "NOPE")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and "NOPE" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_illustrative_price_list_is_named_so_in_catalog_list(run):
    example = Path(__file__).parent.parent / "examples" / "prices-illustrative.csv"
    human = run("catalog", "list", "--prices", example)
    assert human.exit_code == 0, human.stderr
    assert "ILLUSTRATIVE, not contract prices" in human.stdout
    data = json.loads(run("catalog", "list", "--prices", example, "--json").stdout)
    assert data["price_list"]["illustrative"] is True
    shown = json.loads(run("catalog", "show", "IST2221", "--prices", example, "--json").stdout)
    assert shown["price_list"]["illustrative"] is True and shown["unit_price"] == "9500.00"


def test_diff_names_the_contract_fields_that_changed(run, tmp_path, shipped_catalog_file):
    text = shipped_catalog_file.read_text(encoding="utf-8")
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    later = (text.replace('version = "2024-10-01"', 'version = "2025-01-01"')
             .replace("effective = 2024-10-01", "effective = 2025-01-01")
             .replace("# period_end = 2026-12-31", "period_end = 2026-12-31"))
    (tmp_path / "b.toml").write_text(later, encoding="utf-8")
    data = json.loads(run("--catalog", tmp_path, "catalog", "diff", "2024-10-01", "2025-01-01", "--json").stdout)
    assert data["contract_changed"] == {"period_end": {"old": None, "new": "2026-12-31"}}
    human = run("--catalog", tmp_path, "catalog", "diff", "2024-10-01", "2025-01-01")
    assert "[contract] period_end: None -> '2026-12-31'" in human.stdout
