"""What a register target names: an SQLite file, or a PostgreSQL database by URL; and how it is shown.

No target means the file in the user's data folder,
`$XDG_DATA_HOME/procure/register.sqlite` (else `~/.local/share/procure/register.sqlite`).
A target is shown without its password, wherever it is shown.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode

from procure.core.characters import printable
from procure.core.record import Record

SQLITE, POSTGRES = "sqlite", "postgres"
URL_SCHEMES = ("postgresql://", "postgres://")
SECRET_PARAMETERS = {"password", "passfile", "sslpassword"}
RESERVED = ("/", "?", "#", "@")
"""What a URL's user name or password must hold percent-encoded: as they are, they end it."""


class RegisterTarget(Record):
    kind: str
    """`sqlite` or `postgres`."""
    location: str
    """The file path, or the URL as given (with its password)."""
    shown: str
    """How messages name it: the path, or the URL without a password."""
    secrets: tuple[str, ...] = ()
    """Text never to show (the password), scrubbed from a driver's messages."""
    unusable: str | None = None
    """Why the target cannot be used as written, when it cannot (a message that shows no secret)."""

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
    return RegisterTarget(SQLITE, str(path), printable(path))


def _postgres(url: str) -> RegisterTarget:
    """The target of a URL, shown as `scheme://user@host:port/database?options` without any password.

    The URL is split by hand, not by urllib (which reads an unencoded `/ ? # @` in a password as the end of
    the password, and raises on a malformed IPv6 host): the user and password run to the last `@`.
    """
    scheme, _, rest = url.partition("://")
    userinfo, at, place = rest.rpartition("@")
    user, _, password = userinfo.partition(":")
    where, _, query_text = place.partition("?")
    secrets, query = [password, unquote(password)], []
    for key, value in parse_qsl(query_text, keep_blank_values=True):
        if key.lower() in SECRET_PARAMETERS:
            secrets.append(value)
        else:
            query.append((key, value))
    shown = f"{scheme}://{user}{at}{where}" + (f"?{urlencode(query)}" if query else "")
    unusable = None
    if any(ch in userinfo for ch in RESERVED):
        unusable = (f"{shown}: the user name or password in the URL holds one of {' '.join(RESERVED)} as it is: "
                    f"write them as {', '.join(quote(ch, safe='') for ch in RESERVED)}, or keep the password "
                    f"out of the URL (in ~/.pgpass)")
    secret = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
    return RegisterTarget(POSTGRES, url, printable(shown), secret, unusable)
