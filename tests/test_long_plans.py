"""Long plans render in time linear in their size, and look as they always did.

The workbook never scans a whole sheet per row. In the PDF, `pdftables.grid_table` hands reportlab the body row
heights it measured once, draws one-line text as strings and lays out a long table a page at a time
(`PagedTable`); these tests hold all three to what reportlab itself
would do. (Times are measured by benchmarks/scaling.py, not here.)
"""

import subprocess

import pytest
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.platypus import Paragraph
from test_pdf import tool

from procure.renderers import pdf, pdfstyle, pdftables
from procure.renderers.workbook import render_workbook

from orders import GEN2, make_order

LONG = GEN2.replace('name = "Genicular"', 'name = "Genicular, a name long enough to wrap in its column of the '
                                          'planning table at every size"')
CODED = LONG + '\n[reimbursement]\nsite = "ASC"\n'


@pytest.mark.parametrize("grid", [pdf.lines_grid, pdf.planning_grid, pdf.coding_grid])
def test_the_row_heights_given_are_those_reportlab_measures(monkeypatch, grid):
    order = make_order(CODED)
    order = order._replace(lines=(order.lines[0]._replace(part=order.lines[0].part._replace(
        description="A description " * 12)), *order.lines[1:]))
    styles = pdfstyle.styles()
    given = pdftables.grid_table(grid(order), styles)
    given.wrap(pdfstyle.WIDTH, 100_000)
    real_table = pdftables.table
    monkeypatch.setattr(pdftables, "table", lambda *args, heights=None, **kwargs: real_table(*args, **kwargs))
    measured = pdftables.grid_table(grid(order), styles)
    measured.wrap(pdfstyle.WIDTH, 100_000)
    assert given._rowHeights == measured._rowHeights
    assert max(given._rowHeights[1:-1]) > 17  # a row with wrapped text, taller than a row of one line


def test_only_plain_one_line_text_is_drawn_as_a_string():
    style = pdfstyle.styles()["cell"]
    assert pdftables.body_cell(pdftables.Text("Anterior knee"), 100, style, bold=False) == "Anterior knee"
    assert pdftables.body_cell(pdftables.Text("A &amp; B"), 100, style, bold=False) == "A & B"
    for cell, bold in [(pdftables.Text("a name far too long for a column only forty points wide"), False),
                       (pdftables.Text("<b>Total</b>"), False), (pdftables.Text("All treatments"), True)]:
        assert isinstance(pdftables.body_cell(cell, 40 if not bold else 100, style, bold), Paragraph)


@pytest.mark.parametrize("treatments", [2, 60])
def test_the_workbook_looks_for_the_last_column_a_fixed_number_of_times(monkeypatch, treatments):
    """`ws.max_column` scans every cell: asked once a row, it made the workbook quadratic in the plan."""
    body = "".join(f'\n[[treatment]]\nname = "T{i}"\nprocedures = 3\nnerves = ["AFCN"]\n' for i in range(treatments))
    order = make_order(GEN2.split("[[treatment]]")[0] + body)
    asked = []
    real = Worksheet.max_column
    monkeypatch.setattr(Worksheet, "max_column", property(lambda ws: asked.append(1) or real.fget(ws)))
    render_workbook(order)
    assert len(asked) <= 10


def test_a_long_table_laid_out_a_page_at_a_time_has_the_pages_reportlab_would_make(monkeypatch, tmp_path):
    """PagedTable (linear time) puts the same rows on the same pages as reportlab's own split (quadratic)."""
    text = GEN2 + "".join(f'\n[[treatment]]\nname = "T{i}"\nprocedures = {i % 9 + 1}\nnerves = ["AFCN"]\n'
                          for i in range(150))
    order = make_order(text)
    paged = pdf.render_pdf(order)
    monkeypatch.setattr(pdftables, "PAGED_ROWS", 100_000)
    native = pdf.render_pdf(order)
    pages = []
    for name, data in (("paged", paged), ("native", native)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        pages.append(subprocess.run([tool("pdftotext"), "-layout", str(tmp_path / f"{name}.pdf"), "-"],
                                    capture_output=True, text=True, check=True).stdout.split("\f"))
    assert len(pages[0]) > 4 and pages[0] == pages[1]
