"""Timings of the installed `procure batch`, `procure form` and reading a form, against their goals.

    python benchmarks/batch.py [--runs N] [--sizes 50,200] [--jobs N]

Runs the `procure` of a non-editable install (benchmarks/installed.py), with the user cache warmed first.
- batch of N requests: at most 1.25 x N x W / C wall time, with W the median time of one warm build in-process
  through the Python API (`build_order` + `write_outputs` of the example, catalog and price list loaded once)
  and C the cores used (a yardstick that start-up savings do not move), W measured just before and just after
  each batch (the machine's load drifts); the first batch is also run once with an empty user cache. Peak
  memory of the whole process tree (parent and workers, resident sizes summed, sampled every 10 ms in a run of
  its own, not the timed one) at most 300 MB, about the same for every N.
- `procure form --from` the example: at most 1.2 x `procure build` of the example.
- `procure check` of a filled form: at most 1.2 x (`procure check` of the TOML
  request + the cost of importing openpyxl).
The batch lines, with their ratios and goals, come last.
"""

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from installed import EXAMPLE, PRICES, Installed, installed, paired, verdict

WARM_BUILD = """
import statistics, sys, tempfile, time
import procure
catalog, prices = procure.shipped_catalog(), procure.read_price_list(sys.argv[1])
request = procure.read_request(sys.argv[2])
out = tempfile.mkdtemp()
times = []
for _ in range(int(sys.argv[3]) + 3):
    start = time.perf_counter()
    procure.write_outputs(procure.build_order(request, catalog, prices=prices), out, force=True)
    times.append(time.perf_counter() - start)
print(statistics.median(times[3:]))
"""
"""Prints W: the median seconds of a warm build in-process (three warm-up builds first)."""


def timed(at: Installed, command: list, env: dict[str, str] | None = None) -> float:
    """Wall seconds of `command`, with nothing else of ours running beside it."""
    start = time.perf_counter()
    code = subprocess.run(list(map(str, command)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          env=env or at.env, cwd=at.work, check=False).returncode
    elapsed = time.perf_counter() - start
    _exited(command, code)
    return elapsed


def peak_memory(at: Installed, command: list) -> int:
    """Peak resident memory (bytes) of the process tree of `command`, sampled every 10 ms: a run of its own,
    because reading /proc that often takes a share of the cores the timed run must have to itself."""
    process = subprocess.Popen(list(map(str, command)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=at.env, cwd=at.work)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.01)
    _exited(command, process.returncode)
    return peak


def _exited(command: list, code: int) -> None:
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(map(str, command))} exited {code}")


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
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", default="50,200")
    parser.add_argument("--jobs", type=int, default=None)
    options = parser.parse_args()
    at = installed()
    out = at.work / "out"
    build = [at.procure, "build", EXAMPLE, "--prices", PRICES, "-o", out, "--force"]
    at.run(build)  # warm the template cache

    form = at.work / "form.xlsx"
    form_time, build_time = paired(lambda: at.run([at.procure, "form", "-o", form, "--from", EXAMPLE, "--force"]),
                                   lambda: at.run(build), options.runs)
    ratio = form_time / build_time
    print(f"form   {form_time * 1000:7.1f} ms   build {build_time * 1000:.1f} ms; ratio {ratio:.2f} (goal <= 1.2) "
          f"{verdict(ratio <= 1.2)}")
    check_form, check_toml = paired(lambda: at.run([at.procure, "check", form]),
                                    lambda: at.run([at.procure, "check", EXAMPLE]), options.runs)
    with_openpyxl, bare = paired(lambda: at.run([at.python, "-c", "import openpyxl"]),
                                 lambda: at.run([at.python, "-c", "pass"]), options.runs)
    ratio = check_form / (check_toml + with_openpyxl - bare)
    print(f"read   {check_form * 1000:7.1f} ms   `check` of the form; of the TOML {check_toml * 1000:.1f} ms + "
          f"import openpyxl {(with_openpyxl - bare) * 1000:.1f} ms; ratio {ratio:.2f} (goal <= 1.2) "
          f"{verdict(ratio <= 1.2)}")

    cores = min(options.jobs or os.cpu_count() or 1, os.cpu_count() or 1)
    jobs = ["--jobs", options.jobs] if options.jobs else []
    for number, count in enumerate(map(int, options.sizes.split(","))):
        folder = requests_folder(at.work, count)
        command = [at.procure, "batch", folder, "-o", at.work / f"batch-{count}", "--prices", PRICES, *jobs]
        cold = f"; cold cache {timed(at, command, at.cold()):.2f} s" if number == 0 else ""
        before = warm_build(at, options.runs)
        seconds = timed(at, [*command, "--force"])
        peak = peak_memory(at, [*command, "--force"])
        warm = statistics.median([before, warm_build(at, options.runs)])
        goal = 1.25 * count * warm / cores
        print(f"batch  {seconds:7.2f} s    {count} requests ({seconds / count * 1000:.1f} ms each{cold}); "
              f"W {warm * 1000:.1f} ms (just before and after), C = {cores} cores: goal <= 1.25 x {count} x W / C "
              f"= {goal:.2f} s, ratio {seconds / (count * warm / cores):.2f} (goal <= 1.25) "
              f"{verdict(seconds <= goal)}; peak memory {peak / 2**20:.0f} MB (goal <= 300) "
              f"{verdict(peak <= 300 * 2**20)}")


def warm_build(at: Installed, runs: int) -> float:
    """W: the median seconds of one warm build in-process through the Python API of the installed procure."""
    return float(subprocess.run([at.python, "-c", WARM_BUILD, str(PRICES), str(EXAMPLE), str(runs * 3)],
                                check=True, capture_output=True, text=True, env=at.env, cwd=at.work).stdout)

if __name__ == "__main__":
    main()
