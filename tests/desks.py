"""A web desk for the tests: the Flask app over a fresh register, its users, and a signed-in test client."""

import re

from procure.register import open_register
from procure.register.users import add_user
from procure.web import create_app

from orders import PRICES

PASSWORDS = {"admin": "admin-password-1", "desk": "desk-password-1", "approver": "approver-password-1",
             "viewer": "viewer-password-1"}
"""A user of each role, named after it."""
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_desk(folder, register=None, users=PASSWORDS, **settings):
    """The app over the register `register` (else a new SQLite file in `folder`) with a user of each role."""
    register = register or str(folder / "register.sqlite")
    prices = folder / "prices.csv"
    prices.write_text(PRICES, encoding="utf-8")
    with open_register(register) as store:
        for name, password in users.items():
            add_user(store, name, name, password)
    return create_app(register, prices=str(prices), secret_key="test-key", testing=True, **settings)


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
