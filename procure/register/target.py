"""What a register target names: an SQLite file, or a PostgreSQL database by URL; and how it is shown.

No target means the file in the user's data folder,
`$XDG_DATA_HOME/procure/register.sqlite` (else `~/.local/share/procure/register.sqlite`).
A target is shown without its password, wherever it is shown.
"""

import os
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

SQLITE, POSTGRES = "sqlite", "postgres"
URL_SCHEMES = ("postgresql://", "postgres://")
SECRET_PARAMETERS = {"password", "passfile", "sslpassword"}


class RegisterTarget(NamedTuple):
    kind: str
    """`sqlite` or `postgres`."""
    location: str
    """The file path, or the URL as given (with its password)."""
    shown: str
    """How messages name it: the path, or the URL without a password."""
    secrets: tuple[str, ...] = ()
    """Text never to show (the password), scrubbed from a driver's messages."""

    def scrub(self, text: str) -> str:
        """`text` with every secret of the target replaced by `***`."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


def default_path() -> Path:
    """The register file used when none is named."""
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "procure" / "register.sqlite"


def resolve(target: str | os.PathLike | None) -> RegisterTarget:
    """The RegisterTarget of `--register` / PROCURE_REGISTER (None or empty: the default file)."""
    text = os.fspath(target) if target is not None else ""
    if text.lower().startswith(URL_SCHEMES):
        return _postgres(text)
    path = Path(text).expanduser() if text else default_path()
    return RegisterTarget(SQLITE, str(path), str(path))


def _postgres(url: str) -> RegisterTarget:
    parts = urlsplit(url)
    userinfo, _, host = parts.netloc.rpartition("@")
    password = userinfo.partition(":")[2]
    secrets = [password, unquote(password)]
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in SECRET_PARAMETERS:
            secrets.append(value)
        else:
            query.append((key, value))
    user = f"{userinfo.partition(':')[0]}@" if userinfo else ""
    shown = f"{parts.scheme}://{user}{host}{parts.path}" + (f"?{urlencode(query)}" if query else "")
    return RegisterTarget(POSTGRES, url, shown, tuple(sorted({s for s in secrets if s}, key=len, reverse=True)))
