"""The Python API's arguments checked on the way in: a wrong type is a ProcureError naming the argument.

The Python API promises (docs/python-api.md) that the API raises only `procure.ProcureError`; without
these checks a wrong type (`prices="prices.csv"`, `render(None)`) would fail
deep inside with an AttributeError. Each public function checks its own
arguments with `expect` before it does anything.
"""

import datetime
import os

from procure.core.errors import InputError

FilePath = str | os.PathLike[str]
"""A file or folder path as the API takes one: text, or a `pathlib.Path` (the core itself works on text, so that
a command that only reads a request never loads pathlib)."""
Kind = tuple[tuple[type, ...], str]
"""The types an argument may have, and how a message describes them."""
PATH: Kind = ((str, os.PathLike), "a file or folder path (str or pathlib.Path)")
TEXT: Kind = ((str,), "text (str)")
BYTES: Kind = ((bytes, bytearray, memoryview), "bytes")
FLAG: Kind = ((bool,), "True or False")
DATE: Kind = ((datetime.date,), "a datetime.date")


def kind(cls: type, description: str) -> Kind:
    """A kind of argument: instances of `cls`, described in messages as `description`."""
    return (cls,), description


def expect(function: str, name: str, value: object, kind_: Kind, *, optional: bool = True) -> None:
    """InputError `build_order: prices must be a PriceList (procure.read_price_list) or None, not str` unless
    `value` is of `kind_` (or None, when `optional`)."""
    types, description = kind_
    if value is None and optional:
        return
    if isinstance(value, types):
        return
    shown = type(value).__name__
    raise InputError(f"{function}: {name} must be {description}{' or None' if optional else ''}, not {shown}")
