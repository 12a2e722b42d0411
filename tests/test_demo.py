"""`procure serve --demo`'s practice register: example quotes in every status, nothing acceptable, never a real
register (on both backends)."""

import datetime

import pytest

from procure.core.catalog_reader import shipped_catalog
from procure.core.errors import RuleError
from procure.register import open_register
from procure.register.accounts import add_user, sign_in
from procure.register.integrity import is_practice_register
from procure.register.ordering import accept
from procure.register.practice import demo_sign_in, make_practice, seed

from registers import issued

TODAY = datetime.date.today()


@pytest.fixture(scope="module")
def catalog():
    return shipped_catalog()


def test_a_practice_register_holds_an_example_quote_of_every_status_and_none_can_be_accepted(register_target,
                                                                                              catalog):
    with open_register(register_target) as store:
        make_practice(store)
        numbers = seed(store, catalog)
        entries = {e.number: e for e in store.entries(today=TODAY)}
        assert sorted(entries) == sorted(numbers)
        assert [entries[n].status for n in numbers] == ["superseded", "issued", "accepted", "void", "expired"]
        assert all(e.practice for e in entries.values())
        with pytest.raises(RuleError, match="practice quote"):
            accept(store, catalog, numbers[1], "SPE2DE-27-F-0002")
        name, password = demo_sign_in(store)
        assert sign_in(store, name, password).name == name
        again = demo_sign_in(store)
        assert again[1] != password and sign_in(store, *again).name == name  # each start prints a new password


def test_a_real_register_is_never_made_a_practice_one(register_target):
    with open_register(register_target) as store:
        add_user(store, "alex", "admin", "a long enough password")
        with pytest.raises(RuleError, match="is a real register"):
            make_practice(store)
        assert not is_practice_register(store)


def test_every_quote_issued_into_a_practice_register_is_a_practice_quote(desk):
    with open_register(desk.target) as store:
        make_practice(store)
    number = issued(desk.issue())
    listed = desk("quote", "show", number, "--json")
    assert '"practice": true' in listed.stdout


def test_serve_demo_refuses_a_real_register_and_changes_nothing(run, tmp_path):
    real = tmp_path / "real.sqlite"
    with open_register(str(real)) as store:
        add_user(store, "alex", "admin", "a long enough password")
    before = real.read_bytes()
    result = run("serve", "--demo", "--register", real)
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("leave out --register, or name a new file")
    assert "Traceback" not in result.stderr
    assert "password" not in result.stdout
    assert real.read_bytes() == before


def test_serve_demo_takes_no_price_list_of_its_own(run, tmp_path):
    result = run("serve", "--demo", "--prices", tmp_path / "p.csv")
    assert result.exit_code == 2 and "--demo uses the example price list and profile" in result.stderr
