"""Timings of `procure batch`, `procure form` and reading a form, against their goals.

    python benchmarks/batch.py [--runs N] [--sizes 50,200] [--jobs N]

- batch of N requests: at most 0.08 x the time of N separate `procure build` runs
  (10 single builds measured, scaled to N); peak memory of the whole process tree
  (parent and workers, resident sizes summed, sampled every 10 ms) at most 300 MB,
  about the same for every N.
- `procure form --from` the example: at most 1.2 x `procure build` of the example.
- `procure check` of a filled form: at most 1.2 x (`procure check` of the TOML
  request + the cost of importing openpyxl).
"""

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "request.toml"
PRICES = ROOT / "examples" / "prices-illustrative.csv"
PY = sys.executable
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PROCURE_CATALOG")}


def procure(*args) -> list[str]:
    return [PY, "-m", "procure", *map(str, args)]


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of the process tree of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.01)
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return elapsed, peak


def median_seconds(command: list[str], runs: int) -> float:
    subprocess.run(command, capture_output=True, env=ENV)  # warm the caches
    return statistics.median(timed(command)[0] for _ in range(runs))


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError):
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        todo += children.get(current, [])
    return total


def requests_folder(base: Path, count: int) -> Path:
    """`count` requests like the example, each with its own quote number and number of procedures."""
    folder = base / f"inbox-{count}"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(count):
        body = text.replace("Q-2026-0001", f"Q-2026-{i:04d}").replace("procedures = 40", f"procedures = {10 + i}")
        (folder / f"r{i:04d}.toml").write_text(body, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="50,200")
    parser.add_argument("--jobs", type=int, default=None)
    options = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="procure-bench-"))
    out = base / "out"

    single = median_seconds(procure("build", EXAMPLE, "--prices", PRICES, "-o", out, "--force"), 10)
    print(f"build  {single * 1000:7.1f} ms   one `procure build` of the example (median of 10)")
    for count in map(int, options.sizes.split(",")):
        folder = requests_folder(base, count)
        jobs = ["--jobs", options.jobs] if options.jobs else []
        seconds, peak = timed(procure("batch", folder, "-o", base / f"batch-{count}", "--prices", PRICES, *jobs))
        ratio = seconds / (single * count)
        print(f"batch  {seconds:7.2f} s    {count} requests ({seconds / count * 1000:.1f} ms each); "
              f"{count} builds ~{single * count:.1f} s; ratio {ratio:.3f} (goal <= 0.08) "
              f"{'ok' if ratio <= 0.08 else 'over goal'}; peak memory {peak / 2**20:.0f} MB (goal <= 300) "
              f"{'ok' if peak <= 300 * 2**20 else 'over goal'}")

    form = base / "form.xlsx"
    form_time = median_seconds(procure("form", "-o", form, "--from", EXAMPLE, "--force"), options.runs)
    build = median_seconds(procure("build", EXAMPLE, "--prices", PRICES, "-o", out, "--force"), options.runs)
    ratio = form_time / build
    print(f"form   {form_time * 1000:7.1f} ms   build {build * 1000:.1f} ms; ratio {ratio:.2f} (goal <= 1.2) "
          f"{'ok' if ratio <= 1.2 else 'over goal'}")

    check_form = median_seconds(procure("check", form), options.runs)
    check_toml = median_seconds(procure("check", EXAMPLE), options.runs)
    openpyxl = median_seconds([PY, "-c", "import openpyxl"], options.runs) - median_seconds([PY, "-c", "pass"],
                                                                                            options.runs)
    ratio = check_form / (check_toml + openpyxl)
    print(f"read   {check_form * 1000:7.1f} ms   `check` of the form; of the TOML {check_toml * 1000:.1f} ms + "
          f"import openpyxl {openpyxl * 1000:.1f} ms; ratio {ratio:.2f} (goal <= 1.2) "
          f"{'ok' if ratio <= 1.2 else 'over goal'}")


if __name__ == "__main__":
    main()
