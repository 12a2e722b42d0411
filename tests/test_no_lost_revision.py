"""No lost revision (issue 26, F15): a revision is made of the revision it was opened on; when another desk
issued a newer one meanwhile, the issue is refused naming who issued it and when, on the command line and on
the page (which offers the newest revision to reload), on both backends."""

import re

import pytest
from test_web import issue, post

from procure.register import open_register

from desks import make_desk, signed_in
from registers import MORE, REQUEST, issued


def test_quote_revise_of_a_superseded_revision_is_refused_naming_the_newer_one(desk):
    base = issued(desk.issue())
    assert issued(desk.revise(base, MORE)) == f"{base}-R1"
    assert issued(desk.revise(f"{base}-R1", REQUEST, "--reason", "back to twelve")) == f"{base}-R2"
    stale = desk.revise(f"{base}-R1", MORE.replace("procedures = 30", "procedures = 40"))
    assert stale.exit_code == 1 and "Traceback" not in stale.stderr
    assert re.search(rf"{base}-R1 was revised meanwhile: {base}-R2 was issued by \S+ on \d{{4}}-\d\d-\d\d at "
                     rf"\d\d:\d\d UTC; nothing was issued\. Revise {base}-R2", stale.stderr), stale.stderr
    assert issued(desk.revise(f"{base}-R2", MORE)) == f"{base}-R3"


@pytest.fixture
def app(register_target, tmp_path):
    return make_desk(tmp_path, register=register_target)


def editor_fields(page: str, **changes) -> dict:
    fields = dict(re.findall(r'<input id="[^"]+" name="([a-z_]+\.[a-z0-9_.]+)" value="([^"]*)"', page))
    fields.update({"editor": "1", "treatment.0.nerves": ["AFCN", "ISN-S", "ISN-I"],
                   "equipment.installed": "IST2221", "action": "issue", **changes})
    return fields


def test_two_desks_revising_one_quote_cannot_undo_each_other(app):
    first, second = signed_in(app, "desk"), signed_in(app, "approver")
    number = issue(first)
    mine = post(first, f"/quotes/{number}/revise", {}).get_data(as_text=True)
    theirs = post(second, f"/quotes/{number}/revise", {}).get_data(as_text=True)
    done = post(first, f"/quotes/{number}/revise", editor_fields(mine, **{"treatment.0.procedures": "30"}))
    assert done.status_code == 303 and done.headers["Location"].endswith(f"{number}-R1")
    lost = post(second, f"/quotes/{number}/revise", editor_fields(theirs, **{"treatment.0.procedures": "14"}))
    page = lost.get_data(as_text=True)
    assert lost.status_code == 422
    assert "was revised by someone else while this page was open" in page
    assert f'href="/quotes/{number}-R1">Open {number}-R1</a>' in page
    assert f"{number}-R1 was issued by desk on" in page
    with open_register(app.config["PROCURE_SETTINGS"].register) as store:
        assert store.count()[0] == 2  # R0 and the first desk's R1: the second desk's change issued nothing
    again = post(second, f"/quotes/{number}-R1/revise", {}).get_data(as_text=True)
    assert 'value="30"' in again  # reloading gives the newest revision's request to revise
