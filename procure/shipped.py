"""Where the shipped data folders are: inside the installed package, or at the top of a source checkout."""

import os

PACKAGE = os.path.dirname(__file__)


def shipped_folder(name: str) -> str:
    """`catalog`, `templates` or `examples`: `procure/_<name>` when installed, `<checkout>/<name>` otherwise."""
    installed = os.path.join(PACKAGE, f"_{name}")
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(PACKAGE), name)
