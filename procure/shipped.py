"""Where the shipped data folders are: inside the installed package, or at the top of a source checkout."""

from pathlib import Path

PACKAGE = Path(__file__).parent


def shipped_folder(name: str) -> Path:
    """`catalog` or `templates`: `procure/_<name>` when installed, `<checkout>/<name>` otherwise."""
    installed = PACKAGE / f"_{name}"
    return installed if installed.is_dir() else PACKAGE.parent / name
