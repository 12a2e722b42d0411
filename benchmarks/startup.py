"""Whole-process timings of procure's commands against a floor of bare imports.

    python benchmarks/startup.py [--runs N]

`plan` is compared with `python -c "import click, tomllib"` (goal: at most 1.5x),
`build` with a script that only imports click, jinja2, openpyxl and reportlab
(goal: at most 1.3x), and with one that also imports the reportlab modules a
PDF needs (platypus, TrueType fonts). Prints the median wall times and ratios.
"""

import argparse
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


def median_seconds(command: list[str], runs: int) -> float:
    # As installed for a user: bytecode cached (pip compiles it at install time).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, check=True, capture_output=True, env=env)  # warm the caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    py = sys.executable
    out = tempfile.mkdtemp(prefix="procure-bench-")
    pairs = [
        ("plan", [py, "-m", "procure", "plan", str(EXAMPLE), "--prices", str(PRICES)],
         [py, "-c", "import click, tomllib"], 1.5),
        ("build", [py, "-m", "procure", "build", str(EXAMPLE), "--prices", str(PRICES), "-o", out, "--force"],
         [py, "-c", "import click, jinja2, openpyxl, reportlab"], 1.3),
        # `import reportlab` alone loads almost nothing; this floor loads the modules a PDF needs.
        ("build", [py, "-m", "procure", "build", str(EXAMPLE), "--prices", str(PRICES), "-o", out, "--force"],
         [py, "-c", "import click, jinja2, openpyxl, reportlab.platypus, reportlab.pdfbase.ttfonts"], 1.3),
    ]
    packing = [py, "-c", "from decimal import Decimal as D; from procure.core.packing import PackOption as P, "
               "choose_packs; choose_packs(2_000_003, [P(7, D('6.50')), P(11, D(10)), P(25, D(23))])"]
    print(f"packs  {median_seconds(packing, runs) * 1000:7.1f} ms   (2,000,003 units from 7/11/25-packs, "
          f"whole process)")
    for name, command, floor, goal in pairs:
        ours, base = median_seconds(command, runs), median_seconds(floor, runs)
        verdict = "ok" if ours / base <= goal else "over goal"
        print(f"{name:6} {ours * 1000:7.1f} ms   floor {base * 1000:7.1f} ms ({floor[-1]})   "
              f"ratio {ours / base:4.2f} (goal <= {goal}) {verdict}")


if __name__ == "__main__":
    main()
