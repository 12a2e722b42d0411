"""The process entry of `procure` and `python -m procure`: the collector set for the command, then the command line.

A short command is an import-heavy process that allocates many objects and frees few, so its collector's young
generation is made 200,000 objects before click and procure's modules are imported: at the interpreter's 700,
importing click alone is collected twenty times (2 ms of `plan`); at 50,000 a build spent 10 ms collecting
everything reportlab and openpyxl had loaded; at 200,000 none of that happens, and a build of 10,000 treatments
peaks at the same memory. A command that runs for hours (`serve`) keeps the interpreter's own thresholds, and so
does any process that only imports `procure.cli`.
"""

import gc
import sys

SHORT_COMMAND_GC = (200_000, 50, 100)
LONG_RUNNING = ("serve",)
"""Commands whose objects live for hours. An argument that only looks like one (a file named `serve`) costs a
short command its speed, never a server its collector."""


def main() -> None:
    if not set(LONG_RUNNING) & set(sys.argv[1:]):
        gc.set_threshold(*SHORT_COMMAND_GC)
    from procure.cli import main as command_line

    command_line()


if __name__ == "__main__":
    main()
