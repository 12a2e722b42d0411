"""Build time of large plans: one line for the goal, one for how the time grows.

    python benchmarks/scaling.py [--runs N]

Writes requests of many treatments (and explicit lines) and times the installed `procure build` of each as a
whole process (benchmarks/installed.py; median of N runs after a warm-up run, so compiled templates are cached;
the 10,000 build once more with an empty user cache), then the time each renderer takes in-process for the
2,000 + 1,000 plan.
Goals: 2,000 treatments and 1,000 explicit lines build in under 2 s (issue 18), 10,000 treatments in under 3 s
(issue 31; 6 s in issue 18), and the time per treatment from 1,000 to 10,000 grows by less than 1.3x (linear time).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from installed import PRICES, Installed, installed

NERVES = (["AFCN", "ISN-S", "ISN-I"], ["SLGN", "SMGN", "IMGN"], ["AFCN"])
PARTS = ("IST2221", "STT2309-5", "STT2190-5", "CRX2111-10")


def request_text(treatments: int, lines: int) -> str:
    """A Gen 2 request of `treatments` treatments and `lines` explicit lines."""
    text = ['[quote]\nnumber = "BENCH"\ndate = 2026-01-15\n\n[customer]\nfacility = "Benchmark Clinic"\n'
            'dodaac = "W91ABC"\n\n[equipment]\ninstalled = ["IST2221"]\n']
    for i in range(treatments):
        nerves = ", ".join(f'"{n}"' for n in NERVES[i % len(NERVES)])
        text.append(f'\n[[treatment]]\nname = "Treatment {i + 1}"\nprocedures = {i % 50 + 1}\nnerves = [{nerves}]\n')
    for i in range(lines):
        text.append(f'\n[[line]]\npart = "{PARTS[i % len(PARTS)]}"\nquantity = {i % 9 + 1}\n')
    return "".join(text)


def build_command(at: Installed, treatments: int, lines: int) -> list:
    request = at.work / f"r-{treatments}-{lines}.toml"
    request.write_text(request_text(treatments, lines), encoding="utf-8")
    return [at.procure, "build", request, "--prices", PRICES, "-o", at.work / "out", "--force"]


def build_seconds(at: Installed, treatments: int, lines: int, runs: int) -> float:
    command = build_command(at, treatments, lines)
    at.run(command)  # warm-up
    return statistics.median(at.run(command) for _ in range(runs))


def renderer_seconds(treatments: int, lines: int) -> dict[str, float]:
    """Seconds each renderer takes in-process for one plan."""
    import procure
    from procure.renderers.outputs import RENDERERS

    order = procure.build_order(procure.read_request(text=request_text(treatments, lines)),
                                procure.shipped_catalog(), prices=procure.read_price_list(PRICES))
    found = {}
    for suffix, renderer in RENDERERS.items():
        start = time.perf_counter()
        renderer(order, None)
        found[suffix] = time.perf_counter() - start
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    at = installed()
    mixed = build_seconds(at, 2000, 1000, runs)
    sizes = (1000, 10000)
    times = [build_seconds(at, n, 0, runs) for n in sizes]
    cold = at.run(build_command(at, sizes[1], 0), at.cold())
    growth = (times[1] / sizes[1]) / (times[0] / sizes[0])
    print("build  " + "   ".join(f"{n:,} treatments {t:5.2f} s" for n, t in zip(sizes, times, strict=True))
          + f"   (10,000 with a cold cache {cold:5.2f} s)")
    parts = renderer_seconds(2000, 1000)
    print("render 2,000 + 1,000 in-process   " + "   ".join(f"{s} {t:5.2f} s" for s, t in parts.items()))
    print(f"goal   2,000 treatments + 1,000 lines {mixed:6.2f} s (< 2 s)  {'ok' if mixed < 2 else 'over goal'}")
    print(f"goal   10,000 treatments {times[1]:6.2f} s (< 3 s)  {'ok' if times[1] < 3 else 'over goal'}")
    print(f"goal   time per treatment 10,000 / 1,000: {growth:.2f}x (< 1.3x)  {'ok' if growth < 1.3 else 'over goal'}")


if __name__ == "__main__":
    main()
