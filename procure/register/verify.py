"""Which issued file a file is: its sha256 looked up among the files the register stored.

The outputs are byte-reproducible and the register keeps the digest of every
file it issued, so a file that matches is exactly what was issued, whatever it
is called now; a file that does not match was altered, or comes from elsewhere.
"""

import datetime
from pathlib import Path

from procure.core.digest import sha256_hex
from procure.core.record import Record
from procure.core.user_files import read_bytes
from procure.register.records import Entry
from procure.register.store import Store

NOT_ISSUED = "not a file issued by this register: altered, or from elsewhere"


class Verdict(Record):
    path: Path
    sha256: str
    entry: Entry | None
    """The revision the file belongs to; None when the register issued no such file."""
    suffix: str | None

    @property
    def line(self) -> str:
        """`out/Q-2026-0001.pdf: Q-2026-0001 .pdf as issued 2026-11-27 by jdoe; status issued`."""
        if self.entry is None:
            return f"{self.path}: {NOT_ISSUED}"
        e = self.entry
        return (f"{self.path}: {e.number} {self.suffix} as issued {e.issued_at:%Y-%m-%d} by {e.issued_by}; "
                f"status {e.status_text}")


def verify(store: Store, paths, *, today: datetime.date | None = None) -> list[Verdict]:
    """A verdict per file; InputError (before any lookup) if a file cannot be read."""
    today = today or datetime.date.today()
    contents = [(Path(p), read_bytes(Path(p), "file")) for p in paths]
    return [lookup(store, path, data, today) for path, data in contents]


def lookup(store: Store, path: Path | str, data: bytes, today: datetime.date) -> Verdict:
    """The verdict on the bytes `data` of a file called `path` (read, or uploaded)."""
    digest = sha256_hex(data)
    found = store.with_digest(digest)
    if not found:
        return Verdict(Path(path), digest, None, None)
    number, suffix = found[0]
    return Verdict(Path(path), digest, store.entry(number, today=today), suffix)
