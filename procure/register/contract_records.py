"""The register's records of contract price lists and of approvals, and their SQL (migration `0007_price_lists`).

`ContractRecords` is part of `store.Store`: price lists are appended as loaded
(the file as given, its digest, the date from which it is in force, who loaded it
and when); a quote priced by one of them names it in `quoted_prices`; a quote held
for approval gets an `awaiting` row with the rules it met, then `approved` or
`rejected`. Nothing is ever updated. A register marked as a practice register
(setting `practice`) is the only one that takes an illustrative price list.
"""

import datetime
import json

from procure.core.record import Record
from procure.register.connection import Connection
from procure.register.stored import moment_text, stored_date, stored_moment

AWAITING, APPROVED, REJECTED = "awaiting", "approved", "rejected"


class StoredPriceList(Record):
    """A price list as the register keeps it (its file's bytes are read with `price_list_content`)."""

    id: int
    effective: datetime.date
    name: str
    title: str
    digest: str
    parts: int
    illustrative: bool
    note: str | None
    loaded_by: str
    loaded_at: datetime.datetime

    @property
    def label(self) -> str:
        """`price list 2 (prices.csv), in force from 2026-01-01`: how messages and pages name it."""
        return f"price list {self.id} ({self.name}), in force from {self.effective}"


class Approval(Record):
    """One step of a quote's approval: held (`awaiting`, with the rules it met), `approved` or `rejected`."""

    number: str
    kind: str
    rules: tuple[str, ...]
    reason: str | None
    recorded_by: str
    recorded_at: datetime.datetime


_LIST_COLUMNS = "id, effective, name, title, digest, parts, illustrative, note, loaded_by, loaded_at"


class ContractRecords(Connection):
    """Price lists and approvals in an open register."""

    # ---- price lists

    def add_price_list(self, *, effective: datetime.date, name: str, title: str, content: bytes, digest: str,
                       parts: int, illustrative: bool, note: str | None, loaded_by: str,
                       loaded_at: datetime.datetime) -> int:
        """Inside `writing()`: append a price list; its id."""
        self.run("INSERT INTO price_lists (effective, name, title, content, digest, parts, illustrative, note, "
                 "loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (effective.isoformat(), name, title, content, digest, parts, illustrative, note, loaded_by,
                  moment_text(loaded_at)))
        return int(self.one("SELECT MAX(id) FROM price_lists")[0])

    def price_lists(self) -> list[StoredPriceList]:
        """Every price list loaded, by effective date then as loaded."""
        return [_stored(row) for row in self.all(f"SELECT {_LIST_COLUMNS} FROM price_lists ORDER BY effective, id")]

    def has_price_lists(self) -> bool:
        return self.one("SELECT 1 FROM price_lists") is not None

    def price_list(self, list_id: int) -> StoredPriceList | None:
        row = self.one(f"SELECT {_LIST_COLUMNS} FROM price_lists WHERE id = ?", (list_id,))
        return _stored(row) if row else None

    def price_list_on(self, date: datetime.date) -> StoredPriceList | None:
        """The list in force on `date`: the latest effective on or before it (the later loaded of a day)."""
        row = self.one(f"SELECT {_LIST_COLUMNS} FROM price_lists WHERE effective <= ? "
                       f"ORDER BY effective DESC, id DESC LIMIT 1", (date.isoformat(),))
        return _stored(row) if row else None

    def price_list_content(self, list_id: int) -> bytes:
        return bytes(self.one("SELECT content FROM price_lists WHERE id = ?", (list_id,))[0])

    def add_quoted_price(self, number: str, list_id: int) -> None:
        """Inside `writing()`: record that revision `number` was priced by price list `list_id`."""
        self.run("INSERT INTO quoted_prices (number, price_list) VALUES (?, ?)", (number, list_id))

    def quoted_price(self, number: str) -> StoredPriceList | None:
        """The register's price list revision `number` was priced by; None for one priced by a file."""
        row = self.one("SELECT price_list FROM quoted_prices WHERE number = ?", (number,))
        return self.price_list(int(row[0])) if row else None

    # ---- approvals

    def add_approval(self, approval: Approval) -> None:
        """Inside `writing()`: append a step of a quote's approval."""
        self.run("INSERT INTO approvals (number, kind, rules, reason, recorded_by, recorded_at) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (approval.number, approval.kind, json.dumps(list(approval.rules), ensure_ascii=False),
                  approval.reason, approval.recorded_by, moment_text(approval.recorded_at)))

    def approvals(self, number: str) -> list[Approval]:
        """The steps of revision `number`'s approval, oldest first (none: it never needed one)."""
        rows = self.all("SELECT number, kind, rules, reason, recorded_by, recorded_at FROM approvals "
                        "WHERE number = ? ORDER BY id", (number,))
        return [Approval(row[0], row[1], tuple(json.loads(row[2] or "[]")), row[3], row[4], stored_moment(row[5]))
                for row in rows]

    def quoted_before(self, dodaac: str, *, other_than: str) -> bool:
        """Whether the register holds a quote for `dodaac` (of a base other than `other_than`) that went out:
        neither void nor held for approval."""
        row = self.one("SELECT 1 FROM quotes q WHERE q.dodaac = ? AND q.base <> ? "
                       "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.number = q.number AND e.kind = 'void') "
                       "AND COALESCE((SELECT a.kind FROM approvals a WHERE a.number = q.number "
                       "ORDER BY a.id DESC LIMIT 1), 'approved') = 'approved'", (dodaac, other_than))
        return row is not None


def _stored(row) -> StoredPriceList:
    (list_id, effective, name, title, digest, parts, illustrative, note, by, at) = row
    return StoredPriceList(id=int(list_id), effective=stored_date(effective), name=name, title=title, digest=digest,
                           parts=int(parts), illustrative=bool(illustrative), note=note, loaded_by=by,
                           loaded_at=stored_moment(at))

