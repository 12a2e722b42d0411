"""The layout keeps its promises: packages depend on the layers below them only, the pipeline runs one way, the
core stays free of output formats, and every module has its line in docs/architecture.md.

Each check is a function of a package folder, so the test of the tests can plant a bad import in a copy and
see it caught.
"""

import ast
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "procure"
PIPELINE = (
    "procure.shipped", "procure.core.record", "procure.core.digest", "procure.core.findings", "procure.core.errors",
    "procure.core.money",
    "procure.core.arguments", "procure.core.characters", "procure.core.tomlschema", "procure.core.workbooks",
    "procure.core.catalog", "procure.core.delivery_order",
    "procure.core.request", "procure.core.prices", "procure.core.profile", "procure.core.quote",
    "procure.core.equipment", "procure.core.packing", "procure.core.planning", "procure.core.pricing",
    "procure.core.revision", "procure.core.ordered", "procure.core.wawf", "procure.core.coding", "procure.core.rules",
    "procure.core.order",
    "procure.core.build",
)
"""The core's modules in pipeline order: each may import only those before it."""
BASE = {"procure", "shipped"}
"""`procure/__init__.py` (the version and the lazy API) and `procure/shipped.py`: any layer may use them."""
LAYERS = {
    "core": set(),
    "files": {"core"},
    "renderers": {"core", "files"},
    "forms": {"core", "files"},
    "inputs": {"core", "forms"},
    "register": {"core", "files", "renderers", "inputs"},
    "views": {"core", "renderers", "register"},
    "batch": {"core", "files", "renderers", "inputs", "register"},
    "web": {"core", "files", "renderers", "forms", "inputs", "register", "views"},
    "cli": {"core", "files", "renderers", "forms", "inputs", "register", "views", "batch", "web"},
    "__main__": {"cli"},
}
"""Each package (or top-level module) of procure and the packages it may import besides BASE."""
FORMATS = ("click", "jinja2", "openpyxl", "reportlab")


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def layer_of(module: str) -> str:
    """`core` for `procure.core.money`, `procure` for `procure` itself, `shipped` for `procure.shipped`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layering_violations(package: Path = PACKAGE) -> list[str]:
    """`procure.core.money imports procure.cli`, for every import that leaves the layers its package may use."""
    found = []
    for path in sorted(package.rglob("*.py")):
        name = module_name(path, package)
        layer = layer_of(name)
        if layer in BASE:
            continue
        allowed = LAYERS.get(layer)
        if allowed is None:
            found.append(f"{name} is in no layer: add its package to LAYERS and docs/architecture.md")
            continue
        for imported in sorted(m for m in imports(path) if m == "procure" or m.startswith("procure.")):
            target = layer_of(imported)
            if target not in allowed | BASE | {layer} and target in LAYERS:
                found.append(f"{name} imports {imported}")
    return found


def pipeline_violations(package: Path = PACKAGE) -> list[str]:
    """Core modules missing from PIPELINE, or importing a later stage."""
    found = []
    for path in sorted((package / "core").glob("*.py")):
        if path.name == "__init__.py":
            continue
        name = module_name(path, package)
        if name not in PIPELINE:
            found.append(f"{name} has no place in PIPELINE")
            continue
        later = set(PIPELINE[PIPELINE.index(name) + 1:]) & imports(path)
        found += [f"{name} imports the later stage {m}" for m in sorted(later)]
    return found


def format_violations(package: Path = PACKAGE) -> list[str]:
    """Click, jinja2 or reportlab in the core; openpyxl in the core outside the XLSX price-list reader's function;
    click in a renderer or a file writer."""
    found = []
    for path in sorted((package / "core").glob("*.py")):
        name = module_name(path, package)
        tops = {m.split(".")[0] for m in imports(path)}
        found += [f"{name} imports {m}" for m in sorted(tops & {"click", "jinja2", "reportlab"})]
        top_level = {alias.name.split(".")[0] for node in ast.parse(path.read_text(encoding="utf-8")).body
                     if isinstance(node, (ast.Import, ast.ImportFrom))
                     for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])}
        if "openpyxl" in tops and (name != "procure.core.prices" or "openpyxl" in top_level):
            found.append(f"{name} imports openpyxl outside the XLSX price-list reader")
    for folder in ("renderers", "files"):
        for path in sorted((package / folder).glob("*.py")):
            if "click" in {m.split(".")[0] for m in imports(path)}:
                found.append(f"{module_name(path, package)} imports click")
    return found


def test_every_package_imports_only_the_layers_below_it():
    assert layering_violations() == []


def test_the_core_pipeline_runs_one_way():
    assert pipeline_violations() == []


def test_the_core_and_the_renderers_import_no_adapter_or_output_format():
    assert format_violations() == []


def test_each_check_catches_a_planted_import(tmp_path):
    """The test of the tests: a copy of the package with one bad import each check must report."""
    copy = tmp_path / "procure"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert layering_violations(copy) == pipeline_violations(copy) == format_violations(copy) == []
    plant = {"core/money.py": "import procure.cli\n", "renderers/summary.py": "from procure.register import store\n",
             "forms/layout.py": "import procure.inputs\n", "core/digest.py": "from procure.core import build\n"}
    for relative, line in plant.items():
        path = copy / relative
        path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    (copy / "renderers" / "outputs.py").write_text("import click\n", encoding="utf-8")
    (copy / "core" / "order.py").write_text("import openpyxl\n", encoding="utf-8")
    (copy / "extra").mkdir()
    (copy / "extra" / "thing.py").write_text("", encoding="utf-8")
    assert layering_violations(copy) == [
        "procure.core.money imports procure.cli", "procure.extra.thing is in no layer: add its package to LAYERS "
        "and docs/architecture.md", "procure.forms.layout imports procure.inputs",
        "procure.renderers.summary imports procure.register",
        "procure.renderers.summary imports procure.register.store"]
    assert pipeline_violations(copy) == ["procure.core.digest imports the later stage procure.core.build"]
    assert format_violations(copy) == ["procure.core.order imports openpyxl outside the XLSX price-list reader",
                                       "procure.renderers.outputs imports click"]


def test_every_module_is_named_in_the_architecture_document():
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [str(path.relative_to(PACKAGE)) for path in sorted(PACKAGE.rglob("*.py"))
               if path.name != "__init__.py" and f"`{path.name}`" not in text and f"`{path.relative_to(PACKAGE)}`"
               not in text]
    assert missing == [], "docs/architecture.md does not name these modules"
