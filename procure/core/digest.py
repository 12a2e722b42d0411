"""Content digests, `sha256:<hex>`: how catalog versions, requests, price lists and issued files are named.

CPython's built-in SHA-256 module is used when it is there: `hashlib` loads
OpenSSL first, which costs every command about 3 ms for a few small digests.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the private modules have no type hints; hashlib's sha256 is the same function
    from hashlib import sha256
else:
    try:
        from _sha256 import sha256  # CPython 3.11
    except ImportError:  # pragma: no cover - other versions and implementations
        try:
            from _sha2 import sha256  # CPython 3.12 and later
        except ImportError:
            from hashlib import sha256


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of `data`."""
    return sha256(data).hexdigest()


def digest(data: bytes) -> str:
    """`sha256:<hex>`, as outputs and JSON name a digest."""
    return "sha256:" + sha256_hex(data)
