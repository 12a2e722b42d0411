"""Users of the web desk in the register, on SQLite and PostgreSQL: add, sign in, lock out, disable, the secret
key; and a quote issued through the web on each backend."""

import datetime
import io

import pytest

from procure.core.errors import RuleError
from procure.register import open_register
from procure.register.users import (
    SignInRefused,
    add_user,
    disable_user,
    find_user,
    has_users,
    secret_key,
    set_password,
    sign_in,
    users,
)

from desks import PASSWORDS, make_desk, signed_in, token
from registers import REQUEST

T0 = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)


def test_users_sign_in_lock_out_and_are_disabled(register_target):
    with open_register(register_target) as store:
        assert not has_users(store)
        add_user(store, "dana", "desk", "dana-password-1")
        with pytest.raises(RuleError, match="already exists"):
            add_user(store, "Dana", "viewer", "dana-password-2")
        assert sign_in(store, "dana", "dana-password-1", T0).role == "desk"
        for minute in range(5):
            with pytest.raises(SignInRefused, match="wrong"):
                sign_in(store, "dana", "not-it-at-all", T0 + datetime.timedelta(minutes=minute))
        with pytest.raises(SignInRefused, match="too many failed sign-ins for dana: try again after 09:19 UTC"):
            sign_in(store, "dana", "dana-password-1", T0 + datetime.timedelta(minutes=5))
        set_password(store, "dana", "dana-password-3")  # lifts the lock
        assert sign_in(store, "dana", "dana-password-3", T0 + datetime.timedelta(minutes=6)).name == "dana"
        disable_user(store, "dana")
        with pytest.raises(SignInRefused):
            sign_in(store, "dana", "dana-password-3", T0 + datetime.timedelta(minutes=7))
        assert [(u.name, u.active) for u in users(store)] == [("dana", False)]
        assert find_user(store, "nobody") is None
        key = secret_key(store)
    with open_register(register_target) as store:
        assert secret_key(store) == key


def test_a_quote_issued_through_the_web_on_each_backend(register_target, tmp_path):
    app = make_desk(tmp_path, register=register_target)
    client = signed_in(app, "desk")
    response = client.post("/quotes/new", data={"request": (io.BytesIO(REQUEST.encode()), "request.toml"),
                                                 "action": "issue", "csrf_token": token(client, "/quotes/new")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    number = response.headers["Location"].rsplit("/", 1)[-1]
    page = client.get("/quotes?status=issued").get_data(as_text=True)
    assert number in page and "<strong>1</strong> open quotes" in page
    assert PASSWORDS["desk"] not in page
