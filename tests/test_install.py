"""A non-editable install, run from another folder, finds the shipped catalog and templates."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from procure import __version__

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_installed_package_carries_catalog_and_templates(tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--target", str(target), str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    assert (target / "procure" / "_catalog" / "SPE2DE21D7004-2024-10-01.toml").is_file()
    assert (target / "procure" / "_templates" / "workbook-layout.toml").is_file()
    assert (target / "procure" / "_examples" / "prices-illustrative.csv").is_file()  # for `serve --demo`
    assert (target / "procure" / "py.typed").is_file()  # type checkers read procure's own hints
    assert [p.name for p in target.glob("procure-*.dist-info")] == [f"procure-{__version__}.dist-info"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("PROCURE_CATALOG", None)
    listed = subprocess.run([sys.executable, "-m", "procure", "catalog", "list", "--json"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, check=True)
    data = json.loads(listed.stdout)
    assert len(data["parts"]) == 10
    example = subprocess.run([sys.executable, "-m", "procure", "example"], cwd=elsewhere, env=env,
                             capture_output=True, text=True, check=True)
    assert example.stdout == (ROOT / "examples" / "request.toml").read_text(encoding="utf-8")
    probe = subprocess.run([sys.executable, "-c", "import procure; print(procure.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True)
    assert probe.stdout.startswith(str(target))
