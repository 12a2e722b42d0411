"""Money: Decimal only, half-up to the cent, `$1,234.56` on outputs, prices in whole cents."""

from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from procure.core.money import extended, format_money, json_money, parse_price, to_cents, total

from conftest import examples


@pytest.mark.parametrize("amount, text", [
    ("1234.56", "$1,234.56"),
    ("0", "$0.00"),
    ("0.00", "$0.00"),
    ("-5", "-$5.00"),
    ("17982.75", "$17,982.75"),
    ("1234567.891", "$1,234,567.89"),
    ("0.005", "$0.01"),       # half up, not half even
    ("0.015", "$0.02"),
    ("0.025", "$0.03"),       # banker's rounding would give $0.02
    ("2.675", "$2.68"),
    ("0.004", "$0.00"),
    ("-0.004", "$0.00"),      # never "-$0.00"
    ("999.995", "$1,000.00"),
])
def test_format_money(amount, text):
    assert format_money(Decimal(amount)) == text


def test_to_cents_rounds_half_up():
    assert to_cents(Decimal("0.125")) == Decimal("0.13")
    assert to_cents(Decimal("0.135")) == Decimal("0.14")
    assert str(to_cents(Decimal("7"))) == "7.00"


@pytest.mark.parametrize("unit, quantity, expected", [
    ("19.99", 3, "59.97"),
    ("1234.50", 8, "9876.00"),
    ("0.01", 0, "0.00"),
    ("0.125", 1, "0.13"),   # rounding is applied to the extended price
    ("3.333", 3, "10.00"),  # 9.999 -> 10.00, not 3 x 3.33
])
def test_extended(unit, quantity, expected):
    result = extended(Decimal(unit), quantity)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_total_of_nothing_is_zero_with_cents():
    assert str(total([])) == "0.00"


def test_json_money():
    assert json_money(Decimal("5")) == "5.00"
    assert json_money(Decimal("1234.5")) == "1234.50"
    assert json_money(None) is None


@pytest.mark.parametrize("text, value", [
    ("1234.5", "1234.50"),
    ("1234.50", "1234.50"),
    ("$1,234.50", "1234.50"),
    ("1,234", "1234.00"),
    ("$1,234,567.89", "1234567.89"),
    ("12", "12.00"),
    ("$12", "12.00"),
    ("0", "0.00"),
    ("  7.25  ", "7.25"),
])
def test_parse_price_accepts(text, value):
    parsed = parse_price(text)
    assert isinstance(parsed, Decimal)
    assert str(parsed) == value


@pytest.mark.parametrize("text, reason", [
    ("", "not a number"),
    ("abc", "not a number"),
    ("12.34.56", "not a number"),
    ("1e3", "not a number"),
    ("NaN", "not a number"),
    ("Infinity", "not a number"),
    ("1_000", "not a number"),
    ("1,23", "not a number"),      # a misplaced thousands separator is not guessed at
    ("12,3456", "not a number"),
    ("$ 5", "not a number"),
    ("+5", "not a number"),
    ("$-5", "not a number"),
    ("-1", "negative"),
    ("-0.01", "negative"),
    ("1.005", "more than two decimals"),
    ("0.001", "more than two decimals"),
])
def test_parse_price_rejects(text, reason):
    with pytest.raises(ValueError) as raised:
        parse_price(text)
    assert reason in str(raised.value)
    assert repr(text) in str(raised.value)  # the message quotes what the user wrote


cents = st.integers(min_value=0, max_value=999_999_999).map(lambda c: Decimal(c).scaleb(-2))  # up to MAX_PRICE
lines = st.lists(st.tuples(cents, st.integers(min_value=0, max_value=10_000)), max_size=30)


@settings(max_examples=examples(200), deadline=None)
@given(lines)
def test_total_equals_the_sum_of_extended_lines(items):
    amounts = [extended(unit, quantity) for unit, quantity in items]
    grand = total(amounts)
    # whole-cent prices: each extended price is exact, and the total is the exact sum
    assert grand == sum((unit * quantity for unit, quantity in items), Decimal(0))
    assert grand == to_cents(grand)
    assert format_money(grand) == format_money(sum(amounts, Decimal(0)))


@settings(max_examples=examples(200), deadline=None)
@given(st.integers(min_value=0, max_value=10**11), st.integers(min_value=0, max_value=9999))
def test_extended_rounds_half_up_to_the_cent(mills, quantity):
    unit = Decimal(mills).scaleb(-3)  # prices with a third decimal, as if from a computed rate
    exact = unit * quantity
    result = extended(unit, quantity)
    assert result == result.quantize(Decimal("0.01"))
    # half up on non-negative amounts: an exact half cent goes up, anything less goes down
    assert Decimal("-0.005") <= exact - result < Decimal("0.005")


@settings(max_examples=examples(300), deadline=None)
@given(cents)
def test_format_money_round_trips_through_parse_price(amount):
    text = format_money(amount)
    assert parse_price(text) == amount
    assert parse_price(json_money(amount)) == amount


@pytest.mark.parametrize("text", ["10000000.00", "99999999999999999999999999999.99", "$12,345,678.00"])
def test_a_price_above_the_cap_is_refused_with_the_cap_named(text):
    with pytest.raises(ValueError, match=r"larger than \$9,999,999\.99"):
        parse_price(text)


def test_the_cap_itself_is_accepted():
    assert parse_price("$9,999,999.99") == Decimal("9999999.99")
