"""A web desk for the tests: the Flask app over a fresh register, its users, and a signed-in test client."""

import re
import shutil
import tempfile
from pathlib import Path

from procure.register import open_register
from procure.register.accounts import add_user
from procure.web import create_app

from orders import PRICES

PASSWORDS = {"admin": "admin-password-1", "desk": "desk-password-1", "approver": "approver-password-1",
             "viewer": "viewer-password-1"}
"""A user of each role, named after it."""
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


_made_once = tempfile.TemporaryDirectory(prefix="procure-desk-")
"""Where this process keeps the new SQLite register with the users of `PASSWORDS`, made once (`new_register`)."""


def make_desk(folder, register=None, users=PASSWORDS, **settings):
    """The app over the register `register` (else a new SQLite file in `folder`) with a user of each role."""
    register = register or str(folder / "register.sqlite")
    prices = folder / "prices.csv"
    prices.write_text(PRICES, encoding="utf-8")
    if users is PASSWORDS and "://" not in register and not Path(register).exists():
        Path(register).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(new_register(), register)
    else:
        add_users(register, users)
    return desk_app(folder, register, **settings)


def desk_app(folder, register: str, **settings):
    """The app over `register` whose users are there already, pricing by the price list `make_desk` wrote in
    `folder`."""
    return create_app(register, prices=str(folder / "prices.csv"), secret_key="test-key", testing=True, **settings)


def add_users(register: str, users: dict[str, str]) -> None:
    with open_register(register) as store:
        for name, password in users.items():
            add_user(store, name, name, password)


def new_register() -> Path:
    """A new SQLite register with a user of each role: migrated and filled once a process, then copied, as the
    migrations and the users' rows cost more than the test of a page."""
    made = Path(_made_once.name) / "register.sqlite"
    if not made.exists():
        add_users(str(made), PASSWORDS)
    return made


def token(client, path="/login") -> str:
    """The CSRF token of the session, read from a page's form."""
    page = client.get(path).get_data(as_text=True)
    return TOKEN.search(page).group(1)


def signed_in(app, name: str):
    """A test client signed in as `name`."""
    client = app.test_client()
    response = client.post("/login", data={"username": name, "password": PASSWORDS[name],
                                           "csrf_token": token(client)})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client
