"""Who may use the web desk: users with a role and a password, sign-in with lockout, the desk's secret key.

Roles build on each other: a `viewer` reads, downloads and verifies; a `desk`
also prepares, issues and revises quotes; an `approver` also accepts and voids
them; an `admin` also manages users. Passwords are kept only as salted scrypt
hashes (werkzeug.security) and never shown or logged.

After `LOCK_AFTER` failed sign-ins of one name within `LOCK_WINDOW`, that name is
refused for `LOCK_FOR`; the failures are rows of the register, so the lockout
holds across every worker of the web desk. The secret key that signs the web
desk's sessions is made once and kept in the register for the same reason.

A user is also a person: a full name, title, e-mail and phone (`details`), which
the quotes they issue show as "Prepared by" and the e-mails they send come from.
User names are matched without regard to letter case everywhere, and shown as the
user spelled them. The last active admin can be neither disabled nor demoted, so
a desk always has someone who can manage its users. A change of role, a disable
and a re-enable go through `set_role`, `disable_user` and `enable_user` only.

The SQL of these tables (migrations `users` and `desk`) lives here beside its
rules, run through the open `Store`.
"""

import datetime
import functools
import re
import secrets
import threading

from procure.core.errors import InputError, RegisterReadOnly, RuleError
from procure.core.record import Record
from procure.register.store import Store
from procure.register.stored import moment_text, stored_moment, utc_now

VIEWER, DESK, APPROVER, ADMIN = "viewer", "desk", "approver", "admin"
ROLES = (VIEWER, DESK, APPROVER, ADMIN)
"""Each role may do what the roles before it may."""
USER_NAME = r"[A-Za-z0-9][A-Za-z0-9._@-]{0,39}"
MIN_PASSWORD, MAX_PASSWORD = 10, 200
LOCK_AFTER = 5
LOCK_WINDOW = LOCK_FOR = datetime.timedelta(minutes=15)
ADDRESS_LIMIT = 30
"""Failed sign-ins from one client address, over any names, within `LOCK_WINDOW` before it is refused (password
spraying); behind a reverse proxy every client has the proxy's address unless the proxy passes the client's."""
MAX_UNRECORDED = 10_000
WRONG = "the user name or the password is wrong"
HASH_METHOD = "scrypt"


DETAILS = (("full_name", "full name"), ("title", "title"), ("email", "e-mail"), ("phone", "phone"))
"""The person's details a user may have: (column, as messages name it)."""
MAX_DETAIL = 200


class User(Record):
    name: str
    role: str
    created_at: datetime.datetime
    disabled_at: datetime.datetime | None
    full_name: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def may(self, role: str) -> bool:
        """True when this user's role includes what `role` may do."""
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def shown(self) -> str:
        """How messages name the user: `Dana (desk, disabled)`."""
        return f"{self.name} ({self.role}{'' if self.active else ', disabled'})"


class SignInRefused(RuleError):
    """A sign-in that did not succeed; its text is what the sign-in page says."""


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not re.fullmatch(USER_NAME, name):
        raise InputError(f"user name {name!r} is not allowed: 1-40 letters, digits, . _ @ -, starting with a "
                         f"letter or digit")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"role {role!r} is not one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise InputError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"the password is too long: use at most {MAX_PASSWORD} characters")
    return password


def add_user(store: Store, name: str, role: str, password: str) -> User:
    """Add a user who may sign in with `password`; RuleError if the name is taken."""
    name, role, hashed = check_name(name), check_role(role), _hash(check_password(password))
    now = moment_text(utc_now())
    with store.writing():
        taken = find_user(store, name)
        if taken is not None:
            raise RuleError(f"user {taken.shown} already exists: `procure user password {taken.name}` sets a new "
                            f"password")
        store.run("INSERT INTO users (name, role, password_hash, created_at, changed_at) VALUES (?, ?, ?, ?, ?)",
                  (name, role, hashed, now, now))
    return existing_user(store, name)


def set_password(store: Store, name: str, password: str) -> User:
    """Give user `name` a new password (and lift a lockout of the name); every session of theirs ends."""
    from procure.register.sessions import end_sessions

    hashed = _hash(check_password(password))
    with store.writing():
        user = existing_user(store, name)
        store.run("UPDATE users SET password_hash = ?, changed_at = ? WHERE name = ?",
                  (hashed, moment_text(utc_now()), user.name))
        store.run("DELETE FROM sign_in_failures WHERE name = ?", (user.name.lower(),))
        end_sessions(store, user.name)
    return existing_user(store, user.name)


def disable_user(store: Store, name: str) -> User:
    """User `name` may no longer sign in, and every session of theirs ends; what they did stays recorded under
    their name. RuleError for the last active admin."""
    from procure.register.sessions import end_sessions

    with store.writing():
        user = existing_user(store, name)
        if user.active:
            _keep_an_admin(store, user, "disabled")
            now = moment_text(utc_now())
            store.run("UPDATE users SET disabled_at = ?, changed_at = ? WHERE name = ?", (now, now, user.name))
        end_sessions(store, user.name)
    return existing_user(store, user.name)


