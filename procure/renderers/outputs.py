"""The outputs of an order: rendered to bytes, and written whole or not at all.

Each renderer is a pure function of the Order returning bytes; `RENDERERS` maps
the file suffix to it (a new output is one more entry). An order that is not
renderable (an error finding, a missing price, no lines) raises OrderHasErrors
before anything is rendered. Files are written to temporary names in the output
folder and renamed only once all of them rendered; an existing file is never
overwritten without `force` (see `write_outputs`).
"""

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from procure.core.errors import InputError, OrderHasErrors, RuleError
from procure.core.order import Order

TEMPORARY = ".part"
"""The suffix of the temporary file an output is written to, `.<name>.<random>.part`, before its rename."""
NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS}
"""What `os.link` fails with on a file system that has no hard links."""


def _workbook(order, templates):
    from procure.renderers.workbook import render_workbook

    return render_workbook(order, templates)


def _quote(order, templates):
    from procure.renderers.pdf import render_pdf

    return render_pdf(order, templates)


def _summary(order, templates):
    from procure.renderers.summary import render_summary

    return render_summary(order, templates)


RENDERERS = {".xlsx": _workbook, ".pdf": _quote, ".txt": _summary}


def render(order: Order, templates=None) -> dict[str, bytes]:
    """The bytes of every output by file suffix; `templates` is a folder that overrides the shipped templates."""
    if not order.renderable:
        raise OrderHasErrors(order.output_issues)
    return {suffix: renderer(order, templates) for suffix, renderer in RENDERERS.items()}


def write_outputs(order: Order, folder: Path | str, *, force: bool = False, templates=None) -> list[Path]:
    """Render every output of an order into `folder`; the paths written.

    Every output is rendered in memory, written to a temporary file beside its target and synced; then, holding
    the folder's lock, the three are moved into place one right after the other. Without `force` each is
    linked to its name, which fails if that name exists: of builds racing for one quote number one wins, the
    others write nothing. Temporary files a killed build left for this quote are removed under the same lock.
    """
    if not order.renderable:
        raise OrderHasErrors(order.output_issues)
    folder = Path(folder)
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
        raise _exists(existing)
    contents = list(render(order, templates).values())
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{folder}: cannot create the output folder: {e.strerror}") from None
    temporary = []
    try:
        with _locked(folder):
            for target in targets:
                for stale in folder.glob(f".{target.name}.*{TEMPORARY}"):
                    stale.unlink(missing_ok=True)
            for target, data in zip(targets, contents):
                temporary.append(_write_temporary(target, data))
            _move_into_place(temporary, targets, force)
            _sync_folder(folder)
    except OSError as e:
        raise InputError(f"{folder}: cannot write the outputs: {e.strerror or e}") from None
    finally:
        for name in temporary:
            name.unlink(missing_ok=True)
    return targets


def _exists(paths) -> RuleError:
    return RuleError([f"{t}: already exists; use --force to overwrite it" for t in paths])


def _write_temporary(target: Path, data: bytes) -> Path:
    """`data` in a new temporary file beside `target`, synced to disk, readable by all."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMPORARY, dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(name, 0o644)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def _move_into_place(temporary: list[Path], targets: list[Path], force: bool) -> None:
    """Give each temporary file its target's name, one right after the other.

    With `force`, an existing file is replaced. Without it, a target that appeared since the check (another
    build of the same quote number) stops the move and the targets already placed are taken back.
    """
    if force:
        for name, target in zip(temporary, targets):
            os.replace(name, target)
        return
    placed = []
    try:
        for name, target in zip(temporary, targets):
            _link_new(name, target)
            placed.append(target)
    except BaseException:
        for target in placed:
            target.unlink(missing_ok=True)
        raise


def _link_new(name: Path, target: Path) -> None:
    """Give file `name` the name `target` too, failing with RuleError if `target` exists."""
    try:
        os.link(name, target)
    except FileExistsError:
        raise _exists([target]) from None
    except OSError as e:
        if e.errno not in NO_HARD_LINKS:
            raise
        if target.exists():  # a file system without hard links (FAT, some shares): check, then rename
            raise _exists([target]) from None
        os.replace(name, target)


@contextlib.contextmanager
def _locked(folder: Path):
    """Hold an exclusive lock on `folder` while outputs are moved into it (where the system has locks).

    Without one (Windows, a share that refuses locks) `_link_new` still never overwrites; only the removal
    of stale temporary files could then meet a build in progress, which fails cleanly.
    """
    try:
        import fcntl
        handle = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _sync_folder(folder: Path) -> None:
    """Make the new names durable, where a folder can be synced."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
