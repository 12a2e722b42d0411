"""Whole-process timings of the quote register against the commands it is measured by.

    python benchmarks/register.py [--runs N] [--register TARGET]

`quote issue` of the example request (undated, unnumbered: the register numbers it,
dated today) is compared with `procure build` of the same request (goal: at most
1.15x); `quote list --json` of a register of 10,000 revisions with
`procure catalog versions` (goal: at most 1.5x). Both on SQLite unless
--register names another target (a fresh, empty PostgreSQL schema, say).
Prints the median wall times and ratios.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "request.toml"
PRICES = ROOT / "examples" / "prices-illustrative.csv"
REVISIONS = 10_000


def median_seconds(ours, floor, runs: int) -> tuple[float, float, float, float]:
    """The median and the least wall times of `ours(i)` and `floor(i)`, run in turns (one warm-up each first),
    so that the load other programs put on the machine falls on both alike."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PROCURE_REGISTER")}
    times = ([], [])
    for i in range(runs + 1):
        for command, found in zip((ours, floor), times, strict=True):
            start = time.perf_counter()
            subprocess.run(command(i), check=True, capture_output=True, env=env)
            if i:
                found.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1]), min(times[0]), min(times[1])


def fill(target: str, count: int) -> None:
    """`count` revisions (every fifth quote revised once, every seventh accepted), stored directly, each with
    the example request and price list as its inputs (the files themselves are stand-ins)."""
    import procure
    from procure.core.revision import QuotedLine
    from procure.register.records import Event, Issued
    from procure.register.stored import utc_now

    line = QuotedLine("STT2309-5", "Gen 2, iovera 309 Smart Tips, 5-pack", "PK", 3, Decimal("1000.00"),
                      Decimal("3000.00"))
    today = datetime.date.today()
    request_bytes, price_bytes = EXAMPLE.read_bytes(), PRICES.read_bytes()
    with procure.open_register(target) as store, store.writing():
        made = 0
        while made < count:
            base = store.next_number(today.year)
            for revision in range(2 if made % 5 == 0 else 1):
                number = base if revision == 0 else f"{base}-R{revision}"
                if revision:
                    store.add_event(Event(base, "superseded", number, None, None, "bench", utc_now()))
                store.add(Issued(number=number, base=base, revision=revision, reason=None,
                                 facility=f"Facility {made % 97}", dodaac="W91ABC", date=today,
                                 valid_through=today + datetime.timedelta(days=30), total=Decimal("3000.00"),
                                 lines=(line,) * 4, request_name="request.toml", request_bytes=request_bytes,
                                 price_list_name=PRICES.name, price_list_bytes=price_bytes, profile_name=None,
                                 profile_bytes=None,
                                 catalog_version="2024-10-01",
                                 catalog_digest="sha256:0", procure_version=procure.__version__,
                                 issued_by="bench", issued_at=utc_now()),
                          {s: (f"{number}{s}", number.encode()) for s in (".xlsx", ".pdf", ".txt")})
                made += 1
            if made % 7 == 0:
                store.add_event(Event(number, "accepted", None, "SPE2DE26F1234", None, "bench", utc_now()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--register", help="A register target to use instead of new SQLite files.")
    args = parser.parse_args()
    py, work = sys.executable, Path(tempfile.mkdtemp(prefix="procure-bench-register-"))
    request = work / "request.toml"
    request.write_text("".join(line for line in EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith(("number =", "date ="))), encoding="utf-8")
    issue_register = args.register or str(work / "issue.sqlite")
    procure_ = [py, "-m", "procure"]
    issue = median_seconds(
        lambda i: [*procure_, "quote", "issue", request, "--prices", PRICES, "-o", work / f"i{i}",
                   "--register", issue_register],
        lambda i: [*procure_, "build", request, "--prices", PRICES, "-o", work / f"b{i}"], args.runs)
    report("quote issue", "build", issue, 1.15)

    list_register = args.register or str(work / "list.sqlite")
    fill(list_register, REVISIONS)
    listing = median_seconds(
        lambda i: [*procure_, "quote", "list", "--json", "--register", list_register],
        lambda i: [*procure_, "catalog", "versions"], args.runs)
    report(f"quote list --json ({REVISIONS:,} revisions)", "catalog versions", listing, 1.5)


def report(name: str, floor_name: str, times: tuple, goal: float) -> None:
    ours, floor, least, least_floor = times
    verdict = "ok" if ours / floor <= goal else "over goal"
    print(f"{name:38} {ours * 1000:7.1f} ms   {floor_name} {floor * 1000:7.1f} ms   ratio {ours / floor:4.2f} "
          f"(goal <= {goal}) {verdict}; fastest runs {least * 1000:.1f} / {least_floor * 1000:.1f} ms, "
          f"ratio {least / least_floor:4.2f}")


if __name__ == "__main__":
    main()
