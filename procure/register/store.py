"""The open register (`Store`): its quotes' records written and read, and the parts it is made of.

`Store` is what `open_register` gives: the connection (`connection`), its schema
(`migrate.Migrating`), numbers (`numbering.Numbering`), listings
(`listing.Listing`) and price lists and approvals (`contract_records`), with
the SQL of the quotes' own records here: a revision and its files and seal,
its status events and delivery orders, the e-mails sent, the facility directory.

Issued content (quotes, files, events, orders) is only ever inserted; triggers
refuse UPDATE and DELETE. The facility directory (`customers`) is versions of
each DoDAAC's record, only ever appended; the newest is the record.
"""

import json
from collections.abc import Collection, Sequence
from typing import Any

from procure.core.errors import RegisterError
from procure.register.contract_records import ContractRecords
from procure.register.listing import Listing
from procure.register.migrate import Migrating
from procure.register.numbering import Numbering
from procure.register.records import SUFFIXES, Contact, CustomerVersion, Event, Issued, Placed, Sent, StoredFile
from procure.register.sealing import seals
from procure.register.stored import (
    INPUT_COLUMNS,
    QUOTE_COLUMNS,
    addresses_of,
    amount_text,
    lines_of,
    moment_text,
    optional_bytes,
    revision_columns,
    stored_amount,
    stored_bytes,
    stored_date,
    stored_moment,
)


