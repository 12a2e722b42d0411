"""procure as a user installs it, for the benchmarks: a non-editable install in a temporary virtual environment.

    python benchmarks/installed.py      # makes (or finds) the environment and prints its folder

`installed()` installs this checkout (`pip install <repo>`, so pip compiles the bytecode as for a user) into a
venv in the temporary folder, named by the git HEAD and a digest of uncommitted changes (outside benchmarks/),
and reuses it while they stay the same (older ones stay there, about 70 MB each: `rm -rf
/tmp/procure-bench-venv-*` when no benchmark runs). The benchmarks run its `procure` and its `python` (for the
floors), never `python -m procure` from the checkout (which would import ./procure). `paired` times our command and its
floor in turns, run by run, so the load other programs put on the machine falls on both alike.
"""

import hashlib
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


class Installed:
    """The installed `procure` and `python`, and the environment to run them in (warm template cache)."""

    def __init__(self, venv: Path):
        self.venv = venv
        self.procure = str(venv / "bin" / "procure")
        self.python = str(venv / "bin" / "python")
        self.work = Path(tempfile.mkdtemp(prefix="procure-bench-"))
        """The current folder of every run (no ./procure.toml or ./procure package to pick up)."""
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("PYTHONDONTWRITEBYTECODE", "PROCURE_CATALOG", "PROCURE_PROFILE", "PYTHONPATH")}
        self.env["XDG_CACHE_HOME"] = str(self.work / "cache")

    def cold(self) -> dict[str, str]:
        """An environment whose user cache folder is new and empty (nothing compiled or parsed yet)."""
        return {**self.env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cold-", dir=self.work)}

    def run(self, command: list, env: dict[str, str] | None = None) -> float:
        """Wall seconds of one run of `command` (which must succeed)."""
        start = time.perf_counter()
        subprocess.run(list(map(str, command)), check=True, capture_output=True, env=env or self.env, cwd=self.work)
        return time.perf_counter() - start


def installed() -> Installed:
    """The environment for this checkout's HEAD and uncommitted changes, made on first use."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    changes = subprocess.run([*git, "diff", "HEAD", "--", ".", ":!benchmarks"], capture_output=True, check=True).stdout
    key = f"{head[:12]}-{hashlib.sha256(changes).hexdigest()[:8]}"
    venv = Path(tempfile.gettempdir()) / f"procure-bench-venv-{key}"
    if not (venv / "installed").exists():
        print(f"installing procure {key} into {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(ROOT)], check=True)
        (venv / "installed").write_text(key)
    return Installed(venv)


def paired(ours, floor, runs: int) -> tuple[float, float]:
    """The median seconds of `ours()` and `floor()` (each returning one run's seconds), run in turns after one
    warm-up each."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(runs + 1):
        for run, found in zip((ours, floor), times, strict=True):
            seconds = run()
            if i:
                found.append(seconds)
    return statistics.median(times[0]), statistics.median(times[1])


def verdict(ok: bool) -> str:
    return "ok" if ok else "over goal"


def main() -> None:
    print(installed().venv)


if __name__ == "__main__":
    main()
