"""The private names of openpyxl and reportlab that procure uses are still there.

The openpyxl workbook writer (`files/xlsxfile.py`) and the PDF's text cells
(`renderers/pdftables.py`) reach into both libraries for speed and for byte-identical outputs. pyproject.toml
bounds both to the versions these names are known in; a new version that drops or renames one fails here, naming
it, before a document is built wrong.
"""

import importlib
import re
from importlib.metadata import version
from pathlib import Path

import pytest

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _openpyxl_names():
    from openpyxl import Workbook

    ws = Workbook().active
    cell = ws.cell(row=1, column=1)
    return [("openpyxl.worksheet._writer", "WorksheetWriter", importlib.import_module("openpyxl.worksheet._writer")),
            ("Worksheet", "_charts", ws), ("Worksheet", "_images", ws), ("Cell", "_value", cell),
            ("Cell", "_comment", cell), ("Cell", "_hyperlink", cell)]


def _reportlab_names():
    import io

    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Table

    canvas = Canvas(io.BytesIO())
    return [("Table", "_drawCell", Table), ("Table", "_cellvalues", Table([["x"]])), ("TTFont", "_dynamicFont", TTFont),
            *[("Canvas", name, canvas) for name in ("_code", "_fontname", "_fontsize", "_leading", "_doc", "_escape")]]


@pytest.mark.parametrize(("library", "names"), [("openpyxl", _openpyxl_names), ("reportlab", _reportlab_names)])
def test_every_private_name_procure_uses_is_there(library, names):
    lost = [f"{owner}.{name}" for owner, name, holder in names() if not hasattr(holder, name)]
    assert lost == [], (f"{library} {version(library)} has no {', '.join(lost)}, which procure uses: keep "
                        f"{library} to the versions pyproject.toml allows, or change procure to do without")


def test_xml_escapes_openpyxl_and_procure_share_are_there():
    import xml.etree.ElementTree as ElementTree

    assert hasattr(ElementTree, "_escape_attrib") and hasattr(ElementTree, "_escape_cdata"), \
        "xml.etree.ElementTree lost _escape_attrib or _escape_cdata, which files/xlsxfile.py escapes with"


@pytest.mark.parametrize("library", ["openpyxl", "reportlab"])
def test_pyproject_bounds_the_libraries_whose_private_names_procure_uses(library):
    declared = re.search(rf'"{library}(\[\w+\])?([^"]*)"', PYPROJECT.read_text(encoding="utf-8"))
    assert declared and "<" in declared.group(2), f"pyproject.toml must bound {library} from above"
    ceiling = re.search(r"<\s*([\d.]+)", declared.group(2)).group(1)
    installed = tuple(int(part) for part in re.findall(r"\d+", version(library))[:2])
    assert installed < tuple(int(part) for part in ceiling.split(".")[:2]), \
        f"{library} {version(library)} is installed, above the bound <{ceiling} in pyproject.toml"
