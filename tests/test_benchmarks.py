"""The benchmark scripts still run against the code they measure (their timings are not tests)."""

import importlib.util
import json
import sys
from pathlib import Path

from click.testing import CliRunner

from procure.cli import cli

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_register_benchmark_fills_a_register_that_lists(tmp_path):
    target = str(tmp_path / "bench.sqlite")
    load("register").fill(target, 12)
    listed = CliRunner().invoke(cli, ["quote", "list", "--json", "--register", target],
                                env={"PROCURE_REGISTER": None})
    assert listed.exit_code == 0, listed.stderr
    assert len(json.loads(listed.stdout)["quotes"]) == 12


def test_every_benchmark_script_imports():
    for path in sorted(BENCHMARKS.glob("*.py")):
        assert callable(load(path.stem).main), path.name


def test_the_listing_benchmark_fills_a_register_whose_pages_answer(tmp_path):
    listing = load("listing")
    target = str(tmp_path / "bench.sqlite")
    listing.fill(target, 30)
    listed = CliRunner().invoke(cli, ["quote", "list", "--json", "--register", target],
                                env={"PROCURE_REGISTER": None})
    assert listed.exit_code == 0, listed.stderr
    assert len(json.loads(listed.stdout)["quotes"]) == 30


def test_the_moving_benchmark_fills_a_register_that_copies_and_checks(tmp_path):
    target = str(tmp_path / "bench.sqlite")
    load("moving").fill(target, 3, tmp_path)
    copied = CliRunner().invoke(cli, ["register", "copy", target, str(tmp_path / "copy.sqlite")],
                                env={"PROCURE_REGISTER": None})
    assert copied.exit_code == 0, copied.stderr
    assert "all 15 stored digest(s)" in copied.stdout
