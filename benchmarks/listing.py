"""The register's pages with many revisions: the quotes page, `/quotes.json`, a customer's page and `quote due`.

    python benchmarks/listing.py [--revisions 100000] [--runs 40] [--fill TARGET | --filled TARGET]

Fills a register (SQLite; and PostgreSQL too when PROCURE_TEST_POSTGRES names a server, in a fresh schema
dropped after) with `--revisions` revisions over 97 customers and five years (every fifth quote revised,
every seventh accepted; stored directly, each with a small stand-in file), then times each request
in-process through the Flask test client as a signed-in desk, and `quote due` in-process through click
(the interpreter's start is not the register's work). `--fill TARGET` fills a new register there instead and
keeps it (a PostgreSQL URL's schema must exist); `--filled TARGET` times a register filled before.
Prints p50 and p95 of `--runs` runs each. Goal (issue 31): p95 < 150 ms each.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "request.toml"
PRICES = ROOT / "examples" / "prices-illustrative.csv"
PASSWORD = "bench-password-1"
CUSTOMERS = 97
FILL_BATCH = 1_000
YEARS = 5
"""The revisions are dated over five years up to today, oldest first, each valid 30 days and accepted five days
after its date: a register that grew over years, so that a month's open quotes are a month's."""


def fill(target: str, count: int) -> None:
    """`count` revisions over CUSTOMERS DoDAACs, FILL_BATCH quotes a transaction (PostgreSQL keeps every version
    of the sequence's row that one transaction writes: in one transaction for all, each quote took longer)."""
    import procure
    from procure.core.digest import sha256_hex
    from procure.core.revision import QuotedLine
    from procure.register.records import CustomerVersion, Event, Issued
    from procure.register.stored import utc_now

    line = QuotedLine("STT2309-5", "Gen 2, iovera 309 Smart Tips, 5-pack", "PK", 3, Decimal("1000.00"),
                      Decimal("3000.00"))
    today = datetime.date.today()
    request_bytes, price_bytes = EXAMPLE.read_bytes(), PRICES.read_bytes()
    with procure.open_register(target) as store:
        with store.writing():
            for customer in range(CUSTOMERS):
                store.add_customer(CustomerVersion(f"W91{customer:03d}", f"Facility {customer}", None, None, None,
                                                   (), None, "bench", utc_now()))
        made = 0
        while made < count:
            with store.writing():
                for _ in range(FILL_BATCH):
                    if made >= count:
                        break
                    base = store.next_number(today.year)
                    customer = made % CUSTOMERS
                    for revision in range(2 if made % 5 == 0 else 1):
                        number = base if revision == 0 else f"{base}-R{revision}"
                        if revision:
                            store.add_event(Event(base, "superseded", number, None, None, "bench", utc_now()))
                        store.add(Issued(
                            number=number, base=base, revision=revision, reason=None,
                            facility=f"Facility {customer}", dodaac=f"W91{customer:03d}",
                            date=today - datetime.timedelta(days=(count - made) * YEARS * 365 // count),
                            valid_through=today + datetime.timedelta(days=30 - (count - made) * YEARS * 365 // count),
                            total=Decimal("3000.00"), lines=(line,) * 4, request_name="request.toml",
                            request_bytes=request_bytes, price_list_name=PRICES.name, price_list_bytes=price_bytes,
                            profile_name=None, profile_bytes=None, catalog_version="2024-10-01",
                            catalog_digest="sha256:0", procure_version=procure.__version__, issued_by="bench",
                            issued_at=utc_now()),
                            {".txt": (sha256_hex(number.encode()), number.encode())})
                        made += 1
                    if made % 7 == 0:
                        dated = today - datetime.timedelta(days=(count - made) * YEARS * 365 // count - 5)
                        store.add_event(Event(number, "accepted", None, "SPE2DE26F1234", None, "bench",
                                              datetime.datetime.combine(dated, datetime.time(12), datetime.UTC)))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(name: str, call, runs: int) -> None:
    call()  # warm: templates compiled, connection open
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    p95 = percentile(times, 95) * 1000
    print(f"  {name}: p50 {percentile(times, 50) * 1000:.0f} ms, p95 {p95:.0f} ms (goal < 150 ms) "
          f"{'ok' if p95 < 150 else 'over goal'}", flush=True)


def bench(name: str, target: str, revisions: int, runs: int) -> None:
    from click.testing import CliRunner

    import procure
    from procure.cli import cli
    from procure.register.accounts import add_user, has_users
    from procure.web import create_app

    start = time.perf_counter()
    if revisions:
        fill(target, revisions)
    with procure.open_register(target) as store:
        if not has_users(store):
            add_user(store, "bench", "desk", PASSWORD)
        if store.kind == "postgres":
            store.connection.execute("ANALYZE")
        revisions = store.count()[0]
    print(f"{name}: {revisions:,} revisions filled in {time.perf_counter() - start:.0f} s", flush=True)
    app = create_app(target, prices=str(PRICES), secret_key="bench", testing=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/login", data={"username": "bench", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 303

    def get(path: str):
        def call():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return call

    last_page = revisions // 50
    for path in ("/quotes", f"/quotes?page={last_page}", "/quotes?q=facility+12&page=2", "/quotes.json?page=1",
                 f"/quotes.json?page={last_page // 2}", "/quotes.json?status=accepted&page=3",
                 "/customers/W91012"):
        timed(f"GET {path}", get(path), runs)
    runner = CliRunner()

    def due():
        result = runner.invoke(cli, ["quote", "due", "--register", target])
        assert result.exit_code == 0, result.output

    timed("quote due (in process)", due, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument("--fill", metavar="TARGET", help="Fill this new register, time it and keep it.")
    kept.add_argument("--filled", metavar="TARGET", help="Time this register as it is (filled by an earlier run).")
    args = parser.parse_args()
    if args.fill or args.filled:
        bench("The register", args.fill or args.filled, args.revisions if args.fill else 0, args.runs)
        return
    with tempfile.TemporaryDirectory(prefix="procure-listing-") as folder:
        bench("SQLite", str(Path(folder) / "register.sqlite"), args.revisions, args.runs)
    url = os.environ.get("PROCURE_TEST_POSTGRES")
    if not url:
        print("PostgreSQL: skipped (set PROCURE_TEST_POSTGRES)")
        return
    import psycopg

    schema = f"bench_listing_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        bench("PostgreSQL", url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}",
              args.revisions, args.runs)
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    sys.exit(main())
