"""The quote register: numbers, revisions, issued files and their status, in SQLite or PostgreSQL.

`open_register(target)` opens (creating and migrating as needed) the register a
target names: None for the file in the user's data folder, a path for an SQLite
file, a `postgresql://` URL for a PostgreSQL database. Modules, one job each:

- `target`: what a target names, and how it is shown (never with a password);
- `store`: the records and the SQL both backends share; `sqlite`, `postgres`: the backends;
- `migrate` and `migrations/<backend>/NNNN_*.sql`: the numbered schema migrations;
- `numbering`: number formats and revision numbers; `issuing`: issue and revise a quote;
- `integrity`: what the register refuses to store; `ordering`: accept, amend, void; `wawf`: the WAWF data;
- `sealing`: whether the register is as procure wrote it (triggers, seals, file digests);
- `verify`: which issued file a file is; `export`: the register as CSV or XLSX; `report`: quoting per month
  and facility;
- `customers`: the facility directory; `mail`: a quote as an e-mail; `users`: the web desk's users and sign-in;
- `sessions`: the web desk's sessions, which end on the server; `carried`: a checked file kept for the page's
  next step;
- `practice`: the practice register of `procure serve --demo`.

The register as JSON and text for the command line is `procure.views.register`.
"""


def open_register(target: str | None = None, *, timeout: float | None = None, create: bool = True):
    """The register `target` names, open and at the current schema; close it with `.close()` or `with`.

    With `create=False` a register that does not exist yet is not made: RegisterError says so (a command that
    only reads, such as `quote verify`, never turns a mistyped name into a new, empty register).
    """
    from procure.register.target import resolve

    where = resolve(target)
    if where.kind == "postgres":
        from procure.register.postgres import PostgresStore

        return PostgresStore.open(where, timeout=timeout, create=create)
    from procure.register.sqlite import SQLiteStore

    return SQLiteStore.open(where, timeout=timeout, create=create)
