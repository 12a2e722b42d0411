"""The layout keeps its promises: packages depend on the layers below them only, the pipeline runs one way, the
core stays free of output formats, and every module has its line in docs/architecture.md.

The import rules are import-linter's contracts in pyproject.toml, which `lint-imports` checks (CI runs it too);
the test of the tests plants bad imports in a copy of the package and sees each one caught.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "procure"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the package in `root`, with the contracts of `root/pyproject.toml`."""
    assert LINT_IMPORTS.exists(), "lint-imports is missing: pip install -e '.[test]' installs import-linter"
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root)})


def test_every_import_keeps_the_layers_the_pipeline_and_the_formats():
    done = lint_imports(REPO)
    assert done.returncode == 0 and " 0 broken" in done.stdout, done.stdout + done.stderr


def test_the_contracts_catch_a_planted_import(tmp_path):
    """The test of the tests: a copy of the package with bad imports, each of which a contract reports."""
    shutil.copytree(PACKAGE, tmp_path / "procure", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    copy = tmp_path / "procure"
    plant = {"core/money.py": "import procure.cli\n", "renderers/summary.py": "from procure.register import store\n",
             "forms/layout.py": "import procure.inputs\n", "core/digest.py": "from procure.core import build\n",
             "presenters/quote_listing.py": "import procure.forms\n"}
    for relative, line in plant.items():
        path = copy / relative
        path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    (copy / "renderers" / "outputs.py").write_text("import click\n", encoding="utf-8")
    (copy / "core" / "order.py").write_text("import openpyxl\n", encoding="utf-8")
    (copy / "core" / "later.py").write_text("", encoding="utf-8")
    (copy / "extra").mkdir()
    (copy / "extra" / "__init__.py").write_text("", encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode == 1
    report = " ".join(done.stdout.split())
    for caught in ("procure.core.money -> procure.cli", "procure.renderers.summary -> procure.register.store",
                   "procure.forms.layout -> procure.inputs", "procure.core.digest -> procure.core.build",
                   "procure.presenters.quote_listing -> procure.forms", "procure.renderers.outputs -> click",
                   "procure.core.order -> openpyxl", "not listed as layers: - procure.extra",
                   "not listed as layers: - procure.core.later"):
        assert caught in report, f"{caught} was not caught:\n{done.stdout}"


def test_every_module_is_named_in_the_architecture_document():
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [str(path.relative_to(PACKAGE)) for path in sorted(PACKAGE.rglob("*.py"))
               if path.name != "__init__.py" and f"`{path.name}`" not in text and f"`{path.relative_to(PACKAGE)}`"
               not in text]
    assert missing == [], "docs/architecture.md does not name these modules"
