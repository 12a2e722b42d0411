"""Users of the web desk in the register, on SQLite and PostgreSQL: add, sign in, lock out, disable, the secret
key; and a quote issued through the web on each backend."""

import datetime
import io

import pytest

from procure.core.errors import InputError, RuleError
from procure.register import open_register
from procure.register.accounts import (
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
        for minute, spelling in enumerate(("dana", "Dana", "DANA", "dAna", "danA")):
            with pytest.raises(SignInRefused, match="wrong"):
                sign_in(store, spelling, "not-it-at-all", T0 + datetime.timedelta(minutes=minute))
        with pytest.raises(SignInRefused, match="too many failed sign-ins for DANA: try again after 09:19 UTC"):
            sign_in(store, "DANA", "dana-password-1", T0 + datetime.timedelta(minutes=5))  # any case, one name
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
    assert number in page and "<strong>1</strong> open quote</a>" in page
    assert PASSWORDS["desk"] not in page
    from procure.register.issued_with import findings_at_issue

    with open_register(register_target) as store:
        assert "vendor-identity-incomplete" in {f.code for f in findings_at_issue(store, number)}


def test_roles_change_users_come_back_and_the_last_admin_stays(register_target):
    from procure.register.accounts import enable_user, set_details, set_role

    with open_register(register_target) as store:
        add_user(store, "Root", "admin", "root-password-1")
        add_user(store, "dana", "desk", "dana-password-1")
        for change in (lambda: disable_user(store, "root"), lambda: set_role(store, "ROOT", "approver")):
            with pytest.raises(RuleError, match=r"user Root \(admin\) is the last active admin"):
                change()
        assert find_user(store, "root").role == "admin" and find_user(store, "root").active
        assert set_role(store, "DANA", "admin").name == "dana"  # matched whatever the case, shown as spelled
        disable_user(store, "dana")
        with pytest.raises(SignInRefused):
            sign_in(store, "dana", "dana-password-1")
        assert enable_user(store, "Dana").active
        assert sign_in(store, "DANA", "dana-password-1").name == "dana"
        assert set_role(store, "root", "viewer").role == "viewer"  # another admin is left
        with pytest.raises(RuleError, match="last active admin"):
            set_role(store, "dana", "desk")
        changed = set_details(store, "dana", full_name="Dana  Lee", email="dana@example.com", title=None)
        assert (changed.full_name, changed.email, changed.title) == ("Dana Lee", "dana@example.com", None)
        assert set_details(store, "dana", email="").email is None
        with pytest.raises(InputError, match="not an e-mail address"):
            set_details(store, "dana", email="dana at example")
        with pytest.raises(RuleError, match="no user 'nobody'"):
            set_role(store, "nobody", "desk")


def test_user_commands_change_roles_enable_and_list_details(tmp_path):
    from registers import Desk

    desk = Desk(str(tmp_path / "r.sqlite"), tmp_path)
    assert desk("user", "add", "Admin", "--role", "admin", "--password-stdin",
                input="admin-password-1\n").exit_code == 0
    assert desk("user", "add", "bo", "--role", "desk", "--password-stdin", input="bo-password-12\n").exit_code == 0
    refused = desk("user", "role", "admin", "desk")
    assert refused.exit_code == 1 and "user Admin (admin) is the last active admin" in refused.stderr
    assert desk("user", "disable", "ADMIN").exit_code == 1
    assert desk("user", "role", "BO", "approver").stdout == "user bo (approver)\n"
    assert desk("user", "disable", "bo").stdout == "disabled user bo (approver, disabled)\n"
    assert desk("user", "enable", "bo").stdout == "enabled user bo (approver)\n"
    done = desk("user", "set", "bo", "--full-name", "Bo Park", "--title", "Customer service",
                "--email", "bo@example.com", "--phone", "555-0100")
    assert done.exit_code == 0 and "Bo Park" in done.stdout
    import json

    listed = json.loads(desk("user", "list", "--json").stdout)["users"]
    assert {k: listed[1][k] for k in ("name", "role", "active", "full_name", "title", "email", "phone")} == {
        "name": "bo", "role": "approver", "active": True, "full_name": "Bo Park", "title": "Customer service",
        "email": "bo@example.com", "phone": "555-0100"}
    assert listed[0]["full_name"] is None


def test_search_finds_a_quote_by_delivery_order_requisition_and_contact_on_each_backend(register_target, tmp_path):
    app = make_desk(tmp_path, register=register_target)
    client = signed_in(app, "desk")
    text = REQUEST.replace('dodaac = "W91ABC"', 'dodaac = "W91ABC"\ncontact = "Maj. Ann Lee"') + (
        '\n[order]\nrequisition = "W91ABC-6331-0001"\ndelivery_order = "SPE2DE-27-F-1234"\n')
    numbers = []
    for body in (text, REQUEST):
        response = client.post("/quotes/new", data={"request": (io.BytesIO(body.encode()), "request.toml"),
                                                     "action": "issue", "csrf_token": token(client, "/quotes/new")},
                               content_type="multipart/form-data")
        assert response.status_code == 303, response.get_data(as_text=True)
        numbers.append(response.headers["Location"].rsplit("/", 1)[-1])
    for query in ("SPE2DE-27-F-1234", "spe2de27f1234", "W91ABC63310001", "W91ABC-6331-0001", "ann lee"):
        found = [q["number"] for q in client.get(f"/quotes.json?q={query}").get_json()["quotes"]]
        assert found == [numbers[0]], query
    assert client.get("/quotes.json?q=nobody").get_json()["quotes"] == []
