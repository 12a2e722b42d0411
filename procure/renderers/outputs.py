"""The outputs of an order: rendered to bytes, and written whole or not at all.

Each renderer is a pure function of the Order returning bytes; `RENDERERS` maps
the file suffix to it (a new output is one more entry). An order that is not
renderable (an error finding, a missing price, no lines) raises OrderHasErrors
before anything is rendered. Files are written whole or not at all, never over
an existing file without `force` (`files`). The PDF may be rendered in a second
process while this one renders the rest (`_forking_pays`): same bytes.
"""

import sys
from pathlib import Path

from procure.core.arguments import FLAG, PATH, expect, kind
from procure.core.errors import OrderHasErrors
from procure.core.order import Order
from procure.files.whole import check_targets, write_whole


def _workbook(order, templates):
    from procure.renderers.workbook import render_workbook

    return render_workbook(order, templates)


def _quote(order, templates):
    from procure.renderers.pdf import render_pdf

    return render_pdf(order, templates)


def _summary(order, templates):
    from procure.renderers.summary import render_summary

    return render_summary(order, templates)


def _html(order, templates):
    from procure.renderers.html import render_html

    return render_html(order, templates)


RENDERERS = {".xlsx": _workbook, ".pdf": _quote, ".txt": _summary, ".html": _html}

WITHOUT_HTML = (".xlsx", ".pdf", ".txt")
"""What a command writes with `--no-html`: every output but the accessible HTML copy. Without it, `build`,
`batch`, `quote issue`, `quote revise` and `quote files` write all four; the register always keeps all four."""


def written_suffixes(html: bool) -> tuple[str, ...] | None:
    """The suffixes a command writes: every output (None), or all but the HTML copy (`--no-html`)."""
    return None if html else WITHOUT_HTML


LONG_ORDER = 300
"""Rows of quote lines and planning steps from which the PDF is long enough to be worth a second process even in
a process that has reportlab loaded already (`_forking_pays`)."""


def render(order: Order, templates=None, suffixes=None) -> dict[str, bytes]:
    """The bytes of the outputs by file suffix (`suffixes`, default every one of `RENDERERS`); `templates` is a
    folder that overrides the shipped templates."""
    _expect_order("render", order, templates)
    if not order.renderable:
        raise OrderHasErrors(order.output_findings)
    wanted = [suffix for suffix in RENDERERS if suffixes is None or suffix in suffixes]
    if ".pdf" not in wanted or len(wanted) == 1 or not _forking_pays(order):
        return {suffix: RENDERERS[suffix](order, templates) for suffix in wanted}
    from procure.renderers.forked import Forked

    quote = Forked(_quote, order, templates)
    try:
        files = {suffix: RENDERERS[suffix](order, templates) for suffix in wanted if suffix != ".pdf"}
        files[".pdf"] = quote.result()
    finally:
        quote.close()
    return {suffix: files[suffix] for suffix in wanted}


_loaded_aside = False
"""Set once a render has had reportlab loaded by a second process: this process never loads it then, and a
later render would fork to load it again each time; it loads it once instead."""


def _forking_pays(order: Order) -> bool:
    """Whether the PDF, the slowest output, is best rendered in a second process while this one renders the
    others (`forked`): when the order is long, or at the first render of a process that has not loaded
    reportlab (the two processes then load their libraries side by side: a build of the example takes a
    quarter less). A short PDF in a process that has loaded everything loses more than the second core
    saves: after a fork each process copies every page of memory it writes to (measured: 20% slower)."""
    global _loaded_aside
    long = len(order.lines) + len(order.derivation) >= LONG_ORDER
    loading = "reportlab" not in sys.modules and not _loaded_aside
    if not (long or loading):
        return False
    from procure.renderers.forked import worth_forking

    if not worth_forking():
        return False
    _loaded_aside = _loaded_aside or loading
    return True


def write_outputs(order: Order, folder: Path | str, *, force: bool = False, templates=None,
                  suffixes=None) -> list[Path]:
    """Render the outputs of an order (`suffixes`, default every one) into `folder`, whole or not at all
    (`files`); the paths written."""
    _expect_order("write_outputs", order, templates)
    expect("write_outputs", "folder", folder, PATH, optional=False)
    expect("write_outputs", "force", force, FLAG, optional=False)
    if not order.renderable:
        raise OrderHasErrors(order.output_findings)
    targets = check_targets(folder, output_names(order.quote.number, suffixes), force=force)
    return write_whole(targets, list(render(order, templates, suffixes).values()), force=force)


def _expect_order(function: str, order, templates) -> None:
    expect(function, "order", order, kind(Order, "an Order (procure.build_order)"), optional=False)
    expect(function, "templates", templates, PATH)


def output_names(number: str, suffixes=None) -> list[str]:
    """The file names of a quote's outputs (`suffixes`, default every one), in the order of `RENDERERS`."""
    return [f"{number}{suffix}" for suffix in RENDERERS if suffixes is None or suffix in suffixes]
