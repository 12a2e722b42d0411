"""The quote register: quotes, their revisions, files, status and delivery orders; the facility directory; the
price lists and approvals; the web desk's users, sessions and customer links; in SQLite or PostgreSQL.

`open_register(target)` opens (creating and migrating as needed) the register a
target names: None for the file in the user's data folder, a path for an SQLite
file, a `postgresql://` URL for a PostgreSQL database. Modules, one job each:

- the open register: `store` (`Store`, made of `connection`, `dialect`, `migrate`, `numbering`, `listing` and
  `contract_records`); `records`: the records and statuses; `stored`: values as columns keep them;
- `target`: what a target names, and how it is shown (never with a password); `sqlite`, `postgres`: the backends;
  `migrations/<backend>/NNNN_*.sql`: the numbered schema migrations;
- a quote's life: `issuing` (issue and revise), `integrity` (what the register refuses to store), `issued_with`
  (findings and the internal note), `approval` and `approving` (quotes held for an approver), `ordering` (accept,
  amend, void), `wawf` (the WAWF data), `due` (what the desk should act on);
- `sealing`: whether the register is as procure wrote it (triggers, seals, file digests); `verify`: which issued
  file a file is; `copying` and `tables`: a register copied whole, backed up, restored;
- `export`: the register as CSV or XLSX; `report`: quoting per month and facility; `price_lists`: contract price
  lists in force by date;
- `customers`: the facility directory; `mail`: a quote as an e-mail; `links` and `customer_side`: what officers
  do through a facility's link;
- `users`: the web desk's users and sign-in; `sessions`: its sessions, which end on the server; `carried`: a
  checked file kept for the page's next step; `practice`: the practice register of `procure serve --demo`.

The register as JSON and text for the command line is `procure.presenters.quote_listing`.
"""


def open_register(target: str | None = None, *, timeout: float | None = None, create: bool = True,
                  shared: bool = False):
    """The register `target` names, open and at the current schema; close it with `.close()` or `with`.

    With `create=False` a register that does not exist yet is not made: RegisterError says so (a command that
    only reads, such as `quote verify`, never turns a mistyped name into a new, empty register). `shared` is for
    the processes that write side by side (the web desk's workers, a batch's): an SQLite register is then kept
    in write-ahead-log mode (`SQLiteStore.share_writes`).
    """
    from procure.register.target import resolve

    where = resolve(target)
    if where.kind == "postgres":
        from procure.register.postgres import PostgresStore

        return PostgresStore.open(where, timeout=timeout, create=create)
    from procure.register.sqlite import SQLiteStore

    return SQLiteStore.open(where, timeout=timeout, create=create, shared=shared)