def enable_user(store: Store, name: str) -> User:
    """A disabled user `name` may sign in again, with the role and password they had (and no lockout)."""
    with store.writing():
        user = existing_user(store, name)
        if not user.active:
            store.run("UPDATE users SET disabled_at = NULL, changed_at = ? WHERE name = ?",
                      (moment_text(utc_now()), user.name))
            store.run("DELETE FROM sign_in_failures WHERE name = ?", (user.name.lower(),))
    return existing_user(store, user.name)


def set_role(store: Store, name: str, role: str) -> User:
    """Give user `name` the role `role` (their sessions end: they sign in again with it); RuleError when it would
    leave the desk without an active admin."""
    from procure.register.sessions import end_sessions

    role = check_role(role)
    with store.writing():
        user = existing_user(store, name)
        if user.role != role:
            if user.role == ADMIN and user.active:
                _keep_an_admin(store, user, f"made {role}")
            store.run("UPDATE users SET role = ?, changed_at = ? WHERE name = ?",
                      (role, moment_text(utc_now()), user.name))
            end_sessions(store, user.name)
    return existing_user(store, user.name)


def set_details(store: Store, name: str, **details: str | None) -> User:
    """Set the person's details of user `name` (keys of `DETAILS`); a value None leaves one as it is, an empty
    text clears it."""
    known = dict(DETAILS)
    unknown = [k for k in details if k not in known]
    if unknown:
        raise InputError(f"no such detail of a user: {', '.join(unknown)}")
    changes = {k: _detail(known[k], v) for k, v in details.items() if v is not None}
    with store.writing():
        user = existing_user(store, name)
        if changes:
            columns = ", ".join(f"{k} = ?" for k in changes)
            store.run(f"UPDATE users SET {columns}, changed_at = ? WHERE name = ?",
                      (*changes.values(), moment_text(utc_now()), user.name))
    return existing_user(store, user.name)


def _detail(what: str, value: str) -> str | None:
    """A detail as typed, checked: None when left empty."""
    from procure.core.characters import describe, forbidden

    value = " ".join(value.split())
    if len(value) > MAX_DETAIL:
        raise InputError(f"the {what} is too long: use at most {MAX_DETAIL} characters")
    char = forbidden(value)
    if char is not None:
        raise InputError(f"the {what} holds {describe(char)}: type it without one")
    if what == "e-mail" and value:
        local, at, domain = value.rpartition("@")
        if not at or not local or "." not in domain or "," in value or " " in value:
            raise InputError(f"the e-mail {value!r} is not an e-mail address such as alex.smith@example.com")
    return value or None


def _keep_an_admin(store: Store, user: User, change: str) -> None:
    """RuleError if `user` is the last active admin (inside `writing()`, so two admins cannot both leave)."""
    if user.role != ADMIN or not user.active:
        return
    others = store.one("SELECT COUNT(*) FROM users WHERE role = ? AND disabled_at IS NULL AND name <> ?",
                       (ADMIN, user.name))[0]
    if not others:
        raise RuleError(f"user {user.shown} is the last active admin: it cannot be {change}; make another user "
                        f"admin first")


def users(store: Store) -> list[User]:
    """Every user, by name."""
    return [_user(row) for row in store.all(f"SELECT {_COLUMNS} FROM users ORDER BY name")]


def find_user(store: Store, name: str) -> User | None:
    """The user named `name`, whatever its letter case."""
    row = store.one(f"SELECT {_COLUMNS} FROM users WHERE LOWER(name) = ?", ((name or "").strip().lower(),))
    return _user(row) if row else None


def has_users(store: Store) -> bool:
    return store.one("SELECT 1 FROM users") is not None


def sign_in(store: Store, name: str, password: str, now: datetime.datetime | None = None,
            address: str | None = None) -> User:
    """The active user `name` if `password` is theirs; SignInRefused if not.

    The attempt is recorded as a failure, in the transaction that finds the name (and the client `address`) not
    locked out, before the password is checked; a right password then removes the name's failures. So however
    many attempts arrive at once, on however many workers, at most `LOCK_AFTER` passwords of a name are checked
    per `LOCK_WINDOW`. A name that is no user is refused as slowly, and locked out alike, without a write; so
    are the attempts on a register that cannot be written (a copy opened to browse), counted by this worker.
    """
    now = now or utc_now()
    name, address = (name or "").strip()[:100], (address or "").strip()[:64] or None
    key = name.lower()  # one lockout per name whatever its letter case, as names are matched
    row = store.one("SELECT password_hash, disabled_at FROM users WHERE LOWER(name) = ?", (key,))
    from werkzeug.security import check_password_hash

    if row is None:
        _refuse_locked(store, name, address, now, _UNRECORDED.moments(key, now))
        check_password_hash(_dummy_hash(HASH_METHOD), password or "")
        _UNRECORDED.add(key, now)
        raise SignInRefused(WRONG)
    try:
        with store.writing():
            store.one(f"SELECT name FROM users WHERE LOWER(name) = ?{store.FOR_UPDATE}", (key,))
            _refuse_locked(store, name, address, now, _failures(store, key, now))
            store.run("DELETE FROM sign_in_failures WHERE name = ? AND failed_at < ?", (key, _horizon(now)))
            store.run("INSERT INTO sign_in_failures (name, failed_at, address) VALUES (?, ?, ?)",
                      (key, moment_text(now), address))
        kept = True
    except RegisterReadOnly:  # a register to browse only: this worker counts the attempts instead
        _refuse_locked(store, name, address, now, _UNRECORDED.moments(key, now))
        _UNRECORDED.add(key, now)
        kept = False
    if not check_password_hash(row[0], password or "") or row[1] is not None:
        raise SignInRefused(WRONG)
    if kept:
        with store.writing():
            store.run("DELETE FROM sign_in_failures WHERE name = ?", (key,))
    else:
        _UNRECORDED.forget(key)
    return existing_user(store, name)


