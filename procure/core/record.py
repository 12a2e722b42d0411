"""`Record`: the immutable named tuple every record of procure is, declared as a `typing.NamedTuple` is.

    class Part(Record):
        part: str
        unit_price: Decimal | None = None
        \"""Attribute docstrings as usual.\"""

A record is a tuple (equality, hashing, unpacking, pickling) with one read-only
attribute per annotated field, `_fields`, `_replace` and `_asdict`, and type
checkers read its fields and constructor from the annotations
(`dataclass_transform`). It exists for start-up time: `typing.NamedTuple`
compiles a constructor for every class (about 100 microseconds each, and a
command loads dozens), where a record class shares one constructor.
"""

import operator
from typing import Any, ClassVar, Literal, TypeVar, dataclass_transform

_R = TypeVar("_R", bound="Record")
_MISSING: Any = object()


class _RecordType(type):
    """Turns the annotations of a record class into its fields: a read-only attribute each, in order."""

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> "_RecordType":
        if bases != (tuple,):
            fields = tuple(namespace.get("__annotations__", {}))
            namespace["_defaults"] = {field: namespace.pop(field) for field in fields if field in namespace}
            namespace["_fields"] = fields
            namespace["_places"] = {field: place for place, field in enumerate(fields)}
            defaults = namespace["_defaults"]
            namespace["_tails"] = tuple(tuple(defaults[field] for field in fields[given:])
                                        if all(field in defaults for field in fields[given:]) else None
                                        for given in range(len(fields) + 1))
            namespace["__match_args__"] = fields
            for place, field in enumerate(fields):
                namespace[field] = property(operator.itemgetter(place), doc=f"Alias for field number {place}")
        namespace["__slots__"] = ()
        return super().__new__(mcls, name, bases, namespace)


@dataclass_transform(frozen_default=True)
class Record(tuple[Any, ...], metaclass=_RecordType):
    """The base of a record class (see the module's docstring); never made itself."""

    _fields: ClassVar[tuple[str, ...]]
    _defaults: ClassVar[dict[str, Any]]
    _places: ClassVar[dict[str, int]]
    _tails: ClassVar[tuple[tuple[Any, ...] | None, ...]]
    """By the number of fields given in order, the defaults of the rest (None when one of them has none)."""

    def __new__(cls: type[_R], *args: Any, **kwargs: Any) -> _R:
        fields = cls._fields
        if not kwargs and len(args) <= len(fields):
            tail = cls._tails[len(args)]
            if tail is not None:
                return tuple.__new__(cls, args + tail)
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__} takes {len(fields)} fields, not {len(args)}")
        values = [*args, *[_MISSING] * (len(fields) - len(args))]
        for field, value in kwargs.items():
            place = cls._places.get(field)
            if place is None or values[place] is not _MISSING:
                raise TypeError(f"{cls.__name__}: unexpected or repeated field {field!r}")
            values[place] = value
        for place, value in enumerate(values):
            if value is _MISSING:
                if fields[place] not in cls._defaults:
                    raise TypeError(f"{cls.__name__}: field {fields[place]!r} is required")
                values[place] = cls._defaults[fields[place]]
        return tuple.__new__(cls, values)

    def _replace(self: _R, **changes: Any) -> _R:
        """A copy with the given fields changed."""
        unknown = changes.keys() - self._places.keys()
        if unknown:
            raise ValueError(f"{type(self).__name__} has no field {', '.join(map(repr, sorted(unknown)))}")
        return tuple.__new__(type(self), [changes.get(field, value) for field, value in zip(self._fields, self,
                                                                                             strict=True)])

    def _asdict(self) -> dict[str, Any]:
        """The fields by name, in order."""
        return dict(zip(self._fields, self, strict=True))

    def __bool__(self) -> Literal[True]:
        """Always true, as a named tuple with fields is (so `a and a.x` reads as it does for one)."""
        return True

    def __getnewargs__(self) -> tuple[Any, ...]:
        return tuple(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={v!r}' for f, v in zip(self._fields, self, strict=True))})"
