"""The users page offers the register's backup as a download: to admins only, with the session's token."""

import datetime

from procure import open_register

from desks import make_desk, signed_in, token
from registers import Desk, issued


def test_an_admin_downloads_a_backup_that_is_the_register(register_target, tmp_path):
    desk = Desk(register_target, tmp_path)
    numbers = [issued(desk.issue()) for _ in range(2)]
    app = make_desk(tmp_path, register_target)
    admin = signed_in(app, "admin")
    assert "Download a backup" in admin.get("/users").get_data(as_text=True)
    response = admin.post("/backup", data={"csrf_token": token(admin, "/users")})
    assert response.status_code == 200
    assert f"procure-register-{datetime.date.today()}.sqlite" in response.headers["Content-Disposition"]
    path = tmp_path / "downloaded.sqlite"
    path.write_bytes(response.get_data())
    assert desk("register", "check", "--register", path, register=False).exit_code == 0
    with open_register(str(path), create=False) as store:
        assert sorted(e.number for e in store.entries(today=datetime.date.today())) == numbers
    assert not list(tmp_path.glob("*.part"))


def test_only_an_admin_with_the_sessions_token_gets_a_backup(tmp_path):
    app = make_desk(tmp_path)
    for role in ("viewer", "desk", "approver"):
        client = signed_in(app, role)
        assert client.post("/backup", data={"csrf_token": token(client, "/quotes")}).status_code == 403
    admin = signed_in(app, "admin")
    assert admin.post("/backup", data={}).status_code == 400
    assert app.test_client().post("/backup").status_code in (302, 303, 400)
