"""Customer links: one URL per facility that lets its officers see and act on its quotes without an account.

A link's token is 32 bytes from `secrets` (256 bits, URL-safe text); the register
keeps only its sha256, so a copy of the register gives nobody a live link, and
the URL is shown once, when it is made. A token is looked up by its digest and
the digest compared in constant time; an unknown, expired or revoked token opens
nothing. Every use of a link is a row of `link_uses` (the link's id, the action,
the client's address; never the token), and those rows are the rate limits: POSTs
per link and per address within a window, counted in the register so that every
worker of the desk agrees.

The SQL of these tables (migration `customer_links`) lives here beside its rules, run through the open `Store`.
"""

import datetime
import hashlib
import hmac
import re
import secrets

from procure.core.errors import InputError, RuleError
from procure.core.record import Record
from procure.register.facility_directory import dodaac_of, record
from procure.register.store import Store
from procure.register.stored import moment_text, stored_moment, utc_now

DEFAULT_DAYS, MAX_DAYS = 180, 3650
TOKEN = re.compile(r"[A-Za-z0-9_-]{40,64}")
"""What a token looks like (`secrets.token_urlsafe(32)` gives 43 characters); anything else is not looked up."""
WINDOW = datetime.timedelta(minutes=10)
POSTS_PER_LINK, POSTS_PER_ADDRESS = 30, 60
"""How many forms a link, and a client address over every link, may send within WINDOW."""
_COLUMNS = "id, dodaac, created_at, created_by, expires_at, last_used_at, revoked_at, revoked_by"


