"""Files carried from one step of the web desk to the next (checked, then issued), kept in the register.

A checked file's page carries a random reference, not the file's bytes, so the
Issue that follows sends a few bytes instead of the file again in base64 (which
made a 20 MB file a 27 MB form, over the upload cap). A reference serves only
the user who made it, for `KEEP_FOR`; each user keeps at most `MAX_PER_USER`
files, older ones pruned whenever a file is kept.
"""

import datetime
import secrets

from procure.register.store import Store
from procure.register.stored import moment_text, utc_now

KEEP_FOR = datetime.timedelta(hours=2)
MAX_PER_USER = 10
MAX_REF = 100


def keep(store: Store, user_name: str, name: str, data: bytes, now: datetime.datetime | None = None) -> str:
    """Keep `data` (file `name`) for `user_name`; the reference a page carries to fetch it back."""
    now = now or utc_now()
    ref = secrets.token_urlsafe(24)
    with store.writing():
        store.run("DELETE FROM web_carried WHERE kept_at < ?", (moment_text(now - KEEP_FOR),))
        store.run("DELETE FROM web_carried WHERE user_name = ? AND ref NOT IN (SELECT ref FROM web_carried WHERE "
                  "user_name = ? ORDER BY kept_at DESC LIMIT ?)", (user_name, user_name, MAX_PER_USER - 1))
        store.run("INSERT INTO web_carried (ref, user_name, name, data, kept_at) VALUES (?, ?, ?, ?, ?)",
                  (ref, user_name, name, data, moment_text(now)))
    return ref


def fetch(store: Store, user_name: str, ref: str, now: datetime.datetime | None = None) -> tuple[str, bytes] | None:
    """The file kept under `ref` for `user_name`, if it is still kept; None otherwise (another user's too)."""
    if not ref or len(ref) > MAX_REF:
        return None
    now = now or utc_now()
    row = store.one("SELECT name, data FROM web_carried WHERE ref = ? AND user_name = ? AND kept_at >= ?",
                    (ref, user_name, moment_text(now - KEEP_FOR)))
    return (row[0], bytes(row[1])) if row else None
