"""Output files written whole or not at all, never over an existing file without `force`.

Shared by every command that writes files (`build`, `form`, `batch`, the quote
register): the targets are checked first (before any work is spent rendering);
then, holding the folder's lock, every file is written to a temporary file
beside its target and synced (`Staged`), and the files are moved into place one
right after the other. Without `force` each is linked to its name, which fails if that name
exists: of writers racing for one name one wins, the others write nothing.
Temporary files a killed writer left for these names are removed under the
same lock.
"""

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from procure.core.errors import InputError, RuleError

TEMPORARY = ".part"
"""The suffix of the temporary file an output is written to, `.<name>.<random>.part`, before its rename."""
NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS}
"""What `os.link` fails with on a file system that has no hard links."""


def check_targets(folder: Path | str, names, *, force: bool = False) -> list[Path]:
    """The paths of `names` in `folder`; InputError if the folder is a file, RuleError if a path is taken."""
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
        raise _exists(existing)
    return targets


def write_whole(targets: list[Path], contents: list[bytes], *, force: bool = False) -> list[Path]:
    """Write each target's bytes (all targets in one folder) whole, as the module says; the targets."""
    with Staged(targets, contents, force=force) as staged:
        return staged.place()


class Staged:
    """Files written to temporary names beside their targets, synced, holding the folder's lock until `place`
    gives them their names or the block ends (which removes whatever was not placed).

    The quote register stages a quote's files before its COMMIT and places them after it, so that no document
    ever carries a number the register did not issue. Only files this writer made are ever removed.
    """

    def __init__(self, targets: list[Path], contents: list[bytes], *, force: bool = False):
        self.targets, self.force = targets, force
        self._temporary: list[Path] = []
        folder = targets[0].parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise InputError(f"{folder}: cannot create the output folder: {e.strerror}") from None
        self._stack = contextlib.ExitStack()
        try:
            self._stack.enter_context(_locked(folder))
            for target in targets:
                for stale in folder.glob(f".{target.name}.*{TEMPORARY}"):
                    stale.unlink(missing_ok=True)
            existing = [t for t in targets if t.exists()]
            if existing and not force:
                raise _exists(existing)
            for target, data in zip(targets, contents, strict=True):
                self._temporary.append(_write_temporary(target, data))
        except BaseException as e:
            self.close()
            if isinstance(e, OSError):
                raise InputError(f"{folder}: cannot write the outputs: {e.strerror or e}") from None
            raise

    def place(self) -> list[Path]:
        """Give every file its name (as the module says); the targets."""
        folder = self.targets[0].parent
        try:
            _move_into_place(self._temporary, self.targets, self.force)
            _sync_folder(folder)
        except OSError as e:
            raise InputError(f"{folder}: cannot write the outputs: {e.strerror or e}") from None
        return self.targets

    def close(self) -> None:
        """Remove the temporary files not placed, and let go of the folder."""
        for name in self._temporary:
            name.unlink(missing_ok=True)
        self._temporary = []
        self._stack.close()

    def __enter__(self) -> "Staged":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
    writer of the same name) stops the move and the targets already placed are taken back.
    """
    if force:
        for name, target in zip(temporary, targets, strict=True):
            os.replace(name, target)
        return
    placed = []
    try:
        for name, target in zip(temporary, targets, strict=True):
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
    """Hold an exclusive lock on `folder` while files are moved into it (where the system has locks).

    Without one (Windows, a share that refuses locks) `_link_new` still never overwrites; only the removal
    of stale temporary files could then meet a writer in progress, which fails cleanly.
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
