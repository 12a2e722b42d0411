"""Sessions of the web desk, kept in the register so that they end on the server, for every worker at once.

A session is a random id (256 bits from `secrets`) that only the user's cookie
holds; the register keeps its SHA-256, the user and two moments. A session ends
when its row goes: at sign-out (every copy of the cookie dies with it), when the
user gets a new password or is disabled, when an administrator signs the user out
everywhere (`end_sessions`), when the signing key is rotated (`end_all_sessions`),
`LIFETIME` after sign-in (a working day) and `IDLE` after the last request.
`last_seen` is written at most once per `TOUCH_EVERY`, so reading a page stays a read.

A register the desk may read but not write (a copy opened to browse) keeps no
session: the worker then keeps its sessions in its own memory, by the same rules.
"""

import contextlib
import datetime
import hashlib
import secrets
import threading

from procure.core.errors import RegisterReadOnly
from procure.register.store import Store
from procure.register.stored import moment_text, stored_moment, utc_now

LIFETIME = datetime.timedelta(hours=10)
IDLE = datetime.timedelta(minutes=30)
TOUCH_EVERY = datetime.timedelta(minutes=1)
MAX_ID = 100
"""A cookie's id longer than this is no id of ours (ours are 43 characters)."""


def start_session(store: Store, user_name: str, now: datetime.datetime | None = None) -> str:
    """A new session of `user_name`: the id for the cookie (never stored). Ended sessions are pruned here."""
    now = now or utc_now()
    session_id = secrets.token_urlsafe(32)
    try:
        with store.writing():
            store.run("DELETE FROM web_sessions WHERE created_at < ? OR last_seen < ?",
                      (moment_text(now - LIFETIME), moment_text(now - IDLE)))
            store.run("INSERT INTO web_sessions (id_hash, user_name, created_at, last_seen) VALUES (?, ?, ?, ?)",
                      (_hashed(session_id), user_name, moment_text(now), moment_text(now)))
    except RegisterReadOnly:
        _IN_MEMORY.start(_hashed(session_id), user_name, now)
    return session_id


def session_user(store: Store, session_id: object, now: datetime.datetime | None = None) -> str | None:
    """The user whose live session `session_id` is, else None (an ended session's row is deleted)."""
    if not _well_formed(session_id):
        return None
    now = now or utc_now()
    key = _hashed(str(session_id))
    row = store.one("SELECT user_name, created_at, last_seen FROM web_sessions WHERE id_hash = ?", (key,))
    if row is None:
        return _IN_MEMORY.user(key, now)
    created, seen = stored_moment(row[1]), stored_moment(row[2])
    if _ended(created, seen, now):
        end_session(store, session_id)
        return None
    if now - seen >= TOUCH_EVERY:
        with contextlib.suppress(RegisterReadOnly), store.writing():  # read-only: the session idles out
            store.run("UPDATE web_sessions SET last_seen = ? WHERE id_hash = ?", (moment_text(now), key))
    return row[0]


def end_session(store: Store, session_id: object) -> None:
    """End one session (sign-out): every copy of its cookie stops working."""
    if _well_formed(session_id):
        key = _hashed(str(session_id))
        if not _IN_MEMORY.end(key):
            with contextlib.suppress(RegisterReadOnly), store.writing():  # read-only: no row of ours to end
                store.run("DELETE FROM web_sessions WHERE id_hash = ?", (key,))


def end_sessions(store: Store, user_name: str) -> int:
    """End every session of `user_name` (new password, role change, disable, "sign out everywhere"); how many.
    Joins the caller's write transaction when called inside one."""
    return _IN_MEMORY.end_user(user_name) + _delete(store, "DELETE FROM web_sessions WHERE user_name = ?",
                                                    (user_name,))


def end_all_sessions(store: Store) -> int:
    """End every session of every user (the signing key was rotated); how many."""
    return _delete(store, "DELETE FROM web_sessions", ())


def live_sessions(store: Store, user_name: str, now: datetime.datetime | None = None) -> int:
    """How many sessions of `user_name` are live now."""
    now = now or utc_now()
    return store.one("SELECT COUNT(*) FROM web_sessions WHERE user_name = ? AND created_at >= ? AND last_seen >= ?",
                     (user_name, moment_text(now - LIFETIME), moment_text(now - IDLE)))[0]


class _InMemory:
    """The sessions of this worker on a register it cannot write: id hash -> [user, created, last seen]."""

    def __init__(self):
        self._sessions: dict[str, list] = {}
        self._lock = threading.Lock()

    def start(self, key: str, user_name: str, now: datetime.datetime) -> None:
        with self._lock:
            for old in [k for k, (_, created, seen) in self._sessions.items() if _ended(created, seen, now)]:
                del self._sessions[old]
            self._sessions[key] = [user_name, now, now]

    def user(self, key: str, now: datetime.datetime) -> str | None:
        with self._lock:
            kept = self._sessions.get(key)
            if kept is None or _ended(kept[1], kept[2], now):
                self._sessions.pop(key, None)
                return None
            kept[2] = now
            return kept[0]

    def end(self, key: str) -> bool:
        with self._lock:
            return self._sessions.pop(key, None) is not None

    def end_user(self, user_name: str) -> int:
        with self._lock:
            ended = [k for k, kept in self._sessions.items() if kept[0] == user_name]
            for key in ended:
                del self._sessions[key]
            return len(ended)


_IN_MEMORY = _InMemory()


def _ended(created: datetime.datetime, seen: datetime.datetime, now: datetime.datetime) -> bool:
    return now - created >= LIFETIME or now - seen >= IDLE


def _delete(store: Store, sql: str, params: tuple) -> int:
    return store.run(sql, params).rowcount


def _well_formed(session_id: object) -> bool:
    return isinstance(session_id, str) and 0 < len(session_id) <= MAX_ID


def _hashed(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def rotate_key(store: Store) -> int:
    """A new key to sign the web desk's cookies with, and every session ended; how many ended. A running desk
    signs with the new key once restarted (the ended sessions are refused at once)."""
    key = secrets.token_hex(32)
    with store.writing():
        store.run("INSERT INTO web_secret (id, secret) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET secret = ?",
                  (key, key))
        return end_all_sessions(store)
