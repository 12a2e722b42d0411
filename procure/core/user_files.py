"""The files a user names (request, price list, catalog version, profile), read safely.

Only a regular file of a bounded size is read: a folder, a device such as /dev/zero or a pipe is refused before
anything is read from it, and every failure is an InputError naming the file in the user's words.
"""

import os
import stat

from procure.core.arguments import FilePath
from procure.core.characters import printable
from procure.core.errors import InputError

MAX_FILE_BYTES = 10_000_000
"""The largest text file (request, price list, catalog version) read: far above any real one."""
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
"""Opening a named pipe does not wait for a writer (POSIX; Windows has no such files)."""


def read_bytes(path: FilePath, what: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file the user named; InputError, in the user's words, if it cannot be read.

    Only a regular file of at most `limit` bytes is read: a device such as /dev/zero or a pipe is refused
    before anything is read from it (a pipe is opened without waiting for a writer).
    """
    shown = printable(path)
    try:
        handle = os.open(path, os.O_RDONLY | NONBLOCK)
    except FileNotFoundError:
        raise InputError(f"{shown}: no such {what}") from None
    except OSError as e:
        raise InputError(f"{shown}: cannot read this {what}: {e.strerror}") from None
    try:
        mode = os.fstat(handle).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{shown}: is a folder, not a {what}")
        if not stat.S_ISREG(mode):
            raise InputError(f"{shown}: is not a regular file (a device, pipe or socket); save the {what} "
                             f"as a file")
        if NONBLOCK:
            os.set_blocking(handle, True)
        stream = os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise
    with stream:
        try:
            data = stream.read(limit + 1)
        except OSError as e:
            raise InputError(f"{shown}: cannot read this {what}: {e.strerror}") from None
    if len(data) > limit:
        raise InputError(f"{shown}: is larger than {limit // 1_000_000} MB, the most a {what} may be")
    return data


def suffix(path: FilePath) -> str:
    """The file type a name says, lower case: `.xlsx` of `Prices.XLSX` (what the readers choose by)."""
    return os.path.splitext(path)[1].lower()


def read_text(path: FilePath, what: str) -> str:
    """The UTF-8 text of a file the user named; InputError if it cannot be read."""
    return decode_text(read_bytes(path, what), path, what)


def decode_text(data: bytes, path: FilePath, what: str) -> str:
    """The UTF-8 text of `data`, the bytes of the file `path`; InputError if they are not text."""
    if b"\x00" in data:
        raise InputError(f"{printable(path)}: is a binary file, not a {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{printable(path)}: is not UTF-8 text (byte {e.start + 1} cannot be read); "
                         f"save it as UTF-8") from None
