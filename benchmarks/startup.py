"""Whole-process timings of the installed procure's commands against a floor of bare imports.

    python benchmarks/startup.py [--runs N]

Runs the `procure` of a non-editable install (benchmarks/installed.py), our command and its floor in turns:
`plan` against `python -c "import click, tomllib"` (goal: at most 1.25x), `build` against
`python -c "import click, jinja2, openpyxl, reportlab.platypus"` (goal: at most 1.15x). The user cache
(compiled templates) is warm for the ratios; the cold figure beside them is a first run with an empty one.
Prints the median wall times, and the ratios and goals on the last lines.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from installed import EXAMPLE, PRICES, installed, paired, verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    at = installed()
    out = at.work / "out"
    py = at.python
    packing = [py, "-c", "from decimal import Decimal as D; from procure.core.packing import PackOption as P, "
               "choose_packs; choose_packs(2_000_003, [P(7, D('6.50')), P(11, D(10)), P(25, D(23))])"]
    packs, _ = paired(lambda: at.run(packing), lambda: 0.0, max(3, runs // 3))
    print(f"packs  {packs * 1000:7.1f} ms   (2,000,003 units from 7/11/25-packs, whole process)")
    pairs = [
        ("plan", [at.procure, "plan", EXAMPLE, "--prices", PRICES], "import click, tomllib", 1.25),
        ("build", [at.procure, "build", EXAMPLE, "--prices", PRICES, "-o", out, "--force"],
         "import click, jinja2, openpyxl, reportlab.platypus", 1.15),
    ]
    lines = []
    for name, command, floor, goal in pairs:
        ours, base = paired(lambda c=command: at.run(c), lambda f=floor: at.run([py, "-c", f]), runs)
        cold, _ = paired(lambda c=command: at.run(c, at.cold()), lambda: 0.0, max(3, runs // 3))
        ratio = ours / base
        lines.append(f"{name:6} {ours * 1000:7.1f} ms (cold cache {cold * 1000:6.1f} ms)   floor "
                     f"{base * 1000:7.1f} ms (python -c \"{floor}\")   ratio {ratio:4.2f} (goal <= {goal}) "
                     f"{verdict(ratio <= goal)}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