class Link(Record):
    id: int
    dodaac: str
    created_at: datetime.datetime
    created_by: str
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    revoked_by: str | None

    def live(self, now: datetime.datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def state(self, now: datetime.datetime) -> str:
        """`live`, `expired` or `revoked`."""
        if self.revoked_at is not None:
            return "revoked"
        return "live" if now < self.expires_at else "expired"


class TooManyPosts(RuleError):
    """A link, or a client address, sent more forms than the rate limit lets through."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def create_link(store: Store, dodaac: str, *, by: str, days: int = DEFAULT_DAYS,
                expires: datetime.datetime | None = None) -> tuple[Link, str]:
    """A new link to facility `dodaac`'s quotes, valid `days` (or until `expires`): the link and its token, the only
    time the token exists outside the officer's URL."""
    dodaac = dodaac_of(dodaac)
    if expires is None:
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise InputError(f"--days {days!r} must be a whole number of days from 1 to {MAX_DAYS}")
        expires = utc_now() + datetime.timedelta(days=days)
    token = secrets.token_urlsafe(32)
    now = utc_now()
    with store.writing():
        if record(store, dodaac) is None:
            raise RuleError(f"DoDAAC {dodaac} is not in the customer directory: issue it a quote, or record it with "
                            f"`procure customer set {dodaac} --facility NAME`, before making it a link")
        store.run("INSERT INTO customer_links (dodaac, token_sha256, created_at, created_by, expires_at) "
                  "VALUES (?, ?, ?, ?, ?)", (dodaac, digest(token), moment_text(now), by, moment_text(expires)))
        row = store.one(f"SELECT {_COLUMNS} FROM customer_links WHERE token_sha256 = ?", (digest(token),))
    return _link(row), token


def url_of(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/c/{token}"


def links(store: Store, dodaac: str) -> list[Link]:
    """The facility's links, oldest first."""
    rows = store.all(f"SELECT {_COLUMNS} FROM customer_links WHERE dodaac = ? ORDER BY id", (dodaac_of(dodaac),))
    return [_link(row) for row in rows]


def newest_live(store: Store, dodaac: str, now: datetime.datetime | None = None) -> Link | None:
    """The facility's live link that expires last, if it has one."""
    now = now or utc_now()
    live = [link for link in links(store, dodaac) if link.live(now)]
    return max(live, key=lambda link: link.expires_at, default=None)


def revoke(store: Store, dodaac: str, *, by: str, link_id: int | None = None) -> list[Link]:
    """Revoke link `link_id` of the facility, else every live one; the links revoked. RuleError when there is none."""
    dodaac, now = dodaac_of(dodaac), utc_now()
    with store.writing():
        found = [link for link in links(store, dodaac) if link_id is None or link.id == link_id]
        if link_id is not None and not found:
            raise RuleError(f"DoDAAC {dodaac} has no link {link_id} (`procure customer links {dodaac}` lists them)")
        targets = [link for link in found if link.revoked_at is None]
        if not targets:
            raise RuleError(f"DoDAAC {dodaac} has no link to revoke: "
                            + ("it is revoked already" if link_id is not None else "it has no link that is not "
                               "revoked"))
        for link in targets:
            store.run("UPDATE customer_links SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                      (moment_text(now), by, link.id))
    return [link._replace(revoked_at=now, revoked_by=by) for link in targets]


def opened(store: Store, token: str, now: datetime.datetime | None = None) -> Link | None:
    """The live link whose token is `token`; None for a token unknown, expired or revoked (the caller says nothing
    about which)."""
    if not TOKEN.fullmatch(token or ""):
        return None
    wanted = digest(token)
    row = store.one(f"SELECT {_COLUMNS}, token_sha256 FROM customer_links WHERE token_sha256 = ?", (wanted,))
    if row is None or not hmac.compare_digest(row[-1], wanted):
        return None
    link = _link(row[:-1])
    return link if link.live(now or utc_now()) else None


def record_use(store: Store, link: Link, action: str, address: str, *, number: str | None = None,
               posted: bool = False) -> None:
    """Record a use of `link`; for a form (`posted`), first TooManyPosts (the attempt still recorded) when the
    link or the address sent more than the rate limit lets through within WINDOW."""
    now = utc_now()
    with store.writing():
        store.run(f"SELECT id FROM customer_links WHERE id = ?{store.FOR_UPDATE}", (link.id,))
        over = posted and _posts_since(store, link, address, now - WINDOW)
        store.run("INSERT INTO link_uses (link_id, action, number, address, posted, used_at) VALUES (?, ?, ?, ?, ?, ?)",
                  (link.id, action if not over else f"{action} refused (too many)", number, address[:100],
                   posted, moment_text(now)))
        store.run("UPDATE customer_links SET last_used_at = ? WHERE id = ?", (moment_text(now), link.id))
    if over:
        raise TooManyPosts("Too many forms were sent through this link in the last few minutes. Wait ten minutes "
                           "and send it again.")


def uses(store: Store, link_id: int) -> list[tuple[str, str | None, datetime.datetime]]:
    """`(action, number, when)` of every use of a link, oldest first."""
    rows = store.all("SELECT action, number, used_at FROM link_uses WHERE link_id = ? ORDER BY id", (link_id,))
    return [(action, number, stored_moment(at)) for action, number, at in rows]


def _posts_since(store: Store, link: Link, address: str, since: datetime.datetime) -> bool:
    """True when the link or the address already sent its share of forms since `since`."""
    by_link = store.one("SELECT COUNT(*) FROM link_uses WHERE link_id = ? AND posted = ? AND used_at >= ?",
                        (link.id, True, moment_text(since)))[0]
    by_address = store.one("SELECT COUNT(*) FROM link_uses WHERE address = ? AND posted = ? AND used_at >= ?",
                           (address[:100], True, moment_text(since)))[0]
    return by_link >= POSTS_PER_LINK or by_address >= POSTS_PER_ADDRESS


def _link(row) -> Link:
    return Link(id=row[0], dodaac=row[1], created_at=stored_moment(row[2]), created_by=row[3],
                expires_at=stored_moment(row[4]), last_used_at=stored_moment(row[5]) if row[5] else None,
                revoked_at=stored_moment(row[6]) if row[6] else None, revoked_by=row[7])

