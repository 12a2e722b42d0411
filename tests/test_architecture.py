"""The layout keeps its promises: the pipeline runs one way, and the core stays free of output formats."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "procure"
PIPELINE = (
    "procure.shipped", "procure.core.digest", "procure.core.findings", "procure.core.errors", "procure.core.money",
    "procure.core.arguments", "procure.core.characters", "procure.core.tomlschema", "procure.core.workbooks", "procure.core.catalog", "procure.core.request", "procure.core.prices",
    "procure.core.profile",
    "procure.core.quote", "procure.core.setup", "procure.core.packing", "procure.core.planning",
    "procure.core.pricing", "procure.core.revision", "procure.core.coding", "procure.core.rules", "procure.core.order",
    "procure.core.build",
)
"""The core's modules in pipeline order: each may import only those before it."""
FORMATS = ("click", "jinja2", "openpyxl", "reportlab")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
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


def core_modules() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in (PACKAGE / "core").glob("*.py") if p.name != "__init__.py"}


def test_every_core_module_has_its_place_in_the_pipeline():
    assert set(core_modules()) <= set(PIPELINE), "add the new module to PIPELINE, in pipeline order"


def test_no_core_module_imports_a_later_stage():
    for name, imported in core_modules().items():
        later = set(PIPELINE[PIPELINE.index(name) + 1:])
        assert not imported & later, f"{name} imports a later stage: {sorted(imported & later)}"


def test_the_core_imports_no_output_format_and_no_renderer_or_adapter():
    for name, imported in core_modules().items():
        top = {m.split(".")[0] for m in imported}
        assert not top & set(FORMATS) - {"openpyxl"}, f"{name} imports {sorted(top & set(FORMATS))}"
        assert not {m for m in imported if m.startswith(("procure.renderers", "procure.cli"))}, name


def test_openpyxl_enters_the_core_only_inside_the_xlsx_reader():
    prices = PACKAGE / "core" / "prices.py"
    for name, imported in core_modules().items():
        if "openpyxl" in imported:
            assert name == "procure.core.prices", name
    top_level = {alias.name for node in ast.parse(prices.read_text(encoding="utf-8")).body
                 if isinstance(node, ast.Import) for alias in node.names}
    assert "openpyxl" not in top_level


def test_renderers_import_no_click():
    for path in (PACKAGE / "render").glob("*.py"):
        assert "click" not in {m.split(".")[0] for m in imports(path)}, path.name