class Store(Listing, Numbering, Migrating, ContractRecords):
    """An open register. Use it in `with`, or close it."""

    # ---- writing

    def add(self, issued: Issued, files: dict[str, tuple[str, bytes]]) -> None:
        """Inside `writing()`: store a revision and its files (`{suffix: (sha256, bytes)}`)."""
        values = revision_columns(issued)
        for table, columns in (("quotes", QUOTE_COLUMNS), ("inputs", ("number", *INPUT_COLUMNS))):
            self.run(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                     [values[c] for c in columns])
        for suffix, (digest, content) in files.items():
            self.run("INSERT INTO files (number, suffix, sha256, content) VALUES (?, ?, ?, ?)",
                     (issued.number, suffix, digest, content))
        self.run("INSERT INTO seals (number, quote_sha256, sha256) VALUES (?, ?, ?)",
                 (issued.number, *seals([values[c] for c in QUOTE_COLUMNS], {c: values[c] for c in INPUT_COLUMNS},
                                        {suffix: digest for suffix, (digest, _) in files.items()})))

    def add_event(self, event: Event) -> None:
        """Inside `writing()`: append a status event."""
        values: dict[str, object] = {**event._asdict(), "recorded_at": moment_text(event.recorded_at)}
        self.run(f"INSERT INTO events ({', '.join(Event._fields)}) VALUES ({', '.join('?' * len(Event._fields))})",
                 [values[f] for f in Event._fields])

    def add_order(self, placed: Placed) -> None:
        """Inside `writing()`: append the delivery order of an accepted quote, or a correction of it."""
        values: dict[str, object] = {**placed._asdict(), "order_date": placed.order_date.isoformat(),
                                     "amount": amount_text(placed.amount),
                                     "recorded_at": moment_text(placed.recorded_at),
                                     "ordered": None if placed.ordered is None else json.dumps(placed.ordered),
                                     "ordered_total": amount_text(placed.ordered_total)}
        self.run(f"INSERT INTO orders ({', '.join(Placed._fields)}) VALUES ({', '.join('?' * len(Placed._fields))})",
                 [values[f] for f in Placed._fields])

    def events(self, numbers: Collection[str] | None = None) -> list[Event]:
        """The status events, oldest first; of the revisions `numbers` only, when given."""
        rows = self.all("SELECT number, kind, superseded_by, delivery_order, reason, recorded_by, recorded_at "
                        "FROM events ORDER BY id")
        return [Event(number, kind, superseded_by, order, reason, by, stored_moment(at))
                for number, kind, superseded_by, order, reason, by, at in rows if numbers is None or number in numbers]

    def orders(self, number: str) -> list[Placed]:
        """The delivery order of revision `number` as accepted, then each correction: oldest first."""
        rows = self.all(f"SELECT {', '.join(Placed._fields)} FROM orders WHERE number = ? ORDER BY id", (number,))
        return [Placed(number=row[0], kind=row[1], delivery_order=row[2], order_date=stored_date(row[3]),
                       amount=stored_amount(row[4]), pay_dodaac=row[5], issue_by=row[6], admin_by=row[7], reason=row[8],
                       recorded_by=row[9], recorded_at=stored_moment(row[10]),
                       ordered=None if row[11] is None else tuple(json.loads(row[11])),
                       ordered_total=stored_amount(row[12]), ship_to=row[13], note=row[14]) for row in rows]

    def issued(self, number: str) -> Issued:
        """Everything stored of one revision but its files; RegisterError if the register lacks it."""
        columns = ", ".join(f"q.{c}" for c in QUOTE_COLUMNS) + ", " + ", ".join(f"i.{c}" for c in INPUT_COLUMNS)
        row = self.one(f"SELECT {columns} FROM quotes q JOIN inputs i ON i.number = q.number WHERE q.number = ?",
                       (number,))
        if row is None:
            raise RegisterError(f"{self.target.shown}: holds no inputs of quote {number}: the register is damaged; "
                                f"restore it from a backup")
        values: dict[str, Any] = dict(zip((*QUOTE_COLUMNS, *INPUT_COLUMNS), row, strict=True))
        values.update(date=stored_date(values.pop("quote_date")), valid_through=stored_date(values["valid_through"]),
                      total=stored_amount(values["total"]), lines=lines_of(values["lines"]),
                      request_bytes=stored_bytes(values["request_bytes"]),
                      price_list_bytes=optional_bytes(values["price_list_bytes"]),
                      profile_bytes=optional_bytes(values["profile_bytes"]),
                      issued_at=stored_moment(values["issued_at"]), practice=bool(values["practice"]))
        return Issued(**values)

    def files(self, number: str) -> list[StoredFile]:
        rows = self.all("SELECT number, suffix, sha256, content FROM files WHERE number = ?", (number,))
        found = {row[1]: StoredFile(row[0], row[1], row[2], stored_bytes(row[3])) for row in rows}
        return [found[s] for s in SUFFIXES if s in found]

    def digests(self, number: str) -> dict[str, str]:
        """`{suffix: sha256}` of a revision's files."""
        rows = self.all("SELECT suffix, sha256 FROM files WHERE number = ?", (number,))
        return {suffix: digest for suffix, digest in sorted(rows, key=lambda r: SUFFIXES.index(r[0]))}

    def with_digest(self, digest: str) -> list[tuple[str, str]]:
        """`(number, suffix)` of each stored file whose sha256 is `digest`."""
        return [tuple(row) for row in self.all("SELECT number, suffix FROM files WHERE sha256 = ?", (digest,))]

    # ---- e-mail

    def add_sent(self, sent: Sent) -> None:
        """Inside `writing()`: record that a quote was sent."""
        self.run("INSERT INTO sent (number, recipients, cc, message_id, sent_by, sent_at) VALUES (?, ?, ?, ?, ?, ?)",
                 (sent.number, ", ".join(sent.recipients), ", ".join(sent.cc) or None, sent.message_id,
                  sent.sent_by, moment_text(sent.sent_at)))

    def sendings(self, numbers=None) -> list[Sent]:
        """The quotes sent, oldest first; of the revisions `numbers` only, when given."""
        rows = self.all("SELECT number, recipients, cc, message_id, sent_by, sent_at FROM sent ORDER BY id")
        return [Sent(row[0], addresses_of(row[1]), addresses_of(row[2]), row[3], row[4], stored_moment(row[5]))
                for row in rows if numbers is None or row[0] in numbers]

    # ---- the facility directory

    def add_customer(self, version: CustomerVersion) -> None:
        """Inside `writing()`: append a version of a facility's record."""
        contacts = json.dumps([c._asdict() for c in version.contacts], ensure_ascii=False)
        self.run("INSERT INTO customers (dodaac, facility, ship_to, bill_to, mark_for, contacts, quote, recorded_by, "
                 "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (*version[:5], contacts, version.quote, version.recorded_by, moment_text(version.recorded_at)))

    def customer_versions(self, dodaac: str | None = None, *, quotes: Sequence[str] | None = None,
                          latest: bool = False) -> list[CustomerVersion]:
        """Versions of facilities' records, oldest first: of one DoDAAC, or those made by the issues of `quotes`;
        only the newest of each DoDAAC with `latest`."""
        where: list[str] = []
        params: list[object] = []
        if dodaac is not None:
            where.append("dodaac = ?")
            params.append(dodaac)
        if quotes is not None:
            where.append(f"quote IN ({', '.join('?' * len(quotes))})" if quotes else "1 = 0")
            params += quotes
        if latest:
            where.append("id IN (SELECT MAX(id) FROM customers GROUP BY dodaac)")
        sql = ("SELECT dodaac, facility, ship_to, bill_to, mark_for, contacts, quote, recorded_by, recorded_at "
               "FROM customers")
        rows = self.all(sql + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id", params)
        return [CustomerVersion(dodaac=row[0], facility=row[1], ship_to=row[2], bill_to=row[3], mark_for=row[4],
                                contacts=tuple(Contact(**c) for c in json.loads(row[5])), quote=row[6],
                                recorded_by=row[7], recorded_at=stored_moment(row[8])) for row in rows]

    def count(self) -> tuple[int, int]:
        """How many revisions, and how many quotes (base numbers), the register holds."""
        row = self.one("SELECT COUNT(*), COUNT(DISTINCT base) FROM quotes")
        return row[0], row[1]

