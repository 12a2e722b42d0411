"""Write the outputs of `build`: every file whole or none, never over an existing one without --force.

Each renderer is a pure function of the Order returning bytes; `RENDERERS` maps
the file suffix to it. Files are written to temporary names in the output folder
and renamed only once all of them rendered.
"""

import os
import tempfile
from pathlib import Path

from procure.errors import InputError, RuleError
from procure.order import Order


def _workbook(order, templates):
    from procure.render_xlsx import render_workbook

    return render_workbook(order, templates)


def _quote(order, templates):
    from procure.render_pdf import render_pdf

    return render_pdf(order, templates)


def _summary(order, templates):
    from procure.render_text import render_summary

    return render_summary(order, templates)


RENDERERS = {".xlsx": _workbook, ".pdf": _quote, ".txt": _summary}


def write_outputs(order: Order, folder: Path, *, force: bool = False, templates=None) -> list[Path]:
    """Render every output of an order into `folder`; the paths written."""
    if str(folder) in ("", "."):
        folder = Path(".")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a folder: give -o a folder to write the outputs into")
    targets = [folder / f"{order.quote.number}{suffix}" for suffix in RENDERERS]
    folders = [t for t in targets if t.is_dir()]
    if folders:
        raise RuleError([f"{t}: is a folder where an output file goes; move or rename it" for t in folders])
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise RuleError([f"{t}: already exists; use --force to overwrite it" for t in existing])
    contents = [render(order, templates) for render in RENDERERS.values()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{folder}: cannot create the output folder: {e.strerror}") from None
    temporary = []
    try:
        for target, data in zip(targets, contents):
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
            temporary.append(Path(name))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(name, 0o644)
        for name, target in zip(temporary, targets):
            os.replace(name, target)
    except OSError as e:
        raise InputError(f"{folder}: cannot write the outputs: {e.strerror}") from None
    finally:
        for name in temporary:
            name.unlink(missing_ok=True)
    return targets
