"""Uploaded files, read in memory through the same readers as the command line; nothing is written to disk.

A file the browser sends (`request`, `prices`) is read whole from the upload; a
file carried from one step to the next (a checked request issued a moment later)
is kept in the register (`procure.register.carried`) and the page carries only its
reference, in `<field>_ref`. What a quote is made of becomes the same `Source`
that `procure quote issue` stores.
"""

from pathlib import Path

from flask import g, request

from procure.core.characters import printable
from procure.core.errors import RegisterReadOnly
from procure.core.prices import PriceList, price_list_of_bytes
from procure.core.record import Record
from procure.core.request import Directory
from procure.inputs import request_of_bytes
from procure.register.issuing import Source
from procure.web.settings import Settings


class Upload(Record):
    name: str
    """The file's name without its folder, as the user's computer called it."""
    data: bytes


def upload(field: str) -> Upload | None:
    """The file sent in `field`, else the one carried by reference in `<field>_ref`; None when there is neither
    (or the reference is another user's, or too old)."""
    from procure.register.carried import fetch
    from procure.web.db import store

    sent = request.files.get(field)
    if sent is not None and sent.filename:
        return Upload(file_name(sent.filename), sent.read())
    kept = fetch(store(), g.user.name, request.form.get(f"{field}_ref", ""))
    return Upload(*kept) if kept else None


def carry(file: Upload) -> str:
    """The reference under which `file` is kept for the page's next step (kept once per request)."""
    from procure.register.carried import keep
    from procure.web.db import store

    refs = g.setdefault("carried", {})
    if id(file) not in refs:
        try:
            refs[id(file)] = keep(store(), g.user.name, file.name, file.data)
        except RegisterReadOnly:
            refs[id(file)] = ""  # a register to browse only: nothing can be issued from it anyway
    return refs[id(file)]


def file_name(filename: str) -> str:
    """The name of an uploaded file without any folder the browser sent."""
    return printable(Path(filename.replace("\\", "/")).name or "upload")[:120]


def source_of(request_file: Upload, prices: Upload | None, settings: Settings,
              directory: Directory | None = None) -> Source:
    """What a quote is made of: the request (one naming only a DoDAAC completed from the register's
    `directory`, as `quote issue` does), the price list uploaded (else the desk's), the desk's profile."""
    parsed = request_of_bytes(request_file.data, request_file.name, directory=directory)
    price_list: PriceList | None
    price_bytes: bytes | None
    if prices is not None:
        price_list, price_bytes = price_list_of_bytes(prices.data, prices.name), prices.data
    else:
        price_list, price_bytes = settings.prices, settings.prices_bytes
    return Source(request=parsed, request_bytes=request_file.data, prices=price_list,
                  price_list_name=price_list.name if price_list else None, price_list_bytes=price_bytes,
                  profile=settings.profile, profile_name=settings.profile_name, profile_bytes=settings.profile_bytes)