class _Unrecorded:
    """Failed sign-ins the register does not keep, in this worker's memory only (at most `MAX_UNRECORDED` names,
    the oldest forgotten first): of names that are no user, which lock out as a user's name does while a flood
    of made-up names writes nothing; and of every name when the register cannot be written."""

    def __init__(self):
        self._failed: dict[str, list[datetime.datetime]] = {}
        self._lock = threading.Lock()

    def moments(self, name: str, now: datetime.datetime) -> list[datetime.datetime]:
        with self._lock:
            return [m for m in self._failed.get(name, ()) if m >= now - LOCK_WINDOW - LOCK_FOR]

    def add(self, name: str, now: datetime.datetime) -> None:
        with self._lock:
            kept = [m for m in self._failed.pop(name, ()) if m >= now - LOCK_WINDOW - LOCK_FOR]
            self._failed[name] = kept + [now]
            while len(self._failed) > MAX_UNRECORDED:
                del self._failed[next(iter(self._failed))]

    def forget(self, name: str) -> None:
        with self._lock:
            self._failed.pop(name, None)


_UNRECORDED = _Unrecorded()


def _failures(store: Store, name: str, now: datetime.datetime) -> list[datetime.datetime]:
    rows = store.all("SELECT failed_at FROM sign_in_failures WHERE name = ? AND failed_at >= ? ORDER BY failed_at",
                     (name, _horizon(now)))
    return [stored_moment(row[0]) for row in rows]


def _refuse_locked(store: Store, name: str, address: str | None, now: datetime.datetime,
                   failures: list[datetime.datetime]) -> None:
    until = _lock_end(failures, now)
    if until is not None:
        raise SignInRefused(f"too many failed sign-ins for {name}: try again after {until:%H:%M} UTC, or ask an "
                            f"administrator to set a new password")
    if address is not None:
        count = store.one("SELECT COUNT(*) FROM sign_in_failures WHERE address = ? AND failed_at >= ?",
                          (address, moment_text(now - LOCK_WINDOW)))[0]
        if count >= ADDRESS_LIMIT:
            raise SignInRefused(f"too many failed sign-ins from this computer: try again after "
                                f"{now + LOCK_WINDOW:%H:%M} UTC")


def _lock_end(moments: list[datetime.datetime], now: datetime.datetime) -> datetime.datetime | None:
    ends = [moments[i] + LOCK_FOR for i in range(LOCK_AFTER - 1, len(moments))
            if moments[i] - moments[i - LOCK_AFTER + 1] <= LOCK_WINDOW]
    until = max(ends, default=None)
    return until if until is not None and until > now else None


def _horizon(now: datetime.datetime) -> str:
    """Failures older than this can no longer lock anything out."""
    return moment_text(now - LOCK_WINDOW - LOCK_FOR)


def secret_key(store: Store) -> str:
    """The key that signs the web desk's sessions: made the first time it is asked for, then kept."""
    row = store.one("SELECT secret FROM web_secret WHERE id = 1")
    if row:
        return row[0]
    try:
        with store.writing():
            store.run("INSERT INTO web_secret (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
                      (secrets.token_hex(32),))
    except RegisterReadOnly:
        return _WORKER_KEY  # a register to browse only: this worker's own key
    return store.one("SELECT secret FROM web_secret WHERE id = 1")[0]


_COLUMNS = "name, role, created_at, disabled_at, full_name, title, email, phone"
_WORKER_KEY = secrets.token_hex(32)


def existing_user(store: Store, name: str) -> User:
    user = find_user(store, name)
    if user is None:
        raise RuleError(f"no user {(name or '').strip()!r}: `procure user list` shows the users")
    return user


@functools.cache
def _dummy_hash(method: str) -> str:
    """Checked against when the name is unknown, so that an unknown name takes as long as a wrong password."""
    return _hash_with(secrets.token_hex(16), method)


def _hash(password: str) -> str:
    return _hash_with(password, HASH_METHOD)


def _hash_with(password: str, method: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method=method)


def _user(row) -> User:
    return User(row[0], row[1], stored_moment(row[2]), stored_moment(row[3]) if row[3] else None, *row[4:8])

