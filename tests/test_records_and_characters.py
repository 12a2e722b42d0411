"""The two start-up shortcuts of the core behave as what they replace: `Record` as a typing.NamedTuple, and
`characters` (no regular expression) as the character classes it is defined by."""

import copy
import pickle
import re
from decimal import Decimal
from typing import NamedTuple

import pytest
from hypothesis import given, strategies as st

from procure.core.characters import LINE_BREAKS, forbidden, xml_text
from procure.core.record import Record


class Line(Record):
    part: str
    quantity: int
    price: Decimal | None = None
    """A docstring after a field, as records have them."""


class LineTuple(NamedTuple):
    part: str
    quantity: int
    price: Decimal | None = None


def test_a_record_is_made_read_and_compared_as_a_named_tuple_is():
    for args, kwargs in [(("A", 2), {}), (("A",), {"quantity": 2}), ((), {"part": "A", "quantity": 2,
                                                                         "price": Decimal("1.50")})]:
        record, named = Line(*args, **kwargs), LineTuple(*args, **kwargs)
        assert record == named and hash(record) == hash(named) and tuple(record) == tuple(named)
        assert record._asdict() == named._asdict()
        assert record._replace(quantity=5) == named._replace(quantity=5)
        assert repr(record) == repr(named).replace("LineTuple", "Line")
        assert (record.part, record.quantity, record.price) == (named.part, named.quantity, named.price)
    assert Line._fields == LineTuple._fields == ("part", "quantity", "price")


def test_a_record_survives_pickle_and_copy_and_cannot_be_changed():
    record = Line("A", 2, Decimal("3.10"))
    assert pickle.loads(pickle.dumps(record)) == record
    assert type(copy.deepcopy(record)) is Line and copy.deepcopy(record) == record
    with pytest.raises(AttributeError):
        record.part = "B"  # type: ignore[misc]
    assert not hasattr(record, "__dict__")


@pytest.mark.parametrize(("args", "kwargs"), [((), {}), (("A",), {}), (("A", 1, None, 4), {}),
                                              (("A", 1), {"part": "B"}), (("A", 1), {"colour": "red"})])
def test_a_record_made_wrong_is_refused_as_a_named_tuple_refuses_it(args, kwargs):
    with pytest.raises(TypeError):
        LineTuple(*args, **kwargs)
    with pytest.raises(TypeError):
        Line(*args, **kwargs)


def test_replacing_a_field_a_record_has_not_is_refused():
    with pytest.raises(ValueError, match="colour"):
        Line("A", 1)._replace(colour="red")


FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TEXT = st.text(st.one_of(st.characters(codec=None), st.sampled_from("\t\n\r\x1b\x85\xa0\u2028\ufffe\uffff\ud800")))


@given(TEXT, st.sampled_from(["", LINE_BREAKS]))
def test_forbidden_finds_the_first_control_character_surrogate_or_noncharacter(text, allowed):
    expected = next((m.group() for m in FORBIDDEN.finditer(text) if m.group() not in allowed), None)
    assert forbidden(text, allowed) == expected


@given(TEXT)
def test_xml_text_removes_exactly_what_xml_cannot_hold(text):
    assert xml_text(text) == XML_FORBIDDEN.sub("", text)
