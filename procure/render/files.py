"""Output files written whole or not at all, never over an existing file without `force`.

Shared by every command that writes files (`build`, `form`, `batch`): the
targets are checked first (before any work is spent rendering), then each file
is written to a temporary name in its folder and renamed once all are written.
"""

import os
import tempfile
from pathlib import Path

from procure.core.errors import InputError, RuleError


def check_targets(folder: Path | str, names, *, force: bool = False) -> list[Path]:
    """The paths of `names` in `folder`; InputError if the folder is a file, RuleError if a path is taken."""
    folder = Path(folder)
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


def write_whole(targets: list[Path], contents: list[bytes]) -> None:
    """Write each target's bytes under a temporary name beside it, then rename them all; nothing half-written."""
    folders = dict.fromkeys(t.parent for t in targets)
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise InputError(f"{folder}: cannot create the output folder: {e.strerror}") from None
    temporary = []
    try:
        for target, data in zip(targets, contents):
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
            temporary.append(Path(name))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(name, 0o644)
        for name, target in zip(temporary, targets):
            os.replace(name, target)
    except OSError as e:
        raise InputError(f"{targets[0].parent}: cannot write the outputs: {e.strerror}") from None
    finally:
        for name in temporary:
            name.unlink(missing_ok=True)
