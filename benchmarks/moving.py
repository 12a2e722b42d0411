"""`procure register copy` and `register backup` of a large register: wall time and peak memory.

    python benchmarks/moving.py [--quotes 10000]

Fills an SQLite register with `--quotes` quotes, each with the example's four real files (about 66 KB) and
inputs, stored as `quote issue` stores them (sealed, digests true); then times, as whole processes, `register
copy` into a new SQLite file, `register backup` of it, and (when PROCURE_TEST_POSTGRES names a server, in a fresh
schema dropped after) `register copy` SQLite -> PostgreSQL and PostgreSQL -> SQLite.
Goals (issue 31): each copy under 2 minutes, peak memory (max RSS) under 300 MiB whatever the register's size.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "request.toml"
PRICES = ROOT / "examples" / "prices-illustrative.csv"
FILL_BATCH = 500


def procure(*args, env=None) -> tuple[float, float]:
    """Run `procure ARGS` as a process; (wall seconds, its peak RSS in MiB)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "procure", *map(str, args)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"procure {' '.join(map(str, args))} failed: {stderr[-1000:]}")
    return wall, usage.ru_maxrss / 1024


def fill(target: str, quotes: int, folder: Path) -> None:
    """`quotes` quotes like the example's issue, each with real files and a true seal."""
    import datetime

    import procure
    from procure.core.digest import sha256_hex
    from procure.register.issuing import issue, read_source

    request = folder / "request.toml"
    request.write_text("".join(line for line in EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith(("number =", "date ="))), encoding="utf-8")
    with procure.open_register(target) as store:
        first = issue(store, read_source(str(request), str(PRICES)), procure.shipped_catalog(), None,
                      practice=True).issued
        files = {f.suffix: (f.sha256, f.content) for f in store.files(first.number)}
        for start in range(1, quotes, FILL_BATCH):
            with store.writing():  # a transaction per batch: a commit per quote waits for the disk each time
                for _ in range(start, min(start + FILL_BATCH, quotes)):
                    number = store.next_number(datetime.date.today().year)
                    store.add(first._replace(number=number, base=number, issued_at=procure_now()), files)
    assert all(sha256_hex(c) == d for d, c in files.values())


def procure_now():
    from procure.register.stored import utc_now

    return utc_now()


def postgres_schema() -> str | None:
    url = os.environ.get("PROCURE_TEST_POSTGRES")
    if not url:
        return None
    import psycopg

    schema = f"bench_copy_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    return schema


def drop(schema: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["PROCURE_TEST_POSTGRES"], autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


def report(what: str, quotes: int, wall: float, rss: float) -> None:
    ok = wall < 120 and rss < 300
    print(f"{what} of {quotes:,} quotes: {wall:.1f} s, peak memory {rss:.0f} MiB "
          f"(goals < 120 s, < 300 MiB) {'ok' if ok else 'over goal'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=10_000)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PROCURE_REGISTER"}
    with tempfile.TemporaryDirectory(prefix="procure-copy-bench-") as name:
        folder = Path(name)
        source = str(folder / "source.sqlite")
        start = time.perf_counter()
        fill(source, args.quotes, folder)
        size = Path(source).stat().st_size / 2**20
        print(f"filled {args.quotes:,} quotes ({size:.0f} MiB) in {time.perf_counter() - start:.0f} s", flush=True)
        report("register copy SQLite -> SQLite", args.quotes, *procure("register", "copy", source,
                                                                       folder / "copy.sqlite", env=env))
        report("register backup of SQLite", args.quotes, *procure("register", "backup", "-o",
                                                                  folder / "backup.sqlite", "--register", source,
                                                                  env=env))
        schema = postgres_schema()
        if schema is None:
            print("PostgreSQL: skipped (set PROCURE_TEST_POSTGRES)")
            return
        url = os.environ["PROCURE_TEST_POSTGRES"]
        target = url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
        try:
            report("register copy SQLite -> PostgreSQL", args.quotes,
                   *procure("register", "copy", source, target, env=env))
            report("register copy PostgreSQL -> SQLite", args.quotes,
                   *procure("register", "copy", target, folder / "back.sqlite", env=env))
            report("register backup of PostgreSQL", args.quotes,
                   *procure("register", "backup", "-o", folder / "pg-backup.sqlite", "--register", target, env=env))
        finally:
            drop(schema)
    print(f"(this process's own peak: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
