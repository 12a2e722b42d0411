"""The outputs of an order: rendered to bytes, and written whole or not at all.

Each renderer is a pure function of the Order returning bytes; `RENDERERS` maps
the file suffix to it (a new output is one more entry). An order that is not
renderable (an error finding, a missing price, no lines) raises OrderHasErrors
before anything is rendered. Files are written to temporary names in the output
folder and renamed only once all of them rendered; an existing file is never
overwritten without `force`.
"""

import os
import tempfile
from pathlib import Path

from procure.core.errors import InputError, OrderHasErrors, RuleError
from procure.core.order import Order


def _workbook(order, templates):
    from procure.render.workbook import render_workbook

    return render_workbook(order, templates)


def _quote(order, templates):
    from procure.render.pdf import render_pdf

    return render_pdf(order, templates)


def _summary(order, templates):
    from procure.render.summary import render_summary

    return render_summary(order, templates)


RENDERERS = {".xlsx": _workbook, ".pdf": _quote, ".txt": _summary}


def render(order: Order, templates=None) -> dict[str, bytes]:
    """The bytes of every output by file suffix; `templates` is a folder that overrides the shipped templates."""
    if not order.renderable:
        raise OrderHasErrors(order.output_issues)
    return {suffix: renderer(order, templates) for suffix, renderer in RENDERERS.items()}


def write_outputs(order: Order, folder: Path | str, *, force: bool = False, templates=None) -> list[Path]:
    """Render every output of an order into `folder`; the paths written."""
    if not order.renderable:
        raise OrderHasErrors(order.output_issues)
    targets = free_targets(folder, output_names(order.quote.number), force=force)
    return write_files(targets, list(render(order, templates).values()))


def output_names(number: str) -> list[str]:
    """The file names of a quote's outputs, in the order of `RENDERERS`."""
    return [f"{number}{suffix}" for suffix in RENDERERS]


def free_targets(folder: Path | str, names, *, force: bool = False) -> list[Path]:
    """The paths of `names` in `folder`; RuleError if any exists (unless `force`) or is a folder."""
    folder = Path(folder)
    if str(folder) in ("", "."):
        folder = Path(".")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a folder: give -o a folder to write the outputs into")
    targets = [folder / name for name in names]
    folders = [t for t in targets if t.is_dir()]
    if folders:
        raise RuleError([f"{t}: is a folder where an output file goes; move or rename it" for t in folders])
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise RuleError([f"{t}: already exists; use --force to overwrite it" for t in existing])
    return targets


def write_files(targets: list[Path], contents: list[bytes]) -> list[Path]:
    """Write each content to its target, whole or not at all (temporary names, then renamed); the targets."""
    folder = targets[0].parent
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
