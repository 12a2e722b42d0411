"""The Python API with arguments of the wrong type: every raise is a ProcureError naming the argument (issue 17,
item 18)."""

import datetime
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import procure

from conftest import examples
from orders import GEN2, PRICES

SETTINGS = settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    catalog = procure.shipped_catalog()
    request = procure.read_request(text=GEN2, name=str(folder / "r.toml"))
    prices = procure.read_price_list(text=PRICES)
    order = procure.build_order(request, catalog, prices=prices)
    return {"folder": folder, "catalog": catalog, "request": request, "prices": prices, "order": order}


anything = st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.lists(st.integers(), max_size=2),
                     st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.just(object()),
                     st.tuples(st.integers()), st.sets(st.integers(), max_size=2))
not_text = st.one_of(anything, st.binary(max_size=5))
not_path = not_text
not_bytes = st.one_of(anything, st.text(max_size=5))
not_object = st.one_of(anything, st.text(max_size=5), st.binary(max_size=5))
not_date = st.one_of(anything.filter(lambda v: v is not None), st.text(max_size=10))

# function, argument, wrong values, the call with that argument wrong
CASES = [
    ("read_request", "path", not_path, lambda m, v: procure.read_request(v)),
    ("read_request", "text", not_text, lambda m, v: procure.read_request(text=v)),
    ("read_request", "name", not_text, lambda m, v: procure.read_request(text=GEN2, name=v)),
    ("read_price_list", "path", not_path, lambda m, v: procure.read_price_list(v)),
    ("read_price_list", "text", not_text, lambda m, v: procure.read_price_list(text=v)),
    ("read_price_list", "data", not_bytes, lambda m, v: procure.read_price_list(data=v)),
    ("read_price_list", "name", not_text, lambda m, v: procure.read_price_list(text=PRICES, name=v)),
    ("build_order", "request", st.one_of(not_object, st.none()), lambda m, v: procure.build_order(v, m["catalog"])),
    ("build_order", "catalog", st.one_of(not_object, st.none()), lambda m, v: procure.build_order(m["request"], v)),
    ("build_order", "prices", not_object,
     lambda m, v: procure.build_order(m["request"], m["catalog"], prices=v)),
    ("build_order", "profile", not_object,
     lambda m, v: procure.build_order(m["request"], m["catalog"], profile=v)),
    ("build_order", "catalog_version", not_text,
     lambda m, v: procure.build_order(m["request"], m["catalog"], catalog_version=v)),
    ("build_order", "today", not_date, lambda m, v: procure.build_order(m["request"], m["catalog"], today=v)),
    ("render", "order", st.one_of(not_object, st.none()), lambda m, v: procure.render(v)),
    ("render", "templates", not_path, lambda m, v: procure.render(m["order"], v)),
    ("write_outputs", "order", st.one_of(not_object, st.none()), lambda m, v: procure.write_outputs(v, m["folder"])),
    ("write_outputs", "folder", st.one_of(not_path, st.none()), lambda m, v: procure.write_outputs(m["order"], v)),
    ("write_outputs", "force", st.one_of(not_object.filter(lambda v: not isinstance(v, bool)), st.none()),
     lambda m, v: procure.write_outputs(m["order"], m["folder"] / "force", force=v)),
    ("write_outputs", "templates", not_path,
     lambda m, v: procure.write_outputs(m["order"], m["folder"] / "t", templates=v)),
    ("load_catalog", "folder", not_path, lambda m, v: procure.load_catalog(v)),
    ("read_profile", "path", not_path, lambda m, v: procure.read_profile(v)),
    ("read_profile", "text", not_text, lambda m, v: procure.read_profile(text=v)),
    ("read_profile", "name", not_text, lambda m, v: procure.read_profile(text="", name=v)),
    ("price_list_for", "request", st.one_of(not_object, st.none()), lambda m, v: procure.price_list_for(v)),
    ("price_list_for", "override", not_path, lambda m, v: procure.price_list_for(m["request"], v)),
    ("profile_for", "option", not_path, lambda m, v: procure.profile_for(v)),
]


@pytest.mark.parametrize("function, argument, wrong, call", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_wrong_type_is_a_procure_error_naming_the_argument(made, function, argument, wrong, call):
    @SETTINGS
    @given(value=wrong)
    def check(value):
        with pytest.raises(procure.ProcureError) as caught:
            call(made, value)
        assert f"{function}: {argument} " in str(caught.value), str(caught.value)

    check()


@pytest.mark.parametrize("call", [lambda: procure.read_request(), lambda: procure.read_price_list(),
                                  lambda: procure.read_profile()])
def test_nothing_to_read_is_a_procure_error(call):
    with pytest.raises(procure.ProcureError, match="give path"):
        call()


def test_the_right_types_still_work(made):
    assert procure.build_order(made["request"], made["catalog"], prices=made["prices"],
                               today=datetime.date(2026, 1, 15)).total
    assert isinstance(procure.load_catalog(None), procure.Catalog)
    path = pathlib.Path(made["folder"]) / "prices.csv"
    path.write_text(PRICES, encoding="utf-8")
    assert procure.read_price_list(path).prices == procure.read_price_list(str(path)).prices
